"""What a server was started with."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from vanban.ingest.read.readers import SUPPORTED, Limits

# Report uploads: every readable file type but the corpus batch format.
UPLOAD_SUFFIXES = tuple(s for s in SUPPORTED if s != ".jsonl")


@dataclass(frozen=True)
class WebConfig:
    """``db`` the corpus the pages read; ``token`` required on every request when set;
    ``report_workers`` processes reading uploads (0: threads of the server process);
    ``answers_dir`` where answers are kept for download when several server processes
    share them (else in memory)."""

    db: Path
    max_mb: float = 100.0
    max_pages: int = 2000
    max_seconds: float = 600.0
    ocr: bool = True
    token: str | None = None
    allow_ingest: bool = False
    report_workers: int = 1
    kept_answers: int = 64
    answers_dir: Path | None = None

    def to_json(self) -> str:
        return json.dumps({k: str(v) if isinstance(v, Path) else v
                           for k, v in asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> WebConfig:
        data = json.loads(text)
        for key in ("db", "answers_dir"):
            if data.get(key) is not None:
                data[key] = Path(data[key])
        return cls(**data)

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def limits(self) -> Limits:
        return Limits(max_bytes=self.max_bytes, max_pages=self.max_pages,
                      max_seconds=self.max_seconds, ocr=self.ocr, ocr_workers=1)
