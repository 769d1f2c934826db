"""The checker benchmark's injector (evals/checker/inject.py): every category changes the text exactly
where its recorded span says, deterministically from the seed; and a small run completes."""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.pipeline import generate  # noqa: E402
from assistant.render.text import document_text  # noqa: E402
from evals.checker import inject  # noqa: E402
from evals.checker.documents import report_body, strip_front_matter  # noqa: E402
from evals.checker.inject import CATEGORIES, CleanDoc, Injection, Mention, make_injections  # noqa: E402
from evals.checker.oracle import find_mentions  # noqa: E402
from evals.checker.run import is_detected, load_checker, main  # noqa: E402

DEMO = ROOT / "examples" / "demo-weijian-2024.yaml"


@pytest.fixture(scope="module")
def doc() -> CleanDoc:
    package = generate(DEMO)
    text = report_body(document_text(package.document))
    ledger = package.figures.ledger
    return CleanDoc("draft:demo-weijian-2024", text, ledger, find_mentions(text, ledger))


def _many(doc: CleanDoc, category: str, count: int = 25) -> list[Injection]:
    rng = random.Random(11)
    made = [inject.INJECTORS[category](doc, rng) for _ in range(count)]
    return [i for i in made if i is not None]


def _outside_unchanged(original: str, injection: Injection) -> None:
    """Text before the first span and after the last span is the original text."""
    first, last = min(s for s, _ in injection.spans), max(e for _, e in injection.spans)
    tail = len(injection.text) - last
    assert injection.text[:first] == original[:first]
    assert injection.text[last:] == original[len(original) - tail:]


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_changes_the_text_at_its_span(doc, category):
    injections = _many(doc, category)
    assert injections, f"{category}: no candidate in the demo report"
    for injection in injections:
        assert injection.category == category and injection.doc == doc.id
        assert injection.text != doc.text
        assert len(injection.spans) == (2 if category == "swap" else 1)
        for start, end in injection.spans:
            assert 0 <= start < end <= len(injection.text)
        _outside_unchanged(doc.text, injection)
        assert all(piece in injection.text for piece in injection.after.split(" | "))
        assert "【" in injection.context()


def _span_text(injection: Injection, k: int = 0) -> str:
    start, end = injection.spans[k]
    return injection.text[start:end]


def test_digit_categories_keep_the_shape(doc):
    for injection in _many(doc, "digit_substitution"):
        new, old = _span_text(injection), injection.before
        assert len(new) == len(old) and sum(a != b for a, b in zip(new, old)) == 1
    for injection in _many(doc, "digit_transposition"):
        new, old = _span_text(injection), injection.before
        assert sorted(new) == sorted(old) and new != old
    for injection in _many(doc, "decimal_shift"):
        new, old = Decimal(_span_text(injection)), Decimal(injection.before)
        assert new in (old * 10, old / 10)


def test_unit_swap_and_percentage(doc):
    for injection in _many(doc, "unit_swap"):
        new = _span_text(injection)
        assert new.endswith("元") and new != injection.before
        assert new.removesuffix("万元").removesuffix("元") == injection.before.removesuffix("万元").removesuffix("元")
    for injection in _many(doc, "percentage_change"):
        start, end = injection.spans[0]
        assert injection.text[end] in "%％"
        assert abs(Decimal(_span_text(injection)) - Decimal(injection.before)) >= Decimal("0.5")


def test_stale_uses_a_prior_year_fact(doc):
    pairs = inject.prior_pairs(doc.ledger)
    assert pairs["meeting_fee.current"].key == "meeting_fee.prior"
    assert pairs["sangong_yuan.total.final"].key == "sangong_yuan.total.prior_final"
    assert pairs["project.public_health.records"].key == "project.public_health.records.prior"
    for injection in _many(doc, "stale_prior"):
        current_key, prior_key = injection.detail.split(" ← ")
        prior = doc.ledger[prior_key]
        assert Decimal(_span_text(injection)) == prior.rounded
        assert doc.ledger[current_key].period == "current" and prior.period == "prior"


def test_stale_writes_the_prior_figure_in_the_unit_of_the_text(doc):
    # a checker may bind "418660元" to the 万元 twin of the 元 figure; the stale figure stays in 元
    text = "全年实际支出418660元。"
    mention = Mention(6, 13, "sangong_yuan.total.final_wan", "元")
    clean = CleanDoc("t", text, doc.ledger, (mention,))
    assert inject.stale_prior(clean, random.Random(0)).after == "100995"


def test_swap_exchanges_two_figures_of_one_unit(doc):
    for injection in _many(doc, "swap"):
        a, b = injection.before.split(" | ")
        assert (_span_text(injection, 0), _span_text(injection, 1)) == (b, a)
        assert Decimal(a) != Decimal(b)


def test_rounding_is_one_unit_in_the_last_place(doc):
    for injection in _many(doc, "rounding"):
        old, new = injection.before, _span_text(injection)
        places = len(old.split(".")[1]) if "." in old else 0
        assert abs(Decimal(new) - Decimal(old)) == Decimal(1).scaleb(-places)
    # the wrong neighbour of a rounded value: 98.2996…% is 98.30%, written 98.29%
    text = "预算执行率为98.30%。"
    mention = Mention(6, 12, "funding.execution_rate", "%")
    clean = CleanDoc("t", text, doc.ledger, (mention,))
    assert inject.rounding(clean, random.Random(0)).after == "98.29"


def test_direction_word_flips_the_word_before_a_figure(doc):
    for injection in _many(doc, "direction_word"):
        new = _span_text(injection)
        word = next(w for w in sorted(inject.DIRECTION_FLIPS, key=len, reverse=True) if injection.before.startswith(w))
        assert new.startswith(inject.DIRECTION_FLIPS[word])
        assert new[len(word):] == injection.before[len(word):]


def test_broken_sum_changes_one_part_of_an_adding_sentence(doc):
    sentences = inject.sum_sentences(doc)
    totals = {total.digits for total, _ in sentences}
    assert {"59", "31482"} <= totals  # 干职工 59 = 36 + 23; 慢性病患者 31482 = 23765 + 7717
    for injection in _many(doc, "broken_sum"):
        assert Decimal(_span_text(injection)) != Decimal(injection.before)


def test_plan_is_reproducible_and_balanced(doc):
    first = make_injections([doc], 60, seed=5)
    second = make_injections([doc], 60, seed=5)
    other = make_injections([doc], 60, seed=6)
    assert [(i.category, i.text) for i in first.injections] == [(i.category, i.text) for i in second.injections]
    assert [i.text for i in first.injections] != [i.text for i in other.injections]
    counts = {c: sum(i.category == c for i in first.injections) for c in CATEGORIES}
    assert set(counts.values()) == {6} and not first.shortfall


def test_detection_needs_an_alarm_on_every_span():
    class F:
        def __init__(self, start, end, status):
            self.start, self.end, self.status = start, end, status

    assert is_detected([F(3, 8, "mismatch")], [(5, 6)])
    assert not is_detected([F(3, 8, "verified"), F(3, 8, "ignored")], [(5, 6)])
    assert not is_detected([F(3, 8, "mismatch")], [(5, 6), (20, 24)])
    assert is_detected([F(3, 8, "stale"), F(19, 21, "unsupported")], [(5, 6), (20, 24)])


def test_front_matter_and_body():
    assert strip_front_matter("---\na: 1\n---\n附件1\n正文\n") == "附件1\n正文\n"
    assert report_body("标题\n正文\n\n附件1\n表\n") == "标题\n正文\n\n"


def test_small_dry_run_completes(capsys):
    assert main(["--oracle", "--n", "30", "--seed", "3"]) == 0
    assert "百分比改动" in capsys.readouterr().out


def test_small_run_with_the_checker_completes(capsys):
    if load_checker() is None:
        pytest.skip("assistant.checking.check_text is not available yet")
    assert main(["--n", "20", "--seed", "3", "--no-paraphrases"]) in (0, 1)
    assert "召回率" in capsys.readouterr().out
