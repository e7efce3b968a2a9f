"""Whether to answer, as one calibrated decision over plain signals, and what a refusal says.

The signals are what the pipeline already knows before it writes anything: how close the best passages are in
meaning (dense cosine) and in words (coverage), whether a kind of answer it asks for (a figure, a length of
time) is missing from the best passages, the years, organisations and ordinals
it names that they lack, whether it asks what these reports never give (a phone number, legal advice), its
language and whether it is read against the conversation. A logistic model over them gives one number in
[0, 1]; its weights are fitted on the tune split with cross-validation (scripts/fit_refusal.py) and stored in
data/refusal.toml, with the bias placed so that the fitted threshold is 0.5 (`AnswerSettings.refusal_threshold`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.phrases import phrase
from index import vocab
from index.types import Document, Hit

MODEL = Path(__file__).resolve().parent / "data" / "refusal.toml"
FEATURES = (
    "dense",
    "cover",
    "english",
    "missing_type",
    "missing_year",
    "missing_organisation",
    "out_of_scope",
    "followup",
)


@dataclass(frozen=True)
class Signals:
    """What is known of a question and its best passages before an answer is written."""

    dense: float | None  # best cosine between the query and the top three passages (None: no dense side)
    cover: float  # IDF-weighted share of the question's content words in the best-covering top passage
    lang: str
    missing_type: int = 0  # kinds of answer asked for (a sum of money, a date) that the top passages do not show
    missing_year: int = 0  # years and ordinals named that the best passages do not mention
    missing_organisation: int = 0  # organisations outside the Secretariat named that no top passage does
    out_of_scope: bool = False  # contact details, legal advice, pay: never in these reports
    followup: bool = False  # read against earlier turns of the conversation

    def note(self) -> str:
        """The signals as one note of an answer (`signals dense=0.812 cover=0.700 …`), for the refitting script."""
        return "signals " + " ".join(f"{k}={v:.4g}" for k, v in features(self, DenseRange()).items())


@dataclass(frozen=True)
class DenseRange:
    """The cosine range of the best hit that maps to 0..1 per language: cross-language cosines run lower."""

    zh: tuple[float, float] = (0.75, 0.90)
    en: tuple[float, float] = (0.68, 0.82)

    def scale(self, cosine: float | None, lang: str) -> float:
        if cosine is None:
            return 0.0
        lo, hi = self.zh if lang == "zh" else self.en
        return min(1.0, max(0.0, (cosine - lo) / (hi - lo)))


@dataclass(frozen=True)
class Model:
    """A logistic model: P(the documents answer) = sigmoid(bias + sum of weight × feature)."""

    weights: dict[str, float]
    bias: float
    dense_range: DenseRange = DenseRange()
    embedder: str = ""  # the embedder whose cosines the dense weight was fitted on ("": any)


def features(s: Signals, dense_range: DenseRange) -> dict[str, float]:
    """The model's inputs, each a plain number: the dense cosine scaled to the reader's language range, counts
    capped at 1 (naming one missing year is as telling as naming two)."""
    return {
        "dense": dense_range.scale(s.dense, s.lang),
        "cover": s.cover,
        "english": float(s.lang != "zh"),
        "missing_type": float(min(1, s.missing_type)),
        "missing_year": float(min(1, s.missing_year)),
        "missing_organisation": float(min(1, s.missing_organisation)),
        "out_of_scope": float(s.out_of_scope),
        "followup": float(s.followup),
    }


def answerable(s: Signals, model: Model, embedder: str = "") -> float:
    """The calibrated chance, in [0, 1], that the best passages answer the question; refused under the
    threshold (0.5 for the fitted model). Under another embedder than the one the model was fitted on, cosines
    have no calibrated scale and are not held against the question (dense counts as 1): what the passages lack
    and what is out of scope decide, until the model is refitted on that embedder's run."""
    x = features(s, model.dense_range)
    if embedder and model.embedder and embedder != model.embedder:
        x["dense"] = 1.0
    z = model.bias + sum(model.weights.get(k, 0.0) * v for k, v in x.items())
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def load(path: Path = MODEL) -> Model:
    data = vocab.load(path)
    w = {k: float(v) for k, v in data["weights"].items()}
    unknown = set(w) - set(FEATURES)
    if unknown:
        raise ValueError(f"{path}: unknown refusal features {sorted(unknown)}; known: {', '.join(FEATURES)}")
    r = data.get("dense_range", {})
    dr = DenseRange(tuple(r.get("zh", DenseRange.zh)), tuple(r.get("en", DenseRange.en)))
    return Model(w, float(data["bias"]), dr, str(data.get("embedder", "")))


MODEL_FITTED = load()


NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|[A-Z]|\d+|[ivxlc]+)\s*[.．、]\s*")


def covered(lang: str, nearest: list[Hit], documents: Mapping[str, Document]) -> str:
    """What the documents do cover near a refused question, in plain words: the document and section of each
    of the nearest paragraphs, nearest first (one entry per section)."""
    topics: list[str] = []
    for h in nearest[:3]:
        p, doc = h.paragraph, documents.get(h.paragraph.doc_id)
        title = (doc.title_en or doc.title) if doc and lang != "zh" else (doc.title if doc else "")
        section = NUMBERING.sub("", p.heading[-1]).strip() if p.heading else ""
        if not title:
            continue
        fields = {"label": p.doc_label, "title": title, "part": section}
        topic = phrase("refusal", "topic" if section else "topic_no_section", lang, **fields)
        if topic not in topics:
            topics.append(topic)
    return phrase("refusal", "covers", lang, topics=phrase("refusal", "sep", lang).join(topics)) if topics else ""
