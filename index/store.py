"""The persisted index: units, pieces, FAISS vectors, quotable-span vectors, lexical tokens and a manifest.

The folder is named after a hash of what built it (embedder, parser version, chunking, tokenizer) and
is written to a temporary folder and renamed into place, so a reader never sees half an index.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from assistant.types import Document, Paragraph, content_hash

FORMAT = 1


def span_id(embedder_name: str, text: str) -> str:
    """The key of a quotable span's vector: the same text shares one vector across units and builds."""
    return content_hash(embedder_name, "span", text)


def index_name(embedder_name: str, parser_version: str, max_chars: int, tokenizer: str) -> str:
    slug = embedder_name.split(":", maxsplit=1)[0]
    return f"{slug}-{content_hash(embedder_name, parser_version, str(max_chars), tokenizer, str(FORMAT), size=10)}"


@dataclass
class Store:
    """Everything retrieval needs, in memory; `save` and `load` move it to and from disk."""

    embedder: str
    dim: int
    build: dict[str, Any]
    documents: dict[str, Document] = field(default_factory=dict)
    units: list[Paragraph] = field(default_factory=list)
    unit_tokens: list[list[str]] = field(default_factory=list)
    piece_unit: list[int] = field(default_factory=list)
    piece_ids: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    span_ids: list[str] = field(default_factory=list)  # `span_id` of each row of span_vectors
    span_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def cached_vectors(self) -> dict[str, np.ndarray]:
        """Piece and span id to vector: what a rebuild can reuse instead of embedding again."""
        return {
            **{pid: self.vectors[i] for i, pid in enumerate(self.piece_ids)},
            **{sid: self.span_vectors[i] for i, sid in enumerate(self.span_ids)},
        }

    def faiss_index(self) -> Any:
        import faiss

        index = faiss.IndexFlatIP(self.dim)
        if len(self.vectors):
            index.add(np.ascontiguousarray(self.vectors, dtype=np.float32))
        return index

    # -- disk -------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import faiss

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        faiss.write_index(self.faiss_index(), str(tmp / "vectors.faiss"))
        with open(tmp / "units.jsonl", "w", encoding="utf-8") as f:
            for u, toks in zip(self.units, self.unit_tokens, strict=True):
                f.write(json.dumps({**u.to_dict(), "tokens": toks}, ensure_ascii=False) + "\n")
        with open(tmp / "pieces.jsonl", "w", encoding="utf-8") as f:
            for unit, pid in zip(self.piece_unit, self.piece_ids, strict=True):
                f.write(json.dumps({"unit": unit, "id": pid}) + "\n")
        np.save(tmp / "spans.npy", np.ascontiguousarray(self.span_vectors, dtype=np.float32))
        (tmp / "spans.json").write_text(json.dumps(self.span_ids), "utf-8")
        manifest = {
            "format": FORMAT,
            "embedder": self.embedder,
            "dim": self.dim,
            "build": self.build,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": {"units": len(self.units), "pieces": len(self.piece_ids), "spans": len(self.span_ids)},
            "documents": {k: asdict(d) for k, d in self.documents.items()},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, expect_embedder: str | None = None) -> Store:
        import faiss

        mf = folder / "manifest.json"
        if not mf.exists():
            raise IndexMissingError(f"no index at {folder}; build it with `integrity ingest`.")
        fix = "rebuild it with `integrity ingest --rebuild`."
        try:
            manifest = json.loads(mf.read_text("utf-8"))
            if expect_embedder and manifest["embedder"] != expect_embedder:
                raise IndexMismatchError(
                    f"the index at {folder} was built with embedder '{manifest['embedder']}', not "
                    f"'{expect_embedder}'; {fix}"
                )
            units, tokens = [], []
            for line in (folder / "units.jsonl").read_text("utf-8").splitlines():
                d = json.loads(line)
                tokens.append(d.pop("tokens"))
                units.append(Paragraph.from_dict(d))
            pieces = [json.loads(x) for x in (folder / "pieces.jsonl").read_text("utf-8").splitlines()]
            index = faiss.read_index(str(folder / "vectors.faiss"))
            vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, manifest["dim"]))
            documents = {k: Document(**d) for k, d in manifest["documents"].items()}
            span_ids = json.loads((folder / "spans.json").read_text("utf-8"))
            span_vectors = np.load(folder / "spans.npy", allow_pickle=False)
        except IndexMismatchError:
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
            raise IndexCorruptError(f"the index at {folder} is unreadable ({type(e).__name__}: {e}); {fix}") from e
        counts = manifest.get("counts", {})
        if (
            len(units) != counts.get("units")
            or len(pieces) != counts.get("pieces")
            or vectors.shape[0] != len(pieces)
            or (pieces and vectors.shape[1] != manifest["dim"])
            or any(not 0 <= p["unit"] < len(units) for p in pieces)
            or len(span_ids) != counts.get("spans")
            or span_vectors.shape[0] != len(span_ids)
            or (span_ids and span_vectors.shape[1] != manifest["dim"])
        ):
            raise IndexCorruptError(f"the index at {folder} is inconsistent (counts differ); {fix}")
        return cls(
            embedder=manifest["embedder"],
            dim=manifest["dim"],
            build=manifest["build"],
            documents=documents,
            units=units,
            unit_tokens=tokens,
            piece_unit=[p["unit"] for p in pieces],
            piece_ids=[p["id"] for p in pieces],
            vectors=np.asarray(vectors, dtype=np.float32),
            span_ids=span_ids,
            span_vectors=np.asarray(span_vectors, dtype=np.float32),
        )
