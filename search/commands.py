"""What each CLI command does, between parsing (cli.py) and the library."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from vanban.corpus.store import Store, StoreError, page_at
from vanban.search.output import dumps, emit_csv, emit_table

if TYPE_CHECKING:  # the engine imports numpy: loaded only by the commands that search
    from vanban.corpus.model import Directive
    from vanban.index.bm25 import BM25Params
    from vanban.ingest.read.limits import Limits
    from vanban.search.cluster import Cluster
    from vanban.search.documents import RankedDocument
    from vanban.search.engine import Filters, Hit, Searcher
    from vanban.search.jobs import IngestSummary


class UserError(Exception):
    """A failure the user can fix; the message says how."""


class NothingToRank(click.ClickException):
    """A query of function words only: `Error: …` on stderr, exit status 2, no usage."""

    exit_code = 2


@dataclass(frozen=True)
class SearchOptions:
    k: int = 10
    type: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    cites: str | None = None
    group_by_document: bool = True


def err(msg: str) -> None:
    click.echo(msg, err=True)


# -- opening stores -------------------------------------------------------------------
def open_store(db: str | None, *, for_writing: bool = False, removing: bool = False,
               changes: bool = False) -> tuple[Path, Store]:
    """The store a command reads (``for_writing``: creates it if need be); ``removing``:
    the command removes documents, so it must exist and not be the bundled sample;
    ``changes``: the command writes the store or its index, so it must be writable."""
    from vanban.search.sample import choose_db, ensure_sample

    choice = choose_db(db, for_writing=for_writing)
    if removing and choice.sample:
        raise UserError("the bundled sample corpus is read-only — give --db PATH (or set "
                        "$VANBAN_DB) for the corpus to change")
    if choice.sample:
        ensure_sample(choice.path)
    try:
        store = Store(choice.path, create=for_writing)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if store.read_only and (for_writing or removing or changes):
        store.close()
        raise UserError(str(store.read_only_error()))
    return choice.path, store


def open_searcher(db: str | None) -> Searcher:
    from vanban.index.files import IndexError_, freshness
    from vanban.search.engine import Searcher

    path, store = open_store(db)
    try:
        searcher = Searcher(path, store)
    except IndexError_ as exc:
        raise UserError(str(exc)) from None
    note = freshness(path, store, searcher.index.meta).note()
    if note:
        err(f"vanban: {note}")
    return searcher


# -- ingest / index -------------------------------------------------------------------
def run_ingest(paths: Sequence[str], db: str | None, *, workers: int | None, max_mb: float,
               max_pages: int, max_seconds: float = 600.0, ocr: bool = True, index: bool,
               fmt: str, debug: bool, prune: bool = False,
               refresh_seconds: float = 60.0, cluster: str | None = None) -> bool:
    """`vanban ingest`: True if any file failed or a folder held nothing to read.  With
    ``cluster`` (tcp://HOST:PORT or local:N) the reading runs on Dask workers."""
    with open_cluster(cluster, debug) as dask_cluster:  # an unreachable one fails before any work
        return _ingest(paths, db, workers=workers, max_mb=max_mb, max_pages=max_pages,
                       max_seconds=max_seconds, ocr=ocr, index=index, fmt=fmt, debug=debug,
                       prune=prune, refresh_seconds=refresh_seconds, cluster=dask_cluster)


@contextmanager
def open_cluster(spec: str | None, debug: bool) -> Iterator[Cluster | None]:
    if not spec:
        yield None
        return
    from vanban.search.cluster import ClusterError, connect

    try:
        with connect(spec, debug=debug) as cluster:
            yield cluster
    except ClusterError as exc:
        raise UserError(str(exc)) from None


def _ingest(paths: Sequence[str], db: str | None, *, workers: int | None, max_mb: float,
            max_pages: int, max_seconds: float, ocr: bool, index: bool, fmt: str, debug: bool,
            prune: bool, refresh_seconds: float, cluster: Cluster | None) -> bool:
    from vanban.ingest.read.readers import Limits
    from vanban.search.jobs import NO_FILES, collect_files, summary_line

    path, store = open_store(db, for_writing=True)
    store.close()
    limits = Limits(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages,
                    max_seconds=max_seconds, ocr=ocr)
    total = sum(1 for _, why in collect_files(paths) if why != NO_FILES)
    seen: set[str] = set()

    def tick(result: Any) -> None:  # a .jsonl file reports once per batch: count it once
        if result.path not in seen:
            seen.add(result.path)
            bar.update(1)

    try:
        with _progress(total) as bar:
            summary, pruned = ingest_into(
                path, paths, limits=limits, workers=workers, index=index, debug=debug,
                prune=prune, on_error=lambda p, why: err(f"Error: {p}: {why}"),
                on_file=tick, on_warning=lambda p, why: err(f"Warning: {p}: {why}"),
                on_index=_indexed, refresh_seconds=refresh_seconds, cluster=cluster)
    except KeyboardInterrupt:
        _interrupted(path)
    err(summary_line(summary))
    if prune:
        err(f"pruned {len(pruned)} documents whose files are gone")
    with Store(path) as store:
        err(db_line(path, store))
    if fmt == "json":
        lists = {"failures", "warnings"}
        click.echo(dumps({**{k: v for k, v in vars(summary).items() if k not in lists},
                          "failures": [{"path": p, "error": e} for p, e in summary.failures],
                          "warnings": [{"path": p, "warning": w} for p, w in summary.warnings],
                          "pruned": pruned, "db": str(path)}))
    return bool(summary.failures or summary.warnings)


class _Quiet:
    """No progress bar where stderr is a log, not a terminal (click's bar would write its
    bare label, "files", and nothing else)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _progress(total: int) -> Any:
    if not sys.stderr.isatty():
        return _Quiet()
    return click.progressbar(length=total, label="files", file=sys.stderr, show_pos=True)


def _interrupted(path: Path) -> NoReturn:
    """Ctrl-C during an ingest: each document is stored whole or not at all, so say what
    is stored and how to go on, and exit 130 (no traceback)."""
    err("\ninterrupted: the documents read so far are stored — run the same command again "
        "to go on (stored files are skipped)")
    with Store(path) as store:
        err(db_line(path, store))
    raise click.exceptions.Exit(130)


def db_line(path: Path, store: Store) -> str:
    """The closing line of the commands that write: which database, and its state."""
    state = "current" if index_current(path, store) else "stale (run `vanban index`)"
    return f"wrote {path}: {store.counts()['documents']} documents, index {state}"


def ingest_into(path: Path, paths: Sequence[str], *, limits: Limits | None = None,
                workers: int | None = None, index: bool = True, debug: bool = False,
                prune: bool = False, on_error: Callable[[str, str], None] | None = None,
                on_file: Callable[[Any], None] | None = None,
                on_warning: Callable[[str, str], None] | None = None,
                on_index: Callable[[dict[str, Any]], None] | None = None,
                refresh_seconds: float = 60.0, refresh_documents: int = 1000,
                cluster: Cluster | None = None) -> tuple[IngestSummary, list[str]]:
    """Ingest ``paths`` into the store at ``path`` (created if new), with ``prune`` remove
    the documents whose files under ``paths`` are gone, and rebuild the index when anything
    changed (during a long batch too: every ``refresh_seconds`` or ``refresh_documents``,
    so that searches follow; 0 seconds: only at the end).  Bad files go to ``on_error``
    and ``summary.failures``.  With ``cluster`` (``vanban.search.cluster.connect``) the
    files are read on its Dask workers.  (summary, pruned ids)"""
    from vanban.search.jobs import Refresher, ingest_paths, prune_missing

    try:
        store = Store(path, create=True)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    pruned: list[str] = []
    def rebuild() -> None:
        info = build(path, store, None, workers)
        if on_index:
            on_index(info)

    refresher = Refresher(rebuild, refresh_documents, refresh_seconds) \
        if index and refresh_seconds > 0 else None
    with store:
        summary = ingest_paths(store, paths, limits=limits, workers=workers, debug=debug,
                               on_error=on_error, on_file=on_file, on_warning=on_warning,
                               refresh=refresher, cluster=cluster)
        if prune:
            pruned = prune_missing(store, paths)
        if index and not index_current(path, store):  # a refresh may have taken it all
            rebuild()
    return summary, pruned


def index_current(path: Path, store: Store) -> bool:
    from vanban.index.files import freshness

    return freshness(path, store).state == "current"


def build(path: Path, store: Store, params: BM25Params | None,
          workers: int | None) -> dict[str, Any]:
    """Rebuild the index of ``store``; what was built (passages, seconds, parameters)."""
    import time

    from vanban.index.build import build_index

    started = time.perf_counter()
    data = build_index(path, store, params, workers=workers or 1)
    secs = time.perf_counter() - started
    return {"passages": len(data.rowids), "seconds": round(secs, 3),
            "fingerprint": data.fingerprint, "params": vars(data.params)}


def _indexed(info: dict[str, Any]) -> None:
    err(f"indexed {info['passages']} passages in {info['seconds']:.1f} s")


def run_index(db: str | None, *, variant: str | None = None, k1: float | None = None,
              b: float | None = None, workers: int | None, fmt: str) -> None:
    """Rebuild the index; the parameters given replace the corpus's stored ones (the
    others are kept), and later builds (`ingest`) use them."""
    from dataclasses import replace

    from vanban.index.build import stored_params

    path, store = open_store(db, changes=True)
    with store:
        try:
            params = None
            if (variant, k1, b) != (None, None, None):
                now = stored_params(store)
                params = replace(now, variant=now.variant if variant is None else variant,
                                 k1=now.k1 if k1 is None else k1, b=now.b if b is None else b)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        info = build(path, store, params, workers)
        _indexed(info)
        err(db_line(path, store))
    if fmt == "json":
        click.echo(dumps(info))


# -- search ---------------------------------------------------------------------------
def search_hits(searcher: Searcher, query: str, opts: SearchOptions) -> list[Hit]:
    """The hits of one query (a query that cannot run raises ``click.UsageError``; one of
    function words only ``NothingToRank``)."""
    from vanban.search.engine import FunctionWordsOnly, QueryError

    try:
        hits = searcher.search(query, k=opts.k, filters=_filters(opts),
                               group_by_document=opts.group_by_document)
    except FunctionWordsOnly as exc:
        raise NothingToRank(str(exc)) from None
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    return hits


def run_query(db: str | None, query: str, opts: SearchOptions) -> list[Hit]:
    """The hits of one query (``UserError`` for a bad query or corpus)."""
    searcher = open_searcher(db)
    try:
        return search_hits(searcher, query, opts)
    except click.ClickException as exc:   # a bad query, or one of function words only
        raise UserError(exc.message) from None


def _rank(searcher: Searcher, query: str, opts: SearchOptions) -> list[RankedDocument]:
    """The best documents, no text read (TREC output)."""
    from vanban.search.engine import parse_query

    return searcher.rank_documents(parse_query(query), opts.k, _filters(opts))


def _filters(opts: SearchOptions) -> Filters:
    """The engine's filters (``click.UsageError`` for a --cites that is no symbol: a name
    matches none, said rather than answered with nothing)."""
    from vanban.search.engine import Filters

    cites = None
    if opts.cites:
        from vanban.search.citations import canonical_query_symbol

        try:
            cites = canonical_query_symbol(opts.cites)
        except UserError as exc:
            raise click.UsageError(f"--cites: {exc} (a directive by its name: `vanban cites "
                                   "NAME`)") from None
    return Filters(type=opts.type, issuer=opts.issuer, date_from=opts.date_from,
                   date_to=opts.date_to, cites=cites)


def hit_json(h: Hit) -> dict[str, Any]:
    obj = {"rank": h.rank, "score": h.score, "doc_id": h.doc_id, "title": h.title,
           "date": h.date, "source": h.source, "page": h.page, "passage": h.passage,
           "snippet": h.snippet, "highlights": [list(s) for s in h.highlights],
           "directives": [{"symbol": d.symbol, "name": d.name, "type": d.type, "date": d.date,
                           "year": d.year or (int(d.date[:4]) if d.date else None)}
                          for d in h.directives]}
    if h.more:
        obj["more"] = [{"score": m.score, "page": m.page, "passage": m.passage,
                        "snippet": m.snippet, "highlights": [list(s) for s in m.highlights]}
                       for m in h.more]
    return obj


def search_object(query: str, hits: Sequence[Hit]) -> dict[str, Any]:
    """The `vanban search --json` object."""
    return {"query": query, "hits": [hit_json(h) for h in hits]}


def run_search(query: str, db: str | None, opts: SearchOptions, fmt: str) -> None:
    searcher = open_searcher(db)
    hits = search_hits(searcher, query, opts)
    if fmt == "json":
        click.echo(dumps(search_object(query, hits)))
    elif fmt == "csv":
        rows = [{**hit_json(h), "directives": [_directive_label(d) for d in h.directives]}
                for h in hits]
        emit_csv(rows, ["rank", "score", "doc_id", "title", "date", "source", "page",
                        "snippet", "directives"])
    else:
        _print_hits(hits)
    if not hits:
        err("no hits")


def _directive_label(d: Directive) -> str:
    label = str(d.symbol or d.name or "?")
    return f"{label} ({d.date})" if d.date else label


def _print_hits(hits: Sequence[Hit]) -> None:
    for h in hits:
        click.echo(click.style(f"{h.rank:>2}. {h.title or h.doc_id}", bold=True)
                   + f"  [{h.doc_id}] {h.date or ''}  score {h.score:.3f}")
        click.echo(f"    {h.source}")
        for p in (h, *h.more):
            where = f"p.{p.page}: " if p.page else ""
            click.echo(f"    {where}{_bold_spans(p.snippet, p.highlights)}")
        if h.directives:
            click.echo("    directives: " + "; ".join(_directive_label(d) for d in h.directives))
        click.echo("")


def _bold_spans(snippet: str, spans: Sequence[tuple[int, int]]) -> str:
    """The snippet with the query words in bold (styles vanish when not a terminal)."""
    out, pos = [], 0
    for s, e in spans:
        out.append(snippet[pos:s])
        out.append(click.style(snippet[s:e], bold=True, fg="yellow"))
        pos = e
    out.append(snippet[pos:])
    return "".join(out)


def run_batch(queries: str, db: str | None, opts: SearchOptions, batch_format: str) -> bool:
    """Every `qid<TAB>query` line; a bad line is reported and skipped.  True if any was."""
    from vanban.search.engine import QueryError

    searcher = open_searcher(db)
    doc_opts = SearchOptions(**{**vars(opts), "group_by_document": True}) \
        if batch_format == "trec" else opts
    ids = searcher.document_ids() if batch_format == "trec" else []
    failed = False
    for lineno, line in enumerate(click.open_file(queries, encoding="utf-8-sig"), 1):
        if not line.strip():
            continue
        qid, sep, query = line.rstrip("\n").partition("\t")
        try:
            if not sep or not query.strip():
                raise QueryError("expected `qid<TAB>query`")
            if batch_format == "trec":
                ranked = _rank(searcher, query, doc_opts)
            else:
                hits = search_hits(searcher, query, doc_opts)
        except (QueryError, click.ClickException) as exc:
            err(f"Error: {queries}: line {lineno}: {exc}")
            failed = True
            continue
        if batch_format == "trec":
            found = [(ids[d.doc], d.score) for d in ranked if ids[d.doc] is not None]
            if found:   # one write per query (removed since the index was built: left out)
                click.echo("\n".join(f"{qid} Q0 {doc_id} {rank} {round(score, 6):.6f} vanban"
                                      for rank, (doc_id, score) in enumerate(found, 1)))
        else:
            click.echo(dumps({"qid": qid, "query": query, "hits": [hit_json(h) for h in hits]}))
    return failed


# -- show ------------------------------------------------------------------------------
def _field_sources(obj: dict[str, Any]) -> str:
    """"title from header · date from pdf_metadata": where the shown fields were read."""
    parts = [f"{name} from {obj[f'{name}_source'] or 'unknown'}" for name in ("title", "date")
             if obj[name]]
    return " · ".join(parts) or "no title or date found"


def show_object(store: Store, doc_id: str) -> dict[str, Any]:
    """The ``vanban show --json`` object of one stored document."""
    from vanban.search.report import date_json, group_references, identity_json

    doc = store.get(doc_id)
    if doc is None:
        raise UserError(f"no document {doc_id!r} in the corpus — list them with "
                        "`vanban list` or search for it")
    entries = group_references(doc.references)
    ref_rows: list[dict[str, Any]] = [
        {"symbol": e.directive.symbol, "name": e.directive.name, "type": e.directive.type,
         "date": e.directive.date, "relation": e.relation, "mentions": len(e.mentions),
         "page": page_at(doc.page_starts, e.mentions[0].start)} for e in entries]
    return {"doc_id": doc.doc_id, "source": doc.source, "title": doc.title, "date": doc.date,
            "title_source": doc.title_source if doc.title else None,
            "date_source": doc.date_source if doc.date else None,
            "url": doc.url, "document": identity_json(doc.identity, doc.date, doc.title),
            "passages": len(doc.passages), "references": ref_rows,
            "dates": [date_json(d) for d in doc.dates], "text": doc.text}


def run_show(doc_id: str, db: str | None, fmt: str) -> None:
    _, store = open_store(db)
    with store:
        obj = show_object(store, doc_id)
    ref_rows = obj["references"]
    if fmt == "json":
        click.echo(dumps(obj))
    elif fmt == "csv":
        emit_csv(ref_rows, ["symbol", "name", "type", "date", "relation", "mentions",
                                     "page"])
    else:
        click.echo(click.style(f"{obj['title'] or obj['doc_id']}", bold=True))
        click.echo(f"id {obj['doc_id']} · {obj['date'] or 'no date'} · {obj['source']}")
        click.echo(_field_sources(obj))
        ident = obj["document"]
        if ident.get("symbol"):
            click.echo(f"{ident.get('type') or 'Văn bản'} số {ident['symbol']}"
                       + (f" · {ident['issuer']}" if ident.get("issuer") else ""))
        click.echo("")
        click.echo(obj["text"])
        click.echo("")
        if ref_rows:
            emit_table([{**r, "symbol": r["symbol"] or r["name"]} for r in ref_rows],
                       ["symbol", "type", "date", "relation", "mentions"])
