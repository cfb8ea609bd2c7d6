"""Command line: qa build | search | ask | chat | eval | serve.

The only module (with api.py) that reads arguments, the environment and paths.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from qa.config import Settings, get_settings
from qa.errors import QAError
from qa.records import Answer
from qa.serialize import answer_to_json, display_quote, hit_to_json

if TYPE_CHECKING:  # the pipeline pulls in the index stack: load it only when a command needs it
    from qa.pipeline import Pipeline

__all__ = ["main"]

BOLD, MARK, RESET = "\033[1m", "\033[7m", "\033[0m"


def _settings(args: argparse.Namespace) -> Settings:
    return get_settings().with_overrides(
        index_dir=getattr(args, "index", None), seeds_dir=getattr(args, "seeds", None)
    )


def _lines(value: str, stdin: TextIO) -> Iterator[str]:
    """Yield the one query given, or one per non-empty stdin line for "-"."""
    if value != "-":
        yield value
        return
    for line in stdin:
        if stripped := line.strip():
            yield stripped


def _load_pipeline(args: argparse.Namespace) -> Pipeline:
    from qa.pipeline import Pipeline

    return Pipeline.load(settings=_settings(args), seeds_dir=getattr(args, "seeds", None))


# ---------------------------------------------------------------- commands


def cmd_build(args: argparse.Namespace) -> int:
    from qa.pipeline import build_index

    settings = _settings(args)
    report = build_index(
        seeds_dir=settings.seeds_dir,
        index_dir=settings.index_dir,
        model=settings.model,
        progress=sys.stderr.isatty(),
    )
    for name, reason in report.skipped:
        print(f"skipped {name}: {reason}")
    dense = f"on ({report.model})" if report.dense else f"off: {report.dense_note}"
    print(
        f"built {report.index_dir}: {report.files} files, {report.articles} articles, "
        f"{report.chunks} chunks, dense {dense}, {report.seconds:.1f}s"
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    pipeline = _load_pipeline(args)
    for query in _lines(args.query, sys.stdin):
        hits = pipeline.search(query, k=args.k)
        if args.json:
            print(
                json.dumps(
                    {"query": query, "hits": [hit_to_json(h) for h in hits]}, ensure_ascii=False
                )
            )
            continue
        print(f"# {query}")
        for hit in hits:
            c = hit.chunk
            print(
                f"{hit.rank}. [{hit.score:.4f}] {c.title or '(无标题)'} ({c.date or '日期不详'}) "
                f"{c.source}:{c.start}-{c.end}"
            )
            print(f"   {c.text}")
    return 0


def render_answer(answer: Answer, *, color: bool, explain: bool = False) -> str:
    """Return the answer for people: bold answer, its date, numbered sources."""
    bold, end_bold, mark, end_mark = (
        (BOLD, RESET, MARK, RESET) if color else ("**", "**", "【", "】")
    )
    lines = []
    if answer.text is None:
        lines.append("资料中没有找到答案。(The articles do not say.)")
        if answer.closest:
            lines.append("最相关的段落 (closest passages):")
    else:
        date = f"（截至 {answer.as_of}）" if answer.as_of else ""
        lines.append(f"{bold}{answer.text}{end_bold}{date}  置信度 {answer.confidence:.2f}")
    for n, citation in enumerate((*answer.citations, *answer.closest), start=1):
        quote = display_quote(citation.quote)
        if answer.text and answer.text in quote:
            quote = quote.replace(answer.text, f"{mark}{answer.text}{end_mark}", 1)
        lines.append(
            f"[{n}] {citation.title or '(无标题)'}（{citation.date or '日期不详'}）"
            f"{citation.source}:{citation.start}-{citation.end}"
        )
        lines.append(f"    {quote}")
    for alternative in answer.alternatives:
        where = alternative.citations[0] if alternative.citations else None
        source = f" {where.source}:{where.start}-{where.end}" if where else ""
        lines.append(f"  另有说法: {alternative.text}（{alternative.as_of or '日期不详'}）{source}")
    if explain:
        lines.extend(f"  · {line}" for line in answer.explanation)
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    pipeline = _load_pipeline(args)
    color = sys.stdout.isatty()
    as_json = args.json or args.question == "-"
    for question in _lines(args.question, sys.stdin):
        try:
            answer = pipeline.ask(question)
        except QAError as error:
            if args.question != "-":
                raise
            print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False))
            continue
        if as_json:
            print(json.dumps(answer_to_json(answer, explain=args.explain), ensure_ascii=False))
        else:
            print(render_answer(answer, color=color, explain=args.explain))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    pipeline = _load_pipeline(args)
    history: list[str] = []
    print("问吧（空行退出）。Ask away; an empty line quits.")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = pipeline.ask(question, history=history)
        except QAError as error:
            print(f"error: {error}")
            continue
        print(render_answer(answer, color=sys.stdout.isatty()))
        history.append(question)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from qa.evaluate import run_eval_command

    pipeline = _load_pipeline(args)
    return run_eval_command(
        service=pipeline,
        raw_source=lambda source: pipeline.document(source).raw,
        path=Path(args.path),
        as_json=args.json,
        out=Path(args.out) if args.out else None,
        check=Path(args.check) if args.check else None,
        stdout=sys.stdout,
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from qa.api import serve

    serve(service=_load_pipeline(args), host=args.host, port=args.port)
    return 0


def _mrc_files(paths: Sequence[str]) -> tuple[Path, ...]:
    files = tuple(
        sorted(f for p in map(Path, paths) for f in (p.glob("*.json") if p.is_dir() else [p]))
    )
    if not files:
        raise QAError(f"no SQuAD-format .json files in {', '.join(paths)}; pass --data DIR")
    return files


def cmd_train_reader(args: argparse.Namespace) -> int:
    from qa.reader.train import TrainConfig, train_reader

    config = TrainConfig(
        data=_mrc_files(args.data),
        extra_data=tuple(args.extra_data),
        extra_repeats=args.extra_repeats,
        init=args.init,
        out=args.out,
        steps=args.steps,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        warmup_steps=args.warmup,
        checkpoint_every=args.checkpoint_every,
        seed=args.seed,
        threads=args.threads,
    )
    path = train_reader(config)
    print(f"reader weights: {path} (copy it and its .json to qa/reader/weights/ to ship it)")
    return 0


def cmd_reader_data(args: argparse.Namespace) -> int:
    from qa.evaluate import load_pairs
    from qa.reader.project_data import pairs_to_squad

    pipeline = _load_pipeline(args)
    pairs = [pair for path in args.pairs for pair in load_pairs(path=Path(path))]
    counts = pairs_to_squad(
        pairs=pairs, retrieve=pipeline.retrieve, out=args.out, name=args.out.stem
    )
    print(json.dumps({"pairs": len(pairs), **counts, "out": str(args.out)}))
    return 0


def cmd_mrc_corpus(args: argparse.Namespace) -> int:
    from qa.reader.data import read_squad, split_examples
    from qa.reader.measure import write_open_corpus

    examples = [e for path in _mrc_files(args.data) for e in read_squad(path)]
    _, held_out = split_examples(examples)
    corpus, pairs = write_open_corpus(examples=held_out, out=args.out)
    print(f"{len(held_out)} held-out questions: corpus {corpus}, QA pairs {pairs}")
    return 0


def cmd_eval_reader(args: argparse.Namespace) -> int:
    from qa.reader.data import read_squad, split_examples
    from qa.reader.measure import gold_paragraph_scores
    from qa.reader.reader import load_reader

    examples = [e for path in _mrc_files(args.data) for e in read_squad(path)]
    _, held_out = split_examples(examples)
    held_out = held_out[: args.limit] if args.limit else held_out
    reader = load_reader(weights_path=args.weights)
    scores = gold_paragraph_scores(reader=reader, examples=held_out)
    print(
        json.dumps(
            {
                "questions": scores.questions,
                "em": round(scores.exact_match, 4),
                "f1": round(scores.f1, 4),
            },
        )
    )
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="qa", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_index(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--index", type=Path, help="index directory (default: index/ or QA_INDEX_DIR)"
        )
        p.add_argument("--seeds", type=Path, help="corpus folder to check freshness against")
        return p

    p = with_index(sub.add_parser("build", help="build the index from a folder of .txt/.md files"))
    p.set_defaults(func=cmd_build)

    p = with_index(sub.add_parser("search", help="show the passages retrieved for a query"))
    p.add_argument("query", help='the query, or "-" to read one per line from stdin')
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.set_defaults(func=cmd_search)

    p = with_index(sub.add_parser("ask", help="answer a question with citations"))
    p.add_argument("question", help='the question, or "-" to read one per line (JSON out)')
    p.add_argument("--json", action="store_true")
    p.add_argument("--explain", action="store_true", help="show why the answer won")
    p.set_defaults(func=cmd_ask)

    p = with_index(sub.add_parser("chat", help="ask questions and follow-ups interactively"))
    p.set_defaults(func=cmd_chat)

    p = with_index(sub.add_parser("eval", help="evaluate on QA pairs (JSONL)"))
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", help="write a report (.html or .md)")
    p.add_argument("--check", help="baseline JSON; exit 1 when a quality metric drops")
    p.set_defaults(func=cmd_eval)

    p = with_index(sub.add_parser("serve", help="run the web service"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("train-reader", help="fine-tune the span reader (resumable)")
    p.add_argument("--data", nargs="+", default=["../shared/mrc"], help="SQuAD-format files/dirs")
    p.add_argument("--out", type=Path, default=Path("runs/reader"), help="checkpoints and logs")
    p.add_argument("--extra-data", type=Path, nargs="*", default=[], help="used whole (no split)")
    p.add_argument("--extra-repeats", type=int, default=1)
    p.add_argument("--init", type=Path, help="reader.npz to start from")
    p.add_argument("--steps", type=int, default=1800)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=150)
    p.add_argument("--checkpoint-every", type=int, default=100)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=2)
    p.set_defaults(func=cmd_train_reader)

    p = with_index(
        sub.add_parser("reader-data", help="QA pairs -> reader training data over retrieved chunks")
    )
    p.add_argument("pairs", nargs="+", help="QA pair files (JSONL) over the index's corpus")
    p.add_argument("--out", type=Path, required=True, help="SQuAD 2.0 JSON to write")
    p.set_defaults(func=cmd_reader_data)

    p = sub.add_parser("mrc-corpus", help="write the held-out MRC passages as a corpus + QA pairs")
    p.add_argument("--data", nargs="+", default=["../shared/mrc"])
    p.add_argument("--out", type=Path, default=Path("eval/mrc_heldout"))
    p.set_defaults(func=cmd_mrc_corpus)

    p = sub.add_parser("eval-reader", help="reader EM/F1 on held-out passages, gold paragraph")
    p.add_argument("--data", nargs="+", default=["../shared/mrc"])
    p.add_argument("--weights", type=Path, help="reader.npz (default: the shipped one)")
    p.add_argument("--limit", type=int, default=0, help="first N held-out questions only")
    p.set_defaults(func=cmd_eval_reader)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``qa`` command line."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on the network for a model
    try:
        return int(args.func(args))
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
