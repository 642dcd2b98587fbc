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

/* The header's menu and search buttons (partials/header.html: a button inside each of
   Material's labels) work from the keyboard: Enter and Space click the label, which opens or
   closes its checkbox's drawer or search (an opened search takes the focus, as it does on a
   desktop), and aria-expanded tells a screen reader which. Escape closes the drawer, as
   Material's search, and the focus goes back to the button that opened it. Listeners on the
   document: nothing per button to set up again. */
(function () {
  function toggleOf(button) {
    var label = button.closest("label");
    return label && document.getElementById(label.htmlFor);
  }
  function buttonFor(toggle) {
    var label = document.querySelector('.md-header label[for="' + toggle.id + '"]');
    var button = label && label.querySelector(".yz-toggle");
    // checkVisibility: Safari before 17.4 (iOS 16, common in WeChat) lacks it; a button
    // hidden on a desktop has no box there
    if (!button) return null;
    var seen = button.checkVisibility ? button.checkVisibility() : button.getClientRects().length > 0;
    return seen ? button : null;
  }
  function sync() {
    document.querySelectorAll(".md-header .yz-toggle").forEach(function (button) {
      var toggle = toggleOf(button);
      if (toggle) button.setAttribute("aria-expanded", String(toggle.checked));
    });
  }
  document.addEventListener("keydown", function (e) {
    var target = e.target;
    var toggle = target.classList && target.classList.contains("yz-toggle") && toggleOf(target);
    if (toggle && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      target.closest("label").click();
      var query = document.querySelector(".md-search__input");
      if (toggle.id === "__search" && toggle.checked && query) query.focus();
    } else if (e.key === "Escape") {
      // Before Material's own listener, which closes the search and blurs its field.
      ["__drawer", "__search"].forEach(function (id) {
        var open = document.getElementById(id);
        var button = open && open.checked && buttonFor(open);
        if (button) button.focus();
        if (id === "__drawer" && open && open.checked) open.click();
      });
    }
  });
  document.addEventListener("change", function (e) {
    if (e.target.id === "__drawer" || e.target.id === "__search") sync();
  });
  sync();
})();
