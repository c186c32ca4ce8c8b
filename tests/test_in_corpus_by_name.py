"""A directive cited by name and day, without its number ("Căn cứ Luật Thanh tra ngày 15
tháng 11 năm 2010"), is in the corpus when the corpus holds that law of that day: the
clerk's "Trong kho" column says so and links it.  A name without a day, or of another day,
stays unmatched (laws keep their names across versions)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import need_shared
from tests.test_cli import run

LAW = ("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLuật số: 56/2010/QH12\n"
       "Hà Nội, ngày 15 tháng 11 năm 2010\nLUẬT\nTHANH TRA\n"
       "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về tổ chức, hoạt động thanh tra nhà nước.\n")
REPORT = ("ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG\nSố: 12/BC-UBND\nBÁO CÁO\nCông tác thanh tra năm 2012\n"
          "Căn cứ Luật Thanh tra ngày 15 tháng 11 năm 2010;\n"
          "Căn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;\n"
          "Thực hiện Luật Doanh nghiệp, các đơn vị báo cáo.\n")


def _in_corpus(report: Path, db: Path) -> dict[str, str | None]:
    code, out, err = run("refs", str(report), "--db", str(db), "--json")
    assert code == 0, err
    obj = json.loads(out.splitlines()[0])
    return {r["name"] or r["symbol"]: r["in_corpus"] for r in obj["references"]}


def test_a_law_cited_by_name_and_day_is_found(tmp_path: Path) -> None:
    (tmp_path / "kho").mkdir()
    (tmp_path / "kho" / "luat-thanh-tra.txt").write_text(LAW, encoding="utf-8")
    db = tmp_path / "kho.db"
    code, _, err = run("ingest", str(tmp_path / "kho"), "--db", str(db), "--workers", "1")
    assert code == 0, err
    report = tmp_path / "bao-cao.txt"
    report.write_text(REPORT, encoding="utf-8")
    found = _in_corpus(report, db)
    assert found["Luật Thanh tra"] == "luat-thanh-tra"
    assert found["Luật Tổ chức Chính phủ"] is None  # not in the corpus
    assert found.get("Luật Doanh nghiệp") is None  # no day: which version is not said
    report.write_text(REPORT.replace("15 tháng 11 năm 2010", "15 tháng 6 năm 2004"),
                      encoding="utf-8")
    assert _in_corpus(report, db)["Luật Thanh tra"] is None


def test_real_decree_citing_the_inspection_law(tmp_path: Path) -> None:
    law = need_shared("vlc_laws", "Luat-thanh-tra-2010-115311.txt")
    decree = need_shared("pdfs", "doc_real",
                         "Nghi dinh 86 huong dna thi hnah Luat Thanh tra nam 2010.doc")
    db = tmp_path / "kho.db"
    code, _, err = run("ingest", str(law), "--db", str(db), "--workers", "1")
    assert code == 0, err
    found = _in_corpus(decree, db)
    assert found["Luật Thanh tra"] == "luat-thanh-tra-2010-115311"
