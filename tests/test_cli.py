"""The CLI contract: build, search --json, stdin queries, staleness and bad corpus files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Copy the seeds and build a lexical-only index once for this module."""
    root = tmp_path_factory.mktemp("cli")
    seeds, index = root / "seeds", root / "index"
    shutil.copytree(SEEDS, seeds)
    mp = pytest.MonkeyPatch()
    mp.setenv("QA_EMBEDDING_MODEL", "none")
    from qa.config import get_settings

    get_settings.cache_clear()
    assert main(["build", "--seeds", str(seeds), "--index", str(index)]) == 0
    yield seeds, index
    mp.undo()
    get_settings.cache_clear()


def test_build_reports_what_it_built(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, index = built
    assert (index / "manifest.json").is_file()
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["counts"]["sources"] == 5 and manifest["dense"] is False
    assert manifest["counts"]["chunks"] > 100


def test_search_json_quotes_the_raw_file(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, index = built
    assert main(["search", "5G基站", "--k", "3", "--json", "--index", str(index)]) == 0
    [line] = capsys.readouterr().out.strip().splitlines()
    result = json.loads(line)
    assert result["query"] == "5G基站" and len(result["hits"]) == 3
    for hit in result["hits"]:
        raw = (seeds / hit["source"]).read_text(encoding="utf-8")
        assert raw[hit["start"] : hit["end"]] == hit["quote"]
        assert {"text", "title", "date", "score"} <= hit.keys()
    assert any("5G基站" in hit["text"] for hit in result["hits"])


def test_search_reads_queries_from_stdin(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, index = built
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("5G基站\n\n绿色工厂\n"))
    assert main(["search", "-", "--json", "--index", str(index)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["query"] for x in lines] == ["5G基站", "绿色工厂"]


def test_changed_corpus_is_refused_not_served(
    built: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, index = built
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    (copy / "new.txt").write_text("本报讯 2024年11月4日，新的一页。\n", encoding="utf-8")
    assert main(["search", "5G", "--index", str(index), "--seeds", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "added: new.txt" in err and "qa build" in err


def test_missing_index_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "5G", "--index", str(tmp_path / "nothing")]) == 2
    assert "qa build" in capsys.readouterr().err


def test_build_skips_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_EMBEDDING_MODEL", "none")
    from qa.config import get_settings

    get_settings.cache_clear()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / "003_a5c7e697b8d605b8.txt", seeds)
    (seeds / "broken.txt").write_bytes(b"\xff\xfe\x00bad")
    assert main(["build", "--seeds", str(seeds), "--index", str(tmp_path / "index")]) == 0
    out = capsys.readouterr().out
    assert "skipped broken.txt" in out and "1 files" in out
    get_settings.cache_clear()


def test_empty_query_is_refused(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, index = built
    assert main(["search", "   ", "--index", str(index)]) == 2
    assert "empty" in capsys.readouterr().err
