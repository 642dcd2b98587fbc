/* A table wider than its column scrolls sideways in its wrapper (Material's around a Markdown
   table, yizhan's around a venue's rooms). A wrapper holds no link to tab to, so a keyboard
   user could not reach the columns past the edge (WCAG 2.1.1; Safari and Chromium before 132
   make no scroller focusable by themselves): the one that scrolls becomes a named region in
   the tab order, as Material does for a code block; one that fits stays out of it. Material
   wraps tables when the page loads, before this runs (document$). A file of its own, not
   inline: a district's 20,000 pages would each carry it. */
(function () {
  var en = /^en/i.test(document.documentElement.lang || "");
  var name = en ? "Table (scrolls sideways)" : "表格（可左右滚动）";
  function fit(w) {
    if (w.scrollWidth > w.clientWidth + 1) {
      var c = w.querySelector("caption");
      w.tabIndex = 0;
      w.setAttribute("role", "region");
      w.setAttribute("aria-label", (c && c.textContent.trim()) || name);
    } else {
      w.removeAttribute("tabindex");
      w.removeAttribute("role");
      w.removeAttribute("aria-label");
    }
  }
  function scan() {
    document.querySelectorAll(".md-typeset__scrollwrap, .yz-table-wrap").forEach(function (w) {
      fit(w);
      if (window.ResizeObserver) new ResizeObserver(function () { fit(w); }).observe(w);
    });
  }
  if (window.document$) document$.subscribe(scan);
  else scan();
})();
