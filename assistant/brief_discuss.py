"""Discussion questions and scenarios that put a brief's cited facts to work.

The offline writer fills templates in the brief's language from the facts (citation numbers, figures,
offices); it states nothing itself: a question or scenario points at a key point or figure by its `[n]`.
A language-model writer plugs in by name: `WRITERS["openai"] = fn`, where `fn(facts) -> Discussion`;
`writer_for(settings)` picks the one named by `settings.generator`, else the template writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.brief_model import Discussion, Scenario
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

T: dict[str, dict[str, str]] = {
    "en": {
        "open": "What does “{theme}” mean in our team's day-to-day work? Think of one recent example.",
        "commitment": "Key point {n} [{r}] sets out what is expected. Which part of it is hardest to live up to "
        "in our work, and why?",
        "action": "Key point {n} [{r}] describes something that has been done. What have we done along those lines, "
        "and what could we start doing?",
        "figure": "The documents give the figure {v} [{r}]. What does it tell us, and what would the equivalent "
        "look like for our team?",
        "figures": "Which of the key figures surprises you most, and what would you want to know before drawing "
        "conclusions from it?",
        "actor": "When would you turn to the {a} [{r}]? Does everyone in the team know how to reach it?",
        "role": "What does the {a} [{r}] do, and how does its work reach our team?",
        "remaining": "Key point {n} [{r}] names work that is still under way or ahead. What could our team "
        "contribute to it this year?",
        "safe": "What would make it easier for someone in our team to raise a concern about {theme}?",
        "obstacle": "What gets in the way of {theme} in practice, and what could remove that obstacle?",
        "close": "What one thing will each of us do differently after this dialogue, and how will we follow up?",
        "s1_title": "A new colleague asks",
        "s1": "A new colleague asks why the team is spending an hour on “{theme}”. Using key points {n1} [{r1}] "
        "and {n2} [{r2}], explain in two minutes what the Organization expects and what has been done.",
        "s2_title": "Numbers in a team meeting",
        "s2": "In a team meeting someone says that nothing has changed on {theme}. The brief gives {v} [{r}]. "
        "How would you respond, and what would you want to know before drawing conclusions?",
        "s3_title": "A concern raised in confidence",
        "s3": "A team member tells you privately about a situation that touches on {theme} and asks what to do. "
        "The documents name the {a} [{r}]. What are the options, what do you say about confidentiality, "
        "and what must you not do?",
        "s4_title": "A shortcut under pressure",
        "s4": "Your team is behind on a deadline. A shortcut would save a week but sits uneasily with key point "
        "{n} [{r}]. How do you decide, whom do you involve, and how do you explain the decision to the team?",
    },
    "zh": {
        "open": "在我们团队的日常工作中，“{theme}”意味着什么？请举一个最近的例子。",
        "commitment": "要点 {n} [{r}] 说明了对我们的期望。在我们的工作中，哪一部分最难做到？为什么？",
        "action": "要点 {n} [{r}] 介绍了已经采取的行动。我们团队做过哪些类似的事情？还可以开始做什么？",
        "figure": "文件给出的数字是 {v} [{r}]。这个数字说明了什么？在我们团队，相应的情况如何？",
        "figures": "哪一个关键数字最让您意外？在据此得出结论之前，您还想了解什么？",
        "actor": "在什么情况下您会求助于{a} [{r}]？团队里每个人都知道如何联系吗？",
        "role": "{a} [{r}] 发挥什么作用？它的工作如何影响我们的团队？",
        "remaining": "要点 {n} [{r}] 提到了仍在进行或有待完成的工作。今年我们团队可以为此做些什么？",
        "safe": "怎样才能让团队成员更容易就“{theme}”提出关切？",
        "obstacle": "在实践中，是什么妨碍了“{theme}”？怎样才能消除这个障碍？",
        "close": "这次对话之后，我们每个人会改变哪一件事？我们如何跟进？",
        "s1_title": "新同事的提问",
        "s1": "一位新同事问，团队为什么要花一个小时讨论“{theme}”。请根据要点 {n1} [{r1}] 和要点 {n2} [{r2}]，"
        "用两分钟说明本组织的期望以及已经采取的行动。",
        "s2_title": "团队会议上的数字",
        "s2": "在团队会议上，有人说在“{theme}”方面什么都没有改变。本简报列出了 {v} [{r}]。您会如何回应？"
        "在得出结论之前，您还想了解什么？",
        "s3_title": "私下提出的关切",
        "s3": "一名团队成员私下告诉您一件与“{theme}”有关的事情，并询问该怎么办。文件提到了{a} [{r}]。"
        "有哪些选择？关于保密您会怎么说？哪些事情绝对不能做？",
        "s4_title": "压力下的捷径",
        "s4": "团队的一项任务即将逾期。有一个捷径可以节省一周时间，但与要点 {n} [{r}] 不太相符。您会如何决定？"
        "会请哪些人参与？又会如何向团队解释这一决定？",
    },
}


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
    """The writer registered under `settings.generator` (an LLM writer once one is plugged in), else templates."""
    return WRITERS.get(settings.generator, template_discussion)
