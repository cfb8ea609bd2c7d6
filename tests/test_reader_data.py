"""Reading-comprehension data: SQuAD (1.1 and 2.0) parsing and the held-out split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.reader.data import is_held_out, read_squad, split_examples

MRC = Path(__file__).resolve().parents[2] / "shared" / "mrc"


def test_squad_answers_no_answers_and_bad_labels(tmp_path: Path) -> None:
    context = "山西累计建成5G基站11.5万个。"
    qas = [
        {
            "id": "a",
            "question": "多少基站？",
            "answers": [{"text": "11.5万个", "answer_start": 10}],
        },
        {"id": "b", "question": "多少6G基站？", "answers": [], "is_impossible": True},
        {"id": "c", "question": "错位？", "answers": [{"text": "11.5万个", "answer_start": 3}]},
        {"id": "d", "question": "无标注？", "answers": []},
    ]
    path = tmp_path / "t.json"
    data = {"data": [{"title": "t", "paragraphs": [{"context": context, "qas": qas}]}]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    examples = {e.id: e for e in read_squad(path)}
    assert set(examples) == {"a", "b"}  # a misaligned label and a bare empty one are dropped
    a = examples["a"]
    assert context[a.answer_start : a.answer_end] == "11.5万个" and a.answers == ("11.5万个",)
    assert examples["b"].answer_start is None and examples["b"].group == "t.json:0"


def test_the_held_out_split_is_stable_and_by_whole_article() -> None:
    assert is_held_out("x.json:1") == is_held_out("x.json:1")
    groups = [f"f.json:{i}" for i in range(2000)]
    share = sum(map(is_held_out, groups)) / len(groups)
    assert 0.05 < share < 0.11  # HELD_OUT_PERCENT = 8


@pytest.mark.skipif(not MRC.is_dir(), reason="../shared/mrc is not beside this checkout")
def test_the_shared_data_holds_out_881_questions() -> None:
    examples = [e for path in sorted(MRC.glob("*.json")) for e in read_squad(path)]
    train, held = split_examples(examples)
    assert len(held) == 881
    assert not {e.group for e in train} & {e.group for e in held}
