"""`vanban ingest` of phapdien articles on a Dask `LocalCluster` (`--cluster local:1`,
`local:2`) against the plain local pool (`--workers 1`, `--workers 2`), in one run.

    python bench/cluster_ingest.py [--limit 4000] [--rounds 3] [--work /tmp/vanban-cluster]

The articles (../shared/data/phapdien, the first --limit with a body) are written once to a
.jsonl under --work; every configuration ingests that same file into a new store with
`--no-index`, as a separate `vanban` process, the configurations interleaved round after round
(the machine is shared: medians over rounds).  `wall` is the whole command (the cluster's
start-up and shutdown included: a user pays them), `ingest` the summary's own seconds (reading,
extraction, segmentation, storing), `cpu` the CPU seconds of the command and every process it
started (the work done, whatever else runs on the machine; `cores_used` = cpu / wall).

`--workers 1` runs everything in one process; `local:1` already overlaps the worker with
this process storing the results, so it uses more than one core.  Prints `name=value` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_speed import DATA, VANBAN, write_jsonl

CONFIGS = {"pool_1": ["--workers", "1"], "pool_2": ["--workers", "2"],
           "cluster_1": ["--cluster", "local:1"], "cluster_2": ["--cluster", "local:2"]}


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run(jsonl: Path, db: Path, extra: list[str]) -> tuple[float, float, float, int]:
    """(wall seconds, ingest seconds, CPU seconds of the command and every process it
    started, documents added) of one fresh ingest."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    started, cpu = time.perf_counter(), _cpu()
    out = subprocess.run([VANBAN, "ingest", str(jsonl), "--db", str(db), "--no-index",
                          "--json", *extra], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    summary = json.loads(out.stdout)
    return wall, float(summary["seconds"]), _cpu() - cpu, int(summary["added"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=4000, help="articles")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-cluster"))
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"data not found at {DATA}")
    args.work.mkdir(parents=True, exist_ok=True)
    jsonl = args.work / "phapdien.jsonl"
    n, chars = write_jsonl(jsonl, args.limit)
    print(f"articles={n}\nchars={chars}\ncores={os.cpu_count()}\nrounds={args.rounds}",
          flush=True)
    walls: dict[str, list[float]] = {k: [] for k in CONFIGS}
    ingests: dict[str, list[float]] = {k: [] for k in CONFIGS}
    cpus: dict[str, list[float]] = {k: [] for k in CONFIGS}
    for r in range(args.rounds):
        order = list(CONFIGS) if r % 2 == 0 else list(reversed(CONFIGS))
        for name in order:
            wall, ingest, cpu, added = run(jsonl, args.work / f"{name}.db", CONFIGS[name])
            assert added == n, (name, added, n)
            walls[name].append(wall)
            ingests[name].append(ingest)
            cpus[name].append(cpu)
            print(f"round{r}_{name}_wall_s={wall:.1f} round{r}_{name}_cpu_s={cpu:.1f}",
                  flush=True)
    med = {k: statistics.median(v) for k, v in walls.items()}
    med_in = {k: statistics.median(v) for k, v in ingests.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpus.items()}
    for k in CONFIGS:
        print(f"{k}_wall_s={med[k]:.1f}\n{k}_ingest_s={med_in[k]:.1f}\n{k}_cpu_s={med_cpu[k]:.1f}"
              f"\n{k}_cores_used={med_cpu[k] / med[k]:.2f}")
    print(f"speedup_pool_1_to_2={med['pool_1'] / med['pool_2']:.2f}")
    print(f"speedup_cluster_1_to_2={med['cluster_1'] / med['cluster_2']:.2f}")
    print(f"speedup_cluster_1_to_2_ingest={med_in['cluster_1'] / med_in['cluster_2']:.2f}")
    print(f"speedup_pool_1_to_cluster_2={med['pool_1'] / med['cluster_2']:.2f}")
    for w in ("1", "2"):
        over = med[f"cluster_{w}"] / med[f"pool_{w}"] - 1
        over_in = med_in[f"cluster_{w}"] / med_in[f"pool_{w}"] - 1
        per_doc = (med[f"cluster_{w}"] - med[f"pool_{w}"]) / n * 1000
        print(f"cluster_overhead_{w}_workers_wall={over:+.1%}")
        print(f"cluster_overhead_{w}_workers_ingest={over_in:+.1%}")
        print(f"cluster_overhead_{w}_workers_ms_per_doc={per_doc:+.2f}")
        cpu_per_doc = (med_cpu[f"cluster_{w}"] - med_cpu[f"pool_{w}"]) / n * 1000
        print(f"cluster_overhead_{w}_workers_cpu_ms_per_doc={cpu_per_doc:+.2f}")
        cpu_over = med_cpu[f"cluster_{w}"] / med_cpu[f"pool_{w}"] - 1
        print(f"cluster_overhead_{w}_workers_cpu={cpu_over:+.1%}")


if __name__ == "__main__":
    main()
