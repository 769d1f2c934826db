"""Decimal rounding and display: the only place where a number becomes text.

Rule (docs/domain.md §4.3): compute from unrounded values, round half up (四舍五入) only for display or
where a form fixes a value (a row score). Python's round() is banker's rounding and is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)


def quantize(value: Decimal, places: int) -> Decimal:
    """四舍五入 to `places` decimals (places may be 0)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimals_of(value: Decimal) -> int:
    """Decimal places a value was written with (Decimal('4817.1') -> 1, Decimal('16') -> 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class UnitRule:
    """How a unit is displayed: minimum decimals and the suffix the documents use."""

    unit: str
    precision: int
    suffix: str


# Data, not code: the display precision of each unit (docs/domain.md §4.3). Money in 万元 and rates and
# scores always show 2 decimals; counts are whole; 元 amounts are whole unless they carry fen.
UNIT_RULES: dict[str, UnitRule] = {
    rule.unit: rule
    for rule in (
        UnitRule("万元", 2, "万元"),
        UnitRule("亿元", 2, "亿元"),
        UnitRule("元", 0, "元"),
        UnitRule("%", 2, "%"),
        UnitRule("分", 2, "分"),
        UnitRule("分值", 0, "分"),  # weights are whole points unless written otherwise
        UnitRule("人", 0, "人"),
        UnitRule("人次", 0, "人次"),
        UnitRule("万人", 0, "万人"),
        UnitRule("件", 0, "件"),
        UnitRule("件次", 0, "件次"),
        UnitRule("起", 0, "起"),
        UnitRule("家", 0, "家"),
        UnitRule("个", 0, "个"),
        UnitRule("万个", 0, "万个"),
        UnitRule("次", 0, "次"),
        UnitRule("批次", 0, "批次"),
        UnitRule("份", 0, "份"),
        UnitRule("条", 0, "条"),
        UnitRule("场", 0, "场"),
        UnitRule("项", 0, "项"),
        UnitRule("户", 0, "户"),
        UnitRule("㎡", 2, "㎡"),
    )
}


# Units a 年度指标值 may carry besides the display units above ("12月底前完成" is not "12" + a unit).
INDICATOR_UNITS = frozenset(UNIT_RULES) | {
    "", "天", "日", "小时", "个月", "年", "名", "所", "台", "套", "期", "篇", "亩", "公里", "平方米", "m²", "万份",
    "万人次", "万元/人", "元/人", "人/次", "分钟", "工作日", "座", "处", "宗", "米", "千米", "立方米", "万立方米",
}


def unit_rule(unit: str) -> UnitRule:
    return UNIT_RULES.get(unit, UnitRule(unit, 0, unit))


def display_precision(unit: str, value: Decimal | None, *, keep_written: bool) -> int:
    """Decimals to show. Input figures keep the digits the department wrote (never lose a stated
    digit: 3.606万人 stays 3.606), but never fewer than the unit's standard."""
    precision = unit_rule(unit).precision
    if keep_written and value is not None:
        precision = max(precision, decimals_of(value))
    return precision


def format_number(value: Decimal, precision: int) -> str:
    """The digits as the documents print them: no thousands separator, ASCII minus."""
    text = f"{quantize(value, precision):f}"
    # -0.00 can appear after rounding a tiny negative change; documents print 0.00.
    if text.startswith("-") and set(text[1:]) <= {"0", "."}:
        return text[1:]
    return text


def format_with_unit(value: Decimal, precision: int, unit: str) -> str:
    return format_number(value, precision) + unit_rule(unit).suffix
