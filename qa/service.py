"""The service seen by the CLI, the API and the evaluation: ask, search, documents, health.

``QAService`` is the seam: tests of the API and the evaluation can pass any object with
these methods; ``qa.pipeline.Pipeline`` is the real one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.errors import BadQuestionError
from qa.records import Answer, Hit

__all__ = ["ArticleSpan", "Document", "Health", "QAService", "validate_question"]


def validate_question(question: object, *, max_chars: int, what: str = "question") -> str:
    """Return the stripped question, or raise BadQuestionError saying what is wrong."""
    if not isinstance(question, str):
        raise BadQuestionError(f"The {what} must be text.")
    stripped = question.strip()
    if not stripped:
        raise BadQuestionError(f"The {what} is empty: send some text, e.g. 山西有多少5G基站？")
    if len(stripped) > max_chars:
        raise BadQuestionError(
            f"The {what} has {len(stripped)} characters; the limit is {max_chars}. "
            "Ask a shorter question."
        )
    return stripped


@dataclass(frozen=True, slots=True)
class ArticleSpan:
    """Where one article sits in its raw source file."""

    id: str
    title: str | None
    date: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """A raw source file and the articles cut from it."""

    source: str
    raw: str
    articles: tuple[ArticleSpan, ...]


@dataclass(frozen=True, slots=True)
class Health:
    """Index state for ``/health`` and ``qa build`` reports."""

    index_dir: str
    built_at: str
    sources: int
    articles: int
    chunks: int
    dense: bool  # dense retrieval in use for queries
    model: str  # configured embedding model
    dense_note: str | None  # why dense retrieval is off, in plain words


class QAService(Protocol):
    """What the front ends need from the pipeline."""

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer ``question``; ``history`` holds earlier user turns, oldest first."""
        ...

    def search(self, query: str, *, k: int) -> list[Hit]:
        """Return the top ``k`` chunks for ``query``."""
        ...

    def document(self, source: str) -> Document:
        """Return a source file's raw text and article spans; KeyError when unknown."""
        ...

    def health(self) -> Health:
        """Describe the loaded index."""
        ...
