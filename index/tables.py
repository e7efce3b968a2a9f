"""The rows and columns of a table flattened by PDF extraction, or nothing when they cannot be told apart.

A table block's lines (index/blocks.py) hold, in reading order: an optional title line, the header (one line of
space-separated column names, or several lines that are one column name each, or a two-level header), the data
rows (a row label, then one value per column: a number with spaces as thousands separators `1 665`, a footnote
letter glued on `36b`, `—`, `不适用`), a row label wrapped over lines before its values, group labels with no
values (`联合国秘书处`), repeated header lines after a page break, and the table's notes (`a 依照…`).

`parse_table` returns rows of cell strings, row 0 the column headers, cell 0 of each row its row label, footnote
letters removed; or `()` when the lines do not make one consistent grid (the columns of the annexes of long text
cells, or a header that does not give one name per column): a table is never guessed."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from index.lines import clean

Table = tuple[tuple[str, ...], ...]

VALUE = re.compile(r"(?:\d+(?:\.\d+)?%?|—|–|-|不适用)")
NUMBER_NOTE = re.compile(r"(\d)[a-z]$")  # `36b`: a footnote letter glued to a number
NOTE_LINE = re.compile(r"^\s*[a-zI]\s+\S")  # `a 依照…`; the corpus prints one note `I 2018 年…`
LONE_LETTER = re.compile(r"\s+[a-z]$")  # `2016 年 12 月 a`: a footnote letter after a label
CONTINUES = ("至", "，", ",", "、", "和", "/", "及", "-")  # a header or label line ending so goes on
MAX_LABEL_LINES = 3  # more lines without values than this between rows: text cells, not a grid


def value_run(tokens: list[str]) -> int:
    """How many tokens at the end are values."""
    n = 0
    for t in reversed(tokens):
        if not VALUE.fullmatch(NUMBER_NOTE.sub(r"\1", t)):
            break
        n += 1
    return n


def can_join(a: str, b: str) -> bool:
    """`1 665`: a 1-3 digit group followed by a 3-digit group may be one number."""
    return bool(re.fullmatch(r"\d{1,3}", a) and re.fullmatch(r"\d{3}[a-z]?", b))


def segmentations(tokens: list[str], n: int) -> list[list[str]]:
    """Every way of reading the value tokens as exactly n cells (joined thousands groups); at most two."""
    out: list[list[str]] = []

    def walk(i: int, cells: list[str]) -> None:
        if len(out) > 1 or len(cells) > n:
            return
        if i == len(tokens):
            if len(cells) == n:
                out.append(cells)
            return
        j = i + 1
        while True:
            walk(j, [*cells, " ".join(tokens[i:j])])
            if j < len(tokens) and can_join(tokens[j - 1], tokens[j]):
                j += 1
            else:
                break

    walk(0, [])
    return out


def cell(text: str) -> str:
    return NUMBER_NOTE.sub(r"\1", clean(LONE_LETTER.sub("", text.strip())))


def header_cells(lines: list[str], n: int) -> list[str] | None:
    """The n + 1 (or n, with no row-label header) column names of the header lines, or None."""
    logical = join_continued(lines)
    if len(logical) in (n, n + 1) and len(logical) > 1:
        names = [cell(s) for s in logical]
        return names if len(names) == n + 1 else ["", *names]
    per_line = [words(s) for s in logical]
    flat = [w for ws in per_line for w in ws]
    if len(flat) == n + 2:  # a group label on a line of its own (`候补主席`) spans the next line's first name
        merged: list[str] = []
        carry = ""
        for ws in per_line:
            if len(ws) == 1 and len(per_line) > 1 and not carry:
                carry = ws[0]
                continue
            merged.extend([carry + ws[0], *ws[1:]] if carry else ws)
            carry = ""
        flat = merged
    return flat if len(flat) == n + 1 else None


def words(line: str) -> list[str]:
    """Space-separated names, a parenthesis kept whole (`报告所述期间(12 个月)`), lone footnote letters dropped."""
    out: list[str] = []
    depth = 0
    for w in line.split():
        if depth:
            out[-1] += " " + w
        elif not re.fullmatch(r"[a-z]", w):
            out.append(w)
        depth += w.count("(") + w.count("（") - w.count(")") - w.count("）")
        depth = max(depth, 0)
    return [cell(w) for w in out]


def join_continued(lines: list[str]) -> list[str]:
    """Lines ending in a word that goes on (`2015 年 8 月至`) joined with the next."""
    return ["".join(g) if len(g) == 1 else " ".join(g) for g in continued_groups(lines)]


def columns(data: list[tuple[str, list[str]]]) -> int | None:
    """The number of value columns: the commonest value count of rows with a text label and no thousands
    groups to join."""
    counts = Counter(len(vals) for label, vals in data if label and not any(can_join(a, b) for a, b in pairwise(vals)))
    return counts.most_common(1)[0][0] if counts else None


def split_row(label: str, vals: list[str], n: int) -> tuple[str, list[str]]:
    """A data line as its label and n cells: all its value tokens when they make n cells, else the last n
    tokens (the rest is the label: `2017 3 2 1 3 2 1`)."""
    ways = segmentations(vals, n)
    if len(ways) == 1:
        return label, ways[0]
    head, tail = vals[: len(vals) - n], vals[len(vals) - n :]
    if len(ways) > 1 or len(vals) <= n or can_join(head[-1], tail[0]):
        raise NoGrid
    return " ".join([label, *head]).strip(), tail


class NoGrid(Exception):
    """The lines do not make one consistent grid."""


def parse_table(raw_lines: list[str]) -> Table:
    lines = [s.strip() for s in raw_lines if s.strip()]
    body = lines[: next((i for i, s in enumerate(lines) if NOTE_LINE.match(s)), len(lines))]
    data: dict[int, tuple[str, list[str]]] = {}
    for i, s in enumerate(body):
        tokens = s.split()
        if k := value_run(tokens):
            data[i] = (" ".join(tokens[: len(tokens) - k]), tokens[len(tokens) - k :])
    n = columns(list(data.values()))
    try:
        if n is None or len(data) < 2:
            raise NoGrid
        return grid(body, data, n)
    except NoGrid:
        return ()


def grid(body: list[str], data: dict[int, tuple[str, list[str]]], n: int) -> Table:
    first = min(data)
    before = body[:first]
    label_lines = 0
    if not data[first][0]:  # the first row's label is the last line (or continued lines) before it
        groups = continued_groups(before) or [[]]
        label_lines = len(groups[-1])
    header, start, repeat = find_header(before[: len(before) - label_lines], n)
    if header is None and not before:  # a unit cut from a longer table: its header comes after a page break
        header, _, repeat = find_header([s for i, s in enumerate(body) if i not in data], n, only_line=True)
    if header is None or (label_lines == 0 and not data[first][0]):
        raise NoGrid
    rows: list[tuple[str, ...]] = [tuple(header)]
    pending: list[str] = before[start:]
    for i in range(first, len(body)):
        if repeat is not None and re.sub(r"\s+", "", body[i]) == repeat:
            continue  # the header again after a page break
        if i not in data:
            pending.append(body[i])
            if len(pending) > MAX_LABEL_LINES:
                raise NoGrid
            continue
        label, cells = split_row(*data[i], n)
        if not label:
            label, pending = " ".join(pending), []
        elif pending:
            rows.append((cell(" ".join(pending)), *[""] * n))  # a group label
            pending = []
        if not label:
            raise NoGrid
        rows.append((cell(label), *map(cell, cells)))
    if pending:
        raise NoGrid
    return tuple(rows)


def continued_groups(lines: list[str]) -> list[list[str]]:
    """Lines grouped as `join_continued` joins them."""
    out: list[list[str]] = []
    for s in lines:
        if out and out[-1][-1].endswith(CONTINUES):
            out[-1].append(s)
        else:
            out.append([s])
    return out


def find_header(before: list[str], n: int, only_line: bool = False) -> tuple[list[str] | None, int, str | None]:
    """The header among the lines before the first row: the last line naming n + 1 columns (lines after it are
    group labels, lines before it a title), else all the lines as one header. Returns it, the index of the line
    after it, and that line squashed when the header is one line (a page break may print it again)."""
    for i in range(len(before) - 1, -1, -1):
        if len(words(before[i])) == n + 1 and not value_run(before[i].split()):
            return words(before[i]), i + 1, re.sub(r"\s+", "", before[i])
    return None if only_line else header_cells(before, n), len(before), None
