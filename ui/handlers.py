"""Chat handlers: plain functions of (inputs, session state) returning what each component shows.

`ui/app.py` binds them to components in the order of `ChatView`'s fields (a field left out is not changed);
tests call them directly. Nothing here logs or stores a question; feedback is written only when the user
presses 👍 or sends the 👎 form (`on_action`, `send_feedback`).
"""

from __future__ import annotations

import json
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
from ui.i18n import Lang, feedback_choices, message, page_lang, t
from ui.intro import INTRO_TURN, channel_sources
from ui.library import Library
from ui.paragraph import paragraph_html
from ui.render import answer_markdown, md_escape, source_label, timings_markdown
from ui.session import Session, Source, Turn, turn_from_answer

log = logging.getLogger("integrity.ui")
SKIP: dict[str, Any] = gr.skip()


class ChatView(NamedTuple):
    chatbot: Any = SKIP
    session: Any = SKIP
    question: Any = SKIP
    question_status: Any = SKIP
    sources_box: Any = SKIP
    sources_title: Any = SKIP
    sources: Any = SKIP
    paragraph: Any = SKIP
    about: Any = SKIP
    feedback_box: Any = SKIP
    feedback_title: Any = SKIP
    feedback_kind: Any = SKIP
    feedback_comment: Any = SKIP
    feedback_status: Any = SKIP


def panel(session: Session, key: str | None = None, intro: list[Source] | None = None) -> dict[str, Any]:
    """The side panel: the selected turn's sources (or, `intro`, the paragraphs naming the channels), the one
    with `key` (else the first) opened; hidden while there is nothing to show. Labels in the page's language."""
    lang = session.lang
    turn = session.current
    session.panel_intro = intro is not None
    if intro is not None:
        session.panel, title = intro, f"### {t(lang, 'intro_sources')}"
    elif turn is not None:
        session.panel = turn.sources
        title = f"### {t(lang, 'nearest')}\n{t(lang, 'nearest_note')}" if turn.refused else f"### {t(lang, 'sources')}"
    else:
        session.panel = []
        return {"sources_box": gr.update(visible=False), "sources": gr.update(choices=[], value=None)}
    chosen = next((s for s in session.panel if s.key == key), session.panel[0] if session.panel else None)
    session.open_key = chosen.key if chosen else None
    return {
        "sources_box": gr.update(visible=True),
        "sources_title": title,
        "sources": gr.update(
            choices=[(source_label(s, lang or "zh"), s.key) for s in session.panel],
            value=chosen.key if chosen else None,
            label=t(lang, "source_pick"),
        ),
        "paragraph": paragraph_html(chosen, lang or "zh"),
    }


def feedback_form(session: Session, turn: Turn | None) -> dict[str, Any]:
    """The 👎 form for `turn` (None: closed)."""
    session.feedback_turn = turn.id if turn else None
    if turn is None:
        return {"feedback_box": gr.update(visible=False)}
    lang = session.lang
    return {
        "feedback_box": gr.update(visible=True),
        "feedback_title": f"**{t(lang, 'feedback')}** {t(lang, 'feedback_on')} {md_escape(shorten(turn.question, 60))}",
        "feedback_kind": gr.update(choices=feedback_choices(lang), value=None),
        "feedback_comment": gr.update(value=""),
        "feedback_status": "",
    }


def view(session: Session, **fields: Any) -> ChatView:
    """Everything the chat tab shows for `session`, and `fields` over it."""
    return ChatView(**{"chatbot": session.messages, "session": session, **panel(session), **fields})


def only_chatbot(messages: list[dict[str, Any]], **fields: Any) -> ChatView:
    return ChatView(chatbot=list(messages), **fields)  # a snapshot: the list grows after this yield


def question_problem(q: str, lib: Library, lang: Lang | None) -> str | None:
    """Why `q` cannot be asked, in the reader's language (it stays in the box); None when it can."""
    most = lib.settings.answer.max_question_chars
    if len(q) > most:
        return t(lang, "too_long", n=f"{len(q):,}", most=f"{most:,}")
    try:
        check_question(q, lib.settings)
    except IntegrityError:
        return t(lang, "not_text")
    return None


def chat(lib: Library, question: str | None, session: Session, docs: list[str] | None) -> Iterator[ChatView]:
    """Answer `question` in the conversation: the user's turn at once, the answer as it grows, then all."""
    q = (question or "").strip()
    if not q:
        yield ChatView(question_status="")  # nothing to ask: nothing changes
        return
    reader = session.lang or page_lang(detect(q[:200].encode("utf-8", "replace").decode("utf-8")))
    problem = question_problem(q, lib, reader)
    if problem:  # read nothing more of it: a long question costs nothing, and stays in the box
        yield ChatView(question_status=problem)
        return
    assistant = lib.assistant  # one index for the whole answer, even if an upload swaps it meanwhile
    lang = page_lang(detect(q))
    messages = [
        *session.messages,
        {"role": "user", "content": md_escape(q)},
        {"role": "assistant", "content": f"*{t(lang, 'searching')}*"},
    ]
    yield only_chatbot(messages, question=gr.update(value=""), question_status="")
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
        messages[-1] = {"role": "assistant", "content": t(lang, "error") + md_escape(message(e, lang))}
    except Exception as e:  # the traceback's frames only: an exception message may quote the question
        log.error("answer failed: %s\n%s", type(e).__name__, "".join(traceback.format_tb(e.__traceback__)))
        messages[-1] = {"role": "assistant", "content": t(lang, "error") + type(e).__name__}
    session.pending = None
    session.lang = lang  # the page follows the question's language
    first = not session.turns
    if answer is not None:
        record(assistant.store.documents, session, messages, answer)
    session.messages = messages
    keep(lib, session)
    yield view(session, about=gr.update(open=False) if first and session.turns else SKIP)


def preview_markdown(early: Answer, streamed: str) -> str:
    """The extractive answer, then the model's reply as it comes, labelled: it replaces them once verified."""
    lang = page_lang(early.lang)
    writing = f"\n\n---\n*{t(lang, 'model_writing')}*"
    return answer_markdown(early.text) + writing + (f"\n\n{md_escape(streamed)}" if streamed else "")


def record(docs: dict[str, Document], session: Session, messages: list[dict[str, Any]], answer: Answer) -> None:
    """The answered turn joins the conversation: its message, its timings, its sources in the side panel."""
    turn = turn_from_answer(answer, docs)
    session.lang = turn.lang = page_lang(turn.lang)
    session.history.append(answer.query)
    session.add(turn)
    messages[-1] = {"role": "assistant", "content": answer_markdown(answer.text, turn)}
    total = turn.timings_ms.get("total", 0.0)
    messages.append(
        {
            "role": "assistant",
            "content": timings_markdown(turn),
            "metadata": {"title": f"{t(turn.lang, 'timings')} · {total:.0f} ms", "status": "done"},
        }
    )
    for i in range(len(session.messages), len(messages)):
        session.message_turn[i] = session.selected


def stop(lib: Library, session: Session) -> ChatView:
    """The stop button (it also cancels the running answer): the extractive answer shown first stands."""
    if session.pending is not None:
        before, early = session.pending
        session.pending = None
        messages = [*before, {"role": "assistant", "content": ""}]
        record(lib.assistant.store.documents, session, messages, early)
        messages[-2]["content"] += f"\n\n*{t(session.lang, 'model_stopped')}*"
        session.messages = messages
        keep(lib, session)
    return view(session)


def keep(lib: Library, session: Session) -> None:
    """A session holds its last turns only (issue 11): its state stays small however long it runs."""
    s = lib.settings
    session.trim(s.ui.max_session_turns, min(s.answer.max_history_items, s.ui.max_session_turns))


def select_message(session: Session, index: Any) -> ChatView:
    """Clicking a message shows its turn's sources in the panel."""
    i = index[0] if isinstance(index, list | tuple) else index
    if isinstance(i, int) and i in session.message_turn:
        session.selected = session.message_turn[i]
    return ChatView(session=session, **panel(session))


def on_select(session: Session, evt: gr.SelectData) -> ChatView:
    return select_message(session, evt.index)


def parse_action(payload: str | None) -> dict[str, Any]:
    """The JSON ui/page.js left for the action button; {} when it is not an object."""
    try:
        action = json.loads(payload or "{}")
    except ValueError:
        return {}
    return action if isinstance(action, dict) else {}


def on_action(lib: Library, store: FeedbackStore, session: Session, payload: str | None) -> ChatView:
    """What ui/page.js reports from a button inside a message: `{"act": "cite"|"up"|"down", "turn", "key"}` —
    a citation marker opens its paragraph (of any answer, or of the first screen's channels), 👍 stores the
    answer as helpful, 👎 opens the feedback form for that answer."""
    action = parse_action(payload)
    act, key, turn_id = action.get("act"), str(action.get("key", "")), action.get("turn")
    if act == "cite" and turn_id == INTRO_TURN:
        return ChatView(session=session, **panel(session, key, intro=channel_sources(lib.assistant)))
    turn = session.by_id(turn_id)
    if turn is None or act not in ("cite", "up", "down"):
        return ChatView(feedback_status=t(session.lang, "feedback_none") if act in ("up", "down") else SKIP)
    if act == "cite":
        session.selected = session.turns.index(turn)
        return ChatView(session=session, **panel(session, key))
    if act == "up":
        store.add("helpful", "", turn.question, turn.text, turn.citations(), turn.lang)
        return ChatView(
            session=session, feedback_status=t(session.lang, "feedback_up_saved"), **feedback_form(session, None)
        )
    return ChatView(session=session, **feedback_form(session, turn))


def open_source(session: Session, key: str | None) -> str:
    found = next((s for s in session.panel if s.key == key), None)
    session.open_key = found.key if found else session.open_key
    return paragraph_html(found, session.lang or "zh")


def repaint_panel(lib: Library, session: Session) -> ChatView:
    """The panel again, as it was, in the page's (new) language."""
    intro = channel_sources(lib.assistant) if session.panel_intro else None
    return ChatView(session=session, **panel(session, session.open_key, intro))


def new_conversation(session: Session) -> ChatView:
    """A fresh conversation (the first screen again); the page keeps its language, the box what is typed."""
    fresh = Session(lang=session.lang, shown_lang=session.shown_lang, uploads=session.uploads)
    return view(fresh, about=gr.update(open=True), question_status="", feedback_status="", **feedback_form(fresh, None))


def use_example(evt: gr.SelectData) -> str:
    value = evt.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def send_feedback(store: FeedbackStore, session: Session, kind: str | None, comment: str | None) -> ChatView:
    """Stores the answer's question, text and citations with the kind and comment of the 👎 form."""
    turn = session.by_id(session.feedback_turn)
    if turn is None:
        return ChatView(feedback_status=t(session.lang, "feedback_none"), **feedback_form(session, None))
    if kind not in ("wrong_answer", "wrong_source"):
        return ChatView(feedback_status=t(session.lang, "feedback_pick"))
    store.add(kind, comment or "", turn.question, turn.text, turn.citations(), turn.lang)
    return ChatView(session=session, feedback_status=t(session.lang, "feedback_saved"), **feedback_form(session, None))


def cancel_feedback(session: Session) -> ChatView:
    return ChatView(session=session, feedback_status="", **feedback_form(session, None))


def set_language(session: Session, lang: str | None) -> Session:
    """The header's switch (or the browser's language at load): the page's language from now on."""
    session.lang = page_lang(lang)
    return session
