"""PDF files: text per page (pdfplumber), page numbers kept."""

from __future__ import annotations

from pathlib import Path

from corpus.model import Page, RawDocument


def read_pdf(path: Path, *, max_pages: int = 2000) -> RawDocument:
    """Text of every page; raises ``ReadError`` for corrupt or encrypted files."""
    from ingest.readers import ReadError

    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a core dependency
        raise ReadError("pdfplumber is not installed (pip install vanban)") from None
    pages: list[Page] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > max_pages:
                raise ReadError(f"{len(pdf.pages)} pages, over the {max_pages} page limit "
                                "(raise it with --max-pages)")
            for number, page in enumerate(pdf.pages, 1):
                pages.append(Page(number, page.extract_text() or ""))
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError("encrypted PDF (password protected)") from None
    except PDFSyntaxError as exc:
        raise ReadError(f"not a readable PDF ({exc})") from None
    except Exception as exc:  # pdfminer raises many internal types on broken files
        raise ReadError(f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    return RawDocument(source=str(path), pages=tuple(pages))
