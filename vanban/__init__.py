"""vanban: the directives Vietnamese administrative texts cite, and BM25 search over them.

The pipeline lives in four subpackages, one per stage: ``vanban.ingest`` (files → text →
references and dates), ``vanban.corpus`` (data types, the SQLite store), ``vanban.index`` (pyvi
tokens → BM25 arrays) and ``vanban.search`` (queries, reports and the front ends).
"""

__version__ = "0.1.0"
