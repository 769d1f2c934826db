"""examples/taojiang-rsj-2024.yaml transcribes every figure the seed report prints.

Each number of the original text (corpus/taojiang-rsj-2024.txt) must be the value of some fact of the
example's ledger, so that the seed's own text can be checked against the data later. Numbers that are
not figures are set aside by rule: years and dates, list markers, document numbers, the phone number,
and numbers inside quoted names ("411"监管机制).
"""

import re
from decimal import Decimal

from assistant.figures.numbers import decimals_of, quantize
from tests.conftest import ROOT

SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"
NOT_FIGURES = [
    r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?",  # years and dates
    r"\d{1,2}月份?",
    r"〔\d{4}〕\d+号",  # document numbers
    r"“[^”]*”",  # quoted names
    r"联系电话：\d+",
    r"(?:^|(?<=[\n。；;：:，\s]))\d{1,2}、",  # list markers "1、" at a clause start
    r"[（(]\d+[)）]",
    r"[①-⑩]",
    r"附件\d+",
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def seed_figures() -> list[str]:
    text = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    for pattern in NOT_FIGURES:
        text = re.sub(pattern, " ", text)
    return NUMBER.findall(text)


def test_every_figure_of_the_seed_is_a_fact_of_the_example(example_ledger):
    values = [fact.value for fact in example_ledger if fact.value is not None]

    def stated(printed: str) -> bool:
        # A printed figure matches a fact rounded to the decimals it was printed with (89.16 ↔ 89.1566…).
        number = Decimal(printed)
        return any(quantize(value, decimals_of(number)) == number for value in values)

    missing = sorted({n for n in seed_figures() if not stated(n)}, key=Decimal)
    assert missing == []


def test_the_check_sees_the_seed_figures():
    figures = seed_figures()
    assert len(figures) > 120
    for printed in ("89.16", "98.91", "9.89", "60158", "-39740", "-39.78", "597464", "3.606", "109.32"):
        assert printed in figures
