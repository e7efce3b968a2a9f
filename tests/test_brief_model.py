"""A facilitator brief written with a model (assistant/brief/write_model.py): an English brief's key points in
English and discussion questions written from its cited points, each statement checked like an answer's
sentence. The real index and the real verifier; the model is the scripted OpenAI-compatible server, which
answers the two requests a brief makes as a model would, with one faithful and one wrong statement of each kind.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fake_openai import FakeOpenAI, Reply

from assistant.brief.make import make_brief
from assistant.brief.model import Brief
from assistant.brief.write_model import DISCUSS, TRANSLATE
from assistant.pipeline import Assistant

DIALOGUE = "A/76/76 ¶43"  # 2020 年领导力对话的主题是“文明礼貌促进尊严：如何沟通才能促进工作场所和谐？”
FIVE_CASES = "A/76/76 ¶36"  # 在 5 起案件中，道德操守办公室建议采取预防行动……
NUMBERED = re.compile(r"^(\d+)\. (.*)$", re.M)


def numbered(body: dict[str, Any]) -> dict[str, int]:
    """Which number the request gave each paragraph's quote (translation) or fact (discussion)."""
    user = body["messages"][1]["content"]
    out: dict[str, int] = {}
    for n, text in NUMBERED.findall(user):
        if "领导力对话" in text and "2020" in text:
            out[DIALOGUE] = int(n)
        if "5 起案件" in text:
            out[FIVE_CASES] = int(n)
    for n, text in re.findall(r"^\[(\d+)\] \([^)]*\) (.*)$", user, re.M):
        if "领导力对话" in text and "2020" in text:
            out.setdefault(DIALOGUE, int(n))
        if "5 起案件" in text:
            out.setdefault(FIVE_CASES, int(n))
    return out


def writer(body: dict[str, Any]) -> Reply:
    system = body["messages"][0]["content"]
    at = numbered(body)
    if system == TRANSLATE:
        return Reply(
            f"{at[DIALOGUE]}. The theme of the 2020 leadership dialogue was “Civility for dignity: how can "
            "communication promote harmony in the workplace?”\n"
            f"{at[FIVE_CASES]}. In 50 cases, the Ethics Office recommended preventive action."
        )
    assert system.startswith(DISCUSS.split("{")[0])
    d, f = at[DIALOGUE], at[FIVE_CASES]
    return Reply(
        f"Q: How can we use the theme of the 2020 leadership dialogue, civility for dignity, to communicate in a "
        f"way that promotes harmony in our workplace? [{d}]\n"
        f"Q: What did the Ethics Office learn from the 50 cases in which it recommended preventive action? [{f}]\n"
        "Q: A question that cites nothing.\n"
        f"S: A tense meeting | Two colleagues argue loudly in a team meeting. Remembering the 2020 leadership "
        f"dialogue on civility promoting dignity and workplace harmony, how would you respond? [{d}]"
    )


@pytest.fixture(scope="module")
def brief(gen: Assistant, llm_server: FakeOpenAI) -> Brief:
    llm_server.requests.clear()
    llm_server.handler = writer
    return make_brief(gen, "civility", "en")


def test_key_points_are_translated_and_checked(brief: Brief) -> None:
    by_key = {p.quote.key: p for p in brief.key_points}
    assert {DIALOGUE, FIVE_CASES} <= set(by_key)
    assert by_key[DIALOGUE].text_en.startswith("The theme of the 2020 leadership dialogue")
    assert not by_key[FIVE_CASES].text_en  # 50 is not the paragraph's 5: the quote stays, untranslated
    assert "5 起案件" in by_key[FIVE_CASES].quote.text
    assert any("does not support: In 50 cases" in n for n in brief.discussion.notes)


def test_questions_and_scenarios_come_from_cited_points(brief: Brief) -> None:
    d = brief.discussion
    written = [q for q in d.questions if q.startswith("How can we use the theme of the 2020 leadership dialogue")]
    assert len(written) == 1 and written[0].endswith(f"[{brief.ref(DIALOGUE)}]")
    assert not any("50 cases" in q for q in d.questions)  # the figure is not in the cited fact
    assert not any("cites nothing" in q for q in d.questions)
    assert d.questions[0] == written[0]  # the model's come first; templates only fill up to the minimum
    assert len(d.questions) >= 6
    assert "A tense meeting" not in [s.title for s in d.scenarios]  # 3 000 is not the paragraph's 40 000
    assert d.scenarios  # filled from the templates
    assert any("does not support" in n and "A tense meeting" in n for n in d.notes)
    assert d.writer == "openai: 1 statements verified"
    assert any("does not support" in n and "What did the Ethics Office learn from the 50" in n for n in d.notes)


def test_a_failing_model_leaves_the_template_brief(gen: Assistant, llm_server: FakeOpenAI) -> None:
    llm_server.handler = lambda body: Reply(status=503)
    b = make_brief(gen, "civility", "en")
    assert not any(p.text_en for p in b.key_points) or all(p.text_en == "" for p in b.key_points)
    assert b.discussion.writer == "template" and any("failed: HTTP 503" in n for n in b.discussion.notes)
