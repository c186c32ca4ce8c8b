"""The errors the pages show, said in Vietnamese.

The readers, the store and the app say what went wrong in English (the CLI's `Error:` lines
and the JSON API's ``error`` keep it); a page for office staff says it in Vietnamese.  Each
rule matches one kind of message, whatever file it names ("bao-cao.pdf: not a PDF …" is
"bao-cao.pdf: " and the rule for "not a PDF …"); a message no rule knows is shown as it is,
under a Vietnamese line saying the request could not be answered.
"""

from __future__ import annotations

import re

__all__ = ["page_message", "vietnamese"]

_N = r"[\d.,]+"
_RULES: tuple[tuple[str, str], ...] = (
    # -- the file itself
    (r"empty (?:file|input)(?: \(only blanks\))?", "tệp rỗng, không có nội dung"),
    (r"no such file.*", "không tìm thấy tệp"),
    (r"permission denied.*|cannot open the file.*", "không mở được tệp (không có quyền đọc)"),
    (r"is a directory.*", "đây là một thư mục, không phải một tệp"),
    (rf"(?:file|input) is (?P<size>{_N} [KMG]?B)[,:] over the (?P<limit>{_N} ?[KMG]?B) limit.*",
     "tệp nặng {size}, vượt giới hạn {limit}"),
    (rf"(?:file|input) is (?P<size>{_N} [KMG]?B): over the (?P<limit>{_N}) character limit",
     "tệp nặng {size}, vượt giới hạn {limit} ký tự"),
    (r"file is over the (?P<limit>.+?) limit.*", "tệp vượt giới hạn {limit}"),
    (rf"(?:text over the |(?P<count>{_N}) characters, over the )(?P<limit>{_N}) character "
     r"limit", "văn bản quá dài, vượt giới hạn {limit} ký tự"),
    (rf"the text is over (?P<limit>{_N}) characters", "nội dung dán vào dài quá {limit} ký tự"),
    (rf"took over (?P<secs>{_N}) s.*", "đọc tệp quá {secs} giây, vượt thời gian cho phép"),
    (r"unsupported file type '(?P<kind>[^']*)' \(supported: (?P<known>[^)]*)\)",
     "không đọc được loại tệp '{kind}' (chỉ nhận: {known})"),
    (r"unsupported file type '(?P<kind>[^']*)'.*", "không đọc được loại tệp '{kind}'"),
    (r"not a text or document file|binary data, not text.*|cannot decode.*",
     "không phải tệp văn bản (dữ liệu nhị phân, không đọc được chữ)"),
    (r".*\(a (?:zip|decompression) bomb\?\).*",
     "tệp nén bất thường (nghi là tệp phá hoại), không đọc"),
    (r"out of memory.*|the worker reading the file stopped.*",
     "hết bộ nhớ khi đọc tệp (tệp quá lớn?)"),
    # -- PDF
    (r"encrypted PDF.*", "tệp PDF có mật khẩu (đã mã hóa), không đọc được"),
    (r"not a PDF.*", "không phải tệp PDF (có thể là tệp loại khác đặt tên .pdf)"),
    (r"truncated PDF.*", "tệp PDF bị cắt cụt (tải về hoặc sao chép chưa xong?)"),
    (r"not a readable PDF.*|PDF without pages",
     "tệp PDF bị hỏng, không đọc được"),
    (rf"(?P<count>{_N}) pages, over the (?P<limit>{_N}) page limit.*",
     "tệp có {count} trang, vượt giới hạn {limit} trang"),
    (r"(?:image )?page (?P<page>\d+) is damaged", "trang {page} bị hỏng, không đọc được"),
    (r"scanned PDF without a text layer, and OCR is off|an image needs OCR, and OCR is off",
     "tệp là bản quét (ảnh) mà chức năng nhận dạng chữ (OCR) đang tắt"),
    (r"scanned PDF without a text layer: .*|could not run tesseract.*|tesseract failed.*",
     "tệp là bản quét nhưng không nhận dạng được chữ (OCR lỗi)"),
    (r"no text in this PDF.*", "tệp PDF không có chữ (trang trắng, hoặc ảnh chưa nhận dạng)"),
    (r"no text found in the image", "không nhận ra chữ nào trong ảnh"),
    (r"not a readable image.*|image file: .*", "ảnh bị hỏng hoặc không đầy đủ, không đọc được"),
    # -- Word
    (r"encrypted \.docx?.*|an encrypted or old-format Word file.*",
     "tệp Word có mật khẩu (đã mã hóa) hoặc định dạng cũ, không đọc được — hãy lưu lại "
     "thành .docx"),
    (r"not a valid \.docx.*|corrupt \.docx.*|not a Word document.*",
     "tệp .docx bị hỏng hoặc không phải tệp Word"),
    (r"not a Word 97-2003 document.*|antiword could not read.*|LibreOffice could not.*",
     "tệp .doc bị hỏng hoặc không phải tệp Word 97-2003"),
    (r"reading \.doc needs .*|could not run .*",
     "máy chủ chưa cài chương trình đọc tệp .doc — hãy lưu lại thành .docx hoặc PDF"),
    (r"no text in this Word file", "tệp Word không có chữ"),
    # -- what a file says of itself (warnings: the file is read all the same)
    (r"(?:front matter|header): date '(?P<value>.*)' is not a date.*",
     "ngày '{value}' ghi ở đầu tệp không hợp lệ: bỏ qua"),
    (r"front matter: no closing '---' line.*",
     "phần khai báo đầu tệp thiếu dòng '---' đóng: đọc như văn bản"),
    (r"front matter line (?P<line>\d+) does not parse.*",
     "dòng {line} của phần khai báo đầu tệp không đọc được: bỏ qua phần khai báo"),
    # -- the forms
    (r"no report: .*", "chưa có báo cáo: hãy chọn một tệp hoặc dán nội dung vào ô"),
    (r"the upload is over the (?P<limit>.+?) limit.*|over the (?P<limit2>.+?) limit.*",
     "tệp tải lên vượt giới hạn {limit}{limit2}"),
    (r"empty query.*", "chưa nhập từ cần tìm"),
    (r"'(?P<value>.*)' is not a date.*",
     "'{value}' không phải ngày hợp lệ (viết 31/12/2020, 12/2020 hoặc 2020)"),
    (r"from (?P<a>.+) is after to (?P<b>.+)", "'từ ngày' {a} sau 'đến ngày' {b}"),
    (r"unknown type '(?P<value>.*)' — known types: (?P<known>.*)",
     "không có loại văn bản '{value}' — các loại: {known}"),
    (r"--cites: '(?P<value>.*)' is not a document symbol.*",
     "'{value}' không phải số hiệu văn bản — viết như 25-NQ/TW, 30/2020/NĐ-CP"),
    (r"unclosed quote", "thiếu dấu ngoặc kép đóng"),
    (r"no such page", "không có trang này"),
    (r"no document '(?P<doc>.*)' in the corpus.*", "kho không có văn bản '{doc}'"),
    (r"no corpus document is or cites (?P<sym>.*)",
     "không văn bản nào trong kho là hoặc dẫn {sym}"),
    (r"this answer is no longer kept.*",
     "kết quả này không còn được lưu — hãy kiểm tra lại báo cáo"),
    (r"the corpus is being updated.*", "kho văn bản đang được cập nhật — thử lại sau giây lát"),
    (r"this server needs its access token.*",
     "máy chủ này cần mã truy cập: mở địa chỉ kèm ?token=… do người quản trị cung cấp"),
    (r"unexpected error.*", "lỗi không lường trước khi đọc tệp"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE | re.DOTALL), template)
                  for pattern, template in _RULES)


def _rule(message: str) -> str | None:
    for pattern, template in _COMPILED:
        if m := pattern.fullmatch(message):
            return template.format_map({k: v or "" for k, v in m.groupdict().items()})
    return None


def vietnamese(message: str) -> str | None:
    """``message`` said in Vietnamese (a file name before it kept), or None if no rule
    knows it."""
    said = _rule(message)
    if said is not None:
        return said
    for m in re.finditer(": ", message):  # "NAME: why" (a name may itself hold ": ")
        said = _rule(message[m.end():])
        if said is not None:
            return f"{message[:m.start()]}: {said}"
    return None


def page_message(message: str) -> dict[str, str]:
    """An error as a page shows it: in Vietnamese (``message``), the original (English)
    kept as the technical ``detail`` for whoever runs the server."""
    said = vietnamese(message)
    return {"message": said or "Không thực hiện được yêu cầu.", "detail": message}
