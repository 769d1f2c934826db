"""The scoring and rate rules of docs/domain.md §3–§4, checked on its worked examples (§8)."""

from decimal import Decimal as D

import pytest

from assistant.figures import formulas
from assistant.figures.indicators import parse_quantity, score_indicator
from assistant.figures.numbers import format_number, quantize
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.schema import Indicator


def pct(value):
    return format_number(value, 2) + "%"


def test_control_rate_136_of_143_is_95_10_percent():
    assert pct(formulas.percent(D(136), D(143))) == "95.10%"


def test_change_rate_of_sangong_63_46_over_32_is_98_31_percent():
    assert pct(formulas.change_percent(D("63.46"), D(32))) == "98.31%"


def test_change_rate_with_zero_prior_year_is_undefined():
    assert formulas.change_percent(D(5), D(0)) is None


def test_full_execution_scores_ten():
    rate = formulas.percent(D("251.89"), D("251.89"))
    assert pct(rate) == "100.00%"
    assert format_number(formulas.execution_score(rate, D(10), DEFAULT_POLICY), 2) == "10.00"


def test_execution_score_is_capped_at_its_weight_but_the_rate_is_not():
    rate = formulas.percent(D(110), D(100))
    assert pct(rate) == "110.00%"
    assert formulas.execution_score(rate, D(10), DEFAULT_POLICY) == 10
    assert formulas.execution_score(rate, D(10), Policy(cap_execution_score=False)) == 11


def test_rounding_is_half_up_not_bankers():
    assert quantize(D("2.675"), 2) == D("2.68")
    assert quantize(D("0.125"), 2) == D("0.13")
    assert quantize(D("-39.775"), 2) == D("-39.78")


def row(target, actual, weight=D(10), **extra):
    return Indicator(level1="产出指标", level2="数量指标", name="指标", target=target, actual=actual, weight=weight, **extra)


def test_positive_row_85_of_100_scores_8_50():
    assert score_indicator(1, row("≥100人次", "85人次"), DEFAULT_POLICY).score == D("8.50")


def test_positive_row_reaching_target_scores_full_weight():
    assert score_indicator(1, row("≥95%", "98.5%"), DEFAULT_POLICY).score == D("10.00")


def test_reverse_row_60_against_50_scores_8_and_twice_the_target_scores_0():
    assert score_indicator(1, row("≤50万元", "60万元"), DEFAULT_POLICY).score == D("8.00")
    assert score_indicator(1, row("≤50万元", "100万元"), DEFAULT_POLICY).score == D("0.00")
    assert score_indicator(1, row("≤50万元", "45万元"), DEFAULT_POLICY).score == D("10.00")


def test_reverse_row_ratio_rule_by_policy():
    result = score_indicator(1, row("≤50万元", "60万元"), Policy(reverse_rule="ratio"))
    assert result.score == D("8.33")


def test_equal_row_with_zero_target():
    assert score_indicator(1, row("=0起", "0起"), DEFAULT_POLICY).score == D("10.00")
    assert score_indicator(1, row("=0起", "1起"), DEFAULT_POLICY).score == D("0.00")


def test_negative_actual_counts_as_zero():
    assert score_indicator(1, row("≥100人", "-5人"), DEFAULT_POLICY).score == D("0.00")


def test_over_achievement_is_flagged_never_deducted():
    result = score_indicator(1, row("≥100人", "130人"), DEFAULT_POLICY)
    assert result.over_achieved and result.score == D("10.00")
    assert not score_indicator(1, row("≥100人", "119人"), DEFAULT_POLICY).over_achieved


def test_partly_achieved_qualitative_row_suggests_seven_within_six_to_eight():
    result = score_indicator(1, row("有效提升", "部分达成年度指标并具有一定效果"), DEFAULT_POLICY)
    assert result.direction == "qualitative"
    assert result.band == (D("6.0"), D("8.0"))
    assert result.score == D("7.00")


def test_qualitative_row_keeps_the_users_score():
    result = score_indicator(1, row("有效提升", "达成年度指标", score=D("9.5")), DEFAULT_POLICY)
    assert result.score == D("9.5")


def test_unit_word_as_target_cannot_be_scored_and_says_why():
    result = score_indicator(1, row("百分比", "100%"), DEFAULT_POLICY)
    assert result.score is None and "百分比" in result.problem


@pytest.mark.parametrize(("text", "sign", "number", "unit"), [
    ("≥95%", "positive", D(95), "%"), ("≧90%", "positive", D(90), "%"), ("＜5起", "reverse", D(5), "起"),
    ("=0", "equal", D(0), ""), ("１００％", None, D(100), "%"), ("6240人", None, D(6240), "人"),
])
def test_targets_parse_into_sign_number_and_unit(text, sign, number, unit):
    quantity = parse_quantity(text)
    assert (quantity.sign, quantity.number, quantity.unit) == (sign, number, unit)


@pytest.mark.parametrize("text", ["12月底前完成", "有效提升", "百分比", "", None])
def test_qualitative_targets_have_no_quantity(text):
    assert parse_quantity(text) is None


@pytest.mark.parametrize(("total", "grade"), [
    (D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("79.5"), "中"), (D(60), "中"), (D("59.99"), "差"),
])
def test_grade_bands(total, grade):
    assert formulas.grade(total, DEFAULT_POLICY) == grade
