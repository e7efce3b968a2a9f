"""The refusal rules and evidence score: pure functions over hand-made hits."""

from __future__ import annotations

from assistant.evidence import ANSWER_TYPES, asking, coverage, missing_answer_type, out_of_scope
from index.types import Hit, Paragraph, Query


def hits(*texts: str) -> list[Hit]:
    return [Hit(Paragraph("d", "A/1/1", str(i), t), 1.0) for i, t in enumerate(texts, 1)]


REVIEW = hits(
    "道德操守办公室开展初步审查的平均时间为14.5 天，完全在 30 天时限内。",
    "2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。",
)
GIFTS = hits("各实体的行政管理官员设立并维持一个登记册，记录工作人员接受的所有馈赠。")


def test_a_question_asking_for_a_sum_of_money_needs_one_in_the_hits() -> None:
    assert missing_answer_type("接受礼品的金额上限是多少？", GIFTS) == ["a sum of money"]
    assert missing_answer_type("What's the dollar threshold for gifts?", GIFTS) == ["a sum of money"]
    assert missing_answer_type("预算是多少美元？", hits("经常预算资源为 208.8 万美元。")) == []
    assert missing_answer_type("谁管理礼品登记册？", GIFTS) == []  # asks for no sum: nothing to miss


def test_a_length_of_time_and_a_date() -> None:
    assert missing_answer_type("初步审查平均要多久？", REVIEW) == []
    assert missing_answer_type("How long does a preliminary review take?", REVIEW) == []
    assert missing_answer_type("申请要多久才能批下来？", GIFTS) == ["a length of time"]
    assert missing_answer_type("报告期从哪天开始？", REVIEW) == []
    assert missing_answer_type("模板哪天开始用？", hits("2022 年 1 月，将推出契约模板。")) == []  # a month answers
    assert missing_answer_type("政策是哪天发布的？", hits("计划在 2021 年之后发布经修订的政策。")) == ["a date"]
    # a date is not a length of time: "1 日" in "1 月 1 日" does not answer "how many days"
    assert missing_answer_type("要多少天？", hits("2020 年 1 月 1 日起生效。")) == ["a length of time"]
    # asked in months, a figure in days does not answer
    assert missing_answer_type("最晚要在多少个月内申诉？", REVIEW) == ["a number of months"]
    assert missing_answer_type("最晚要在几个月内申诉？", hits("须在六个月内提出申诉。")) == []


def test_a_count_of_votes() -> None:
    """A resolution's vote is in the meeting records, not in the resolution: only a passage showing one answers."""
    resolution = hits("大会，回顾其关于加强联合国秘书处问责制的各项决议，请秘书长继续加强问责制框架。")
    assert missing_answer_type("这项决议有多少个会员国投了赞成票？", resolution) == ["a count of votes"]
    survey = hits("2021 年 12 月 1 日，秘书处启动了第三次工作人员参与度调查。")
    assert missing_answer_type("调查最后有百分之多少的工作人员参与了？", survey) == ["a percentage"]
    assert missing_answer_type("What percentage of staff took part in the survey?", survey) == ["a percentage"]
    assert missing_answer_type("合规率是百分之多少？", hits("合规率为 99.9%，与 2019 年持平。")) == []
    assert missing_answer_type("有多大比例来自纽约？", hits("三分之一的服务请求来自纽约。")) == []  # a share in words
    assert missing_answer_type("How many votes did resolution 74/271 receive?", resolution) == ["a count of votes"]
    assert missing_answer_type("决议是怎么表决的？", hits("该决议未经表决获得通过。")) == []
    assert missing_answer_type("How many voted in favour?", hits("adopted by 120 votes to 5")) == []
    assert missing_answer_type("决议请秘书长做什么？", resolution) == []  # asks for no vote


def turn(own: str, *earlier: str, lang: str = "zh") -> Query:
    return Query(" ← ".join((own, *earlier)), lang, (), own=own)


def test_a_follow_up_asks_what_its_own_question_word_asks() -> None:
    """The earlier turns give a follow-up its topic; its own question word, when it has one, what it asks."""
    assert asking(turn("那要多长时间处理？", "遭到报复应该找谁？")) == "那要多长时间处理？"
    assert asking(turn("And who decides?", "How long does a review take?", lang="en")) == "And who decides?"
    assert asking(turn("Is it confidential?", "Who do I go to?", lang="en")) == "Is it confidential?"
    # no question word of its own: it asks what the earlier turn asked
    assert asking(turn("那2021年呢？", "2020年收到多少项请求？")) == "那2021年呢？ ← 2020年收到多少项请求？"
    what_about = turn("What about the critical ones?", "How many were implemented?", lang="en")
    assert asking(what_about) == what_about.text
    assert asking(Query("遭到报复应该找谁？", "zh", ())) == "遭到报复应该找谁？"  # a first turn: its own words


def test_out_of_scope_questions() -> None:
    assert out_of_scope("道德操守办公室的电话号码是多少？")
    assert out_of_scope("Can I sue my supervisor? I need a lawyer.")
    assert not out_of_scope("How do I report misconduct?")
    assert out_of_scope("What is the Ethics Office's email?") and out_of_scope("道德操守办公室的邮箱是什么？")
    # an e-mail the reader got is part of the story, not a request for contact details
    assert not out_of_scope("I just got an email saying I was picked for verification. What happens now?")


def test_coverage_weights_rare_terms() -> None:
    idf = {"报复": 3.0, "道德": 1.0}
    assert coverage(["报复", "道德"], [{"道德"}, {"报复"}], idf) == 0.75
    assert coverage(["报复"], [], idf) == 0.0 and coverage([], [{"报复"}], idf) == 0.0


def test_every_answer_type_is_named_in_both_languages_when_it_decides_a_refusal() -> None:
    from assistant.render import vocab_missing

    for name in ANSWER_TYPES:
        zh, en = vocab_missing([name], "zh"), vocab_missing([name], "en")
        assert zh != [name] and en == [name], f"{name}: add it to [missing] in assistant/data/phrases.toml"
