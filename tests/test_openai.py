"""The `openai` generator end to end: the real index and assistant, a scripted OpenAI-compatible server on loopback.

Answers that pass verification, answers it corrects (invented keys, the wrong paragraph), refusal before any
call, the model declining, follow-ups condensed by the model, configuration. Failures that fall back to the
extractive answer are in test_openai_fallback.py.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from fake_openai import (
    GOOD_EN,
    GOOD_ZH,
    Q_EN,
    Q_ZH,
    FakeOpenAI,
    Reply,
    closed_port_url,
    documents,
    script,
    squash,
)

from assistant import llm
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.types import Answer
from index.embed import Embedder
from index.errors import InputError
from index.store import Store
from index.text import shorten


def assert_verified(a: Answer) -> None:
    by_key = {h.key: h.paragraph for h in a.hits}
    assert a.generator == "openai" and not a.refused and a.sentences
    for s in a.sentences:
        assert s.supported and s.citations
        for c in s.citations:
            assert c.key in by_key and squash(c.quote) in squash(by_key[c.key].searchable())
            assert f"[{[x.key for x in a.citations].index(c.key) + 1}]" in a.text
    assert not any(n.startswith("fallback") for n in a.notes)


# -- answers that pass --------------------------------------------------------------------------------
def test_good_answer_is_verified_cited_and_asked_as_specified(gen: Assistant, fake: FakeOpenAI) -> None:
    fake.handler = script(Reply(GOOD_ZH))
    a = gen.ask(Q_ZH)
    assert_verified(a)
    assert [c.key for c in a.citations] == ["A/76/76 ¶6"]
    assert a.text == "2020年，道德操守办公室共收到1 681项服务请求。[1]"
    assert "verified: 1 of 1 sentences supported by their citations; policy for the rest: drop" in a.notes
    (body,) = fake.requests
    assert body["model"] == "fake-model" and body["stream"] is True  # one path: answers always stream
    assert body["messages"][0] == {"role": "system", "content": llm.system_prompt("zh", gen.settings)}
    assert "A/76/76 ¶6" in documents(body) and f"<question>\n{Q_ZH}\n</question>" in body["messages"][1]["content"]
    assert len(documents(body)) == gen.settings.llm.openai_context
    assert fake.auth == ["Bearer EMPTY"]  # OPENAI_API_KEY is never read


def test_english_answer_from_chinese_paragraphs_is_verified(gen: Assistant, fake: FakeOpenAI) -> None:
    fake.handler = script(Reply(GOOD_EN))
    a = gen.ask(Q_EN)
    assert_verified(a)
    assert a.text == "The Ethics Office received 1,681 service requests in 2020. [1]"
    assert "Write the answer in English" in fake.requests[0]["messages"][0]["content"]


def test_streaming_yields_the_growing_reply_then_the_verified_answer(gen: Assistant, fake: FakeOpenAI) -> None:
    reply = GOOD_ZH + "咨询请求从 2019 年的 934 项减至 2020 年的 691 项，减幅为 26% [A/76/76 ¶11]。"
    fake.handler = script(Reply(reply))
    parts = list(gen.ask_stream(Q_ZH))
    texts, final = parts[:-1], parts[-1]
    assert isinstance(final, Answer) and len(texts) >= 5
    assert all(isinstance(t, str) for t in texts)
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts)) and texts[-1] == reply
    assert_verified(final)
    assert [c.key for c in final.citations] == ["A/76/76 ¶6", "A/76/76 ¶11"] and final.text.endswith("[2]")
    assert fake.requests[0]["stream"] is True


# -- answers that are corrected -----------------------------------------------------------------------
def test_invented_keys_are_removed_and_an_uncited_sentence_dropped(gen: Assistant, fake: FakeOpenAI) -> None:
    extra = "该办公室还收到了 5 000 项投诉 [A/12/345 ¶1]。"
    fake.handler = script(Reply(GOOD_ZH.replace("]", "][A/99/999 ¶12]") + extra))
    a = gen.ask(Q_ZH)
    assert_verified(a)
    assert [c.key for c in a.citations] == ["A/76/76 ¶6"] and len(a.sentences) == 1
    assert "invented citation removed: A/99/999 ¶12" in a.notes and "invented citation removed: A/12/345 ¶1" in a.notes
    assert any(n.startswith("unsupported sentence dropped: 该办公室还收到了") for n in a.notes)
    assert "A/99/999" not in a.text and "5 000" not in a.text and "已删除 1 句" in a.text


SECOND = "寻求道德操守咨询的请求数量减少了26%，原因很可能是COVID-19造成的限制。"


def cite_wrong(body: dict[str, Any]) -> Reply:
    """Second sentence true (¶11) but citing another paragraph the model was given."""
    wrong = next(k for k, t in documents(body).items() if k not in ("A/76/76 ¶6", "A/76/76 ¶11") and "26%" not in t)
    return Reply(GOOD_ZH + f"{SECOND[:-1]} [{wrong}]。")


@pytest.mark.parametrize("policy", ["drop", "mark"])
def test_wrong_paragraph_loses_its_citation(
    policy: str,
    gen: Assistant,
    fake: FakeOpenAI,
    store: Store,
    embedder: Embedder,
) -> None:
    fake.handler = script(cite_wrong)
    a = gen if policy == "drop" else Assistant(gen.settings.replace(openai_unsupported="mark"), store, embedder)
    ans = a.ask(Q_ZH)
    wrong = re.search(r"\[([^\]]+)\]。$", cite_wrong(fake.requests[0]).content)
    assert wrong and f"citation removed, {wrong.group(1)} does not support: {shorten(SECOND, 40)}" in ans.notes
    assert ans.generator == "openai" and [c.key for c in ans.citations] == ["A/76/76 ¶6"]
    if policy == "drop":
        assert len(ans.sentences) == 1 and "26%" not in ans.text.split("\n")[0] and "已删除 1 句" in ans.text
    else:
        assert [s.supported for s in ans.sentences] == [True, False] and not ans.sentences[1].citations
        assert "⚠ 未经核实：寻求道德操守咨询的请求数量减少了26%" in ans.text
        assert any(n.startswith("unsupported sentence marked unverified") for n in ans.notes)


# -- refusal ------------------------------------------------------------------------------------------
def test_no_evidence_means_no_call(gen: Assistant, fake: FakeOpenAI) -> None:
    fake.handler = script(Reply(GOOD_ZH))
    a = gen.ask("道德操守办公室2024年的预算是多少？")
    assert a.refused and not a.sentences and a.text.startswith("文件没有回答这个问题")
    assert fake.requests == []


@pytest.mark.parametrize("reply", ["NO_ANSWER", "The documents provided do not say how many requests were received."])
def test_a_model_that_declines_falls_back_to_the_quotes(
    reply: str, gen: Assistant, fake: FakeOpenAI, assistant: Assistant
) -> None:
    """Refusal is decided in code before the model is called: when the model declines anyway, the reader gets
    the extractive answer, with a note saying the model declined (issue 15)."""
    fake.handler = script(Reply(reply))
    a = gen.ask(Q_EN)
    assert not a.refused and a.generator == "extractive"
    assert a.text.startswith("⚠ The language model could not be used (it said the paragraphs do not answer)")
    assert [s.text for s in a.sentences] == [s.text for s in assistant.ask(Q_EN).sentences]
    assert "declined: the model said the documents do not answer" in a.notes


# -- follow-ups ---------------------------------------------------------------------------------------
def test_follow_up_is_condensed_by_the_model(gen: Assistant, fake: FakeOpenAI) -> None:
    fake.handler = script(
        Reply("2020年的领导力对话主题是文明礼貌促进尊严 [A/76/76 ¶43]。"),
        condense=Reply("2021年领导力对话的主题是什么？"),
    )
    first = gen.ask("2020年领导力对话的主题是什么？")
    assert len(fake.requests) == 1  # no history: nothing to condense
    follow = gen.ask("那2021年呢？", [first.query])
    assert follow.query == "2021年领导力对话的主题是什么？" and "condensed by the model" in follow.notes
    condense_req = fake.requests[1]
    assert condense_req["messages"][0]["content"] == llm.CONDENSE_SYSTEM
    assert f"<history>\n- {first.query}\n</history>" in condense_req["messages"][1]["content"]
    assert any("2021年，年度领导力对话重点关注问责制" in squash(h.paragraph.text) for h in follow.hits[:5])


def test_follow_up_falls_back_to_the_rules_when_the_model_fails(gen: Assistant, fake: FakeOpenAI) -> None:
    fake.handler = script(Reply(GOOD_ZH), condense=Reply(status=503))
    follow = gen.ask("那2021年呢？", ["2020年领导力对话的主题是什么？"])
    assert "2021" in follow.query and "领导力对话" in follow.query
    assert "condense: the model failed (HTTP 503 from the server); rules used" in follow.notes


# -- configuration ------------------------------------------------------------------------------------
def test_configured_from_the_environment_only(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeOpenAI,
    store: Store,
    embedder: Embedder,
    settings: Settings,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", closed_port_url())  # never read
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-sent")
    for k, v in {
        "GENERATOR": "openai",
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_MODEL": "served-model",
        "OPENAI_API_KEY": "local-key",
        "OPENAI_TIMEOUT": "2",
    }.items():
        monkeypatch.setenv(f"INTEGRITY_{k}", v)
    env = Settings.of(data_dir=settings.index.data_dir, corpus_dir=settings.index.corpus_dir)
    assert env.answer.generator == "openai" and env.llm.openai_timeout == 2.0 and "local-key" not in repr(env)
    fake.handler = script(Reply(GOOD_ZH))
    a = Assistant(env, store, embedder).ask(Q_ZH)
    assert a.generator == "openai" and fake.requests[0]["model"] == "served-model"
    assert fake.auth == ["Bearer local-key"]


def test_missing_server_or_model_is_an_error(settings: Settings, store: Store, embedder: Embedder) -> None:
    with pytest.raises(InputError, match="INTEGRITY_OPENAI_BASE_URL"):
        Assistant(settings.replace(generator="openai"), store, embedder)
