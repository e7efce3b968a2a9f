"""One typed settings object, read from `INTEGRITY_*` environment variables and passed down explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTEGRITY_", extra="ignore")

    data_dir: Path = Field(
        Path("data"), description="Where built indexes, uploads and feedback live."
    )
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
    rrf_k: int = Field(60, description="The k constant of reciprocal-rank fusion.")
    glossary: bool = Field(True, description="Carry English question terms into Chinese for the lexical side.")
    refusal_threshold: float = Field(
        0.4, description="Evidence score under which the assistant says the documents do not answer."
    )
    answer_sentences: int = Field(4, description="Most sentences an extractive answer quotes.")
    generator: str = Field("extractive", description="Answer generator: `extractive` or `openai`.")
    max_question_chars: int = Field(2000, description="Longest question accepted, in characters.")
    max_upload_mb: float = Field(20.0, description="Largest document accepted for ingestion, in MB.")
    admin_password: SecretStr | None = Field(
        None, description="Unlocks upload and removal in the web chat's library tab; unset or empty: read-only."
    )
    feedback_db: Path | None = Field(
        None, description="SQLite file for feedback sent from the web chat (default: DATA_DIR/feedback.sqlite3)."
    )

    @property
    def index_root(self) -> Path:
        return self.data_dir / "indexes"
