/* yizhan search (issue 5): Material's search box answered by Pagefind.
 * Nothing is downloaded until the visitor types; then pagefind.js, its WebAssembly and only
 * the index chunks and result fragments the query needs. Results use Material's markup. */
(function () {
  "use strict";
  var box = document.querySelector("[data-yz-search]");
  if (!box) return;
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var form = box.querySelector("form");
  var toggle = document.getElementById("__search");
  var wrap = box.querySelector(".md-search__scrollwrap");
  var root = new URL(".", typeof __md_scope !== "undefined" ? __md_scope : location.href);
  var engine = null;
  var latest = 0;
  var shown = { ticket: 0, results: [], next: 0, busy: false };
  var PAGE = 10; /* results fetched at a time, more as the list is scrolled (as Material's) */

  /* A large site's index comes in parts (pagefind/shards/index.json lists them): each is
   * merged into the main one, and a query fetches only the chunks it needs from each. */
  function mergeParts(pagefind, bundle) {
    return fetch(new URL("shards/index.json", bundle).href)
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; })
      .then(function (names) {
        return Promise.all(names.map(function (name) {
          var part = new URL("shards/" + encodeURIComponent(name) + "/", bundle).href;
          return pagefind.mergeIndex(part, { baseUrl: root.pathname });
        }));
      });
  }

  function load() {
    if (!engine) {
      var bundle = new URL("pagefind/", root);
      engine = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname }).then(function () {
          pagefind.init();
          return mergeParts(pagefind, bundle);
        }).then(function () {
          return pagefind;
        });
      });
    }
    return engine;
  }

  function say(count) {
    if (count === 0) return meta.dataset.yzNone;
    if (count === 1) return meta.dataset.yzOne;
    return meta.dataset.yzOther.replace("#", count);
  }

  /* Activities that have ended are not indexed (generator/lean/search.py indexed_page): the
   * count says where they are, so a search for one is not just "no results". In this shared
   * file rather than on every page. */
  var PAST = /^en/.test(document.documentElement.lang)
    ? ["Activities that have ended are not searched: see ", "past activities", "."]
    : ["已结束的活动不在搜索结果中，请看", "往期活动", "。"];

  function answer(count) {
    meta.textContent = say(count) + (/^en/.test(document.documentElement.lang) ? ". " : "。");
    var past = document.createElement("a");
    past.href = new URL("events/past/", root).href;
    past.textContent = PAST[1];
    meta.appendChild(document.createTextNode(PAST[0]));
    meta.appendChild(past);
    meta.appendChild(document.createTextNode(PAST[2]));
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    var excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt; /* Pagefind escapes the text and adds only <mark> */
    article.appendChild(title);
    article.appendChild(excerpt);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  /* The next PAGE results of the current query, each fetching its own fragment. */
  function more() {
    var ticket = shown.ticket;
    if (shown.busy || shown.next >= shown.results.length) return Promise.resolve();
    shown.busy = true;
    var batch = shown.results.slice(shown.next, shown.next + PAGE);
    shown.next += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (ticket !== latest) return;
      shown.busy = false;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      if (nearEnd()) more();
    });
  }

  function nearEnd() {
    /* shown and scrolled to its last results (a hidden box has no height: nothing loads) */
    return wrap.clientHeight > 0 && wrap.scrollTop + wrap.clientHeight >= wrap.scrollHeight - 64;
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    shown = { ticket: ticket, results: [], next: 0, busy: false };
    if (!query) {
      list.textContent = "";
      meta.textContent = meta.dataset.yzMeta;
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 200);
    }).then(function (found) {
      if (!found || ticket !== latest) return null;
      answer(found.results.length);
      list.textContent = "";
      shown.results = found.results;
      return more();
    }).catch(function () {
      if (ticket === latest) meta.textContent = meta.dataset.yzNone;
    });
  }

  /* Material's keys in its search box: arrows move between the box and the results (the
   * last shown loads the next ones), Enter in the box opens the first result. */
  function onKey(e) {
    if (!toggle || !toggle.checked || e.ctrlKey || e.metaKey || e.altKey) return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
    var stops = [input].concat(links);
    var at = stops.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (at < 0 && !box.contains(document.activeElement)) return;
      e.preventDefault();
      var step = e.key === "ArrowUp" ? -1 : 1;
      stops[(Math.max(0, at) + step + stops.length) % stops.length].focus();
      if (nearEnd()) more();
    } else if (e.key === "Enter" && document.activeElement === input && links.length) {
      e.preventDefault();
      links[0].click();
    }
  }

  wrap.addEventListener("scroll", function () { if (nearEnd()) more(); }, { passive: true });
  if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  input.addEventListener("focus", function () { if (toggle) toggle.checked = true; load(); });
  input.addEventListener("input", search);
  form.addEventListener("reset", function () { setTimeout(search, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle && toggle.checked) { toggle.checked = false; input.blur(); }
    /* Material's shortcuts to the search box (f, s, /), which its own search wires up */
    var target = e.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "f" || e.key === "s" || e.key === "/")) {
      e.preventDefault();
      if (toggle) toggle.checked = true;
      input.focus();
    }
  });
})();
