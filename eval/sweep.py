"""Compare answer paths on QA pairs and choose the reader's decision thresholds.

    python eval/sweep.py dump PAIRS.jsonl [--index I --seeds S] [--reader R] --out rows.jsonl
    python eval/sweep.py grid rows.jsonl [rows2.jsonl ...]

``dump`` runs retrieval and the reader once per question and stores the verified reader
options with their scores and the rule-based answerer's pick; ``grid`` scores the rules
alone, the reader alone and the joint decision over a grid of thresholds from those rows,
so a choice made on development data needs no second model run. The chosen values live in
qa/answer/reading.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

from qa.answer import Answerer
from qa.answer.reading import READ_HITS, ReadingAnswerer
from qa.config import get_settings
from qa.evaluate import char_f1, exact_match, load_pairs, normalize_answer
from qa.pipeline import Pipeline
from qa.reader.reader import load_reader
from qa.tokenize import ChineseTokenizer


def dump(args: argparse.Namespace) -> None:
    settings = get_settings().with_overrides(index_dir=args.index, seeds_dir=args.seeds)
    rules = Answerer(tokenize=ChineseTokenizer().tokens)
    reader = load_reader(weights_path=args.reader, int8=args.int8)
    reading = ReadingAnswerer(reader=reader, rules=rules, read_hits=args.read_hits)
    pipeline = Pipeline.load(settings=settings, seeds_dir=args.seeds, answerer=rules)
    with Path(args.out).open("w", encoding="utf-8") as out:
        for pair in load_pairs(path=Path(args.pairs)):
            hits = pipeline.retrieve(pair.question, history=pair.history)
            found = reading.proposals(question=pair.question, hits=hits, history=pair.history)
            row = {
                "id": pair.id,
                "answers": list(pair.answers),
                "rules": found.rules_pick,
                "options": [[o.text, round(o.score, 3)] for o in found.options],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def decide(row: dict[str, Any], *, below: float, agreed_below: float, top: int) -> str | None:
    # agreed_below=-99 is what ReadingAnswerer does (agreement answers at any margin);
    # the other values are kept in the grid to show the alternative.
    """Return the joint path's answer for one dumped row (mirrors ReadingAnswerer.answer)."""
    options = row["options"]
    pick = row["rules"]
    if pick is not None:
        wanted = normalize_answer(pick)
        for text, score in options[:top]:
            if normalize_answer(text) == wanted:
                return text if score >= agreed_below else None
    if options and options[0][1] >= below:
        return str(options[0][0])
    return None


def score(rows: list[dict[str, Any]], got: list[str | None]) -> dict[str, float]:
    em = f1 = 0.0
    declined = right_declines = unanswerable = 0
    for row, answer in zip(rows, got, strict=True):
        golds = row["answers"]
        unanswerable += not golds
        if answer is None:
            declined += 1
            right_declines += not golds
            em += not golds
            f1 += not golds
        elif golds:
            hit = exact_match(prediction=answer, golds=golds)
            em += hit
            f1 += max(float(hit), char_f1(prediction=answer, golds=golds))
    n = max(len(rows), 1)
    return {
        "em": round(em / n, 3),
        "f1": round(f1 / n, 3),
        "decline_p": round(right_declines / declined, 3) if declined else math.nan,
        "decline_r": round(right_declines / unanswerable, 3) if unanswerable else math.nan,
    }


def grid(args: argparse.Namespace) -> None:
    sets = {path: [json.loads(line) for line in Path(path).open()] for path in args.rows}
    for path, rows in sets.items():
        print(path, len(rows), "rules alone", score(rows, [r["rules"] for r in rows]))
    for below in (-3.0, -2.0, -1.0, 0.0, 1.0):
        cells = []
        for rows in sets.values():
            got = [
                r["rules"]
                if r["rules"] is not None
                else (r["options"][0][0] if r["options"] and r["options"][0][1] >= below else None)
                for r in rows
            ]
            s = score(rows, got)
            cells.append(f"{s['em']:.3f} {s['f1']:.3f} {s['decline_p']:.2f}/{s['decline_r']:.2f}")
        print(f"rules first, then reader >= {below:+.1f} | " + " | ".join(cells))
    print("below agreed top | " + " | ".join(Path(p).stem for p in sets))
    for below, agreed, top in itertools.product(
        (-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0),
        (-99.0, -5.0, -3.0, -2.0, -1.0),
        (0, 1, 3, 5),
    ):
        if top == 0 and agreed != -99.0:
            continue  # top 0 is the reader alone: agreement thresholds do not apply
        cells = []
        for rows in sets.values():
            got = [decide(r, below=below, agreed_below=agreed, top=top) for r in rows]
            s = score(rows, got)
            cells.append(f"{s['em']:.3f} {s['f1']:.3f} {s['decline_p']:.2f}/{s['decline_r']:.2f}")
        print(f"{below:+.1f} {agreed:+.1f} {top} | " + " | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("dump")
    p.add_argument("pairs")
    p.add_argument("--index", type=Path)
    p.add_argument("--seeds", type=Path)
    p.add_argument("--reader", type=Path)
    p.add_argument("--out", required=True)
    p.add_argument("--read-hits", type=int, default=READ_HITS)
    p.add_argument("--int8", action="store_true", help="dynamic int8 linear layers")
    p.set_defaults(func=dump)
    p = sub.add_parser("grid")
    p.add_argument("rows", nargs="+")
    p.set_defaults(func=grid)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
