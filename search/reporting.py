"""The staff-facing commands: `refs` (what a report relies on), `cites`, `stats`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import click

from corpus.store import Store, StoreError
from search.commands import UserError, err, open_store
from search.output import dumps, emit_csv, emit_json_lines, emit_table


def run_refs(paths: Sequence[str], db: str | None, fmt: str) -> bool:
    from search.refs import refs_for_path

    store = _optional_store(db)
    failed = 0
    objs: list[dict[str, Any]] = []
    for p in paths:
        try:
            objs.extend(refs_for_path(p, store))
        except UserError as exc:
            failed += 1
            err(f"Error: {p}: {exc}")
            continue
        if fmt == "json":
            emit_json_lines(objs)
            objs = []
    if fmt == "csv":
        _refs_csv(objs)
    elif fmt == "table":
        for obj in objs:
            _refs_table(obj, store is not None)
    if len(paths) > 1 or failed:
        err(f"{len(paths) - failed} of {len(paths)} inputs read, {failed} failed")
    return failed > 0


def _optional_store(db: str | None) -> Store | None:
    from search.sample import choose_db

    choice = choose_db(db)
    if choice.sample:
        return None
    try:
        return Store(choice.path)
    except StoreError as exc:
        raise UserError(str(exc)) from None


_REF_COLUMNS = ["symbol", "type", "issuer", "date", "relation", "mentions", "page", "in_corpus",
                "title"]


def _ref_rows(obj: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in obj["references"]:
        first = r["mentions"][0]
        rows.append({**r, "symbol": r["symbol"] or r["name"], "mentions": len(r["mentions"]),
                     "page": first["page"], "source": obj["source"],
                     "in_corpus": r["in_corpus"] or "not in corpus"})
    return rows


def _refs_table(obj: dict[str, Any], with_corpus: bool) -> None:
    doc = obj["document"]
    head = " ".join(x for x in (doc.get("type"), doc.get("symbol"), doc.get("date")) if x)
    click.echo(click.style(obj["source"], bold=True) + (f" — {head}" if head else ""))
    cols = [c for c in _REF_COLUMNS if with_corpus or c != "in_corpus"]
    if obj["references"]:
        emit_table(_ref_rows(obj), cols, max_width=48)
    else:
        click.echo("(no directives found)")
    click.echo("")


def _refs_csv(objs: Sequence[dict[str, Any]]) -> None:
    rows = [row for obj in objs for row in _ref_rows(obj)]
    emit_csv(rows, ["source", *_REF_COLUMNS])


def run_cites(symbol: str, db: str | None, fmt: str) -> None:
    from search.citations import citing_documents

    _, store = open_store(db)
    with store:
        canonical, docs = citing_documents(store, symbol)
    if fmt == "json":
        emit_json_lines(docs)
    elif fmt == "csv":
        emit_csv([{**d, "mentions": len(d["mentions"])} for d in docs],
                 ["doc_id", "title", "date", "relation", "mentions", "page", "sentence"])
    else:
        click.echo(click.style(f"{canonical}: cited by {len(docs)} documents", bold=True))
        if docs:
            emit_table([{**d, "mentions": len(d["mentions"])} for d in docs],
                       ["doc_id", "date", "relation", "mentions", "page", "title"])
            years = Counter((d["date"] or "????")[:4] for d in docs)
            click.echo("by year: " + ", ".join(f"{y}: {n}" for y, n in sorted(years.items())))


def run_stats(db: str | None, fmt: str) -> None:
    from search.citations import corpus_stats

    path, store = open_store(db)
    with store:
        stats = corpus_stats(path, store)
    if fmt == "json":
        click.echo(dumps(stats))
        return
    if fmt == "csv":
        emit_csv(stats["most_cited"], ["symbol", "name", "type", "date", "documents",
                                       "mentions"])
        return
    click.echo(f"corpus {stats['db']}")
    click.echo(f"{stats['documents']} documents, {stats['passages']} passages, "
               f"{stats['references']} references, {stats['dates']} dates")
    click.echo(f"index: {stats['index']['state']}")
    if stats["most_cited"]:
        click.echo("\nmost-cited directives:")
        emit_table(stats["most_cited"], ["symbol", "type", "date", "documents", "mentions"])
    if stats["by_type_year"]:
        click.echo("\ndocuments by type and year:")
        emit_table(stats["by_type_year"], ["type", "year", "documents"])
