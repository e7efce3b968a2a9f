"""Answer text: cited sentences with numbered markers ([1] for the first paragraph cited), framed in the
reader's language, and refusals that say what the nearest passages lack. Phrases: data/phrases.toml."""

from __future__ import annotations

from assistant.mentions import BY_NAME
from assistant.phrases import PHRASES, lang_of, phrase
from assistant.types import Sentence
from index import vocab
from index.types import Hit


class Marks:
    """Numbered citation markers: a paragraph keeps the number it got when first cited."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def __call__(self, key: str) -> str:
        if key not in self.keys:
            self.keys.append(key)
        return f"[{self.keys.index(key) + 1}]"

    def of(self, s: Sentence) -> str:
        return "".join(self(c.key) for c in s.citations)


def refusal(lang: str, nearest: list[Hit], missing: list[str] | None = None) -> str:
    """The documents do not answer: what the nearest passages lack when that decided it (2023, UNDP, a sum of
    money), and where the nearest paragraphs are."""
    sep = phrase("answer", "list_sep", lang)
    near = sep.join(h.key for h in nearest[:3])
    lacks = list(dict.fromkeys(missing or []))
    missing_names = vocab_missing(lacks, lang)
    why = phrase("answer", "refused_lacks", lang, lacks=sep.join(missing_names)) if lacks else ""
    return (
        phrase("answer", "refused", lang) + why + (phrase("answer", "refused_nearest", lang, keys=near) if near else "")
    )


def vocab_missing(lacks: list[str], lang: str) -> list[str]:
    """How the reader's language names a missing kind of answer ("a sum of money": 金额) or organisation
    ("World Bank": 世界银行); years stay as they are."""
    names = vocab.load(PHRASES)["missing"]
    out = []
    for m in lacks:
        if m in names:
            out.append(str(names[m][lang_of(lang)]))
        elif m in BY_NAME and lang == "zh":
            out.append(BY_NAME[m].name_zh)
        else:
            out.append(m)
    return out


def quoted(lang: str, sents: list[Sentence], frame: str | None = None) -> str:
    """An extractive answer: a frame (saying they are quotes, or what kind of answer follows), then each quoted
    statement with its markers; for an English reader each quote after what it holds, in English."""
    marks = Marks()
    opening = frame or phrase("answer", "frame", lang)
    if lang == "zh":
        body = "".join(s.text.rstrip("；;，, ") + ("" if s.text.endswith("。") else "。") + marks.of(s) for s in sents)
        return opening + body
    lines = [(f"{s.gloss} — " if s.gloss else "") + f"“{s.text}” " + marks.of(s) for s in sents]
    return opening + "\n" + "\n".join(lines)


def written(lang: str, sents: list[Sentence], dropped: int) -> str:
    """A model's verified sentences with their markers; unverified ones flagged, dropped ones counted."""
    marks = Marks()
    zh = lang == "zh"
    parts = []
    for s in sents:
        text = s.text if s.supported else phrase("llm", "unverified", lang) + s.text
        parts.append(text + marks.of(s) if zh else f"{text} {marks.of(s)}".strip())
    body = ("" if zh else " ").join(parts)
    return body + ("\n" + phrase("llm", "dropped", lang, n=dropped) if dropped else "")
