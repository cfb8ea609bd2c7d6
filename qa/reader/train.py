"""Fine-tune the span reader: seeded, logged as JSON lines, resumable from checkpoints.

``qa train-reader --out DIR`` writes ``DIR/checkpoint.pt`` every ``checkpoint_every`` steps
and ``DIR/reader.npz`` (the shippable fp16 tensors); run it again with the same ``--out`` and
it continues from the last checkpoint with the same data order.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from qa.e5 import E5Tokenizer, load_e5
from qa.encoder import E5Encoder
from qa.reader.data import LabelledWindow, read_squad, split_examples, training_windows
from qa.reader.model import (
    SpanReaderModel,
    batch_tensors,
    load_trained_state,
    save_reader_weights,
)

__all__ = ["TrainConfig", "train_reader", "train_step"]


@dataclass(frozen=True, slots=True)
class TrainConfig:
    data: tuple[Path, ...]  # SQuAD files, split into training and held-out passages
    out: Path
    extra_data: tuple[Path, ...] = ()  # SQuAD files used whole for training (project pairs)
    extra_repeats: int = 1  # how many times the extra data is seen per epoch of the rest
    init: Path | None = None  # reader.npz to start from (a second, shorter stage)
    steps: int = 1800
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup_steps: int = 100  # about 7% of a default run
    weight_decay: float = 0.01
    checkpoint_every: int = 50  # about 4 minutes on two cores
    log_every: int = 10
    seed: int = 13
    threads: int = 2


def _learning_rate(config: TrainConfig, step: int) -> float:
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    remaining = max(config.steps - step, 0) / max(config.steps - config.warmup_steps, 1)
    return config.learning_rate * remaining


def train_step(
    *, model: SpanReaderModel, optimizer: torch.optim.Optimizer, batch: Sequence[LabelledWindow]
) -> float:
    """Run one optimisation step on ``batch``; return its loss."""
    ids, mask, allowed = batch_tensors([item.window for item in batch])
    starts = torch.tensor([item.start for item in batch])
    ends = torch.tensor([item.end for item in batch])
    start_logits, end_logits = model(ids, mask, allowed)
    loss = (F.cross_entropy(start_logits, starts) + F.cross_entropy(end_logits, ends)) / 2
    optimizer.zero_grad(set_to_none=True)
    loss.backward()  # type: ignore[no-untyped-call]
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], max_norm=1.0)
    optimizer.step()
    return float(loss.detach())


def train_reader(config: TrainConfig) -> Path:
    """Train (or resume training) and return the path of the shippable weights."""
    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    config.out.mkdir(parents=True, exist_ok=True)
    log_path = config.out / "train.log.jsonl"
    weights = load_e5()
    tokenizer = E5Tokenizer(weights=weights)
    examples = [example for path in config.data for example in read_squad(path)]
    train, held = split_examples(examples)
    extra = [example for path in config.extra_data for example in read_squad(path)]
    train += extra * config.extra_repeats
    windows = training_windows(examples=train, tokenizer=tokenizer, seed=config.seed)
    model = SpanReaderModel(encoder=E5Encoder(weights=weights))
    if config.init is not None:
        model.load_state_dict(load_trained_state(config.init), strict=False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        trainable, lr=config.learning_rate, weight_decay=config.weight_decay
    )
    checkpoint = config.out / "checkpoint.pt"
    step = 0
    if checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"], strict=False)
        optimizer.load_state_dict(saved["optimizer"])
        step = int(saved["step"])
    meta = {
        "config": {k: str(v) for k, v in asdict(config).items()},
        "train_questions": len(train),
        "extra_questions": len(extra),
        "held_out_questions": len(held),
        "train_windows": len(windows),
    }
    _log(log_path, {"event": "start", "step": step, **meta})
    model.train()
    started = time.perf_counter()
    losses: list[float] = []
    per_epoch = math.ceil(len(windows) / config.batch_size)
    while step < config.steps:
        epoch, offset = divmod(step, per_epoch)
        order = list(range(len(windows)))
        random.Random(config.seed + epoch).shuffle(order)
        batch = [windows[i] for i in order[offset * config.batch_size :][: config.batch_size]]
        for group in optimizer.param_groups:
            group["lr"] = _learning_rate(config, step)
        losses.append(train_step(model=model, optimizer=optimizer, batch=batch))
        step += 1
        if step % config.log_every == 0:
            elapsed = time.perf_counter() - started
            _log(
                log_path,
                {
                    "event": "step",
                    "step": step,
                    "loss": round(sum(losses) / len(losses), 4),
                    "lr": _learning_rate(config, step),
                    "windows_per_s": round(len(losses) * config.batch_size / elapsed, 2),
                },
            )
        if step % config.checkpoint_every == 0 or step == config.steps:
            _save(model=model, optimizer=optimizer, step=step, out=config.out, meta=meta)
            losses.clear()
            started = time.perf_counter()
    return config.out / "reader.npz"


def _save(
    *,
    model: SpanReaderModel,
    optimizer: torch.optim.Optimizer,
    step: int,
    out: Path,
    meta: dict[str, object],
) -> None:
    state = {"model": model.trained_state(), "optimizer": optimizer.state_dict(), "step": step}
    tmp = out / "checkpoint.pt.tmp"
    torch.save(state, tmp)
    tmp.replace(out / "checkpoint.pt")  # a crash mid-write keeps the previous checkpoint
    save_reader_weights(model, path=out / "reader.npz", meta={**meta, "steps": step})
    _log(out / "train.log.jsonl", {"event": "checkpoint", "step": step})


def _log(path: Path, record: dict[str, object]) -> None:
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(json.dumps(record, ensure_ascii=False), flush=True)
