"""Compact page whitespace (issue 5): less to store and send, the same page in a browser
(tests/browser/test_compact_browser.py lays pages out both ways)."""

from __future__ import annotations

from generator.outputs.compact import compact_html


def test_indentation_and_blank_lines_between_tags_become_one_newline() -> None:
    html = "<nav>\n    <ul>\n\n      <li>\n        <a href='/'>首页</a>\n      </li>\n    </ul>\n</nav>"
    assert compact_html(html) == "<nav>\n<ul>\n<li>\n<a href='/'>首页</a>\n</li>\n</ul>\n</nav>"


def test_text_keeps_its_whitespace_where_it_had_some() -> None:
    assert compact_html("<p>\n      白领沙龙\n    </p>") == "<p>\n白领沙龙\n</p>"
    assert compact_html("<span>a</span> <span>b</span>") == "<span>a</span> <span>b</span>"


def test_preformatted_code_and_forms_are_left_alone() -> None:
    kept = (
        "<pre><code>def f():\n    return 1\n\n\n    # end</code></pre>",
        "<textarea>\n  第一行\n\n  第二行</textarea>",
        "<script>\n  var x = '>\\n  <';\n</script>",
        "<style>\n  a { color: red }\n</style>",
        '<div class="highlight"><PRE>\n  x\n</PRE></div>',
    )
    for block in kept:
        assert compact_html(f"<div>\n    {block}\n  </div>") == f"<div>\n{block}\n</div>"


def test_an_inline_white_space_style_keeps_the_article_as_written() -> None:
    article = '<article>\n  <div style="white-space: pre-line">床前明月光\n\n  疑是地上霜</div>\n</article>'
    html = f"<body>\n    <header>\n      x\n    </header>\n    {article}\n</body>"
    assert compact_html(html) == f"<body>\n<header>\nx\n</header>\n{article}\n</body>"


def test_compacting_twice_changes_nothing() -> None:
    html = "<ul>\n  <li>一</li>\n\n  <li>二</li>\n</ul>\n<pre>\n  a\n</pre>"
    once = compact_html(html)
    assert compact_html(once) == once


def test_kept_elements_end_at_their_first_closing_tag_in_any_case() -> None:
    # One line each (the page is squeezed in one pass) or with runs inside (kept apart).
    oneline = '<div>\n  <script>var s = "</scr" + "ipt>";</SCRIPT >\n  <p>\n    x\n  </p>\n</div>'
    assert compact_html(oneline) == (
        '<div>\n<script>var s = "</scr" + "ipt>";</SCRIPT >\n<p>\nx\n</p>\n</div>'
    )
    two = "<pre>\n  a\n</pre>\n   <b>\n   c</b>\n   <pre>\n  d\n</Pre>"
    assert compact_html(two) == "<pre>\n  a\n</pre>\n<b>\nc</b>\n<pre>\n  d\n</Pre>"
