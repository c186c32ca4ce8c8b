"""Word files: .docx (paragraphs and tables, in order) and .doc (Word 97) through antiword
or LibreOffice; text in the legacy TCVN3/VNI font encodings converted to Unicode."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from vanban.corpus.model import Page, RawDocument
from vanban.ingest.read.fonts import fix_legacy_parts
from vanban.ingest.read.layout import Segment, page_text, visual_lines
from vanban.ingest.read.limits import Deadline, Limits, ReadError, past_day, usable_title

MAX_INFLATED = 200 * 1024 * 1024  # bytes a .docx may inflate to
MAX_MEMBERS = 10_000
DOC_TOOLS = "reading .doc needs antiword or LibreOffice: apt-get install antiword"


def read_word(path: Path, limits: Limits | None = None,
              deadline: Deadline | None = None) -> RawDocument:
    limits = limits or Limits()
    deadline = deadline or Deadline(limits.max_seconds)
    title = date = None
    if path.suffix.lower() == ".doc":
        text = _grid_text(_fixed_lines(_doc_text(path, deadline)))
    else:
        raw_text, title, date = _docx_text(path, limits)
        text = _fixed_lines(raw_text)
    if not text.strip():
        raise ReadError("no text in this Word file")
    if len(text) > limits.max_chars:
        raise ReadError(f"{len(text):,} characters, over the {limits.max_chars:,} limit")
    return RawDocument(source=str(path), pages=(Page(None, text),), title=title, date=date,
                       title_source="docx_properties" if title else None,
                       date_source="docx_properties" if date else None)


def _fixed_lines(text: str) -> str:
    return "\n".join(fix_legacy_parts(text.split("\n")))


# -- .docx ------------------------------------------------------------------------------

def _docx_text(path: Path, limits: Limits) -> tuple[str, str | None, str | None]:
    """The text of a .docx, and the title and creation date of its core properties."""
    _check_zip(path, limits)
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
        title, date = _core_properties(document)
        return "\n".join(lines), title, date
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("out of memory reading the .docx") from None
    except Exception as exc:  # python-docx and lxml raise many types on broken files
        raise ReadError(f"corrupt .docx ({type(exc).__name__}: {exc})") from None


def _core_properties(document: Any) -> tuple[str | None, str | None]:
    """(title, creation day) from docProps/core.xml, when set and usable."""
    try:
        props = document.core_properties
        title, created = props.title, props.created
    except Exception:  # a broken core.xml loses the metadata, never the text
        return None, None
    day = past_day(str(created.year), str(created.month), str(created.day)) if created else None
    return usable_title(title), day


def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse archives that inflate too much (zip bombs) before anything is inflated.

    zipfile never inflates a member past its declared size, so the declared sizes
    bound the memory python-docx can use."""
    cap = max(MAX_INFLATED, 2 * limits.max_bytes)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ReadError(f"{len(infos):,} parts in the archive (a zip bomb?)")
            inflated = sum(i.file_size for i in infos)
            if inflated > cap:
                raise ReadError(f"inflates to {inflated >> 20} MB (a zip bomb?), over the "
                                f"{cap >> 20} MB limit")
            if "word/document.xml" not in zf.namelist():
                raise ReadError("not a Word document (no word/document.xml)")
            if any(i.flag_bits & 0x1 for i in infos):
                raise ReadError("encrypted .docx (password protected)")
    except zipfile.BadZipFile:
        raise ReadError(_not_zip(path)) from None
    except (OSError, EOFError, ValueError) as exc:
        raise ReadError(f"not a valid .docx ({exc})") from None


def _not_zip(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an encrypted or old-format Word file named .docx (save it as .docx again)"
    return "not a valid .docx (not a zip archive; truncated or corrupt?)"


def _table_lines(table: Any) -> list[str]:
    """Each row as one line, cells joined by ' | '; a two-column table of a few rows
    (the emblem header, the signature block) is read column by column."""
    rows = list(table.rows)
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
    if len(rows) <= 6 and len(columns) == 2:
        return [t for col in columns for t in col if t.strip()]
    out: list[str] = []
    for row in rows:
        cells: list[str] = []
        for cell in row.cells:
            if not cells or cell.text != cells[-1]:
                cells.append(cell.text)
        out.append(" | ".join(c.replace("\n", " ") for c in cells))
    return out


# -- .doc -------------------------------------------------------------------------------

def _doc_text(path: Path, deadline: Deadline) -> str:
    antiword = shutil.which("antiword")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not antiword and not office:
        raise ReadError(DOC_TOOLS)
    if antiword:
        proc = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(path)], deadline)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.decode("utf-8", errors="replace")
        if not office:
            raise ReadError(_antiword_error(proc.stderr.decode("utf-8", "replace")))
    assert office is not None
    return _office_text(office, path, deadline)


def _run(cmd: list[str], deadline: Deadline) -> subprocess.CompletedProcess[bytes]:
    timeout = deadline.remaining()
    if timeout <= 0:
        raise deadline.error()
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                              env=dict(os.environ, LC_ALL="C.UTF-8"))
    except subprocess.TimeoutExpired:
        raise deadline.error() from None
    except OSError as exc:
        raise ReadError(f"could not run {Path(cmd[0]).name} ({exc.strerror or exc})") from None


def _antiword_error(stderr: str) -> str:
    low = stderr.lower()
    if "encrypt" in low:
        return "encrypted .doc (password protected)"
    if "not a word document" in low or "is not a" in low:
        return "not a Word 97-2003 document (corrupt, or another format named .doc)"
    return "antiword could not read this .doc (corrupt or not Word 97?)"


def _office_text(office: str, path: Path, deadline: Deadline) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
              "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp, str(path)],
             deadline)
        out = Path(tmp) / (path.stem + ".txt")
        if not out.exists():
            raise ReadError("LibreOffice could not convert this .doc (corrupt?)")
        return out.read_text(encoding="utf-8-sig", errors="replace")


def _grid_text(text: str) -> str:
    """antiword's layout read like a PDF page: table cells ('|') and tab-separated
    columns aligned on a character grid, then two-column blocks (the emblem header, the
    signature block) read column by column."""
    segments: list[Segment] = []
    for row, line in enumerate(_aligned(text.split("\n"))):
        pos = 0
        for piece in _SPACED.split(line):
            if not piece.strip():
                continue
            start = line.index(piece, pos)
            pos = start + len(piece)
            segments.append(Segment(piece, float(start), float(pos), 2.0 * row,
                                    2.0 * row + 1.6))
    return page_text(visual_lines(segments, words=True), reflow=False, grid=True)


_SPACED = re.compile(r"\s{3,}")


def _aligned(lines: list[str]) -> list[str]:
    """Runs of table rows ('|', as antiword writes them) or tab-separated lines with two
    filled cells are padded into columns; a lone row's cells become lines of their own
    (antiword writes the other paragraphs of a cell on lines without '|')."""
    out: list[str] = []
    run: list[list[str]] = []
    for line in lines:
        if "|" in line:
            cells = [c.strip() for c in line.split("|") if c.strip()]
        elif "\t" in line.strip():
            cells = [c.strip() for c in line.split("\t") if c.strip()]
        else:
            cells = []
        if len(cells) == 2:
            run.append(cells)
            continue
        out.extend(_padded(run))
        run = []
        if "|" in line and len(cells) < 2:
            out.extend(cells)
        else:
            out.append(" | ".join(cells) if len(cells) > 2 and "|" in line else line)
    return out + _padded(run)


def _padded(run: list[list[str]]) -> list[str]:
    if len(run) == 1:
        return run[0]
    if not run:
        return []
    widths: list[int] = []
    for cells in run:
        for i, cell in enumerate(cells):
            if i == len(widths):
                widths.append(0)
            widths[i] = max(widths[i], len(cell.strip()))
    return ["    ".join(c.strip().ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
            for cells in run]
