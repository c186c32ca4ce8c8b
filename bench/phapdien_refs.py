"""References found in the codified law (../shared/data/phapdien), and agreement with the
source citation of each article (the ``vbqppl`` column) as a free gold set.

    python -m bench.phapdien_refs [--sample 200] [--dump /tmp/phapdien_mentions.txt]

Prints ``name=value`` lines: mentions found in ``noidung`` by kind; for ``vbqppl``, how often
the first directive cited agrees with an independent strict parse of the citation (symbol,
date, issuer).  Writes a random sample of found mentions with their context for checking
by eye.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from vanban.corpus.model import Reference
from vanban.ingest.extract.dates import extract_dates
from vanban.ingest.extract.lexicon import akey
from vanban.ingest.extract.references import extract_references
from vanban.ingest.extract.symbols import canonical_symbol
from vanban.ingest.normalize import match_key, normalize

DATA = Path(
    os.environ.get(
        "VANBAN_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
) / "phapdien"
# The strict parse of a citation: "(Điều 1 Luật số 08/2007/QH12 Tương trợ tư pháp ngày
# 21/11/2007 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2008)".
_CITATION_RE = re.compile(
    r"^\(Điều [^ ]+ (?:[^ ]+ ){1,4}?số (?P<symbol>[^ ,]+)(?P<rest>.*?)(?:, có hiệu lực|\)$)"
)
_DATED_RE = re.compile(r"ngày (?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}) của (?P<issuer>[^,]+)$")


def rows() -> Iterator[dict[str, str]]:
    """Every article row of the topic CSVs."""
    csv.field_size_limit(sys.maxsize)
    for path in sorted(DATA.glob("*-*-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def _gold(citation: str) -> dict[str, str | None] | None:
    match = _CITATION_RE.match(citation)
    if match is None:
        return None
    gold: dict[str, str | None] = {
        "symbol": canonical_symbol(match.group("symbol")),
        "date": None,
        "issuer": None,
    }
    dated = _DATED_RE.search(match.group("rest"))
    if dated is not None:
        gold["date"] = f"{dated['y']}-{int(dated['m']):02d}-{int(dated['d']):02d}"
        gold["issuer"] = normalize(dated["issuer"]).strip(" .;)")
    return gold


def _first_directive(text: str) -> Reference | None:
    refs = [r for r in extract_references(text) if r.directive.symbol]
    return refs[0] if refs else None


def citations(texts: list[str]) -> dict[str, float]:
    """Agreement of the extractor with the strict parse of each distinct citation."""
    counts: Counter[str] = Counter()
    for citation in texts:
        gold = _gold(citation)
        if gold is None or gold["symbol"] is None:
            counts["unparsed"] += 1
            continue
        counts["parsed"] += 1
        found = _first_directive(normalize(citation))
        directive = found.directive if found else None
        counts["symbol_ok"] += bool(directive and directive.symbol == gold["symbol"])
        if gold["date"] is not None:
            counts["dated"] += 1
            counts["date_ok"] += bool(directive and directive.date == gold["date"])
            same = directive is not None and match_key(directive.issuer or "") == match_key(
                gold["issuer"] or ""
            )
            counts["issuer_ok"] += same
    parsed, dated = max(counts["parsed"], 1), max(counts["dated"], 1)
    return {
        "vbqppl_citations": counts["parsed"] + counts["unparsed"],
        "vbqppl_parsed": counts["parsed"],
        "vbqppl_symbol_agree": round(counts["symbol_ok"] / parsed, 4),
        "vbqppl_dated": counts["dated"],
        "vbqppl_date_agree": round(counts["date_ok"] / dated, 4),
        "vbqppl_issuer_agree": round(counts["issuer_ok"] / dated, 4),
    }


def _kind(ref: Reference) -> str:
    if ref.short_form:
        return "short_form" if ref.resolved else "unresolved"
    return (
        "symbol" if ref.directive.symbol else ("number_only" if ref.directive.number else "named")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--dump", default="/tmp/phapdien_mentions.txt")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"phapdien data not found at {DATA}")
    all_rows = list(rows())
    kinds: Counter[str] = Counter()
    found: list[tuple[str, str, str]] = []
    for row in all_rows:
        text = normalize(row["noidung"])
        for ref in extract_references(text, dates=extract_dates(text)):
            kinds[_kind(ref)] += 1
            context = text[max(0, ref.start - 80) : ref.end + 80].replace("\n", " ")
            label = ref.directive.symbol or ref.directive.name or ""
            found.append((_kind(ref), label, context))
    print(f"articles={len(all_rows)}")
    for kind in ("symbol", "short_form", "unresolved", "number_only", "named"):
        print(f"mentions_{kind}={kinds[kind]}")
    symbols = {label for kind, label, _ in found if kind == "symbol"}
    print(f"distinct_symbols={len(symbols)}")
    for name, value in citations(sorted({r["vbqppl"] for r in all_rows})).items():
        print(f"{name}={value}")
    random.seed(args.seed)
    sample = random.sample(found, min(args.sample, len(found)))
    with open(args.dump, "w", encoding="utf-8") as out:
        for i, (kind, label, context) in enumerate(sample, 1):
            out.write(f"{i:3d} [{kind}] {label}\n    …{context}…\n")
    print(f"sample_file={args.dump}")
    print(f"named_keys={len({akey(label) for kind, label, _ in found if kind == 'named'})}")


if __name__ == "__main__":
    main()
