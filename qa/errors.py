"""The one error tree of the project. Each message says how to fix the problem.

    QAError
    ├── SeedError               a corpus folder or file cannot be used
    ├── IndexError_             the index on disk cannot be served
    │   ├── IndexMissingError   no index built yet
    │   └── IndexStaleError     corpus or model changed since the build
    ├── ModelUnavailableError   the embedding model cannot be loaded offline
    └── BadQuestionError        empty, too long, or not text

"Declined to answer" is not an error: it is ``Answer.text is None``.
"""

from __future__ import annotations

__all__ = [
    "BadQuestionError",
    "IndexError_",
    "IndexMissingError",
    "IndexStaleError",
    "ModelUnavailableError",
    "QAError",
    "SeedError",
]


class QAError(Exception):
    """Base of every error this package raises on purpose."""


class SeedError(QAError):
    """A corpus folder or file cannot be used."""


class IndexError_(QAError):
    """The index on disk cannot be served."""


class IndexMissingError(IndexError_):
    """No index has been built at the given directory."""


class IndexStaleError(IndexError_):
    """The corpus or the model changed since the index was built."""


class ModelUnavailableError(QAError):
    """The embedding model cannot be loaded without the network."""


class BadQuestionError(QAError):
    """The question is empty, too long, or not text."""
