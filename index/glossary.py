"""A bilingual glossary of UN accountability and ethics terms: English question terms to Chinese.

English questions over Chinese documents are the weak spot of dense and lexical search alike; the
glossary carries an English question's terms into the documents' Chinese for the lexical side. Its terms
are data (data/glossary.toml), and so are the names of offices, bodies and organisations (data/entities.toml):
an entity's English names and acronyms carry into all its Chinese names.
"""

from __future__ import annotations

import difflib
import re

from index.entities import ENTITIES
from index.vocab import index_data


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """The phrases matched case aside, and the acronyms matched as written because their lower case is a
    glossary word of its own ("who": 谁, not the World Health Organization)."""
    general: dict[str, str] = dict(index_data("glossary.toml")["terms"])
    terms, exact = dict(general), {}
    for e in ENTITIES:
        zh = " ".join(e.zh)
        for name in e.en:
            terms.setdefault(name.lower(), zh)
        for a in e.acronyms:
            if a.lower() in general:
                exact[a] = zh
            else:
                terms.setdefault(a.lower(), zh)
    return terms, exact


GLOSSARY, ACRONYMS = _tables()  # lower-case English phrase -> Chinese terms separated by spaces; exact acronyms
_WORDS = sorted(GLOSSARY, key=len, reverse=True)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in _WORDS) + r")(?:e?s)?\b")
_ACRONYM = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(ACRONYMS, key=len, reverse=True)) + r")s?\b")
_SINGLE = [w for w in GLOSSARY if " " not in w and len(w) >= 5]
# Every word of a glossary phrase or an entity's English name is spelt right by definition: "united" (of "United
# Nations") is never "mended" into another glossary word ("unite").
_KNOWN = frozenset(w for phrase in GLOSSARY for w in re.findall(r"[a-z][a-z'-]*", phrase))


def respell(question: str) -> str:
    """Mend likely misspellings of glossary words (finacial -> financial, whistelblower -> whistleblower); a word
    of any glossary phrase or entity name is left as it is."""
    out = []
    for word in re.findall(r"[a-z][a-z'-]*|[^a-z]+", question):
        close = []
        if len(word) >= 5 and word.isalpha() and word not in _KNOWN:
            close = difflib.get_close_matches(word, _SINGLE, n=1, cutoff=0.85)
        out.append(close[0] if close else word)
    return "".join(out)


def expand(question: str) -> list[str]:
    """Chinese terms for the glossary phrases and entity acronyms in an English question, in question order."""
    found = [(m.start(), ACRONYMS[m.group(1)]) for m in _ACRONYM.finditer(question)]
    q = respell(question.lower().replace("’", "'"))
    taken = {at for at, _ in found}
    found += [(m.start(), GLOSSARY[m.group(1)]) for m in _PATTERN.finditer(q) if m.start() not in taken]
    return [zh for _, zh in sorted(found, key=lambda x: x[0])]
