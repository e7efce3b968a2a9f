"""The few domain errors; the CLI and UI turn each into one line that says what to do."""

from __future__ import annotations


class IntegrityError(Exception):
    """Base: the message names the problem and the fix."""


class InputError(IntegrityError):
    """Bad user input: a missing, empty, binary or unsupported file, an over-long question."""


class IndexMissingError(IntegrityError):
    """No index has been built for this configuration yet."""


class IndexMismatchError(IntegrityError):
    """The index on disk was built by another embedder, parser or chunking."""


class IndexCorruptError(IntegrityError):
    """An index file is unreadable or inconsistent."""


class DataDirError(IntegrityError):
    """The data folder (or the index folder) cannot be written: read-only, not a folder, no space."""

    @classmethod
    def about(cls, folder: object, e: OSError) -> DataDirError:
        return cls(
            f"cannot write to {folder} ({e.strerror or type(e).__name__}); make it writable, or point "
            "INTEGRITY_DATA_DIR at a folder you can write to."
        )


class StoreUnavailableError(IntegrityError):
    """The store cannot be opened: a milvus-lite folder held by another process, a Milvus server that does
    not answer or refuses the token."""
