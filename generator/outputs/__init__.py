"""Non-HTML outputs, one module per format. Each has ``files(site, views) -> Iterator[FileSpec]``."""
