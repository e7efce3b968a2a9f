"""What a question names that its passages must name too: pure functions over hand-made hits."""

from __future__ import annotations

from assistant.language import detect
from assistant.mentions import chinese_number, missing_organisations, missing_years, ordinals
from assistant.query import query_for
from assistant.settings import Settings
from index.periods import period_years
from index.types import Document, Hit, Paragraph, Query


def q(text: str) -> Query:
    """The query the pipeline would pass down for this (standalone) question."""
    return query_for(text, detect(text), Settings())


def hits(*texts: str, doc: str = "d") -> list[Hit]:
    return [Hit(Paragraph(doc, "A/1/1", str(i), t), 1.0) for i, t in enumerate(texts, 1)]


REQUESTS = hits(
    "2020 年 1 月 1 日至 12 月 31 日，道德操守办公室收到 1 681 项服务请求。", "其余的初步审查已于 2021 年初完成。"
)


def test_a_year_must_be_in_the_best_passage_and_n_years_in_the_best_n() -> None:
    assert missing_years(q("2020年收到多少服务请求？"), REQUESTS) == []
    assert missing_years(q("2023年收到多少服务请求？"), REQUESTS) == ["2023"]
    # 2021 is only in the second passage, on another matter: the best one does not answer for 2021
    assert missing_years(q("2021年收到多少服务请求？"), REQUESTS) == ["2021"]
    assert missing_years(q("2020年和2021年各收到多少？"), REQUESTS) == []


def test_a_year_taken_for_granted_is_a_premise_not_a_year_asked_about() -> None:
    """A question stating something and asking whether it holds takes its years for granted (the pipeline then
    neither ranks passages up by them nor refuses for them; the answer checks them)."""
    stated = q("道德操守办公室是2023年收到1 681项服务请求的吧？")
    assert stated.premise and stated.years == ("2023",)
    assert q("Was the survey launched in 2019, right?").premise
    assert not q("2023年收到多少服务请求？").premise and not q("When was the survey launched?").premise


def test_the_disease_name_is_not_a_year() -> None:
    covid = hits("减少的原因可能是 2019 冠状病毒病(COVID-19)大流行。")
    assert missing_years(q("2019年收到多少服务请求？"), covid) == ["2019"]
    assert missing_years(q("What changed because of COVID-19?"), covid) == []


def test_a_year_in_the_documents_reporting_period_counts() -> None:
    doc = Document("ethics", "e.txt", "A/76/76", "道德操守办公室的活动", "Ethics Office")
    units = [Paragraph("ethics", "A/76/76", "summary", "本报告所述期间为 2020 年 1 月 1 日至 12 月 31 日。")]
    periods = period_years({"ethics": doc}, units)
    assert periods == {"ethics": {"2020"}}
    gifts = hits("道德操守办公室回应了 47 项咨询请求，与 2019 年的 107 项相比大幅下降。", doc="ethics")
    assert missing_years(q("2020年有多少礼品咨询？"), gifts, periods) == []
    assert missing_years(q("2020年有多少礼品咨询？"), gifts) == ["2020"]
    titled = Document("ceb", "c.txt", None, "2019 年首协会年度概览报告", "CEB 2019")
    assert period_years({"ceb": titled}, []) == {"ceb": {"2019"}}


def test_ordinals_in_either_language_are_looked_for_in_chinese() -> None:
    assert [chinese_number(n) for n in (2, 10, 12, 20, 37)] == ["二", "十", "十二", "二十", "三十七"]
    assert ordinals("What did the HLCP approve at its 37th session?") == [("37th", "第三十七")]
    assert ordinals("the twelfth progress report, 第十二次进展报告") == [("第十二次", "第十二"), ("twelfth", "第十二")]
    assert ordinals("我第一次举报") == []  # "the first time", not an ordinal of a series
    session = hits("方案问题高级别委员会在 2019 年 4 月第三十七届会议上核准了三个产品。")
    assert missing_years(q("What did the HLCP approve at its 37th session in April 2019?"), session) == []
    assert missing_years(q("What did the HLCP approve at its 38th session?"), session) == ["38th"]
    assert missing_years(q("第十二次进展报告什么时候提交？"), REQUESTS) == ["第十二次"]


def test_an_organisation_outside_the_secretariat_must_be_named_by_the_passages() -> None:
    retaliation = hits("2020 年，道德操守办公室根据该政策收到 138 项问询。")
    assert missing_organisations(q("How many complaints did UNDP's ethics office receive?"), retaliation) == ["UNDP"]
    assert missing_organisations(q("世界银行收到多少举报？"), retaliation) == ["World Bank"]
    funds = hits("开发计划署、儿童基金会已直接向其理事会报告。")
    assert missing_organisations(q("儿基会的道德操守办公室向谁报告？"), funds) == []
    assert missing_organisations(q("Who handles retaliation complaints?"), retaliation) == []  # "who" is not WHO
