"""Ingestion: files to a saved Store, re-embedding only pieces whose text is new."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.chunk import pieces, unit_spans, units
from index.embed import Embedder
from index.errors import InputError
from index.lexical import tokenize
from index.limits import Limits
from index.parse import parse
from index.planted import flag_units
from index.read import SUPPORTED, describe, load_manifest, read_text
from index.settings import IndexSettings
from index.store import Store, index_name, span_id
from index.types import Document, Paragraph, content_hash

Progress = Callable[[int, int], None]
TOKENIZER = "jieba"
# What an index holds besides the embedder's vectors is what the reader, parser, chunker and tokenizer make of
# the documents. INDEX_VERSION names that output: it is part of the index name, so a new version builds a new
# index. It is bumped by hand, deliberately, when the output changes -- never by a comment or a refactor, as a
# hash of the source files would. OUTPUT_FINGERPRINT is a hash of that output on the bundled corpus (units, their
# tables, tokens, pieces and quotable spans); tests/test_index_version.py recomputes it, so a change of output without a
# new version (and a new fingerprint) fails the tests.
INDEX_VERSION = "6"
OUTPUT_FINGERPRINT = "d8ed4bd7b8b5"


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0
    reused: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named; a missing path is an error."""
    out: list[Path] = []
    for p in paths:
        if not p.exists():
            raise InputError("no_such_path", path=p)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in SUPPORTED and f.name != "README.md")
            if not found:
                raise InputError("no_documents_here", path=p, kinds=", ".join(SUPPORTED))
            out.extend(found)
        else:
            out.append(p)
    return out


def origin_of(path: Path, settings: IndexSettings) -> str:
    """Where a document came from, by where its file lies: the bundled corpus, the web's uploads, or elsewhere."""
    p = path.resolve()
    if p.is_relative_to(settings.corpus_dir.resolve()):
        return "bundled"
    if p.is_relative_to(settings.uploads_dir.resolve()):
        return "uploaded"
    return "ingested"


def read_document(path: Path, settings: IndexSettings) -> tuple[Document, list[Paragraph]]:
    path = path.absolute()  # recorded in the Document: a rebuild finds the file again from any folder
    text = read_text(path, settings.max_upload_mb, Limits.of(settings))
    meta = load_manifest(path.parent).get(path.name)
    doc = replace(describe(path, text, meta), origin=origin_of(path, settings))
    paragraphs = parse(text, doc)
    if not paragraphs:
        raise InputError("no_paragraphs", name=path.name)
    return doc, paragraphs


def build_settings(settings: IndexSettings, embedder: Embedder) -> dict[str, object]:
    return {
        "name": index_name(embedder.name, INDEX_VERSION, settings.max_chunk_chars, TOKENIZER),
        "version": INDEX_VERSION,
        "max_chunk_chars": settings.max_chunk_chars,
        "tokenizer": TOKENIZER,
    }


def index_folder(settings: IndexSettings, embedder_name: str) -> Path:
    if settings.index_path:
        return settings.index_path
    return settings.index_root / index_name(embedder_name, INDEX_VERSION, settings.max_chunk_chars, TOKENIZER)


def pick(docs: dict[str, Document], name: str) -> list[str]:
    """The one document `name` names (its id, else its symbol or label); an error when none or several do."""
    if name in docs:
        return [name]
    match = [k for k, d in docs.items() if name in (d.symbol, d.label)]
    if not match:
        raise InputError("no_document", name=name)
    if len(match) > 1:
        listed = "; ".join(f"{k} ({docs[k].title}, {docs[k].origin}, {docs[k].path})" for k in match)
        raise InputError("ambiguous_document", name=name, n=len(match), listed=listed, first=match[0])
    return match


def clashes(docs: dict[str, Document], new: Document) -> list[Document]:
    """Documents in the library that `new` would pose as: another one printing its symbol or carrying its
    name, or one with its file name from another source (a bundled report and an upload named like it)."""
    out = []
    for k, d in docs.items():
        if k == new.doc_id:
            if d.origin != new.origin:
                out.append(d)
        elif d.label.casefold() == new.label.casefold() or (new.symbol is not None and d.symbol == new.symbol):
            out.append(d)
    return out


def refusal(path: Path, new: Document, old: Document) -> InputError:
    fields = {"name": path.name, "old": old.doc_id, "origin": old.origin, "title": old.title}
    if old.doc_id == new.doc_id:
        return InputError("poses_file_name", **fields)
    if new.symbol is not None and old.symbol == new.symbol:
        return InputError("poses_symbol", symbol=new.symbol, **fields)
    return InputError("poses_label", label=new.label, **fields)


def build(
    paths: Iterable[Path],
    settings: IndexSettings,
    embedder: Embedder,
    existing: Store | None = None,
    remove: Iterable[str] = (),
    progress: Progress | None = None,
    replace_docs: bool = False,
) -> tuple[Store, BuildReport]:
    """The new Store: existing documents kept, given files added or updated, `remove` dropped.

    A file that would pose as a document already there (`clashes`) is refused, or takes its place when
    `replace_docs`."""
    report = BuildReport()
    params = build_settings(settings, embedder)
    if existing is not None and existing.build != params:
        existing = None  # built otherwise: nothing reusable but the cache below
    docs: dict[str, tuple[Document, list[Paragraph] | None]] = {}
    if existing is not None:
        for doc_id, doc in existing.documents.items():
            docs[doc_id] = (doc, None)
    for path in expand_paths(paths):
        doc, paras = read_document(path, settings)
        for other in clashes({k: d for k, (d, _) in docs.items()}, doc):
            if not replace_docs:
                raise refusal(path, doc, other)
            if other.doc_id != doc.doc_id:
                docs.pop(other.doc_id)
                report.removed.append(other.doc_id)
                report.added = [k for k in report.added if k != other.doc_id]
        old = docs.get(doc.doc_id)
        if old is not None and (old[0].sha256, old[0].origin, old[0].path) == (doc.sha256, doc.origin, doc.path):
            report.unchanged.append(doc.doc_id)
            continue
        (report.updated if old is not None else report.added).append(doc.doc_id)
        docs[doc.doc_id] = (doc, paras)
    for name in remove:
        for k in pick({k: d for k, (d, _) in docs.items()}, name):
            docs.pop(k)
            report.removed.append(k)
    if existing is not None and not report.changed:
        return existing, report

    cache = existing.cached_vectors() if existing is not None else {}
    store = Store(embedder=embedder.name, dim=embedder.dim, build=params)
    span_rows: dict[str, int] = {}
    texts: dict[str, str] = {}  # id to text of every piece and span
    for doc_id, (doc, parsed) in docs.items():
        store.documents[doc_id] = doc
        if parsed is None:  # unchanged: take its units from the old store
            assert existing is not None
            doc_units = [
                (u, t) for u, t in zip(existing.units, existing.unit_tokens, strict=True) if u.doc_id == doc_id
            ]
        else:
            doc_units = [(u, tokenize(u.searchable())) for u in units(parsed, settings.max_chunk_chars)]
        for unit, toks in doc_units:
            store.units.append(unit)
            store.unit_tokens.append(toks)
            for text in pieces(unit, settings.max_chunk_chars):
                store.piece_unit.append(len(store.units) - 1)
                store.piece_ids.append(content_hash(embedder.name, text))
                texts[store.piece_ids[-1]] = text
            for text in unit_spans(unit):
                sid = span_id(embedder.name, text)
                span_rows.setdefault(sid, len(span_rows))
                texts[sid] = text
    store.flagged = flag_units(store.units)
    store.span_ids = list(span_rows)
    vectors = embed_missing(store.piece_ids + store.span_ids, texts, cache, embedder, settings.embed_batch, progress)
    store.vectors, store.span_vectors = vectors[: len(store.piece_ids)], vectors[len(store.piece_ids) :]
    report.embedded = len({i for i in texts if i not in cache})
    report.reused = len(store.piece_ids) + len(store.span_ids) - report.embedded
    return store, report


def embed_missing(
    ids: list[str],
    texts: dict[str, str],
    cache: dict[str, np.ndarray],
    embedder: Embedder,
    batch: int,
    progress: Progress | None,
) -> np.ndarray:
    """One vector per id: from the cache, or embedded (as a passage, once per distinct id)."""
    todo = list(dict.fromkeys(i for i in ids if i not in cache))
    fresh: dict[str, np.ndarray] = {}
    batch = max(1, batch)
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        fresh.update(zip(chunk, embedder.embed_batch([texts[i] for i in chunk], "passage"), strict=True))
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    out = np.zeros((len(ids), embedder.dim), dtype=np.float32)
    for row, i in enumerate(ids):
        out[row] = cache[i] if i in cache else fresh[i]
    return out
