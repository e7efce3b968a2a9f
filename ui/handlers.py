"""Chat handlers: plain functions of (inputs, session state) returning what each component shows.

`ui/app.py` binds them to components in the order of the NamedTuple fields; tests call them directly.
Nothing here logs or stores a question; feedback is written only by `send_feedback`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any, NamedTuple

import gradio as gr

from assistant.language import detect
from assistant.limits import check_question
from assistant.types import Answer, Preview
from index.errors import IntegrityError
from index.text import shorten
from index.types import Document
from ui.feedback import FeedbackStore
from ui.i18n import feedback_choices, t, tx
from ui.library import Library
from ui.render import answer_markdown, md_escape, paragraph_html, source_label, timings_markdown
from ui.session import Session, turn_from_answer

log = logging.getLogger("integrity.ui")
SKIP: dict[str, Any] = gr.skip()


class ChatView(NamedTuple):
    chatbot: Any
    session: Any
    question: Any
    note: Any
    send: Any
    new: Any
    docs: Any
    sources_title: Any
    sources: Any
    paragraph: Any
    feedback_title: Any
    feedback_kind: Any
    feedback_comment: Any
    feedback_send: Any
    feedback_status: Any


class PanelView(NamedTuple):
    session: Any
    sources_title: Any
    sources: Any
    paragraph: Any
    feedback_title: Any
    feedback_status: Any


def ui_lang(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def panel(session: Session) -> PanelView:
    """The side panel for the selected turn: its sources (the first one opened) and the feedback target."""
    lang, turn = session.lang, session.current
    if turn is None:
        return PanelView(
            session,
            f"### {tx(lang, 'sources')}\n{tx(lang, 'no_sources_note')}",
            gr.update(choices=[], value=None),
            paragraph_html(None, lang or "zh"),
            f"**{tx(lang, 'feedback')}**",
            "",
        )
    head = "nearest" if turn.refused else "sources"
    title = f"### {t(turn.lang, head)}" + (f"\n{t(turn.lang, 'nearest_note')}" if turn.refused else "")
    first = turn.sources[0] if turn.sources else None
    return PanelView(
        session,
        title,
        gr.update(
            choices=[(source_label(s), s.key) for s in turn.sources],
            value=first.key if first else None,
            label=t(turn.lang, "source_pick"),
        ),
        paragraph_html(first, turn.lang),
        f"**{t(turn.lang, 'feedback')}** · {t(turn.lang, 'feedback_on')} {md_escape(shorten(turn.question, 60))}",
        "",
    )


def view(session: Session, chatbot: Any = None) -> ChatView:
    """Everything the chat tab shows for `session`, labels in its language (both before a first question)."""
    lang = session.lang
    p = panel(session)
    return ChatView(
        session.messages if chatbot is None else chatbot,
        session,
        gr.update(label=tx(lang, "question"), placeholder=tx(lang, "placeholder")),
        tx(lang, "note"),
        gr.update(value=tx(lang, "send")),
        gr.update(value=tx(lang, "new")),
        gr.update(label=tx(lang, "filter")),
        p.sources_title,
        p.sources,
        p.paragraph,
        p.feedback_title,
        gr.update(choices=feedback_choices(lang), value=None),
        gr.update(label=tx(lang, "comment"), value=""),
        gr.update(value=tx(lang, "send_feedback")),
        "",
    )


def only_chatbot(messages: list[dict[str, Any]], **fields: Any) -> ChatView:
    values: dict[str, Any] = dict.fromkeys(ChatView._fields, SKIP)
    values.update(chatbot=list(messages), **fields)  # a snapshot: the list grows after this yield
    return ChatView(**values)


def chat(lib: Library, question: str | None, session: Session, docs: list[str] | None) -> Iterator[ChatView]:
    """Answer `question` in the conversation: the user's turn at once, the answer as it grows, then all."""
    q = (question or "").strip()
    if not q:
        yield only_chatbot(session.messages)
        return
    assistant = lib.assistant  # one index for the whole answer, even if an upload swaps it meanwhile
    try:
        q = check_question(q, lib.settings)  # before anything else reads it: a long question costs nothing
    except IntegrityError as e:
        yield refuse(lib, session, q, e)
        return
    lang = ui_lang(detect(q))
    messages = [
        *session.messages,
        {"role": "user", "content": md_escape(q)},
        {"role": "assistant", "content": f"*{t(lang, 'searching')}*"},
    ]
    yield only_chatbot(messages, question=gr.update(value=""))
    answer: Answer | None = None
    early: Answer | None = None  # a model generator's extractive answer, shown while the model writes
    try:
        for part in assistant.ask_stream(q, session.history, docs or None, preview=True):
            if isinstance(part, Answer):
                answer = part
            elif isinstance(part, Preview):
                early = part.answer
                session.pending = (list(messages[:-1]), early)  # what the stop button keeps
                messages[-1] = {"role": "assistant", "content": preview_markdown(early, "")}
                yield only_chatbot(messages)
            else:
                shown = preview_markdown(early, part) if early else answer_markdown(part)
                messages[-1] = {"role": "assistant", "content": shown}
                yield only_chatbot(messages)
    except IntegrityError as e:
        messages[-1] = {"role": "assistant", "content": t(lang, "error") + md_escape(str(e))}
    except Exception as e:  # the traceback's frames only: an exception message may quote the question
        log.error("answer failed: %s\n%s", type(e).__name__, "".join(traceback.format_tb(e.__traceback__)))
        messages[-1] = {"role": "assistant", "content": t(lang, "error") + type(e).__name__}
    session.pending = None
    session.lang = lang
    if answer is not None:
        record(assistant.store.documents, session, messages, answer)
    session.messages = messages
    keep(lib, session)
    yield view(session)


def preview_markdown(early: Answer, streamed: str) -> str:
    """The extractive answer, then the model's reply as it comes, labelled: it replaces them once verified."""
    lang = ui_lang(early.lang)
    writing = f"\n\n---\n*{t(lang, 'model_writing')}*"
    return answer_markdown(early.text) + writing + (f"\n\n{md_escape(streamed)}" if streamed else "")


def record(docs: dict[str, Document], session: Session, messages: list[dict[str, Any]], answer: Answer) -> None:
    """The answered turn joins the conversation: its message, its timings, its sources in the side panel."""
    turn = turn_from_answer(answer, docs)
    session.lang = ui_lang(turn.lang)
    turn.lang = session.lang
    session.history.append(answer.query)
    session.turns.append(turn)
    session.selected = len(session.turns) - 1
    messages[-1] = {"role": "assistant", "content": answer_markdown(answer.text, turn)}
    total = turn.timings_ms.get("total", 0.0)
    messages.append(
        {
            "role": "assistant",
            "content": timings_markdown(turn),
            "metadata": {"title": f"{t(turn.lang, 'timings')} · {total:.0f} ms", "status": "done"},
        }
    )
    first = len(session.messages)
    for i in range(first, len(messages)):
        session.message_turn[i] = session.selected


def stop(lib: Library, session: Session) -> ChatView:
    """The stop button (it also cancels the running answer): the extractive answer shown first stands."""
    if session.pending is not None:
        before, early = session.pending
        session.pending = None
        messages = [*before, {"role": "assistant", "content": ""}]
        record(lib.assistant.store.documents, session, messages, early)
        messages[-2]["content"] += f"\n\n*{t(session.lang or 'zh', 'model_stopped')}*"
        session.messages = messages
        keep(lib, session)
    return view(session)


def keep(lib: Library, session: Session) -> None:
    """A session holds its last turns only (issue 11): its state stays small however long it runs."""
    s = lib.settings
    session.trim(s.ui.max_session_turns, min(s.answer.max_history_items, s.ui.max_session_turns))


def refuse(lib: Library, session: Session, question: str, error: Exception) -> ChatView:
    """A question refused before it is read (too long, not text): its start is shown with the reason."""
    shown = shorten(question.encode("utf-8", "replace").decode("utf-8"), 200)
    lang = session.lang or ui_lang(detect(shown))
    session.messages = [
        *session.messages,
        {"role": "user", "content": md_escape(shown)},
        {"role": "assistant", "content": t(lang, "error") + md_escape(str(error))},
    ]
    keep(lib, session)
    return view(session)


def select_message(session: Session, index: Any) -> PanelView:
    """Clicking a message shows its turn's sources and makes it the target of feedback."""
    i = index[0] if isinstance(index, list | tuple) else index
    if isinstance(i, int) and i in session.message_turn:
        session.selected = session.message_turn[i]
    return panel(session)


def on_select(session: Session, evt: gr.SelectData) -> PanelView:
    return select_message(session, evt.index)


def open_source(session: Session, key: str | None) -> str:
    turn = session.current
    lang = turn.lang if turn else session.lang or "zh"
    found = next((s for s in turn.sources if s.key == key), None) if turn else None
    return paragraph_html(found, lang)


def new_conversation(session: Session) -> ChatView:
    """A fresh conversation; the page keeps the language it was in."""
    return view(Session(lang=session.lang))


def use_example(evt: gr.SelectData) -> str:
    value = evt.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def send_feedback(store: FeedbackStore, session: Session, kind: str | None, comment: str | None) -> tuple[Any, ...]:
    """Stores the selected turn's question, answer and citations with the feedback; -> status, kind, comment."""
    turn = session.current
    lang = turn.lang if turn else session.lang
    if turn is None:
        return tx(lang, "feedback_none"), SKIP, SKIP
    if not kind:
        return t(turn.lang, "feedback_pick"), SKIP, SKIP
    store.add(kind, comment or "", turn.question, turn.text, turn.citations(), turn.lang)
    return t(turn.lang, "feedback_saved"), gr.update(value=None), gr.update(value="")
