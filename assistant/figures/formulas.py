"""Pure formulas of the forms (docs/domain.md §3–§4). Inputs and outputs are unrounded Decimals."""

from __future__ import annotations

from decimal import Decimal

from assistant.figures.numbers import HUNDRED, TEN_THOUSAND
from assistant.figures.policy import Policy


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator × 100; None when the denominator is 0 (undefined, shown as —)."""
    if denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def change(current: Decimal, prior: Decimal) -> Decimal:
    """比上年增减 = 本年 − 上年 (same unit on both sides)."""
    return current - prior


def change_percent(current: Decimal, prior: Decimal) -> Decimal | None:
    """增减% = (本年 − 上年) ÷ 上年 × 100; None when 上年 = 0 (the text says 新增)."""
    return percent(current - prior, prior)


def yuan_to_wan(yuan: Decimal) -> Decimal:
    return yuan / TEN_THOUSAND


def execution_score(rate: Decimal, weight: Decimal, policy: Policy) -> Decimal:
    """执行率得分 = min(执行率, 100%) × 分值 (capped unless the policy says otherwise)."""
    share = rate / HUNDRED
    if policy.cap_execution_score:
        share = min(share, Decimal(1))
    return share * weight


def positive_score(target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """≥ / > rows (and = rows with T > 0): A ≥ T → W; else A ÷ T × W. Negative A counts as 0."""
    actual = max(actual, Decimal(0))
    if actual >= target:
        return weight
    return actual / target * weight


def reverse_score(target: Decimal, actual: Decimal, weight: Decimal, policy: Policy) -> Decimal:
    """≤ / < rows (cost, 投诉率): A ≤ T → W; linear to 0 at 2T (or T ÷ A × W by policy)."""
    actual = max(actual, Decimal(0))
    if actual <= target:
        return weight
    if policy.reverse_rule == "ratio":
        return target / actual * weight
    if actual >= 2 * target:
        return Decimal(0)
    return (1 - (actual - target) / target) * weight


def zero_target_score(actual: Decimal, weight: Decimal) -> Decimal:
    """= rows with T = 0 (e.g. 安全事故 = 0): A ≤ 0 → W; else 0."""
    return weight if actual <= 0 else Decimal(0)


def grade(total: Decimal, policy: Policy) -> str:
    for name, lowest in policy.grade_bands:
        if total >= lowest:
            return name
    return policy.grade_bands[-1][0]
