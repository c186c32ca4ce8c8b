"""Corpus housekeeping: `vanban list` (the doc ids `show` and `rm` take) and `vanban rm`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

import click

from vanban.corpus.filters import DocumentFilter
from vanban.search.commands import _indexed, build, db_line, err, open_store
from vanban.search.output import dumps, emit_csv, emit_table, truncate

LIST_COLUMNS = ["doc_id", "date", "type", "pages", "references", "directives", "title",
                "source"]
_HEADERS = ["doc id", "date", "type", "pages", "refs", "directives", "title", "source"]


def run_list(db: str | None, filters: DocumentFilter, fmt: str) -> None:
    """`vanban list`: one row per matching document, by doc id."""
    _, store = open_store(db)
    with store:
        docs = store.list_documents(filters)
    rows = [asdict(d) for d in docs]
    if fmt == "json":
        for row in rows:
            click.echo(dumps(row))
    elif fmt == "csv":
        emit_csv(rows, [*LIST_COLUMNS, "issuer"])
    elif rows:
        emit_table([{**r, "title": truncate(r["title"] or "", 50)} for r in rows],
                   LIST_COLUMNS, _HEADERS, max_width=1000)
    active = any(vars(filters).values())
    if not rows:
        err("no documents match" if active else "no documents")
    else:
        err(f"{len(rows)} documents")


def run_rm(doc_ids: Sequence[str], db: str | None, *, index: bool,
           workers: int | None) -> bool:
    """`vanban rm`: remove documents by id; True if any id was unknown.  The index is
    rebuilt (as after an ingest) unless ``index`` is false."""
    path, store = open_store(db, removing=True)
    removed, missing = 0, 0
    with store:
        for doc_id in dict.fromkeys(doc_ids):
            if store.remove(doc_id):
                removed += 1
            else:
                missing += 1
                err(f"Error: {doc_id}: no such document — list the ids with `vanban list`")
        if removed and index:
            _indexed(build(path, store, None, workers))
        err(f"removed {removed} documents" + (f", {missing} not found" if missing else ""))
        err(db_line(path, store))
    return missing > 0
