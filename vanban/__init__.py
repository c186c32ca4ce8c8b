"""vanban: the directives Vietnamese administrative texts cite, and BM25 search over them.

>>> from vanban import Corpus
>>> c = Corpus.open()                                  # the bundled sample corpus
>>> c.search("công tác dân vận", k=3).to_pandas()      # doctest: +SKIP
>>> c.references().groupby(["symbol", "doc_year"]).size()   # doctest: +SKIP

The pipeline lives in four subpackages, one per stage: ``vanban.ingest`` (files → text →
references and dates), ``vanban.corpus`` (data types, the SQLite store), ``vanban.index`` (pyvi
tokens → BM25 arrays) and ``vanban.search`` (queries, reports and the front ends: the CLI, the
web app, and this API, ``vanban.search.api``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Citations", "Corpus", "Report", "SearchHit", "SearchResult", "VanbanError",
           "__version__"]

if TYPE_CHECKING:
    from vanban.search.api import (
        Citations,
        Corpus,
        Report,
        SearchHit,
        SearchResult,
        VanbanError,
    )


def __getattr__(name: str) -> Any:
    """The API is imported on first use, so that ``import vanban.ingest`` stays light."""
    if name in __all__:
        from vanban.search import api

        return getattr(api, name)
    raise AttributeError(f"module 'vanban' has no attribute {name!r}")
