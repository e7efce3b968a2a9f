"""A `Store` to Milvus rows and back: pure functions over plain data (no connection here).

`rows_of(store)` gives every row of the four collections keyed by its content id; `store_of(rows)` makes the
same `Store` again (units in document order, pieces and spans in unit order), so the assistant above the
store reads the same units, tokens and vectors whichever store it runs on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from index import planted
from index.chunk import unit_spans
from index.errors import IndexCorruptError
from index.milvus.schema import INDEX_ROW, Kind
from index.store import FORMAT, Store, document_from, span_id
from index.types import Paragraph

Row = dict[str, Any]
VECTOR_FIELDS = ("vector",)


@dataclass
class Rows:
    """Every row of one store, by collection and content id."""

    units: dict[str, Row] = field(default_factory=dict)
    pieces: dict[str, Row] = field(default_factory=dict)
    spans: dict[str, Row] = field(default_factory=dict)
    documents: dict[str, Row] = field(default_factory=dict)

    def of(self, kind: Kind) -> dict[str, Row]:
        table: dict[str, Row] = getattr(self, kind)
        return table


def unit_keys(store: Store) -> list[str]:
    """Each unit's row id: its content id, with `~2`, `~3` on a repeat (two units of one document can carry
    the same number and text)."""
    seen: dict[str, int] = {}
    out = []
    for u in store.units:
        n = seen[u.id] = seen.get(u.id, 0) + 1
        out.append(u.id if n == 1 else f"{u.id}~{n}")
    return out


def meta(store: Store, doc_id: str) -> Row:
    d = store.documents[doc_id]
    return {"doc_id": doc_id, "lang": d.language, "date": d.date or "", "origin": d.origin}


def rows_of(store: Store) -> Rows:
    out = Rows()
    keys = unit_keys(store)
    spans = {sid: i for i, sid in enumerate(store.span_ids)}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"units": 0, "pieces": 0, "spans": 0})
    piece_ord: dict[int, int] = defaultdict(int)
    metas = {k: meta(store, k) for k in store.documents}
    for u, key, toks in zip(store.units, keys, store.unit_tokens, strict=True):
        c = counts[u.doc_id]
        out.units[key] = {
            "id": key, **metas[u.doc_id], "ord": c["units"], "text": u.searchable(), "tokens": " ".join(toks),
            "symbol": store.documents[u.doc_id].symbol or "", "number": u.number, "para": u.to_dict(),
        }  # fmt: skip
        c["units"] += 1
        for n, text in enumerate(unit_spans(u)):
            sid = span_id(store.embedder, text)
            out.spans[f"{key}-s{n}"] = {
                "id": f"{key}-s{n}", **metas[u.doc_id], "ord": n, "unit_id": key, "key": sid, "text": text,
                "vector": store.span_vectors[spans[sid]],
            }  # fmt: skip
            c["spans"] += 1
    for row, (pos, pid) in enumerate(zip(store.piece_unit, store.piece_ids, strict=True)):
        u, key = store.units[pos], keys[pos]
        n = piece_ord[pos]
        piece_ord[pos] += 1
        out.pieces[f"{key}-p{n}"] = {
            "id": f"{key}-p{n}", **metas[u.doc_id], "ord": n, "unit_id": key, "key": pid, "vector": store.vectors[row],
        }  # fmt: skip
        counts[u.doc_id]["pieces"] += 1
    for seq, (doc_id, d) in enumerate(store.documents.items()):
        out.documents[doc_id] = {"id": doc_id, "seq": seq, "data": {"document": asdict(d), "counts": counts[doc_id]}}
    out.documents[INDEX_ROW] = {
        "id": INDEX_ROW, "seq": -1,
        "data": {"format": FORMAT, "embedder": store.embedder, "dim": store.dim, "build": store.build},
    }  # fmt: skip
    for r in out.documents.values():
        r["vector"] = [1.0, 0.0]
    return out


def same(a: Row, b: Row) -> bool:
    """Whether two rows hold the same fields apart from the vector (a content id fixes its vector)."""
    return {k: v for k, v in a.items() if k not in VECTOR_FIELDS} == {
        k: v for k, v in b.items() if k not in VECTOR_FIELDS
    }


def incomplete(rows: Rows) -> list[str]:
    """Documents whose rows are not all there (an ingest stopped between writing rows and their document)."""
    have: dict[str, dict[str, int]] = defaultdict(lambda: {"units": 0, "pieces": 0, "spans": 0})
    for kind in ("units", "pieces", "spans"):
        for r in rows.of(kind).values():
            have[r["doc_id"]][kind] += 1
    return [k for k, r in rows.documents.items() if k != INDEX_ROW and have[k] != r["data"]["counts"]]


def store_of(rows: Rows, where: str) -> Store:
    """The Store the rows hold; rows of documents with no document row (an unfinished ingest) are left out."""
    info = rows.documents[INDEX_ROW]["data"]
    if info.get("format") != FORMAT:
        raise IndexCorruptError(f"the Milvus store at {where} has format {info.get('format')}, not {FORMAT}; "
                                "rebuild it with `integrity ingest --rebuild`.")  # fmt: skip
    docs = sorted((r for k, r in rows.documents.items() if k != INDEX_ROW), key=lambda r: r["seq"])
    store = Store(embedder=info["embedder"], dim=int(info["dim"]), build=info["build"])
    store.documents = {r["id"]: document_from(r["data"]["document"]) for r in docs}
    by_doc: dict[str, list[Row]] = defaultdict(list)
    for r in rows.units.values():
        by_doc[r["doc_id"]].append(r)
    keys: dict[str, int] = {}
    for doc_id in store.documents:
        for r in sorted(by_doc[doc_id], key=lambda r: r["ord"]):
            keys[r["id"]] = len(store.units)
            store.units.append(Paragraph.from_dict(r["para"]))
            store.unit_tokens.append(r["tokens"].split(" ") if r["tokens"] else [])
    pieces = sorted(
        (r for r in rows.pieces.values() if r["unit_id"] in keys), key=lambda r: (keys[r["unit_id"]], r["ord"])
    )
    store.piece_unit = [keys[r["unit_id"]] for r in pieces]
    store.piece_ids = [r["key"] for r in pieces]
    store.vectors = matrix([r["vector"] for r in pieces], store.dim)
    span_rows: dict[str, Any] = {}
    for r in sorted(
        (r for r in rows.spans.values() if r["unit_id"] in keys), key=lambda r: (keys[r["unit_id"]], r["ord"])
    ):
        span_rows.setdefault(r["key"], r["vector"])
    store.span_ids = list(span_rows)
    store.span_vectors = matrix(list(span_rows.values()), store.dim)
    store.flagged = planted.flag_units(store.units)
    return store


def in_unit_order(table: dict[str, Row], units: dict[str, int]) -> list[Row]:
    """The rows of known units, by unit position and then their place in the unit."""
    return sorted((r for r in table.values() if r["unit_id"] in units), key=lambda r: (units[r["unit_id"]], r["ord"]))


def matrix(vectors: list[Any], dim: int) -> np.ndarray:
    if not vectors:
        return np.zeros((0, dim), dtype=np.float32)
    return np.asarray(vectors, dtype=np.float32).reshape(len(vectors), dim)


def fields(kind: Kind) -> list[str]:
    """What a load reads back of each collection (never the BM25 sparse vectors)."""
    return {
        "units": ["id", "doc_id", "lang", "date", "origin", "ord", "text", "tokens", "symbol", "number", "para"],
        "pieces": ["id", "doc_id", "lang", "date", "origin", "ord", "unit_id", "key", "vector"],
        "spans": ["id", "doc_id", "lang", "date", "origin", "ord", "unit_id", "key", "text", "vector"],
        "documents": ["id", "seq", "data", "vector"],
    }[kind]
