"""Plots where people would rather look than read: cites, stats and graph --plot."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vanban import Corpus, VanbanError
from vanban.search.cli import cli

pytest.importorskip("matplotlib")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize("args", [
    ("cites", "45/2020/NĐ-CP"), ("cites", "nghị định 61/2018"), ("stats",), ("graph",),
])
@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_each_plot_is_written(sample_db: Path, tmp_path: Path, args: tuple[str, ...],
                              suffix: str) -> None:
    out = tmp_path / f"plot.{suffix}"
    code, err = run(*args, "--db", str(sample_db), "--plot", str(out))
    assert code == 0, err
    assert f"wrote {out}" in err
    data = out.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and 5_000 < len(data) < 3_000_000
    else:
        assert b"<svg" in data[:2000] and len(data) < 5_000_000


def test_graph_plot_replaces_the_edge_list(sample_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["graph", "--db", str(sample_db), "--plot",
                                      str(tmp_path / "g.png")])
    assert result.exit_code == 0 and result.stdout == ""


def test_a_plot_name_must_say_its_format(sample_db: Path, tmp_path: Path) -> None:
    code, err = run("stats", "--db", str(sample_db), "--plot", str(tmp_path / "s.txt"))
    assert code == 2 and "a plot is written as .png, .svg or .pdf" in err


def test_an_unwritable_plot_is_an_error_line(sample_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "c.png"
    code, err = run("cites", "25-NQ/TW", "--db", str(sample_db), "--plot", str(target))
    assert code == 1 and err.splitlines()[-1].startswith(f"Error: {target}:")


def test_vietnamese_titles_and_labels(sample_db: Path) -> None:
    from matplotlib.patches import Rectangle

    from vanban.search import charts

    fig = Corpus.open(sample_db).cites("45/2020/NĐ-CP").figure()
    [ax] = fig.axes
    assert ax.get_title(loc="left") == "Số văn bản trích dẫn 45/2020/NĐ-CP theo năm"
    assert ax.get_xlabel() == "năm ban hành của văn bản trích dẫn"
    heights = [int(p.get_height()) for p in ax.patches if isinstance(p, Rectangle)]
    assert sum(heights) == len({d["doc_id"] for d in
                                Corpus.open(sample_db).cites("45/2020/NĐ-CP").documents})
    import matplotlib
    from matplotlib.font_manager import FontProperties, findfont

    charts.citations_per_year("x", {})
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
    assert "DejaVuSans" in findfont(FontProperties(family="DejaVu Sans"))  # has the glyphs


def test_a_large_graph_is_refused_with_a_way_out() -> None:
    from vanban.search import charts

    nodes = {f"doc:{i}": {"kind": "document", "label": str(i)} for i in range(500)}
    with pytest.raises(VanbanError, match="graphml"):
        charts.citation_graph(nodes, [])


def test_without_matplotlib_the_extra_is_named(sample_db: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[..., Any] = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    code, err = run("stats", "--db", str(sample_db), "--plot", str(tmp_path / "s.png"))
    assert code == 1 and 'pip install "vanban[plot]"' in err


def test_without_networkx_the_extra_is_named(sample_db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[..., Any] = builtins.__import__

    def no_networkx(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("networkx"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_networkx)
    code, err = run("graph", "--db", str(sample_db), "--plot", str(tmp_path / "g.png"))
    assert code == 1 and err.count("Error:") == 1
    assert 'networkx, which is not installed — pip install "vanban[plot]"' in err, err
