"""Discussion questions and scenarios that put a brief's cited facts to work.

The offline writer fills templates in the brief's language from the facts (citation numbers, figures,
offices); it states nothing itself: a question or scenario points at a key point or figure by its `[n]`.
A language-model writer plugs in by name: `WRITERS["openai"] = fn`, where `fn(facts) -> Discussion`;
`writer_for(settings)` picks the one named by `settings.answer.generator`, else the template writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.brief.model import Discussion, Scenario
from assistant.phrases import table
from assistant.settings import Settings


@dataclass(frozen=True, slots=True)
class Fact:
    """One cited fact a writer may use: `[ref]` is its citation number in the brief."""

    ref: int
    key: str
    quote: str
    kind: str  # commitment | action | results | remaining | figure | actor
    number: int = 0  # the key point's number in the brief (0 for figures and offices)
    values: tuple[str, ...] = ()  # figures: the numbers as printed
    name: str = ""  # offices: the name in the brief's language


@dataclass(frozen=True, slots=True)
class Facts:
    theme: str
    lang: str
    points: list[Fact] = field(default_factory=list)
    figures: list[Fact] = field(default_factory=list)
    actors: list[Fact] = field(default_factory=list)

    def point(self, *kinds: str) -> Fact | None:
        return next((p for p in self.points if p.kind in kinds), None)


DiscussionWriter = Callable[[Facts], Discussion]

T: dict[str, dict[str, str]] = table("discuss")  # assistant/data/phrases.toml


def template_discussion(facts: Facts) -> Discussion:
    """6-10 questions and 2-3 scenarios from templates, each pointing at the cited facts it uses."""
    t = T["en" if facts.lang == "en" else "zh"]
    theme = facts.theme
    qs = [t["open"].format(theme=theme)]
    for kind in ("commitment", "action"):
        p = facts.point(kind)
        if p:
            qs.append(t[kind].format(n=p.number, r=p.ref))
    for f in facts.figures[:1]:
        qs.append(t["figure"].format(v=f.values[0], r=f.ref))
    if len(facts.figures) > 1:
        qs.append(t["figures"])
    for a in facts.actors[:2]:
        qs.append(t["actor" if a.kind == "contact" else "role"].format(a=a.name, r=a.ref))
    p = facts.point("remaining")
    if p:
        qs.append(t["remaining"].format(n=p.number, r=p.ref))
    qs.append(t["safe"].format(theme=theme))
    if len(qs) < 8:
        qs.append(t["obstacle"].format(theme=theme))
    qs = [*qs[:9], t["close"]]

    scenarios: list[Scenario] = []
    first = facts.point("commitment") or (facts.points[0] if facts.points else None)
    second = next(
        (p for p in facts.points if first and p.kind in ("action", "results") and p.ref != first.ref),
        next((p for p in facts.points if first and p.ref != first.ref), None),
    )
    if first and second:
        scenarios.append(
            Scenario(
                t["s1_title"],
                t["s1"].format(theme=theme, n1=first.number, r1=first.ref, n2=second.number, r2=second.ref),
                (first.ref, second.ref),
            )
        )
    if facts.figures:
        f = facts.figures[0]
        scenarios.append(Scenario(t["s2_title"], t["s2"].format(theme=theme, v=f.values[0], r=f.ref), (f.ref,)))
    contact = next((a for a in facts.actors if a.kind == "contact"), None)
    if contact:
        scenarios.append(
            Scenario(t["s3_title"], t["s3"].format(theme=theme, a=contact.name, r=contact.ref), (contact.ref,))
        )
    rule = facts.point("commitment", "remaining", "action")
    if len(scenarios) < 3 and rule:
        scenarios.append(Scenario(t["s4_title"], t["s4"].format(n=rule.number, r=rule.ref), (rule.ref,)))
    return Discussion(qs, scenarios[:3], "template")


WRITERS: dict[str, DiscussionWriter] = {"template": template_discussion, "extractive": template_discussion}


def writer_for(settings: Settings) -> DiscussionWriter:
    """The writer registered under `settings.answer.generator` (an LLM writer once one is plugged in), else
    templates."""
    return WRITERS.get(settings.answer.generator, template_discussion)
