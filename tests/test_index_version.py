"""The index is named after INDEX_VERSION, which must change exactly when what the parser, chunker and tokenizer
make of the documents changes: the bundled corpus's output is hashed and compared with the recorded fingerprint."""

from __future__ import annotations

import hashlib
import json

from assistant.settings import PACKAGE_ROOT
from index.build import INDEX_VERSION, OUTPUT_FINGERPRINT
from index.chunk import pieces, unit_spans, units
from index.lexical import tokenize
from index.parse import parse
from index.read import describe, load_manifest, read_text

CORPUS = PACKAGE_ROOT / "corpus"
MAX_CHARS = 360  # the default chunk size; another size names another index anyway


def fingerprint() -> str:
    h = hashlib.sha256()
    manifest = load_manifest(CORPUS)
    for f in sorted(CORPUS.glob("*.txt")):
        text = read_text(f)
        for u in units(parse(text, describe(f, text, manifest.get(f.name))), MAX_CHARS):
            row = [u.key, u.text, u.heading, u.footnotes, u.table, tokenize(u.searchable()), pieces(u, MAX_CHARS)]
            row.append(unit_spans(u))
            h.update(json.dumps(row, ensure_ascii=False).encode())
    return h.hexdigest()[:12]


def test_the_index_version_names_what_the_code_makes_of_the_corpus() -> None:
    got = fingerprint()
    assert got == OUTPUT_FINGERPRINT, (
        f"the parser, chunker or tokenizer now makes other units of the corpus (fingerprint {got}, recorded "
        f"{OUTPUT_FINGERPRINT} for INDEX_VERSION {INDEX_VERSION}): bump INDEX_VERSION in index/build.py and set "
        "OUTPUT_FINGERPRINT to the new value, so that existing indexes are rebuilt rather than reused"
    )
