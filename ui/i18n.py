"""Interface text in Chinese or English, one at a time: the browser's language first (Accept-Language), then
the header's switch, then the language of the latest question."""

from __future__ import annotations

import re

from assistant.phrases import table
from index.errors import InputError, IntegrityError

Lang = str  # "zh" or "en"

TEXT: dict[str, dict[str, str]] = table("ui")  # assistant/data/phrases.toml
HTML_LANG = {"zh": "zh-CN", "en": "en"}
LANGUAGES = [("中文", "zh"), ("English", "en")]  # the header's switch: each language named in itself

FEEDBACK_KINDS = ("helpful", "wrong_answer", "wrong_source")
WRONG_KINDS = ("wrong_answer", "wrong_source")  # what 👎 asks

EXAMPLES = {
    "zh": [
        "我觉得自己因为举报而遭到报复，应该找谁？",
        "道德操守办公室2020年收到多少服务请求？",
        "财务披露方案的合规率是多少？",
    ],
    "en": [
        "What protection is there against retaliation for reporting misconduct?",
        "How many service requests did the Ethics Office receive in 2020?",
        "What is the accountability system of the Secretariat?",
    ],
}
TAG = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$")


def page_lang(lang: str | None) -> Lang:
    """Chinese for any Chinese, English for everything else."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def t(lang: Lang | None, key: str, /, **fields: object) -> str:
    """The text for `key` in `lang` (English for any language but Chinese), its `{fields}` filled in."""
    text = TEXT[page_lang(lang)][key]
    return text.format(**fields) if fields else text


def accept_language(header: str | None, default: Lang = "en") -> Lang:
    """The reader's language from an Accept-Language header: the most preferred of Chinese and English
    (`fr;q=1, zh-CN;q=0.8, en;q=0.5` -> zh); `default` when it names neither."""
    best: tuple[float, int, Lang] | None = None
    for i, part in enumerate((header or "").split(",")):
        m = TAG.match(part)
        if not m or m.group(1).lower() not in ("zh", "en"):
            continue
        q = float(m.group(2)) if m.group(2) else 1.0
        if q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, page_lang(m.group(1)))
    return best[2] if best else default


def feedback_choices(lang: Lang | None, kinds: tuple[str, ...] = WRONG_KINDS) -> list[tuple[str, str]]:
    return [(t(lang, k), k) for k in kinds]


class Refusal(InputError):
    """A refusal the page says in the reader's language: a phrase key and its fields (`str()` is the English)."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(t("en", key, **fields))
        self.phrase, self.fields = key, fields

    def say(self, lang: Lang | None) -> str:
        return t(lang, self.phrase, **self.fields)


def message(error: Exception, lang: Lang | None) -> str:
    """An error's one line in the reader's language: a domain error says it (index/data/errors.toml), a Refusal
    in the page's phrases; any other exception is named only (its message may quote what the reader typed)."""
    return error.say(lang) if isinstance(error, IntegrityError) else type(error).__name__
