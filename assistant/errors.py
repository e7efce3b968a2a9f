"""The few domain errors; the CLI and UI turn each into one line that says what to do."""


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


class QuestionSetError(IntegrityError):
    """A malformed evaluation question file (names the line and field)."""
