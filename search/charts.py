"""Charts of the corpus (matplotlib, the optional extra `vanban[plot]`), in Vietnamese.

Each chart function takes what the `cites` or `stats` answers hold and returns a matplotlib
``Figure``; ``to_svg`` and ``to_png`` render one.  Figures are built without pyplot (no
global state, safe in server threads) and written in DejaVu Sans, which has every
Vietnamese letter.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from vanban.search.commands import UserError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["INSTALL_HINT", "citation_graph", "citations_per_year", "documents_per_year",
           "most_cited", "save", "stats_overview", "to_png", "to_svg", "years_of"]

INSTALL_HINT = 'pip install "vanban[plot]"'
_COLORS = ["#1f5f8b", "#d9822b", "#3a8f5c", "#b03a48", "#6b5b95", "#8c6d31", "#4a90a4",
           "#a05195", "#7a7a7a"]


def _figure(width: float = 7.0, height: float = 3.2) -> Figure:
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise UserError(f"charts need matplotlib, which is not installed — {INSTALL_HINT}"
                        ) from None
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "vanban"
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def years_of(dates: Iterable[str | None]) -> dict[str, int]:
    """Counts by year ("2019") of ISO dates; undated ones are left out."""
    counts = Counter(d[:4] for d in dates if d and d[:4].isdigit())
    return dict(sorted(counts.items()))


def _year_axis(years: Sequence[str]) -> list[str]:
    """Every year from the first to the last, so gaps show as empty bars."""
    if not years:
        return []
    first, last = int(years[0]), int(years[-1])
    return [str(y) for y in range(first, last + 1)]


def _style(ax: Any, title: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_ylabel(ylabel, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.set_major_locator(_integers())
    ax.tick_params(labelsize=8)


def _integers() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#666",
            transform=ax.transAxes)
    ax.set_axis_off()


def citations_per_year(symbol: str, counts: Mapping[str, int]) -> Figure:
    """Bars of the corpus documents citing ``symbol``, by year of the citing document."""
    fig = _figure()
    ax = fig.add_subplot()
    title = f"Số văn bản trích dẫn {symbol} theo năm"
    if not counts:
        ax.set_title(title, fontsize=11, loc="left")
        _empty(ax, "Chưa có văn bản nào có ngày")
        return fig
    years = _year_axis(sorted(counts))
    ax.bar(years, [counts.get(y, 0) for y in years], color=_COLORS[0])
    _style(ax, title, "văn bản")
    ax.set_xlabel("năm ban hành của văn bản trích dẫn", fontsize=9)
    _thin_ticks(ax, years)
    return fig


def documents_per_year(by_type_year: Sequence[Mapping[str, Any]], top_types: int = 6
                       ) -> Figure:
    """Stacked bars of the corpus documents by year, one colour per type (the
    ``by_type_year`` rows of `vanban stats --json`; the rarest types as "Khác")."""
    fig = _figure()
    _documents_per_year(fig.add_subplot(), by_type_year, top_types)
    return fig


def _documents_per_year(ax: Any, by_type_year: Sequence[Mapping[str, Any]],
                        top_types: int) -> None:
    title = "Số văn bản theo năm và loại"
    rows = [r for r in by_type_year if str(r["year"]).isdigit()]
    if not rows:
        ax.set_title(title, fontsize=11, loc="left")
        _empty(ax, "Chưa có văn bản nào có ngày")
        return
    totals: Counter[str] = Counter()
    for r in rows:
        totals[_type_label(r["type"])] += int(r["documents"])
    kept = [t for t, _ in totals.most_common(top_types)]
    years = _year_axis(sorted({str(r["year"]) for r in rows}))
    table: dict[str, Counter[str]] = {}
    for r in rows:
        label = _type_label(r["type"])
        table.setdefault(label if label in kept else "Khác", Counter())[str(r["year"])] += \
            int(r["documents"])
    bottom = [0] * len(years)
    for i, label in enumerate([*kept, "Khác"] if "Khác" in table else kept):
        values = [table[label].get(y, 0) for y in years]
        ax.bar(years, values, bottom=bottom, label=label, color=_COLORS[i % len(_COLORS)])
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    _style(ax, title, "văn bản")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _thin_ticks(ax, years)


def _type_label(value: Any) -> str:
    text = str(value)
    return "Không rõ loại" if text == "(unknown)" else text


def most_cited(rows: Sequence[Mapping[str, Any]], top: int = 10) -> Figure:
    """Horizontal bars of the most-cited directives (the ``most_cited`` rows of `vanban
    stats --json`): documents citing each."""
    rows = list(rows)[:top]
    fig = _figure(7.0, 0.9 + 0.32 * max(len(rows), 1))
    _most_cited(fig.add_subplot(), rows)
    return fig


def _most_cited(ax: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    title = "Văn bản được trích dẫn nhiều nhất"
    if not rows:
        ax.set_title(title, fontsize=11, loc="left")
        _empty(ax, "Chưa có trích dẫn nào")
        return
    labels = [_short(str(r["symbol"] or r["name"] or "?")) for r in rows][::-1]
    ax.barh(labels, [int(r["documents"]) for r in rows][::-1], color=_COLORS[0])
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel("số văn bản trích dẫn", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(_integers())
    ax.tick_params(labelsize=8)


def stats_overview(stats: Mapping[str, Any], top: int = 10) -> Figure:
    """The `vanban stats` answer in one figure: documents per year and type above, the
    most-cited directives below."""
    rows = list(stats["most_cited"])[:top]
    fig = _figure(7.0, 3.2 + 0.9 + 0.32 * max(len(rows), 1))
    parts: Any = fig.subfigures(2, 1, height_ratios=[3.2, 0.9 + 0.32 * max(len(rows), 1)])
    upper, lower = parts[0], parts[1]
    _documents_per_year(upper.add_subplot(), stats["by_type_year"], 6)
    _most_cited(lower.add_subplot(), rows)
    return fig


GRAPH_LIMIT = 400  # nodes a drawing stays readable with; larger graphs go to graph tools


def citation_graph(nodes: Mapping[str, Mapping[str, Any]],
                   edges: Sequence[tuple[str, str]]) -> Figure:
    """The citation graph drawn: documents of the corpus (blue) pointing to the directives
    they cite (orange), the most-cited labelled.  ``nodes``: id → attributes with ``kind``
    and ``label``; for graphs up to ``GRAPH_LIMIT`` nodes."""
    try:
        import networkx as nx
    except ImportError:
        raise UserError(f"drawing the graph needs networkx, which is not installed — "
                        f"{INSTALL_HINT}") from None

    if len(nodes) > GRAPH_LIMIT:
        raise UserError(f"the graph has {len(nodes)} nodes, too many to draw readably (at most "
                        f"{GRAPH_LIMIT}) — write it with `vanban graph --format graphml` for "
                        "Gephi or Cytoscape")
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a in nodes and b in nodes)
    fig = _figure(9.0, 7.0)
    ax = fig.add_subplot()
    ax.set_title("Mạng trích dẫn: văn bản → văn bản được trích dẫn", fontsize=11, loc="left")
    ax.set_axis_off()
    if not graph:
        _empty(ax, "Chưa có văn bản nào")
        return fig
    pos = nx.spring_layout(graph, seed=7, k=1.5 / max(1, len(graph)) ** 0.5)
    cited = dict(graph.in_degree())
    colours = [_COLORS[1] if nodes[n].get("kind") == "directive" or cited[n] else _COLORS[0]
               for n in graph]
    sizes = [30 + 40 * cited[n] for n in graph]
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.25, arrowsize=6, width=0.6,
                           node_size=sizes)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=sizes,
                           linewidths=0)
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color=c, label=label)
                       for c, label in ((_COLORS[0], "văn bản trong kho"),
                                        (_COLORS[1], "văn bản được trích dẫn"))],
              fontsize=8, frameon=False, loc="lower left")
    top = sorted(graph, key=lambda n: -cited[n])[:15]
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7, font_family="DejaVu Sans",
                            labels={n: _short(str(nodes[n].get("label") or n), 24)
                                    for n in top if cited[n]})
    return fig


def save(fig: Figure, path: str) -> None:
    """Write ``fig`` to ``path`` as PNG, SVG or PDF (by its suffix)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in {"png", "svg", "pdf"}:
        raise UserError(f"{path}: a plot is written as .png, .svg or .pdf")
    try:
        fig.savefig(path, format=suffix, dpi=120, metadata={"Date": None}
                    if suffix == "svg" else None)
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from None


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _thin_ticks(ax: Any, years: Sequence[str], most: int = 16) -> None:
    step = max(1, -(-len(years) // most))
    ax.set_xticks(range(0, len(years), step), [years[i] for i in range(0, len(years), step)])


def to_svg(fig: Figure) -> str:
    """The figure as an SVG document (text drawn as paths: no font needed to view it)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def to_png(fig: Figure, dpi: int = 120) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
