"""Caps on everything a caller hands the pipeline, so that no request buys minutes of CPU (issue 11).

Each check raises `InputError` with one line naming the limit, the setting that holds it, and what to do.
"""

from __future__ import annotations

from collections.abc import Collection

from assistant.settings import Settings
from index.errors import InputError

MAX_DOC_NAME = 300  # a symbol, short title or document id is far shorter


def check_text(what: str, text: str) -> None:
    """Text that cannot be UTF-8 (a lone UTF-16 surrogate such as \\ud800 in JSON) is refused by name."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        code = ord(text[e.start])
        raise InputError(
            f"{what} holds a lone surrogate (U+{code:04X}), which is not text; send valid UTF-8."
        ) from None


def check_question(question: str, settings: Settings) -> str:
    q = question.strip()
    if not q:
        raise InputError("the question is empty; type a question.")
    if len(q) > settings.answer.max_question_chars:
        raise InputError(
            f"the question is {len(q):,} characters; the limit is {settings.answer.max_question_chars:,}. "
            "Ask about one thing at a time."
        )
    check_text("the question", q)
    return q


def check_history(history: list[str], settings: Settings) -> None:
    if len(history) > settings.answer.max_history_items:
        raise InputError(
            f"the history holds {len(history):,} earlier turns; the limit is {settings.answer.max_history_items} "
            "(INTEGRITY_MAX_HISTORY_ITEMS). Send only the latest turns."
        )
    most = settings.answer.max_history_item_chars
    for i, item in enumerate(history, start=1):
        if len(item) > most:
            raise InputError(
                f"history item {i} is {len(item):,} characters; the limit is {most:,} "
                "(INTEGRITY_MAX_HISTORY_ITEM_CHARS). Send each earlier turn's `query`, not whole answers."
            )
        check_text(f"history item {i}", item)


def check_docs(docs: Collection[str] | None, settings: Settings) -> None:
    if not docs:
        return
    if len(docs) > settings.answer.max_doc_filters:
        raise InputError(
            f"{len(docs):,} documents in the filter; the limit is {settings.answer.max_doc_filters} "
            "(INTEGRITY_MAX_DOC_FILTERS). Name fewer documents, or none for all."
        )
    for i, d in enumerate(docs, start=1):
        if len(d) > MAX_DOC_NAME:
            raise InputError(
                f"document filter {i} is {len(d):,} characters; a symbol, short title or id is at most {MAX_DOC_NAME}."
            )
        check_text(f"document filter {i}", d)


def check_query(query: str, settings: Settings) -> None:
    """The standalone query a follow-up was made into (it becomes the next turn's history item)."""
    if len(query) > settings.answer.max_history_item_chars:
        raise InputError(
            f"the follow-up makes a {len(query):,}-character query; the limit is "
            f"{settings.answer.max_history_item_chars:,}. Start a new conversation."
        )
