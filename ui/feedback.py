"""Feedback on answers in SQLite: written only when a user presses "Send feedback", nothing else is kept."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from index.errors import InputError
from ui.i18n import FEEDBACK_KINDS

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('helpful', 'wrong_answer', 'wrong_source')),
    comment TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    lang TEXT NOT NULL
)
"""
MAX_COMMENT = 2000


def feedback_path(settings: Settings) -> Path:
    return settings.ui.feedback_db or settings.index.data_dir / "feedback.sqlite3"


def check_folder(folder: Path) -> None:
    """The feedback file's folder must not be writable by every user (it is made 0700 when missing)."""
    if folder.is_dir() and folder.stat().st_mode & stat.S_IWOTH:
        raise InputError(
            f"{folder} is writable by every user; run `chmod o-w {folder}` or set INTEGRITY_FEEDBACK_DB to a "
            "file in a private folder."
        )


class FeedbackStore:
    """One short-lived connection per write, so any server thread may record.

    The file holds questions staff asked: it is made readable by its owner only (0600), in a folder made 0700
    and refused when any user may write to it (they could swap the file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_folder(path.parent)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        check_folder(self.path.parent)
        os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))  # created private, never world-readable
        if stat.S_IMODE(self.path.stat().st_mode) != 0o600:
            self.path.chmod(0o600)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(SCHEMA)
        return con

    def add(
        self, kind: str, comment: str, question: str, answer: str, citations: list[dict[str, Any]], lang: str
    ) -> int:
        if kind not in FEEDBACK_KINDS:
            raise InputError(f"unknown feedback '{kind}'; choose one of {', '.join(FEEDBACK_KINDS)}.")
        row = (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            kind,
            comment.strip()[:MAX_COMMENT],
            question,
            answer,
            json.dumps(citations, ensure_ascii=False),
            lang,
        )
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO feedback (created, kind, comment, question, answer, citations, lang) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            return int(cur.lastrowid or 0)
        finally:
            con.close()

    def all(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        con = self._connect()
        con.row_factory = sqlite3.Row
        try:
            rows = [dict(r) for r in con.execute("SELECT * FROM feedback ORDER BY id")]
        finally:
            con.close()
        for r in rows:
            r["citations"] = json.loads(r["citations"])
        return rows
