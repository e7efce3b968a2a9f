"""Feedback on answers in SQLite: written only when a user presses "Send feedback", nothing else is kept."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.settings import Settings
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
    return settings.feedback_db or settings.data_dir / "feedback.sqlite3"


class FeedbackStore:
    """One short-lived connection per write, so any server thread may record."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
