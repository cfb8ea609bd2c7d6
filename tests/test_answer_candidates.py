"""Tests for qa.answer.candidates: exact spans of every kind."""

from __future__ import annotations

from qa.answer.candidates import CandidateKind, extract_candidates
from qa.answer.text import Span, split_sentences

ALL = frozenset(CandidateKind)


def spans(text: str, kind: CandidateKind) -> list[str]:
    found = extract_candidates(text, Span(0, len(text)), kinds=ALL)
    return [c.text for c in found if c.kind is kind]


def test_quantities_keep_units_prefixes_and_per_phrases() -> None:
    text = (
        "截至7月底,累计建成5G基站11.5万个,每万人拥有33个;"
        "直接或间接带动就业近180万人,创下了每公斤888元的售价纪录,"
        "已有超2500家企业,机架规模达51.4万标准机架,算力达到32EFlops。"
    )
    assert spans(text, CandidateKind.QUANTITY) == [
        "11.5万个",
        "33个",
        "近180万人",
        "每公斤888元",
        "888元",  # the same figure without its 每X, for questions that already say it
        "超2500家",
        "51.4万标准机架",
        "32EFlops",
    ]


def test_quantity_values_come_from_parse_quantity() -> None:
    (found,) = extract_candidates("固废年利用量提升至1.87亿吨。", Span(0, 15), kinds=ALL)
    assert found.quantity is not None
    assert (found.quantity.value, found.quantity.unit) == (187000000.0, "吨")


def test_identifiers_years_and_ranks_are_not_quantities() -> None:
    text = "国产T800级碳纤维,12345热线,2024年,全国第8。"
    assert spans(text, CandidateKind.QUANTITY) == []
    assert spans(text, CandidateKind.RANK) == ["第8"]


def test_dates_times_and_ranges() -> None:
    text = (
        "本届赛事将于4月8日至13日举行,开放时间调整为9:00—17:00;"
        "申报单位于12月26日18时前完成,西山示范区是2019年4月组建运行的。"
    )
    assert spans(text, CandidateKind.DATE) == [
        "4月8日至13日",
        "4月8日",
        "12月26日18时",  # 18时前 is a deadline: the answer is the time itself
        "2019年4月",
    ]
    sides = extract_candidates("从2024年10月21日—2025年3月20日执行", Span(0, 25), kinds=ALL)
    assert [(c.text, c.part) for c in sides if c.part] == [
        ("2024年10月21日", "start"),
        ("2025年3月20日", "end"),
    ]
    assert spans(text, CandidateKind.TIME)[0] == "9:00—17:00"


def test_persons_with_titles_and_speech_verbs() -> None:
    text = (
        "省工信厅党组书记、厅长潘海燕介绍,最后由北京冬奥会冠军苏翊鸣点燃主火炬,"
        "省政府驻上海办事处主任张明在致辞时表示,刘勇表示。"
    )
    assert spans(text, CandidateKind.PERSON) == ["潘海燕", "苏翊鸣", "张明", "刘勇"]


def test_places_and_organizations() -> None:
    text = (
        "迎泽区首届“龙虾节”于即日起至今年10月底在钟楼街1990举办,"
        "还出口乌兹别克斯坦、吉尔吉斯斯坦、伊拉克等中西亚国家。"
        "本届赛事由中国乒乓球协会、太原市人民政府共同主办。"
    )
    assert spans(text, CandidateKind.PLACE) == [
        "钟楼街1990",
        "乌兹别克斯坦、吉尔吉斯斯坦、伊拉克",
    ]
    assert "中国乒乓球协会、太原市人民政府" in spans(text, CandidateKind.ORGANIZATION)


def test_sentences_split_at_line_breaks_but_not_inside_figures() -> None:
    text = "数实融合纵深推进\n晋祠天龙山景区从11月1\n日起，开放时间调整为9:00—17:00；次句。"
    sentences = [text[s.span.start : s.span.end] for s in split_sentences(text)]
    assert sentences == [
        "数实融合纵深推进\n",
        "晋祠天龙山景区从11月1\n日起，开放时间调整为9:00—17:00；",
        "次句。",
    ]
    assert [s.paragraph for s in split_sentences(text)] == [0, 1, 1]


def test_titles_ending_in_guan_and_foreign_names() -> None:
    text = (
        "库迪咖啡首席策略官李颖波表示：伊朗总统易卜拉欣·莱希已经下令调查此案。"
        "韩国电池工业协会官员李明奎说。"
    )
    assert spans(text, CandidateKind.PERSON) == ["李颖波", "易卜拉欣·莱希", "李明奎"]


def test_per_phrase_has_a_bare_twin_that_keeps_its_scope() -> None:
    text = "创下了每公斤888元的售价纪录。"
    found = [
        c
        for c in extract_candidates(text, Span(0, len(text)), kinds=ALL)
        if c.kind is CandidateKind.QUANTITY
    ]
    assert [(c.text, c.start, c.end, c.qualifier) for c in found] == [
        ("每公斤888元", 3, 10, None),
        ("888元", 6, 10, "公斤"),
    ]


def test_compound_durations_are_one_quantity() -> None:
    text = "邓信锐以10秒25的成绩打破赛会纪录,用时2分30秒。"
    found = [
        c
        for c in extract_candidates(text, Span(0, len(text)), kinds=ALL)
        if c.kind is CandidateKind.QUANTITY
    ]
    assert [(c.text, c.start, c.end) for c in found] == [("10秒25", 4, 9), ("2分30秒", 21, 26)]
    assert [(c.quantity.value, c.quantity.unit) for c in found if c.quantity] == [
        (10.25, "秒"),
        (150.0, "秒"),
    ]


def test_clock_part_of_a_full_date_is_a_time_and_a_deadline_drops_its_before() -> None:
    text = "8月14日13时32分,火箭发射。申报单位于12月26日18时前完成填报。"
    assert spans(text, CandidateKind.TIME) == ["13时32分", "18时"]
    assert "12月26日18时" in spans(text, CandidateKind.DATE)
    assert "12月26日18时前" not in spans(text, CandidateKind.DATE)


def test_names_end_before_pronouns_and_verbs_and_after_de() -> None:
    text = "主刀医生陈静瑜他表示手术顺利。由稚拙派创始人亨利·卢梭领衔。来自江西师范大学的鲁宁夺冠。"
    assert spans(text, CandidateKind.PERSON) == ["陈静瑜", "亨利·卢梭", "鲁宁"]


def test_facilities_are_places_with_their_whole_name() -> None:
    text = "只剩下保存在瑞典乌普萨拉大学进化博物馆的4枚牙齿，航班备降扬州扬泰国际机场。"
    assert spans(text, CandidateKind.PLACE)[:2] == [
        "瑞典乌普萨拉大学进化博物馆",
        "扬州扬泰国际机场",
    ]


def test_one_glued_to_a_word_is_no_count() -> None:
    assert spans("录取线超当地一本线一百多分", CandidateKind.QUANTITY) == ["一百多分"]


def test_day_of_drops_the_clock_and_keeps_offsets() -> None:
    from qa.answer.candidates import day_of

    text = "申报单位于12月26日18时前完成网络系统填报提交。"
    dates = extract_candidates(text, Span(0, len(text)), kinds=frozenset({CandidateKind.DATE}))
    full = next(c for c in dates if c.text == "12月26日18时")
    day = day_of(full)
    assert (day.text, text[day.start : day.end]) == ("12月26日", "12月26日")


def test_clock_range_has_both_sides() -> None:
    text = "工作日高峰时段指7:00至9:00，17:00至19:30。"
    times = extract_candidates(text, Span(0, len(text)), kinds=frozenset({CandidateKind.TIME}))
    sides = [(c.text, c.part, text[c.start : c.end]) for c in times if c.part]
    assert ("17:00", "start", "17:00") in sides
    assert ("19:30", "end", "19:30") in sides
    assert [c.text for c in times if c.is_range] == ["7:00至9:00", "17:00至19:30"]


def test_team_is_an_organization_suffix() -> None:
    text = "比赛由迎泽区代表队夺得第一。"
    orgs = extract_candidates(
        text, Span(0, len(text)), kinds=frozenset({CandidateKind.ORGANIZATION})
    )
    assert "迎泽区代表队" in [c.text for c in orgs]
