"""Render the sample source texts to the PDF and DOCX documents of the sample corpus.

Each ``corpus/sample_src/<name>.txt`` is rendered to ``corpus/sample/<name>.pdf`` (with
fpdf2 and the DejaVu Sans font) or to ``corpus/sample/<name>.docx`` (with python-docx),
as ``OUTPUT_FORMATS`` says.  Run from anywhere::

    python tools/make_sample_docs.py

Source format: one paragraph per line, UTF-8.  An administrative document opens with its
emblem header written as separate lines (issuer lines and ``Số: ...`` for the left column,
``CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`` / ``Độc lập - Tự do - Hạnh phúc`` or
``ĐẢNG CỘNG SẢN VIỆT NAM`` and the place-and-date line for the right column); both outputs
lay that header, and the ``Nơi nhận:`` / signature block, out in two columns like a real
Vietnamese document.  Any other source is a scraped news page (timestamp line, paragraphs,
author lines, page-widget lines).
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpus" / "sample_src"
OUT_DIR = ROOT / "corpus" / "sample"

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES: dict[str, Path] = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
}
FONT_FAMILY = "DejaVu"
FONT_PACKAGE = "fonts-dejavu-core"

# Which output each source becomes: two PDFs, two DOCX.
OUTPUT_FORMATS: dict[str, str] = {
    "kh-287-ubnd-nghean-2021": "pdf",
    "nghean-chuyen-doi-so-cap-xa-2022": "pdf",
    "qd-2468-ubnd-quangninh-2020": "docx",
    "quangninh-luu-tru-dien-tu-2021": "docx",
}

# Fixed metadata dates keep re-runs byte-stable where the libraries allow it.
FIXED_DATE = datetime(2025, 1, 1, tzinfo=UTC)

RIGHT_HEADER_LINES = frozenset(
    {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
    }
)
PLACE_DATE_RE = re.compile(r"^[^,\d]{2,40}, ngày \d{1,2} tháng \d{1,2} năm \d{4}$")
ARTICLE_HEAD_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} Số lượt xem \d+$")
ARTICLE_RE = re.compile(r"^Điều \d+[a-z]?\.")
ROMAN_RE = re.compile(r"^[IVX]+\. ")
CHAPTER_RE = re.compile(r"^Chương [IVX]+$")
WIDGET_RE = re.compile(
    r"^(?:Video|Thống kê truy cập|Liên kết website|Hôm nay\d+|Đang online\d+|Tất cả\d+)$"
)
DOC_TYPES = frozenset(
    {"QUYẾT ĐỊNH", "KẾ HOẠCH", "CÔNG VĂN", "THÔNG BÁO", "BÁO CÁO", "QUY CHẾ", "QUYẾT ĐỊNH:"}
)


class SampleDocError(Exception):
    """A source or the environment cannot be rendered."""


@dataclass(frozen=True)
class Styled:
    """One line of output with its presentation."""

    text: str
    bold: bool = False
    size: float = 11.0
    align: str = "J"  # "L", "C", "R" or "J"
    gray: bool = False
    space_after: float = 1.5
    page_break_before: bool = False


@dataclass
class AdminDoc:
    """An administrative document split into its layout blocks."""

    left: list[Styled] = field(default_factory=list)
    right: list[Styled] = field(default_factory=list)
    body: list[Styled] = field(default_factory=list)
    recipients: list[Styled] = field(default_factory=list)
    signature: list[Styled] = field(default_factory=list)
    appendix: list[Styled] = field(default_factory=list)
    title: str = ""


@dataclass
class ArticleDoc:
    """A scraped news page."""

    lines: list[Styled] = field(default_factory=list)
    title: str = ""


# --------------------------------------------------------------------------- parsing


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _body_style(line: str, previous: str | None) -> Styled:
    """Presentation of one body line of an administrative document."""
    if line in DOC_TYPES:
        return Styled(line, bold=True, size=13, align="C", space_after=1)
    if previous in DOC_TYPES and previous != "QUYẾT ĐỊNH:":
        return Styled(line, bold=True, size=11.5, align="C", space_after=3)
    if line.strip("-") == "":
        return Styled(line, align="C", space_after=2)
    if CHAPTER_RE.match(line) or (line.startswith("(Ban hành kèm theo") and line.endswith(")")):
        return Styled(line, bold=CHAPTER_RE.match(line) is not None, align="C")
    if _is_upper(line) and len(line) <= 90:
        align = "L" if ROMAN_RE.match(line) else "C"
        return Styled(line, bold=True, align=align, space_after=2)
    if ROMAN_RE.match(line):
        return Styled(line, bold=True, align="L")
    return Styled(line)


def parse_admin(lines: Sequence[str]) -> AdminDoc | None:
    """Split an administrative document, or return None when ``lines`` is not one."""
    date_idx = next((i for i, ln in enumerate(lines[:12]) if PLACE_DATE_RE.match(ln)), None)
    if date_idx is None or not any(ln in RIGHT_HEADER_LINES for ln in lines[:date_idx]):
        return None
    doc = AdminDoc()
    for ln in lines[:date_idx]:
        if ln in RIGHT_HEADER_LINES:
            doc.right.append(Styled(ln, bold=True, align="C", size=10.5, space_after=0))
        elif ln.startswith(("V/v", "Về việc")):
            doc.left.append(Styled(ln, align="C", size=9.5, space_after=0))
        else:
            doc.left.append(Styled(ln, bold=_is_upper(ln), align="C", size=10.5, space_after=0))
    doc.right.append(Styled(lines[date_idx], align="C", size=10, space_after=0))

    rest = list(lines[date_idx + 1 :])
    try:
        sign_idx = rest.index("Nơi nhận:")
    except ValueError:
        sign_idx = len(rest)
    previous: str | None = None
    for ln in rest[:sign_idx]:
        doc.body.append(_body_style(ln, previous))
        previous = ln
    type_idx = next((i for i, ln in enumerate(rest) if ln in DOC_TYPES), None)
    if type_idx is not None and type_idx + 1 < len(rest):
        doc.title = f"{rest[type_idx]} {rest[type_idx + 1]}"

    i = sign_idx
    if i < len(rest):
        doc.recipients.append(Styled(rest[i], bold=True, align="L", size=9.5, space_after=0))
        i += 1
        while i < len(rest) and rest[i].startswith("-"):
            doc.recipients.append(Styled(rest[i], align="L", size=8.5, space_after=0))
            i += 1
        while i < len(rest) and _is_upper(rest[i]) and rest[i] not in DOC_TYPES:
            doc.signature.append(Styled(rest[i], bold=True, align="C", size=10.5, space_after=0))
            i += 1
        if i < len(rest):  # the signer's name
            doc.signature.append(Styled(rest[i], bold=True, align="C", size=10.5, space_after=0))
            i += 1
    previous = None
    for ln in rest[i:]:
        doc.appendix.append(_body_style(ln, previous))
        previous = ln
    if doc.appendix:
        first = doc.appendix[0]
        doc.appendix[0] = Styled(
            first.text,
            bold=first.bold,
            size=first.size,
            align=first.align,
            space_after=first.space_after,
            page_break_before=True,
        )
    return doc


def parse_article(lines: Sequence[str]) -> ArticleDoc:
    """Style a scraped news page line by line."""
    if not lines or not ARTICLE_HEAD_RE.match(lines[0]):
        raise SampleDocError("an article must start with its 'YYYY-MM-DD hh:mm:ss Số lượt xem N'")
    author_idx = max(
        (i for i, ln in enumerate(lines) if _is_upper(ln) and len(ln.split()) >= 2),
        default=None,
    )
    if author_idx is None:
        raise SampleDocError("an article must have an author line in capitals")
    doc = ArticleDoc()
    doc.lines.append(Styled(lines[0], size=8.5, align="L", gray=True, space_after=3))
    start = 1
    if len(lines) > 1 and len(lines[1]) < 160 and not lines[1].endswith("."):
        doc.title = lines[1]
        doc.lines.append(Styled(lines[1], bold=True, size=14, align="L", space_after=4))
        start = 2
    for ln in lines[start:author_idx]:
        doc.lines.append(Styled(ln, space_after=3))
    doc.lines.append(Styled(lines[author_idx], bold=True, align="R", space_after=0))
    for ln in lines[author_idx + 1 :]:
        if WIDGET_RE.match(ln) or not ln.strip():
            doc.lines.append(Styled(ln.strip(), size=8, align="L", gray=True, space_after=0))
        else:  # the author's title
            doc.lines.append(Styled(ln, align="R", space_after=6))
    if not doc.title:
        doc.title = lines[1][:80]
    return doc


def read_source(path: Path) -> list[str]:
    """Lines of a source file, with trailing whitespace removed (blank-but-space lines kept)."""
    text = path.read_text(encoding="utf-8")
    return [ln.rstrip() if ln.strip() else ln for ln in text.splitlines()]


# ------------------------------------------------------------------------------ PDF


class NumberedPDF(FPDF):
    """A4 portrait PDF with a centred 'Trang x/y' footer."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _check_fonts() -> None:
    missing = [str(p) for p in FONT_FILES.values() if not p.is_file()]
    if missing:
        raise SampleDocError(
            f"font file(s) not found: {', '.join(missing)}; install the Debian package "
            f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE})"
        )


def _new_pdf(title: str) -> NumberedPDF:
    _check_fonts()
    pdf = NumberedPDF(orientation="P", unit="mm", format="A4")
    for style, path in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style=style, fname=str(path))
    pdf.set_margins(left=25, top=18, right=18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_lang("vi")
    pdf.set_title(title)
    pdf.add_page()
    return pdf


def _pdf_line(pdf: FPDF, line: Styled, width: float = 0) -> None:
    pdf.set_font(FONT_FAMILY, style="B" if line.bold else "", size=line.size)
    if line.gray:
        pdf.set_text_color(110, 110, 110)
    height = line.size * 0.5
    if ARTICLE_RE.match(line.text) and not line.bold and "--" not in line.text:
        head, _, tail = line.text.partition(".")
        pdf.multi_cell(
            width,
            height,
            f"**{head}.**{tail}",
            align=line.align,
            markdown=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    else:
        pdf.multi_cell(
            width, height, line.text, align=line.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(line.space_after)


def _pdf_columns(
    pdf: FPDF, left: Sequence[Styled], right: Sequence[Styled], left_w: float, gap: int = 0
) -> None:
    """Draw two blocks side by side, both starting at the current y."""
    needed = max(
        sum(line.size * 0.5 for line in left),
        sum(line.size * 0.5 for line in right) + gap * 5,
    )
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    x0 = pdf.l_margin
    right_w = pdf.w - pdf.r_margin - x0 - left_w
    bottoms: list[float] = []
    for x, width, block, skip in ((x0, left_w, left, 0), (x0 + left_w, right_w, right, gap)):
        pdf.set_xy(x, top)
        for n, line in enumerate(block):
            if skip and n == len(block) - 1:
                pdf.set_y(pdf.get_y() + skip * 5)
            pdf.set_font(FONT_FAMILY, style="B" if line.bold else "", size=line.size)
            pdf.set_x(x)
            pdf.multi_cell(
                width,
                line.size * 0.5,
                line.text,
                align=line.align,
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
            )
        bottoms.append(pdf.get_y())
    pdf.set_xy(x0, max(bottoms) + 4)


def render_pdf(lines: Sequence[str], out: Path) -> int:
    """Write ``out`` as a PDF; return its page count."""
    admin = parse_admin(lines)
    if admin is not None:
        pdf = _new_pdf(admin.title)
        _pdf_columns(pdf, admin.left, admin.right, left_w=70)
        for line in admin.body:
            _pdf_line(pdf, line)
        if admin.recipients or admin.signature:
            pdf.ln(2)
            _pdf_columns(pdf, admin.recipients, admin.signature, left_w=85, gap=3)
        for line in admin.appendix:
            if line.page_break_before:
                pdf.add_page()
            _pdf_line(pdf, line)
    else:
        article = parse_article(lines)
        pdf = _new_pdf(article.title)
        for line in article.lines:
            _pdf_line(pdf, line)
    pdf.output(str(out))
    return int(pdf.page_no())


# ----------------------------------------------------------------------------- DOCX

DOCX_FONT = "Times New Roman"
DOCX_ALIGN = {
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
    "J": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _new_docx(title: str) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(13)
    props = doc.core_properties
    props.title = title
    props.language = "vi-VN"
    props.author = ""
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_modified_by = ""
    props.revision = 1
    return doc


def _fill_paragraph(paragraph: Paragraph, line: Styled, scale: float) -> None:
    paragraph.alignment = DOCX_ALIGN[line.align]
    paragraph.paragraph_format.space_after = Pt(line.space_after * 2)
    paragraph.paragraph_format.space_before = Pt(0)
    size = Pt(round(line.size * scale * 2) / 2)
    if ARTICLE_RE.match(line.text) and not line.bold:
        head, _, tail = line.text.partition(".")
        pieces = [(f"{head}.", True), (tail, False)]
    else:
        pieces = [(line.text, line.bold)]
    for text, bold in pieces:
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = size
        if line.gray:
            run.font.color.rgb = RGBColor(0x6E, 0x6E, 0x6E)
    if line.page_break_before:
        paragraph.paragraph_format.page_break_before = True


def _docx_cell(cell: _Cell, block: Sequence[Styled], gap: int = 0) -> None:
    for n, line in enumerate(block):
        if gap and n == len(block) - 1:
            for _ in range(gap):
                cell.add_paragraph()
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        _fill_paragraph(paragraph, line, scale=1.2)


def _docx_columns(
    doc: DocxDocument, left: Sequence[Styled], right: Sequence[Styled], left_mm: int, gap: int = 0
) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(left_mm), Mm(165 - left_mm))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, width, block, skip in zip(
        table.rows[0].cells, widths, (left, right), (0, gap), strict=True
    ):
        cell.width = width
        _docx_cell(cell, block, skip)


def render_docx(lines: Sequence[str], out: Path) -> None:
    """Write ``out`` as a .docx file."""
    admin = parse_admin(lines)
    if admin is not None:
        doc = _new_docx(admin.title)
        _docx_columns(doc, admin.left, admin.right, left_mm=65)
        for line in admin.body:
            _fill_paragraph(doc.add_paragraph(), line, scale=1.2)
        if admin.recipients or admin.signature:
            _docx_columns(doc, admin.recipients, admin.signature, left_mm=80, gap=3)
        for line in admin.appendix:
            _fill_paragraph(doc.add_paragraph(), line, scale=1.2)
    else:
        article = parse_article(lines)
        doc = _new_docx(article.title)
        for line in article.lines:
            _fill_paragraph(doc.add_paragraph(), line, scale=1.15)
    doc.save(str(out))
    _fix_zip_times(out)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a .docx archive with fixed member timestamps, so re-runs give the same bytes."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info)) for info in src.infolist()]
    stamp = FIXED_DATE.timetuple()[:6]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


# ----------------------------------------------------------------------------- main


def build(src_dir: Path, out_dir: Path, only: Sequence[str] = ()) -> list[Path]:
    """Render every mapped source in ``src_dir``; return the files written."""
    sources = sorted(src_dir.glob("*.txt"))
    if not sources:
        raise SampleDocError(f"no .txt sources in {src_dir}")
    unmapped = [p.name for p in sources if p.stem not in OUTPUT_FORMATS]
    if unmapped:
        raise SampleDocError(
            f"no output format for {', '.join(unmapped)}: add them to OUTPUT_FORMATS"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for src in sources:
        if only and src.stem not in only:
            continue
        fmt = OUTPUT_FORMATS[src.stem]
        out = out_dir / f"{src.stem}.{fmt}"
        lines = read_source(src)
        if fmt == "pdf":
            pages = render_pdf(lines, out)
            print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {pages} page(s)")
        elif fmt == "docx":
            render_docx(lines, out)
            print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
        else:
            raise SampleDocError(f"unknown output format {fmt!r} for {src.name}")
        written.append(out)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="folder of .txt sources")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write into")
    parser.add_argument("names", nargs="*", help="render only these sources (file stems)")
    args = parser.parse_args(argv)
    try:
        build(args.src, args.out, args.names)
    except SampleDocError as exc:
        print(f"make_sample_docs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
