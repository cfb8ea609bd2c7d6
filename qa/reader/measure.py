"""Measure the reader on held-out reading-comprehension passages.

Two measurements: given the gold paragraph (``gold_paragraph_scores``), and in an open corpus
(``write_open_corpus`` writes the held-out passages as a corpus folder plus QA pairs, for
``qa build`` + ``qa eval``, so retrieval and reading are scored together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.evaluate import char_f1, exact_match
from qa.reader.data import MrcExample
from qa.reader.reader import Reader
from qa.records import Chunk, Hit, OffsetMap

__all__ = ["GoldScores", "gold_paragraph_scores", "write_open_corpus"]


@dataclass(frozen=True, slots=True)
class GoldScores:
    questions: int
    exact_match: float
    f1: float


def _passage_hit(example: MrcExample) -> Hit:
    text = example.context
    chunk = Chunk(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        source=example.group,
        article_id=example.group,
        title=None,
        date=None,
        text=text,
        start=0,
        end=len(text),
        quote=text,
        offsets=OffsetMap.from_positions(list(range(len(text)))),
    )
    return Hit(chunk=chunk, score=1.0, rank=1)


def gold_paragraph_scores(*, reader: Reader, examples: Sequence[MrcExample]) -> GoldScores:
    """Return EM and character F1 of the reader's best span, given each gold paragraph."""
    em = f1 = 0.0
    for example in examples:
        proposals = reader.read(question=example.question, hits=[_passage_hit(example)], top_k=1)
        prediction = proposals[0].text if proposals else ""
        em += exact_match(prediction=prediction, golds=example.answers)
        f1 += char_f1(prediction=prediction, golds=example.answers)
    n = max(len(examples), 1)
    return GoldScores(questions=len(examples), exact_match=em / n, f1=f1 / n)


def write_open_corpus(*, examples: Sequence[MrcExample], out: Path) -> tuple[Path, Path]:
    """Write each distinct passage as a text file and the questions as QA pairs; return both."""
    corpus = out / "passages"
    corpus.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for example in examples:
        if example.context not in names:
            name = f"p{len(names):04d}.txt"
            names[example.context] = name
            (corpus / name).write_text(example.context + "\n", encoding="utf-8")
    pairs = out / "qa.jsonl"
    with pairs.open("w", encoding="utf-8") as handle:
        for example in examples:
            start, end = example.answer_start or 0, example.answer_end or 0
            row = {
                "id": example.id,
                "question": example.question,
                "answers": list(example.answers),
                "source": names[example.context],
                "evidence": example.context[max(0, start - 8) : end + 8].replace("\n", ""),
                "type": "entity",
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return corpus, pairs
