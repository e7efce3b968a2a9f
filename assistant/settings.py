"""One typed settings object, read from `INTEGRITY_*` environment variables and passed down explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTEGRITY_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where built indexes, uploads and feedback live.")
    corpus_dir: Path = Field(
        PACKAGE_ROOT / "corpus", description="The bundled corpus (with manifest.json) ingested by default."
    )
    index_path: Path | None = Field(
        None, description="Load this index folder instead of the one named after the configuration."
    )
    embedder: str = Field("e5", description="Embedder backend: `e5` (bundled) or `sentence-transformers`.")
    model_path: str | None = Field(
        None, description="Local model folder for the sentence-transformers embedder (never a hub name)."
    )
    embed_batch: int = Field(32, description="Passages embedded per batch.")
    max_chunk_chars: int = Field(
        360, description="Paragraphs longer than this are split at sub-paragraphs and sentence ends."
    )
    top_k: int = Field(10, description="Hits returned by retrieval.")
    candidates: int = Field(60, description="Candidates taken from each of the dense and lexical sides.")
    fusion: str = Field("weighted", description="Fusion of dense and lexical ranks: `weighted` or `rrf`.")
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
        "reporting on it) is ranked up; 0 ranks without regard to years. Tuned on the dev set.",
    )
    rrf_k: int = Field(60, description="The k constant of reciprocal-rank fusion.")
    glossary: bool = Field(True, description="Carry English question terms into Chinese for the lexical side.")
    refusal_threshold: float = Field(
        0.3, description="Evidence score under which the assistant says the documents do not answer."
    )
    answer_sentences: int = Field(4, description="Most sentences an extractive answer quotes.")
    span_dense_weight: float = Field(
        2.0,
        ge=0,
        description="Weight of meaning (span vector against query) beside word overlap when the "
        "extractive answer picks its sentences; 0 picks by word overlap alone. Tuned on the dev set.",
    )
    generator: str = Field("extractive", description="Answer generator: `extractive` or `openai`.")
    # --- the `openai` generator (issue 6): any OpenAI-compatible server (vLLM, Ollama, llama.cpp, hosted) ---
    openai_base_url: str | None = Field(
        None,
        description="Base URL of the OpenAI-compatible server, e.g. http://localhost:8000/v1 (vLLM) or "
        "http://localhost:11434/v1 (Ollama). Required for generator `openai`; there is no default host.",
    )
    openai_model: str | None = Field(None, description="Model name the server serves (required for `openai`).")
    openai_api_key: SecretStr | None = Field(
        None, description="Bearer key for the server, if it wants one (OPENAI_API_KEY is never read)."
    )
    openai_timeout: float = Field(
        30.0,
        description="Seconds to wait for the server (to connect, or between streamed pieces) before "
        "falling back to the extractive answer with a note.",
    )
    openai_max_retries: int = Field(0, description="Retries of a failed request, to the same server only.")
    openai_temperature: float = Field(0.0, description="Sampling temperature of the model.")
    openai_max_tokens: int = Field(700, description="Longest answer the model may write, in tokens.")
    openai_context: int = Field(8, description="Retrieved paragraphs given to the model, best first.")
    openai_condense: bool = Field(True, description="Let the model rewrite follow-up questions (rules on failure).")
    openai_unsupported: Literal["drop", "mark"] = Field(
        "drop", description="A model sentence its citations do not support: `drop` it, or `mark` it unverified."
    )
    verify_min_bigram: float = Field(
        0.45,
        description="Share of a Chinese sentence's character bigrams found in the cited paragraph that "
        "counts as support (tuned on the dev set: scripts/tune_verify.py).",
    )
    verify_min_cosine: float = Field(
        0.89,
        description="e5 cosine between a Chinese sentence and the cited paragraph that counts as support.",
    )
    verify_min_cosine_cross: float = Field(
        0.75,
        description="e5 cosine between a sentence in another language (English) and the cited Chinese "
        "paragraph that counts as support.",
    )
    verify_margin: float = Field(
        0.005,
        description="A cited paragraph's cosine may trail the best paragraph the model was given by at "
        "most this much (a citation of the wrong paragraph trails the right one).",
    )
    # --- end of the `openai` generator's settings ---
    # --- limits on what one request may ask of the server (issue 11) ---
    max_question_chars: int = Field(2000, ge=1, description="Longest question accepted, in characters.")
    max_history_items: int = Field(
        20, ge=0, description="Most earlier turns a question may carry (`history` of POST /api/ask, the CLI chat)."
    )
    max_history_item_chars: int = Field(
        2400,
        ge=1,
        description="Longest earlier turn (a standalone query) accepted, and longest query a follow-up may be "
        "made into, in characters.",
    )
    max_doc_filters: int = Field(50, ge=1, description="Most documents one question may be restricted to.")
    max_request_bytes: int = Field(
        512 * 1024,
        ge=1024,
        description="Largest request body the web server reads (JSON routes, gradio's queue), in bytes; larger "
        "ones get 413 before they are parsed. Uploads are limited by max_upload_mb and max_upload_files.",
    )
    max_upload_mb: float = Field(
        20.0, gt=0, description="Largest document accepted for ingestion (and by the web server's upload), in MB."
    )
    max_upload_files: int = Field(10, ge=1, description="Most files one web upload may carry.")
    # --- limits on what a document may hold (issue 11: archive bombs, endless text) ---
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
    admin_password: SecretStr | None = Field(
        None, description="Unlocks upload and removal in the web chat's library tab; unset or empty: read-only."
    )
    admin_max_failures: int = Field(
        5, ge=1, description="Wrong admin passwords from one client address before it is locked out."
    )
    admin_lockout_s: int = Field(
        300,
        ge=1,
        description="Seconds a client is locked out after too many wrong admin passwords (and the window in which "
        "they are counted); even the right password is refused meanwhile.",
    )
    session_idle_s: int = Field(
        1800, ge=60, description="Seconds after its last question that a web chat session's conversation is dropped."
    )
    max_session_turns: int = Field(
        20, ge=1, description="Turns a web chat session keeps; older ones are dropped from the conversation."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names the web server answers besides loopback and the --host it listens on (the "
        "public name behind a reverse proxy), comma-separated; any other Host header gets 400 (DNS rebinding).",
    )
    feedback_db: Path | None = Field(
        None, description="SQLite file for feedback sent from the web chat (default: DATA_DIR/feedback.sqlite3)."
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, v: Any) -> Any:
        return [h.strip() for h in v.split(",") if h.strip()] if isinstance(v, str) else v

    @property
    def index_root(self) -> Path:
        return self.data_dir / "indexes"

    @property
    def uploads_dir(self) -> Path:
        """Where the web library keeps the files it ingests (a rebuild reads them again)."""
        return self.data_dir / "uploads"
