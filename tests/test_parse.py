"""The parser's facts, document by document, checked against the raw corpus files.

Every document is read exactly as ingestion reads it (index.read + corpus/manifest.json, then
index.parse.parse). Expectations come from the raw text itself (grep-able first words, the lines a
paragraph was split across, the footnote markers) or from corpus/README.md of the shared folder, not
from the parser's own output.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest

from index.parse import parse
from index.read import describe, load_manifest, read_text
from index.types import Document, Paragraph

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
RES, REPORT, REVIEW, CEB, ETHICS = "A/RES/74/271", "A/76/644", "A/75/201", "CEB annual overview 2019", "A/76/76"
LABELS = (RES, REPORT, REVIEW, CEB, ETHICS)


def squash(text: str) -> str:
    """Text compared as the README says: whitespace removed (PDF justification adds spaces)."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Parsed:
    doc: Document
    paragraphs: list[Paragraph]
    raw: str

    def __getitem__(self, number: str) -> Paragraph:
        found = [p for p in self.paragraphs if p.number == number]
        assert len(found) == 1, f"{self.doc.label}: {len(found)} paragraphs numbered {number!r}"
        return found[0]

    def numbered(self) -> list[str]:
        """Numbers of the numbered paragraphs (not summary, preamble, tables, annexes)."""
        return [p.number for p in self.paragraphs if re.fullmatch(r"([IVX]+\.)?\d+", p.number)]

    def texts(self) -> str:
        return squash("".join(p.text for p in self.paragraphs))


@cache
def corpus() -> dict[str, Parsed]:
    """The five documents, read and parsed the way index.build.read_document does it."""
    out = {}
    for name, meta in load_manifest(CORPUS).items():
        path = CORPUS / name
        text = read_text(path)
        doc = describe(path, text, meta)
        out[doc.label] = Parsed(doc, parse(text, doc), text)
    return out


def get(label: str) -> Parsed:
    return corpus()[label]


# -- the corpus and its manifest -------------------------------------------------------------


def test_manifest_names_the_five_documents_and_no_symbol_for_ceb() -> None:
    docs = {label: p.doc for label, p in corpus().items()}
    assert set(docs) == set(LABELS)
    assert docs[CEB].symbol is None
    assert docs[CEB].short_title == "CEB annual overview 2019"
    assert {d.symbol for d in docs.values()} == {RES, REPORT, REVIEW, ETHICS, None}
    assert all(p.doc_id == docs[p.doc_label].doc_id for d in corpus().values() for p in d.paragraphs)


# -- numbering: every paragraph once, in order, nothing invented ------------------------------

EXPECTED_SEQUENCE = {
    RES: [
        *(f"I.preamble {i}" for i in range(1, 6)),
        *(f"I.{i}" for i in range(1, 26)),
        "II.preamble 1",
        "II.1",
        "II.2",
    ],
    REPORT: ["summary", *map(str, range(1, 80)), "table 1", "table 2", *map(str, range(80, 103))],
    REVIEW: ["summary", *map(str, range(1, 65))],
    CEB: ["summary", *map(str, range(1, 54))],
    ETHICS: [
        "summary",
        *map(str, range(1, 30)),
        "table 1",
        *map(str, range(30, 54)),
        "table 2",
        *map(str, range(54, 69)),
    ],
}


@pytest.mark.parametrize("label", LABELS)
def test_every_numbered_paragraph_once_in_order(label: str) -> None:
    d = get(label)
    body = [p.number for p in d.paragraphs if not p.number.startswith("annex")]
    assert body == EXPECTED_SEQUENCE[label]
    assert [p.position for p in d.paragraphs] == list(range(len(d.paragraphs)))


@pytest.mark.parametrize(("label", "last"), [(REPORT, 102), (REVIEW, 64), (CEB, 53), (ETHICS, 68)])
def test_last_number_and_no_gaps(label: str, last: int) -> None:
    numbers = [int(n) for n in get(label).numbered()]
    assert numbers == list(range(1, last + 1))
    assert max(Counter(numbers).values()) == 1


def test_resolution_numbering_restarts_in_section_two() -> None:
    d = get(RES)
    assert d.numbered() == [*(f"I.{i}" for i in range(1, 26)), "II.1", "II.2"]
    assert d["I.1"].text.startswith("表示注意到")
    assert d["II.1"].text.startswith("赞赏地注意到联合检查组")


RAW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．](?!\d)\s*(\S.*)$")


@pytest.mark.parametrize("label", LABELS)
def test_each_paragraph_starts_where_the_raw_file_prints_its_number(label: str) -> None:
    """For every numbered paragraph the raw file has a line `N. <the paragraph's first words>`."""
    d = get(label)
    starts: dict[str, list[str]] = {}
    for line in d.raw.splitlines():
        if m := RAW_NUMBER.match(line):
            starts.setdefault(m.group(1), []).append(squash(m.group(2)))
    for number in d.numbered():
        head = squash(d[number].text.split("\n")[0])[:10]
        assert any(s.startswith(head) for s in starts[number.split(".")[-1]]), (number, head)


SPOT_CHECKS = [  # first words copied from the raw files (`grep -n '^ *N\. '`)
    (RES, "I.1", "表示注意到秘书长关于加强联合国秘书处问责制的第九次进展报告"),
    (RES, "I.9", "回顾行预咨委会报告第 8 和第 9 段"),  # printed with a full-width `9．`
    (RES, "I.25", "请秘书长提交一份报告，说明秘书处问责制"),
    (RES, "II.1", "赞赏地注意到联合检查组对联合国系统各审计和监督委员会"),
    (RES, "II.2", "请秘书长酌情就有关建议采取行动"),
    (RES, "I.preamble 1", "回顾其 2004 年 12 月 23 日第 59/272 号"),
    (RES, "I.preamble 5", "审议了秘书长关于加强联合国秘书处问责制的第九次进展报告"),
    (RES, "II.preamble 1", "审议了秘书长的说明"),
    (REPORT, "1", "自大会第 64/259 号决议核准问责制定义"),
    (REPORT, "8", "《联合国宪章》载有本组织的基本原则"),
    (REPORT, "50", "在通过管理与客户委员会的一个工作组"),
    (REPORT, "72", "确保采取适当行动，防止和处理秘书处"),
    (REPORT, "102", "请大会注意本报告所述继续加强秘书处问责制"),
    (REVIEW, "1", "我在 2016 年 12 月的就职讲话中表示"),
    (REVIEW, "31", "人力资源、财务、供应链管理领域正在"),
    (REVIEW, "64", "请大会注意到本报告。"),
    (CEB, "1", "本报告按照经济及社会理事会第 2008(LX)号"),
    (CEB, "6", "透明度和问责制依然是首协会的关键优先"),
    (CEB, "53", "2019 年，首协会推动整合与协调联合国"),
    (ETHICS, "1", "秘书长关于道德操守办公室活动的这份报"),
    (ETHICS, "12", "与雇用有关的询问包括就本组织的行为标准"),
    (ETHICS, "14", "道德操守办公室回应了 47 项有关荣誉"),
    (ETHICS, "35", "道德操守办公室从收到申诉所需的全部"),
    (ETHICS, "68", "请大会核准上文第 53 至 64 段概述和解"),
]


@pytest.mark.parametrize(("label", "number", "first_words"), SPOT_CHECKS)
def test_paragraph_text_starts_with_the_raw_first_words(label: str, number: str, first_words: str) -> None:
    assert squash(get(label)[number].text).startswith(squash(first_words))


def test_numbered_subheadings_are_headings_not_paragraphs() -> None:
    report, ethics = get(REPORT), get(ETHICS)
    # `8. 行为和纪律` follows paragraph 71 in A/76/644; it heads paragraph 72, it is not paragraph 8.
    assert "8. 行为和纪律" in report["72"].heading
    assert "8. 行为和纪律" not in report["71"].heading
    assert report["8"].text.startswith("《联合国宪章》")
    # `1. 雇用` ... `4. 机构廉政` in A/76/76 (raw lines 218-279) head paragraphs 12-17.
    for number, subheading in [
        ("12", "1. 雇用"),
        ("13", "2. 任用前审查"),
        ("16", "3. 馈赠和荣誉"),
        ("17", "4. 机构廉政"),
    ]:
        assert ethics[number].heading[-1] == subheading
    for number in ("1", "2", "3", "4"):
        assert not ethics[number].text.startswith(("雇用", "任用前审查", "馈赠和荣誉", "机构廉政"))
    assert all(p.text not in {"雇用", "行为和纪律"} for d in (report, ethics) for p in d.paragraphs)


def test_number_inside_text_is_not_a_paragraph() -> None:
    ethics = get(ETHICS)
    assert "到开展初步审查的平均时间为14.5天，这与2019年14.2天" in squash(ethics["35"].text)
    assert ethics["14"].text.startswith("道德操守办公室回应了 47 项")


def test_annex_table_rows_are_not_paragraphs() -> None:
    report = get(REPORT)
    annex = [p for p in report.paragraphs if p.number.startswith("annex")]
    annex_text = " ".join(p.text for p in annex)
    assert "138. 财务报告和已审" in annex_text
    assert "166 (a). 联合国中东" in annex_text
    assert "170. 安全理事" in annex_text
    assert max(int(n) for n in report.numbered()) == 102
    assert not {"138", "166", "170"} & {p.number for p in report.paragraphs}


def test_lettered_headings_versus_sub_paragraphs() -> None:
    report = get(REPORT)
    assert report["17"].heading[2:] == ("(a) 组织业绩：加强落实成果管理制", "迄今取得的进展")
    assert report["90"].heading[-1] == "(a) 内部监督事务厅"
    assert report["91"].heading[-1] == "(b) 审计委员会"
    assert report["92"].heading[-1] == "(c) 联合检查组"
    assert "(a)" not in report["89"].text
    assert not any("组织业绩：加强落实成果管理制" in p.text for p in report.paragraphs)
    # Paragraph 90 keeps its own (a) and (b), one per line.
    lead, sub_a, sub_b = report["90"].text.split("\n")
    assert lead == "在执行监督厅提出的建议方面出现了以下趋势："
    assert sub_a.startswith("(a) 在 2010 年 1 月至 2021 年 6 月期间，在总共 12 075 项建议中")
    assert squash(sub_a).endswith("1176项建议(10.5%)正在执行；")
    assert sub_b.startswith("(b) 在总共 1 202 项关键建议中")


SUB_PARAGRAPHS = [  # (label, number, the first words of each sub-paragraph in the raw file)
    (REPORT, "6", ["2021 年，年度领导力对话", "管理战略、政策和合规部", "2021 年提出的“价值观", "业务支助部继续努力"]),
    (REPORT, "55", ["发布经修订的授权政策", "通过新的自动转授权", "推出扩展的主要业绩", "在未适当行使授权"]),
    (REPORT, "68", ["秘书处将继续监测欺诈和腐败风险", "将组织外联活动"]),
    (REPORT, "88", ["通过基于经验教训加强外联", "加强目前的在线培训方案", "继续履行根据防范报复政策"]),
    (
        ETHICS,
        "4",
        [
            "就道德操守问题向工作人员",
            "管理本组织的财务披露",
            "管理本组织防止报复",
            "与人力资源厅协调",
            "协助制定道德操守标准",
        ],
    ),
    (ETHICS, "56", ["道德操守办公室直接向大会提交", "加强独立审计咨询委员会", "将道德操守办公室主任的级别"]),
    (CEB, "28", ["建立采用以受害者为中心办法", "在调查和纪律程序中改善", "加强对用于收集", "使用数字法医证据"]),
]


@pytest.mark.parametrize(("label", "number", "subs"), SUB_PARAGRAPHS)
def test_sub_paragraphs_stay_in_their_paragraph_one_per_line(label: str, number: str, subs: list[str]) -> None:
    lines = get(label)[number].text.split("\n")
    assert len(lines) == len(subs) + 1
    for i, (line, words) in enumerate(zip(lines[1:], subs, strict=True)):
        assert squash(line).startswith(f"({chr(97 + i)}){squash(words)}"), line


@pytest.mark.parametrize("label", LABELS)
def test_sub_paragraph_lines_run_a_b_c(label: str) -> None:
    for p in get(label).paragraphs:
        marks = [re.match(r"\(([a-z])\) ", line) for line in p.text.split("\n")[1:] if not line.startswith("•")]
        assert all(marks), (p.number, p.text)
        assert [m.group(1) for m in marks if m] == [chr(97 + i) for i in range(len(marks))], p.number


# -- page furniture, links and footnotes out of the text --------------------------------------

JOB_LINE = re.compile(r"^\s*(\d{1,3}/\d{1,3}\s+)?\d{2}-\d{5}(\s+\d{1,3}/\d{1,3})?\s*$")


@pytest.mark.parametrize("label", LABELS)
def test_no_links_page_lines_symbol_or_rules_in_text(label: str) -> None:
    d = get(label)
    job_tokens = {tok for line in d.raw.splitlines() if JOB_LINE.match(line) for tok in line.split()}
    for p in d.paragraphs:
        assert "http" not in p.text and "undocs" not in p.text, p.number
        assert "___" not in p.text and not any("___" in f for f in p.footnotes), p.number
        assert not [t for t in job_tokens if t in p.text or any(t in f for f in p.footnotes)], p.number
        assert d.doc.symbol is None or d.doc.symbol not in p.text, p.number


def test_the_furniture_really_is_in_the_raw_files() -> None:
    """Guards the test above: it must have something to find."""
    assert {"21-05791", "14/20"} <= set(get(ETHICS).raw.split())
    assert {"20-09571", "11/14"} <= set(get(REVIEW).raw.split())
    assert "21-19836" in get(REPORT).raw
    assert "https://undocs.org" in get(ETHICS).raw
    assert re.search(r"^\s*A/76/76\s*$", get(ETHICS).raw, re.M)


EXPECTED_NOTES = {  # paragraph -> its footnote numbers / figure-note letters, from the raw markers
    RES: {"I.preamble 5": ["1", "2"], "I.20": ["3"], "II.preamble 1": ["4", "5"]},
    REPORT: {"6": ["1", "a"], "24": ["2"], "annex I 1": ["1"]},
    REVIEW: {"13": ["1"], "45": ["2"]},
    ETHICS: {
        "5": ["1", "2"],
        "8": ["a"],
        "22": ["3"],
        "23": ["4"],
        "34": ["5", "6"],
        "37": ["7"],
        "38": ["a", "b", "c", "d"],
        "55": ["8"],
        "57": ["9"],
        "64": ["10"],
    },
}


@pytest.mark.parametrize("label", [RES, REPORT, REVIEW, ETHICS])
def test_footnotes_attached_to_the_paragraph_with_their_marker(label: str) -> None:
    got = {p.number: [f.split(" ")[0] for f in p.footnotes] for p in get(label).paragraphs if p.footnotes}
    assert got == EXPECTED_NOTES[label]


def test_ceb_superscript_footnotes_follow_their_markers_in_the_raw_file() -> None:
    """Each ¹…¹⁷ marker in a raw body line (a numbered line or a tail line) names that paragraph's notes."""
    d = get(CEB)
    expected: dict[str, list[str]] = {}
    owner = None
    for line in d.raw.splitlines():
        s = line.strip()
        if m := re.match(r"(\d{1,2})\. ", s):
            owner = m.group(1)
        elif not s or s[0] in SUPERSCRIPT or re.match(r"[一二三四五六七]\. |[A-G]\. ", s) or owner is None:
            continue
        for sup in re.findall(rf"[{SUPERSCRIPT}]+", s):
            expected.setdefault(owner, []).append(sup.translate(str.maketrans(SUPERSCRIPT, "0123456789")))
    assert sorted(int(n) for notes in expected.values() for n in notes) == list(range(1, 18))
    got = {p.number: [f.split(" ")[0] for f in p.footnotes] for p in d.paragraphs if p.footnotes}
    assert got == expected
    assert not any(ch in p.text for p in d.paragraphs for ch in SUPERSCRIPT)
    assert d["9"].footnotes[0].startswith("1 政府间气候变化专门委员会 2018 年的报告")


@pytest.mark.parametrize("label", LABELS)
def test_footnote_text_is_not_inside_paragraph_text(label: str) -> None:
    d = get(label)
    everything = d.texts()
    for p in d.paragraphs:
        for note in p.footnotes:
            body = squash(note.split(" ", 1)[1])
            if len(body) > 16:  # short notes are bare symbols (`A/72/492/Add.1。`) that texts cite too
                assert body[:16] not in everything, (p.number, note)


def test_ethics_paragraph_5_markers_removed_and_text_continues_after_the_page_break() -> None:
    p5 = get(ETHICS)["5"]
    text = squash(p5.text)
    assert "208.8万美元，有12个通过各种账户供资的员额，截至2019年12月31日" in text
    assert "工作人员提供服务(见A/75/591)" in text  # `提` before the footnotes, `供服务` after
    assert [squash(f)[:12] for f in p5.footnotes] == ["1资料来自2020年方案", "22020年拟议方案预算"]


def test_marker_that_reads_like_a_quantity_is_removed() -> None:
    p37 = get(ETHICS)["37"]
    assert "在所有8起案件中，该办公室的认定均得到维持" in squash(p37.text)
    assert p37.footnotes == ("7 其中 2 起案件于 2020 年请求审查，候补主席于 2021 年初审查结束。",)


def test_thousands_group_is_not_a_footnote_marker() -> None:
    report = get(REPORT)
    assert "1176项建议(10.5%)正在执行" in squash(report["90"].text)
    assert report["90"].footnotes == ()
    assert report["annex I 1"].footnotes == ("1 不包括推迟到以后审议的问题。",)


def test_resolution_footnote_three() -> None:
    p20 = get(RES)["I.20"]
    assert p20.footnotes == ("3 ST/SGB/2019/8.",)
    assert "滥用权力的政策，并请秘书长继续进行文化变革" in squash(p20.text)


def test_wrapped_footnotes_are_whole() -> None:
    review, ethics = get(REVIEW), get(ETHICS)
    assert squash(review["13"].footnotes[0]).endswith("《联合国工作人员条例和细则》和(或)《财务条例和细则》。")
    note8 = squash(ethics["55"].footnotes[0])
    assert "A/75/82)中重申了需要大会核准的措施" in note8
    assert note8.endswith("见A/73/89号文件第94(d)、(e)和(f)段。")
    assert squash(ethics["57"].footnotes[0]).endswith("和工程处今后将开始这样做。")
    assert squash(ethics["64"].footnotes[0]).endswith("第七次进度报告(A/72/773)，第63段)。")


# -- split paragraphs whole again --------------------------------------------------------------


def test_number_split_by_links_is_whole() -> None:
    assert "2019年完成" in squash(get(ETHICS)["31"].text)


def test_resolution_paragraph_22_continues_after_its_footnote() -> None:
    text = squash(get(RES)["I.22"].text)
    assert text.endswith(
        "继续鼓励营造一种有利于报告欺诈和不当行为的环境，并继续为保护举报人和防范打击报复采取适当、有效的措施；"
    )


def test_ceb_tails_after_footnotes_rejoin_their_paragraphs() -> None:
    """In CEB a page break leaves a paragraph's tail on an unnumbered line after the footnotes."""
    d = get(CEB)
    tails: dict[str, str] = {}
    owner = None
    for line in d.raw.splitlines():
        s = line.strip()
        if m := re.match(r"(\d{1,2})\. ", s):
            owner = m.group(1)
        elif s and owner and s[0] not in SUPERSCRIPT and not re.match(r"[一二三四五六七]\. |[A-G]\. ", s):
            tails[owner] = s
    assert sorted(tails, key=int) == ["8", "15", "18", "28", "32", "40", "46", "51"]
    for number, raw_tail in tails.items():
        tail = squash(re.sub(rf"[{SUPERSCRIPT}]", "", raw_tail))
        assert squash(d[number].text).endswith(tail), number
        assert sum(tail in squash(p.text) for p in d.paragraphs) == 1, number
    # Mid-word and mid-phrase cuts close up.
    assert "(b)在调查和纪律程序中改善" in squash(d["28"].text)
    assert "确保国际组织仍然是新人才的首选雇主" in squash(d["32"].text)
    assert "更新准则并发布指南，以应对不断变化的用户需求" in squash(d["46"].text)


@pytest.mark.parametrize("label", LABELS)
def test_no_body_text_is_lost(label: str) -> None:
    """Every raw line lands in a text, a footnote or a heading, but for front matter and figures."""
    d = get(label)
    everything = squash(" ".join(p.text + "".join(p.footnotes) + "".join(p.heading) for p in d.paragraphs))
    lost = []
    for line in d.raw.splitlines():
        s = re.sub(r"^\d{1,3}[.．](?!\d)", "", squash(line))
        if "http" in s or re.fullmatch(r"_+", s):
            continue
        # markers are removed, so compare the pieces between digits
        if any(piece not in everything for piece in re.split(rf"[\d{SUPERSCRIPT}]+", s) if len(piece) >= 3):
            lost.append(line.strip())
    assert set(lost) <= ALLOWED_LOST[label]


ALLOWED_LOST = {
    RES: {"74/271. 加强联合国秘书处问责制方面的进展", "大会，"},  # title and the enacting line
    REPORT: {
        "审查联合国行政和财政业务效率",
        "关于问责制的第十一次进展报告：加强联合国秘书处的问责制*",
        "秘书长的报告",
        "* 问责制进展报告每年在大会续会第一期会议期间提交会员国。这些报告旨在提供最新和完整",
        "问责制各组成部分的进展",  # the title of the figure after paragraph 6
    },
    REVIEW: {
        "审查联合国行政和财政业务效率",
        "转变联合国的管理模式：对管理改革实施进展情况的审查",
        "秘书长的报告",
        "* A/75/150。",
    },
    CEB: {
        "2020 年届会",
        "议程项目 12(a)",
        "协调、方案和其他问题：协调机构的报告",
        "2019 年联合国系统行政首长协调理事会年度概览报告",
    },
    ETHICS: {
        "秘书长的报告",
        "* A/76/50。",
        # figure titles and labels (figures survive only as captions)
        "过去五个报告期间向道德操守办公室提出的服务请求总数",
        "按来源列示的 2020 年服务请求",
        "按类别列示的 2020 年服务请求",
        "按次类别列示的 2020 年道德操守咨询请求",
        "按次类别列示的过去三年道德操守咨询请求",
        "2016-2020 年按实体和申报年度分列的财务披露参与情况",
        "2018-2020 年就有关防止报复的问询采取的行动",
        "已被放弃的",
        "初步审查 预防行动",
        "主席的复审",
    },
}


# -- heading paths, summary, tables, annexes ---------------------------------------------------


def test_heading_paths() -> None:
    ethics, report, res, ceb, review = get(ETHICS), get(REPORT), get(RES), get(CEB), get(REVIEW)
    assert ethics["10"].heading == ("四. 道德操守办公室的活动", "A. 咨询和指导")
    assert ethics["12"].heading == ("四. 道德操守办公室的活动", "A. 咨询和指导", "1. 雇用")
    assert ethics["18"].heading == ("四. 道德操守办公室的活动", "B. 财务披露方案")  # 4. 机构廉政 ends
    assert ethics["67"].heading == ("七. 结论",)
    assert report["43"].heading == (
        "二. 加强秘书处问责制进展概述",
        "E. 第四部分：内部控制制度",
        "1. 条例、细则、手册、行政通知和标准作业程序",
        "(a) 人力资源",
    )
    assert report["80"].heading[-2:] == ("8. 行为和纪律", "下一步行动")
    assert res["I.1"].heading == ("一. 加强联合国秘书处内问责制方面的进展",)
    assert res["II.1"].heading == ("二. 联合检查组关于审查联合国系统各审计和监督委员会的报告",)
    assert ceb["9"].heading == ("二. 加强政策协调一致，支持《2030 年可持续发展议程》的执行工作", "A. 气候行动")
    assert review["3"].heading == ("一. 导言", "改革愿景")
    assert review["7"].heading == ("一. 导言", "建立新的总部管理架构")


@pytest.mark.parametrize(
    ("label", "first", "last"),
    [
        (REPORT, "秘书长谨按照大会第 70/255 号决议的要求", None),
        (REVIEW, "下放决策权、实行权责挂钩、简化政策和流程", None),
        (
            CEB,
            "本报告概述 2019 年联合国系统行政首长协调理事会",
            "报告还重点说明首协会与其他共同出资机构之间的协调活动。",
        ),
        (ETHICS, "本报告根据大会题为“审查联合国行政和财政业务效率”", None),
    ],
)
def test_summary_is_one_paragraph(label: str, first: str, last: str | None) -> None:
    d = get(label)
    summaries = [p for p in d.paragraphs if p.number == "summary"]
    assert len(summaries) == 1 and summaries[0].position == 0
    assert squash(summaries[0].text).startswith(squash(first))
    assert last is None or squash(summaries[0].text).endswith(squash(last))
    assert summaries[0].key == f"{d.doc.label}, summary"


def test_resolution_has_no_summary() -> None:
    assert "summary" not in {p.number for p in get(RES).paragraphs}


def test_tables_are_units_with_their_titles() -> None:
    ethics, report = get(ETHICS), get(REPORT)
    assert ethics["table 1"].heading[-1] == "防止报复统计，2015 年 8 月至 2020 年 12 月"
    assert "调查后认定存在报复行为 4f 2g 5h 4i 3j 3k" in ethics["table 1"].text  # row spaces kept
    assert ethics["table 2"].heading[-1] == "2015-2020 年道德操守小组对报复案件认定的复审情况"
    assert ethics["table 2"].key == "A/76/76, table 2"
    assert "共计 108a" in report["table 1"].text
    assert report["table 2"].text.endswith("其他 1 共计 130")  # `下一步行动` after it heads paragraph 80


def cells(label: str, number: str) -> list[tuple[str, ...]]:
    """A table unit's rows, each as long as its header."""
    table = get(label)[number].table
    assert table and all(len(row) == len(table[0]) for row in table), f"{label} {number}: no even grid"
    return list(table)


def value(c: str) -> int:
    return 0 if c == "—" else int(c.replace(" ", ""))


def test_two_column_tables_keep_rows_and_their_total() -> None:
    """A/76/644 tables 1 and 2 (raw lines 865-920): `处置 数目`, one row a line, a header printed again after a
    page break, `共计 108a` with a footnote letter; the rows add up to the printed total."""
    for number, header, total in (("table 1", ("处置", "数目"), "108"), ("table 2", ("不当行为类别", "数目"), "130")):
        rows = cells(REPORT, number)
        assert rows[0] == header and header not in rows[1:]  # the repeated header is not a row
        assert rows[-1] == ("共计", total)
        assert sum(value(r[1]) for r in rows[1:-1]) == int(total)
    assert ("离职，给予通知或给予代替通知的补偿金，给予或不给予终止任用偿金", "24") in cells(REPORT, "table 1")
    assert ("滥用职权/骚扰/歧视", "20") in cells(REPORT, "table 2")


def test_retaliation_statistics_table_has_periods_as_columns() -> None:
    """A/76/76 table 1 (raw lines 439-475): six periods as column headers, each wrapped over two lines; a row
    label wrapped over two lines before its values; footnote letters glued to numbers (`36b`) dropped."""
    rows = cells(ETHICS, "table 1")
    assert rows[0][0] == "" and len(rows[0]) == 7
    assert squash(rows[0][1]) == "2015年8月至2016年7月" and squash(rows[0][6]) == "2020年1月至2020年12月"
    assert squash(rows[0][2]) == "2016年8月至2016年12月"  # `2016 年 12 月 a`: the note letter goes
    assert rows[1] == ("由内部监督事务厅移交，供采取预防措施", "不适用", "不适用", "7", "7", "12", "7")
    assert rows[2] == ("已完成的初步审查", "17", "10", "22", "39", "36", "30")
    assert rows[-1] == ("调查后认定存在报复行为", "4", "2", "5", "4", "3", "3")
    assert "调查后认定存在报复行为 4f 2g 5h 4i 3j 3k" in get(ETHICS)["table 1"].text  # the text is unchanged


def test_ethics_panel_table_has_a_two_level_header() -> None:
    """A/76/76 table 2 (raw lines 854-872): `候补主席` on a line of its own over `复审的案件 a …`."""
    rows = cells(ETHICS, "table 2")
    assert rows[0] == (
        "报告所述期间(12 个月)",
        "主席复审的案件",
        "维持原认定",
        "推翻原认定",
        "候补主席复审的案件",
        "维持原认定",
        "推翻原认定",
    )
    assert [r[0] for r in rows[1:]] == ["2015-2016", "2016 年 8 月至 12 月", "2017", "2018", "2019", "2020"]
    assert rows[-1] == ("2020", "4", "1", "—", "8", "10", "1")  # `2020 4e 1 — 8 10f 1g`


def test_financial_disclosure_annex_rows_add_up_to_its_subtotal() -> None:
    """A/76/76 annex (raw lines 1090-1200), three units: a group row `联合国秘书处`, labels wrapped over two
    lines, thousands written `1 665`, the header again on each page; the entity rows add up to the subtotal."""
    rows = [r for n in ("annex 1", "annex 2", "annex 3") for r in cells(ETHICS, n)]
    header = ("联合国实体", "要求申报人数", "完成申报人数", "未申报人数")
    assert [i for i, r in enumerate(rows) if r == header] == [0, 33, 63]  # each unit starts with it
    body = [r for r in rows if r != header]
    assert body[0] == ("联合国秘书处", "", "", "")
    assert ("负责海地问题的秘书长特别代表办公室", "1", "—", "1") in body
    assert any(r[0].startswith("协助调查和起诉自 2011 年 3 月") and r[0].endswith("国际公正独立机制") for r in body)
    sub = next(i for i, r in enumerate(body) if r[0] == "小计(不包括维持和平行动)")
    assert body[sub] == ("小计(不包括维持和平行动)", "1 665", "1 664", "1")
    entities = body[1:sub]
    assert [sum(value(r[k]) for r in entities) for k in (1, 2, 3)] == [1665, 1664, 1]
    assert body[-1] == ("共计", "5 904", "5 898", "6")


def test_tables_the_text_does_not_lay_out_have_no_grid() -> None:
    """A/76/644 annexes I and II (cells of running text wrapped line by line, columns interleaved) and annex III
    (two-level headers over years, and numbers whose thousands groups cannot be told from the next cell) are
    left as text: no table is guessed. Every other unit has none either."""
    report = get(REPORT)
    assert all(not p.table for p in report.paragraphs if p.number.startswith("annex"))
    gridded = {(label, p.number) for label in LABELS for p in get(label).paragraphs if p.table}
    tables = {(REPORT, "table 1"), (REPORT, "table 2"), (ETHICS, "table 1"), (ETHICS, "table 2")}
    assert gridded == tables | {(ETHICS, f"annex {i}") for i in (1, 2, 3)}


def test_annexes_are_numbered_annex_units() -> None:
    report, ethics = get(REPORT), get(ETHICS)
    annex = [p.number for p in report.paragraphs if p.number.startswith("annex")]
    assert report.paragraphs[-len(annex) - 1].number == "102"
    for roman, title in (("I", "附件一"), ("II", "附件二"), ("III", "附件三")):
        mine = [n for n in annex if n.startswith(f"annex {roman} ")]
        assert mine and mine == [f"annex {roman} {i}" for i in range(1, len(mine) + 1)]
        assert all(report[n].heading == (title,) for n in mine)
    assert report["annex I 1"].text.startswith("大会第七十五届会议通过的关于行政和预算事项")
    ethics_annex = [p.number for p in ethics.paragraphs if p.number.startswith("annex")]
    assert ethics_annex[0] == "annex 1" and ethics["annex 1"].heading == ("附件",)
    assert "2020 年财务披露方案遵行情况" in ethics["annex 1"].text


# -- documents without numbering ---------------------------------------------------------------


def _plain(path: Path) -> list[Paragraph]:
    text = read_text(path)
    return parse(text, describe(path, text, None))


def test_markdown_without_numbers_parses_by_position(tmp_path: Path) -> None:
    md = tmp_path / "guide.md"
    md.write_text(
        "# 举报指南\n\n工作人员发现不当行为时，应当及时举报，\n并可向道德操守办公室寻求保护。\n\n"
        "## 保护措施\n\n举报人受到防止报复政策的保护。\n\n道德操守办公室会对报复投诉进行初步审查。\n",
        encoding="utf-8",
    )
    paras = _plain(md)
    assert [p.number for p in paras] == ["1", "2", "3"]
    assert paras[0].text == "工作人员发现不当行为时，应当及时举报，并可向道德操守办公室寻求保护。"
    assert paras[0].heading == ("举报指南",)
    assert paras[1].heading == paras[2].heading == ("举报指南", "保护措施")
    assert paras[2].text == "道德操守办公室会对报复投诉进行初步审查。"
    assert paras[1].key == "guide ¶2"


def test_plain_text_without_numbers_parses_by_position(tmp_path: Path) -> None:
    txt = tmp_path / "memo.txt"
    txt.write_text(
        "Staff may report misconduct to the Ethics Office,\nwhich keeps reports confidential.\n\n"
        "Retaliation against a whistle-blower is itself misconduct.\n\n\nRequests are answered within 30 days.\n",
        encoding="utf-8",
    )
    paras = _plain(txt)
    assert [p.number for p in paras] == ["1", "2", "3"]
    assert paras[0].text == "Staff may report misconduct to the Ethics Office, which keeps reports confidential."
    assert paras[2].text == "Requests are answered within 30 days."
    assert all(p.heading == () and p.footnotes == () for p in paras)


# -- stable ids ---------------------------------------------------------------------------------


def test_paragraph_ids_are_stable_and_follow_the_text() -> None:
    d = get(ETHICS)
    again = parse(d.raw, d.doc)
    assert [p.id for p in again] == [p.id for p in d.paragraphs]
    assert len({p.id for p in again}) == len(again)
    edited = parse(d.raw.replace("与雇用有关的询问包括", "与雇用相关的询问包括", 1), d.doc)
    changed = [a.number for a, b in zip(d.paragraphs, edited, strict=True) if a.id != b.id]
    assert changed == ["12"]


def test_a_table_is_saved_and_loaded_with_its_unit_and_is_not_part_of_its_id() -> None:
    table = get(ETHICS)["table 1"]
    assert Paragraph.from_dict(json.loads(json.dumps(table.to_dict(), ensure_ascii=False))) == table
    assert replace(table, table=()).id == table.id
