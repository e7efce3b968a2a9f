"""Interface text in Chinese and English; the page follows the language of the latest question."""

from __future__ import annotations

from assistant.phrases import table

Lang = str  # "zh" or "en"

TEXT: dict[str, dict[str, str]] = table("ui")  # assistant/data/phrases.toml

FEEDBACK_KINDS = ("helpful", "wrong_answer", "wrong_source")

EXAMPLES = [
    "我觉得自己因为举报而遭到报复，应该找谁？",
    "道德操守办公室2020年收到多少服务请求？",
    "财务披露方案的合规率是多少？",
    "What protection is there against retaliation for reporting misconduct?",
    "How many service requests did the Ethics Office receive in 2020?",
    "What is the accountability system of the Secretariat?",
]


def t(lang: Lang, key: str) -> str:
    """The text for `key` in `lang` (English for any language but Chinese)."""
    return TEXT["zh" if lang == "zh" else "en"][key]


def tx(lang: Lang | None, key: str) -> str:
    """`t`, or both languages while the page has no question yet (`lang` None)."""
    return both(key) if lang is None else t(lang, key)


def both(key: str) -> str:
    """Chinese and English together, for the page before the first question."""
    zh, en = TEXT["zh"][key], TEXT["en"][key]
    return zh if zh == en else f"{zh} · {en}"


def feedback_choices(lang: Lang | None) -> list[tuple[str, str]]:
    return [(tx(lang, k), k) for k in FEEDBACK_KINDS]
