"""Which language a question is in: a CJK fast path, then langdetect (seeded) on what is left."""

from __future__ import annotations

import re

from index.text import CJK_CHAR as CJK

LATIN = re.compile(r"[A-Za-z]")
NOISE = re.compile(r"(?:[A-Z]+/)+[\w./()-]+|https?://\S+|\d[\d.,:/ %-]*|¶\S*")


def detect(text: str) -> str:
    """`zh` or `en` (or another langdetect code); symbols like A/76/644 never decide it."""
    cjk = len(CJK.findall(text))
    cleaned = NOISE.sub(" ", text)
    latin = len(LATIN.findall(cleaned))
    if cjk and cjk * 2 >= latin / 4:  # one Chinese character carries about as much as a short word
        return "zh"
    if latin < 3:
        return "zh" if cjk else "en"
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        best = detect_langs(cleaned)[0]
    except LangDetectException:
        return "en"
    # Short English questions often come back as nl/de/af at low confidence: English is the fallback.
    return best.lang if best.prob > 0.9 and best.lang in ("fr", "es", "ru", "ar") else "en"
