"""三级指标: read 年度指标值 / 实际完成值 and score each row (docs/domain.md §3.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.figures.formulas import positive_score, reverse_score, zero_target_score
from assistant.figures.numbers import INDICATOR_UNITS, quantize
from assistant.figures.policy import Policy
from assistant.model.schema import Indicator

# Sign characters as forms write them (half- and full-width) → the rule they mean.
SIGNS = {
    "≥": "positive", "≧": "positive", ">=": "positive", ">": "positive", "＞": "positive",
    "≤": "reverse", "≦": "reverse", "<=": "reverse", "<": "reverse", "＜": "reverse",
    "=": "equal", "＝": "equal",
}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")
_QUANTITY = re.compile(
    r"^\s*(?P<sign>>=|<=|[≥≧>＞≤≦<＜=＝])?\s*(?P<number>-?\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]*)\s*$"
)


@dataclass(frozen=True)
class Quantity:
    sign: str | None
    number: Decimal
    unit: str


def parse_quantity(text: str | None) -> Quantity | None:
    """"≥95%" → Quantity("positive", 95, "%"); text without a number (定性) → None."""
    if not text:
        return None
    match = _QUANTITY.match(text.translate(_FULL_WIDTH))
    if not match or match.group("unit") not in INDICATOR_UNITS:
        return None
    sign = match.group("sign")
    return Quantity(SIGNS[sign] if sign else None, Decimal(match.group("number")), match.group("unit"))


@dataclass(frozen=True)
class IndicatorResult:
    """How one row scores. `score` is what the form shows: the rule's score for quantitative rows,
    the user's pick (or the policy's suggestion) for qualitative rows, None when it cannot be known."""

    index: int
    indicator: Indicator
    direction: str  # positive / reverse / equal / qualitative
    target: Quantity | None
    actual: Quantity | None
    computed: Decimal | None  # by the rule, rounded to 2 dp (row scores are fixed at 2 dp)
    score: Decimal | None
    formula: str | None
    problem: str | None  # why no rule score could be computed (Chinese)
    band: tuple[Decimal, Decimal] | None  # allowed [low, high] of a qualitative row, in points
    over_achieved: bool


def score_indicator(index: int, row: Indicator, policy: Policy) -> IndicatorResult:
    target, actual = parse_quantity(row.target), parse_quantity(row.actual)
    direction = row.direction
    if direction == "auto":
        # A numeric actual with a non-numeric target is a quantitative row with a bad target
        # (the seed's "百分比"), not a qualitative one.
        direction = (target.sign or "positive") if target else ("positive" if actual else "qualitative")
    weight = row.weight
    if direction == "qualitative":
        return _qualitative(index, row, target, actual, policy)
    problem = None
    if weight is None:
        problem = "未填写分值"
    elif target is None:
        problem = f"年度指标值“{row.target or '空白'}”不是数值，无法按定量指标计分"
    elif actual is None:
        problem = f"实际完成值“{row.actual or '空白'}”不是数值，无法按定量指标计分"
    elif target.number == 0 and direction != "equal":
        problem = "年度指标值为0，无法按比例计分"
    if problem:
        return IndicatorResult(index, row, direction, target, actual, None, row.score, None, problem, None, False)
    assert weight is not None and target is not None and actual is not None
    raw, formula = _rule(direction, target.number, actual.number, weight, policy)
    computed = quantize(raw, 2)
    over = direction in {"positive", "equal"} and target.number > 0 and (
        actual.number >= target.number * policy.over_achievement_ratio
    )
    return IndicatorResult(index, row, direction, target, actual, computed, computed, formula, None, None, over)


def _rule(direction: str, t: Decimal, a: Decimal, w: Decimal, policy: Policy) -> tuple[Decimal, str]:
    if direction == "reverse":
        text = "A≤T得满分；否则 T÷A×W" if policy.reverse_rule == "ratio" else "A≤T得满分；T<A<2T 时 (1−(A−T)÷T)×W；A≥2T 得0分"
        return reverse_score(t, a, w, policy), text
    if direction == "equal" and t == 0:
        return zero_target_score(a, w), "T=0：A≤0 得满分，否则0分"
    return positive_score(t, a, w), "A≥T 得满分；否则 A÷T×W"


def _qualitative(index: int, row: Indicator, target, actual, policy: Policy) -> IndicatorResult:
    weight = row.weight
    band_name = row.band or (row.actual if row.actual in policy.qualitative_bands else None)
    if weight is None:
        return IndicatorResult(index, row, "qualitative", target, actual, None, row.score, None, "未填写分值", None, False)
    if band_name is None:
        problem = "定性指标未注明完成档次（达成/部分达成/未达成）" if row.score is None else None
        return IndicatorResult(index, row, "qualitative", target, actual, None, row.score, None, problem, None, False)
    low, high = policy.qualitative_bands[band_name]
    band = (low * weight, high * weight)
    score = row.score
    suggestion = policy.qualitative_suggestion.get(band_name)
    if score is None and suggestion is not None:
        score = quantize(suggestion * weight, 2)
    problem = None if score is not None else f"“{band_name}”档次须由填报人给出自评得分"
    formula = f"定性指标，{band_name}：得分应在{quantize(band[0], 2)}～{quantize(band[1], 2)}之间"
    return IndicatorResult(index, row, "qualitative", target, actual, None, score, formula, problem, band, False)
