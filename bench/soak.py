"""Load and faults: searches during a large ingest, and an ingest killed at random moments.

Soak: 4 processes run `vanban search` in a loop while 1 runs `vanban ingest` of the news_unc
articles (../shared/data/news_unc, ~2,650 files) into a corpus that already has an index,
then `vanban index`.  Every search must answer (exit 0, no "database is locked"); the final
store must hold every distinct document once and pass `PRAGMA integrity_check`.

Faults: `vanban ingest` of a subset, killed with SIGKILL (the whole process group, workers
too) at a random moment, 10 times, each kill followed by the next run (with a new slice of
files, so that each has work); then a run to the end.  After each kill nothing is
duplicated and nothing committed before it is lost.

    python bench/soak.py [--files N] [--fault-files N] [--kills 10] [--searchers 4]
                         [--work /tmp/vanban-soak] [--seed 1]

Prints `name=value` lines: searches answered and failed, their p50/p95 wall time (each
a fresh `vanban search` process, as a user runs it), the notes' counts of documents not
yet indexed, index refreshes during the ingest, documents lost and duplicated.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing import Event, Process, Queue
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "news_unc"
_BESIDE = Path(sys.executable).with_name("vanban")
VANBAN = str(_BESIDE) if _BESIDE.exists() else "vanban"
QUERIES = ["giá vàng hôm nay", "bóng đá việt nam", "tuyển sinh đại học", "xuất khẩu gạo",
           "dịch covid-19", "thị trường chứng khoán", "du lịch biển", "trí tuệ nhân tạo",
           "bệnh viện", "bao dong nai", "điện thoại thông minh", "biến đổi khí hậu"]
_ADDED = re.compile(r"(\d+) documents? added since the index was built")
_INDEXED = re.compile(r"indexed (\d+) passages in ([\d.]+) s")


@dataclass
class Searches:
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    behind: list[int] = field(default_factory=list)   # documents not yet indexed, per note


def vanban(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VANBAN, *args], capture_output=True, text=True)


def search_loop(db: str, seed: int, stop: Any, out: Queue[tuple[float, int, str]]) -> None:
    """One user searching again and again until ``stop`` is set."""
    rng = random.Random(seed)
    while not stop.is_set():
        started = time.perf_counter()
        done = vanban("search", rng.choice(QUERIES), "--db", db, "--json", "-k", "5")
        out.put((time.perf_counter() - started, done.returncode, done.stderr))


def distinct_hashes(files: list[Path]) -> set[str]:
    return {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def check_store(db: Path) -> tuple[set[str], int, str]:
    """(content hashes stored, duplicated documents, integrity_check's answer)."""
    con = sqlite3.connect(db, timeout=60)
    try:
        hashes = [r[0] for r in con.execute("SELECT content_hash FROM documents")]
        integrity = str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()
    return set(hashes), len(hashes) - len(set(hashes)), integrity


def soak(files: list[Path], work: Path, searchers: int) -> None:
    db = work / "soak.db"
    seed_files, rest = files[:40], files[40:]
    first = vanban("ingest", *map(str, seed_files), "--db", str(db))
    assert first.returncode == 0, first.stderr
    stop = Event()
    results: Queue[tuple[float, int, str]] = Queue()
    procs = [Process(target=search_loop, args=(str(db), i, stop, results))
             for i in range(searchers)]
    for p in procs:
        p.start()
    started = time.perf_counter()
    ingest = vanban("ingest", *map(str, rest), "--db", str(db))
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    index = vanban("index", "--db", str(db))
    index_s = time.perf_counter() - started
    time.sleep(2)   # searches on the final index too
    stop.set()
    got = Searches()
    alive = True
    while alive or not results.empty():
        alive = any(p.is_alive() for p in procs)
        while not results.empty():
            secs, rc, err = results.get()
            got.seconds.append(secs)
            if rc != 0 or "locked" in err:
                got.failures.append(err.strip().splitlines()[-1] if err.strip() else f"rc {rc}")
            if m := _ADDED.search(err):
                got.behind.append(int(m.group(1)))
        time.sleep(0.1)
    for p in procs:
        p.join()
    hashes, duplicated, integrity = check_store(db)
    expected = distinct_hashes(files)
    builds = [float(s) for _, s in _INDEXED.findall(ingest.stderr)]
    refreshes = builds[:-1]   # the last one ends the ingest
    print(f"soak_files={len(files)}")
    print(f"soak_distinct_documents={len(expected)}")
    print(f"soak_ingest_exit={ingest.returncode}")
    print(f"soak_ingest_s={ingest_s:.1f}")
    print(f"soak_index_refreshes_during_ingest={len(refreshes)}")
    print(f"soak_index_refresh_s_total={sum(refreshes):.1f}")
    print(f"soak_index_build_at_the_end_s={builds[-1] if builds else 0:.1f}")
    print(f"soak_reindex_exit={index.returncode}")
    print(f"soak_reindex_s={index_s:.1f}")
    print(f"soak_searches_answered={len(got.seconds) - len(got.failures)}")
    print(f"soak_searches_failed={len(got.failures)}")
    for why in sorted(set(got.failures))[:5]:
        print(f"soak_search_failure={why}")
    print(f"soak_search_p50_s={statistics.median(got.seconds):.2f}")
    print(f"soak_search_p95_s={_p95(got.seconds):.2f}")
    if got.behind:
        print(f"soak_search_documents_not_yet_indexed_median={statistics.median(got.behind):.0f}")
        print(f"soak_search_documents_not_yet_indexed_max={max(got.behind)}")
    print(f"soak_searches_with_note={len(got.behind)}")
    print(f"soak_documents_lost={len(expected - hashes)}")
    print(f"soak_documents_duplicated={duplicated}")
    print(f"soak_integrity={integrity}")


def faults(files: list[Path], work: Path, kills: int, rng: random.Random) -> None:
    """The files in ``kills + 1`` slices: the first ingested whole (its time calibrates the
    kills), then each run takes the slices so far (the new one is the work) and is killed
    at a random moment up to 1.3 times that time: while reading, storing or indexing."""
    db = work / "fault.db"
    size = max(1, len(files) // (kills + 1))
    started = time.perf_counter()
    first = vanban("ingest", *map(str, files[:size]), "--db", str(db))
    calibrated = time.perf_counter() - started
    assert first.returncode == 0, first.stderr
    committed, _, _ = check_store(db)
    lost = duplicated = finished_early = 0
    bad_integrity: list[str] = []
    moments: list[float] = []
    for i in range(1, kills + 1):
        batch = files[: size * (i + 1)]
        proc = subprocess.Popen([VANBAN, "ingest", *map(str, batch), "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        moment = rng.uniform(0.3, 1.3 * calibrated)
        try:
            proc.wait(timeout=moment)
            finished_early += 1
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # the ingest and its workers
            proc.wait()
            moments.append(moment)
        hashes, dup, integrity = check_store(db)
        lost += len(committed - hashes)
        duplicated += dup
        if integrity != "ok":
            bad_integrity.append(integrity)
        committed = hashes
    started = time.perf_counter()
    final = vanban("ingest", *map(str, files), "--db", str(db))
    final_s = time.perf_counter() - started
    hashes, dup, integrity = check_store(db)
    expected = distinct_hashes(files)
    stats = vanban("stats", "--db", str(db), "--json")
    search = vanban("search", QUERIES[0], "--db", str(db), "--json")
    state = re.search(r'"state": "(\w+)"', stats.stdout)
    print(f"fault_files={len(files)}")
    print(f"fault_run_s_uninterrupted={calibrated:.1f}")
    print(f"fault_kills={len(moments)}")
    print(f"fault_kill_moments_s={','.join(f'{m:.1f}' for m in sorted(moments))}")
    print(f"fault_runs_finished_before_the_kill={finished_early}")
    print(f"fault_documents_committed_before_the_final_run={len(committed)}")
    print(f"fault_committed_then_lost={lost}")
    print(f"fault_duplicated_after_kills={duplicated}")
    print(f"fault_integrity_failures={len(bad_integrity)}")
    print(f"fault_final_run_exit={final.returncode}")
    print(f"fault_final_run_s={final_s:.1f}")
    print(f"fault_documents_lost={len(expected - hashes)}")
    print(f"fault_documents_duplicated={dup}")
    print(f"fault_integrity={integrity}")
    print(f"fault_index_state={state.group(1) if state else '?'}")
    print(f"fault_search_exit={search.returncode}")
    print(f"fault_leftover_tmp_dirs={len(list(db.with_name(db.name + '.index').glob('tmp-*')))}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--files", type=int, default=None, help="soak: this many files (all)")
    ap.add_argument("--fault-files", type=int, default=220)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--searchers", type=int, default=4)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-soak"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-soak", action="store_true")
    ap.add_argument("--skip-faults", action="store_true")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"news_unc not found at {args.data}")
    files = sorted(args.data.glob("*.txt"))
    rng = random.Random(args.seed)
    rng.shuffle(files)   # topics mixed, as a real batch comes
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    print(f"cores={os.cpu_count()}")
    if not args.skip_soak:
        soak(files[: args.files], args.work, args.searchers)
    if not args.skip_faults:
        faults(files[: args.fault_files], args.work, args.kills, rng)


if __name__ == "__main__":
    main()
