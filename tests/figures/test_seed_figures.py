"""Every figure the seed report prints, reproduced from the example data exactly as printed."""

from decimal import Decimal

import pytest


@pytest.mark.parametrize(
    ("key", "printed"),
    [
        # 附件1
        ("staff.authorized", "83"),
        ("staff.active", "74"),
        ("staff.control_rate", "89.16%"),
        ("sangong.total.prior_final", "9.99"),
        ("sangong.total.final", "6.02"),
        ("sangong.reception.final", "6.02"),
        ("projects.total.final", "199.00"),
        ("public_funds.total.final", "172.40"),
        ("public_funds.meetings_training.prior_final", "3.86"),
        ("public_funds.meetings_training.final", "3.21"),
        ("procurement.final", "35.15"),
        ("basic_adjustment.final", "735.73"),
        # 附件2
        ("funding.initial_budget", "979.39"),
        ("funding.full_year_budget", "1715.12"),
        ("funding.executed", "1696.51"),
        ("funding.weight", "10"),
        ("funding.execution_rate", "98.91%"),
        ("funding.execution_score", "9.89"),
        ("funding.income.general_public", "954.67"),
        ("funding.expenditure.basic", "755.67"),
        ("funding.expenditure.project", "199.00"),
        ("score.total", "100.00"),
        # 三公经费 table (元)
        ("sangong_yuan.total.final", "60158"),
        ("sangong_yuan.total.budget", "160000"),
        ("sangong_yuan.total.prior_final", "99898"),
        ("sangong_yuan.total.change", "-39740"),
        ("sangong_yuan.total.change_pct", "-39.78%"),
        ("sangong_yuan.reception.change", "-39740"),
        ("sangong_yuan.reception.change_pct", "-39.78%"),
        ("sangong.reception_batches", "52"),
        ("sangong.reception_persons", "502"),
        # 会议费 / 培训费
        ("meeting_fee.current", "16730"),
        ("meeting_fee.prior", "19268"),
        ("meeting_fee.change", "-2538"),
        ("training_fee.current", "15361"),
        ("training_fee.prior", "19380"),
        ("training_fee.change", "-4019"),
        # 部门概况
        ("personnel.total", "114"),
        ("personnel.active", "74"),
        ("personnel.retired", "40"),
        ("personnel.sum", "114"),
        ("org.internal_units", "13"),
        ("org.subordinate_units", "6"),
        # 项目支出
        ("project.fund_risk.spending", "99.00"),
        ("project.labor_inspection.spending", "60.00"),
        ("project.arbitration.spending", "40.00"),
        ("projects.narrative_spending", "199.00"),
        ("project.fund_risk.pension_insured", "597464"),
        ("project.fund_risk.pension_insured.computed", "597464"),
        ("project.fund_risk.fund_balance.computed", "28338.93"),
        ("project.fund_risk.injury_insured", "5.95"),
        ("project.fund_risk.card_transport_holders", "3.606"),
        ("project.fund_risk.injury_benefits", "4817.10"),
        ("project.labor_inspection.wage_recovered", "1192.24"),
        ("project.labor_inspection.mediation_rate", "62.00%"),
        ("target.rural_transfer_completion", "109.32%"),
        ("target.new_urban_jobs", "6240"),
    ],
)
def test_seed_figure_is_reproduced_as_printed(example_ledger, key, printed):
    assert example_ledger[key].number == printed


def test_sangong_in_yuan_agrees_with_the_form_in_wan(example_ledger):
    for column in ("final", "budget", "prior_final"):
        assert example_ledger[f"sangong_yuan.total.{column}_wan"].number == example_ledger[f"sangong.total.{column}"].number


def test_meetings_and_training_in_yuan_give_the_form_row(example_ledger):
    # 16730 + 15361 = 32091 元 → 3.21 万元; 19268 + 19380 = 38648 元 → 3.86 万元
    assert example_ledger["meetings_training.current"].value == 32091
    assert example_ledger["meetings_training.current_wan"].display == "3.21万元"
    assert example_ledger["meetings_training.prior_wan"].display == "3.86万元"


def test_execution_rate_is_computed_from_the_full_year_budget_not_the_initial_one(example_ledger):
    fact = example_ledger["funding.execution_rate"]
    assert fact.inputs == ("funding.executed", "funding.full_year_budget")
    assert fact.value == Decimal("1696.51") / Decimal("1715.12") * 100
    assert example_ledger["funding.execution_score"].value == Decimal("9.89")


def test_narrative_figures_keep_their_approximation_words(example_ledger):
    assert example_ledger["project.fund_risk.leaflets"].display == "40000余份"
    assert example_ledger["project.fund_risk.certified"].display == "超1万人"
    assert example_ledger["project.fund_risk.injury_income"].display == "约2377.85万元"


def test_prior_year_facts_sit_beside_current_ones(example_ledger):
    prior = example_ledger["meeting_fee.prior"]
    assert (prior.period, prior.year) == ("prior", 2023)
    assert example_ledger["project.fund_risk.full_payment_rate.prior"].display == "92.40%"


def test_every_derived_fact_names_its_formula_and_existing_inputs(example_ledger):
    for fact in example_ledger:
        if fact.kind == "derived":
            assert fact.formula, fact.key
            assert all(key in example_ledger for key in fact.inputs), fact.key


def test_stated_total_is_marked_as_stated_when_rows_cannot_be_scored(example_ledger):
    assert example_ledger["score.computed_total"].missing
    assert example_ledger["score.total"].kind == "stated"
    assert example_ledger["score.grade"].display == "优"
