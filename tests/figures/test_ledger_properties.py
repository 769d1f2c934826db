"""Property-based tests of rounding and of the ledger's arithmetic (hypothesis)."""

from decimal import ROUND_FLOOR, Decimal

from hypothesis import given
from hypothesis import strategies as st

from assistant.figures.build import build_ledger
from assistant.figures.numbers import format_number, quantize

amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
yuan = st.integers(min_value=0, max_value=10**9).map(Decimal)
any_decimal = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False)


@given(any_decimal, st.integers(min_value=0, max_value=4))
def test_quantize_rounds_half_away_from_zero(value, places):
    step = Decimal(1).scaleb(-places)
    magnitude = (abs(value) / step + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) * step
    expected = magnitude if value >= 0 else -magnitude
    assert quantize(value, places) == expected


@given(any_decimal, st.integers(min_value=0, max_value=4))
def test_displayed_digits_have_exactly_the_precision(value, places):
    text = format_number(value, places)
    assert "," not in text and "e" not in text.lower()
    assert (len(text.split(".")[1]) if "." in text else 0) == places
    assert Decimal(text) == quantize(value, places)


def _with_money(example_data, **rows):
    basic = example_data.basic_data.model_copy(deep=True)
    for name, values in rows.items():
        setattr(basic.public_funds, name, basic.public_funds.office.model_copy(update=values))
    return example_data.model_copy(update={"basic_data": basic})


@given(prior=amounts, final=amounts)
def test_change_of_two_decimal_inputs_is_exact(example_data, prior, final):
    ledger = build_ledger(_with_money(example_data, office={"prior_final": prior, "final": final}))
    change = ledger["public_funds.office.change"]
    assert change.value == final - prior
    assert Decimal(change.number) == final - prior
    pct = ledger["public_funds.office.change_pct"]
    if prior == 0:
        assert pct.display == "—"
    else:
        assert abs(Decimal(pct.number.rstrip("%")) - (final - prior) / prior * 100) <= Decimal("0.005")


@given(current=yuan, prior=yuan)
def test_yuan_to_wan_rounds_half_up_from_the_unrounded_sum(example_data, current, prior):
    narrative = example_data.narrative.model_copy(deep=True)
    narrative.meetings = narrative.meetings.model_copy(update={"current": current, "prior": prior})
    ledger = build_ledger(example_data.model_copy(update={"narrative": narrative}))
    total = current + example_data.narrative.training.current
    assert ledger["meetings_training.current"].value == total
    assert ledger["meetings_training.current_wan"].number == format_number(quantize(total / 10000, 2), 2)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6))
def test_declared_sums_add_their_parts_exactly(example_data, parts):
    from assistant.model.schema import Metric

    metrics = [Metric(key=f"p{i}", label=f"分项{i}", value=Decimal(v), unit="人") for i, v in enumerate(parts)]
    metrics.append(Metric(key="whole", label="合计", value=Decimal(sum(parts)), unit="人",
                          sum_of=[m.key for m in metrics]))
    narrative = example_data.narrative.model_copy(update={"target_metrics": metrics})
    ledger = build_ledger(example_data.model_copy(update={"narrative": narrative}))
    assert ledger["target.whole.computed"].value == sum(parts)
    assert ledger["target.whole.computed"].number == ledger["target.whole"].number
