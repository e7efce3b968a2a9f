"""The persisted index: units, pieces, FAISS vectors, quotable-span vectors, lexical tokens and a manifest.

The folder is named after a hash of what built it (embedder, parser version, chunking, tokenizer). How it
lies on disk, so that a save killed at any instant leaves a loadable index, is `index.disk`; each file's
sha256 is in the manifest (and the manifest's in the pointer), checked at load.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from index import disk, planted
from index.errors import DataDirError, IndexCorruptError, IndexMismatchError
from index.types import Document, Paragraph, content_hash

FORMAT = 1
DOCUMENT_FIELDS = {f.name for f in fields(Document)}


def span_id(embedder_name: str, text: str) -> str:
    """The key of a quotable span's vector: the same text shares one vector across units and builds."""
    return content_hash(embedder_name, "span", text)


def index_name(embedder_name: str, parser_version: str, max_chars: int, tokenizer: str) -> str:
    slug = embedder_name.split(":", maxsplit=1)[0]
    return f"{slug}-{content_hash(embedder_name, parser_version, str(max_chars), tokenizer, str(FORMAT), size=10)}"


def document_from(d: dict[str, Any]) -> Document:
    """A Document from its manifest entry; an index written before documents had an origin gets one guessed
    from what it recorded (uploads live in an `uploads` folder; the corpus manifest gives a source)."""
    d = {k: v for k, v in d.items() if k in DOCUMENT_FIELDS}
    if "origin" not in d:
        folder = Path(str(d.get("path", ""))).parent.name
        d["origin"] = "uploaded" if folder == "uploads" else "bundled" if d.get("source") != "uploaded" else "ingested"
    return Document(**d)


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
    flagged: dict[int, str] = field(default_factory=dict)  # unit position -> planted-instruction rule (index.planted)

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
        """A new version beside the current one, switched in by one atomic rename (`index.disk`)."""
        try:
            self._save(folder)
        except OSError as e:
            raise DataDirError.about(folder.parent, e) from e

    def _save(self, folder: Path) -> None:
        import faiss

        tmp = disk.begin(folder)
        faiss.write_index(self.faiss_index(), str(tmp / "vectors.faiss"))
        with (tmp / "units.jsonl").open("w", encoding="utf-8") as f:
            for u, toks in zip(self.units, self.unit_tokens, strict=True):
                f.write(json.dumps({**u.to_dict(), "tokens": toks}, ensure_ascii=False) + "\n")
        with (tmp / "pieces.jsonl").open("w", encoding="utf-8") as f:
            for unit, pid in zip(self.piece_unit, self.piece_ids, strict=True):
                f.write(json.dumps({"unit": unit, "id": pid}) + "\n")
        np.save(tmp / "spans.npy", np.ascontiguousarray(self.span_vectors, dtype=np.float32))
        (tmp / "spans.json").write_text(json.dumps(self.span_ids), "utf-8")
        documents = {k: asdict(d) for k, d in self.documents.items()}
        manifest = {
            "format": FORMAT,
            "embedder": self.embedder,
            "dim": self.dim,
            "build": self.build,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": {"units": len(self.units), "pieces": len(self.piece_ids), "spans": len(self.span_ids)},
            "documents": documents,
            "flagged": {"rules": planted.RULES_VERSION, "units": sorted(self.flagged.items())},
        }
        disk.commit(folder, tmp, manifest, documents)

    @classmethod
    def load(cls, folder: Path, expect_embedder: str | None = None) -> Store:
        """The index in `folder`; a writer's switch while it is read is retried on the new version."""
        version, sha = disk.locate(folder)
        for _ in range(2):
            try:
                return cls._load(folder, version, sha, expect_embedder)
            except IndexCorruptError:  # unless a writer switched versions (and removed this one) meanwhile
                again = disk.locate(folder)
                if again[0] == version:
                    raise
                version, sha = again
        return cls._load(folder, version, sha, expect_embedder)

    @classmethod
    def _load(cls, slot: Path, folder: Path, manifest_sha: str | None, expect_embedder: str | None) -> Store:
        import faiss

        fix = disk.FIX
        try:
            disk.check(folder, "manifest.json", manifest_sha)
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
            if expect_embedder and manifest["embedder"] != expect_embedder:
                raise IndexMismatchError(
                    f"the index at {slot} was built with embedder '{manifest['embedder']}', not "
                    f"'{expect_embedder}'; {fix}"
                )
            sums = manifest["files"] if folder != slot else manifest.get("files")  # the earlier layout had none
            for name in disk.FILES[:-1]:
                disk.check(folder, name, sums[name] if sums else None)
            units, tokens = [], []
            for line in (folder / "units.jsonl").read_text("utf-8").splitlines():
                d = json.loads(line)
                tokens.append(d.pop("tokens"))
                units.append(Paragraph.from_dict(d))
            pieces = [json.loads(x) for x in (folder / "pieces.jsonl").read_text("utf-8").splitlines()]
            index = faiss.read_index(str(folder / "vectors.faiss"))
            vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, manifest["dim"]))
            documents = {k: document_from(d) for k, d in manifest["documents"].items()}
            span_ids = json.loads((folder / "spans.json").read_text("utf-8"))
            span_vectors = np.load(folder / "spans.npy", allow_pickle=False)
            flags = manifest.get("flagged", {})
            flagged = {int(i): str(r) for i, r in flags.get("units", [])}
        except (IndexMismatchError, IndexCorruptError):
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as e:
            raise IndexCorruptError(f"the index at {slot} is unreadable ({type(e).__name__}: {e}); {fix}") from e
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
            raise IndexCorruptError(f"the index at {slot} is inconsistent (counts differ); {fix}")
        if flags.get("rules") != planted.RULES_VERSION:  # flagged by other rules (or none): flag again
            flagged = planted.flag_units(units)
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
            flagged=flagged,
        )
