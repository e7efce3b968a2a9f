"""A question and its conversation to the one `Query` the pipeline passes down: checked, its language found,
instructions to the assistant removed, traditional characters simplified, a follow-up made standalone, then
tokens, glossary terms, years and organisations found once."""

from __future__ import annotations

from collections.abc import Collection

from assistant.compose import CONFIRM
from assistant.condense import strip_instructions
from assistant.generate import Condenser
from assistant.language import detect
from assistant.limits import check_docs, check_history, check_query, check_question
from assistant.mentions import named_years, organisations_asked
from assistant.settings import Settings
from index.query import make_query
from index.text import to_simplified
from index.types import Query


def prepare(
    question: str, history: list[str], docs: Collection[str] | None, settings: Settings, condenser: Condenser
) -> tuple[Query, list[str]]:
    """The query for `question` (history: the earlier turns' standalone queries), and notes on how it was made.
    Raises InputError for a question, history or filter over the limits (assistant/limits.py)."""
    asked = check_question(question, settings)
    check_history(history, settings)
    check_docs(docs, settings)
    lang = detect(asked)  # the turn's own language decides retrieval, whatever the conversation's was
    cleaned = to_simplified(strip_instructions(asked))
    text, notes = condenser.condense(cleaned, history, lang)
    check_query(text, settings)
    return query_for(text, lang, settings, asked, cleaned), notes


def query_for(text: str, lang: str, settings: Settings, asked: str = "", own: str = "") -> Query:
    """The query for an already standalone text (the CLI's `search`, the brief's themes). The years and
    organisations asked are the turn's own when it names any, else those of the earlier turns it is read with."""
    own = own or text
    years = tuple(named_years(own) or named_years(text))
    names = tuple(organisations_asked(own) or organisations_asked(text))
    premise = bool(CONFIRM.search(asked or text))
    return make_query(text, lang, settings.retrieval.glossary, years, names, asked or text, own, premise)
