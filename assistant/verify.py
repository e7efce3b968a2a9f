"""Checking a model's answer against the paragraphs it cites: pure functions over plain text and numbers.

A model answer is cut into claims (a sentence and the keys it cites). A cited key that was not among
the paragraphs given to the model is invented and removed. A claim is supported by a cited paragraph
when enough of its Chinese character bigrams are there (lexical) or its embedding is close enough
(semantic, for paraphrase and for English sentences over Chinese text), and every figure it states is
in the paragraphs that support it. The thresholds are settings, tuned on the dev set by
`scripts/tune_verify.py` (see the README).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from assistant.llm import NO_ANSWER
from assistant.settings import Settings
from index.text import CJK_CHAR as CJK
from index.text import bigrams, squash
from index.types import Paragraph

BRACKET = re.compile(r"\[([^\[\]\n]{1,160})\]|【([^【】\n]{1,160})】")
PAREN = re.compile(r"\s?[（(]([^()（）\n]{1,160})[)）]")
LOOKS_LIKE_KEY = re.compile(r"\d|/|¶|\bpara", re.I)
WORD = re.compile(r"[A-Za-z]{2,}")
THOUSANDS = re.compile(r"(?<=\d)[ ,，](?=\d{3}(?!\d))")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ZH_NUMERALS = {str(i): c for i, c in enumerate("零一二三四五六七八九十")} | {"2": "二两"}
ENDS = "。！？!?\n"
CLOSERS = "”」』）)\"'"
BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s+")
DECLINE = re.compile(
    r"文件(?:中)?(?:没有|未|并未|并没有|不)(?:回答|提及|涉及|提供|包含|说明|载有)"
    r"|\b(?:documents?|paragraphs?|sources?|texts?)\b(?:\s+\w+){0,2}\s+(?:do|does|did)\s*(?:not|n't)\s+"
    r"(?:say|answer|mention|contain|address|provide|specify|cover|state)",
    re.I,
)


@dataclass
class Claim:
    """One sentence of a model answer: its text without citation markers, the keys it cites."""

    text: str
    keys: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)


def key_pattern(key: str) -> re.Pattern[str]:
    """A key as the model may space it (`A/76/76¶43`, `A/76/76 ¶ 43`), not a prefix of a longer key."""
    return re.compile(r"\s*".join(map(re.escape, squash(key))) + r"(?![\w(（.])")


def key_pattern_strip(content: str, keys: Collection[str]) -> str:
    for key in keys:
        content = key_pattern(key).sub("", content)
    return content


def match_keys(content: str, known: Collection[str]) -> tuple[list[str], list[str]]:
    """The known keys named inside one bracket, and what is left that looks like a key (invented)."""
    rest = content.replace("，", ",")
    found: list[tuple[int, str]] = []
    for key in sorted(known, key=len, reverse=True):
        pat = key_pattern(key)
        found += [(m.start(), key) for m in pat.finditer(rest)]
        rest = pat.sub(lambda m: " " * len(m.group(0)), rest)
    keys = [k for _, k in sorted(found)]
    left = [p.strip() for p in re.split(r"[;；,、]|\band\b|和|及", rest)]
    invented = [p for p in left if p and LOOKS_LIKE_KEY.search(p)]
    if invented and not keys:
        invented = [content.strip()]
    return list(dict.fromkeys(keys)), invented


def split_sentences(text: str) -> list[str]:
    """Sentences of a model answer, each with the citation brackets that follow it."""
    out: list[str] = []
    buf, depth, i = "", 0, 0
    while i < len(text):
        ch = text[i]
        buf += ch
        depth += ch in "[【"
        depth -= depth > 0 and ch in "]】"
        end = depth == 0 and (
            ch in ENDS
            or (
                ch == "."
                and (i + 1 == len(text) or text[i + 1] in " \n[【")
                and not re.search(r"(?:\b[A-Z]|\bNo|\bpara|\bpp?|e\.g|i\.e)\.$", buf)
            )
        )
        if end:
            j = i + 1
            while j < len(text):  # closing quotes and the citations that follow the full stop
                m = BRACKET.match(text, j) if text[j] in "[【" else None
                if text[j] in CLOSERS or text[j] in " \t":
                    j += 1
                elif m and LOOKS_LIKE_KEY.search(m.group(0)):
                    j = m.end()
                else:
                    break
            buf += text[i + 1 : j]
            out.append(buf)
            buf, i = "", j
            continue
        i += 1
    out.append(buf)
    return [s.strip() for s in out if s.strip()]


def strip_citations(sentence: str, known: Collection[str]) -> Claim:
    """One sentence without its citation brackets, with the known and the invented keys they named."""
    claim = Claim("")

    def take(m: re.Match[str]) -> str:
        content = m.group(1) or m.group(2)
        if not LOOKS_LIKE_KEY.search(content):
            return m.group(0)  # "[sic]", "[a]": not a citation
        found, bad = match_keys(content, known)
        claim.keys.extend(k for k in found if k not in claim.keys)
        claim.invented.extend(bad)
        return ""

    def take_paren(m: re.Match[str]) -> str:  # "(A/76/76 ¶6)": a citation only if all of it is known keys
        found, bad = match_keys(m.group(1), known)
        if not found or bad or re.sub(r"[\s;；,，、]|and|和|及", "", key_pattern_strip(m.group(1), found)):
            return m.group(0)
        claim.keys.extend(k for k in found if k not in claim.keys)
        return ""

    text = BULLET.sub("", PAREN.sub(take_paren, BRACKET.sub(take, sentence)))
    claim.text = re.sub(r"\s+([。，；：！？.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    return claim


def claims(answer: str, known: Collection[str]) -> list[Claim]:
    """The answer cut into claims; bracketed keys resolved against the keys given to the model."""
    result: list[Claim] = []
    for sent in split_sentences(answer):
        claim = strip_citations(sent, known)
        if re.sub(r"[\W_]+", "", claim.text):
            result.append(claim)
        elif result:  # citations on a line of their own belong to the sentence before
            result[-1].keys.extend(k for k in claim.keys if k not in result[-1].keys)
            result[-1].invented.extend(claim.invented)
    return result


def numbers(text: str) -> list[str]:
    """The figures a text states, thousands separators removed (`1 681`, `1,681` → `1681`)."""
    return NUMBER.findall(THOUSANDS.sub("", text))


def numbers_ok(sentence: str, paragraph: str) -> bool:
    """Every figure in the sentence appears in the paragraph (small ones may be Chinese numerals)."""
    para = THOUSANDS.sub("", squash(paragraph))
    have = set(NUMBER.findall(para))
    for n in numbers(sentence):
        if n in have or (n in ZH_NUMERALS and any(c in para for c in ZH_NUMERALS[n])):
            continue
        return False
    return True


def facts_ok(sentence: str, paragraph: str) -> bool:
    """The figures the sentence states are all in the paragraph."""
    return numbers_ok(sentence, paragraph)


def bigram_share(sentence: str, paragraph: str) -> float | None:
    """Share of the sentence's Chinese bigrams found in the paragraph; None for too little Chinese."""
    grams = bigrams(sentence)
    if len(grams) < 4:
        return None
    return len(grams & bigrams(paragraph)) / len(grams)


def is_chinese(text: str) -> bool:
    return len(CJK.findall(text)) >= len(WORD.findall(text))


def language_ok(answer: str, lang: str) -> bool:
    """The answer is written in the question's language (Chinese quotes in an English answer are fine)."""
    plain = BRACKET.sub(" ", answer)
    cjk, words = len(CJK.findall(plain)), len(WORD.findall(plain))
    if lang == "zh":
        return cjk >= words
    return 2 * words >= cjk


def declined(answer: str, found: list[Claim]) -> bool:
    """The model said the documents do not answer (the agreed token, or plain words and no citation)."""
    if NO_ANSWER in answer:
        return True
    return not any(c.keys for c in found) and bool(DECLINE.search(answer))


@dataclass(frozen=True)
class Thresholds:
    bigram: float  # share of a Chinese sentence's bigrams in the paragraph
    cosine: float  # e5 cosine, Chinese sentence
    cosine_cross: float  # e5 cosine, sentence in another language (English over Chinese text)
    margin: float  # the cited paragraph's cosine may trail the best paragraph in context by at most this


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        settings.llm.verify_min_bigram,
        settings.llm.verify_min_cosine,
        settings.llm.verify_min_cosine_cross,
        settings.llm.verify_margin,
    )


def cited_text(p: Paragraph) -> str:
    """What a citation is checked against: heading, text, footnotes and the key itself."""
    return f"{p.searchable()}\n{p.key}"


def citation_ok(sentence: str, share: float | None, cosine: float | None, best: float, t: Thresholds) -> bool:
    """Does one cited paragraph support the sentence (figures aside)? Enough of its bigrams (Chinese),
    or an embedding close enough both absolutely and next to the best paragraph the model was given."""
    if share is not None and share >= t.bigram:
        return True
    if cosine is None:
        return False
    floor = t.cosine if is_chinese(sentence) else t.cosine_cross
    return cosine >= floor and cosine >= best - t.margin


def best_quote(sentence: str, candidates: list[str], hint_tokens: Collection[str] = ()) -> str:
    """The sentence of the paragraph that most resembles the claim: shared figures, then bigrams."""
    want_nums = set(numbers(sentence))
    grams = bigrams(sentence) | bigrams(" ".join(hint_tokens))

    def score(c: str) -> tuple[int, int]:
        return len(want_nums & set(numbers(c))), len(grams & bigrams(c))

    return max(candidates, key=score) if candidates else ""
