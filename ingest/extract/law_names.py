"""Names of Vietnamese laws, codes and ordinances (after "Luật", "Bộ luật", "Pháp lệnh").

A name that continues past "và" or a comma ("Luật Hôn nhân và gia đình", "Luật Phòng,
chống tham nhũng") is only read that far when it is listed here; the list also restores
diacritics in text written without them ("Luat Dat dai" → "Luật Đất đai").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vanban.ingest.extract.lexicon import akey
from vanban.ingest.normalize import match_key

__all__ = ["known_name", "known_name_span"]

_LAWS = """
An ninh mạng; An ninh quốc gia; An toàn thông tin mạng; An toàn thực phẩm;
An toàn, vệ sinh lao động; Ban hành văn bản quy phạm pháp luật; Báo chí; Bảo hiểm tiền gửi;
Bảo hiểm xã hội; Bảo hiểm y tế; Bảo vệ bí mật nhà nước; Bảo vệ môi trường;
Bảo vệ quyền lợi người tiêu dùng; Bảo vệ sức khỏe nhân dân; Bảo vệ và kiểm dịch thực vật;
Bảo vệ và phát triển rừng; Bảo vệ, chăm sóc và giáo dục trẻ em;
Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân; Bình đẳng giới; Biên giới quốc gia;
Biên phòng Việt Nam; Biển Việt Nam; Bưu chính; Cán bộ, công chức; Căn cước;
Căn cước công dân; Cảnh sát biển Việt Nam; Cảnh sát cơ động; Các tổ chức tín dụng; Cạnh tranh;
Chất lượng sản phẩm, hàng hóa; Chứng khoán; Chuyển giao công nghệ; Chăn nuôi;
Công an nhân dân; Công chứng; Công đoàn; Công nghệ cao; Công nghệ thông tin; Cơ yếu; Cư trú;
Dân quân tự vệ; Dầu khí; Di sản văn hóa; Doanh nghiệp; Doanh nghiệp nhà nước; Dược; Du lịch;
Dữ liệu; Đa dạng sinh học; Đặc xá; Đất đai; Đấu giá tài sản; Đấu thầu; Đầu tư; Đầu tư công;
Đầu tư theo phương thức đối tác công tư; Đê điều; Điện ảnh; Điện lực; Điều ước quốc tế;
Đo đạc và bản đồ; Đo lường; Đường bộ; Đường sắt; Giá; Giám định tư pháp; Giáo dục;
Giáo dục đại học; Giáo dục nghề nghiệp; Giáo dục quốc phòng và an ninh; Giao dịch điện tử;
Giao thông đường bộ; Giao thông đường thủy nội địa; Hải quan; Hàng không dân dụng Việt Nam;
Hòa giải ở cơ sở; Hòa giải, đối thoại tại Tòa án; Hóa chất; Hoạt động chữ thập đỏ;
Hoạt động giám sát của Quốc hội và Hội đồng nhân dân; Hôn nhân và gia đình; Hộ tịch;
Hợp tác xã; Hỗ trợ doanh nghiệp nhỏ và vừa; Kế toán; Khám bệnh, chữa bệnh;
Khí tượng thủy văn; Khiếu nại; Khiếu nại, tố cáo; Khoa học và công nghệ; Khoáng sản;
Kiểm toán độc lập; Kiểm toán nhà nước; Kiến trúc; Kinh doanh bảo hiểm;
Kinh doanh bất động sản; Lâm nghiệp; Luật sư; Lưu trữ; Lý lịch tư pháp;
Lực lượng dự bị động viên; Mặt trận Tổ quốc Việt Nam; Ngân hàng Nhà nước Việt Nam;
Ngân sách nhà nước; Nghĩa vụ quân sự; Người cao tuổi; Người khuyết tật;
Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng; Nhà ở;
Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam;
Năng lượng nguyên tử; Nuôi con nuôi; Phá sản; Phí và lệ phí; Phòng cháy và chữa cháy;
Phòng cháy, chữa cháy và cứu nạn, cứu hộ; Phòng thủ dân sự; Phòng, chống bạo lực gia đình;
Phòng, chống bệnh truyền nhiễm; Phòng, chống khủng bố; Phòng, chống ma túy;
Phòng, chống mua bán người; Phòng, chống rửa tiền; Phòng, chống tác hại của rượu, bia;
Phòng, chống tác hại của thuốc lá; Phòng, chống tham nhũng; Phòng, chống thiên tai;
Phổ biến, giáo dục pháp luật; Quản lý nợ công; Quản lý ngoại thương; Quản lý thuế;
Quản lý, sử dụng tài sản công; Quản lý, sử dụng tài sản nhà nước;
Quản lý, sử dụng vốn nhà nước đầu tư vào sản xuất, kinh doanh tại doanh nghiệp;
Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ; Quảng cáo; Quốc phòng;
Quốc tịch Việt Nam; Quân nhân chuyên nghiệp, công nhân và viên chức quốc phòng; Quy hoạch;
Quy hoạch đô thị; Quy hoạch đô thị và nông thôn;
Sĩ quan Quân đội nhân dân Việt Nam; Sở hữu trí tuệ; Sử dụng năng lượng tiết kiệm và hiệu quả;
Tài nguyên nước; Tài nguyên, môi trường biển và hải đảo; Tần số vô tuyến điện; Thanh niên;
Thanh tra; Thể dục, thể thao; Thi đua, khen thưởng; Thi hành án dân sự; Thi hành án hình sự;
Thi hành tạm giữ, tạm giam; Thỏa thuận quốc tế; Thống kê; Thực hiện dân chủ ở cơ sở; Thú y;
Thủ đô; Thủy lợi; Thủy sản;
Thư viện; Thuế bảo vệ môi trường; Thuế giá trị gia tăng; Thuế sử dụng đất nông nghiệp;
Thuế sử dụng đất phi nông nghiệp; Thuế tài nguyên; Thuế thu nhập cá nhân;
Thuế thu nhập doanh nghiệp; Thuế tiêu thụ đặc biệt; Thuế xuất khẩu, thuế nhập khẩu;
Thực hành tiết kiệm, chống lãng phí; Thương mại; Tiêu chuẩn và quy chuẩn kỹ thuật;
Tiếp cận thông tin; Tiếp công dân; Tín ngưỡng, tôn giáo; Tổ chức chính quyền địa phương;
Tổ chức Chính phủ; Tổ chức Hội đồng nhân dân và Ủy ban nhân dân; Tổ chức Quốc hội;
Tổ chức Tòa án nhân dân; Tổ chức Viện kiểm sát nhân dân; Tổ chức cơ quan điều tra hình sự;
Tố cáo; Tố tụng hành chính; Trách nhiệm bồi thường của Nhà nước;
Trật tự, an toàn giao thông đường bộ; Trẻ em; Trọng tài thương mại; Trồng trọt;
Trợ giúp pháp lý; Trưng cầu ý dân; Trưng mua, trưng dụng tài sản; Tương trợ tư pháp;
Viên chức; Việc làm; Viễn thông; Xây dựng; Xử lý vi phạm hành chính; Xuất bản;
Xuất cảnh, nhập cảnh của công dân Việt Nam; Thể dục thể thao; Thi đua - Khen thưởng;
Phòng chống tham nhũng; Phòng chống ma túy; Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân;
Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương
"""
_CODES = "Dân sự; Hình sự; Lao động; Tố tụng dân sự; Tố tụng hình sự; Hàng hải Việt Nam"
_ORDINANCES = """
Ưu đãi người có công với cách mạng; Cựu chiến binh; Cán bộ, công chức; Dân số; Thư viện;
Bảo vệ bí mật nhà nước;
Cơ yếu; Phí và lệ phí; Xử lý vi phạm hành chính; Thực hiện dân chủ ở xã, phường, thị trấn;
Tín ngưỡng, tôn giáo; Quảng cáo; Giống cây trồng; Thú y; Bảo vệ và kiểm dịch thực vật;
Chống tham nhũng; Công an xã; Dân quân tự vệ; Chi phí giám định, định giá; Quản lý thị trường
"""


def _table(names: str, key: Callable[[str], str]) -> dict[str, str]:
    entries = [" ".join(n.split()) for n in names.replace("\n", " ").split(";") if n.strip()]
    return {key(n): n for n in entries}


def _accented(text: str) -> str:
    return match_key(" ".join(text.split()))


def _by_first_word(table: dict[str, str]) -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for key, name in table.items():
        index.setdefault(key.split()[0].rstrip(","), {})[key] = name
    return index


_SOURCES = {"Luật": _LAWS, "Bộ luật": _CODES, "Pháp lệnh": _ORDINANCES}
_PLAIN = {t: _by_first_word(_table(names, akey)) for t, names in _SOURCES.items()}
_WITH_ACCENTS = {t: _by_first_word(_table(names, _accented)) for t, names in _SOURCES.items()}
_FIRST_WORD_RE = re.compile(r"[^\W_]+")
# Abbreviations clerks write inside law names ("Luật tổ chức HĐND và UBND").
_ABBREVIATIONS = {
    "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "VN": "Việt Nam",
    "CHXHCN": "Cộng hòa xã hội chủ nghĩa",
    "NSNN": "Ngân sách nhà nước",
    "BHXH": "Bảo hiểm xã hội",
    "BHYT": "Bảo hiểm y tế",
    "CNTT": "Công nghệ thông tin",
    "KH&CN": "Khoa học và công nghệ",
    "KHCN": "Khoa học và công nghệ",
    "QPPL": "quy phạm pháp luật",
    "VBQPPL": "văn bản quy phạm pháp luật",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân",
    "PCCC": "Phòng cháy và chữa cháy",
    "PCTN": "Phòng, chống tham nhũng",
    "ATTP": "An toàn thực phẩm",
    "GTĐB": "Giao thông đường bộ",
    "XLVPHC": "Xử lý vi phạm hành chính",
    "THTK, CLP": "Thực hành tiết kiệm, chống lãng phí",
    "THTK": "Thực hành tiết kiệm",
    "CLP": "chống lãng phí",
}
_ABBREVIATION_RE = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![^\W_])"
)


def known_name(type_name: str, following: str, *, plain: bool = False) -> str | None:
    """The longest listed name that ``following`` (text after the type word) starts with.

    Text with diacritics must match them ("Luật được …" is not "Luật Dược"); with ``plain``
    (the text is written without diacritics) the plain spelling matches too.
    """
    first = _FIRST_WORD_RE.match(following)
    if first is None:
        return None
    word = first.group()
    accented = _WITH_ACCENTS.get(type_name, {}).get(match_key(word))
    best = _longest(accented, _accented(following[:120])) if accented else None
    plain_table = _PLAIN.get(type_name, {}).get(akey(word))
    if best is None and plain and plain_table:
        restored = _longest(plain_table, akey(following[:120]))
        if restored is not None and following[: len(restored)].isascii():
            best = restored
    return best


def known_name_span(
    type_name: str, following: str, *, plain: bool = False
) -> tuple[str, int, bool] | None:
    """The listed name ``following`` starts with, how many of its characters it takes, and
    whether abbreviations were read ("tổ chức HĐND và UBND ngày …" → "Tổ chức Hội đồng nhân
    dân và Ủy ban nhân dân", 21, True)."""
    name = known_name(type_name, following, plain=plain)
    if name is not None:
        return name, len(name), False
    head = following[:120]
    if _ABBREVIATION_RE.search(head) is None:
        return None
    expanded, ends = _expand(head)
    name = known_name(type_name, expanded)
    if name is None or len(name) > len(ends):
        return None
    return name, ends[len(name) - 1], True


def _expand(text: str) -> tuple[str, list[int]]:
    """``text`` with its abbreviations written out, and for each character of the result
    the end of what it stands for in ``text``."""
    parts: list[str] = []
    ends: list[int] = []
    pos = 0
    for match in _ABBREVIATION_RE.finditer(text):
        parts.append(text[pos : match.start()])
        ends.extend(range(pos + 1, match.start() + 1))
        full = _ABBREVIATIONS[match.group()]
        parts.append(full)
        ends.extend([match.end()] * len(full))
        pos = match.end()
    parts.append(text[pos:])
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(parts), ends


def _longest(table: dict[str, str], text: str) -> str | None:
    best = None
    for key, name in table.items():
        whole = text.startswith(key) and (len(text) == len(key) or not text[len(key)].isalnum())
        if whole and (best is None or len(name) > len(best)):
            best = name
    return best
