"""How answers are shown in the pages: Vietnamese labels, dd/mm/yyyy dates, and texts cut
into plain and marked pieces (the templates escape every piece; nothing is raw HTML)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from vanban.search.engine import QueryError, parse_query
from vanban.search.snippets import highlight_spans
from vanban.search.web.messages import vietnamese

if TYPE_CHECKING:
    from vanban.search.xlsx import Sheet

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_PERIOD = re.compile(r"^(\d{4})/(\d{4})$")

WARNING_LABELS = {
    "date_conflict": "hai ngày khác nhau",
    "year_mismatch": "năm không khớp số hiệu",
    "unresolved_short_form": "viết tắt chưa rõ",
    "unknown_locality": "chưa rõ địa phương",
    "replaced": "đã bị thay thế",
    "repealed": "đã bị bãi bỏ",
    "amended": "đã được sửa đổi",
    "party_symbol_year": "sai thể thức số hiệu",
    "unknown_type_code": "sai mã loại văn bản",
    "type_mismatch": "loại văn bản không khớp",
    "file_metadata": "phần khai báo của tệp bị bỏ qua",
}
INDEX_STATES = {"current": "đã cập nhật", "stale": "đang cập nhật (kho vừa thay đổi)",
                "missing": "chưa có chỉ mục"}
GRANULARITY = {"day": "ngày", "month": "tháng", "quarter": "quý", "year": "năm",
               "period": "giai đoạn"}


def vn_date(value: str | None) -> str:
    """An ISO value as Vietnamese readers write it: 03/06/2013, 06/2013, quý 3/2024,
    2016–2020; anything else unchanged; None as empty."""
    if not value:
        return ""
    if m := _DAY.match(value):
        return f"{m[3]}/{m[2]}/{m[1]}"
    if m := _MONTH.match(value):
        return f"{m[2]}/{m[1]}"
    if m := _QUARTER.match(value):
        return f"quý {m[2]}/{m[1]}"
    if m := _PERIOD.match(value):
        return f"{m[1]}–{m[2]}"
    return value


def directive_url(symbol: str) -> str:
    return "/directive/" + quote(symbol, safe="")


def doc_url(doc_id: str) -> str:
    return "/doc/" + quote(doc_id, safe="")


@dataclass(frozen=True)
class Mark:
    """A span of a text to mark: ``kind`` its CSS class, ``href`` where it links,
    ``title`` its tooltip, ``anchor`` an element id."""

    start: int
    end: int
    kind: str
    href: str | None = None
    title: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Piece:
    text: str
    mark: Mark | None = None


def pieces(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """``text`` cut at the marks (in order; a mark overlapping an earlier one is dropped)."""
    out: list[Piece] = []
    pos = 0
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.start < pos or mark.end <= mark.start or mark.end > len(text):
            continue
        if mark.start > pos:
            out.append(Piece(text[pos:mark.start]))
        out.append(Piece(text[mark.start:mark.end], mark))
        pos = mark.end
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def query_marks(text: str, query: str, spans: Sequence[Sequence[int]] | None = None
                ) -> list[Mark]:
    """The query words in ``text``: the answer's own ``highlights`` spans when it has them,
    else the engine's matching of the query's syllables."""
    if spans is None:
        try:
            q = parse_query(query)
            spans = highlight_spans(text, q.syllables, q.accented)
        except QueryError:
            spans = []
    return [Mark(int(s[0]), int(s[1]), "q") for s in spans]


def hit_pieces(hit: Mapping[str, Any], query: str) -> list[Piece]:
    """A search hit's snippet with the query words marked."""
    snippet = str(hit.get("snippet") or hit.get("passage") or "")
    spans = hit.get("highlights")
    return pieces(snippet, query_marks(snippet, query, spans if isinstance(spans, list)
                                       else None))


def mention_marks(obj: Mapping[str, Any]) -> list[Mark]:
    """Every mention of a `refs` object, linked to its row of the directives table."""
    marks = []
    for n, ref in enumerate(obj["references"], 1):
        label = ref["symbol"] or ref["name"] or ""
        for m in ref["mentions"]:
            marks.append(Mark(m["start"], m["end"], "ref", href=f"#d-{n}", title=label,
                              anchor=f"m-{n}-{m['start']}"))
    return marks


_DETAILS = {
    "unresolved_short_form": "cách viết tắt không khớp trích dẫn đầy đủ nào trong văn bản — "
                             "nên ghi đủ số, ký hiệu và ngày",
    "unknown_locality": "số hiệu của địa phương, nhưng văn bản không nói tỉnh, huyện nào ban "
                        "hành (số của các địa phương trùng nhau)",
    "party_symbol_year": "số hiệu văn bản của Đảng không ghi năm",
    "unknown_type_code": "mã loại văn bản trong số hiệu không có trong quy định",
    "type_mismatch": "tên loại văn bản không khớp mã loại trong số hiệu",
}
_CHANGED = {"replaced": "bị thay thế bởi", "repealed": "bị bãi bỏ bởi",
            "amended": "được sửa đổi bởi"}


def _detail(w: Mapping[str, Any]) -> str:
    """A warning said in Vietnamese from its fields (the CLI's English message otherwise)."""
    code = w["code"]
    dates = [vn_date(d) for d in w.get("dates") or []]
    if code in _CHANGED:
        where = (f"theo văn bản {w['doc_id']} trong kho" if w.get("doc_id")
                 else "theo chính văn bản này")
        return f"{_CHANGED[code]} {w.get('by') or 'một văn bản sau'} ({where})"
    if code == "date_conflict" and dates:
        return f"được dẫn với {len(dates)} ngày: {', '.join(dates)} — kiểm tra ngày nào đúng"
    if code == "year_mismatch" and dates:
        return f"ngày {dates[0]} không khớp năm ghi trong số hiệu"
    if code == "file_metadata":
        return vietnamese(str(w["message"])) or str(w["message"])
    return _DETAILS.get(code, str(w["message"]))


def document_warnings(obj: Mapping[str, Any]) -> list[dict[str, str]]:
    """The warnings of a `refs` object that no directive row shows (what reading the
    file could not use): Vietnamese label and detail, and the CLI's message."""
    keys = {r["symbol"] or r["name"] for r in obj["references"]}
    return [{"label": WARNING_LABELS.get(w["code"], w["code"]), "code": w["code"],
             "detail": _detail(w), "message": w["message"]}
            for w in obj["warnings"] if (w["symbol"] or w["name"]) not in keys]


def warning_labels(obj: Mapping[str, Any], ref: Mapping[str, Any]) -> list[dict[str, str]]:
    """The warnings of one directive of a `refs` object: Vietnamese label and detail, and
    the CLI's message."""
    key = ref["symbol"] or ref["name"]
    return [{"label": WARNING_LABELS.get(w["code"], w["code"]), "code": w["code"],
             "detail": _detail(w), "message": w["message"]}
            for w in obj["warnings"] if (w["symbol"] or w["name"]) == key]


def group_hits(hits: Sequence[Mapping[str, Any]], query: str) -> list[dict[str, Any]]:
    """Search hits under their documents, in the order the documents first rank; each hit
    with its marked snippet (and the passages an answer lists under a hit, if any)."""
    groups: dict[str, dict[str, Any]] = {}
    for hit in hits:
        group = groups.setdefault(str(hit["doc_id"]), {
            "doc_id": hit["doc_id"], "title": hit["title"], "date": hit["date"],
            "source": hit["source"], "rank": hit["rank"], "passages": []})
        subs = hit.get("passages")
        if not (isinstance(subs, list) and subs):   # the best passage, then the next ones
            subs = [hit, *(hit.get("more") or [])]
        for passage in subs:
            group["passages"].append({**passage, "pieces": hit_pieces(passage, query)})
    return list(groups.values())


_SHEETS = {"directives": "Văn bản được dẫn", "warnings": "Cảnh báo", "documents": "Tệp đã đọc"}
_HEADERS = {
    "source": "Tệp", "#": "#", "directive": "Văn bản", "symbol": "Số, ký hiệu", "type": "Loại",
    "issuer": "Cơ quan ban hành", "locality": "Địa phương", "date": "Ngày",
    "title": "Trích yếu", "relation": "Quan hệ", "mentions": "Số lần nhắc",
    "first page": "Trang đầu", "first sentence": "Câu nhắc đầu tiên",
    "pinpoints": "Điều, khoản", "in corpus": "Trong kho", "changed by": "Bị thay đổi bởi",
    "notes": "Ghi chú", "code": "Loại cảnh báo", "name": "Tên văn bản",
    "message": "Nội dung", "directives": "Văn bản được dẫn", "warnings": "Cảnh báo",
}


def workbook_sheets(objs: Sequence[Mapping[str, Any]]) -> list[Sheet]:
    """The `refs --xlsx` workbook as the page's download: sheets, headers and warnings in
    Vietnamese, as the page shows them."""
    from dataclasses import replace

    from vanban.search.reporting import refs_sheets

    said = [{**o, "warnings": [{**w, "code": WARNING_LABELS.get(w["code"], w["code"]),
                                "message": _detail(w)} for w in o["warnings"]]}
            for o in objs]
    return [replace(sheet, name=_SHEETS.get(sheet.name, sheet.name),
                    headers=[_HEADERS.get(h, h) for h in sheet.headers or sheet.columns])
            for sheet in refs_sheets(said)]
