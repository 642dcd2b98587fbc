"""Page specs, one module per family. Each module has ``pages(site, views) -> Iterator[PageSpec]``.

No engine import here: a page is a URL path, a template name, a title, Markdown and JSON data.
"""
