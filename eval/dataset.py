"""Question sets in JSONL: validated line by line; conversations flattened into scored turns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import InputError

KINDS = ("fact", "howto", "multi", "unanswerable")
FOLDER = Path(__file__).resolve().parent / "questions"
TUNE, CHECK = FOLDER / "tune.jsonl", FOLDER / "check.jsonl"  # rules are chosen on tune, reported on check


class QuestionSetError(InputError):
    """A malformed evaluation question file (names the line and field)."""


@dataclass(frozen=True)
class Gold:
    para: str
    evidence: str


@dataclass
class Question:
    id: str
    lang: str
    question: str
    kind: str
    gold: list[Gold] = field(default_factory=list)
    answer_keys: list[str] = field(default_factory=list)
    conversation: str | None = None  # id of the conversation this turn belongs to
    turn: int = 0
    tags: list[str] = field(default_factory=list)  # optional: typo, keyword, instruction, …

    @property
    def styles(self) -> list[str]:
        """The declared tags plus those the question implies: `traditional`, `followup` (a later turn)."""
        out = list(self.tags)
        if self.lang == "zh-Hant":
            out.append("traditional")
        if self.turn > 1:
            out.append("followup")
        return sorted(set(out))


def _fail(path: Path, line: int, msg: str) -> QuestionSetError:
    return QuestionSetError(f"{path}:{line}: {msg}")


def _question(d: dict[str, Any], path: Path, line: int, qid: str, lang: str) -> Question:
    for name in ("question", "kind"):
        if not isinstance(d.get(name), str) or not d[name].strip():
            raise _fail(path, line, f"field '{name}' is missing or not a non-empty string (question {qid})")
    if d["kind"] not in KINDS:
        raise _fail(path, line, f"field 'kind' is '{d['kind']}'; use one of {', '.join(KINDS)} (question {qid})")
    gold_raw = d.get("gold", [])
    if not isinstance(gold_raw, list):
        raise _fail(path, line, f"field 'gold' must be a list (question {qid})")
    gold = []
    for i, g in enumerate(gold_raw):
        if not isinstance(g, dict) or not isinstance(g.get("evidence"), str) or not g["evidence"].strip():
            raise _fail(path, line, f"field 'gold[{i}].evidence' is missing or empty (question {qid})")
        gold.append(Gold(str(g.get("para", "")), g["evidence"]))
    if d["kind"] != "unanswerable" and not gold:
        raise _fail(path, line, f"field 'gold' is empty but kind is '{d['kind']}' (question {qid})")
    keys = d.get("answer_keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise _fail(path, line, f"field 'answer_keys' must be a list of strings (question {qid})")
    tags = d.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _fail(path, line, f"field 'tags' must be a list of strings (question {qid})")
    return Question(qid, lang, d["question"], d["kind"], gold, keys, tags=tags)


def load(path: Path) -> list[Question]:
    """All scored questions of a file; raises QuestionSetError naming the line and field."""
    if not path.exists():
        raise QuestionSetError(f"{path}: no such question file; check the path.")
    out: list[Question] = []
    seen: set[str] = set()
    try:
        lines = path.read_text("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise QuestionSetError(f"{path}: not UTF-8 text; save it as UTF-8 JSONL.") from e
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
        except json.JSONDecodeError as e:
            raise _fail(path, n, f"not valid JSON ({e.msg} at column {e.colno})") from e
        if not isinstance(d, dict):
            raise _fail(path, n, "each line must be a JSON object")
        qid = d.get("id")
        if not isinstance(qid, str) or not qid:
            raise _fail(path, n, "field 'id' is missing or not a string")
        if qid in seen:
            raise _fail(path, n, f"field 'id' repeats '{qid}'")
        seen.add(qid)
        lang = d.get("lang")
        if not isinstance(lang, str) or not lang:
            raise _fail(path, n, f"field 'lang' is missing (question {qid})")
        if "turns" in d:
            turns = d["turns"]
            if not isinstance(turns, list) or not turns:
                raise _fail(path, n, f"field 'turns' must be a non-empty list (conversation {qid})")
            for i, t in enumerate(turns, start=1):
                if not isinstance(t, dict):
                    raise _fail(path, n, f"field 'turns[{i - 1}]' must be an object (conversation {qid})")
                q = _question(t, path, n, f"{qid}#{i}", t.get("lang", lang))
                q.conversation, q.turn = qid, i
                out.append(q)
        else:
            out.append(_question(d, path, n, qid, lang))
    if not out:
        raise QuestionSetError(f"{path}: no questions in the file.")
    return out
