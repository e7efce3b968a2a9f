"""The UN entities table (data/entities.toml): offices, bodies and outside organisations with their English
and Chinese names, read by the glossary, the refusal rules and the facilitator brief."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from index.vocab import index_data

Kind = Literal["office", "department", "body", "organisation"]


@dataclass(frozen=True)
class Entity:
    en: tuple[str, ...]
    acronyms: tuple[str, ...]
    zh: tuple[str, ...]
    kind: Kind
    contact: bool = False
    brief: bool = True
    mention: str = ""
    display_zh: str = ""
    display_en: str = ""

    @property
    def outside(self) -> bool:
        """An organisation outside the Secretariat (its own figures are not in these reports)."""
        return self.kind == "organisation"

    @property
    def name_zh(self) -> str:
        return self.display_zh or self.zh[0]

    @property
    def name_en(self) -> str:
        return self.display_en or (f"{self.en[0]} ({self.acronyms[0]})" if self.acronyms else self.en[0])

    @cached_property
    def in_chinese(self) -> re.Pattern[str]:
        """What shows the entity in Chinese text."""
        return re.compile(self.mention or "|".join(map(re.escape, self.zh)))

    @cached_property
    def in_question(self) -> re.Pattern[str]:
        """How a question names it: an English name (case aside), an acronym (case kept) or a Chinese name."""
        parts = [rf"(?i:\b{re.escape(n)}\b)" for n in self.en] + [rf"\b{re.escape(a)}\b" for a in self.acronyms]
        return re.compile("|".join([*parts, *map(re.escape, self.zh)]))

    @cached_property
    def in_passage(self) -> re.Pattern[str]:
        """What shows it in a passage: a Chinese or an English name."""
        return re.compile("|".join([*map(re.escape, self.zh), *(rf"(?i:{re.escape(n)})" for n in self.en)]))


def _entity(d: dict[str, object]) -> Entity:
    def names(key: str) -> tuple[str, ...]:
        v = d.get(key, [])
        assert isinstance(v, list), key
        return tuple(str(x) for x in v)

    kind = str(d["kind"])
    assert kind in ("office", "department", "body", "organisation"), kind
    return Entity(
        names("en"), names("acronyms"), names("zh"), kind,  # type: ignore[arg-type]
        contact=bool(d.get("contact", False)), brief=bool(d.get("brief", kind != "organisation")),
        mention=str(d.get("mention", "")), display_zh=str(d.get("display_zh", "")),
        display_en=str(d.get("display_en", "")),
    )  # fmt: skip


ENTITIES: tuple[Entity, ...] = tuple(_entity(d) for d in index_data("entities.toml")["entity"])
