"""Tests for qa.numbers: exact values, units and equality rules."""

from __future__ import annotations

import pytest

from qa.numbers import Quantity, parse_chinese_number, parse_quantity, quantities_equal


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("11.5万个", 115000.0, "个"),
        ("1.87亿吨", 187000000.0, "吨"),
        ("83.5亿元", 8350000000.0, "元"),
        ("87.56%", 87.56, "%"),
        ("87.56％", 87.56, "%"),
        ("每公斤888元", 888.0, "元/公斤"),
        ("888元/公斤", 888.0, "元/公斤"),
        ("近180万人", 1800000.0, "人"),
        ("突破120万户", 1200000.0, "户"),
        ("超2500家", 2500.0, "家"),
        ("约100万条", 1000000.0, "条"),
        ("1600余户", 1600.0, "户"),
        ("160余名", 160.0, "名"),
        ("300余万元", 3000000.0, "元"),
        ("5.5米", 5.5, "米"),
        ("32EFlops", 32.0, "EFlops"),
        ("51.4万标准机架", 514000.0, "标准机架"),
        ("1,455.3亿元", 145530000000.0, "元"),
        ("３１２７４件", 31274.0, "件"),
        ("31274", 31274.0, None),
        ("三", 3.0, None),
        ("十二", 12.0, None),
        ("两百", 200.0, None),
        ("一千三百五十", 1350.0, None),
        ("三千零五", 3005.0, None),
        ("二十万", 200000.0, None),
        ("一亿二千万", 120000000.0, None),
        ("三点五", 3.5, None),
        ("二〇二四", 2024.0, None),
        ("三个", 3.0, "个"),
        ("两百余人", 200.0, "人"),
        ("千余人次", 1000.0, "人次"),
        ("百分之三十", 30.0, "%"),
        ("10%以上", 10.0, "%"),
        ("4.4个百分点", 4.4, "个百分点"),
        ("-3.5%", -3.5, "%"),
        ("第8", 8.0, None),
    ],
)
def test_parse_quantity_values(text: str, value: float, unit: str | None) -> None:
    assert parse_quantity(text) == Quantity(value=value, unit=unit, text=text)


@pytest.mark.parametrize(
    "text", ["", "潘海燕", "2019年4月", "9:00—17:00", "4月8日至13日", "12月26日18时前", "万元"]
)
def test_parse_quantity_rejects_non_quantities(text: str) -> None:
    assert parse_quantity(text) is None


def test_parse_quantity_keeps_prefix_in_text() -> None:
    parsed = parse_quantity("近180万人")
    assert parsed is not None
    assert parsed.text == "近180万人"


def test_parse_chinese_number_rejects_non_numerals() -> None:
    assert parse_chinese_number("三个") is None
    assert parse_chinese_number("万") is None
    assert parse_chinese_number("") is None


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("11.5万个", "115000个", True),
        ("11.5万个", "11.5万个", True),
        ("近180万人", "180万人", True),
        ("11.5万", "11.5万个", False),  # a missing unit matches only a missing unit
        ("11.5万", "115000", True),
        ("87.56%", "87.56％", True),
        ("22.2%", "19%", False),
        ("133家", "133个", False),
        ("每公斤888元", "888元/公斤", True),
        ("9:00—17:00", "9:00—17:00", True),
        ("9:00—17:00", "9:00-17:00", False),
        ("2019年4月", "2019年 4月", True),
        ("潘海燕", "48元", False),
    ],
)
def test_quantities_equal(a: str, b: str, equal: bool) -> None:
    assert quantities_equal(a, b) is equal


@pytest.mark.parametrize(
    ("text", "value"),
    [("10秒24", 10.24), ("2分30秒", 150.0), ("1小时2分", 3720.0)],
)
def test_compound_durations_are_seconds(text: str, value: float) -> None:
    assert parse_quantity(text) == Quantity(value=value, unit="秒", text=text)
    assert quantities_equal(text, f"{value}秒")
