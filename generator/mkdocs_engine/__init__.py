"""The MkDocs engine: the only package that imports mkdocs."""
