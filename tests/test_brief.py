"""Facilitator briefs on the real index: the dialogue paragraphs are cited, every quote is in its paragraph,
English briefs frame Chinese quotes in English, uncovered themes say so, filters and errors behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.brief import make_brief, run_brief
from assistant.brief.actors import pattern_for
from assistant.brief.discuss import WRITERS, Facts, writer_for
from assistant.brief.model import STAGES, Brief, Discussion, Scenario
from assistant.brief.render import to_markdown
from assistant.brief.themes import resolve
from assistant.evidence import supports
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.errors import InputError

CJK = re.compile(r"[\u3400-\u9fff]")
DIALOGUE_2021 = "A/76/644 ¶6(a)"
DIALOGUE_2020 = "A/76/76 ¶43"
COVERED = [
    ("问责制", "zh"),
    ("accountability", "en"),
    ("文明", "zh"),
    ("civility", "en"),
    ("防止报复", "zh"),
    ("protection against retaliation", "en"),
    ("speaking up", "en"),
    ("举报", "zh"),
]

_cache: dict[tuple[str, str], Brief] = {}


def brief_for(assistant: Assistant, theme: str, lang: str) -> Brief:
    if (theme, lang) not in _cache:
        _cache[(theme, lang)] = make_brief(assistant, theme, lang)
    return _cache[(theme, lang)]


def point_keys(b: Brief) -> list[str]:
    return [p.quote.key for p in b.key_points]


@pytest.mark.parametrize(("theme", "lang"), [("问责制", "zh"), ("accountability", "en")])
def test_accountability_brief_cites_the_2021_dialogue(assistant: Assistant, theme: str, lang: str) -> None:
    b = brief_for(assistant, theme, lang)
    assert b.covered
    assert DIALOGUE_2021 in point_keys(b)
    dialogue = [p for p in b.key_points if p.quote.key == DIALOGUE_2021]
    assert any("领导力对话" in p.quote.text and "问责制" in p.quote.text for p in dialogue)


@pytest.mark.parametrize(("theme", "lang"), [("文明", "zh"), ("civility", "en"), ("文明礼貌", "zh")])
def test_civility_brief_cites_the_2020_dialogue(assistant: Assistant, theme: str, lang: str) -> None:
    b = brief_for(assistant, theme, lang)
    assert b.covered
    assert DIALOGUE_2020 in point_keys(b)
    assert any("2020 年领导力对话" in p.quote.text for p in b.key_points if p.quote.key == DIALOGUE_2020)


@pytest.mark.parametrize(("theme", "lang"), COVERED)
def test_every_quote_is_in_the_paragraph_it_cites(assistant: Assistant, theme: str, lang: str) -> None:
    b = brief_for(assistant, theme, lang)
    assert b.covered, b.evidence
    by_key = {s.key: s.paragraph for s in b.sources}
    for q in b.quotes():
        assert q.key in by_key, q
        assert supports(by_key[q.key].text, q.text), q
    for f in b.figures:
        assert all(v.replace(" ", "") in f.quote.text.replace(" ", "") for v in f.values), f
    for a in b.actors:  # an office "named in [n]" is named there
        assert a.keys
        for k in a.keys:
            p = by_key[k]
            assert pattern_for(a.name_zh).search(p.text + " ".join(p.footnotes)), (a, k)
    markdown = to_markdown(b)
    for q in b.quotes():
        assert f"“{q.text}” [{b.ref(q.key)}]" in markdown
    assert {int(n) for n in re.findall(r"\[(\d+)\]", markdown)} <= {s.number for s in b.sources}
    assert [s.number for s in b.sources] == list(range(1, len(b.sources) + 1))
    for s in b.sources:  # every paragraph used is given in full
        assert s.paragraph.text in markdown.replace("\n> ", "\n")


@pytest.mark.parametrize(("theme", "lang"), COVERED)
def test_brief_shape_reads_as_an_argument(assistant: Assistant, theme: str, lang: str) -> None:
    b = brief_for(assistant, theme, lang)
    assert 5 <= len(b.key_points) <= 8
    order = [STAGES.index(p.stage) for p in b.key_points]
    assert order == sorted(order) and len(set(order)) >= 2
    assert len({p.quote.text for p in b.key_points}) == len(b.key_points)
    assert b.figures and b.actors
    assert 6 <= len(b.discussion.questions) <= 10
    assert 2 <= len(b.discussion.scenarios) <= 3
    refs = {s.number for s in b.sources}
    for text in b.discussion.questions + [s.text for s in b.discussion.scenarios]:
        assert {int(n) for n in re.findall(r"\[(\d+)\]", text)} <= refs


def test_english_brief_has_english_framing_and_chinese_quotes(assistant: Assistant) -> None:
    b = brief_for(assistant, "accountability", "en")
    md = to_markdown(b)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert "# Leadership dialogue brief: Accountability" in headings
    for h in (
        "## 1. What the documents say",
        "## 2. Key figures",
        "## 3. Who does what",
        "## 4. Questions for discussion",
        "## 5. Scenarios",
        "## Sources",
    ):
        assert h in headings
    assert not any(CJK.search(h) for h in headings)
    assert all(CJK.search(p.quote.text) for p in b.key_points)
    assert not any(CJK.search(q) for q in b.discussion.questions[:3])
    assert "Eleventh progress report on accountability" in md  # the English document title in Sources
    assert "Terms: " in md and "leadership dialogue" in md


def test_chinese_brief_has_chinese_headings(assistant: Assistant) -> None:
    md = to_markdown(brief_for(assistant, "问责制", "zh"))
    assert "# 领导力对话主持人简报：问责制" in md
    assert "## 1. 文件要点" in md and "## 来源" in md and "Terms:" not in md


@pytest.mark.parametrize(
    ("theme", "lang"), [("cybersecurity of UN data centres", "en"), ("气候融资", "zh"), ("climate finance", "en")]
)
def test_uncovered_theme_says_so_without_padding(assistant: Assistant, theme: str, lang: str) -> None:
    b = make_brief(assistant, theme, lang)
    assert not b.covered
    assert b.key_points == [] and b.figures == [] and b.sources == [] and b.discussion.questions == []
    assert b.nearest
    md = to_markdown(b)
    assert ("do not cover this theme" if lang == "en" else "文件未涉及这一主题") in md
    assert "“" not in md.split("\n", 3)[-1].replace(f"“{theme}”", "")


def test_docs_filter_and_input_errors(assistant: Assistant) -> None:
    b = make_brief(assistant, "问责制", "zh", docs=["A/RES/74/271", "11th accountability progress report"])
    assert b.covered and b.docs == ["A/RES/74/271", "A/76/644"]
    assert {s.key.split(" ¶")[0].split(",")[0] for s in b.sources} <= {"A/RES/74/271", "A/76/644"}
    only = make_brief(assistant, "问责制", "zh", docs=["A/76/76"])
    assert all(s.key.startswith("A/76/76") for s in only.sources)
    with pytest.raises(InputError, match="unknown document"):
        make_brief(assistant, "问责制", "zh", docs=["A/99/1"])
    with pytest.raises(InputError, match="empty"):
        make_brief(assistant, "   ", "zh")
    with pytest.raises(InputError, match="language"):
        make_brief(assistant, "问责制", "fr")
    with pytest.raises(InputError, match="characters"):
        make_brief(assistant, "问" * 201, "zh")


def test_discussion_writer_hook(assistant: Assistant, settings: Settings) -> None:
    seen: list[Facts] = []

    def writer(facts: Facts) -> Discussion:
        seen.append(facts)
        first = facts.points[0]
        return Discussion(
            [f"Q about [{first.ref}]"] * 6, [Scenario("S", f"about [{first.ref}]", (first.ref,))] * 2, "test"
        )

    b = make_brief(assistant, "防止报复", "en", writer=writer)
    assert b.discussion.writer == "test" and seen
    assert len(b.discussion.questions) == 6 and len(b.discussion.scenarios) == 2
    stray = make_brief(assistant, "防止报复", "en", writer=lambda f: Discussion(["Q [999]", "Q [1]"], [], "x"))
    assert stray.discussion.questions == ["Q [1]"]  # a writer may only point at the brief's own sources
    facts = seen[0]
    assert facts.lang == "en" and facts.points and facts.figures
    for f in facts.points + facts.figures:
        assert f.quote in b.sources[f.ref - 1].paragraph.text
    before = WRITERS.get("openai")
    WRITERS["openai"] = writer  # a writer plugs in under a generator's name
    try:
        assert writer_for(settings.replace(generator="openai")) is writer
    finally:
        WRITERS.pop("openai") if before is None else WRITERS.update(openai=before)
    assert writer_for(settings).__name__ == "template_discussion"


def test_run_brief_prints_or_writes(
    assistant: Assistant, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_brief(settings, "accountability", "en", None, None)
    out = capsys.readouterr().out
    assert out.startswith("# Leadership dialogue brief: Accountability") and DIALOGUE_2021 in out
    md = tmp_path / "brief.md"
    run_brief(settings, "问责制", "zh", ["A/76/644"], md)
    assert "2021 年，年度领导力对话重点关注问责制" in md.read_text(encoding="utf-8")
    docx = tmp_path / "brief.docx"
    run_brief(settings, "文明", "zh", None, docx)
    assert docx.read_bytes()[:2] == b"PK"
    with pytest.raises(InputError, match=r"\.md or \.docx"):
        run_brief(settings, "问责制", "zh", None, tmp_path / "brief.pdf")
    with pytest.raises(InputError, match="does not exist"):
        run_brief(settings, "问责制", "zh", None, tmp_path / "missing" / "brief.md")


def test_theme_resolution_is_word_by_word_for_unknown_themes() -> None:
    units = ["问责制 领导力对话", "防止报复 政策", "数据 战略"]
    known = resolve("Accountability", units)
    assert known.known and known.label("zh") == "问责制" and known.label("en") == "Accountability"
    assert ("2021 年领导力对话 问责制", "zh", "lexical") in known.queries
    unknown = resolve("cybersecurity of UN data centres", units)
    assert not unknown.known
    assert ("数据",) in unknown.groups and ("cybersecurity",) in unknown.groups and ("centres",) in unknown.groups
    assert unknown.coverage("数据 战略") < 0.5  # the untranslated concepts weigh most: no document has them
    zh = resolve("气候融资", units)
    assert zh.groups == (("气候",), ("融资",)) and zh.coverage("气候融资") == 1.0
