"""The store's tables as pandas DataFrames, and their export to Parquet or CSV.

One schema serves the Python API (``Corpus.documents()`` …) and ``vanban export``:

- ``documents``: doc_id, source, content_hash, title, date, year, url, symbol, type, issuer,
  locality, identity_title, pages, passages, references, text (and any column the store
  gains later, except its internal token columns);
- ``passages``: doc_id, ordinal, page, start, end, text;
- ``references``: one row per mention — doc_id, doc_date, doc_year, start, end, surface,
  symbol, name, type, number, year, issuer, locality, date, title, relation, pinpoint,
  page, passage_ordinal, short_form, resolved;
- ``dates``: doc_id, start, end, surface, value, granularity;
- ``edges``: the citation graph — source, target, kind (cites, replaces, amends…), relation,
  date, count, evidence; node ids are ``doc:<doc_id>`` or ``dir:<directive key>``.

Spans (start, end) point into the document's stored text: ``text[start:end] == surface``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.corpus.store import Store

if TYPE_CHECKING:
    import pandas as pd

_INTERNAL = {"rowid", "doc_rowid", "title_tokens", "tokens", "page_starts", "ocr_pages"}


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.db.execute(f"PRAGMA table_info({table})")]


def _select(store: Store, table: str, alias: str) -> str:
    return ", ".join(f'{alias}."{c}"' for c in _columns(store, table) if c not in _INTERNAL)


def _year(frame: pd.DataFrame, column: str) -> pd.Series:
    import pandas as pd

    return pd.to_numeric(frame[column].str.slice(0, 4), errors="coerce").astype("Int64")


def _frame(store: Store, sql: str) -> pd.DataFrame:
    import pandas as pd

    return pd.read_sql_query(sql, store.db)


def documents_frame(store: Store) -> pd.DataFrame:
    frame = _frame(store, f"""
        SELECT {_select(store, "documents", "d")}, d.page_starts AS _pages,
          (SELECT count(*) FROM passages p WHERE p.doc_rowid = d.rowid) AS passages,
          (SELECT count(*) FROM refs r WHERE r.doc_rowid = d.rowid) AS "references"
        FROM documents d ORDER BY d.doc_id""")
    frame.insert(list(frame.columns).index("date") + 1, "year", _year(frame, "date"))
    frame.insert(len(frame.columns) - 2, "pages",
                 frame.pop("_pages").map(lambda s: len(json.loads(s)) or None).astype("Int64"))
    return frame


def passages_frame(store: Store) -> pd.DataFrame:
    return _frame(store, f"""
        SELECT d.doc_id, {_select(store, "passages", "p")} FROM passages p
        JOIN documents d ON d.rowid = p.doc_rowid ORDER BY d.doc_id, p.ordinal""")


def references_frame(store: Store) -> pd.DataFrame:
    frame = _frame(store, f"""
        SELECT d.doc_id, d.date AS doc_date, {_select(store, "refs", "r")} FROM refs r
        JOIN documents d ON d.rowid = r.doc_rowid ORDER BY d.doc_id, r.start""")
    frame.insert(2, "doc_year", _year(frame, "doc_date"))
    frame["year"] = frame["year"].astype("Int64")
    for flag in ("short_form", "resolved"):
        frame[flag] = frame[flag].astype(bool)
    return frame


def dates_frame(store: Store) -> pd.DataFrame:
    return _frame(store, f"""
        SELECT d.doc_id, {_select(store, "dates", "t")} FROM dates t
        JOIN documents d ON d.rowid = t.doc_rowid ORDER BY d.doc_id, t.start""")


def edges_frame(store: Store) -> pd.DataFrame:
    import pandas as pd

    from vanban.search.graph import build_graph

    graph = build_graph(store)
    return pd.DataFrame([vars(e) for e in graph.edges],
                        columns=["source", "target", "kind", "relation", "date", "count",
                                 "evidence"])


TABLES: dict[str, Callable[[Store], pd.DataFrame]] = {
    "documents": documents_frame, "passages": passages_frame,
    "references": references_frame, "dates": dates_frame, "edges": edges_frame,
}


class ExportError(Exception):
    """An export the user can fix (a missing extra, a folder that cannot be written)."""


def export_tables(store: Store, out: Path, fmt: str) -> dict[str, tuple[Path, int]]:
    """Write every table to ``out/<table>.<fmt>``; (file, rows) per table."""
    if fmt == "parquet":
        try:
            import pyarrow  # type: ignore[import-untyped]  # noqa: F401
        except ImportError:
            raise ExportError('Parquet needs pyarrow — pip install "vanban[parquet]"'
                              " (or export --format csv)") from None
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file — give a folder for the tables")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: {exc.strerror or exc}") from None
    written: dict[str, tuple[Path, int]] = {}
    for name, make in TABLES.items():
        frame = make(store)
        target = out / f"{name}.{fmt}"
        try:
            if fmt == "parquet":
                frame.to_parquet(target, engine="pyarrow", index=False)
            else:
                frame.to_csv(target, index=False, encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"{target}: {exc.strerror or exc}") from None
        written[name] = (target, len(frame))
    return written
