"""No blank wait: with a model generator the extractive answer comes first, the model's reply streams in after it
(labelled), and replaces it only when verified. The pipeline, `integrity chat` on a terminal, the web handlers and
the stop button, over the real index and a scripted OpenAI-compatible server (the real server: test_local_*.py).
"""

from __future__ import annotations

import itertools

import pytest
from fake_openai import GOOD_EN, GOOD_ZH, Q_EN, Q_ZH, FakeOpenAI, Reply, script

from assistant import terminal
from assistant.phrases import phrase
from assistant.pipeline import Assistant
from assistant.types import Answer, Preview
from ui import handlers
from ui.i18n import t
from ui.library import Library
from ui.render import answer_markdown
from ui.session import Session


def test_the_extractive_answer_comes_first_then_the_model_streams(
    gen: Assistant, fake: FakeOpenAI, assistant: Assistant
) -> None:
    fake.handler = script(Reply(GOOD_ZH))
    parts = list(gen.ask_stream(Q_ZH, preview=True))
    first, texts, final = parts[0], parts[1:-1], parts[-1]
    assert isinstance(first, Preview) and isinstance(final, Answer)
    quick = assistant.ask(Q_ZH)
    assert first.answer.generator == "extractive" and first.answer.text == quick.text
    assert [s.text for s in first.answer.sentences] == [s.text for s in quick.sentences]
    assert "preview: the model's answer follows" in first.answer.notes
    assert len(texts) >= 3 and all(isinstance(x, str) for x in texts) and texts[-1] == GOOD_ZH
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts))
    assert final.generator == "openai" and final.text == "2020年，道德操守办公室共收到1 681项服务请求。[1]"
    assert not any(isinstance(p, Preview) for p in gen.ask_stream(Q_ZH))  # only when asked for


def test_no_preview_when_the_question_is_refused(gen: Assistant, fake: FakeOpenAI) -> None:
    parts = list(gen.ask_stream("道德操守办公室2024年的预算是多少？", preview=True))
    assert not any(isinstance(p, Preview) for p in parts) and fake.requests == []


def test_the_terminal_shows_quotes_at_once_then_the_verified_answer(
    gen: Assistant, fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.handler = script(Reply(GOOD_EN))
    a = terminal.stream(gen, Q_EN, [], None, live=True)
    out = capsys.readouterr().out
    quotes, writing = out.index("According to the documents"), out.index(phrase("llm", "writing", "en"))
    raw, verified = out.index(GOOD_EN), out.index(phrase("llm", "verified", "en"))
    assert quotes < writing < raw < verified < out.index(a.text) and a.generator == "openai"


def test_the_terminal_keeps_the_quotes_when_the_model_fails(
    gen: Assistant, fake: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.handler = script(Reply(status=500))
    a = terminal.stream(gen, Q_EN, [], None, live=True)
    out = capsys.readouterr().out
    assert a.generator == "extractive" and out.count("According to the documents") == 1
    assert out.rstrip().endswith("⚠ The language model could not be used (HTTP 500 from the server); these are "
                                 "quoted sentences from the documents instead.")  # fmt: skip
    assert phrase("llm", "verified", "en") not in out


@pytest.fixture
def lib(gen: Assistant) -> Library:
    return Library(gen.settings.replace(admin_password=None), gen)


def test_the_web_chat_shows_the_quotes_then_the_labelled_stream_then_the_verified_answer(
    lib: Library, fake: FakeOpenAI
) -> None:
    fake.handler = script(Reply(GOOD_ZH))
    session = Session()
    views = list(handlers.chat(lib, Q_ZH, session, None))
    shown = [v.chatbot[-1]["content"] for v in views[1:-1]]
    label = t("zh", "model_writing")
    assert shown[0].startswith("根据文件") and shown[0].endswith(f"*{label}*")  # the quotes at once, labelled
    assert all(s.startswith(shown[0]) for s in shown[1:]) and "项服务请求" in shown[-1]
    answer = views[-1].chatbot[-2]["content"]
    assert answer.startswith("2020年，道德操守办公室共收到1 681项服务请求。") and label not in answer
    assert session.pending is None and len(session.turns) == 1


def test_stop_keeps_the_quotes_as_the_answer(lib: Library, fake: FakeOpenAI) -> None:
    fake.handler = script(Reply(GOOD_ZH, stall=8.0))  # the model writes one piece, then nothing for a while
    session = Session()
    running = handlers.chat(lib, Q_ZH, session, None)
    label = f"*{t('zh', 'model_writing')}*"
    for view in running:
        if not view.chatbot[-1]["content"].endswith(label) and label in view.chatbot[-1]["content"]:
            break  # the quotes are shown and the model's first piece under them
    stopped = handlers.stop(lib, session)
    running.close()  # what gradio's cancel does to the running answer
    answer = stopped.chatbot[-2]["content"]
    assert answer.startswith("根据文件") and answer.endswith(f"*{t('zh', 'model_stopped')}*")
    assert len(session.turns) == 1 and session.turns[0].text.startswith("根据文件") and session.history
    assert session.pending is None and stopped.chatbot[-1]["metadata"]["status"] == "done"
    assert handlers.stop(lib, session).chatbot == stopped.chatbot  # a second press changes nothing
    assert answer_markdown(session.turns[0].text, session.turns[0]) in answer
