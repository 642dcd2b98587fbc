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
      // Not on to Material's listener (on the window, after this one): by then the search is
      // open with the focus in its field, so it took this Enter as the field's and opened the
      // first result of the query left from before.
      e.preventDefault();
      e.stopPropagation();
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
    // A search closed by its back arrow (a tap, a screen reader's double tap) or by Tab left
    // the focus on the page's body or in the hidden field: the next Tab started from there.
    // On a phone it goes back to the search button, as after Escape.
    var away = document.activeElement;
    if (e.target.id === "__search" && !e.target.checked &&
        (!away || away === document.body || away.closest(".md-search"))) {
      var button = buttonFor(e.target);
      if (button) button.focus();
    }
  });
  sync();
})();

/* Material's search reads its field on keyup only. Text that arrives without one (a word
   pasted, a phone's voice input, a candidate picked from a Chinese input method's bar, which
   on some keyboards sends no key event) was not searched until another key was pressed: the
   field said 志愿 and the results "type to start searching". Each change of the field's text
   is passed on as a keyup, once the input method has committed it; Material ignores a value
   it has already searched. */
document.addEventListener("input", function (e) {
  var field = e.target;
  if (!e.isComposing && field.classList && field.classList.contains("md-search__input")) {
    field.dispatchEvent(new KeyboardEvent("keyup"));
  }
});
document.addEventListener("compositionend", function (e) {
  var field = e.target;
  if (field.classList && field.classList.contains("md-search__input")) {
    field.dispatchEvent(new KeyboardEvent("keyup"));
  }
});

/* "Copy address" of a feed (yizhan/_calendar.html, feed_item): the button copies the address
   field of its feed. The Clipboard API first; where it is missing (an insecure page, an old
   WebView) or refuses (WeChat's browser may), execCommand("copy") on the selected field;
   where that fails too, the address stays selected in its field (readonly, selectable) and
   the resident is asked to press and hold it. Each outcome is said in a polite live region
   next to the button, made when the page loads so a screen reader follows its changes (a
   button whose text changes is not read out). Here, not inline: one copy for every page. */
(function () {
  var en = /^en/i.test(document.documentElement.lang || "");
  var copied = en ? "Copied" : "已复制";
  var hold = en ? "Press and hold the address to copy it" : "请长按地址复制";
  function noteOf(button) {
    var line = button.closest("p");
    var note = line.nextElementSibling;
    if (!note || !note.classList.contains("yz-copy-note")) {
      note = document.createElement("p");
      note.className = "yz-copy-note";
      note.setAttribute("role", "status");
      line.after(note);
    }
    return note;
  }
  function say(note, text) {
    // Emptied first: the same words again (a second click) are a change to announce.
    note.textContent = "";
    setTimeout(function () { note.textContent = text; }, 100);
  }
  function select(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length); // iOS selects nothing with select() alone
  }
  function fallback(button, field, note) {
    select(field);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    if (done) {
      button.focus();
      say(note, copied);
    } else {
      say(note, hold); // the address stays selected, for the long press
    }
  }
  function setUp() {
    document.querySelectorAll(".yz-feed .yz-copy").forEach(function (button) {
      noteOf(button);
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".yz-feed .yz-copy");
    if (!button) return;
    var field = button.closest(".yz-feed").querySelector("input");
    var note = noteOf(button);
    var clipboard = navigator.clipboard;
    if (!clipboard || !clipboard.writeText) {
      fallback(button, field, note);
      return;
    }
    var pending;
    try {
      pending = clipboard.writeText(field.value);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      function () { say(note, copied); },
      function () { fallback(button, field, note); }
    );
  });
  // The address selects itself when it takes the focus (a tap, Tab): ready to copy.
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches(".yz-feed input")) e.target.select();
  });
  if (window.document$) document$.subscribe(setUp);
  else setUp();
})();
