"""Reading order from positioned text: the same code for PDF text layers and OCR words.

A page arrives as ``Segment``s (a run of text with its box, y growing downwards).  They
become visual lines; a run of lines split by a vertical gutter (the emblem header: issuing
body | Quốc hiệu, "Số: …" | place and date; the signature block) is read left column
first, then right; wrapped lines are re-joined into paragraphs; running headers, footers
and page numbers repeated across pages are dropped."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Line", "Segment", "column_gap", "drop_running_lines", "page_text", "visual_lines"]


@dataclass(frozen=True)
class Segment:
    """A run of text on one line and its box (points or pixels, y grows downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Line:
    """A visual line: its pieces left to right (runs of text separated by a gap)."""

    chunks: tuple[Segment, ...]

    @property
    def top(self) -> float:
        return min(c.top for c in self.chunks)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return _join_pieces(self.chunks, " | ")


# -- segments → visual lines ------------------------------------------------------------

def visual_lines(segments: Sequence[Segment], *, words: bool = False) -> list[Line]:
    """Segments grouped into lines, top to bottom; touching runs merged (with a space
    when ``words``: OCR runs are whole words, PDF runs may split one)."""
    segs = sorted((s for s in segments if s.text.strip() and s.height > 0),
                  key=lambda s: (s.top + s.bottom) / 2)
    rows: list[list[Segment]] = []
    band: tuple[float, float] = (0.0, 0.0)
    for seg in segs:
        mid = (seg.top + seg.bottom) / 2
        if rows and band[0] <= mid <= band[1]:
            rows[-1].append(seg)
            # the band stays the core of the line, so the next line is not swallowed
            band = (max(band[0], mid - seg.height / 2), min(band[1], mid + seg.height / 2))
        else:
            rows.append([seg])
            band = (seg.top, seg.bottom)
    lines = (Line(_pieces(sorted(row, key=lambda s: s.x0), words)) for row in rows)
    return [line for line in lines if line.chunks]


def _pieces(row: list[Segment], words: bool) -> tuple[Segment, ...]:
    height = max(s.height for s in row)
    out: list[Segment] = []
    for seg in row:
        text = _clean(seg.text)
        if out and seg.x0 - out[-1].x1 < 0.3 * height:
            prev = out[-1]
            glue = "" if seg.x0 - prev.x1 < 0.12 * height and not words else " "
            out[-1] = Segment(prev.text + glue + text, prev.x0, max(prev.x1, seg.x1),
                              min(prev.top, seg.top), max(prev.bottom, seg.bottom))
        else:
            out.append(Segment(text, seg.x0, seg.x1, seg.top, seg.bottom))
    return tuple(Segment(re.sub(r"\s+", " ", s.text).strip(), s.x0, s.x1, s.top, s.bottom)
                 for s in out if s.text.strip())


def _clean(text: str) -> str:
    # pdfium marks a hyphen it removed at a line end with U+FFFE; keep the hyphen
    # private-use characters are symbol-font glyphs (check boxes, bullets): dropped
    text = _PRIVATE_USE.sub("", text)
    return text.replace("\ufffe", "-").replace("\r", " ").replace("\n", " ")


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def column_gap(height: float) -> float:
    """The least gap between two columns (or table cells) of a line of this height."""
    return max(0.6 * height, 5.0)


def _has_cells(line: Line) -> bool:
    return any(b.x0 - a.x1 >= column_gap(line.height)
               for a, b in pairwise(line.chunks))


def _join_pieces(pieces: Sequence[Segment], cell: str) -> str:
    """Pieces of one line as text: a column gap becomes ``cell``, a smaller one a space."""
    out = ""
    prev: Segment | None = None
    for p in pieces:
        if prev is not None:
            wide = p.x0 - prev.x1 >= column_gap(max(p.height, prev.height))
            out += cell if wide else " "
        out += p.text
        prev = p
    return out


# -- running headers, footers, page numbers ---------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:trang\s+|page\s+)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?(?:\s*[-–—])?$",
    re.IGNORECASE)
EDGE = 2  # lines at the top and at the bottom of a page that may be running lines


def drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without their page numbers and without the header/footer lines that most
    pages repeat at their top or bottom (the same text, or the same but for the page's own
    number).  The top of the first page is kept: it holds the document's own header."""
    keys = [[_edge_keys(ln, number) for ln in _edges(lines)]
            for number, lines in enumerate(pages, 1)]
    counts: Counter[str] = Counter()
    for page_keys in keys:
        counts.update({k for line_keys in page_keys for k in line_keys})
    need = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= need}
    out: list[list[Line]] = []
    for number, lines in enumerate(pages, 1):
        edges = {id(ln): k for ln, k in zip(_edges(lines), keys[number - 1], strict=True)}
        kept = []
        for i, ln in enumerate(lines):
            if id(ln) in edges:
                if i in (0, len(lines) - 1) and _PAGE_NUMBER.match(ln.text.strip()):
                    continue
                if edges[id(ln)] & repeated and not (number == 1 and i < EDGE):
                    continue
            kept.append(ln)
        out.append(kept)
    return out


def _edges(lines: list[Line]) -> list[Line]:
    if len(lines) <= 2 * EDGE:
        return list(lines)
    return lines[:EDGE] + lines[-EDGE:]


def _edge_keys(line: Line, number: int) -> set[str]:
    text = re.sub(r"\s+", " ", line.text.strip().lower())
    keys = {text} if len(text) > 1 else set()
    own = rf"^{number}(?!\d)|(?<!\d){number}$"  # 'Trang 3', '3/12', 'Công báo … 3'
    if re.search(own, text):
        keys.add(re.sub(own, "#", text))
    return keys


# -- one page: blocks, columns, paragraphs ----------------------------------------------

def page_text(lines: Sequence[Line], *, reflow: bool = True, grid: bool = False) -> str:
    """The text of one page in reading order, paragraphs on one line each (when
    ``reflow``: lines wrapped at the right margin are joined).  ``grid``: positions are
    character columns of plain text, where centring is lost, so a two-column block ends
    at its last line with text on both sides."""
    if not lines:
        return ""
    margins = _margins(lines) if reflow else None
    out: list[str] = []
    done = 0  # lines before this one are in ``out``
    i = 0
    while i < len(lines):
        block = _block(lines, i, done, grid)
        if block is None:
            i += 1
            continue
        begin, end, gutter = block
        out.extend(_reflow(lines[done:begin], margins))
        out.extend(_read_columns(lines[begin:end], gutter))
        done = i = end
    out.extend(_reflow(lines[done:], margins))
    return "\n".join(_join_broken(out))


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float
    tol: float


def _margins(lines: Sequence[Line]) -> _Margins:
    xs0 = sorted(ln.x0 for ln in lines)
    xs1 = sorted(ln.x1 for ln in lines)
    heights = sorted(ln.height for ln in lines)
    left = xs0[len(xs0) // 10]
    right = xs1[(len(xs1) * 9) // 10]
    return _Margins(left, right, max(0.03 * (right - left), heights[len(heights) // 2]))


MAX_BLOCK = 30  # lines in a two-column block (a header or a signature block)
Gutter = tuple[float, float]


def _block(lines: Sequence[Line], i: int, floor: int,
           grid: bool = False) -> tuple[int, int, Gutter] | None:
    """The two-column block through line ``i``: its first line (not before ``floor``),
    its end (exclusive) and its gutter; None when line ``i`` starts none.

    A gutter is a gap of line ``i`` that no piece of the neighbouring lines crosses; a
    block needs two lines with text on both sides, or one line with a column gap."""
    best: tuple[int, int, Gutter] | None = None
    best_score = 0
    line = lines[i]
    for a, b in pairwise(line.chunks):
        if b.x0 - a.x1 < 0.4 * line.height:
            continue
        begin, end, gutter, two_sided = _grow(lines, i, floor, (a.x1, b.x0), grid)
        wide = b.x0 - a.x1 >= 1.5 * line.height
        if _table_rows(lines[begin:end], gutter) > (end - begin) // 4:
            continue
        if two_sided >= 2 or (two_sided == 1 and wide):
            score = two_sided * 100 + (end - begin)
            if score > best_score:
                best, best_score = (begin, end, gutter), score
    return best


def _grow(lines: Sequence[Line], i: int, floor: int, gutter: Gutter,
          grid: bool) -> tuple[int, int, Gutter, int]:
    gutter = _fit(lines[i], gutter) or gutter
    end = i + 1
    while end < len(lines) and end - i < MAX_BLOCK and _near(lines[end - 1], lines[end]):
        fits = _fit(lines[end], gutter)
        if fits is None:
            break
        gutter, end = fits, end + 1
    begin = i
    while begin > floor and end - begin < MAX_BLOCK and _near(lines[begin - 1], lines[begin]):
        fits = _fit(lines[begin - 1], gutter)
        if fits is None:
            break
        gutter, begin = fits, begin - 1
    sided = [k for k in range(begin, end)
             if lines[k].chunks[0].x1 <= gutter[0] and lines[k].chunks[-1].x0 >= gutter[1]]
    if grid and sided:
        begin, end = sided[0], sided[-1] + 1
    return begin, end, gutter, len(sided)


def _table_rows(block: Sequence[Line], gutter: Gutter) -> int:
    """Lines of a block with a column gap on one side of the gutter: table rows."""
    return sum(1 for ln in block if any(
        (a.x1 <= gutter[0]) == (b.x1 <= gutter[0]) and b.x0 - a.x1 >= column_gap(ln.height)
        for a, b in pairwise(ln.chunks)))


def _near(above: Line, below: Line) -> bool:
    return below.top - above.bottom <= 2.5 * max(above.height, below.height)


def _fit(line: Line, gutter: Gutter) -> Gutter | None:
    """The gutter narrowed by ``line``, or None when a piece crosses it."""
    lo, hi = gutter
    for c in line.chunks:
        if c.x1 <= hi and c.x0 < lo:
            lo = max(lo, c.x1)
        elif c.x0 >= lo and c.x1 > hi:
            hi = min(hi, c.x0)
        else:
            return None
    return None if hi - lo < 2.0 else (lo, hi)


def _read_columns(block: Sequence[Line], gutter: Gutter) -> list[str]:
    left: list[Segment] = []
    right: list[Segment] = []
    for line in block:
        for side, pieces in ((left, [c for c in line.chunks if c.x1 <= gutter[0]]),
                             (right, [c for c in line.chunks if c.x1 > gutter[0]])):
            if pieces:
                side.append(Segment(_join_pieces(pieces, " "), pieces[0].x0, pieces[-1].x1,
                                    min(p.top for p in pieces), max(p.bottom for p in pieces)))
    if sum(1 for seg in right if seg.text.startswith(":")) * 2 >= len(right):
        # labels and their values ('Địa chỉ' | ': 141 Phố Vọng…'): a form, read by rows
        return [_join_pieces(line.chunks, " ") for line in block]
    _reunite(left, right)
    _reunite(right, left)
    return _join_wrapped(left) + _join_wrapped(right)


# A header line cut in two, its tail landing under the other column: (head, tail).
_SPLIT_PAIRS = (
    (re.compile(r"\bCỘNG HÒA XÃ HỘI CHỦ NGHĨA$|\bCỘNG HOÀ XÃ HỘI CHỦ NGHĨA$", re.I),
     re.compile(r"VIỆT NAM$", re.I)),
    (re.compile(r"\bCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT$|\bCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT$", re.I),
     re.compile(r"NAM$", re.I)),
    (re.compile(r",\s*ngày(?:\s+\d{1,2})?$", re.I),
     re.compile(r"tháng\b.*\bnăm\s+\d{4}$|tháng(?:\s+\d{1,2})?$", re.I)),
)


def _reunite(col: list[Segment], other: list[Segment]) -> None:
    """'CỘNG HÒA … CHỦ NGHĨA VIỆT' | 'NAM', 'Lệ Thủy, ngày 29' | 'tháng 11 năm 2011': a
    tail that wrapped under the other column is joined back to its head."""
    for i, seg in enumerate(col):
        for head, tail in _SPLIT_PAIRS:
            if not head.search(seg.text):
                continue
            if i + 1 < len(col) and tail.match(col[i + 1].text):
                break  # the tail is where it belongs
            for j, o in enumerate(other):
                if tail.match(o.text):
                    other.pop(j)
                    col[i] = Segment(f"{seg.text} {o.text}", seg.x0, max(seg.x1, o.x1),
                                     seg.top, max(seg.bottom, o.bottom))
                    break
            break


def _join_wrapped(col: list[Segment]) -> list[str]:
    """A column's lines; a line cut by the width of its cell is joined to the rest."""
    if not col:
        return []
    width = max(max(c.x1 for c in col) - min(c.x0 for c in col), 1.0)
    out: list[str] = []
    prev: Segment | None = None
    for seg in col:
        if prev is not None and out and _continues(prev, seg, width):
            out[-1] = _glue(out[-1], seg.text)
        else:
            out.append(seg.text)
        prev = seg
    return out


_TITLE = re.compile(r"^(?:(?:TM|KT|TL|TUQ|Q)\s*\.|PHÓ\b|CHÁNH\b|GIÁM ĐỐC\b|CHỦ TỊCH\b)")


def _continues(prev: Segment, seg: Segment, width: float) -> bool:
    if seg.top - prev.bottom > 1.2 * max(prev.height, seg.height):
        return False
    nxt = seg.text
    if _CODE_CUT.search(prev.text) and _CODE.match(nxt):
        return True  # 'Số: 15/2010/QĐ-' + 'UBND'
    if _NUMBER_LABEL.search(prev.text) and nxt[:1] in "/0123456789":
        return True  # 'Số:' + '/KH-STTTT' (the number left blank)
    if nxt[:1].islower():
        return True  # 'V/v đăng ký … Hội thi kỹ' + 'năng sử dụng máy tính.'
    if not (_is_caps(prev.text) and _is_caps(nxt)) or _TITLE.match(nxt):
        return False
    fills = (prev.x1 - prev.x0) >= 0.9 * width
    return fills or " " not in nxt  # 'THÀNH PHỐ HÀ' + 'NỘI'


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


_LIST_START = re.compile(
    r"^(?:[-+•*–]\s|\d{1,3}[.)]\s|[a-zđ][.)]\s|[IVXLC]+[.)]\s|(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\s*[.:]|"
    r"(?:Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[IVXLC\d]+\s*[.:]?\s*$|"
    r"(?:Căn cứ|Nơi nhận|Kính gửi)\b)")


def _reflow(lines: Sequence[Line], m: _Margins | None) -> list[str]:
    """Body lines joined into paragraphs: a line reaching the right margin continues on
    the next one when that starts at the left margin."""
    if m is None:
        return [line.text for line in lines]
    out: list[str] = []
    prev: Line | None = None
    for line in lines:
        text = line.text
        if prev is not None and out and _wraps(prev, line, m):
            out[-1] = _glue(out[-1], text)
        else:
            out.append(text)
        prev = line
    return out


def _wraps(prev: Line, line: Line, m: _Margins) -> bool:
    if _has_cells(prev) or _has_cells(line):
        return False
    if line.top - prev.bottom > 1.2 * max(prev.height, line.height):
        return False
    if _LIST_START.match(line.text):
        return False
    if prev.x1 >= m.right - m.tol and line.x0 <= m.left + m.tol:
        return True
    # a centred title wrapped onto a shorter centred line
    centred = abs((prev.x0 + prev.x1) - (line.x0 + line.x1)) / 2 < m.tol
    wide = prev.x1 - prev.x0 >= 0.75 * (m.right - m.left)
    return centred and wide and line.text[:1].islower()


_NUMBER_LABEL = re.compile(r"\bsố\s*:?$", re.IGNORECASE)
_CODE = re.compile(r"[\dA-ZĐ][\dA-ZĐ/.-]*(?:\s|$)")
_CODE_CUT = re.compile(r"(?:^|[\s:])[\dA-ZĐ][\dA-ZĐ/.-]*[-/]$")


def _glue(prev: str, nxt: str) -> str:
    """Join a wrapped line: 'NĐ-' + 'CP' → 'NĐ-CP'; 'word' + 'word' → 'word word'."""
    if _CODE_CUT.search(prev) and _CODE.match(nxt):
        return prev + nxt
    return prev.rstrip() + " " + nxt.lstrip()


# -- text-level repairs ----------------------------------------------------------------

_DATE_PIECES = (  # a place-and-date line cut after 'ngày …', 'tháng …' or 'năm'
    (re.compile(r",\s*ngày(?:\s+\d{1,2})?\s*$", re.I), re.compile(r"^tháng\b", re.I)),
    (re.compile(r",\s*ngày\b.*\btháng(?:\s+\d{1,2})?\s*$", re.I), re.compile(r"^năm\b", re.I)),
    (re.compile(r",\s*ngày\b.*\bnăm\s*$", re.I), re.compile(r"^\d{4}\b")),
)


_NUMBER_PIECES = (re.compile(r"\bSố\s*:?\s*$", re.IGNORECASE), re.compile(r"^[/\d]"))


def _join_broken(lines: list[str]) -> list[str]:
    """'Lệ Thủy, ngày 29' + 'tháng 11 năm 2011', 'Số:' + '/KH-STTTT' → one line."""
    out: list[str] = []
    for line in lines:
        pairs = (*_DATE_PIECES, _NUMBER_PIECES)
        if out and any(h.search(out[-1]) and t.match(line) for h, t in pairs):
            out[-1] = out[-1].rstrip() + " " + line
        else:
            out.append(line)
    return out
