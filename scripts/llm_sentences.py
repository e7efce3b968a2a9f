"""Write the small model's answers for the verifier's labelled set (run once; the outputs are committed).

    python scripts/llm_sentences.py [--per-lang 32] [--out eval/verify/outputs.jsonl]

Standalone answerable questions of eval/questions/tune.jsonl (never check), evenly spaced, the same number in
Chinese and English, each asked through the real `local` generator (the small model of `integrity local-model
path`, or INTEGRITY_LOCAL_MODEL) with the three best paragraphs and at most 160 new tokens. Each line of the
output holds the question, the paragraphs the model was given (key and text as cited) and its raw reply, so
that scripts/measure_verify.py can cut the reply into sentences and check them again with any verifier
version. Lines already in the output are kept (the run resumes).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from assistant import verify
from assistant.generate_openai import OpenAIGenerator
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.types import Answer
from eval import dataset

CONTEXT, MAX_TOKENS = 3, 160


def sample(path: Path, per_lang: int) -> list[dataset.Question]:
    qs = [q for q in dataset.load(path) if q.kind != "unanswerable" and not q.conversation]
    picked = []
    for en in (False, True):
        group = [q for q in qs if (q.lang == "en") == en]
        picked.append([group[int(i * len(group) / per_lang)] for i in range(min(per_lang, len(group)))])
    return [q for pair in zip(*picked, strict=False) for q in pair]  # Chinese and English in turn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-lang", type=int, default=32)
    ap.add_argument("--questions", type=Path, default=dataset.TUNE)
    ap.add_argument("--out", type=Path, default=Path("eval/verify/outputs.jsonl"))
    args = ap.parse_args()
    settings = Settings.of(generator="local", openai_context=CONTEXT, openai_max_tokens=MAX_TOKENS)
    a = Assistant.load(settings)
    done = {json.loads(x)["id"] for x in args.out.read_text("utf-8").splitlines()} if args.out.exists() else set()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for q in sample(args.questions, args.per_lang):
        if q.id in done:
            continue
        t = time.perf_counter()
        reply, final = "", None
        for part in a.ask_stream(q.question):
            if isinstance(part, Answer):
                final = part
            elif isinstance(part, str):
                reply = part
        assert final is not None
        context = final.hits[:CONTEXT]
        row = {
            "id": q.id,
            "lang": "en" if q.lang == "en" else "zh",
            "question": q.question,
            "context": [{"key": h.key, "text": verify.cited_text(h.paragraph)} for h in context],
            "reply": reply if reply != final.text else "",  # the model's raw text; "" when it sent none
            "generator": final.generator,
            "notes": final.notes,
            "seconds": round(time.perf_counter() - t, 1),
            "timings": a.generator.link.timings if isinstance(a.generator, OpenAIGenerator) else {},
        }
        with args.out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{q.id} {row['seconds']:6.1f} s  {reply[:70]!r}", flush=True)


if __name__ == "__main__":
    main()
