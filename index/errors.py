"""The few domain errors; the CLI and UI turn each into one line that says what to do.

An error is raised with a message key of data/errors.toml and its fields (`InputError("empty_file", name=...)`):
`str(e)` is the English line (what the CLI prints), `e.say(lang)` the line in a reader's language (the web page).
An error raised with a plain sentence instead (a message no reader of the page can meet) says it in English.
"""

from __future__ import annotations

from pathlib import Path

from index import vocab

MESSAGES = Path(__file__).resolve().parent / "data" / "errors.toml"


def messages() -> dict[str, dict[str, str]]:
    return vocab.load(MESSAGES)


class IntegrityError(Exception):
    """Base: the message names the problem and the fix."""

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key: str | None = key if key in messages() else None
        self.fields = fields
        super().__init__(self.say("en") if self.key else key)

    def say(self, lang: str | None) -> str:
        """The one line in `lang`: Chinese for any Chinese, English otherwise."""
        if self.key is None:
            return str(self.args[0]) if self.args else ""
        text = messages()[self.key]["zh" if (lang or "").startswith("zh") else "en"]
        return text.format(**self.fields)


class InputError(IntegrityError):
    """Bad user input: a missing, empty, binary or unsupported file, an over-long question."""


class IndexMissingError(IntegrityError):
    """No index has been built for this configuration yet."""


class IndexMismatchError(IntegrityError):
    """The index on disk was built by another embedder, parser or chunking."""


class IndexCorruptError(IntegrityError):
    """An index file is unreadable or inconsistent."""


class DataDirError(IntegrityError):
    """The data folder (or the index folder) cannot be written: read-only, not a folder, no space."""

    @classmethod
    def about(cls, folder: object, e: OSError) -> DataDirError:
        return cls("cannot_write", folder=folder, reason=e.strerror or type(e).__name__)


class StoreUnavailableError(IntegrityError):
    """The store cannot be opened: a milvus-lite folder held by another process, a Milvus server that does
    not answer or refuses the token."""
