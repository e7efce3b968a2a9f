"""The years a document reports on: from its titles and the sentence stating its reporting period. A paragraph of
the Ethics Office's 2020 report is about 2020 though it may name only 2019, the year it compares with."""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.text import YEAR
from index.types import Document, Paragraph

PERIOD = re.compile(  # the document's own reporting period, as its summary states it
    r"本报告(?:所述)?期间为\s*((?:19|20)\d{2})|this report covers the period[^.;]{0,30}?((?:19|20)\d{2})", re.I
)


def period_years(documents: dict[str, Document], units: Iterable[Paragraph]) -> dict[str, set[str]]:
    """Each document's reporting years (document id -> years as strings)."""
    years = {d: set(YEAR.findall(f"{doc.title} {doc.title_en}")) for d, doc in documents.items()}
    for p in units:
        years.setdefault(p.doc_id, set()).update(y for m in PERIOD.finditer(p.text) for y in m.groups() if y)
    return years
