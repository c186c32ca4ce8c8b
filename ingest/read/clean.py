"""Cleaning of scraped pages: header timestamp and view counter become metadata,
page widgets ("Thống kê truy cập", "Đang online49", "Tất cả2741245"…) are dropped."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_HEADER = re.compile(
    r"^\s*(?P<date>(?:19|20)\d\d-[01]\d-[0-3]\d)(?:[ T](?P<time>[0-2]\d:[0-5]\d(?::[0-5]\d)?))?"
    r"\s*(?:\|\s*)?(?:(?:số\s+)?lượt\s+xem|lượt\s+đọc|views?)\s*:?\s*(?P<views>\d[\d.,]*)?\s*$",
    re.IGNORECASE,
)
_NUM = r"\s*:?\s*[\d.,]*"
_WIDGETS = re.compile(
    r"^(?:video|videos|hình ảnh|thống kê truy cập|thống kê|liên kết website|liên kết|"
    r"đang online" + _NUM + "|đang truy cập" + _NUM + "|trực tuyến" + _NUM + "|"
    r"tất cả" + _NUM + "|hôm nay" + _NUM + "|hôm qua" + _NUM + "|"
    r"(?:trong |)tuần(?: này| trước|)" + _NUM + "|(?:trong |)tháng(?: này| trước|)" + _NUM + "|"
    r"(?:tổng |)(?:số |)lượt truy cập" + _NUM + "|(?:số |)lượt xem" + _NUM + "|"
    r"khách" + _NUM + "|thành viên" + _NUM + "|"
    r"in bài viết|in trang|gửi email|gửi bài viết|chia sẻ|bản in|tin liên quan|tin khác|"
    r"các tin khác|tin cùng chuyên mục|bình luận|ý kiến bạn đọc|đầu trang|về đầu trang|"
    r"facebook|twitter|zalo|quay lại|trở về|xem thêm|lên đầu trang|"
    r"(?:tags?|từ khóa|từ khoá)\s*:.*)$",
    re.IGNORECASE,
)


@dataclass
class CleanResult:
    """Article text with page furniture removed, and the metadata it carried."""

    text: str
    date: str | None = None
    time: str | None = None
    views: int | None = None
    dropped: list[str] = field(default_factory=list)


def is_widget_line(line: str) -> bool:
    """True for a line that is page furniture, not article text."""
    if len(line) > 200:  # cheap exit: a widget is short even when decomposed and padded
        return False
    s = unicodedata.normalize("NFC", line).strip()
    return bool(s) and len(s) <= 60 and _WIDGETS.match(s) is not None


def clean_scraped(text: str) -> CleanResult:
    """Drop the header timestamp line (kept as metadata) and every widget line."""
    lines = text.split("\n")
    result = CleanResult(text="")
    kept: list[str] = []
    for i, line in enumerate(lines):
        m = _HEADER.match(unicodedata.normalize("NFC", line)) if i < 3 else None
        if m and result.date is None:
            result.date, result.time = m["date"], m["time"]
            if m["views"]:
                result.views = int(re.sub(r"[.,]", "", m["views"]))
            result.dropped.append(line)
        elif is_widget_line(line):
            result.dropped.append(line)
        else:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    result.text = "\n".join(kept)
    return result
