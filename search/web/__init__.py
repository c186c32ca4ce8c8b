"""`vanban serve`: the report check, search, document, directive and corpus pages, and their
JSON twins, over the same functions as the command line (the optional extra `vanban[web]`).

``vanban.search.web.app.create_app`` builds the ASGI app; the CLI only starts uvicorn."""
