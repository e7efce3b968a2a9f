"""Caps on everything a caller hands the pipeline, so that no request buys minutes of CPU (issue 11).

Each check raises `InputError` with one line naming the limit, the setting that holds it, and what to do.
"""

from __future__ import annotations

from collections.abc import Collection

from assistant.settings import Settings
from index.errors import InputError

MAX_DOC_NAME = 300  # a symbol, short title or document id is far shorter


def check_text(key: str, text: str, **fields: object) -> None:
    """Text that cannot be UTF-8 (a lone UTF-16 surrogate such as \\ud800 in JSON) is refused by name."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        code = ord(text[e.start])
        raise InputError(key, code=f"{code:04X}", **fields) from None


def check_question(question: str, settings: Settings) -> str:
    q = question.strip()
    if not q:
        raise InputError("question_empty")
    if len(q) > settings.answer.max_question_chars:
        raise InputError("question_too_long", n=f"{len(q):,}", most=f"{settings.answer.max_question_chars:,}")
    check_text("surrogate_question", q)
    return q


def check_history(history: list[str], settings: Settings) -> None:
    if len(history) > settings.answer.max_history_items:
        raise InputError("history_items", n=f"{len(history):,}", most=settings.answer.max_history_items)
    most = settings.answer.max_history_item_chars
    for i, item in enumerate(history, start=1):
        if len(item) > most:
            raise InputError("history_item_chars", i=i, n=f"{len(item):,}", most=f"{most:,}")
        check_text("surrogate_history", item, i=i)


def check_docs(docs: Collection[str] | None, settings: Settings) -> None:
    if not docs:
        return
    if len(docs) > settings.answer.max_doc_filters:
        raise InputError("doc_filters", n=f"{len(docs):,}", most=settings.answer.max_doc_filters)
    for i, d in enumerate(docs, start=1):
        if len(d) > MAX_DOC_NAME:
            raise InputError("doc_filter_chars", i=i, n=f"{len(d):,}", most=MAX_DOC_NAME)
        check_text("surrogate_filter", d, i=i)


def check_query(query: str, settings: Settings) -> None:
    """The standalone query a follow-up was made into (it becomes the next turn's history item)."""
    if len(query) > settings.answer.max_history_item_chars:
        raise InputError("followup_query", n=f"{len(query):,}", most=f"{settings.answer.max_history_item_chars:,}")
