"""Chinese numerals (三千五百, 两万, 十二, 三点五, 二〇二四) to Decimal, with the place of the lowest
digit written (the numeral's precision: 三千五百 is known to the hundred)."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
DECIMAL_POINT = "点"


class NumeralError(ValueError):
    """Not a well-formed Chinese numeral."""


def parse_chinese(text: str) -> tuple[Decimal, Decimal]:
    """(value, place of the lowest written digit). Raises NumeralError for malformed numerals."""
    whole, _, fraction = text.partition(DECIMAL_POINT)
    if not whole or any(char not in NUMERAL_CHARS for char in whole):
        raise NumeralError(text)
    if any(char not in DIGITS for char in fraction):
        raise NumeralError(text)
    if all(char in DIGITS for char in whole):
        # A digit string: 二〇二四 = 2024, 五 = 5.
        value = Decimal("".join(str(DIGITS[char]) for char in whole))
        place = Decimal(1)
    else:
        value, place = _with_units(whole)
    if fraction:
        digits = "".join(str(DIGITS[char]) for char in fraction)
        value += Decimal("0." + digits)
        place = Decimal(1).scaleb(-len(digits))
    return value, place


def _with_units(text: str) -> tuple[Decimal, Decimal]:
    total = 0  # completed 亿 / 万 groups
    section = 0  # the current group below 万
    digit: int | None = None
    lowest = None  # place of the last non-zero digit written
    previous_big = None
    for index, char in enumerate(text):
        if char in DIGITS:
            if digit is not None and digit != 0 and DIGITS[char] != 0:
                raise NumeralError(text)  # 三四: two digits without a unit between them
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            unit = SMALL_UNITS[char]
            if digit is None:
                if char != "十" or section % 100 != 0:
                    raise NumeralError(text)
                digit = 1  # 十五 = 15, 二百十 is unusual but read as 210
            if digit:
                lowest = unit
            section += digit * unit
            digit = None
        else:  # 万 / 亿
            big = BIG_UNITS[char]
            if digit:
                section += digit
                lowest = 1
            digit = None
            if section == 0 and total == 0:
                raise NumeralError(text)  # a lone 万 is a word (万家), not a number
            if previous_big is not None and big > previous_big:
                total = (total + section) * big  # 三千万亿 (rare): multiply everything so far
            else:
                total += section * big
            lowest = (lowest or 1) * big
            section = 0
            previous_big = big
    if digit:
        # A trailing digit right after a unit is one place below it: 三千五 = 3500, 一万二 = 12000.
        before = text[-2:-1]
        unit = SMALL_UNITS.get(before) or BIG_UNITS.get(before) or 10
        place = max(unit // 10, 1)
        section += digit * place
        lowest = place
    return Decimal(total + section), Decimal(lowest or 1)
