"""The command line: every command, every output format, every error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.search.cli import cli

ARTICLE = (
    "2019-05-14 08:31:07 Số lượt xem 1245\n"
    "Quán triệt Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về công "
    "tác dân vận, Ban Dân vận Thành ủy đã phát động phong trào thi đua “Dân vận khéo” trong "
    "toàn thể cán bộ, đảng viên và nhân dân trên địa bàn thành phố.\n"
    "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, "
    "các phòng, ban đã chuẩn hóa thể thức văn bản hành chính và lưu trữ hồ sơ điện tử.\n"
    "Thống kê truy cập\nĐang online37\nTất cả1893422\n"
)


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def corpus_db(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bai-viet.txt").write_text(ARTICLE, encoding="utf-8")
    lines = [
        {"id": "vb-1", "title": "Chuyển đổi số", "date": "2021-03-02",
         "text": "Triển khai Quyết định số 749/QĐ-TTg ngày 03/6/2020 về chuyển đổi số quốc gia,"
                 " tỉnh đã đưa dịch vụ công trực tuyến mức độ 4 tới mọi xã, phường."},
        {"id": "vb-2", "text": "Thành uỷ chỉ đạo đẩy mạnh hoà giải ở cơ sở, giữ gìn trật tự."},
    ]
    (folder / "ds.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines),
                                     encoding="utf-8")
    db = tmp_path / "c.db"
    code, _, err = run("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert code == 0, err
    return db


COMMANDS = ["ingest", "index", "search", "refs", "cites", "show", "stats", "list", "rm"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example:" in out and "vanban " + command in out


def test_version_and_short_help() -> None:
    assert run("--version")[1].startswith("vanban, version")
    assert run("-h")[0] == 0


def test_ingest_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "tot.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    odd = tmp_path / "anh.xyz"
    odd.write_bytes(b"\x00\x01")
    db = tmp_path / "c.db"
    code, out, err = run("ingest", str(good), str(empty), str(odd), str(tmp_path / "khong.txt"),
                         "--db", str(db))
    assert code == 1
    assert out == ""
    assert f"Error: {empty}: empty file" in err
    assert f"Error: {odd}: unsupported file type '.xyz'" in err
    assert f"Error: {tmp_path / 'khong.txt'}: no such file or directory" in err
    assert "1 documents added" in err and "3 failed" in err
    assert "Traceback" not in err
    code, out, _ = run("stats", "--db", str(db), "--json")
    assert json.loads(out)["documents"] == 1


def test_ingest_twice_is_idempotent(corpus_db: Path, tmp_path: Path) -> None:
    code, _, err = run("ingest", str(tmp_path / "docs"), "--db", str(corpus_db))
    assert code == 0
    assert "0 documents added" in err and "3 unchanged" in err
    stats = json.loads(run("stats", "--db", str(corpus_db), "--json")[1])
    assert stats["documents"] == 3
    assert stats["index"]["state"] == "current"


def test_search_json_contract(corpus_db: Path) -> None:
    code, out, _ = run("search", "công tác văn thư", "--db", str(corpus_db), "--json")
    assert code == 0
    obj = json.loads(out)
    assert obj["query"] == "công tác văn thư"
    hit = obj["hits"][0]
    assert set(hit) - {"more"} == {"rank", "score", "doc_id", "title", "date", "source", "page",
                                   "passage", "snippet", "highlights", "directives"}
    assert hit["doc_id"] == "bai-viet" and hit["rank"] == 1 and hit["date"] == "2019-05-14"
    assert "văn thư" in hit["passage"]
    assert {"symbol": "30/2020/NĐ-CP", "name": None, "type": "Nghị định",
            "date": "2020-03-05", "year": 2020} in hit["directives"]


def test_search_without_accents_and_tone_styles(corpus_db: Path) -> None:
    hits = json.loads(run("search", "dan van kheo", "--db", str(corpus_db), "--json")[1])["hits"]
    assert hits[0]["doc_id"] == "bai-viet"
    old = json.loads(run("search", "Thành uỷ hoà giải", "--db", str(corpus_db), "--json")[1])
    new = json.loads(run("search", "Thành ủy hòa giải", "--db", str(corpus_db), "--json")[1])
    assert [h["doc_id"] for h in old["hits"]] == [h["doc_id"] for h in new["hits"]]
    assert old["hits"][0]["doc_id"] == "vb-2"


def test_search_table_and_csv(corpus_db: Path) -> None:
    code, out, _ = run("search", "chuyển đổi số", "--db", str(corpus_db))
    assert code == 0 and "vb-1" in out and "749/QĐ-TTg" in out
    code, out, _ = run("search", "chuyển đổi số", "--db", str(corpus_db), "--csv")
    assert out.splitlines()[0].startswith("rank,score,doc_id")


def test_search_errors(corpus_db: Path) -> None:
    code, out, err = run("search", "   ", "--db", str(corpus_db))
    assert code == 2 and out == "" and "Error:" in err
    code, out, err = run("search", "xyzzyq", "--db", str(corpus_db), "--json")
    assert code == 0 and json.loads(out)["hits"] == [] and "no hits" in err


def test_missing_and_foreign_database(tmp_path: Path) -> None:
    code, out, err = run("search", "dân vận", "--db", str(tmp_path / "none.db"))
    assert code == 1 and out == ""
    assert "Error: no corpus database at" in err and "vanban ingest" in err
    foreign = tmp_path / "x.db"
    foreign.write_bytes(b"not a database" * 200)
    code, _, err = run("stats", "--db", str(foreign))
    assert code == 1 and "not a vanban database" in err


def test_batch_queries_trec_and_jsonl(corpus_db: Path, tmp_path: Path) -> None:
    qfile = tmp_path / "q.tsv"
    qfile.write_text("q1\tvăn thư\nq2\tchuyen doi so\n", encoding="utf-8")
    code, out, _ = run("search", "--queries", str(qfile), "--format", "trec", "-k", "2",
                       "--db", str(corpus_db))
    assert code == 0
    first = out.splitlines()[0].split()
    assert first[:4] == ["q1", "Q0", "bai-viet", "1"] and first[5] == "vanban"
    code, out, _ = run("search", "--queries", str(qfile), "--format", "jsonl",
                       "--db", str(corpus_db))
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["qid"] for o in objs] == ["q1", "q2"]
    assert objs[1]["hits"][0]["doc_id"] == "vb-1"


def test_refs_json_contract_from_stdin() -> None:
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;"
    code, out, _ = run("refs", "-", "--json", input=text)
    assert code == 0
    obj = json.loads(out)
    assert {"source", "document", "references", "dates"} <= set(obj)
    ref = obj["references"][0]
    assert ref["symbol"] == "30/2020/NĐ-CP" and ref["date"] == "2020-03-05"
    assert ref["relation"] == "căn cứ" and ref["in_corpus"] is None
    m = ref["mentions"][0]
    assert text[m["start"]:m["end"]] == m["text"]
    assert {"text": "ngày 05/3/2020", "value": "2020-03-05", "granularity": "day",
            "start": text.index("ngày 05"), "end": text.index("ngày 05") + 14} in obj["dates"]


def test_refs_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.",
                    encoding="utf-8")
    code, out, err = run("refs", str(good), str(tmp_path / "b.txt"), "--json")
    assert code == 1
    assert json.loads(out.splitlines()[0])["references"][0]["symbol"] == "05-CT/TW"
    assert f"Error: {tmp_path / 'b.txt'}: no such file" in err
    assert "1 of 2 inputs read, 1 failed" in err


def test_refs_in_corpus_with_db(corpus_db: Path, tmp_path: Path) -> None:
    own = tmp_path / "qd.txt"
    own.write_text("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nSố: 1510/QĐ-UBND\nPhú Thọ, ngày 07 tháng 12"
                   " năm 2021\nQUYẾT ĐỊNH\nVề việc ban hành quy chế làm việc\n"
                   "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n",
                   encoding="utf-8")
    assert run("ingest", str(own), "--db", str(corpus_db))[0] == 0
    text = "Thực hiện Quyết định số 1510/QĐ-UBND ngày 07/12/2021 của UBND tỉnh Phú Thọ."
    out = run("refs", "-", "--json", "--db", str(corpus_db), input=text)[1]
    ref = json.loads(out)["references"][0]
    assert ref["symbol"] == "1510/QĐ-UBND" and ref["in_corpus"] == "qd"
    table = run("refs", "-", "--db", str(corpus_db), input=text + " Nghị định 30/2020/NĐ-CP.")[1]
    assert "not in corpus" in table


def test_cites_show_stats(corpus_db: Path) -> None:
    code, out, _ = run("cites", "nq 25/tw", "--db", str(corpus_db), "--json")
    assert code == 0
    obj = json.loads(out.splitlines()[0])
    assert obj["doc_id"] == "bai-viet" and obj["relation"] == "thực hiện"
    assert {"doc_id", "title", "date", "relation", "mentions"} <= set(obj)
    code, out, _ = run("show", "vb-1", "--db", str(corpus_db), "--json")
    assert json.loads(out)["references"][0]["symbol"] == "749/QĐ-TTg"
    code, out, err = run("show", "khong-co", "--db", str(corpus_db))
    assert code == 1 and out == "" and "Error: no document 'khong-co'" in err
    stats = json.loads(run("stats", "--db", str(corpus_db), "--json")[1])
    assert stats["documents"] == 3 and stats["references"] >= 3 and stats["dates"] >= 3
    assert stats["passages"] >= 3


def test_an_older_index_answers_and_counts_what_it_lacks(corpus_db: Path,
                                                        tmp_path: Path) -> None:
    extra = tmp_path / "them.txt"
    extra.write_text("Kế hoạch phát triển du lịch cộng đồng gắn với bảo tồn di sản văn hóa "
                     "của các dân tộc thiểu số vùng cao, giai đoạn 2021 - 2025.",
                     encoding="utf-8")
    assert run("ingest", str(extra), "--db", str(corpus_db), "--no-index")[0] == 0
    code, out, err = run("search", "nghị quyết", "--db", str(corpus_db), "--json")
    assert code == 0 and json.loads(out)["hits"]  # the last good index answers
    assert "1 document added since the index was built" in err
    assert err.count("added since") == 1
    index = json.loads(run("stats", "--db", str(corpus_db), "--json")[1])["index"]
    assert index["state"] == "stale" and index["added_since"] == 1
    assert not json.loads(run("search", "du lịch", "--db", str(corpus_db), "--json")[1])["hits"]
    assert run("index", "--db", str(corpus_db))[0] == 0
    code, _, err = run("search", "du lịch", "--db", str(corpus_db))
    assert code == 0 and "added since" not in err
    assert json.loads(run("search", "du lịch", "--db", str(corpus_db), "--json")[1])["hits"]


def test_bundled_sample_corpus_is_used_without_db(sample_db: Path) -> None:
    code, out, _ = run("search", "công tác dân vận", "--json", "-k", "3")
    assert code == 0
    assert len(json.loads(out)["hits"]) == 3
    stats = json.loads(run("stats", "--json")[1])
    assert stats["documents"] >= 40


def test_empty_folder_warns_and_leaves_an_empty_searchable_corpus(tmp_path: Path) -> None:
    (tmp_path / "rong").mkdir()
    db = tmp_path / "c.db"
    code, _, err = run("ingest", str(tmp_path / "rong"), "--db", str(db))
    assert code == 1 and "0 files" in err
    assert f"Warning: {tmp_path / 'rong'}: no supported files" in err.splitlines()
    code, out, err = run("search", "dân vận", "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["hits"] == [] and "no hits" in err
    assert json.loads(run("stats", "--db", str(db), "--json")[1])["documents"] == 0


@pytest.mark.parametrize("args", [["index"], ["show", "x"], ["cites", "25-NQ/TW"], ["graph"],
                                  ["stats"], ["search", "dân vận"]])
def test_read_commands_on_a_missing_database(args: list[str], tmp_path: Path) -> None:
    db = tmp_path / "khong.db"
    code, out, err = run(*args, "--db", str(db))
    assert code == 1 and out == ""
    assert err.strip() == (f"Error: no corpus database at {db} — create one with "
                           f"`vanban ingest PATH... --db {db}`")
    assert not db.exists()


def test_usage_errors(corpus_db: Path, tmp_path: Path) -> None:
    code, out, err = run("search", "x", "--queries", str(tmp_path / "khong.tsv"),
                         "--db", str(corpus_db))
    assert code == 2 and out == "" and "does not exist" in err
    code, out, err = run("search", "dân vận", "--from", "2020-13", "--db", str(corpus_db))
    assert code == 2 and out == ""
    assert "Error: Invalid value for '--from': '2020-13' is not a date" in err
    code, out, err = run("cites", "hello", "--db", str(corpus_db))
    assert code == 1 and out == "" and err.startswith("Error: 'hello' is not a document symbol")
    code, _, err = run("ingest")
    assert code == 2 and "Missing argument 'PATH...'" in err
    code, _, err = run("refs", str(tmp_path), "--json")
    assert code == 1 and f"Error: {tmp_path}: is a directory" in err


def test_batch_query_file_with_a_bad_line(corpus_db: Path, tmp_path: Path) -> None:
    qfile = tmp_path / "q.tsv"
    qfile.write_text("q1\tvăn thư\nkhong co tab\nq3\t???\nq4\tchuyển đổi số\n",
                     encoding="utf-8")
    code, out, err = run("search", "--queries", str(qfile), "--format", "trec",
                         "--db", str(corpus_db))
    assert code == 1 and out.startswith("q1 Q0 ") and "\nq4 Q0 vb-1 1 " in out
    assert f"Error: {qfile}: line 2: expected `qid<TAB>query`" in err
    assert f"Error: {qfile}: line 3: the query has no words" in err
