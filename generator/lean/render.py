"""PageSpec -> HTML bytes through the site's own templates, without MkDocs.

The page is rendered by the same Jinja templates MkDocs would use (``yizhan/event.html`` ->
``main.html`` -> Material's ``base.html``), with the same context variables and the same
``url`` filter, except for one thing: Material's ``base.html`` is patched on load to draw its
navigation from a flat list (``templates/lean/``) instead of its recursive macros. Generated
pages sit outside the navigation, so what a visitor sees is the same.

Everything a ``Renderer`` needs is in a ``Setup`` of plain values, made once per build by the
MkDocs adapter; a ``Renderer`` is made once per process and reused for every page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup, escape

from ..outputs.compact import compact_html
from ..plan import PageSpec
from . import search
from .fragments import Fragments
from .icons import Sprite
from .links import output_path, page_url, relative_url
from .md import PageMarkdown, Rendered, TocItem

TEMPLATES = Path(__file__).resolve().parent / "templates"


def wrap(name: str, body: str) -> str:
    return f'{{% call lean_fragment("{name}") %}}{body}{{% endcall %}}'


# Material's base.html, patched: (what, replacement). A Material release that changes these
# lines makes the patch fail loudly instead of rendering a page without navigation.
BASE_PATCHES = (
    ('{% include "partials/tabs.html" %}', wrap("tabs", '{% include "lean/tabs.html" %}')),
    ('{% include "partials/nav.html" %}', wrap("nav", '{% include "lean/nav.html" %}')),
    (
        '{% include "partials/header.html" %}',
        wrap("header", '{% include "partials/header.html" %}'),
    ),
    (
        '{% include "partials/footer.html" %}',
        wrap("footer", '{% include "partials/footer.html" %}'),
    ),
    ('{% include "partials/top.html" %}', wrap("top", '{% include "partials/top.html" %}')),
    ("{% block config %}", '{% block config %}{% call lean_fragment("config") %}'),
    (
        "</script>\n    {% endblock %}\n    {% block scripts %}",
        '</script>{% endcall %}\n    {% endblock %}\n    {% block scripts %}{% call lean_fragment("scripts") %}',
    ),
    (
        "{% endfor %}\n    {% endblock %}\n  </body>",
        "{% endfor %}{% endcall %}\n    {% endblock %}\n  </body>",
    ),
    ("{% block styles %}", '{% block styles %}{% call lean_fragment("styles") %}'),
    (
        '{% include "partials/icons.html" %}\n    {% endblock %}',
        '{% include "partials/icons.html" %}{% endcall %}\n    {% endblock %}',
    ),
    (
        "{% for path in config.extra_css %}",
        '{% call lean_fragment("assets") %}{% for path in config.extra_css %}',
    ),
    (
        '{% include "partials/javascripts/base.html" %}',
        '{% include "partials/javascripts/base.html" %}{% endcall %}',
    ),
    (
        '{% include "partials/integrations/analytics.html" %}',
        wrap("analytics", '{% include "partials/integrations/analytics.html" %}'),
    ),
    (
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset"{{ lean_article_attrs }}>',
    ),
    # perf (issue 5): Material's strings, made once (``Language``), not once a page
    ('{% import "partials/language.html" as lang with context %}', "{% set lang = lean_lang %}"),
)


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    """Site-relative URL path of the page ("" for the home page); "" for a section."""
    tab_url: str = ""
    """Where the item's tab links: its own page, or a section's first page."""
    children: tuple[NavItem, ...] = ()
    active: bool = False


@dataclass(frozen=True)
class NavHome:
    url: str


@dataclass(frozen=True)
class Nav:
    items: tuple[NavItem, ...] = ()
    homepage: NavHome = NavHome("")
    pages: tuple[Any, ...] = ()
    """Pages in the navigation, as MkDocs' ``nav.pages``: lean pages never are."""

    def __iter__(self) -> Any:
        return iter(self.items)


@dataclass(frozen=True)
class Script:
    path: str
    type: str = ""
    defer: bool = False
    async_: bool = False


@dataclass(frozen=True)
class PluginStub:
    """What Material's templates read of a plugin: ``config.plugins["x"] | attr("config")``."""

    config: Mapping[str, Any]


@dataclass(frozen=True)
class Setup:
    """Everything pages need besides their own spec: plain values, fixed for one build."""

    theme_dirs: tuple[str, ...]
    """Jinja search path, as MkDocs' theme has it (site overrides first, then Material's)."""
    config: Mapping[str, Any]
    """The MkDocs configuration templates read (``config.site_name`` …), as plain values."""
    plugins: Mapping[str, Mapping[str, Any]]
    """Plugin name -> its configuration, for ``"material/search" in config.plugins``."""
    markdown_extensions: Sequence[Any]
    mdx_configs: Mapping[str, Any]
    files: Mapping[str, str]
    """Every documentation file (src_uri -> URL path), for MkDocs' relative ``.md`` links."""
    nav: Nav
    extra_css: tuple[str, ...] = ()
    extra_javascript: tuple[Script, ...] = ()
    mkdocs_version: str = ""
    autoescape_prefixes: tuple[str, ...] = ("yizhan/", "partials/yz-")
    fingerprint: str = ""
    """Digest of everything above that can change a page (see ``cache.setup_fingerprint``)."""
    directory_urls: bool = True
    icons: Sprite | None = None
    """The page chrome's icons (``partials/yz-icon.html``)."""


@dataclass
class LeanPage:
    """The ``page`` template variable, with the attributes MkDocs' ``Page`` gives templates."""

    title: Any
    url: str
    canonical_url: str | None
    abs_url: str | None
    meta: dict[str, Any]
    content: Markup
    toc: list[TocItem]
    is_homepage: bool
    previous_page: None = None
    next_page: None = None
    parent: None = None
    children: None = None
    edit_url: None = None
    ancestors: list[Any] = field(default_factory=list)
    is_page: bool = True
    is_section: bool = False
    is_link: bool = False
    is_index: bool = True
    is_top_level: bool = False
    active: bool = False
    markdown: str = ""


@dataclass(frozen=True)
class Result:
    path: str
    """Output file path relative to the site folder (``events/x/index.html``)."""
    html: bytes
    warnings: tuple[str, ...] = ()


class LeanLoader(jinja2.FileSystemLoader):
    """The theme's search path, with Material's base.html patched and ``lean/`` partials."""

    def __init__(self, dirs: Sequence[str]) -> None:
        super().__init__([*dirs, str(TEMPLATES)])

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if template == "base.html":
            source = patch_base(source)
        return source, filename, uptodate


def patch_base(source: str) -> str:
    for old, new in BASE_PATCHES:
        if source.count(old) != 1:
            raise RuntimeError(f"unexpected Material base.html: cannot patch {old!r}")
        source = source.replace(old, new)
    return source


class Language:
    """Material's ``lang`` (``partials/language.html``, imported by ``base.html`` on every page
    with its language's strings as a dictionary built again on every lookup: ~20 a page),
    with each string looked up once. The strings depend on the configuration alone."""

    def __init__(self, env: jinja2.Environment, config: Mapping[str, Any]) -> None:
        self.env, self.config = env, config
        self.module: Any = None
        self.strings: dict[str, Any] = {}

    def t(self, key: str) -> Any:
        found = self.strings.get(key)
        if found is None:
            if self.module is None:
                template = self.env.get_template("partials/language.html")
                self.module = template.make_module({"config": self.config})
            found = self.strings[key] = self.module.t(key)
        return found


class Renderer:
    """Renders page specs; one per process (templates compile once, Markdown is reused)."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.env = make_env(setup)
        self.markdown = PageMarkdown(
            list(setup.markdown_extensions), setup.mdx_configs, setup.files, setup.directory_urls
        )
        site_url = str(setup.config.get("site_url") or "")
        self.site_url = site_url
        self.config = dict(setup.config)
        self.config["plugins"] = {k: PluginStub(v) for k, v in setup.plugins.items()}
        self.env.globals["lean_lang"] = Language(self.env, self.config)

    def render(self, spec: PageSpec) -> Result:
        url = spec.path
        rendered: Rendered = self.markdown.render(spec.markdown, spec.src_uri, url)
        meta: dict[str, Any] = {"template": spec.template, "title": escape(spec.title)}
        if spec.description:
            meta["description"] = escape(spec.description)
        page = LeanPage(
            title=meta["title"],
            url=url,
            canonical_url=urljoin(self.site_url, url) if self.site_url else None,
            abs_url=self.abs_url(url),
            meta=meta,
            content=Markup(rendered.html),
            toc=rendered.toc,
            is_homepage=url == "",
            markdown=spec.markdown,
        )
        context = self.context(page)
        context["yz"] = spec.data
        context["lean_article_attrs"] = search.PLACEHOLDER
        html = search.mark_article(
            self.env.get_template(spec.template).render(context), search.indexed_page(spec)
        )
        html = compact_html(html)  # as MkDocs' pages get it (plugin.on_post_page)
        return Result(
            output_path(url),
            html.encode("utf-8", errors="xmlcharrefreplace"),
            rendered.warnings,
        )

    def abs_url(self, url: str) -> str | None:
        if not self.site_url:
            return None
        return urlsplit(urljoin(self.site_url, url)).path

    def context(self, page: LeanPage) -> dict[str, Any]:
        """MkDocs' ``get_context`` for a page."""
        base_url = relative_url(".", page.url)
        return {
            "nav": self.setup.nav,
            "pages": [],
            "base_url": base_url,
            "extra_css": [page_url(path, page.url) for path in self.setup.extra_css],
            "extra_javascript": [page_url(s.path, page.url) for s in self.setup.extra_javascript],
            "mkdocs_version": self.setup.mkdocs_version,
            "config": self.config,
            "page": page,
        }


DICT_ATTRIBUTES = frozenset(dir(dict))


class LeanEnvironment(jinja2.Environment):
    """Jinja's environment, with ``x.name`` on a plain dict looked up as an item at once.

    Jinja tries ``getattr(x, name)`` first and falls back to ``x[name]``: for the dicts pages
    read (``yz.*``, ``config.*``) every lookup raised an AttributeError first (perf, issue 5:
    ~7 % of rendering). The result is Jinja's own: a dict's methods still win (``x.items``)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class KeptBytecode(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, by template and source digest.

    perf (issue 5): ``yizhan serve`` makes new Jinja environments for every rebuild (MkDocs'
    and the lean renderer's), and compiling a theme's ~90 templates again took ~0.7 s, in the
    way of the next save. Jinja checks each entry's source digest (and its own version), so an
    edited template compiles again. Never written to disk: a cache folder restored by CI could
    otherwise hand the build code to run. One per kind of environment: code compiled with
    one's extensions is not the other's."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


LEAN_BYTECODE = KeptBytecode()
"""The lean renderer's environments'."""
MKDOCS_BYTECODE = KeptBytecode()
"""MkDocs' environments' (set by the adapter)."""

JSON_DUMPS = {"sort_keys": True, "ensure_ascii": False}
"""``| tojson`` as Jinja's default but with text as UTF-8, not ``\\uXXXX`` escapes (issue 5: a
Chinese character is 3 bytes instead of 6; Material's ``__config`` on every page is ~0.2 KB
smaller). Still safe inside ``<script>``: Jinja escapes ``<``, ``>``, ``&`` and ``'`` itself."""


def make_env(setup: Setup) -> jinja2.Environment:
    """A Jinja environment like MkDocs' (``Theme.get_env``) plus the adapter's autoescape."""
    prefixes = setup.autoescape_prefixes

    def autoescape(name: str | None) -> bool:
        return name is not None and name.startswith(prefixes)

    # cache_size=-1: templates are kept in a plain dict. perf (issue 5): Jinja's default LRU
    # cache takes a lock and reorders on every lookup, and each page looks templates up ~20
    # times (includes, imports): ~2 % of a cold build's rendering. A theme has ~90 templates.
    env = LeanEnvironment(
        loader=LeanLoader(setup.theme_dirs),
        auto_reload=False,
        autoescape=autoescape,
        cache_size=-1,
        bytecode_cache=LEAN_BYTECODE,
    )
    env.add_extension("jinja2.ext.i18n")
    env.install_null_translations()  # type: ignore[attr-defined]
    env.filters["url"] = url_filter
    env.filters["script_tag"] = script_tag_filter
    fragments = Fragments()
    env.globals["_yz_fragments"] = fragments
    env.globals["lean_fragment"] = lean_fragment
    scripts = {s.path: s for s in setup.extra_javascript}
    env.globals["_yz_scripts"] = scripts
    env.globals["yz_icons"] = setup.icons
    env.policies["json.dumps_kwargs"] = JSON_DUMPS
    return env


@jinja2.pass_context
def lean_fragment(context: Any, name: str, caller: Callable[[], str]) -> str:
    fragments: Fragments = context.environment.globals["_yz_fragments"]
    return fragments.render(context, name, caller)


@jinja2.pass_context
def url_filter(context: Any, value: str) -> str:
    context.environment.globals["_yz_fragments"].record(str(value))
    page = context.get("page")
    if page is None:
        return posixpath.join(context.get("base_url", ""), str(value))
    return page_url(str(value), page.url)


@jinja2.pass_context
def script_tag_filter(context: Any, extra_script: Any) -> Markup:
    """MkDocs' ``script_tag``: a ``<script>`` tag for an ``extra_javascript`` entry."""
    path = extra_script.path if isinstance(extra_script, Script) else str(extra_script)
    script = context.environment.globals["_yz_scripts"].get(path)
    html = '<script src="{0}"'
    if script is not None:
        if script.type:
            html += ' type="{1.type}"'
        if script.defer:
            html += " defer"
        if script.async_:
            html += " async"
    html += "></script>"
    return Markup(html).format(url_filter(context, path), script)
