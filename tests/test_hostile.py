"""Hostile and broken input, through `vanban ingest`: each bad file is one `Error: PATH: why`
line on stderr, the batch goes on, the good files are stored, memory stays bounded."""

from __future__ import annotations

import json
import os
import random
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_pdf import three_page_decision
from vanban.ingest.read.limits import Limits, ReadError
from vanban.ingest.read.readers import read_path
from vanban.search.cli import cli

GOOD = ("Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, "
        "các phòng, ban đã chuẩn hóa thể thức văn bản hành chính.\n")
MB = 1024 * 1024


def ingest(*args: str) -> tuple[int, str, str]:
    """`vanban ingest ARGS --no-index` (the index is not what these tests are about)."""
    result = CliRunner().invoke(cli, ["ingest", *args, "--no-index"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def stored(db: Path) -> int:
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), "--json"])
    count: int = json.loads(result.stdout)["documents"]
    return count


def random_bytes(n: int, seed: int = 5) -> bytes:
    return random.Random(seed).randbytes(n)


def zip_bomb(path: Path, inflated_mb: int = 300) -> Path:
    """A .docx whose document.xml inflates to ``inflated_mb`` MB of blanks (~1 MB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * MB
            for _ in range(inflated_mb):
                fh.write(chunk)
    return path


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<html><body><p>&lol9;&lol9;&lol9;&lol9;</p><p>{good}</p></body></html>"""


def laughs_docx(path: Path) -> Path:
    """A .docx whose document.xml declares nested entities (the "billion laughs")."""
    import docx

    document = docx.Document()
    document.add_paragraph("placeholder")
    document.add_paragraph(GOOD.strip())
    document.save(str(path))
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    head, _, rest = xml.partition("?>")
    dtd = LAUGHS.split("<html>")[0].split("?>")[1]
    parts["word/document.xml"] = (head + "?>" + dtd + rest.replace("placeholder", "&lol9;")
                                  ).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


@pytest.fixture()
def batch(tmp_path: Path) -> dict[str, Path]:
    """One good file and one of every kind of bad file (the tests make them all)."""
    folder = tmp_path / "in"
    folder.mkdir()
    full = three_page_decision(tmp_path / "full.pdf").read_bytes()
    files: dict[str, Path] = {"good": folder / "tot.txt"}
    files["good"].write_text(GOOD, encoding="utf-8")
    files["corrupt_pdf"] = folder / "hong.pdf"
    files["corrupt_pdf"].write_bytes(b"%PDF-1.7\n" + random_bytes(4000) + b"\n%%EOF\n")
    files["truncated_pdf"] = folder / "cut.pdf"
    files["truncated_pdf"].write_bytes(full[: len(full) // 2])
    files["not_pdf"] = folder / "fake.pdf"
    files["not_pdf"].write_text("<html>not a pdf</html>", encoding="utf-8")
    from tests.test_pdf import make_pdf

    files["encrypted_pdf"] = make_pdf(folder / "khoa.pdf", [[(20, 20, "Bí mật")]], password="x")
    files["zip_bomb"] = zip_bomb(folder / "bom.docx")
    files["bad_docx"] = folder / "hong.docx"
    files["bad_docx"].write_bytes(random_bytes(3000))
    files["bad_doc"] = folder / "hong.doc"
    files["bad_doc"].write_bytes(random_bytes(3000))
    files["random_txt"] = folder / "rac.txt"
    files["random_txt"].write_bytes(random_bytes(50_000))
    files["empty"] = folder / "rong.txt"
    files["empty"].write_bytes(b"")
    files["blank"] = folder / "trang.md"
    files["blank"].write_bytes(b" \n\t\n")
    files["laughs_html"] = folder / "cuoi.html"
    files["laughs_html"].write_text(LAUGHS.format(good=GOOD), encoding="utf-8")
    files["laughs_docx"] = laughs_docx(folder / "cuoi.docx")
    return files


EXPECTED = {  # file → the reason on its error line (None: read and stored)
    "good": None,
    "corrupt_pdf": "not a readable PDF (corrupt file)",
    "truncated_pdf": "truncated PDF (the file ends early",
    "not_pdf": "not a PDF (no %PDF header",
    "encrypted_pdf": "encrypted PDF (password protected)",
    "zip_bomb": "inflates to 300 MB (a zip bomb?), over the 200 MB limit",
    "bad_docx": "not a valid .docx (not a zip archive; truncated or corrupt?)",
    "bad_doc": "not a Word 97-2003 document",
    "random_txt": "binary data, not text",
    "empty": "empty file",
    "blank": "empty file (only blanks)",
    "laughs_html": None,
    "laughs_docx": None,
}


def test_every_bad_file_is_one_error_line_and_the_batch_goes_on(
        batch: dict[str, Path], tmp_path: Path) -> None:
    import shutil

    if not shutil.which("antiword") and not shutil.which("soffice"):
        EXPECTED["bad_doc"] = "reading .doc needs antiword or LibreOffice"
    db = tmp_path / "c.db"
    code, out, err = ingest(str(batch["good"].parent), "--db", str(db))
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    for name, why in EXPECTED.items():
        lines = [e for e in errors if e.startswith(f"Error: {batch[name]}: ")]
        if why is None:
            assert lines == [], name
        else:
            assert len(lines) == 1 and why in lines[0], (name, lines)
    failed = sum(1 for why in EXPECTED.values() if why)
    assert len(errors) == failed
    assert f"{failed} failed" in err
    assert stored(db) == 3  # the good text, and both "billion laughs" files, unexpanded
    code, out, _ = ingest(str(batch["good"]), "--db", str(db))
    assert code == 0  # nothing stored was lost, and the good file is unchanged


def test_nested_entities_are_never_expanded(batch: dict[str, Path]) -> None:
    for name in ("laughs_html", "laughs_docx"):
        doc = next(read_path(batch[name]))
        text = "\n".join(p.text for p in doc.pages)
        assert len(text) < 2000 and "lollol" not in text


def test_huge_single_line_text_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "mot-dong.txt"
    with big.open("wb") as fh:
        chunk = b"x" * MB
        for _ in range(200):
            fh.write(chunk)
    db = tmp_path / "c.db"
    tracemalloc.start()
    try:
        code, _, err = ingest(str(big), "--db", str(db), "--workers", "1")
        assert code == 1
        assert f"Error: {big}: file is 200 MB, over the 100 MB limit (raise it with --max-mb)" \
            in err
        # a raised size limit still meets the character limit before the file is read
        code, _, err = ingest(str(big), "--db", str(db), "--workers", "1", "--max-mb", "300")
        assert code == 1
        assert f"Error: {big}: file is 200 MB: over the 20,000,000 character limit" in err
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * MB


def test_file_removed_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vanban.search import jobs

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        path.write_text(GOOD, encoding="utf-8")
    from vanban.ingest.pipeline import read_documents as real

    def vanishing(path: Path, limits: Limits | None = None) -> Iterator[object]:
        if path == second:
            second.unlink()  # listed, then removed before it is read
        return real(path, limits)

    monkeypatch.setattr(jobs, "read_documents", vanishing)
    db = tmp_path / "c.db"
    code, _, err = ingest(str(first), str(second), "--db", str(db), "--workers", "1")
    assert code == 1
    assert f"Error: {second}: no such file (removed or moved?)" in err
    assert stored(db) == 1


def _deny(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No read permission on ``path``: for real unless root (root reads anything), else
    simulated where Python opens files."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    real_open: Callable[..., object] = Path.open

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)


def test_unreadable_file_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("khoa.txt", "khoa.pdf", "khoa.docx"):
        path = tmp_path / name
        path.write_text(GOOD, encoding="utf-8")
        _deny(path, monkeypatch)
        with pytest.raises(ReadError, match="permission denied"):
            next(read_path(path))


def test_unreadable_file_in_a_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked, good = tmp_path / "khoa.txt", tmp_path / "tot.txt"
    for path in (locked, good):
        path.write_text(GOOD, encoding="utf-8")
    _deny(locked, monkeypatch)
    db = tmp_path / "c.db"
    code, _, err = ingest(str(locked), str(good), "--db", str(db), "--workers", "1")
    assert code == 1
    assert f"Error: {locked}: permission denied (the file is not readable)" in err
    assert stored(db) == 1


def test_limits_from_the_command_line(tmp_path: Path) -> None:
    pdf = three_page_decision(tmp_path / "qd.pdf")
    text = tmp_path / "dai.txt"
    text.write_text(GOOD * 300, encoding="utf-8")  # 50 kB
    db = tmp_path / "c.db"
    code, _, err = ingest(str(pdf), str(text), "--db", str(db), "--max-pages", "2",
                          "--max-mb", "0.03")
    assert code == 1
    assert f"Error: {pdf}: 3 pages, over the 2 page limit (raise it with --max-pages)" in err
    assert f"Error: {text}: file is 0.053 MB, over the 0.03 MB limit (raise it with --max-mb)" \
        in err
    code, _, err = ingest(str(pdf), str(text), "--db", str(db))
    assert code == 0, err
    assert stored(db) == 2


def test_defaults_and_the_time_limit(tmp_path: Path) -> None:
    limits = Limits()
    assert (limits.max_bytes, limits.max_pages, limits.max_seconds) == (100 * MB, 2000, 600.0)
    pdf = three_page_decision(tmp_path / "qd.pdf")
    with pytest.raises(ReadError, match=r"took over 0 s, the per-file time limit"):
        next(read_path(pdf, Limits(max_seconds=0)))
    doc = tmp_path / "a.doc"
    doc.write_bytes(random_bytes(100))
    with pytest.raises(ReadError):
        next(read_path(doc, Limits(max_seconds=0)))


def test_a_directory_named_like_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "la-thu-muc.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="is a directory"):
        next(read_path(folder))
