"""Word files: .docx (paragraphs and tables, in order) and .doc through a converter."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from corpus.model import Page, RawDocument
from ingest.encoding import fix_legacy

MAX_INFLATED = 200 * 1024 * 1024


def read_word(path: Path, *, max_chars: int = 20_000_000) -> RawDocument:
    if path.suffix.lower() == ".doc":
        text = _doc_text(path)
    else:
        text = _docx_text(path)
    if len(text) > max_chars:
        from ingest.readers import ReadError

        raise ReadError(f"{len(text):,} characters, over the {max_chars:,} limit")
    return RawDocument(source=str(path), pages=(Page(None, fix_legacy(text)),))


def _docx_text(path: Path) -> str:
    from ingest.readers import ReadError

    try:
        with zipfile.ZipFile(path) as zf:
            inflated = sum(i.file_size for i in zf.infolist())
            if inflated > MAX_INFLATED:
                raise ReadError(f"inflates to {inflated / 1e6:.0f} MB (a zip bomb?), over the "
                                f"{MAX_INFLATED / 1e6:.0f} MB limit")
            if "word/document.xml" not in zf.namelist():
                raise ReadError("not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise ReadError("not a valid .docx (bad zip archive)") from None
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_lines(block))
        return "\n".join(lines)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"corrupt .docx ({type(exc).__name__}: {exc})") from None


def _table_lines(table: object) -> list[str]:
    """Each table row as lines, cell by cell (two-column headers stay whole)."""
    out: list[str] = []
    rows = getattr(table, "rows", [])
    columns: list[list[str]] = []
    for row in rows:
        seen: set[int] = set()
        for i, cell in enumerate(row.cells):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            while len(columns) <= i:
                columns.append([])
            columns[i].append(cell.text)
    if len(rows) <= 4 and len(columns) == 2:
        # an emblem header: read the left column, then the right one
        for col in columns:
            out.extend(t for t in col if t.strip())
        return out
    for row in rows:
        cells: list[str] = []
        for cell in row.cells:
            if not cells or cell.text != cells[-1]:
                cells.append(cell.text)
        out.append(" | ".join(c.replace("\n", " ") for c in cells))
    return out


def _doc_text(path: Path) -> str:
    from ingest.readers import ReadError

    if shutil.which("antiword"):
        proc = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)],
                              capture_output=True, timeout=120, check=False)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.decode("utf-8", errors="replace")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [office, "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir",
                 tmp, str(path)], capture_output=True, timeout=300, check=False)
            out = Path(tmp) / (path.stem + ".txt")
            if out.exists():
                return out.read_text(encoding="utf-8-sig", errors="replace")
        raise ReadError("LibreOffice could not convert this .doc file")
    if shutil.which("antiword"):
        raise ReadError("antiword could not read this .doc file (corrupt or not Word 97?)")
    raise ReadError("reading .doc needs antiword or LibreOffice: apt-get install antiword")
