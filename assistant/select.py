"""Which of the scored quotables an extractive answer says, in what order: pure, over plain data.

The answer comes first: the best-fitting quotable (or, for a question asking several things, each part's own,
in the question's order). Then at most `most - 1` more statements, only ones that nearly fit as well and keep
a fact answer short; a "who do I go to" or "how do I" question also gets the policy by its symbol when a
quotable naming one fits well enough. A list is quoted whole: the enumerated items of the lead's paragraph
follow it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.compose import CHANNEL, LIST, POLICY, STEP
from assistant.evidence import asking
from assistant.quote import Quotable
from index.text import squash
from index.types import Query

# A span that is an item of an enumeration: 第一，… / 第二项承诺… / 首先 / (a) …
ITEM = re.compile(
    r"^(?:第[一二三四五六七八九十]+(?:[，,、：:]|项|个|条|点|类|种)|首先|其次|再次|最后|\([a-z]\)|[a-z]\))"
)
LEAD_IN = ("：", ":")
EXTRA_SHARE = 0.8  # a further statement must fit at least this share as well as the lead (tune set: 0.6-0.9)
FACT_CHARS = 200  # a fact answer stays about this long: a further statement that would pass it is left out
LIST_ITEMS = 8  # most enumerated items quoted with a list
LEAD_RANK = 0.0  # the lead's fit is divided by 1 + this x its hit's rank (on top of the scores' own discount)
FOOTNOTE = 1.0  # a footnote's fit as a lead is multiplied by this
PART_ANSWERED = 1.0  # a part of the question is answered by the lead when the lead fits it this well as its best
POLICY_SHARE = 0.5  # "who do I go to" / "how do I": the policy by symbol, when a span naming one fits this well
# The lead joined with the sentence next to it, when the lead does not hold what the question asks for: the
# neighbour holds it (a figure, a date), or the question asks for no such kind ("哪些"/"what") and the neighbour
# fits at least this share as well as the lead; together no longer than EXTEND_CHARS.
EXTEND_SHARE = 0.2
EXTEND_CHARS = 200


def same(a: Quotable, b: Quotable) -> bool:
    return a.shown == b.shown or (a.paragraph.id == b.paragraph.id and (a.shown in b.shown or b.shown in a.shown))


def list_items(lead: Quotable, cands: list[Quotable], taken: list[int], asked: bool = False) -> list[int]:
    """The enumerated items of the lead's paragraph, when the lead is one of them or introduces them, or the
    question asks for a list."""
    if not (asked or ITEM.match(lead.shown) or lead.shown.rstrip().endswith(LEAD_IN)):
        return []
    pid = lead.paragraph.id
    return [j for j, c in enumerate(cands) if c.paragraph.id == pid and ITEM.match(c.shown) and j not in taken][
        :LIST_ITEMS
    ]


def lead_of(cands: list[Quotable], scores: list[float]) -> int:
    """The quotable that answers: the best fit, the best hit's a little preferred (its paragraph answers most
    often), a footnote a little less."""
    return max(
        range(len(cands)),
        key=lambda i: scores[i] / (1 + LEAD_RANK * cands[i].rank) * (FOOTNOTE if cands[i].note else 1.0),
    )


def choose(q: Query, cands: list[Quotable], scores: list[float], parts: list[list[float]], most: int) -> list[int]:
    """Indices of the quotables to say, in the order said: the lead; each part of the question the lead does not
    answer, by its best fit; then ones that fit nearly as well as the lead."""
    lead = lead_of(cands, scores)
    picks = [lead]
    for by_part in parts:
        best = max(range(len(cands)), key=lambda i: by_part[i])
        if by_part[lead] >= PART_ANSWERED * by_part[best] or len(picks) >= most:
            continue
        if not any(same(cands[best], cands[j]) for j in picks):
            picks.append(best)
    length = sum(len(cands[i].shown) for i in picks)
    for i in sorted(range(len(cands)), key=lambda i: -scores[i]):
        if len(picks) >= most or scores[i] < EXTRA_SHARE * scores[lead]:
            break
        if any(same(cands[i], cands[j]) for j in picks) or length + len(cands[i].shown) > FACT_CHARS:
            continue
        picks.append(i)
        length += len(cands[i].shown)
    kind = asking(q)
    if CHANNEL.search(kind) or STEP.search(kind):
        order = sorted(range(len(cands)), key=lambda i: -scores[i])
        named = [i for i in order if POLICY.search(cands[i].shown) and scores[i] >= POLICY_SHARE * scores[lead]]
        if named and not any(POLICY.search(cands[j].shown) for j in picks):
            picks = [*picks[: most - 1], named[0]] if len(picks) >= most else [*picks, named[0]]
    items = list_items(cands[lead], cands, picks, bool(LIST.search(kind)))
    return [lead, *items, *picks[1:]] if items else picks


def joined(a: Quotable, b: Quotable) -> Quotable | None:
    """Two sentences of one paragraph that it prints one after the other, as one quotable; None otherwise."""
    if a.paragraph.id != b.paragraph.id or a.note or b.note or a.row or b.row:
        return None
    quote = a.quote + b.quote
    return replace(a, shown=a.shown + b.shown, quote=quote) if squash(quote) in squash(a.paragraph.text) else None


def extended(lead: int, cands: list[Quotable], scores: list[float], holds: list[bool] | None) -> Quotable | None:
    """The lead with the sentence before or after it, when the lead alone does not answer: it lacks the kind of
    answer asked for (`holds`: which spans show it; None: the question asks for no particular kind) and the
    neighbour shows it, or, asked for no kind, the neighbour fits nearly as well. The better neighbour wins."""
    if holds is not None and holds[lead]:
        return None
    best: tuple[float, Quotable] | None = None
    for j in (lead - 1, lead + 1):
        if not 0 <= j < len(cands):
            continue
        ok = holds[j] if holds is not None else scores[j] >= EXTEND_SHARE * scores[lead]
        pair = joined(*((cands[j], cands[lead]) if j < lead else (cands[lead], cands[j]))) if ok else None
        if pair is not None and len(pair.shown) <= EXTEND_CHARS and (best is None or scores[j] > best[0]):
            best = (scores[j], pair)
    return best[1] if best else None


def both_parts(picks: list[int], cands: list[Quotable]) -> Quotable | None:
    """A question asking two things whose second statement is the sentence next to the lead in its paragraph:
    the two as one statement (one citation), when together no longer than EXTEND_CHARS."""
    if len(picks) < 2 or abs(picks[1] - picks[0]) != 1:
        return None
    a, b = sorted(picks[:2])
    pair = joined(cands[a], cands[b])
    return pair if pair is not None and len(pair.shown) <= EXTEND_CHARS else None
