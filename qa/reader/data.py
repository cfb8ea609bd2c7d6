"""Reading-comprehension data (SQuAD format) -> labelled training windows.

No-answer examples are made two ways: windows of the question's own passage that do not hold
the answer, and the question paired with another passage of the same source file.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.e5 import E5Tokenizer, Encoding
from qa.reader.windows import Window, make_windows

__all__ = [
    "HELD_OUT_PERCENT",
    "LabelledWindow",
    "MrcExample",
    "is_held_out",
    "read_squad",
    "training_windows",
]

HELD_OUT_PERCENT = 8  # of passages (whole articles), kept out of training for measurement
OWN_NEGATIVE_KEEP = 0.5  # share of answerless windows of the question's own passage kept
OTHER_PASSAGE_NEGATIVE = 0.3  # chance a question is also paired with another passage


@dataclass(frozen=True, slots=True)
class MrcExample:
    """One question over one passage; ``answer_start is None`` when the passage lacks it."""

    id: str
    question: str
    context: str
    answer_start: int | None
    answer_end: int | None
    group: str  # "<file>:<article index>", the unit of the held-out split
    answers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelledWindow:
    window: Window
    start: int  # token position of the answer start; 0 (``<s>``) for no answer
    end: int


def is_held_out(group: str) -> bool:
    """Return whether a passage group belongs to the held-out split (a stable hash)."""
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def read_squad(path: Path) -> list[MrcExample]:
    """Read a SQuAD-format file into examples, one per question (first answer as the label)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    examples = []
    for article_index, article in enumerate(data):
        group = f"{path.name}:{article_index}"
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = qa.get("answers") or []
                start: int | None = None
                end: int | None = None
                if answers:
                    start = int(answers[0]["answer_start"])
                    end = start + len(answers[0]["text"])
                    if context[start:end] != answers[0]["text"]:
                        continue  # a misaligned label teaches the wrong span
                elif not qa.get("is_impossible"):
                    continue  # neither an answer nor SQuAD 2.0's "this passage lacks it"
                examples.append(
                    MrcExample(
                        id=str(qa["id"]),
                        question=qa["question"],
                        context=context,
                        answer_start=start,
                        answer_end=end,
                        group=group,
                        answers=tuple(dict.fromkeys(a["text"] for a in answers)),
                    )
                )
    return examples


def _label(window: Window, example: MrcExample) -> LabelledWindow:
    if example.answer_start is None or example.answer_end is None:
        return LabelledWindow(window=window, start=0, end=0)
    positions = window.answer_positions(start=example.answer_start, end=example.answer_end)
    if positions is None:
        return LabelledWindow(window=window, start=0, end=0)
    return LabelledWindow(window=window, start=positions[0], end=positions[1])


def training_windows(
    *, examples: Sequence[MrcExample], tokenizer: E5Tokenizer, seed: int
) -> list[LabelledWindow]:
    """Build the labelled windows of ``examples`` with made no-answer windows, shuffled."""
    rng = random.Random(seed)
    encodings: dict[str, Encoding] = {}
    contexts_by_file: dict[str, list[str]] = {}
    for example in examples:
        contexts_by_file.setdefault(example.group.split(":")[0], []).append(example.context)
    out: list[LabelledWindow] = []
    for example in examples:
        encoding = encodings.get(example.context)
        if encoding is None:
            encoding = encodings[example.context] = tokenizer.encode(example.context)
        question_encoding = tokenizer.encode(example.question)
        for window in make_windows(
            tokenizer=tokenizer,
            question=example.question,
            question_encoding=question_encoding,
            passage=example.context,
            passage_encoding=encoding,
        ):
            labelled = _label(window, example)
            own_negative = labelled.start == 0 and example.answer_start is not None
            if own_negative and rng.random() > OWN_NEGATIVE_KEEP:
                continue
            out.append(labelled)
        if example.answer_start is not None and rng.random() < OTHER_PASSAGE_NEGATIVE:
            pool = contexts_by_file[example.group.split(":")[0]]
            other = pool[rng.randrange(len(pool))]
            if all(answer not in other for answer in example.answers):
                window = make_windows(
                    tokenizer=tokenizer,
                    question=example.question,
                    question_encoding=question_encoding,
                    passage=other,
                )[0]
                out.append(LabelledWindow(window=window, start=0, end=0))
    rng.shuffle(out)
    return out


def split_examples(
    examples: Iterable[MrcExample],
) -> tuple[list[MrcExample], list[MrcExample]]:
    """Return (training, held-out) examples, split by whole passage groups."""
    train: list[MrcExample] = []
    held: list[MrcExample] = []
    for example in examples:
        (held if is_held_out(example.group) else train).append(example)
    return train, held
