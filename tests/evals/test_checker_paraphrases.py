"""The paraphrase cases of the checker benchmark (evals/checker/paraphrases.py, issue 13): every planted
case marks text it planted, clean cases are true by construction, and the hand-written set for the seed
is detected and raises no false alarm."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.checking import check_text  # noqa: E402
from assistant.pipeline import generate  # noqa: E402
from assistant.render.text import document_text  # noqa: E402
from evals.checker.inject import CleanDoc  # noqa: E402
from evals.checker.paraphrases import KINDS, generated, hand_written  # noqa: E402
from evals.checker.run import _alarm_key, alarms, run_paraphrases  # noqa: E402

SEED_DRAFT = "draft:taojiang-rsj-2024"


@pytest.fixture(scope="module")
def doc() -> CleanDoc:
    package = generate(ROOT / "examples" / "taojiang-rsj-2024.yaml")
    return CleanDoc(SEED_DRAFT, document_text(package.document), package.figures.ledger)


def test_generated_cases_cover_every_kind_and_mark_what_they_planted(doc):
    cases = generated(doc.id, doc.text, doc.ledger, 2024)
    assert {c.kind for c in cases} == set(KINDS)
    for case in cases:
        assert case.text != doc.text
        if case.span is not None:
            start, end = case.span
            assert case.text[start:end] and case.text[start:end] in case.sentence


def test_hand_written_cases_are_detected_without_false_alarms(doc):
    clean = {doc.id: Counter(_alarm_key(f) for f in alarms(check_text(doc.text, doc.ledger)))}
    only_hand = CleanDoc(doc.id, doc.text, doc.ledger)
    report = run_paraphrases(check_text, [only_hand], clean, generate_cases=False)
    kinds = report["kinds"]
    assert sum(row["planted"] for row in kinds.values()) == len([c for c in hand_written(doc.id, doc.text) if c.span])
    for kind, row in kinds.items():
        assert row["detected"] == row["planted"], (kind, row["misses"])
        assert row["false_alarms"] == 0, (kind, row["alarms"])
