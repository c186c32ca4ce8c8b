"""The `vanban` command line: parse options, call the library, format the results."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

# vanban's array work is single-threaded: the pool of BLAS threads numpy's OpenBLAS starts
# with it only costs a one-query process a fifth of its time (set before numpy loads; a
# value the user set is kept)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

from vanban.index.memory import keep_freed_memory
from vanban.search import commands as cmd
from vanban.search import reporting as rep
from vanban.search.options import filter_options
from vanban.search.output import output_options

F = TypeVar("F", bound=Callable[..., Any])
VERSION = "0.1.0"


@dataclass
class Ctx:
    debug: bool = False


def reader_limits(one: str, pdf: str) -> Callable[[F], F]:
    """--max-mb, --max-pages and --max-seconds: what one ``one`` (a file, an upload) may
    cost the readers."""
    def decorate(func: F) -> F:
        for option in reversed([
                click.option("--max-mb", type=click.FloatRange(0.001), default=100.0,
                             show_default=True, help=f"Largest {one} to read, in MB."),
                click.option("--max-pages", type=click.IntRange(1), default=2000,
                             show_default=True, help=f"Most pages to read from one {pdf}."),
                click.option("--max-seconds", type=click.FloatRange(1), default=600.0,
                             show_default=True, help=f"Time limit for reading one {one}.")]):
            func = option(func)
        return func
    return decorate


def db_option(func: F) -> F:
    return click.option(
        "--db", "db", metavar="PATH", envvar=None,
        help="Corpus database (default: $VANBAN_DB, else ./vanban.db, else the bundled "
             "sample corpus).")(func)


@contextmanager
def user_errors(ctx: click.Context) -> Iterator[None]:
    """Expected failures become `Error: …` lines; tracebacks only with --debug."""
    obj = ctx.find_object(Ctx)
    debug = obj.debug if obj is not None else False
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except cmd.UserError as exc:
        if debug:
            raise
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        raise click.ClickException(
            f"{type(exc).__name__}: {exc} — run again with --debug for the details") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="vanban")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Find the directives Vietnamese administrative texts cite, and search them.

    \b
    Example:
      vanban search "công tác dân vận"
      vanban refs bao-cao.docx
    """
    ctx.obj = Ctx(debug=debug)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: the machine's cores).")
@reader_limits(one="file", pdf="PDF")
@click.option("--no-ocr", is_flag=True, help="Do not OCR scanned pages and images.")
@click.option("--no-index", is_flag=True, help="Do not rebuild the index afterwards.")
@click.option("--prune", is_flag=True,
              help="Also remove the stored documents whose file under a PATH folder is gone.")
@click.option("--refresh", "refresh_seconds", type=click.FloatRange(0), default=60.0,
              show_default=True,
              help="During a long batch, rebuild the index every this many seconds (or "
                   "1000 documents) so searches follow; 0: only at the end.")
@click.option("--cluster", metavar="ADDRESS", envvar="VANBAN_CLUSTER", default=None,
              help="Read on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
                   "(N local worker processes); default $VANBAN_CLUSTER. Needs vanban[dask].")
@output_options
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str | None, workers: int | None,
           max_mb: float, max_pages: int, max_seconds: float, no_ocr: bool, no_index: bool,
           prune: bool, refresh_seconds: float, cluster: str | None, fmt: str) -> None:
    """Add files and folders (recursively) to the corpus, then rebuild the index.

    Reads .txt, .md, .html, .pdf (scanned pages are OCR'd), .docx, .doc, images (.jpg,
    .jpeg, .png, .tif, .tiff: OCR) and .jsonl (one {"id", "text", "title"?, "date"?,
    "url"?} object per line).  A bad file is reported on stderr and the batch
    goes on; the exit code is 1 if any file failed or a folder held no file to read.
    A file already stored under another name (moved, renamed) is recognised by its
    content and its stored path updated; --prune removes the documents whose files
    are gone from the folders given.

    \b
    Example:
      vanban ingest reports/ --db reports.db
      vanban ingest --prune reports/ --db reports.db
      vanban ingest archive/ --db archive.db --cluster tcp://10.0.0.5:8786
    """
    with user_errors(ctx):
        failed = cmd.run_ingest(paths, db, workers=workers, max_mb=max_mb,
                                max_pages=max_pages, max_seconds=max_seconds, ocr=not no_ocr,
                                index=not no_index, fmt=fmt,
                                debug=ctx.obj.debug, prune=prune,
                                refresh_seconds=refresh_seconds, cluster=cluster)
    if failed:
        ctx.exit(1)


@cli.command("index")
@db_option
@click.option("--variant", type=click.Choice(["okapi", "lucene", "rank-bm25"]), default=None,
              help="BM25 variant (default: the corpus's, else okapi).")
@click.option("--k1", type=float, default=None,
              help="BM25 k1, a finite number >= 0 (default: the corpus's, else 1.2).")
@click.option("--b", "b", type=float, default=None,
              help="BM25 b, between 0 and 1 (default: the corpus's, else 0.6).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes for word segmentation.")
@output_options
@click.pass_context
def index_cmd(ctx: click.Context, db: str | None, variant: str | None, k1: float | None,
              b: float | None, workers: int | None, fmt: str) -> None:
    """Build the search index from the stored tokens (segmenting new passages first).

    BM25 parameters given here are kept in the corpus: later builds (`ingest`) use them.

    \b
    Example:
      vanban index --db reports.db
    """
    with user_errors(ctx):
        cmd.run_index(db, variant=variant, k1=k1, b=b, workers=workers, fmt=fmt)


@cli.command("search")
@click.argument("query", required=False)
@db_option
@click.option("-k", "k", type=click.IntRange(1, 10000), default=10, show_default=True,
              help="Hits to return (per query).")
@filter_options
@click.option("--cites", metavar="SYMBOL", help="Only documents citing SYMBOL.")
@click.option("--group-by", type=click.Choice(["document", "passage"]), default="document",
              show_default=True,
              help="One entry per document (its best passages under it), or per passage.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              default=None,
              help="Run every `qid<TAB>query` line of FILE ('-' = stdin).")
@click.option("--format", "batch_format", type=click.Choice(["trec", "jsonl"]), default="jsonl",
              show_default=True, help="Output of --queries.")
@output_options
@click.pass_context
def search_cmd(ctx: click.Context, query: str | None, db: str | None, k: int,
               type_: str | None, issuer: str | None, date_from: str | None,
               date_to: str | None, cites: str | None, group_by: str, queries: str | None,
               batch_format: str, fmt: str) -> None:
    """Search the corpus; each hit comes with the directives its passage cites.

    Words may be typed with or without accents; "quoted words" must occur in that
    order; a symbol (25-NQ/TW, 30/2020/NĐ-CP) ranks the passages citing it first.

    \b
    Example:
      vanban search "công tác dân vận"
      vanban search 'nghi quyet "dan van kheo"' -k 5 --json
      vanban search --queries questions.tsv --format trec -k 100
    """
    with user_errors(ctx):
        opts = cmd.SearchOptions(k=k, type=type_, issuer=issuer, date_from=date_from,
                                 date_to=date_to, cites=cites,
                                 group_by_document=group_by == "document")
        if queries:
            keep_freed_memory()   # score arrays reused from one query to the next
            if cmd.run_batch(queries, db, opts, batch_format):
                ctx.exit(1)
        else:
            if query is None or not query.strip():
                raise click.UsageError("give a QUERY (or --queries FILE)")
            cmd.run_search(query, db, opts, fmt)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@click.option("--sort", type=click.Choice(["first", "mentions"]), default="first",
              show_default=True, help="Order: first appearance, or most mentioned first.")
@click.option("--xlsx", "xlsx", metavar="FILE", type=click.Path(dir_okay=False),
              help='Also write an Excel workbook (needs pip install "vanban[xlsx]").')
@output_options
@click.pass_context
def refs(ctx: click.Context, paths: tuple[str, ...], db: str | None, sort: str,
         xlsx: str | None, fmt: str) -> None:
    """List the directives each file relies on ('-' reads stdin): .txt, .pdf, .docx…

    One row per directive, in order of first appearance: symbol or name, type, issuer,
    date, title, relation (căn cứ, thực hiện, sửa đổi, thay thế, bãi bỏ, hướng dẫn,
    nhắc đến), mentions (short forms included), page of the first mention, pinpoints
    (Điều/khoản/điểm).  The file's own number and date head it.  With a corpus database
    (--db, $VANBAN_DB or ./vanban.db) it says which directives the corpus holds and which
    a corpus document replaced.  Warnings (two dates for one symbol, unresolved short
    forms, local symbols without locality, replaced directives, malformed symbols) go to
    stderr and into the JSON.

    \b
    Example:
      vanban refs bao-cao.docx
      vanban refs du-thao.pdf ke-hoach.docx --db vanban.db --xlsx dan-chieu.xlsx
      echo "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020" | vanban refs - --json
    """
    with user_errors(ctx):
        failed = rep.run_refs(paths, db, fmt, sort=sort, xlsx=xlsx, debug=ctx.obj.debug)
    if failed:
        ctx.exit(1)


def _plot_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.lower().endswith((".png", ".svg", ".pdf")):
        raise click.BadParameter(f"{value!r}: a plot is written as .png, .svg or .pdf",
                                 ctx=ctx, param=param)
    return value


def plot_option(what: str) -> Callable[[F], F]:
    return click.option("--plot", metavar="FILE", callback=_plot_path,
                        help=f"Also draw {what} into FILE (.png, .svg or .pdf; needs "
                             'pip install "vanban[plot]").')


@cli.command()
@click.argument("symbol")
@db_option
@output_options
@plot_option("the citations per year")
@click.pass_context
def cites(ctx: click.Context, symbol: str, db: str | None, fmt: str,
          plot: str | None) -> None:
    """Every corpus document citing SYMBOL (any spelling: 76/nq-cp, Nghị quyết 76/NQ-CP,
    nq 25/tw…) or a directive's name (accents optional), with its date, relation, page and
    sentence, and counts by year.

    \b
    Example:
      vanban cites 25-NQ/TW
      vanban cites "nghị định 30/2020/nđ-cp" --json
      vanban cites 25-NQ/TW --plot 25-nq-tw.png
    """
    with user_errors(ctx):
        rep.run_cites(symbol, db, fmt, plot=plot)


@cli.command("graph")
@db_option
@click.option("--format", "graph_format", type=click.Choice(["csv", "graphml"]),
              default="csv", show_default=True,
              help="csv: the edge list (add --nodes FILE for the node table); graphml.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE instead of stdout.")
@click.option("--nodes", "nodes_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="With --format csv: also write the node table to FILE.")
@click.option("--plot", metavar="FILE", callback=_plot_path,
              help="Draw the graph into FILE (.png, .svg or .pdf) instead of writing it "
                   '(small graphs; needs pip install "vanban[plot]").')
@click.pass_context
def graph_cmd(ctx: click.Context, db: str | None, graph_format: str, output: str | None,
              nodes_file: str | None, plot: str | None) -> None:
    """The corpus citation graph: documents and directives as nodes; mentions as edges
    (relation, date of the citing document, count), and "changes" edges from a directive
    to the one it replaced or amended.

    \b
    Example:
      vanban graph --format graphml -o citations.graphml
      vanban graph --format csv -o edges.csv --nodes nodes.csv
      vanban graph --plot citations.png
    """
    with user_errors(ctx):
        if nodes_file and graph_format != "csv":
            raise click.UsageError("--nodes goes with --format csv (GraphML holds the nodes)")
        rep.run_graph(db, graph_format, output, nodes_file, plot=plot)


@cli.command("list")
@db_option
@filter_options
@click.option("--source", "source", metavar="GLOB",
              help="Only documents whose file matches GLOB ('*.pdf', 'reports/2023/*').")
@output_options
@click.pass_context
def list_cmd(ctx: click.Context, db: str | None, type_: str | None, issuer: str | None,
             date_from: str | None, date_to: str | None, source: str | None,
             fmt: str) -> None:
    """List the corpus documents: doc id, date, type, pages, references (mentions and
    distinct directives), title and source file.

    \b
    Example:
      vanban list --type "quyet dinh" --from 2020
      vanban list --source '*.pdf' --csv
    """
    from vanban.corpus.filters import DocumentFilter
    from vanban.search.housekeeping import run_list

    with user_errors(ctx):
        run_list(db, DocumentFilter(type=type_, issuer=issuer, date_from=date_from,
                                    date_to=date_to, source=source), fmt)


@cli.command("rm")
@click.argument("doc_ids", nargs=-1, required=True, metavar="DOC_ID...")
@db_option
@click.option("--no-index", is_flag=True, help="Do not rebuild the index afterwards.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes for the index rebuild.")
@click.pass_context
def rm_cmd(ctx: click.Context, doc_ids: tuple[str, ...], db: str | None, no_index: bool,
           workers: int | None) -> None:
    """Remove documents (with their passages, references and dates) by doc id, then
    rebuild the index.  An unknown id is reported; the others are still removed.

    \b
    Example:
      vanban rm qd-1968-ubnd-phutho-2018 --db reports.db
    """
    from vanban.search.housekeeping import run_rm

    with user_errors(ctx):
        failed = run_rm(doc_ids, db, index=not no_index, workers=workers)
    if failed:
        ctx.exit(1)


@cli.command()
@click.argument("doc_id")
@db_option
@output_options
@click.pass_context
def show(ctx: click.Context, doc_id: str, db: str | None, fmt: str) -> None:
    """Show one document: its identity, text, references and dates.

    \b
    Example:
      vanban show bacninh-dan-van-kheo-2018
    """
    with user_errors(ctx):
        cmd.run_show(doc_id, db, fmt)


@cli.command()
@db_option
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Most-cited directives to list (per year: at most 5).")
@output_options
@plot_option("the documents per year and type and the most-cited directives")
@click.pass_context
def stats(ctx: click.Context, db: str | None, top: int, fmt: str, plot: str | None) -> None:
    """Corpus size, index state, the most-cited directives (overall and by year) and the
    documents by type and year.

    \b
    Example:
      vanban stats --json
      vanban stats --plot corpus.png
    """
    with user_errors(ctx):
        rep.run_stats(db, fmt, top, plot=plot)


@cli.command()
@click.argument("out", metavar="DIR")
@db_option
@click.option("--format", "export_format", type=click.Choice(["parquet", "csv"]),
              default="parquet", show_default=True, help="File format of the tables.")
@click.pass_context
def export(ctx: click.Context, out: str, db: str | None, export_format: str) -> None:
    """Write the corpus tables (documents, passages, references, dates, citation edges) to
    DIR as Parquet (pandas, DuckDB, Spark) or CSV files; the schema is in the README.

    \b
    Example:
      vanban export tables/ --db reports.db
      vanban export tables/ --format csv
    """
    from pathlib import Path

    from vanban.search.tables import ExportError, export_tables

    with user_errors(ctx):
        _, store = cmd.open_store(db)
        with store:
            try:
                written = export_tables(store, Path(out), export_format)
            except ExportError as exc:
                raise cmd.UserError(str(exc)) from None
        for target, rows in written.values():
            cmd.err(f"wrote {target} ({rows} rows)")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (another than 127.0.0.1 opens it to the network: "
                   "set --token).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@reader_limits(one="upload", pdf="uploaded PDF")
@click.option("--no-ocr", is_flag=True, help="Do not OCR scanned uploads.")
@click.option("--token", envvar="VANBAN_TOKEN", metavar="TOKEN", default=None,
              help="Require TOKEN on every request (default: $VANBAN_TOKEN).")
@click.option("--allow-ingest", is_flag=True,
              help="Offer to add an uploaded report to the corpus.")
@click.option("--workers", type=click.IntRange(0, 16), default=1, show_default=True,
              help="Processes reading uploads, per server process (0: threads).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes answering requests (more use more cores).")
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, max_mb: float,
          max_pages: int, max_seconds: float, no_ocr: bool, token: str | None,
          allow_ingest: bool, workers: int, processes: int) -> None:
    """Serve the staff's pages: drop a report and see the directives it relies on; search
    the corpus; documents, directives and corpus charts; the same answers as JSON (/api,
    described at /docs).  Needs pip install "vanban[web]".

    \b
    Example:
      vanban serve --db vanban.db            # then open http://127.0.0.1:8000
      VANBAN_TOKEN=… vanban serve --host 0.0.0.0 --port 8080
    """
    with user_errors(ctx):
        from vanban.search.web.serve import run_server

        run_server(db, host=host, port=port, max_mb=max_mb, max_pages=max_pages,
                   max_seconds=max_seconds, ocr=not no_ocr, token=token or None,
                   allow_ingest=allow_ingest, workers=workers, processes=processes)


def main() -> None:
    cli(prog_name="vanban")


if __name__ == "__main__":
    main()
