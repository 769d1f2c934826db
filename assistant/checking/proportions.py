"""Proportions written in words that are no numeral followed by a unit: fractions (三分之二, 千分之三),
百分之百, halves (一半, 近半, 过半) and doubling (翻一番, 翻两番).

六成 and 两倍 need nothing here: 成 (× 10%) and 倍 (× 100%) are units of the percent dimension in
data/units.yaml. Each span found here becomes a percent claim (`WordProportion`) that the extractor
reads like a number: an approximation word before it (近, 约, 超过, 不足) or a bound after it (以上)
widens it exactly as for digits. Only spans these patterns find are parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.checking.numerals import DIGITS, NumeralError, parse_chinese

HUNDRED = Decimal(100)
_NUMERAL = "[" + "".join(DIGITS) + "十百千万0-9]+"
# N分之M; 百分之 is read by the extractor as a percent sign (百分之九十五), except 百分之百 below
_FRACTION = re.compile(f"(?P<den>{_NUMERAL})分之(?P<num>{_NUMERAL})")
_WHOLE = re.compile(r"百分之(?:一)?百(?![分之\d一二三四五六七八九十])")
# 一半 / 半数 / 近半 / 过半 / 超半 (a lone 半 is a word: 半年, 上半年, 半天)
_HALF = re.compile(r"(?:(?P<over>过)半(?:数)?|(?<=[近超逾约])半(?:数)?|一半|半数)(?![年月天日小个])")
_LONE_UNITS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000)}
# 翻番 / 翻一番 / 翻了两番: the later figure is 2, 4, 8 … times the earlier one
_DOUBLING = re.compile(r"翻(?:了)?(?P<times>[一两二三])?番")
_DOUBLINGS = {None: 1, "一": 1, "两": 2, "二": 2, "三": 3}


@dataclass(frozen=True)
class WordProportion:
    start: int
    end: int
    value: Decimal  # in percent
    ulp: Decimal  # the written precision, in percent
    change: bool = False  # 翻番 states a change (+100%), not a level
    approx: str | None = None  # 过半: "more than half", an approximation word of its own
    approx_kind: str | None = None


def _number(text: str) -> Decimal:
    if text.isdigit():
        return Decimal(text)
    if text in _LONE_UNITS:
        return _LONE_UNITS[text]
    return parse_chinese(text)[0]


def word_proportions(folded: str, start: int = 0) -> list[WordProportion]:
    """Every proportion in words of `folded` from `start`, in text order (spans do not overlap)."""
    found: list[WordProportion] = []
    for match in _FRACTION.finditer(folded, start):
        if match.group("den") in ("百",):
            continue  # 百分之九十: the extractor's 百分之
        try:
            denominator, numerator = _number(match.group("den")), _number(match.group("num"))
        except (NumeralError, ValueError):
            continue
        if denominator == 0 or numerator > denominator:
            continue
        value = (numerator / denominator * HUNDRED).quantize(Decimal("0.01"))
        # a fraction names a share to two digits: 三分之二 stands for 66.67% ± half a point, 千分之三 0.30% ± 0.005
        found.append(WordProportion(match.start(), match.end(), value, Decimal(1).scaleb(value.adjusted() - 1)))
    for match in _WHOLE.finditer(folded, start):
        found.append(WordProportion(match.start(), match.end(), HUNDRED, Decimal(1)))
    for match in _HALF.finditer(folded, start):
        # 一半 is as loose as 五成: 50% ± 5 points
        over = ("过", "at_least") if match.group("over") else (None, None)
        found.append(WordProportion(match.start(), match.end(), Decimal(50), Decimal(10), False, *over))
    for match in _DOUBLING.finditer(folded, start):
        times = _DOUBLINGS[match.group("times")]
        value = (Decimal(2) ** times - 1) * HUNDRED
        found.append(WordProportion(match.start(), match.end(), value, Decimal(10), change=True))
    found.sort(key=lambda p: p.start)
    kept: list[WordProportion] = []
    for proportion in found:
        if kept and proportion.start < kept[-1].end:
            continue
        kept.append(proportion)
    return kept


__all__ = ["WordProportion", "word_proportions"]
