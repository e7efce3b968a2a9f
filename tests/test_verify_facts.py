"""Figures, dates and symbols of an English sentence checked against the Chinese paragraph it cites: pure
functions over plain text (assistant/verify_facts.py), with text as the corpus prints it."""

from __future__ import annotations

from assistant import verify
from assistant.verify_facts import anchors, facts_ok, months_ok, numbers_ok, symbols, symbols_ok, words_ok

P6 = "2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。"
P13 = "道德操守办公室审查了 69 份任用前利益申报。与 2019 年审查的 92 份申报相比，这一数字减少了 25%。"
GSN = "全球采购网注册供应商近 24 万家，采购额达 1.2 亿美元。"
SGB = "根据秘书长公报(ST/SGB/2007/11 和 ST/SGB/2007/11/Amend.1)，主任收到了 2 项复审请求。"
T = verify.Thresholds(bigram=0.5, cosine=0.9, cosine_cross=0.8, margin=0.02, cosine_anchored=0.7, terms=0.75)


def test_figures_as_english_writes_them() -> None:
    assert numbers_ok("The Ethics Office received 1,681 requests in 2020.", P6)
    assert numbers_ok("It received 1 681 requests.", P6)
    assert not numbers_ok("It received 1,861 requests.", P6)
    assert numbers_ok("The number fell by 25 per cent, from 92 to 69.", P13)
    assert not numbers_ok("The number fell by 35 per cent.", P13)


def test_scaled_figures_match_wan_and_yi() -> None:
    assert numbers_ok("Nearly 240,000 vendors were registered.", GSN)
    assert numbers_ok("Nearly 240 thousand vendors were registered.", GSN)
    assert numbers_ok("Procurement reached 120 million dollars.", GSN)
    assert not numbers_ok("Procurement reached 12 million dollars.", GSN)
    assert not numbers_ok("Nearly 24,000 vendors were registered.", GSN)


def test_number_words_and_months() -> None:
    assert words_ok("It received two requests for review.", SGB)
    assert not words_ok("It received seven requests for review.", SGB)
    assert months_ok("From 1 January to 31 December 2020.", P6)
    assert months_ok("In December 2020 the office closed the year.", P6)
    assert not months_ok("By 30 June 2020 it had received them.", P6)
    assert months_ok("A sentence with no month may say May I ask.", P6)  # "May I" names no date


def test_symbols_must_be_printed_in_the_paragraph() -> None:
    assert symbols("Under ST/SGB/2007/11/Amend.1 and A/RES/74/271.") == ["ST/SGB/2007/11/Amend.1", "A/RES/74/271"]
    assert symbols_ok("The bulletin ST/SGB/2007/11 applies.", SGB)
    assert not symbols_ok("The bulletin ST/SGB/2019/8 applies.", SGB)
    assert facts_ok("Under ST/SGB/2007/11 the Director received two requests for review.", SGB)
    assert not facts_ok("Under ST/SGB/2007/11 the Director received three requests for review.", SGB)


def test_anchors_count_checkable_facts_but_not_a_year() -> None:
    assert anchors("In 2020 the office worked.") == 0
    assert anchors("In 2020 it received 1,681 requests.") == 1
    assert anchors("Under ST/SGB/2007/11 it received 2 requests.") == 2


def test_an_anchored_english_sentence_needs_a_lower_cosine() -> None:
    sentence = "The Ethics Office received 1,681 service requests in 2020."
    assert verify.anchored(sentence, P6, T)
    no_terms = verify.Thresholds(**{**T.__dict__, "terms": 1.01})
    assert verify.anchored(sentence, P6, no_terms)  # by its figure
    assert not verify.anchored("The Ethics Office received 1,861 service requests in 2020.", P6, no_terms)
    assert not verify.anchored("The office helped staff in 2020.", P6, no_terms)  # nothing checkable
    assert verify.anchored("The Ethics Office received 1,861 service requests in 2020.", P6, T)  # by its terms
    assert verify.citation_ok(sentence, None, 0.72, 0.95, T, anchor=True)  # no margin once anchored
    assert not verify.citation_ok(sentence, None, 0.72, 0.95, T, anchor=False)
    assert not verify.citation_ok(sentence, None, 0.65, 0.65, T, anchor=True)  # still a floor
