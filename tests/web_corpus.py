"""A corpus for the web tests: the bundled sample plus one document holding markup and
script that must show as text (copied from the session's sample corpus, then ingested)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from vanban.index.files import index_dir
from vanban.search.cli import cli

HOSTILE_ID = "ke-hoach-thu-nghiem"
HOSTILE_TEXT = (
    "Kế hoạch thử nghiệm <script>alert(1)</script> về công tác dân vận khéo\n"
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về "
    "công tác dân vận, <img src=x onerror=\"window.__xss=1;alert(2)\"> các cơ quan triển "
    "khai \"><svg onload=alert(3)> kế hoạch dân vận khéo.\n")
REPORT_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nSố: 15/KH-UBND\nPhú Thọ, ngày 07 tháng 12 năm 2021\n"
    "KẾ HOẠCH\nThực hiện công tác văn thư năm 2022\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n"
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về công "
    "tác dân vận; Nghị quyết số 25-NQ/TW ngày 03/7/2013 được quán triệt đến cán bộ.\n")


def build_web_corpus(sample_db: Path, folder: Path) -> Path:
    """``folder``/web.db: the sample corpus and the hostile document, indexed."""
    db = folder / "web.db"
    shutil.copy(sample_db, db)
    shutil.copytree(index_dir(sample_db), index_dir(db))
    source = folder / f"{HOSTILE_ID}.txt"
    source.write_text(HOSTILE_TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(source), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    return db
