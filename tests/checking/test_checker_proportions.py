"""Proportions in words (issue 13): 成, 百分之N, 分之 fractions, 倍, 翻番, 近半 — percent claims with the
interval semantics of 近/约/超 (劳动人事争议调解率 is 62.00% in the seed's data)."""

from decimal import Decimal

import pytest

from assistant.checking import check_text
from assistant.checking.bind import claim_intervals
from assistant.checking.extract import extract


def verdict(text, ledger):
    """The last number of `text` (the proportion; figures before it are context)."""
    found = [f for f in check_text(text, ledger) if f.check == "number" and f.status != "ignored"]
    return found[-1]


@pytest.mark.parametrize("words, low, high", [
    ("六成", "55", "65"), ("超过六成", "60", "70"), ("近七成", "60", "70"), ("约七成", "65", "75"),
    ("三分之二", "66.17", "67.17"), ("千分之三", "0.295", "0.305"), ("百分之百", "99.5", "100.5"),
    ("两倍", "150", "250"), ("1.5倍", "145", "155"), ("近半", "40", "50"), ("过半", "50", "60"),
])
def test_a_proportion_in_words_is_a_percent_interval(words, low, high):
    mention = extract(words)[0][0]
    _, loose = claim_intervals(mention, abs(mention.value))
    scale = mention.unit.scale
    assert (loose.low * scale, loose.high * scale) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text, status", [
    ("劳动人事争议调解率超过六成。", "verified"),
    ("劳动人事争议调解率超过七成。", "mismatch"),
    ("劳动保障监察举报投诉案件结案率近九成。", "mismatch"),  # 近九成 is at most 90%
    ("劳动人事争议调解率约六成。", "verified"),
    ("劳动人事争议调解率不足三分之二。", "verified"),
    ("劳动人事争议调解率超过三分之二。", "mismatch"),
    ("劳动保障监察举报投诉案件结案率达到百分之百。", "verified"),
    ("劳动保障监察举报投诉案件结案率为百分之九十。", "mismatch"),
    ("新增城镇就业6240人，为目标任务的1.3倍。", "verified"),
    ("新增城镇就业6240人，为目标任务的两倍。", "mismatch"),
])
def test_a_proportion_in_words_is_checked_like_a_figure(example_ledger, text, status):
    assert verdict(text, example_ledger).status == status


def test_doubling_is_a_rise_of_one_hundred_percent(example_ledger):
    found = verdict("2024年“三公”经费比上年翻了一番。", example_ledger)
    assert found.status == "mismatch" and found.value == Decimal(100) and found.expected == "-39.78%"


@pytest.mark.parametrize("text", ["一成不变", "三成员单位", "上半年", "半年来", "近半年", "十分重要"])
def test_words_that_only_look_like_proportions_are_words(text):
    assert extract(text)[0] == []


def test_a_share_of_two_counts_of_the_sentence_is_verified_by_their_ratio(example_ledger):
    found = verdict("受理劳动人事争议调解案件224件，立案后调解118件，调解案件过半。", example_ledger)
    assert found.text == "过半" and found.status == "verified" and found.formula == "118件 ÷ 224件 × 100%"
