"""How eval/questions/tune.jsonl and check.jsonl were made (run once; kept to show the split is fixed and fair).

    python scripts/split_questions.py dev.jsonl blind_a.jsonl blind_b.jsonl --out eval/questions
    python scripts/split_questions.py blind_c.jsonl --out eval/questions --add   # a later batch, appended

Every record (a question, or a whole conversation) falls in a stratum: its source file, language, kind
(`conversation` for a conversation) and main style (false premise, near miss, instruction, keyword, typo,
colloquial, formal, who/how-to, plain). Within a stratum the records are ordered by a hash of their id and
dealt alternately to tune and check, the first card of each stratum going to whichever side is shorter, so
both halves hold every kind of question in the same proportions. Rules, words and weights are chosen on tune
only; check is what the README and the quality gate report. A later batch of new questions (`--add`) is split
the same way on its own and each half appended, so no earlier question changes sides.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

STYLES = (  # first match wins
    ("false-premise", {"false-premise"}),
    ("near-miss", {"near-miss"}),
    ("instruction", {"instruction"}),
    ("keyword", {"keyword"}),
    ("typo", {"typo"}),
    ("colloquial", {"colloquial", "feelings", "vague", "long"}),
    ("formal", {"formal"}),
    ("howto", {"whoto", "howto"}),
)


def style(record: dict[str, Any]) -> str:
    tags = set(record.get("tags", []))
    for turn in record.get("turns", []):
        tags |= set(turn.get("tags", []))
    return next((name for name, members in STYLES if tags & members), "plain")


def stratum(source: str, record: dict[str, Any]) -> tuple[str, str, str, str]:
    kind = "conversation" if "turns" in record else record["kind"]
    return source, record["lang"], kind, style(record)


def split(sources: dict[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    strata: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for source, records in sources.items():
        for r in records:
            strata.setdefault(stratum(source, r), []).append(r)
    tune: list[dict[str, Any]] = []
    check: list[dict[str, Any]] = []
    for key in sorted(strata):
        ordered = sorted(strata[key], key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
        first_to_tune = len(tune) <= len(check)
        for i, r in enumerate(ordered):
            (tune if (i % 2 == 0) == first_to_tune else check).append(r)
    return tune, check


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--add", action="store_true", help="Append each half to the existing tune and check files.")
    args = ap.parse_args()
    sources = {f.stem: [json.loads(x) for x in f.read_text("utf-8").splitlines() if x.strip()] for f in args.files}
    tune, check = split(sources)
    for name, records in (("tune", tune), ("check", check)):
        path = args.out / f"{name}.jsonl"
        before = path.read_text("utf-8") if args.add and path.exists() else ""
        taken = {json.loads(x)["id"] for x in before.splitlines() if x.strip()}
        clash = [r["id"] for r in records if r["id"] in taken]
        if clash:
            raise SystemExit(f"{path}: ids already there: {', '.join(clash)}; give the new questions new ids")
        path.write_text(before + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        print(f"{path}: {len(records)} records" + (" added" if args.add else ""))


if __name__ == "__main__":
    main()
