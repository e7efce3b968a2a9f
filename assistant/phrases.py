"""Every user-facing phrase in both languages, from data/phrases.toml: `phrase("answer", "refused", "zh")`."""

from __future__ import annotations

from pathlib import Path

from index import vocab

PHRASES = Path(__file__).resolve().parent / "data" / "phrases.toml"


def lang_of(lang: str | None) -> str:
    """The phrase language for a reader's language: Chinese for any Chinese, English otherwise."""
    return "zh" if (lang or "").startswith("zh") else "en"


def phrase(section: str, key: str, lang: str | None, **fields: object) -> str:
    text = str(vocab.load(PHRASES)[section][key][lang_of(lang)])
    return text.format(**fields) if fields else text


def table(section: str) -> dict[str, dict[str, str]]:
    """A section as {"zh": {key: text}, "en": {key: text}} (for the modules that look phrases up by language)."""
    entries = vocab.load(PHRASES)[section]
    return {lang: {k: str(v[lang]) for k, v in entries.items()} for lang in ("zh", "en")}
