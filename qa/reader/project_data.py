"""The project's own QA pairs -> reading-comprehension examples over retrieved chunks.

Each pair is retrieved as the service would; the chunk that holds its evidence and answer
becomes a positive example, and retrieved chunks that do not hold the answer (all of them,
for an unanswerable question) become no-answer examples. Written as SQuAD 2.0 JSON, so the
trainer reads them like any other data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from qa.answer.reading import follow_up_question
from qa.evaluate import QAPair, gold_hit_rank
from qa.records import Hit

__all__ = ["NEGATIVES_PER_QUESTION", "pairs_to_squad"]

NEGATIVES_PER_QUESTION = 2  # retrieved chunks without the answer, per question


def _answer_span(hit: Hit, pair: QAPair) -> tuple[int, str] | None:
    """Return where a gold answer sits in the hit, inside the pair's evidence when it can tell."""
    text = hit.chunk.text
    evidence = pair.evidence.strip()
    region = (0, len(text))
    at = text.find(evidence) if evidence else -1
    if at >= 0:
        region = (at, at + len(evidence))
    for gold in pair.answers:
        start = text.find(gold, region[0], region[1])
        if start >= 0 and (at >= 0 or text.count(gold) == 1):
            return start, gold
    return None


def pairs_to_squad(
    *,
    pairs: Sequence[QAPair],
    retrieve: Callable[..., list[Hit]],
    out: Path,
    name: str,
) -> dict[str, int]:
    """Write ``pairs`` as SQuAD 2.0 paragraphs over retrieved chunks; return counts.

    ``retrieve(question, history=...)`` is the service's retrieval (``Pipeline.retrieve``).
    """
    paragraphs = []
    positives = negatives = 0
    for pair in pairs:
        hits = retrieve(pair.question, history=pair.history)
        question = follow_up_question(pair.question, pair.history)
        found = False
        kept_negatives = 0
        for hit in hits:
            holds = pair.answerable and gold_hit_rank(hits=[hit], pair=pair) is not None
            if holds and not found:
                span = _answer_span(hit, pair)
                if span is None:
                    continue  # the answer's place in this chunk is ambiguous: teach nothing
                start, gold = span
                answers = [{"text": gold, "answer_start": start}]
                found = True
                positives += 1
            elif not holds and kept_negatives < NEGATIVES_PER_QUESTION:
                answers = []
                kept_negatives += 1
                negatives += 1
            else:
                continue
            paragraphs.append(
                {
                    "context": hit.chunk.text,
                    "qas": [
                        {
                            "id": f"{pair.id}:{hit.chunk.id}",
                            "question": question,
                            "answers": answers,
                            "is_impossible": not answers,
                        }
                    ],
                }
            )
    articles = [{"title": f"{name}:{i}", "paragraphs": [p]} for i, p in enumerate(paragraphs)]
    data = {"version": "v2.0", "data": articles}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return {"positives": positives, "negatives": negatives}
