"""The citation verifier measured on real model output: precision and recall against hand labels.

    python scripts/measure_verify.py [--show] [--tune] [--write eval/verify/report.json]

eval/verify/outputs.jsonl holds the small model's answers (scripts/llm_sentences.py on tune questions; lines
with `"set": "check"` are the replies of `integrity bench --generator local`, held out, never tuned on);
eval/verify/labels.jsonl one line per sentence of them (cut as the generator cuts them, `verify.claims`): its
cited keys and a label read off the cited paragraphs by a person: `supported` (everything the sentence states
is in the paragraphs it cites), `unsupported`, or `uncited` (it cites no paragraph it was given: always
dropped, so it is counted but not scored; `holds` says whether it states only what the given paragraphs say).
The questions are dealt alternately, per language, into a tune part
(thresholds are chosen there, `--tune`) and a held-out part (reported).

The verifier decides per sentence: kept when a cited paragraph supports it and its figures, dates and symbols
are in the kept paragraphs. "before" is the verifier of main before issue 15 (figures only, English by cosine
with a margin); "after" is assistant/cite_check.py as it stands, run as the generator runs it. Precision: kept
sentences that are supported; recall: supported sentences kept. `--show` prints the sentences to label.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant import verify
from assistant.cite_check import Checker
from assistant.llm import NO_ANSWER
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.types import Paragraph

HERE = Path("eval/verify")
NO_CONTENT = "no content"  # the annotator's mark of a sentence that states nothing
BEFORE = verify.Thresholds(0.45, 0.89, 0.75, 0.005)  # main's defaults; anchoring off
OLD_NUMBER = re.compile(r"\d+(?:\.\d+)?")
OLD_THOUSANDS = re.compile(r"(?<=\d)[ ,，](?=\d{3}(?!\d))")
OLD_ZH = {str(i): c for i, c in enumerate("零一二三四五六七八九十")} | {"2": "二两"}


def old_numbers_ok(sentence: str, paragraph: str) -> bool:
    """main's figure check, verbatim: every number of the sentence among the paragraph's (or a small numeral)."""
    para = OLD_THOUSANDS.sub("", re.sub(r"\s+", "", paragraph))
    have = set(OLD_NUMBER.findall(para))
    nums = OLD_NUMBER.findall(OLD_THOUSANDS.sub("", sentence))
    return all(n in have or (n in OLD_ZH and any(c in para for c in OLD_ZH[n])) for n in nums)


@dataclass
class Item:
    qid: str
    n: int
    claim: verify.Claim
    label: str
    split: str
    zh: bool
    given: dict[str, Paragraph]
    share: dict[str, float | None]
    cos: dict[str, float]  # every paragraph given -> cosine
    why: str = ""


def load(assistant: Assistant, checker: Checker, given_all: bool = False) -> list[Item]:
    """The labelled sentences that cite a given paragraph, with their labels; `given_all`: every labelled
    sentence (uncited ones too) as if it cited all three paragraphs the model was given, with the label `holds`
    (does it state only what those paragraphs say): the verifier's judgement of support on all the model's text."""
    units = {u.key: u for u in assistant.store.units}
    outputs = [json.loads(x) for x in (HERE / "outputs.jsonl").read_text("utf-8").splitlines()]
    labels = {(d["id"], d["n"]): d for d in map(json.loads, (HERE / "labels.jsonl").read_text("utf-8").splitlines())}
    seen = {"zh": 0, "en": 0}
    items: list[Item] = []
    for row in outputs:
        if not row["reply"] or row["reply"].strip() == NO_ANSWER:
            continue  # no reply, or the model declined: a decline is no claim to check
        split = row.get("split") or ("tune" if seen[row["lang"]] % 2 == 0 else "held-out")
        seen[row["lang"]] += "split" not in row
        given = {c["key"]: units[c["key"]] for c in row["context"]}
        for n, said in enumerate(verify.claims(row["reply"], list(given))):
            lab, c = labels.get((row["id"], n)), said
            if lab is None:
                continue
            assert lab["text"] == c.text, (row["id"], n, lab["text"], c.text)
            if NO_CONTENT in lab.get("why", ""):
                continue  # a list number or a line of talk ("1.", "Here is the answer"): no claim to check
            if given_all:  # the sentence read against every paragraph the model was given, label `holds`
                if "holds" not in lab:
                    continue
                c = verify.Claim(said.text, list(given))
                label = "supported" if lab["holds"] else "unsupported"
            elif lab["label"] == "uncited" or not c.keys:
                continue
            else:
                label = lab["label"]
            vec = checker.embed([c.text])[0]
            cos = {k: checker.cosine(vec, p) for k, p in given.items()}
            share = {k: verify.bigram_share(c.text, verify.cited_text(given[k])) for k in c.keys}
            items.append(Item(row["id"], n, c, label, split, verify.is_chinese(c.text), given, share, cos))
    return items


def decide(it: Item, t: verify.Thresholds, before: bool = False) -> bool:
    best = max(it.cos.values())
    kept = []
    for k in it.claim.keys:
        text = verify.cited_text(it.given[k])
        anchor = not before and not it.zh and verify.anchored(it.claim.text, text, t)
        if verify.citation_ok(it.claim.text, it.share[k], it.cos[k], best, t, anchor):
            kept.append(k)
    union = "\n".join(verify.cited_text(it.given[k]) for k in kept)
    facts = old_numbers_ok(it.claim.text, union) if before else verify.facts_ok(it.claim.text, union)
    return bool(kept) and facts


def rates(items: list[Item], t: verify.Thresholds, before: bool = False) -> dict[str, Any]:
    pairs = [(it.label == "supported", decide(it, t, before)) for it in items]
    tp = sum(y and d for y, d in pairs)
    kept, pos = sum(d for _, d in pairs), sum(y for y, _ in pairs)
    return {
        "sentences": len(pairs),
        "supported": pos,
        "kept": kept,
        "precision": round(tp / kept, 3) if kept else None,
        "recall": round(tp / pos, 3) if pos else None,
    }


def table(items: list[Item], now: verify.Thresholds) -> list[dict[str, Any]]:
    """Precision and recall per sentence language and part (tune, held-out, both), before and after."""
    rows = []
    for lang, split in itertools.product(("zh", "en"), ("tune", "held-out", "all")):
        sub = [it for it in items if it.zh == (lang == "zh") and split in ("all", it.split)]
        for name, r in (("before", rates(sub, BEFORE, True)), ("after", rates(sub, now))):
            rows.append({"lang": lang, "split": split, "verifier": name, **r})
    return rows


def tune(items: list[Item], start: verify.Thresholds) -> verify.Thresholds:
    """English thresholds with the best recall on the tune part among those that keep no more unsupported
    sentences than the verifier before (ties: the fewest kept unsupported, then the strictest values)."""
    en = [it for it in items if not it.zh and it.split == "tune"]
    fp_before = sum(decide(it, BEFORE, True) and it.label != "supported" for it in en)
    best: tuple[tuple[float, ...], verify.Thresholds] | None = None
    grid = itertools.product(
        [0.70, 0.72, 0.74, 0.75, 0.76, 0.78, 0.80, 0.82],  # cosine_cross
        [0.005, 0.01, 0.02, 0.03, 0.05, 1.0],  # margin_cross
        [0.60, 0.65, 0.68, 0.70, 0.72, 0.74, 1.01],  # cosine_anchored
        [0.5, 0.67, 0.75, 1.0, 1.01],  # terms
    )
    for cc, mc, ca, tm in grid:
        t = replace(start, cosine_cross=cc, margin_cross=mc, cosine_anchored=ca, terms=tm)
        tp = sum(decide(it, t) and it.label == "supported" for it in en)
        fp = sum(decide(it, t) and it.label != "supported" for it in en)
        if fp > fp_before:
            continue
        key = (tp, -fp, cc, -mc, ca, tm)
        if best is None or key > best[0]:
            best = (key, t)
    assert best is not None
    return best[1]


def show(assistant: Assistant) -> None:
    units = {u.key: u for u in assistant.store.units}
    for row in (json.loads(x) for x in (HERE / "outputs.jsonl").read_text("utf-8").splitlines()):
        print(f"\n=== {row['id']} [{row['lang']}] {row['question']}")
        keys = [c["key"] for c in row["context"]]
        for c in row["context"]:
            print(f"  <{c['key']}> {units[c['key']].searchable()}")
        print(f"  REPLY: {row['reply']!r}")
        for n, c in enumerate(verify.claims(row["reply"], keys)):
            print(f"  #{n} {c.keys} {c.text}")


def main() -> None:
    ap = argparse.ArgumentParser(description="Measure the citation verifier on labelled model sentences.")
    ap.add_argument("--show", action="store_true", help="Print every reply's sentences and paragraphs, to label.")
    ap.add_argument("--tune", action="store_true", help="Choose the English thresholds on the tune part.")
    ap.add_argument("--write", type=Path, help="Also write the figures as JSON here.")
    args = ap.parse_args()
    settings = Settings.of(generator="extractive")
    assistant = Assistant.load(settings)
    if args.show:
        show(assistant)
        return
    checker = Checker(settings, assistant.retriever)
    items = load(assistant, checker)
    now = checker.thresholds
    out: dict[str, Any] = {"thresholds": now.__dict__}
    if args.tune:
        chosen = tune(items, now)
        out["tuned"] = chosen.__dict__
        print("tuned on the tune part:", json.dumps(chosen.__dict__))
    for it in items:  # the real checker agrees with `decide` at the settings in effect
        (kept, facts), *_ = checker.supporting([it.claim], {k: it.given[k] for k in it.given})
        assert (bool(kept) and facts) == decide(it, now), (it.qid, it.n)
    rows = table(items, now)
    out["rows"] = rows
    given = load(assistant, checker, given_all=True)
    out["rows_given"] = table(given, now)
    labels = [json.loads(x) for x in (HERE / "labels.jsonl").read_text("utf-8").splitlines()]
    labels = [x for x in labels if x["text"].strip() != NO_ANSWER and NO_CONTENT not in x.get("why", "")]
    for lang in ("zh", "en"):
        mine = [x for x in labels if x["lang"] == lang]
        uncited = [x for x in mine if x["label"] == "uncited"]
        holds = sum(bool(x.get("holds")) for x in uncited)
        print(
            f"{lang}: {len(mine)} sentences labelled, {len(mine) - len(uncited)} cite a paragraph they were given; "
            f"{len(uncited)} cite none (always dropped), {holds} of which state only what the paragraphs say"
        )
    out["uncited"] = {
        lang: [sum(x["lang"] == lang and x["label"] == "uncited" for x in labels), sum(x["lang"] == lang and
               bool(x.get("holds")) for x in labels)] for lang in ("zh", "en")
    }  # fmt: skip
    for title, rs in (
        ("sentences that cite a given paragraph, against what they cite", rows),
        ("every labelled sentence, against the three paragraphs given", out["rows_given"]),
    ):
        print(f"\n{title}\n| language | part | verifier | sentences | supported | kept | precision | recall |")
        print("|---|---|---|---:|---:|---:|---:|---:|")
        for r in rs:
            print(
                f"| {r['lang']} | {r['split']} | {r['verifier']} | {r['sentences']} | {r['supported']} | {r['kept']} "
                f"| {r['precision']} | {r['recall']} |"
            )  # fmt: skip
    if args.write:
        args.write.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
