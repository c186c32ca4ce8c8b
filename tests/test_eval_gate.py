"""Eval gate: extraction quality on annotated text, against floors pinned in a file.

Cases: ``tests/gold/extraction_gold.jsonl`` (the project's gold set), ``tests/gold/own_cases.jsonl``
(extra cases of the same format) and, when ../shared/data is present, the seed article and
the hand-read scanned-PDF references.  ``tests/test_real_gold.py`` scores excerpts of real
files the same way (two sets: ``real`` and the held-out ``real-2``).  ``python -m
tests.test_eval_gate`` prints the in-sample figures and each real set apart.

Categories (micro-averaged over cases):
- ``numbered``: directives with a symbol, matched by canonical symbol (multiset per case).
- ``day_dates`` / ``all_dates``: date mentions, matched by (value, granularity).
- ``attached_date``: of the symbol directives found, the share whose date equals the gold one.
- ``numberless``: directives without a symbol (names, "Quy chế số 01", unresolved short
  forms), matched by overlapping mention spans.
- ``mentions``: every gold mention of a symbol directive found with the right symbol.
- ``relation``: of the directives matched, the share with the gold relation.
- ``document``: header cases whose own symbol, date and type are all right.
- ``own_number``: header cases whose own symbol is right.
- ``trap_outputs``: references and dates produced in trap cases that the gold does not list.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from vanban.corpus.model import Extraction, Reference, relation_strength
from vanban.ingest.extract.extraction import extract
from vanban.ingest.normalize import match_key, normalize

GOLD_DIR: Path = Path(__file__).resolve().parent / "gold"
FLOORS: Path = GOLD_DIR / "floors.json"
# ../shared/data from the project root; VANBAN_SHARED_DATA overrides it (as in conftest.py).
SHARED: Path = Path(
    os.environ.get(
        "VANBAN_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
)
Case = dict[str, Any]


@dataclass
class Tally:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: Counter[Any], found: Counter[Any]) -> None:
        hit = sum((gold & found).values())
        self.tp += hit
        self.fp += sum(found.values()) - hit
        self.fn += sum(gold.values()) - hit

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Scores:
    """All categories, plus the failures for a report."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    def figures(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, t in sorted(self.tallies.items()):
            if name in {"attached_date", "relation", "document", "own_number", "issuer", "title"}:
                out[name] = round(t.tp / (t.tp + t.fn), 4) if t.tp + t.fn else 1.0
            elif name == "trap_outputs":
                out[name] = float(t.fp)
            else:
                out[f"{name}_p"] = round(t.precision, 4)
                out[f"{name}_r"] = round(t.recall, 4)
        return out


def _load(path: Path) -> list[Case]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _spans(text: str, mentions: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for mention in mentions:
        found = text.find(mention, pos)
        if found < 0:
            found = text.find(mention)
        if found >= 0:
            spans.append((found, found + len(mention)))
            pos = found + len(mention)
    return spans


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


def _directives(refs: tuple[Reference, ...]) -> dict[int, list[Reference]]:
    groups: dict[int, list[Reference]] = {}
    for ref in refs:
        groups.setdefault(id(ref.directive), []).append(ref)
    return groups


def _strongest(refs: list[Reference]) -> str:
    return min((r.relation for r in refs), key=relation_strength)


def _score_symbols(case: Case, result: Extraction, scores: Scores) -> None:
    gold = [r for r in case["references"] if r.get("symbol")]
    groups = [g for g in _directives(result.references).values() if g[0].directive.symbol]
    scores.tally("numbered").add(
        Counter(r["symbol"] for r in gold), Counter(g[0].directive.symbol for g in groups)
    )
    text = case["text"]
    found_mentions = Counter((r.directive.symbol, r.start) for g in groups for r in g)
    for ref in gold:
        spans = _spans(text, ref["mentions"])
        hits = [g for g in groups if g[0].directive.symbol == ref["symbol"]]
        mention_hits = sum(
            1
            for s, e in spans
            if any(sym == ref["symbol"] and s <= start < e for sym, start in found_mentions)
        )
        tally = scores.tally("mentions")
        tally.tp += mention_hits
        tally.fn += len(spans) - mention_hits
        if mention_hits < len(spans):
            scores.misses.append(f"{case['id']}: missed a mention of {ref['symbol']}")
        if not hits:
            scores.misses.append(f"{case['id']}: missed {ref['symbol']}")
            continue
        best = next(
            (
                g
                for g in hits
                if ref.get("issuer") and _same_text(g[0].directive.issuer, ref["issuer"])
            ),
            None,
        )
        best = best or next((g for g in hits if g[0].directive.date == ref.get("date")), hits[0])
        _score_facts(case, ref, best, scores)
    for symbol in set(g[0].directive.symbol for g in groups) - {r["symbol"] for r in gold}:
        scores.misses.append(f"{case['id']}: extra {symbol}")
    scores.tally("mentions").fp += sum(
        1 for g in groups for r in g if g[0].directive.symbol not in {x["symbol"] for x in gold}
    )


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join(match_key(a or "").split()) == " ".join(match_key(b or "").split())


def _score_facts(case: Case, gold: dict[str, Any], found: list[Reference], scores: Scores) -> None:
    directive = found[0].directive
    for fact in ("issuer", "title"):
        if gold.get(fact):
            tally = scores.tally(fact)
            if _same_text(getattr(directive, fact), gold[fact]):
                tally.tp += 1
            else:
                tally.fn += 1
                scores.misses.append(
                    f"{case['id']}: {fact} {getattr(directive, fact)!r} != {gold[fact]!r}"
                )
    attached = scores.tally("attached_date")
    if directive.date == gold.get("date"):
        attached.tp += 1
    else:
        attached.fn += 1
        scores.misses.append(
            f"{case['id']}: date of {gold.get('symbol') or gold.get('name')}"
            f" {directive.date} != {gold.get('date')}"
        )
    if gold.get("relation") is None:
        return
    relation = scores.tally("relation")
    if _strongest(found) == gold["relation"]:
        relation.tp += 1
    else:
        relation.fn += 1
        scores.misses.append(
            f"{case['id']}: relation of {gold.get('symbol') or gold.get('name')}"
            f" {_strongest(found)} != {gold['relation']}"
        )


def _score_numberless(case: Case, result: Extraction, scores: Scores) -> None:
    text = case["text"]
    gold = [r for r in case["references"] if not r.get("symbol")]
    groups = [g for g in _directives(result.references).values() if not g[0].directive.symbol]
    found_spans = [[(r.start, r.end) for r in g] for g in groups]
    tally = scores.tally("numberless")
    matched: set[int] = set()
    for ref in gold:
        spans = _spans(text, ref["mentions"])
        hit = next(
            (i for i, f in enumerate(found_spans) if i not in matched and _overlaps(spans, f)), None
        )
        if hit is None:
            tally.fn += 1
            scores.misses.append(f"{case['id']}: missed name {ref['name']!r}")
        else:
            tally.tp += 1
            matched.add(hit)
            _score_facts(case, ref, groups[hit], scores)
    for i, group in enumerate(groups):
        if i not in matched:
            tally.fp += 1
            scores.misses.append(f"{case['id']}: extra name {group[0].surface!r}")


def _score_dates(case: Case, result: Extraction, scores: Scores) -> None:
    gold = Counter((d["value"], d["granularity"]) for d in case["dates"])
    found = Counter((d.value, d.granularity) for d in result.dates)
    if case.get("date_kinds"):  # an annotation of some kinds only (real excerpts: day dates)
        found = Counter({k: v for k, v in found.items() if k[1] in case["date_kinds"]})
    if case.get("partial_dates"):  # a hand annotation listing distinct values of some kinds
        kinds = {k[1] for k in gold}
        gold = Counter(set(gold))
        found = Counter({k for k in found if k[1] in kinds})
    scores.tally("all_dates").add(gold, found)
    day = Counter({k: v for k, v in gold.items() if k[1] == "day"})
    scores.tally("day_dates").add(day, Counter({k: v for k, v in found.items() if k[1] == "day"}))
    for key in (gold - found) + (found - gold):
        kind = "missed" if gold[key] > found[key] else "extra"
        scores.misses.append(f"{case['id']}: {kind} date {key}")


def _score_document(case: Case, result: Extraction, scores: Scores) -> None:
    gold = case.get("document")
    tally = scores.tally("document")
    identity = result.identity
    if gold is None:
        return
    got = {"symbol": identity.symbol, "date": identity.date, "type": identity.type}
    if all(got[k] == gold.get(k) for k in ("symbol", "date", "type")):
        tally.tp += 1
    else:
        tally.fn += 1
        scores.misses.append(f"{case['id']}: document {got} != {gold}")
    own = scores.tally("own_number")
    if identity.symbol == gold.get("symbol"):
        own.tp += 1
    else:
        own.fn += 1


def _score_traps(case: Case, result: Extraction, scores: Scores) -> None:
    if "trap" not in case.get("tags", []):
        return
    gold_refs = len(case["references"])
    found_refs = len(_directives(result.references))
    gold_dates = Counter((d["value"], d["granularity"]) for d in case["dates"])
    found_dates = Counter((d.value, d.granularity) for d in result.dates)
    scores.tally("trap_outputs").fp += max(0, found_refs - gold_refs) + sum(
        (found_dates - gold_dates).values()
    )


def score(cases: list[Case]) -> Scores:
    """Run the extractor over every case and tally every category."""
    scores = Scores()
    for case in cases:
        text = case["text"]
        result = extract(text, locality=case.get("locality"))
        _score_symbols(case, result, scores)
        _score_numberless(case, result, scores)
        _score_dates(case, result, scores)
        _score_document(case, result, scores)
        _score_traps(case, result, scores)
    return scores


def _seed_case() -> list[Case]:
    """The seed article with its hand annotation, as a gold case."""
    txt = SHARED / "seed" / "000_83054a43e24c00ec.txt"
    gold_path = txt.with_suffix(".gold.json")
    if not txt.exists() or not gold_path.exists():
        return []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = normalize(txt.read_text(encoding="utf-8"))
    refs: list[dict[str, Any]] = []
    for ref in gold["refs"]:
        surface = normalize(ref.get("surface") or f"{ref['type']} số {ref['number']}")
        if ref["symbol"] and "surface" not in ref:
            surface = f"{ref['type']} số {ref['symbol']}"
        mentions = [surface, *ref.get("short_forms", [])]
        refs.append(
            {
                "symbol": ref["symbol"],
                "name": ref.get("surface"),
                "date": ref["date"],
                "mentions": mentions,
                "relation": None,
            }
        )
    dates = [{"value": gold["published"][:10], "granularity": "day"}]
    dates += [{"value": v, "granularity": "day"} for v in gold["day_dates"]]
    dates += [{"value": v, "granularity": "month"} for v in gold["month_dates"]]
    dates += [{"value": v.replace("-", "/"), "granularity": "period"} for v in gold["periods"]]
    return [
        {
            "id": "seed",
            "text": text,
            "references": refs,
            "dates": dates,
            "tags": ["seed"],
            "document": None,
            "locality": gold.get("locality"),
            "partial_dates": True,
        }
    ]


def all_cases() -> dict[str, list[Case]]:
    """The case sets, by name."""
    sets = {
        "gold": _load(GOLD_DIR / "extraction_gold.jsonl"),
        "own": _load(GOLD_DIR / "own_cases.jsonl"),
    }
    sets["seed"] = _seed_case()
    return {k: v for k, v in sets.items() if v}


def _floors() -> dict[str, dict[str, float]]:
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@pytest.mark.parametrize("name", ["gold", "own"])
def test_quality_at_least_floors(name: str) -> None:
    cases = all_cases().get(name)
    if not cases:
        pytest.skip(f"no cases in tests/gold for {name!r}")
    floors = _floors()[name]
    figures = score(cases).figures()
    below = {
        k: (figures.get(k), v)
        for k, v in floors.items()
        if k != "trap_outputs" and figures.get(k, 0.0) < v
    }
    assert not below, f"quality below the pinned floors (got, floor): {below}"
    if "trap_outputs" in floors:
        assert figures.get("trap_outputs", 0.0) <= floors["trap_outputs"]


def test_seed_article_exact() -> None:
    cases = all_cases().get("seed")
    if not cases:
        pytest.skip(f"seed article not found under {SHARED} (../shared/data is absent)")
    scores = score(cases)
    figures = scores.figures()
    for key in (
        "numbered_p",
        "numbered_r",
        "numberless_p",
        "numberless_r",
        "mentions_r",
        "day_dates_p",
        "day_dates_r",
        "attached_date",
    ):
        assert figures[key] == 1.0, (key, scores.misses)


def _print(title: str, cases: list[Case]) -> None:
    result_scores = score(cases)
    print(f"== {title}: {len(cases)} cases")
    for key, value in result_scores.figures().items():
        print(f"{key}={value}")
    for miss in result_scores.misses:
        print("  ", miss)


if __name__ == "__main__":
    print("#### in-sample (texts written for the project)")
    for set_name, set_cases in all_cases().items():
        _print(set_name, set_cases)
    from tests.test_real_gold import REAL_SETS, RealGoldError, real_cases

    for real_name, real_path in REAL_SETS.items():
        print(f"#### {real_name} (excerpts of ../shared/data, tests/gold/{real_path.name})")
        try:
            _print(real_name, real_cases(real_path))
        except RealGoldError as exc:
            print(f"== {real_name}: not measured: {exc}")
