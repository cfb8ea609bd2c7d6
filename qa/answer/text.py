"""Split a chunk's clean text into sentences and clauses, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "Span", "paren_spans", "quote_spans", "split_sentences"]

# A sentence ends at a full stop, question or exclamation mark, or a semicolon: press
# releases chain independent statements with semicolons.
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n+")
# Clauses are cut at commas and colons; the enumeration comma 、 stays inside a clause.
_CLAUSE_END = re.compile(r"[，,：:]")
_DATELINE = re.compile(r"\d{1,2}\s?日\s?(?:讯|电)(?:\s?[（(][^）)]{0,40}[）)])?")
_FIGURE_TAIL = "月日号年时点分万亿元%％个户家人名项条:：.．"
_OPEN = "（(【["
BODY_LINE = 20  # characters: a shorter line without an end mark is a heading
_CLOSE = "）)】]"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``start:end`` of the chunk's clean text."""

    start: int
    end: int

    def contains(self, start: int, end: int) -> bool:
        """Return True when ``start:end`` lies inside this span."""
        return self.start <= start and end <= self.end


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its clauses, all as offsets into the chunk's clean text."""

    span: Span
    clauses: tuple[Span, ...]
    paragraph: int  # sentences of one paragraph share it; a line break starts a new one

    def clause_index(self, position: int) -> int:
        """Return the index of the clause holding ``position``."""
        for i, clause in enumerate(self.clauses):
            if clause.start <= position < clause.end:
                return i
        return len(self.clauses) - 1


def _clauses(text: str, start: int, end: int) -> tuple[Span, ...]:
    spans: list[Span] = []
    cursor = start
    # A dateline (新华社北京8月7日电（记者…）) ends a clause of its own.
    datelines = {m.end() for m in _DATELINE.finditer(text, start, end)}
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if i + 1 in datelines and i + 1 > cursor:
            spans.append(Span(cursor, i + 1))
            cursor = i + 1
            continue
        if depth == 0 and _CLAUSE_END.match(ch):
            # A comma between digits is a thousands separator, not a clause break.
            if (
                ch == ","
                and 0 < i < len(text) - 1
                and text[i - 1].isdigit()
                and text[i + 1].isdigit()
            ):
                continue
            if i > cursor:
                spans.append(Span(cursor, i + 1))
            cursor = i + 1
    if end > cursor:
        spans.append(Span(cursor, end))
    return tuple(spans) or (Span(start, end),)


def _broken_line(text: str, start: int, end: int) -> bool:
    """Return True when a line break falls inside a figure or a sentence.

    11月1\n日 and 9:00—\n17:00 break a figure; 营收增长\n\n10%以上 breaks a body sentence
    (a line with clause punctuation that stops mid-word before a figure), not a heading.
    """
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before.isdigit() and (after.isdigit() or after in _FIGURE_TAIL):
        return True
    if before in "—-~～至到" and after.isdigit():
        return True
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return (
        "\u4e00" <= before <= "\u9fff"
        and after.isdigit()
        and len(line) >= BODY_LINE
        and bool(_CLAUSE_END.search(line))
    )


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` with their clauses, offsets into ``text``."""
    sentences: list[Sentence] = []
    cursor = 0
    paragraph = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0).startswith("\n") and _broken_line(text, match.start(), match.end()):
            continue
        end = match.end()
        if end > cursor and text[cursor:end].strip():
            sentences.append(Sentence(Span(cursor, end), _clauses(text, cursor, end), paragraph))
        if "\n" in match.group(0):
            paragraph += 1
        cursor = end
    if cursor < len(text) and text[cursor:].strip():
        sentences.append(
            Sentence(Span(cursor, len(text)), _clauses(text, cursor, len(text)), paragraph)
        )
    return sentences


def paren_spans(text: str) -> list[Span]:
    """Return the spans inside round or square brackets (brackets included)."""
    spans: list[Span] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            start = stack.pop()
            if not stack:
                spans.append(Span(start, i + 1))
    return spans


def quote_spans(text: str) -> list[Span]:
    """Return the spans inside Chinese double quotes (quotes included)."""
    spans: list[Span] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if ch == "“":
            start = i
        elif ch == "”" and start is not None:
            spans.append(Span(start, i + 1))
            start = None
    return spans
