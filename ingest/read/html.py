"""HTML pages: the article text without menus, widgets and counters; title, date, url.

Uses the standard library's tokenizer, which never expands custom entities, so nested
entity definitions (the "billion laughs") cost nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from vanban.ingest.read.clean import clean_scraped

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "button", "select", "template", "menu"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "blockquote", "table", "ul", "ol", "dd", "dt", "pre", "td", "th"}
_JUNK_CLASS = re.compile(
    r"(menu|navbar|breadcrumb|sidebar|widget|footer|counter|thongke|thong-ke|share|social|"
    r"related|tin-?lien-?quan|tin-?khac|comment|binh-?luan|banner|advert|quang-?cao|"
    r"login|search|popup|modal|cookie)", re.IGNORECASE)
# "header" is junk (the site's header) unless it is the article's own header
_HEADER_CLASS = re.compile(r"header|top-?bar", re.IGNORECASE)
_ARTICLE_CLASS = re.compile(r"article|detail|post|entry|title|content|news|tin-?bai",
                            re.IGNORECASE)
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed",
         "param", "track", "base"}
_DATE_META = ("article:published_time", "datepublished", "pubdate", "publishdate", "date",
              "dc.date", "dc.date.issued", "dc.date.created", "dcterms.issued",
              "dcterms.created", "dcterms.date", "citation_date", "article:modified_time",
              "og:updated_time", "datemodified")
_ISO_DAY = re.compile(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)")
_VN_DAY = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: str | None
    date: str | None
    url: str | None
    date_source: str | None = None  # "html_meta", "timestamp" or "byline"


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []
        self.title: str | None = None
        self.h1: str | None = None
        self.meta: dict[str, str] = {}
        self.time_attr: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and a.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", a.get("href", ""))
        if tag == "time" and a.get("datetime") and self.time_attr is None:
            self.time_attr = a["datetime"]
        if self.skip_stack or _is_junk(tag, f"{a.get('class', '')} {a.get('id', '')}"):
            if tag not in _VOID:
                self.skip_stack.append(tag)
            return
        if tag in ("title", "h1"):
            self._in = tag
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag == self._in:
            self._in = None
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title" and self.title is None:
            self.title = data.strip() or None
            return
        if self.skip_stack:
            return
        if self._in == "h1" and self.h1 is None and data.strip():
            self.h1 = data.strip()
        self.parts.append(data)


def _is_junk(tag: str, names: str) -> bool:
    if tag in _SKIP or _JUNK_CLASS.search(names):
        return True
    return bool(_HEADER_CLASS.search(names)) and not _ARTICLE_CLASS.search(names)


def html_to_text(markup: str) -> HtmlPage:
    """The readable text of a page, one paragraph per line, widgets removed."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    raw = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", ln).strip() for ln in raw.split("\n")]
    cleaned = clean_scraped("\n".join(ln for ln in lines if ln))
    title = parser.meta.get("og:title") or parser.h1 or parser.title
    found = [(_page_date(parser), "html_meta"), (cleaned.date, "timestamp"),
             (_byline_date(cleaned.text), "byline")]
    date, source = next(((d, s) for d, s in found if d), (None, None))
    return HtmlPage(text=cleaned.text, title=title, date=date, date_source=source,
                    url=parser.meta.get("og:url") or parser.meta.get("canonical") or None)


_BYLINE = re.compile(r"ngày đăng|đăng ngày|cập nhật|đăng lúc|thời gian|thứ\s+(?:hai|ba|tư|năm|"
                     r"sáu|bảy)|chủ nhật|\d{1,2}:\d{2}", re.IGNORECASE)


def _byline_date(text: str) -> str | None:
    """The date of a short byline near the top ("Thứ Năm, 14/05/2020 08:00")."""
    for line in text.split("\n")[:12]:
        if len(line) > 80 or not _BYLINE.search(line):
            continue
        value = _page_date_value(line)
        if value:
            return value
    return None


def _page_date(p: _Extractor) -> str | None:
    for value in [p.meta.get(k, "") for k in _DATE_META] + [p.time_attr or ""]:
        found = _page_date_value(value)
        if found:
            return found
    return None


def _page_date_value(value: str) -> str | None:
    m = _ISO_DAY.search(value)
    if m:
        return m.group(0)
    m2 = _VN_DAY.search(value)
    if m2 and 1 <= int(m2[1]) <= 31 and 1 <= int(m2[2]) <= 12:
        return f"{m2[3]}-{int(m2[2]):02d}-{int(m2[1]):02d}"
    return None
