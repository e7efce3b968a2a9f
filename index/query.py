"""A text to the `Query` retrieval runs: lexical tokens (jieba), and for English the glossary's Chinese terms.
The assistant prepares the full query once per question (assistant/query.py); the brief and sub-questions
make plain ones here."""

from __future__ import annotations

from index.glossary import expand
from index.lexical import tokenize
from index.types import Query


def make_query(
    text: str, lang: str, glossary: bool = True, years: tuple[str, ...] = (), names: tuple[str, ...] = (),
    asked: str = "", own: str = "", premise: bool = False,
) -> Query:  # fmt: skip
    """The query for `text` in `lang`; English words carried into Chinese when `glossary` is on."""
    tokens, zh = tokenize(text), []
    if lang == "en" and glossary:
        zh = expand(text)
        tokens += tokenize(" ".join(zh))
    return Query(text, lang, tuple(tokens), tuple(zh), years, names, asked or text, own, premise)
