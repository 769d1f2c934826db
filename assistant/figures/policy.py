"""Configurable scoring and display policy (docs/domain.md §9). A department's notice overrides these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class Policy:
    name: str = "财预〔2020〕10号默认口径"
    # 评价等级: lowest total score of each grade, best first.
    grade_bands: tuple[tuple[str, Decimal], ...] = (
        ("优", Decimal(90)),
        ("良", Decimal(80)),
        ("中", Decimal(60)),
        ("差", Decimal(0)),
    )
    cap_execution_score: bool = True  # 执行率得分 never above its weight
    execution_explain_below: Decimal = Decimal(90)  # % 执行率 below which 偏差说明 is required
    reverse_rule: Literal["linear", "ratio"] = "linear"  # linear to 0 at 2T, or T ÷ A × W
    over_achievement_ratio: Decimal = Decimal("1.2")  # flag A ≥ 1.2 T, never deduct
    # Qualitative bands as shares of the weight: [lower, upper] of 达成 / 部分达成 / 未达成.
    qualitative_bands: dict[str, tuple[Decimal, Decimal]] = field(
        default_factory=lambda: {
            "达成年度指标": (Decimal("0.8"), Decimal(1)),
            "部分达成年度指标并具有一定效果": (Decimal("0.6"), Decimal("0.8")),
            "未达成年度指标且效果较差": (Decimal(0), Decimal("0.6")),
        }
    )
    # Suggested score share when the user has not picked one (None: the user must pick).
    qualitative_suggestion: dict[str, Decimal | None] = field(
        default_factory=lambda: {
            "达成年度指标": Decimal(1),
            "部分达成年度指标并具有一定效果": Decimal("0.7"),
            "未达成年度指标且效果较差": None,
        }
    )
    level1_weights: dict[str, Decimal] = field(
        default_factory=lambda: {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
    )
    indicator_total: Decimal = Decimal(90)
    rounding_tolerance_wan: Decimal = Decimal("0.01")  # 尾差 accepted between rounded parts and totals
    score_sum_tolerance: Decimal = Decimal(0)  # exact 2-dp sums; some checkers allow 0.1
    spending_gap: Decimal = Decimal("0.05")
    full_marks: Decimal = Decimal(100)  # 总分满分: 执行率分值 + 三级指标合计
    # A budget adjustment of this share of 年初预算 (%) is worth a 存在问题 paragraph even when no finding
    # mentions it (docs/domain.md §4.1 example bands: 0 / ≤10 / ≤20 / ≤30 %).
    notable_adjustment_pct: Decimal = Decimal(20)  # R08: indicator score rate above execution score rate by >5%


DEFAULT_POLICY = Policy()
