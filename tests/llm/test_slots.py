"""Numbers as slots: filling from the ledger, turning verified figures back into slots, streaming."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.drafting.markup import to_markup
from assistant.drafting.slots import SlotStream, fill_slots, mark_unknown, slotify
from assistant.drafting.template_drafter import draft_units
from assistant.pipeline import compute

EXAMPLES = ("taojiang-rsj-2024", "demo-shuili-2024", "demo-jiaoyu-2023")


@pytest.fixture(scope="module")
def seed():
    return compute("examples/taojiang-rsj-2024.yaml")


def test_a_slot_is_filled_with_the_facts_display(seed):
    filled = fill_slots("预算执行率为{{funding.execution_rate}}，全年执行数{{funding.executed}}。", seed.ledger)
    assert filled.text == "预算执行率为98.91%，全年执行数1696.51万元。"
    assert [slot.key for slot in filled.slots] == ["funding.execution_rate", "funding.executed"]
    assert filled.text[filled.slots[0].start:filled.slots[0].end] == "98.91%"


def test_after_a_decrease_word_a_negative_fact_loses_its_sign(seed):
    assert seed.ledger["sangong_yuan.total.change"].display == "-39740元"
    text = fill_slots("比上年减少{{sangong_yuan.total.change}}，增减额为{{sangong_yuan.total.change}}。", seed.ledger).text
    assert text == "比上年减少39740元，增减额为-39740元。"


def test_below_the_budget_in_the_same_clause_is_a_magnitude(seed):
    text = fill_slots("全年支出低于年初预算{{sangong.total.vs_budget}}", seed.ledger).text
    assert "-" not in text and text.endswith(seed.ledger["sangong.total.vs_budget"].magnitude)


def test_a_unit_written_again_after_the_slot_is_dropped(seed):
    assert fill_slots("执行数{{funding.executed}}万元，执行率{{funding.execution_rate}}%。", seed.ledger).text == \
        "执行数1696.51万元，执行率98.91%。"


def test_unknown_keys_are_listed_and_left_for_the_model(seed):
    filled = fill_slots("合计{{funding.totl}}，又{{funding.totl}}，{{ 无此项 }}", seed.ledger)
    assert filled.unknown == ("funding.totl", "无此项")
    assert "{{funding.totl}}" in filled.text


def test_unknown_slots_become_visible_marks():
    assert mark_unknown("合计{{funding.totl}}。") == "合计〔待核：未知数据项“funding.totl”〕。"


def test_a_missing_fact_fills_as_its_pending_mark(seed):
    text = fill_slots("{{funding.income.government_fund}}", seed.ledger).text
    assert text == "〔待补：政府性基金拨款〕"


@pytest.mark.parametrize("example", EXAMPLES)
def test_slotify_then_fill_gives_back_every_offline_section(example):
    figures = compute(f"examples/{example}.yaml")
    for kind, blocks in draft_units(figures.data, figures.ledger, figures.findings).items():
        markup = to_markup(blocks)
        slotted = slotify(markup, figures.ledger)
        assert fill_slots(slotted, figures.ledger).text == markup, kind


def test_slotify_writes_the_figures_of_a_section_as_slots(seed):
    slotted = slotify("2024年预算执行率为98.91%，比上年减少39740元。", seed.ledger)
    assert "{{funding.execution_rate}}" in slotted
    assert "98.91" not in slotted and "2024年" in slotted


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=30))
def test_a_streamed_reply_shows_a_prefix_of_the_filled_text_and_ends_equal(seed, cuts):
    raw = ("2024年全年执行数{{funding.executed}}万元，比上年减少{{sangong_yuan.total.change}}，"
           "执行率{{funding.execution_rate}}，未知{{funding.nope}}，括号{单}结束。")
    expected = fill_slots(raw, seed.ledger).text
    stream = SlotStream(seed.ledger)
    shown = ""
    points = sorted({c % (len(raw) + 1) for c in cuts} | {0, len(raw)})
    for start, end in zip(points, points[1:]):
        shown += stream.feed(raw[start:end])
        assert expected.startswith(shown)
    shown += stream.close()
    assert shown == expected
