"""What a brief's theme means in the documents' Chinese: the terms that put a paragraph on the theme
(alternatives per concept) and the queries that retrieve it (the theme, its translation, sub-topics).

Four leadership-dialogue themes are known by name (Chinese or English); any other theme is read word
by word (jieba for Chinese, the glossary for English) and gets generic sub-topic queries.
The theme and its translation are searched hybrid (dense + BM25); the sub-topic queries are keyword lists
and go to BM25 alone, which keeps a brief to one or two query embeddings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.evidence import GENERIC
from assistant.language import detect
from index.glossary import GLOSSARY, expand
from index.lexical import STOP, tokenize
from index.retrieve import Mode
from index.text import squash, to_simplified


@dataclass(frozen=True, slots=True)
class KnownTheme:
    names: tuple[str, ...]  # how a facilitator may type it (lower case, simplified)
    label_zh: str
    label_en: str
    core: tuple[str, ...]  # any of these in a paragraph puts it on the theme
    subtopics: tuple[str, ...]  # Chinese queries: the commitment, what was done, figures, what remains


KNOWN: tuple[KnownTheme, ...] = (
    KnownTheme(
        ("问责制", "问责", "问责文化", "accountability", "accountability system", "accountability framework"),
        "问责制",
        "Accountability",
        ("问责",),
        (
            "2021 年领导力对话 问责制",
            "问责制 六大组成部分 问责制框架",
            "大会 决议 问责文化 高级管理人员",
            "高级管理人员契约 问责 业绩",
            "权力下放 授权 问责制框架 监测",
            "监督机构 建议 执行 问责",
            "问责制 独立评价 下一步行动",
        ),
    ),
    KnownTheme(
        ("文明", "文明礼貌", "文明礼貌促进尊严", "civility", "respect", "respectful workplace", "dignity"),
        "文明礼貌",
        "Civility",
        ("文明", "礼貌", "尊严", "尊重", "和谐", "骚扰", "歧视", "滥用权力"),
        (
            "2020 年领导力对话 文明礼貌促进尊严 工作场所和谐",
            "监察员和调解事务办公室 文明咖啡馆 讲习班",
            "歧视 骚扰 性骚扰 滥用权力 政策 工作场所",
            "联合国系统 处理性骚扰 工作组",
            "尊重 价值观 行为标准 培训",
            "不当行为 案件 纪律措施",
        ),
    ),
    KnownTheme(
        (
            "防止报复",
            "报复",
            "保护举报人",
            "protection against retaliation",
            "retaliation",
            "whistleblower protection",
            "whistle-blower protection",
        ),
        "防止报复",
        "Protection against retaliation",
        ("报复",),
        (
            "防止报复 政策 ST/SGB/2017/2/Rev.1",
            "防止报复 请求 初步审查 案件",
            "初步审查 平均时间 天",
            "监督厅 报复风险 预防行动 移交",
            "道德操守小组 候补主席 复审 报复 认定",
            "保护举报人 防范打击报复 措施",
            "防止报复 政策 审查 评估",
        ),
    ),
    KnownTheme(
        (
            "举报",
            "举报不当行为",
            "直言",
            "speaking up",
            "speak up",
            "whistleblowing",
            "whistle-blowing",
            "reporting misconduct",
            "report misconduct",
        ),
        "举报",
        "Speaking up",
        ("举报", "直言", "不当行为报告", "报告欺诈", "不轨行为报告"),
        (
            "举报不当行为 安全 文化变革",
            "报告欺诈和不当行为 环境 保护举报人",
            "举报 报复 政策 道德操守办公室",
            "不当行为 案件 监督厅 调查 数量",
            "举报人政策 联合检查组 审查",
            "求助专线 咨询 道德操守办公室",
        ),
    ),
)

GENERIC_SUBTOPICS = ("{t} 决议 政策 承诺", "{t} 措施 进展", "{t} 人数 案件 比例", "{t} 下一步 挑战", "{t} 领导力对话")
WORD = re.compile(r"[a-z][a-z'-]+")
GLOSSARY_PHRASE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(GLOSSARY, key=len, reverse=True)) + r")(?:e?s)?\b"
)


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme resolved against the documents: labels, concept groups with weights, and queries."""

    text: str
    label_zh: str
    label_en: str
    known: bool
    groups: tuple[tuple[str, ...], ...]  # each concept: alternatives, matched in lower-cased squashed text
    weights: tuple[float, ...]
    queries: tuple[tuple[str, str, Mode], ...]  # (query, language, retrieval mode)

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for g in self.groups for t in g)

    def coverage(self, text: str) -> float:
        """Weighted share of the theme's concepts that `text` mentions (any alternative counts)."""
        flat = squash(text).lower()
        total = sum(self.weights)
        got = sum(w for g, w in zip(self.groups, self.weights, strict=True) if any(t in flat for t in g))
        return got / total if total else 0.0

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


def normalise(theme: str) -> str:
    return " ".join(to_simplified(theme).lower().replace("’", "'").split())


def concept_groups(theme: str) -> list[tuple[str, ...]]:
    """Concepts of an unknown theme: jieba words for Chinese; glossary phrases (as their Chinese
    alternatives) and every other content word for English. An untranslated word stays a concept:
    the Chinese documents will not contain it, which is what the coverage test should see."""
    if detect(theme) == "zh":
        words = [w for w in tokenize(theme) if w not in GENERIC and (len(w) > 1 or w.isdigit())]
        return [(w,) for w in dict.fromkeys(words)]
    groups: list[tuple[str, ...]] = []
    rest = theme
    for m in GLOSSARY_PHRASE.finditer(theme):
        alts = tuple(a.lower() for a in GLOSSARY[m.group(1)].split() if a not in GENERIC)
        if alts and m.group(1) not in GENERIC:
            groups.append(alts)
        rest = rest.replace(m.group(0), " ")
    groups += [(w,) for w in dict.fromkeys(WORD.findall(rest)) if w not in STOP and w not in GENERIC and len(w) > 2]
    return groups


def resolve(theme: str, unit_texts: list[str]) -> Theme:
    """The theme as the documents would have to express it; `unit_texts` weigh rare concepts higher."""
    norm = normalise(theme)
    flat = [squash(t).lower() for t in unit_texts]
    n = max(1, len(flat))

    def weight(group: tuple[str, ...]) -> float:
        df = max(sum(1 for t in flat if a in t) for a in group)
        return math.log(1 + n / (1 + df))

    queries: list[tuple[str, str, Mode]]
    for k in KNOWN:
        if norm in k.names:
            queries = [
                (k.label_zh, "zh", "hybrid"),
                *((q, "zh", "lexical") for q in k.subtopics),
            ]
            if detect(theme) == "en":
                queries.insert(0, (theme.strip(), "en", "hybrid"))
            return Theme(theme.strip(), k.label_zh, k.label_en, True, (k.core,), (1.0,), tuple(queries))
    groups = concept_groups(norm) or [(norm,)]
    lang = detect(norm)
    zh = to_simplified(theme.strip()) if lang == "zh" else " ".join(expand(norm))
    queries = [(theme.strip(), lang, "hybrid")]
    if zh and lang == "en":
        queries.append((zh, "zh", "hybrid"))
    if zh:
        queries += [(q.format(t=zh), "zh", "lexical") for q in GENERIC_SUBTOPICS]
    label = theme.strip()
    return Theme(label, label, label, False, tuple(groups), tuple(weight(g) for g in groups), tuple(queries))
