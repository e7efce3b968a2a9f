"""The four collections of one index in Milvus, named after the index (`ia_e5_1a2b3c4d5e_units`, …):

    units      one row per citable unit: its text (with the BM25 function over a jieba analyzer), our jieba
               tokens, the paragraph as JSON, and the document's metadata (document, symbol, number,
               language, date, origin) for filters that run inside the search
    pieces     one row per embedded piece of a unit: the vector, the unit it belongs to, the same metadata
    spans      one row per quotable span (sentence, short list, footnote): text, vector, unit, metadata
    documents  one row per document (its manifest entry and how many rows of each kind it has: written
               after those rows, so a half-written document is seen as such) and one `~index` row
               (embedder, dimension, build parameters)

Row keys are content ids: a unit's is its content hash (index/types.py), a piece's or span's the unit's
and its place in the unit, so ingesting the same text again upserts the same rows.
"""

from __future__ import annotations

from typing import Any, Literal

from index.lexical import EXTRA_WORDS, STOP

Kind = Literal["units", "pieces", "spans", "documents"]
KINDS: tuple[Kind, ...] = ("units", "pieces", "spans", "documents")
INDEX_ROW = "~index"
TEXT_MAX = 65_535  # a server counts VARCHAR lengths in UTF-8 bytes and allows at most this
META = (("doc_id", 512), ("lang", 16), ("date", 32), ("origin", 16))
# punctuation dropped from Milvus's analysis by a stop filter (lite ignores "removepunct"-style filters)
PUNCT = [*"，。、；：？！“”‘’（）《》〈〉【】—…·,.;:?!()[]\"'-/%", "——", "……"]
HNSW = {"M": 32, "efConstruction": 200}
IVF_LISTS = 1024
BM25_PARAMS = {"bm25_k1": 1.2, "bm25_b": 0.75}  # what bm25s uses (index/lexical.py)


def prefix(index_name: str) -> str:
    """`ia_e5_1a2b3c4d5e` for the index `e5-1a2b3c4d5e` (collection names take letters, digits and _)."""
    return "ia_" + "".join(c if c.isalnum() else "_" for c in index_name)


def analyzer() -> dict[str, Any]:
    """jieba with our lexicon's words and stop words. A server's jieba needs `_default_` in the dictionary to
    keep its own words (lite just adds it as a word); `lowercase` is what lite's jieba does unasked."""
    return {
        "tokenizer": {"type": "jieba", "dict": ["_default_", *EXTRA_WORDS], "mode": "search"},
        "filter": ["lowercase", {"type": "stop", "stop_words": sorted({*PUNCT, *STOP})}],
    }


def schema(kind: Kind, dim: int) -> Any:
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=512)
    if kind == "documents":
        s.add_field("seq", DataType.INT64)
        s.add_field("data", DataType.JSON)
        s.add_field("vector", DataType.FLOAT_VECTOR, dim=2)  # every collection needs a vector field
        return s
    for name, size in META:
        s.add_field(name, DataType.VARCHAR, max_length=size)
    s.add_field("ord", DataType.INT64)  # place in its document (units) or in its unit (pieces, spans)
    if kind == "units":
        s.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True, analyzer_params=analyzer())
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_function(
            Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                     output_field_names=["sparse"])
        )  # fmt: skip
        s.add_field("symbol", DataType.VARCHAR, max_length=512)
        s.add_field("number", DataType.VARCHAR, max_length=512)
        s.add_field("tokens", DataType.VARCHAR, max_length=TEXT_MAX)
        s.add_field("para", DataType.JSON)
        return s
    s.add_field("unit_id", DataType.VARCHAR, max_length=512)
    s.add_field("key", DataType.VARCHAR, max_length=64)  # the piece's or span's vector cache key
    if kind == "spans":
        s.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX)
    s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    return s


def index_params(client: Any, kind: Kind, dense: str) -> Any:
    """Build parameters nested under "params": pymilvus 3.0.2 otherwise sends them flat, and milvus-lite 3.2.2
    silently builds with its defaults (HNSW M=16, BM25 k1=1.5)."""
    ip = client.prepare_index_params()
    if kind == "documents":
        ip.add_index("vector", index_type="FLAT", metric_type="IP")
        return ip
    if kind == "units":
        ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params={"params": BM25_PARAMS})
    else:
        build = {"HNSW": HNSW, "IVF_FLAT": {"nlist": IVF_LISTS}}.get(dense, {})
        ip.add_index("vector", index_type=dense, metric_type="IP", params={"params": build})
        ip.add_index("unit_id", index_type="INVERTED")
    for name in ("doc_id", "lang"):
        ip.add_index(name, index_type="INVERTED")
    return ip


def search_params(dense: str, limit: int, ef: int, nprobe: int) -> dict[str, Any]:
    params = {"HNSW": {"ef": max(ef, limit)}, "IVF_FLAT": {"nprobe": nprobe}}.get(dense, {})
    return {"metric_type": "IP", "params": params}


def create(client: Any, name: str, kind: Kind, dim: int, dense: str) -> None:
    client.create_collection(name, schema=schema(kind, dim))
    # sync=False: pymilvus otherwise polls each index every 0.5 s until built (2 s a collection on lite)
    client.create_index(name, index_params(client, kind, dense), sync=False)
    client.load_collection(name)
