"""Tune the citation-verification thresholds of the `openai` generator on the dev set.

    python scripts/tune_verify.py [eval/questions/tune.jsonl] [--write out/tune_verify.json]

No language model is needed. For every answerable dev question that stands alone (conversation turns
are skipped: they are not self-contained), the statements a model could write are approximated by
  * `qa`: the question with its answer keys appended (a paraphrase in the question's language:
    English questions test English sentences over Chinese paragraphs),
  * `ev`: the gold evidence span (Chinese, verbatim),
each paired with its gold paragraph (should be supported) and with every other paragraph among the
first `openai_context` hits that holds neither the evidence nor an answer key (should not: these are
the paragraphs a model citing "the wrong paragraph" would name). Each pair gets the features that
`assistant.verify.citation_ok` and `numbers_ok` use (figures present, bigram share, e5 cosine against the indexed
pieces, and how far it trails the best paragraph in context), and a grid search picks the thresholds
with the best Youden J (TPR - FPR) among those that accept at most `--max-fpr` (0.15) of the wrong
citations, separately for Chinese and for other-language sentences, with one shared margin. Prints the
chosen values and the TPR/FPR at them and at the current settings.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant import verify
from assistant.pipeline import Assistant
from assistant.settings import Settings
from eval import dataset
from index.text import squash, to_simplified
from index.types import Paragraph

GRID_BIGRAM = [round(x, 2) for x in np.arange(0.3, 0.95, 0.05)]
GRID_COSINE = [round(x, 3) for x in np.arange(0.75, 0.95, 0.005)]
GRID_MARGIN = [0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 1.0]


@dataclass
class Pair:
    kind: str  # qa or ev
    chinese: bool
    positive: bool
    numbers_ok: bool  # against all the statement's gold paragraphs (positive) or the wrong one alone
    share: float | None
    cosine: float
    best: float  # best cosine of the statement over the paragraphs it is paired with (the context)
    text: str = ""
    key: str = ""


def pairs(assistant: Assistant, path: Path) -> list[Pair]:
    s = assistant.settings
    rows: dict[str, list[int]] = {}
    ids = [u.id for u in assistant.store.units]
    for row, unit in enumerate(assistant.store.piece_unit):
        rows.setdefault(ids[unit], []).append(row)
    todo: list[tuple[str, str, list[Paragraph], list[Paragraph]]] = []  # statement, kind, gold, wrong
    for q in dataset.load(path):
        if q.kind == "unanswerable" or q.conversation:
            continue
        question = to_simplified(q.question)
        lang = "en" if q.lang == "en" else "zh"
        hits = assistant.retriever.search(question, lang, s.retrieval.top_k)[: s.llm.openai_context]
        evid = [squash(g.evidence) for g in q.gold]
        keys = [squash(k) for k in q.answer_keys]
        holding = {e: [u for u in assistant.store.units if e in squash(u.searchable())][:3] for e in evid}
        wrong = [h.paragraph for h in hits if not any(x in squash(h.paragraph.searchable()) for x in evid + keys)]
        every = list(dict.fromkeys(u for e in evid for u in holding[e]))
        todo.append((f"{question} {' '.join(q.answer_keys)}".strip(), "qa", every, wrong))
        todo += [(g.evidence, "ev", holding[e], wrong) for g, e in zip(q.gold, evid, strict=True)]
    texts = sorted({t for t, *_ in todo})
    vecs = dict(zip(texts, assistant.embedder.embed_batch(texts, "query"), strict=True))
    out = []
    for text, kind, gold, wrong in todo:
        if not gold:
            continue
        cos = {p.id: float(np.max(assistant.store.vectors[rows[p.id]] @ vecs[text])) for p in gold + wrong}
        best = max(cos.values())
        union = "\n".join(verify.cited_text(p) for p in gold)
        for p in gold + wrong:
            positive = p in gold
            nums = verify.numbers_ok(text, union if positive else verify.cited_text(p))
            out.append(
                Pair(
                    kind,
                    verify.is_chinese(text),
                    positive,
                    nums,
                    verify.bigram_share(text, verify.cited_text(p)),
                    cos[p.id],
                    best,
                    text,
                    p.key,
                )
            )
    return out


def rates(ps: list[Pair], t: verify.Thresholds) -> tuple[float, float]:
    def decide(p: Pair) -> bool:
        return p.numbers_ok and verify.citation_ok(p.text, p.share, p.cosine, p.best, t)

    pos = [decide(p) for p in ps if p.positive]
    neg = [decide(p) for p in ps if not p.positive]
    return sum(pos) / max(1, len(pos)), sum(neg) / max(1, len(neg))


def best_of(options: list[tuple[tuple[float, float], Any]], max_fpr: float) -> tuple[tuple[float, float], Any]:
    """Best Youden J among the options whose false-positive rate stays under `max_fpr` (if any do)."""
    allowed = [o for o in options if o[0][1] <= max_fpr] or options
    return max(allowed, key=lambda r: r[0][0] - r[0][1])


def tune(zh: list[Pair], other: list[Pair], max_fpr: float) -> tuple[verify.Thresholds, dict[str, float]]:
    """Per margin, the best Chinese (bigram, cosine) and other-language (cosine_cross) thresholds."""
    best: tuple[float, verify.Thresholds] | None = None
    for m in GRID_MARGIN:
        z = best_of(
            [(rates(zh, verify.Thresholds(b, c, 1.0, m)), (b, c)) for b in GRID_BIGRAM for c in GRID_COSINE], max_fpr
        )
        o = best_of([(rates(other, verify.Thresholds(9.9, 1.0, x, m)), x) for x in GRID_COSINE], max_fpr)
        j = (z[0][0] - z[0][1]) + (o[0][0] - o[0][1])
        if best is None or j > best[0]:
            best = (j, verify.Thresholds(z[1][0], z[1][1], o[1], m))
    assert best is not None
    return best[1], {"youden_j_sum": round(best[0], 3), "max_fpr": max_fpr}


def report(ps: list[Pair], t: verify.Thresholds) -> dict[str, object]:
    out: dict[str, object] = {}
    groups = {
        "chinese": [p for p in ps if p.chinese],
        "other": [p for p in ps if not p.chinese],
        "chinese_qa": [p for p in ps if p.chinese and p.kind == "qa"],
        "chinese_ev": [p for p in ps if p.chinese and p.kind == "ev"],
    }
    for name, sub in groups.items():
        tpr, fpr = rates(sub, t)
        out[name] = {
            "pos": sum(p.positive for p in sub),
            "neg": sum(not p.positive for p in sub),
            "tpr": round(tpr, 3),
            "fpr": round(fpr, 3),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="Tune the openai generator's citation-verification thresholds.")
    ap.add_argument("questions", nargs="?", type=Path, default=Path("eval/questions/tune.jsonl"))
    ap.add_argument(
        "--max-fpr",
        type=float,
        default=0.15,
        help="Highest share of wrong citations accepted, per language group (default 0.15).",
    )
    ap.add_argument("--write", type=Path, help="Also write the result as JSON to this file.")
    args = ap.parse_args()
    path = args.questions
    settings = Settings.of(generator="extractive")
    assistant = Assistant.load(settings)
    ps = pairs(assistant, path)
    chosen, extra = tune([p for p in ps if p.chinese], [p for p in ps if not p.chinese], args.max_fpr)
    result = {
        "chosen": {
            "verify_min_bigram": chosen.bigram,
            "verify_min_cosine": chosen.cosine,
            "verify_min_cosine_cross": chosen.cosine_cross,
            "verify_margin": chosen.margin,
            **extra,
        },
        "at_chosen": report(ps, chosen),
        "at_current_settings": report(ps, verify.thresholds(settings)),
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
