"""What a hit shows: a snippet around the query's words, their spans, and which passages
are boilerplate (recipients, signature blocks, rules) never worth showing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vanban.index.tokens import symbol_token
from vanban.ingest.normalize import match_key, strip_accents

# Vietnamese function words: a query made only of these has nothing to rank on, and they
# are not highlighted (a bold "của" on every line helps nobody).
FUNCTION_WORDS = frozenset((
    "và", "của", "là", "các", "những", "được", "có", "cho", "với", "trong", "thì", "mà",
    "này", "đó", "để", "từ", "theo", "về", "một", "khi", "đã", "sẽ", "đang", "bị", "do",
    "tại", "ra", "vào", "nào", "gì", "cũng", "như", "nhưng", "hay", "hoặc", "nếu", "vì",
    "bởi", "rằng", "thế", "ấy", "lại", "còn", "nên", "đến", "tới", "trên", "dưới", "qua",
    "ở", "phải", "nhất", "rất", "hơn", "đều", "chỉ", "vẫn", "cùng", "sau", "trước", "bằng",
    "mỗi", "mọi", "ai", "đâu", "sao", "kia", "vậy", "nữa", "thôi", "à", "ạ", "ơi", "nhé",
    "hả", "chứ", "luôn", "thật", "lắm", "quá", "cả",
))

_SEPARATOR = re.compile(r"^[\s\-–—_=*.·•~+]*$")
_RULE_RUN = re.compile(r"^[\s\-–—_=*·•~+]{3,}")
_RECIPIENTS = re.compile(r"^\s*(?:nơi\s+nhận|nơi\s+gửi)\s*:?", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^(?:(?:tm|t/m|kt|k/t|tl|t/l|tuq|q|ttl)[.\s]|(?:phó\s+)?(?:chủ\s+tịch|giám\s+đốc|"
    r"bộ\s+trưởng|thủ\s+trưởng|bí\s+thư|trưởng\s+ban|chánh\s+văn\s+phòng|thủ\s+tướng)\b|"
    r"\(?(?:đã\s+ký|ký\s+tên|ký,\s*ghi\s+rõ)|lưu\b)", re.IGNORECASE)
_MARKUP = re.compile(r"[*_#|>`]+")


def is_function_word_query(syllables: Iterable[str]) -> bool:
    """True when every syllable of the query is a function word."""
    sylls = list(syllables)
    return bool(sylls) and all(s in FUNCTION_WORDS for s in sylls)


def is_boilerplate(text: str) -> bool:
    """A passage that is only a distribution list, a signature block or rules."""
    lines = [_MARKUP.sub(" ", ln).strip() for ln in text.split("\n")
             if not _SEPARATOR.match(ln)]
    lines = [ln for ln in lines if ln]
    if not lines:
        return True
    if _RECIPIENTS.match(lines[0].lstrip("-+• ")):
        return True
    tail = sum(1 for ln in lines if _tail_line(ln))
    return tail >= max(2, 0.8 * len(lines))


def _tail_line(line: str) -> bool:
    """A line of a signature block or a distribution list: a title, "(Đã ký)", "Lưu: VT",
    a name, "- Như Điều 3;"."""
    words = len(line.split())
    item = line.lstrip("-+• ")
    if item != line:    # a list item: short, one recipient
        return (words <= 6 and line.endswith((";", ".", ","))) or bool(_SIGNATURE.match(item))
    return bool(_SIGNATURE.match(line)) or words <= 4


def content_end(text: str) -> int:
    """Where the text's body ends: before a trailing distribution list, if any."""
    m = re.search(r"\n\s*(?:Nơi\s+nhận|NƠI\s+NHẬN)\s*:?", text)
    return m.start() if m and m.start() > 0 else len(text)


def highlight_spans(text: str, syllables: Sequence[str], accented: bool
                    ) -> list[tuple[int, int]]:
    """Spans of the query's content syllables in ``text`` (accent-insensitive if typed
    without accents); function words only when the query has nothing else."""
    folded = match_key(text) if accented else strip_accents(match_key(text))
    content = [s for s in syllables if s not in FUNCTION_WORDS] or list(syllables)
    wanted = {s if accented else strip_accents(s) for s in content}
    wanted |= {strip_accents(symbol_token(s)) for s in content if "/" in s}
    spans = []
    for m in re.finditer(r"[\w/-]+", folded):
        tok = m.group(0)
        if tok in wanted or tok.strip("-/") in wanted:
            spans.append((m.start(), m.end()))
    return spans


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]   # spans into ``text``


def make_snippet(text: str, spans: Sequence[tuple[int, int]], width: int = 240) -> Snippet:
    """About ``width`` characters of ``text`` around the first highlighted word of its
    body (never opening on a rule, never in a trailing distribution list), with the
    highlighted spans that fall inside it."""
    flat = text.replace("\n", " ")
    body_end = content_end(text)
    body = [s for s in spans if s[1] <= body_end] or list(spans)
    lead = _RULE_RUN.match(flat)
    floor = lead.end() if lead else 0
    limit = body_end if body_end - floor >= width // 2 else len(flat)
    center = body[0][0] if body else floor
    start = max(floor, min(center - width // 3, limit - width))
    if start > floor:
        start = flat.find(" ", start) + 1 or start
        lead = _RULE_RUN.match(flat, start)
        start = lead.end() if lead else start
    end = min(limit, start + width)
    if end < len(flat):
        cut = flat.rfind(" ", start, end)
        end = cut if cut > start else end
    raw = flat[start:end]
    inner = raw.strip()
    offset = start + (len(raw) - len(raw.lstrip()))
    prefix = "…" if start > floor else ""
    shift = len(prefix) - offset
    marks = tuple((s + shift, e + shift) for s, e in spans
                  if s >= offset and e <= offset + len(inner))
    return Snippet(prefix + inner + ("…" if end < len(flat) else ""), marks)
