"""How the extractive answer picks what to quote: spans (pure) and sentence choice on the real index."""

from __future__ import annotations

import re

from assistant.answer import Extractive, has_figure, question_parts
from assistant.pipeline import Assistant
from assistant.query import query_for
from index.chunk import spans


def squash(t: str) -> str:
    return re.sub(r"\s+", "", t)


def test_a_short_semicolon_list_is_one_span_and_keeps_its_text() -> None:
    text = "评估指出了以下六个重大风险：组织文化；采购欺诈； 燃料盗窃。另一句。"
    assert spans(text) == ["评估指出了以下六个重大风险：组织文化；采购欺诈； 燃料盗窃。", "另一句。"]
    assert all(s in text for s in spans(text))  # quoted verbatim, spacing included


def test_a_long_semicolon_chain_stays_in_sentences() -> None:
    items = [f"第{i}项内容" + "很长" * 40 + "；" for i in range(4)]
    text = "".join(items) + "完。"
    assert spans(text) == [*items, "完。"]
    assert spans("") == [] and spans("单句没有句号") == ["单句没有句号"]


def test_question_parts_split_two_questions_in_one() -> None:
    assert question_parts("2020年财务披露有多少人参与？其中多少人被认定有潜在利益冲突？") == [
        "2020年财务披露有多少人参与",
        "其中多少人被认定有潜在利益冲突",
    ]
    assert question_parts("How many gift queries were there, and who keeps the gift registers?") == [
        "How many gift queries were there",
        "who keeps the gift registers",
    ]
    assert question_parts("谁负责防止报复？") == ["谁负责防止报复"]


def test_each_part_of_a_two_part_question_is_answered(assistant: Assistant) -> None:
    a = assistant.ask("2020年财务披露有多少人参与？其中多少人被认定有潜在利益冲突？")
    text = squash(a.text)
    assert not a.refused and "5904" in text and "224" in text


def test_a_list_question_quotes_the_whole_list(assistant: Assistant) -> None:
    a = assistant.ask("2019年欺诈和腐败风险评估找出了哪六个重大风险？")
    assert "采购欺诈" in a.text and "燃料、口粮和存货盗窃" in a.text


def test_meaning_helps_pick_the_sentence_that_answers(assistant: Assistant) -> None:
    """Word overlap alone quotes the sentences that repeat the question's words; the span vectors also
    find the one that answers it (which exceptions: shorter breaks in service, special post allowance)."""
    q = "授权框架下，管理人员可以批准哪些人力资源政策例外？"
    query = query_for(q, "zh", assistant.settings)
    hits = assistant.retriever.search(query)
    bound = assistant.generator
    assert isinstance(bound, Extractive) and bound.retriever is not None
    words_only = Extractive(assistant.settings.replace(span_dense_weight=0.0), assistant.retriever, assistant.idf)
    cands = bound.candidates(hits)
    target = next(i for i, c in enumerate(cands) if "特别职位津贴" in c.shown)

    def place(gen: Extractive) -> int:
        scores = gen.scores(query, set(query.tokens), cands)
        return sorted(range(len(cands)), key=lambda i: -scores[i]).index(target)

    assert place(bound) < place(words_only)  # meaning ranks the sentence that answers higher
    with_meaning = bound.sentences(query, hits)
    by_key = {h.key: h.paragraph for h in hits}
    assert all(squash(s.text) in squash(by_key[s.citations[0].key].searchable()) for s in with_meaning)


def test_years_dates_and_symbols_are_no_figures() -> None:
    assert has_figure("2020 年，道德操守办公室收到 138 项问询")
    assert has_figure("合规率为 99.9%")
    assert not has_figure("图七列示了 2018 年至 2020 年就有关防止报复的问询采取的所有行动。")
    assert not has_figure("根据大会第 60/254 号决议第16(i)段提交，见 ST/SGB/2017/2/Rev.1。")
    assert not has_figure("2020 年 1 月 1 日至 12 月 31 日")


def test_a_list_is_answered_whole(assistant: Assistant) -> None:
    """The paragraph announces two commitments, then states them as 第一项… 第二项…: both are quoted."""
    a = assistant.ask("What are the two key commitments at the centre of accountability in the new paradigm?")
    text = squash(a.text)
    assert not a.refused and "第一项承诺" in text and "第二项承诺" in text
    assert "充分权力" in text


def test_a_follow_up_is_answered_by_what_its_own_words_ask(assistant: Assistant) -> None:
    """A follow-up is searched with the turn before it, but its lead answers its own question: the website's
    views, not the briefings the first turn asked about (both paragraphs are among its hits)."""
    first = assistant.ask("道德操守办公室2020年办了多少次有针对性的简报会？")
    follow = assistant.ask("网站浏览量呢？", [first.query])
    assert not follow.refused and follow.query != "网站浏览量呢？"  # read against the first turn
    lead = squash(follow.text.split("[1]")[0])
    assert "113669" in lead and "82次" not in lead


def test_the_lead_of_a_which_question_holds_the_sentence_that_answers(assistant: Assistant) -> None:
    """Asked "which exceptions?", the sentence that repeats the question's words is joined with the next, which names
    them; a figure question whose lead holds the figure keeps its lead alone."""
    a = assistant.ask("授权框架下，管理人员可以批准哪些人力资源政策例外？")
    lead = squash(a.text.split("[1]")[0])
    assert not a.refused and "特别职位津贴" in lead and "酌处权" in lead
    assert all(s.supported for s in a.sentences)
    b = assistant.ask("2020年道德操守办公室网站的浏览量是多少？")
    lead = squash(b.text.split("[1]")[0])
    assert "113669" in lead and "正式语文" not in lead


def test_two_parts_answered_by_neighbouring_sentences_are_one_statement(assistant: Assistant) -> None:
    """Asked "how many, and how many fewer than 2019?", the 69 declarations and the 92 of 2019 are two sentences of one
    paragraph, quoted as one statement, so the answer's first statement answers both parts."""
    a = assistant.ask("2020年道德操守办公室审查了多少份任用前利益申报？比2019年少了多少？")
    lead = squash(a.text.split("[1]")[0])
    assert not a.refused and "69份" in lead and "92份" in lead
