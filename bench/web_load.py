"""Load on `vanban serve` over loopback: concurrent searches, then report uploads.

Starts `vanban serve` on 127.0.0.1 (a free port) over a built corpus (--db; e.g. the 26k
Zalo articles: `python ../shared/data/zalo_pd_dev/make_corpus.py /tmp/zalo.jsonl && vanban
ingest /tmp/zalo.jsonl --db /tmp/zalo.db`), then

1. the engine alone, in this process, one query at a time (the baseline: what the web
   layer adds on top of it), over the same distinct questions;
2. ``--clients`` clients searching (`GET /api/search`, distinct queries — the Zalo
   questions, then the corpus's article names — never the same twice) for ``--seconds``;
3. each ~20-page born-digital PDF uploaded once alone (`POST /api/refs`), then the same
   clients searching again while one client uploads them ``--uploads`` times;

2 and 3 run on a server of one process (`p1_`), then of two (`p2_`, `--processes 2`);
last, `vanban refs` on the same files in this process (the library alone).

Prints `name=value` lines: medians and 95th percentiles in ms, requests, errors, start-up
and first-search costs.  Goals: 0 errors, search p95 ≤ 150 ms, a 20-page PDF ≤ 2 s.

    python bench/web_load.py --db /tmp/zalo.db
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VANBAN_SHARED_DATA", ROOT.parent / "shared" / "data"))
QUERIES = SHARED / "zalo_pd_dev" / "queries.tsv"
PDFS = SHARED / "pdfs" / "born_digital_from_real_doc"
REPORTS = ["Thong tu so 2442 cua Thanh tra Chinh phu.pdf",          # 21 pages
           "THONG TU SO 01 BNV KY THUAT TRINH BAY VAN BAN.pdf",     # 19 pages
           "ND68CP2.pdf"]                                           # 18 pages


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, values: list[float]) -> None:
    print(f"{name}_n={len(values)}")
    if values:
        print(f"{name}_p50_ms={statistics.median(values) * 1000:.1f}")
        print(f"{name}_p95_ms={pct(values, 0.95) * 1000:.1f}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def questions(db: Path) -> list[str]:
    """The Zalo questions, then the corpus's own titles without their numbering (a clerk
    searching for an article by its name), shuffled: every query distinct."""
    import random
    import re
    import sqlite3

    if not QUERIES.exists():
        sys.exit(f"no questions at {QUERIES} (../shared/data is absent)")
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        _, _, q = line.partition("\t")
        if q.strip():
            out.append(q.strip())
    titles = [re.sub(r"^Điều\s+[\w.]+\.\s*", "", t or "") for (t,) in
              sqlite3.connect(db).execute("SELECT title FROM documents ORDER BY rowid")]
    extra = [t for t in titles if len(t.split()) >= 3]
    random.Random(7).shuffle(extra)
    return list(dict.fromkeys(out + extra))


def engine_baseline(db: Path, qs: list[str]) -> list[float]:
    """The engine alone, in process, one query at a time (index loaded first)."""
    from vanban.corpus.store import Store
    from vanban.search.commands import SearchOptions, search_hits
    from vanban.search.engine import Searcher

    with Store(db) as store:
        searcher = Searcher(db, store)
        times = []
        for q in qs:
            started = time.perf_counter()
            search_hits(searcher, q, SearchOptions(k=10))
            times.append(time.perf_counter() - started)
    return times


class Load:
    """Clients searching distinct questions until stopped."""

    def __init__(self, base: str, qs: list[str], clients: int) -> None:
        self.base = base
        self.stream: Iterator[str] = iter(qs)
        self.lock = threading.Lock()
        self.clients = clients
        self.times: list[float] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.exhausted = False

    def next_query(self) -> str | None:
        with self.lock:
            q = next(self.stream, None)
            self.exhausted = self.exhausted or q is None
            return q

    def worker(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stop.is_set():
                q = self.next_query()
                if q is None:
                    return
                started = time.perf_counter()
                try:
                    r = client.get("/api/search", params={"q": q, "k": 10})
                    ok = r.status_code == 200
                    why = f"{r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, why = False, repr(exc)
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.times.append(elapsed)
                    if not ok:
                        self.errors.append(why)

    def run(self, seconds: float | None, during: threading.Thread | None = None) -> None:
        threads = [threading.Thread(target=self.worker) for _ in range(self.clients)]
        for t in threads:
            t.start()
        if during is not None:
            during.start()
            during.join()
        else:
            time.sleep(seconds or 0)
        self.stop.set()
        for t in threads:
            t.join()


def uploads(base: str, files: list[Path], count: int, times: dict[str, list[float]],
            errors: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in itertools.islice(itertools.cycle(files), count):
            started = time.perf_counter()
            with path.open("rb") as fh:
                r = client.post("/api/refs", files={"file": (path.name, fh, "application/pdf")})
            times.setdefault(path.name, []).append(time.perf_counter() - started)
            if r.status_code != 200:
                errors.append(f"{path.name}: {r.status_code} {r.text[:120]}")


def library_refs(files: list[Path], db: Path) -> dict[str, float]:
    """`vanban refs` on each file in this process (second run: warm imports)."""
    from vanban.corpus.store import Store
    from vanban.search.refs import refs_for_path

    out = {}
    with Store(db) as store:
        for path in files:
            refs_for_path(str(path), store)
            started = time.perf_counter()
            refs_for_path(str(path), store)
            out[path.name] = time.perf_counter() - started
    return out


def start_server(db: Path, port: int, processes: int) -> tuple[subprocess.Popen[bytes], float]:
    vanban = Path(sys.executable).with_name("vanban")
    cmd = [str(vanban)] if vanban.exists() else [sys.executable, "-m", "vanban.search.cli"]
    started = time.perf_counter()
    proc = subprocess.Popen([*cmd, "serve", "--db", str(db), "--port", str(port),
                             "--processes", str(processes)],
                            stderr=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            sys.exit("vanban serve did not start")
        time.sleep(0.1)


def serve_and_load(args: argparse.Namespace, processes: int, search_qs: list[str],
                   during_qs: list[str], files: list[Path]) -> None:
    """One server with ``processes`` processes: searches, then uploads while searching."""
    tag = f"p{processes}_"
    port = free_port()
    proc, start_s = start_server(args.db, port, processes)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"{tag}server_start_s={start_s:.2f}")
        started = time.perf_counter()
        httpx.get(base + "/api/search", params={"q": search_qs[0]}, timeout=60)
        print(f"{tag}first_search_ms={(time.perf_counter() - started) * 1000:.1f}")
        load = Load(base, search_qs[1:], args.clients)
        load.run(args.seconds)
        report(f"{tag}search", load.times)
        print(f"{tag}search_rps={len(load.times) / args.seconds:.1f}")
        print(f"{tag}search_errors={len(load.errors)}")
        print(f"{tag}questions_ran_out={load.exhausted}")
        for e in load.errors[:3]:
            print(f"# error: {e}")
        idle: dict[str, list[float]] = {}
        idle_errors: list[str] = []
        uploads(base, files, len(files), idle, idle_errors)  # no other load: like-for-like
        for name, ts in idle.items():                        # with the library below
            print(f"{tag}upload_alone_ms[{name}]={ts[0] * 1000:.1f}")
        print(f"{tag}upload_alone_errors={len(idle_errors)}")
        during = Load(base, during_qs, args.clients)
        up_times: dict[str, list[float]] = {}
        up_errors: list[str] = []
        uploader = threading.Thread(target=uploads,
                                    args=(base, files, args.uploads, up_times, up_errors))
        during.run(None, during=uploader)
        report(f"{tag}upload_pdf", [t for ts in up_times.values() for t in ts])
        for name, ts in up_times.items():
            print(f"{tag}upload_median_ms[{name}]={statistics.median(ts) * 1000:.1f}")
        print(f"{tag}upload_errors={len(up_errors)}")
        for e in up_errors[:3]:
            print(f"# error: {e}")
        report(f"{tag}search_during_uploads", during.times)
        print(f"{tag}search_during_uploads_errors={len(during.errors)}")
        print(f"{tag}questions_ran_out_during_uploads={during.exhausted}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--uploads", type=int, default=6)
    args = ap.parse_args()
    qs = questions(args.db)
    files = [PDFS / name for name in REPORTS if (PDFS / name).exists()]
    print(f"db={args.db}")
    print(f"questions={len(qs)} clients={args.clients} cores={os.cpu_count()}")

    # the baseline takes the last questions, the server the first ones: never the same twice
    baseline = engine_baseline(args.db, qs[-300:])
    report("engine_inprocess", baseline)
    qs = qs[:-300]

    # distinct questions for each phase of each run: never the same query twice
    chunks = [qs[0:6000], qs[6000:8000], qs[8000:14000], qs[14000:]]
    for run, processes in enumerate((1, 2)):
        serve_and_load(args, processes, chunks[2 * run], chunks[2 * run + 1], files)
    for name, secs in library_refs(files, args.db).items():
        print(f"library_refs_ms[{name}]={secs * 1000:.1f}")


if __name__ == "__main__":
    main()
