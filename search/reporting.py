"""The staff-facing commands: `refs` (what a report relies on), `cites`, `graph`, `stats`.

Each ``run_*`` parses nothing and computes nothing itself: it calls the library and prints
a table, JSON or CSV (and for `refs`, an .xlsx workbook); messages go to stderr.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from vanban.corpus.store import Store, StoreError
from vanban.search.commands import UserError, err, open_store
from vanban.search.output import csv_text, dumps, emit_csv, emit_json_lines, emit_table, truncate

if TYPE_CHECKING:
    from vanban.search.xlsx import Sheet

# -- refs ---------------------------------------------------------------------------------
_TABLE_COLUMNS = ["n", "directive", "type", "issuer", "date", "relation", "mentions", "page",
                  "pinpoints", "in_corpus", "notes", "title"]
_TABLE_HEADERS = ["#", "directive", "type", "issuer", "date", "relation", "mentions", "page",
                  "pinpoints", "in corpus", "notes", "title"]
_TABLE_WIDTHS = {"directive": 30, "issuer": 30, "pinpoints": 24, "title": 36}
_CSV_COLUMNS = ["source", "symbol", "type", "issuer", "date", "relation", "mentions", "page",
                "in_corpus", "title", "n", "name", "locality", "pinpoints", "sentence",
                "dates_cited", "changed_by", "notes", "document_symbol", "document_date"]
_NOTE_LABELS = {"date_conflict": "2 dates", "year_mismatch": "year?",
                "unresolved_short_form": "unresolved", "unknown_locality": "locality?",
                "replaced": "replaced", "repealed": "repealed", "amended": "amended",
                "party_symbol_year": "format", "unknown_type_code": "format",
                "type_mismatch": "type?"}


def run_refs(paths: Sequence[str], db: str | None, fmt: str, *, sort: str = "first",
             xlsx: str | None = None, debug: bool = False) -> bool:
    """`vanban refs`: True if any input failed."""
    from vanban.search.refs import refs_for_path
    from vanban.search.xlsx import check_target

    if xlsx is not None:
        check_target(xlsx)  # before reading: OCR may take minutes
    store = _optional_store(db)
    failed = 0
    kept: list[dict[str, Any]] = []
    for p in paths:
        try:
            objs = refs_for_path(p, store, sort)
        except UserError as exc:
            failed += 1
            err(f"Error: {p}: {exc}")
            continue
        except Exception as exc:
            if debug:
                raise
            failed += 1
            err(f"Error: {p}: {type(exc).__name__}: {exc} — run again with --debug for the "
                "details")
            continue
        for obj in objs:
            for w in obj["warnings"]:
                err(f"Warning: {obj['source']}: {w['message']}")
            if fmt == "table":
                _refs_table(obj, store is not None)
        if fmt == "json":
            emit_json_lines(objs)
        kept.extend(objs)
    if fmt == "csv":
        click.echo(refs_csv(kept), nl=False)
    if len(paths) > 1 or failed:
        err(f"{len(paths) - failed} of {len(paths)} inputs read, {failed} failed")
    if xlsx is not None:
        try:
            write_refs_xlsx(xlsx, kept)
        except UserError as exc:
            err(f"Error: {exc}")
            return True
        err(f"wrote {xlsx}")
    return failed > 0


def refs_csv(objs: Sequence[dict[str, Any]]) -> str:
    """The `vanban refs --csv` text of these `refs` objects."""
    return csv_text([row for obj in objs for row in ref_rows(obj, csv=True)], _CSV_COLUMNS)


def _optional_store(db: str | None) -> Store | None:
    from vanban.search.sample import choose_db

    choice = choose_db(db)
    if choice.sample:
        return None
    try:
        return Store(choice.path)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _issuer(r: dict[str, Any]) -> str | None:
    issuer: str | None = r["issuer"]
    locality: str | None = r["locality"]
    if locality and (not issuer or locality.split(" ", 1)[-1] not in issuer):
        return f"{issuer} ({locality})" if issuer else f"({locality})"
    return issuer


def _notes(obj: dict[str, Any], r: dict[str, Any]) -> list[str]:
    labels = [_NOTE_LABELS.get(w["code"], w["code"]) for w in obj["warnings"]
              if (w["symbol"] or w["name"]) == (r["symbol"] or r["name"])]
    return list(dict.fromkeys(labels))


def ref_rows(obj: dict[str, Any], *, csv: bool = False) -> list[dict[str, Any]]:
    """One flat row per directive of one `refs` object (for tables, CSV and Excel)."""
    rows = []
    for n, r in enumerate(obj["references"], 1):
        changed = [f"{c['relation']} by {c['symbol'] or c['name']}"
                   + (f" ({c['doc_id']})" if c["doc_id"] else "") for c in r["changed_by"]]
        in_corpus = r["in_corpus"] or ("" if csv else "not in corpus")
        label = r["symbol"] or r["name"]
        rows.append({
            **r, "n": n, "source": obj["source"], "directive": label, "symbol": label,
            "issuer": r["issuer"] if csv else _issuer(r), "mentions": len(r["mentions"]),
            "page": r["first_page"], "in_corpus": in_corpus, "changed_by": changed,
            "notes": _notes(obj, r), "title": r["title"] or (r["name"] if r["symbol"] else None),
            "document_symbol": obj["document"]["symbol"],
            "document_date": obj["document"]["date"]})
    return rows


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _heading(obj: dict[str, Any]) -> list[str]:
    doc = obj["document"]
    own = " ".join(x for x in (doc.get("type"), f"số {doc['symbol']}" if doc.get("symbol")
                               else None) if x)
    parts = [p for p in (own, f"ngày {_vn(doc['date'])}" if doc.get("date") else None,
                         doc.get("issuer")) if p]
    lines = [click.style(obj["source"], bold=True)]
    if parts:
        lines.append(" · ".join(parts))
    if doc.get("title"):
        lines.append(doc["title"])
    return lines


def _vn(date: str) -> str:
    from vanban.search.warnings import vn_date

    return vn_date(date)


def _refs_table(obj: dict[str, Any], with_corpus: bool) -> None:
    for line in _heading(obj):
        click.echo(line)
    refs = obj["references"]
    if refs:
        total = sum(len(r["mentions"]) for r in refs)
        click.echo(f"{len(refs)} directives, {total} mentions")
        keep = [i for i, c in enumerate(_TABLE_COLUMNS) if with_corpus or c != "in_corpus"]
        rows = [{**row, **{c: truncate(_flat(row[c]), w) for c, w in _TABLE_WIDTHS.items()}}
                for row in ref_rows(obj)]
        emit_table(rows, [_TABLE_COLUMNS[i] for i in keep], [_TABLE_HEADERS[i] for i in keep],
                   max_width=40)
    else:
        click.echo("(no directives found)")
    click.echo("")


def write_refs_xlsx(path: str, objs: Sequence[dict[str, Any]]) -> None:
    """The `refs --xlsx` workbook: directives, warnings and the inputs themselves."""
    from vanban.search.xlsx import write_workbook

    write_workbook(path, refs_sheets(objs))


def refs_sheets(objs: Sequence[dict[str, Any]]) -> list[Sheet]:
    """The sheets of the `refs --xlsx` workbook."""
    from vanban.search.xlsx import Sheet

    rows = [row for obj in objs for row in ref_rows(obj, csv=True)]
    warnings = [{"source": obj["source"], **w} for obj in objs for w in obj["warnings"]]
    documents = [{"source": obj["source"], **obj["document"],
                  "directives": len(obj["references"]),
                  "mentions": sum(len(r["mentions"]) for r in obj["references"]),
                  "warnings": len(obj["warnings"])} for obj in objs]
    return [
        Sheet("directives", rows,
              ["source", "n", "symbol", "type", "issuer", "locality", "date", "title",
               "relation", "mentions", "page", "sentence", "pinpoints", "in_corpus",
               "changed_by", "notes"],
              ["source", "#", "directive", "type", "issuer", "locality", "date", "title",
               "relation", "mentions", "first page", "first sentence", "pinpoints",
               "in corpus", "changed by", "notes"], date_columns=["date"]),
        Sheet("warnings", warnings, ["source", "code", "symbol", "name", "message"]),
        Sheet("documents", documents,
              ["source", "symbol", "type", "issuer", "locality", "date", "title",
               "directives", "mentions", "warnings"], date_columns=["date"]),
    ]


# -- cites --------------------------------------------------------------------------------
def run_cites(symbol: str, db: str | None, fmt: str, plot: str | None = None) -> None:
    from vanban.search.citations import citing_documents

    _, store = open_store(db)
    with store:
        canonical, docs = citing_documents(store, symbol)
    if plot:
        from vanban.search import charts

        dated = {d["doc_id"]: d["date"] for d in docs}  # a document once, whatever it cites
        charts.save(charts.citations_per_year(canonical, charts.years_of(dated.values())), plot)
        err(f"wrote {plot}")
    if not docs:
        err(f"no corpus document cites {canonical}")
    rows = [{**d, "mentions": len(d["mentions"])} for d in docs]
    if fmt == "json":
        emit_json_lines(docs)
    elif fmt == "csv":
        emit_csv(rows, ["doc_id", "title", "date", "directive", "directive_date",
                        "directive_year", "relation", "mentions", "page", "sentence",
                        "directive_locality"])
    else:
        _cites_table(canonical, rows)


def _cites_table(asked: str, rows: list[dict[str, Any]]) -> None:
    """One table per cited directive: twins (19-NQ/TW of 2017, of 2022) apart, each dated."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["directive_key"], []).append(row)
    if not groups:
        click.echo(click.style(f"{asked}: cited by 0 documents", bold=True))
    if len(groups) > 1:
        click.echo(f"{asked}: {len(groups)} directives")
    for key, group in groups.items():
        dates = sorted({r["directive_date"] for r in group if r["directive_date"]})
        year = group[0]["directive_year"]
        when = ", ".join(dates) or (str(year) if year else "date not stated")
        if key.endswith("#?"):
            when = "which one is not stated"
        label = next((r["symbol"] for r in group if r["symbol"]), group[0]["directive"])
        head = f"{label} ({when}): cited by {len(group)} documents"
        click.echo(click.style(head, bold=True))
        emit_table(group, ["doc_id", "date", "relation", "mentions", "page", "sentence"],
                   max_width=70)
        years = Counter((d["date"] or "????")[:4] for d in group)
        click.echo("by year: " + ", ".join(f"{y}: {n}" for y, n in sorted(years.items())))


# -- graph --------------------------------------------------------------------------------
def run_graph(db: str | None, graph_format: str, output: str | None,
              nodes_file: str | None, plot: str | None = None) -> None:
    from vanban.search.graph import build_graph, write_csv, write_graphml

    _, store = open_store(db)
    with store:
        graph = build_graph(store)
    if plot:
        from vanban.search import charts

        nodes = {n.id: n.attrs for n in graph.nodes.values()}
        edges = [(e.source, e.target) for e in graph.edges if e.kind == "cites"]
        charts.save(charts.citation_graph(nodes, edges), plot)
        err(f"wrote {plot}: {len(graph.nodes)} nodes, {len(edges)} citation edges")
        if output is None and nodes_file is None:
            return
    try:
        if graph_format == "graphml":
            write_graphml(graph, output)
        else:
            write_csv(graph, output, nodes_file)
    except OSError as exc:
        where = getattr(exc, "filename", None) or output or nodes_file
        raise UserError(f"{where}: {exc.strerror or exc}") from None
    err(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges")


# -- stats --------------------------------------------------------------------------------
def run_stats(db: str | None, fmt: str, top: int = 20, plot: str | None = None) -> None:
    """`vanban stats`: corpus size and what it cites most."""
    from vanban.search.citations import corpus_stats, type_year_table

    path, store = open_store(db)
    with store:
        stats = corpus_stats(path, store, top=top)
    if plot:
        from vanban.search import charts

        charts.save(charts.stats_overview(stats, min(top, 15)), plot)
        err(f"wrote {plot}")
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
        emit_table([{**r, "symbol": r["symbol"] or r["name"]} for r in stats["most_cited"]],
                   ["symbol", "type", "date", "documents", "mentions"])
    if stats["most_cited_by_year"]:
        click.echo("\nmost-cited by year of the citing documents:")
        emit_table([{**r, "symbol": r["symbol"] or r["name"]}
                    for r in stats["most_cited_by_year"]],
                   ["year", "rank", "symbol", "date", "documents", "mentions"])
    if stats["by_type_year"]:
        click.echo("\ndocuments by type and year:")
        emit_table(*type_year_table(stats["by_type_year"]))
