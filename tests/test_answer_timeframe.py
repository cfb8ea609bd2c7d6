"""Tests for qa.answer.timeframe: as_of normalization, ordering and question time matching."""

from __future__ import annotations

import pytest

from qa.answer.timeframe import end_key, find_time_mentions, parse_time_constraint, time_agreement


@pytest.mark.parametrize(
    ("text", "date", "as_of"),
    [
        ("截至7月底,累计建成5G基站11.5万个", "2025-11-14", "2025-07"),
        ("截至2024年年底,全省规上工业", "2025-11-14", "2024-12"),
        ("上半年,山西省制造业增势良好", "2023-08-02", "2023-H1"),
        ("今年前10个月,我省货物贸易", "2024-11-18", "2024-01/2024-10"),
        ("2021年至2024年,全省规上工业", "2025-11-14", "2021/2024"),
        ("去年,我市3个省级专业镇", "2025-03-26", "2024"),
        ("西山示范区是2019年4月组建运行的", "2025-11-14", "2019-04"),
        ("一季度全省", "2024-05-01", "2024-Q1"),
        ("截至11月底", "2025-01-10", "2024-11"),  # a month still ahead is last year's
    ],
)
def test_find_time_mentions_normalizes(text: str, date: str, as_of: str) -> None:
    mentions = find_time_mentions(text, article_date=date)
    assert mentions[0].as_of == as_of


def test_relative_times_need_an_article_date() -> None:
    assert find_time_mentions("截至7月底", article_date=None)[0].as_of is None


def test_comparison_base_is_flagged() -> None:
    (mention,) = find_time_mentions("较2020年增长50%", article_date="2025-11-14")
    assert mention.comparison


def test_end_key_orders_periods_by_their_end() -> None:
    ordered = ["2023-H1", "2024-01/2024-10", "2024-11-04", "2024-12", "2025-07"]
    assert sorted(ordered, key=end_key) == ordered
    assert end_key(None) < end_key("1999")


def test_parse_time_constraint() -> None:
    constraint = parse_time_constraint("今年前10个月山西货物贸易进出口总额是多少？")
    assert constraint is not None
    assert (constraint.year, constraint.relative, constraint.period) == (None, 0, "前10个月")
    year = parse_time_constraint("2024年山西规上工业企业有多少家？")
    assert year is not None and year.year == 2024 and year.period is None
    assert parse_time_constraint("山西有多少5G基站？") is None


def test_time_agreement_matches_and_contradicts() -> None:
    constraint = parse_time_constraint("2024年山西规上工业企业有多少家？")
    assert constraint is not None
    assert (
        time_agreement(constraint, context="增至2024年的8231家", as_of="2024", article_date=None)
        == 1
    )
    assert (
        time_agreement(constraint, context="从2021年的6859家", as_of="2021", article_date=None)
        == -1
    )
    period = parse_time_constraint("“十四五”以来能耗累计下降了多少？")
    assert period is not None
    assert (
        time_agreement(period, context="提前一年完成“十四五”目标", as_of=None, article_date=None)
        == 1
    )
