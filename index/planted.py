"""Instructions planted in documents: units whose text addresses an assistant or a model are flagged at ingest.

The rules are data (`planted.toml`, beside this file, says what each is for and how an entry earns its
place). A flagged unit stays in the index, so the library can name it, but retrieval never returns it
(`index.retrieve.Retriever.where`): that one gate keeps it out of every way to an answer, the extractive
quotes, the model's context and the extractive fallback, without each of them having to remember it.
Flags are kept in the manifest as unit positions with the rule's name (a unit's id is a hash of its text
and a cache key, so it carries no flag), with a hash of the rules: an index flagged by other rules is
flagged again when it loads, so changing the rules never needs a new index.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.text import to_simplified
from index.types import Paragraph, content_hash

RULES_FILE = Path(__file__).with_name("planted.toml")
CJK = r"\u2e80-\u9fff\uf900-\ufaff"
SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    spare: tuple[str, ...]


def load_rules(path: Path = RULES_FILE) -> tuple[list[Rule], str]:
    text = path.read_text("utf-8")
    rules = [
        Rule(
            r["name"],
            re.compile(r["pattern"], re.I | re.M),
            tuple(normal(x) for x in r.get("examples", ())),
            tuple(normal(x) for x in r.get("spare", ())),
        )
        for r in tomllib.loads(text)["rule"]
    ]
    return rules, content_hash(text, size=12)


def normal(text: str) -> str:
    """What the rules see: NFKC (full-width punctuation made ASCII), simplified characters, no spaces by CJK."""
    return SPACE_NEAR_CJK.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


RULES, RULES_VERSION = load_rules()


def explain(text: str) -> tuple[str, str] | None:
    """The first rule the text matches and the words that matched it; None when it reads as a document."""
    t = normal(text)
    for rule in RULES:
        if m := rule.pattern.search(t):
            return rule.name, m.group(0)
    return None


def flag(text: str) -> str | None:
    """The name of the first rule the text matches, or None."""
    found = explain(text)
    return found[0] if found else None


def flag_units(units: Sequence[Paragraph]) -> dict[int, str]:
    """Position of each flagged unit to the name of the rule it matched."""
    return {i: name for i, u in enumerate(units) if (name := flag(u.searchable()))}


def flag_warnings(units: Sequence[Paragraph], flagged: dict[int, str], origins: dict[str, str]) -> list[str]:
    """One line per flagged unit, naming its paragraph and document, the rule and the words that matched."""
    out = []
    for i, rule in sorted(flagged.items()):
        u = units[i]
        found = explain(u.searchable())
        words = found[1] if found else ""
        words = words if len(words) <= 40 else words[:39] + "…"
        origin = f", {origins[u.doc_id]}" if u.doc_id in origins else ""
        out.append(
            f"{u.key} (document {u.doc_id}{origin}) reads as instructions to an assistant ({rule}: “{words}”); "
            f"it is kept out of every answer. Check the document, or remove it: `integrity remove {u.doc_id}`."
        )
    return out
