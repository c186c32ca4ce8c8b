"""The Python API: one corpus, its answers as objects and pandas DataFrames.

>>> from vanban import Corpus
>>> c = Corpus.open()                          # the bundled sample corpus (or a path)
>>> hits = c.search("công tác dân vận", k=3)
>>> hits[0].doc_id                             # doctest: +SKIP
'bc-58-bdvtu-hatinh-2023'
>>> frame = c.references()                     # one row per reference mention
>>> frame.groupby(["symbol", "doc_year"]).size()   # doctest: +SKIP

Every method answers with the same content as the CLI's ``--json`` output for the same call
(``to_dict()``), prints nothing, and raises ``VanbanError`` with the CLI's message when the
user can fix what went wrong (a missing file, an unknown document, a bad filter).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.corpus.store import Store, StoreError
from vanban.search.commands import UserError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from vanban.search.jobs import IngestSummary

VanbanError = UserError
"""What every user-fixable failure raises; ``str(exc)`` is the CLI's ``Error:`` message."""

_TEXT_FILE_LIMIT = 4096  # a str longer than this, or with a line break, is text, not a path


@dataclass(frozen=True)
class SearchHit:
    """One ranked passage (the ``hits`` objects of ``vanban search --json``)."""

    rank: int
    score: float
    doc_id: str
    title: str | None
    date: str | None
    source: str
    page: int | None
    passage: str
    snippet: str
    directives: tuple[dict[str, Any], ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in _HIT_FIELDS}
        out["directives"] = [dict(d) for d in self.directives]
        return {**out, **self.extra}


_HIT_FIELDS = ("rank", "score", "doc_id", "title", "date", "source", "page", "passage",
               "snippet", "directives")


@dataclass(frozen=True)
class SearchResult(Sequence[SearchHit]):
    """The hits of one query, best first; a sequence of ``SearchHit``."""

    query: str
    hits: tuple[SearchHit, ...]

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: Any) -> Any:
        return self.hits[i]

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "hits": [h.to_dict() for h in self.hits]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per hit; ``directives`` as a list of symbols (or names)."""
        import pandas as pd

        rows = [{**h.to_dict(), "directives": [d.get("symbol") or d.get("name")
                                               for d in h.directives]} for h in self.hits]
        return pd.DataFrame(rows, columns=list(_HIT_FIELDS))


@dataclass(frozen=True)
class Report:
    """What one document relies on: the object of ``vanban refs --json``."""

    data: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.data["source"])

    @property
    def document(self) -> dict[str, Any]:
        return dict(self.data["document"])

    @property
    def references(self) -> list[dict[str, Any]]:
        return list(self.data["references"])

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return list(self.data["warnings"])

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def to_pandas(self) -> pd.DataFrame:
        """One row per directive: symbol or name, type, issuer, date, relation, mentions…"""
        import pandas as pd

        rows = [{**{k: v for k, v in r.items() if k != "mentions"},
                 "mentions": len(r["mentions"]), "source": self.source}
                for r in self.data["references"]]
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class Citations:
    """Every corpus document citing one directive (``vanban cites --json``)."""

    symbol: str
    documents: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "documents": [dict(d) for d in self.documents]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per citing document, with its year and number of mentions."""
        import pandas as pd

        rows = [{**{k: v for k, v in d.items() if k != "mentions"},
                 "year": _year(d.get("date")), "mentions": len(d["mentions"])}
                for d in self.documents]
        return pd.DataFrame(rows)

    def figure(self) -> Figure:
        """A bar chart of the citing documents per year (a matplotlib ``Figure``: shown
        inline in a notebook); needs ``pip install "vanban[plot]"``."""
        from vanban.search import charts

        dated = {d["doc_id"]: d.get("date") for d in self.documents}
        return charts.citations_per_year(self.symbol, charts.years_of(dated.values()))

    def plot(self, path: str | Path) -> None:
        """Write ``figure()`` to ``path`` (.png, .svg or .pdf)."""
        from vanban.search import charts

        charts.save(self.figure(), str(path))

    def by_year(self) -> dict[int | None, int]:
        """Citing documents per year of the citing document (None: undated); a document
        citing two directives of this symbol (twins of two terms) counts once."""
        counts: dict[int | None, int] = {}
        dated = {d["doc_id"]: d.get("date") for d in self.documents}
        for date in dated.values():
            year = _year(date)
            counts[year] = counts.get(year, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


def _year(date: object) -> int | None:
    text = str(date or "")
    return int(text[:4]) if text[:4].isdigit() else None


class Corpus:
    """A vanban corpus: one SQLite store and its BM25 index.

    ``Corpus.open(path)`` opens a store (``create=True`` makes a new one);
    ``Corpus.open()`` takes ``$VANBAN_DB``, else ``./vanban.db``, else the bundled sample
    corpus (built in the cache directory on first use), like the CLI.
    """

    def __init__(self, path: Path, *, sample: bool = False) -> None:
        self.path = path
        self.sample = sample

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = False) -> Corpus:
        """Open a corpus; raises ``VanbanError`` when it does not exist (and not ``create``)."""
        from vanban.search.sample import choose_db, ensure_sample, sample_db_path

        choice = choose_db(None if path is None else str(path), for_writing=create)
        if choice.sample:
            ensure_sample(choice.path)
        try:
            Store(choice.path, create=create).close()
        except StoreError as exc:
            raise VanbanError(str(exc)) from None
        return cls(choice.path, sample=choice.sample
                   or choice.path.resolve() == sample_db_path().resolve())

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store, opened for the duration of a ``with`` block."""
        try:
            store = Store(self.path)
        except StoreError as exc:
            raise VanbanError(str(exc)) from None
        with store:
            yield store

    # -- answers ---------------------------------------------------------------------
    def search(self, query: str, k: int = 10, *, type: str | None = None,
               issuer: str | None = None, date_from: str | None = None,
               date_to: str | None = None, cites: str | None = None,
               group_by_document: bool = True) -> SearchResult:
        """The ``k`` best documents for ``query`` (accents optional, "quoted phrases",
        symbols), each with its best passage (and the next ones in ``extra["more"]``), or
        the ``k`` best passages (``group_by_document=False``); the CLI's filters."""
        from vanban.search.commands import SearchOptions, hit_json, run_query

        date_from, date_to = _check_dates(date_from, date_to)
        opts = SearchOptions(k=k, type=_check_type(type), issuer=issuer, date_from=date_from,
                             date_to=date_to, cites=cites, group_by_document=group_by_document)
        hits = run_query(str(self.path), query, opts)
        return SearchResult(query, tuple(_search_hit(hit_json(h)) for h in hits))

    def refs(self, source: str | Path, *, sort: str = "first") -> list[Report]:
        """What a file or a text relies on: one ``Report`` per document it holds.

        ``source`` is a file when it is a ``Path`` or a one-line str naming a file (or ending
        in a suffix vanban reads: ``"bao-cao.docx"``); any other str is the text itself."""
        from vanban.search.refs import refs_for_path, refs_for_text

        with self.store() as store:
            if not _is_path(source):
                return [Report(o) for o in refs_for_text(str(source), store, sort)]
            try:
                objs = refs_for_path(str(source), store, sort)
            except VanbanError as exc:  # the CLI's line: `Error: PATH: why`
                raise VanbanError(f"{source}: {exc}") from None
        return [Report(o) for o in objs]

    def cites(self, symbol: str) -> Citations:
        """Every corpus document citing ``symbol`` (any spelling), by date."""
        from vanban.search.citations import citing_documents

        with self.store() as store:
            canonical, docs = citing_documents(store, symbol)
        return Citations(canonical, tuple(docs))

    def stats(self, top: int = 20) -> dict[str, Any]:
        """The ``vanban stats --json`` object."""
        from vanban.search.citations import corpus_stats

        with self.store() as store:
            return corpus_stats(self.path, store, top=top)

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document with its references and dates (``vanban show --json``)."""
        from vanban.search.commands import show_object

        with self.store() as store:
            return show_object(store, doc_id)

    # -- tables ----------------------------------------------------------------------
    def documents(self) -> pd.DataFrame:
        """One row per document (see ``vanban.search.tables.DOCUMENTS``)."""
        from vanban.search.tables import documents_frame

        with self.store() as store:
            return documents_frame(store)

    def references(self) -> pd.DataFrame:
        """One row per reference mention, with the citing document's id, date and year."""
        from vanban.search.tables import references_frame

        with self.store() as store:
            return references_frame(store)

    def dates(self) -> pd.DataFrame:
        """One row per date mention, with its document's id."""
        from vanban.search.tables import dates_frame

        with self.store() as store:
            return dates_frame(store)

    def passages(self) -> pd.DataFrame:
        """One row per passage: doc id, ordinal, page, span and text."""
        from vanban.search.tables import passages_frame

        with self.store() as store:
            return passages_frame(store)

    def edges(self) -> pd.DataFrame:
        """The citation graph's edges: citing document → directive (or document)."""
        from vanban.search.tables import edges_frame

        with self.store() as store:
            return edges_frame(store)

    # -- changing the corpus -----------------------------------------------------------
    def ingest(self, paths: str | Path | Iterable[str | Path], *,
               workers: int | None = None, index: bool = True,
               cluster: str | None = None) -> IngestSummary:
        """Add files and folders; bad files are listed in ``summary.failures`` (the batch
        goes on).  The index is rebuilt when anything changed, unless ``index=False``.
        ``cluster`` ("tcp://HOST:8786" or "local:N") reads the files on Dask workers."""
        from vanban.search.commands import ingest_into, open_cluster

        if self.sample:
            raise VanbanError("the bundled sample corpus is read-only — open or create "
                              "your own: Corpus.open('my.db', create=True)")
        items = [paths] if isinstance(paths, str | Path) else list(paths)
        with open_cluster(cluster, False) as dask_cluster:
            summary, _ = ingest_into(self.path, [str(p) for p in items], workers=workers,
                                     index=index, cluster=dask_cluster)
        return summary


def _check_type(value: str | None) -> str | None:
    """The canonical type name ("quyet dinh" → "Quyết định"), as the CLI's --type."""
    from vanban.search.options import resolve_type

    try:
        return None if value is None else resolve_type(value)
    except ValueError as exc:
        raise VanbanError(str(exc)) from None


def _check_dates(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """ISO prefixes of the typed dates (as the CLI's --from/--to take them)."""
    from vanban.search.options import DATE_FORMATS, parse_date

    parsed: list[tuple[str, str, str] | None] = []
    for value in (date_from, date_to):
        if value is None:
            parsed.append(None)
            continue
        try:
            parsed.append(parse_date(value))
        except ValueError:
            raise VanbanError(f"{value!r} is not a date ({DATE_FORMATS})") from None
    first, last = parsed
    if first and last and first[1] > last[2]:
        raise VanbanError(f"--from {first[0]} is after --to {last[0]}")
    return (first[0] if first else None), (last[0] if last else None)


def _search_hit(obj: dict[str, Any]) -> SearchHit:
    known = {k: obj[k] for k in _HIT_FIELDS if k != "directives"}
    extra = {k: v for k, v in obj.items() if k not in _HIT_FIELDS}
    return SearchHit(**known, directives=tuple(obj["directives"]), extra=extra)


def _is_path(source: str | Path) -> bool:
    """A ``Path``; a one-line str naming a file, or ending like a file vanban reads (then a
    missing file is an error, not a text to search)."""
    from vanban.ingest.read.readers import SUPPORTED

    if isinstance(source, Path):
        return True
    if "\n" in source or len(source) > _TEXT_FILE_LIMIT:
        return False
    return Path(source).is_file() or Path(source).suffix.lower() in SUPPORTED
