"""How an extractive answer shows and frames what it quotes (assistant/quote.py, gist.py, compose.py, select.py):
pure functions over plain data, on paragraphs and the corpus's real entity table and glossary."""

from __future__ import annotations

import re

from assistant.compose import compose, correction, figures, frame
from assistant.gist import facts, gist, row_facts
from assistant.language import detect
from assistant.query import query_for
from assistant.quote import Quotable, balanced, blob, quotables, resolved
from assistant.render import quoted
from assistant.select import choose, extended, joined
from assistant.settings import Settings
from index.query import make_query
from index.types import Document, Hit, Paragraph, Query

ETHICS = Document(
    "A_76_76.zh",
    "x.md",
    "A/76/76",
    "道德操守办公室的活动",
    "A/76/76",
    title_en="Activities of the Ethics Office: Report of the Secretary-General",
)


def hit(text: str, number: str = "6", heading: tuple[str, ...] = ("三. 一般资料",), **kw: object) -> Hit:
    return Hit(Paragraph("A_76_76.zh", "A/76/76", number, text, heading, **kw), 1.0)  # type: ignore[arg-type]


def squash(t: str) -> str:
    return re.sub(r"\s+", "", t)


def test_stray_brackets_and_footnote_numbers_are_left_out_of_what_is_shown() -> None:
    assert balanced(")在请求总数中，866 项请求来自妇女") == "在请求总数中，866 项请求来自妇女"
    assert balanced("如图一所示(见图二") == "如图一所示(见图二"  # an opener kept when it is not at the end
    assert balanced("这一数字大大减少(") == "这一数字大大减少"
    assert balanced("(减少的原因可能是疫情)") == "(减少的原因可能是疫情)"
    h = hit("2020 年共收到 138 项问询。", footnotes=("5 这 3 起案件均已结案。",))
    shown = [q.shown for q in quotables(0, h)]
    assert shown == ["2020 年共收到 138 项问询。", "这 3 起案件均已结案。"]


def test_an_unresolved_office_at_the_start_of_a_quote_is_named_and_the_quote_stays_verbatim() -> None:
    h = hit("道德操守办公室收到 138 项问询。该办公室确定在 3 起案件中存在报复行为。", number="34")
    second = quotables(0, h)[1]
    assert second.quote == "该办公室确定在 3 起案件中存在报复行为。"  # the citation quotes the paragraph
    assert resolved(second, ETHICS.title) == "[道德操守办公室]确定在 3 起案件中存在报复行为。"
    alone = quotables(0, hit("该办公室还为其他实体提供服务。", heading=("四. 道德操守办公室的活动",)))[0]
    assert resolved(alone, "") == "[道德操守办公室]还为其他实体提供服务。"  # from the heading
    far = quotables(0, hit("在 2020 年开展的全部工作中，经过多轮协商和审查之后，该办公室提出了建议。"))[0]
    assert resolved(far, ETHICS.title) == far.shown  # a reference far from the start is no unresolved opening


def test_a_table_row_is_quoted_with_its_row_and_column_labels() -> None:
    table = (("类别", "2019", "2020"), ("虚假陈述", "40", "51"), ("合计", "1 665", "1 681"))
    h = hit("表 1 类别 2019 2020 虚假陈述 40 51a 合计 1 665 1 681", number="table 1", table=table)
    rows = quotables(0, h)
    assert [r.shown for r in rows] == ["虚假陈述，2019：40；2020：51", "合计，2019：1 665；2020：1 681"]
    assert all(r.row and r.quote in h.paragraph.text for r in rows)  # quoted as the paragraph prints it


def test_a_table_flattened_to_text_is_no_quote() -> None:
    flat = "类别 2010-2017 2018 2020a 2021a 共计 全部建议 12 075 7 276 953 1 052 1 136 10 417 722 936 累计执行率 88 87"
    assert blob(flat) and quotables(0, hit(flat + "。")) == []
    assert not blob("共有 24 人(15.2%)选择不参加；4 人(2.5%)没有答复；在其他 4 个案例(2.5%)中，审查没有完成。")


def test_an_english_reader_is_told_a_table_row_by_its_column_dates() -> None:
    shown = "调查后认定存在报复行为，2015 年 8 月至 2016 年 7 月：4；2020 年 1 月至 2020 年 12 月：3"
    assert row_facts(shown) == ["August 2015 to July 2016: 4", "January 2020 to December 2020: 3"]
    assert gist("A/76/76, table 1", shown, ETHICS, row=True).endswith(
        "): August 2015 to July 2016: 4; January 2020 to December 2020: 3"
    )


def test_an_english_reader_is_told_the_key_title_figures_dates_and_offices_in_english() -> None:
    shown = "2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。"
    said = gist("A/76/76 ¶6", shown, ETHICS)
    assert said.startswith("A/76/76 ¶6 (Activities of the Ethics Office): ")
    assert "1 681 service requests" in said and "1 January 2020" in said and "Ethics Office" in said
    assert "ST/SGB/2017/2/Rev.1" in facts("秘书长公报 ST/SGB/2017/2/Rev.1 所载政策")
    assert facts("合规率为 99.9%。") == ["99.9%"]
    assert facts("第三项承诺。") == []  # a bare small number tells an English reader nothing


def prepared(question: str) -> Query:
    """The query the pipeline passes down for a standalone question (its language, years, whether it asks for
    confirmation of something it states)."""
    return query_for(question, detect(question), Settings())


def test_a_false_figure_taken_for_granted_is_corrected_by_the_lead() -> None:
    lead = ["2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。"]
    asked = prepared("道德操守办公室2020年收到了3 000项服务请求，对吗？")
    assert figures(lead[0]) == [(1681.0, "项", "1 681 项")]
    assert correction(asked, lead) == ("1 681 项", "3 000项")  # each as printed
    opening, kind = frame(asked, lead)
    assert kind == "correction" and opening is not None and "1 681 项" in opening and "而非 3 000项" in opening
    right = prepared("道德操守办公室2020年收到了1 681项服务请求，对吗？")
    assert correction(right, lead) is None  # a true premise is not corrected
    plain = prepared("道德操守办公室2020年收到了3 000项服务请求。")
    assert correction(plain, lead) is None  # nothing asked to confirm


def test_an_english_premise_and_a_wrong_year_are_corrected_in_the_readers_language() -> None:
    lead = ["2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。"]
    wrong = prepared("The Ethics Office received 3,000 service requests in 2020, right?")
    assert correction(wrong, lead) == ("1 681", "3,000")
    assert correction(prepared("It received 1,681 requests in 2020, right?"), lead) is None
    founded = ["该工作组成立于 2017 年 11 月，目标是坚持零容忍。"]
    assert correction(prepared("It was set up in 2019, right?"), founded) == (
        "November 2017",
        "2019",
    )
    assert correction(prepared("工作组是2019年成立的吧？"), founded) == (
        "2017 年 11 月",
        "2019 年",
    )
    assert correction(prepared("接受率升到了66.8%，对吧？"), ["接受率为 62.2%。"]) == ("62.2%", "66.8%")
    # another year's figure: the year is what is wrong, not the figure ("1 681, not 2 000" would say 2023's)
    other_year = prepared("2023年道德操守办公室收到了2 000项服务请求，对吗？")
    assert correction(other_year, lead) == ("2020 年 1 月 1 日", "2023 年")


def test_who_do_i_go_to_is_framed_with_the_office_and_the_policy_in_both_languages() -> None:
    policy = hit("秘书长公报 ST/SGB/2017/2/Rev.1 所载政策保护举报不当行为的人不受报复。", number="28")
    review = hit("道德操守办公室对指控的报复行为进行初步审查。", number="31")
    picked = [quotables(0, policy)[0], quotables(1, review)[0]]
    zh = compose(make_query("我因为举报遭到报复，应该找谁？", "zh"), picked, {ETHICS.doc_id: ETHICS})
    assert zh.frame is not None and "道德操守办公室" in zh.frame and "ST/SGB/2017/2/Rev.1" in zh.frame
    assert zh.notes == ["frame=channel"] and [s.citations[0].key for s in zh.sentences] == [
        "A/76/76 ¶28",
        "A/76/76 ¶31",
    ]
    en = compose(make_query("Who do I go to if I face retaliation?", "en"), picked, {ETHICS.doc_id: ETHICS})
    text = quoted("en", en.sentences, en.frame)
    assert text.startswith("According to the documents, this is for the Ethics Office")
    assert "A/76/76 ¶28 (Activities of the Ethics Office): ST/SGB/2017/2/Rev.1 — “秘书长公报" in text
    assert text.index("Ethics Office") < text.index("“")  # told in English before the Chinese quote


def test_the_answer_comes_first_and_a_fact_answer_stays_short() -> None:
    q = make_query("2020年收到多少项服务请求？", "zh")
    cands: list[Quotable] = [
        *quotables(0, hit("图一显示了历年趋势。2020 年收到 1 681 项服务请求。")),
        *quotables(1, hit("这一数字大大减少，" * 25 + "原因可能是疫情。", number="7")),
    ]
    assert len(cands) == 3 and len(cands[2].shown) > 200
    picks = choose(q, cands, [0.85, 1.0, 0.9], [], most=3)
    assert picks == [1, 0]  # the lead answers; the long one would pass about 200 characters
    assert choose(q, cands, [0.4, 1.0, 0.3], [], most=3) == [1]  # nothing nearly as good: one statement


def test_a_lead_that_only_names_the_topic_is_joined_with_the_sentence_that_answers() -> None:
    """A sentence that names the topic and the next one that gives the answer are one statement; a lead that
    already holds what is asked stays alone, and sentences the paragraph does not print together are never
    joined."""
    h = hit(
        "作为授权框架的一部分，管理人员被赋予批准例外情况的酌处权。2019 年，这类例外情况涉及发放特别职位津贴。另一句。"
    )
    cands = quotables(0, h)
    scores = [1.0, 0.6, 0.1]
    asked_no_kind = extended(0, cands, scores, None)
    assert asked_no_kind is not None and asked_no_kind.shown.endswith("发放特别职位津贴。")
    assert squash(asked_no_kind.quote) in squash(h.paragraph.text)
    assert extended(0, cands, [1.0, 0.1, 0.1], None) is None  # the neighbour fits too little
    assert extended(0, cands, scores, [True, False, False]) is None  # the lead holds the figure asked for
    before = extended(1, cands, [0.3, 1.0, 0.2], [True, False, False])  # the figure is in the sentence before
    assert before is not None and before.shown.startswith("作为授权框架")
    other = quotables(1, hit("另一段的句子，发放特别职位津贴。", number="7"))
    assert joined(cands[0], other[0]) is None and joined(cands[0], cands[2]) is None


def test_a_quote_is_the_paragraphs_own_text_when_a_stray_bracket_is_left_out_of_what_is_shown() -> None:
    """A sentence cut after `(Sect.` starts with the bracket's close: it is shown without it, but the citation
    quotes the paragraph as printed, so the quote is in its paragraph."""
    h = hit("向研究所提供补助金 A/76/6 (Sect. 4) 在报告中，拟议提供 645 600 美元的补助金。")
    cands = quotables(0, h)
    stray = next(c for c in cands if "645 600" in c.shown)
    assert ")" not in stray.shown and ")" in stray.quote
    assert all(squash(c.quote) in squash(h.paragraph.text) for c in cands)
