"""A fully filled form (examples/demo-shuili-2024.yaml, 示例) scores every row by the rules."""

from decimal import Decimal

import pytest

from assistant.figures.build import build_ledger
from assistant.model.load import load
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ledger():
    return build_ledger(load(ROOT / "examples" / "demo-shuili-2024.yaml"))


@pytest.mark.parametrize(("row", "score", "kind"), [
    (1, "15.00", "derived"),  # ≥12座, 12座: full marks
    (2, "9.00", "derived"),   # ≥40公里, 36公里: 36 ÷ 40 × 10
    (3, "10.00", "derived"),  # 100%, 100%
    (4, "5.00", "input"),     # qualitative 达成, the user's score
    (5, "9.50", "derived"),   # ≤60万元, 63万元: (1 − 3 ÷ 60) × 10
    (7, "10.00", "derived"),  # =0起, 0起
    (8, "7.00", "derived"),   # qualitative 部分达成, suggested 0.7 W
])
def test_each_row_scores_by_its_rule(ledger, row, score, kind):
    fact = ledger[f"indicator.{row}.score"]
    assert (fact.number, fact.kind) == (score, kind)


def test_level_sums_total_and_grade(ledger):
    assert ledger["score.output"].number == "48.50"
    assert ledger["score.benefit"].number == "27.00"
    assert ledger["score.satisfaction"].number == "10.00"
    assert ledger["funding.execution_score"].number == "9.76"
    assert ledger["score.total"].value == Decimal("95.26")
    assert ledger["score.total"].kind == "derived"
    assert ledger["weight.total"].display == "100分"
    assert ledger["score.grade"].display == "优"


def test_building_rates(ledger):
    assert ledger["building.1.scale_rate"].display == "98.33%"
    assert ledger["building.1.investment_rate"].display == "96.65%"
