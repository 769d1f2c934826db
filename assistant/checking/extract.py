"""Every numeric mention of a Chinese text, with code-point spans.

`extract(text)` returns the claims (`Mention`: a number with its unit, approximation, comparison sign,
range and direction) and the non-claims (`Ignored`: years and dates, list markers, document numbers,
phone numbers, ordinals, numbered names from the protected-term list), each with its reason.

Offsets are code points into the text as given. Matching runs on a copy in which full-width digits and
signs are folded to ASCII one character for one character, so offsets never shift.

Policy notes (docs/checker.md has the full list):
- A Chinese numeral counts only when a unit follows it (三项, 两万人, 百分之九十); "一般", "统一",
  "万家", "十分" are words. A lone 零 is a word (零记录).
- A leading YAML front matter block (--- … ---) is metadata, not text: nothing in it is reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from assistant.checking.lexicon import Unit, protected_pattern, unit_table, words
from assistant.checking.numerals import DIGITS, NumeralError, parse_chinese
from assistant.checking.proportions import WordProportion, word_proportions

# Full-width forms folded to ASCII, one code point for one code point.
_FOLD = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "．": ".", "％": "%", "＋": "+", "－": "-", "−": "-", "～": "~", "＝": "=", "＜": "<", "＞": ">",
    "　": " ", "／": "/",
})


def fold(text: str) -> str:
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Mention:
    """A number the text states.

    `value` is in `unit` as written (3.606万人: value 3.606, unit 万人); `ulp` is the place of the last
    digit written (0.001); `unit.scale` turns both into the dimension's base unit. `unit` is None for a
    bare number (a table cell): it is compared with facts in their own units.
    """

    start: int
    end: int
    text: str
    value: Decimal
    ulp: Decimal
    unit: Unit | None
    number_start: int
    number_end: int
    approx: str | None = None  # the word as written: 约, 余, 超过 …
    approx_kind: str | None = None  # about / at_least / at_most / some_more / nearly
    comparator: str | None = None  # >=, <=, >, <, =
    upper: Decimal | None = None  # the end of a range (3-5个), in `unit`
    sign: int | None = None  # +1 / −1 from a written sign or a direction word; None: not signed
    direction_word: str | None = None
    direction_start: int | None = None
    level: bool = False  # after 提升至 / 下降到: a new level, not a change
    chinese: bool = False
    multiplier: Decimal = Decimal(1)  # for a bare number with 万/亿 (1.2万)

    @property
    def base_scale(self) -> Decimal:
        return self.unit.scale if self.unit is not None else self.multiplier


@dataclass(frozen=True, slots=True)
class Ignored:
    start: int
    end: int
    text: str
    reason: str


# -- non-claims ---------------------------------------------------------------------------------------
_CN = "零〇一二两三四五六七八九十"
_LINE_START = r"(?:^|(?<=[\t：:；;。！？]))[ \u3000]*"
_IGNORE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a figure the draft already marks for review (the carry-forward drafter's 〔待核：原文“83人”〕)
    ("待核标记", re.compile(r"〔待[核补]：[^〔〕]*〕")),
    ("文号", re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号")),
    ("电话号码", re.compile(r"(?<=电话|方式|手机|传真|热线)[：:\s]*\d[\d\- ]{4,}\d")),
    ("电话号码", re.compile(r"(?<![\d.])(?:0\d{2,3}-\d{7,8}|1[3-9]\d{9})(?![\d.])")),
    ("日期", re.compile(r"(?<![\d.])(?:19|20)\d{2}[-/.](?:1[0-2]|0?[1-9])[-/.](?:[12]\d|3[01]|0?[1-9])(?![\d.])")),
    ("日期", re.compile(r"(?<![\d.])(?:19|20)\d{2}\s*年\s*(?:1[0-2]|0?[1-9])\s*月(?:份)?\s*(?:(?:[12]\d|3[01]|0?[1-9])\s*[日号])?")),
    ("年份", re.compile(r"(?<![\d.])(?:19|20)\d{2}\s*(?:[-—~至到]\s*(?:19|20)\d{2}\s*)?年(?:度)?")),
    ("年份", re.compile(r"[〇零一二三四五六七八九]{4}年(?:度)?")),
    ("日期", re.compile(r"(?<![\d.])(?:1[0-2]|0?[1-9])\s*(?:[-—~至到]\s*(?:1[0-2]|0?[1-9])\s*)?月(?:份|底|初|末|中旬|上旬|下旬)?"
                       r"(?:\s*(?:[12]\d|3[01]|0?[1-9])\s*[日号])?")),
    ("日期", re.compile(r"[一二三四五六七八九十]{1,2}月(?:份|底|初|末)?(?:[一二三四五六七八九十]{1,3}[日号])?")),
    ("标准编号", re.compile(r"(?:GB|DB\d*|JGJ|HJ|GA|SL)\s*(?:/\s*T)?\s*\d+(?:\.\d+)?(?:\s*-\s*\d{4})?")),
    ("附件、表格编号", re.compile(r"(?:附件|附表|表|图)\s*\d{1,2}(?![\d.%])")),
    ("序数", re.compile(r"第\s*(?:\d+|[" + _CN + r"百千]+)")),
    ("列表序号", re.compile(r"[（(]\s*(?:\d{1,2}|[" + _CN + r"]{1,3})\s*[）)]")),
    ("列表序号", re.compile(_LINE_START + r"(?:\d{1,2}|[" + _CN + r"]{1,3})\s*[、．.](?!\d)", re.MULTILINE)),
    # a heading's multi-level number: "1.1 政府采购情况", "2.3.1　项目支出" (a space before the title)
    ("列表序号", re.compile(_LINE_START + r"\d{1,2}(?:[.．]\d{1,2}){1,3}[.．、]?(?=[ \u3000]+\S)", re.MULTILINE)),
    ("列表序号", re.compile(r"[" + _CN + r"]{1,3}是(?=[^否非]|$)")),
    ("列表序号", re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
    # a short quoted name with a numeral in it: “411”, “五个一”, “两个确保”
    ("名称中的编号", re.compile(r"[“\"‘「](?=[^”\"’」]{0,8}[”\"’」])[^”\"’」%％元]*?[0-9" + _CN + r"][^”\"’」%％元]*?[”\"’」]")),
    ("时刻", re.compile(r"(?<![\d.])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d.])")),
)

_HAS_NUMBER = re.compile(r"[0-9" + _CN + r"百千万亿①-⑳]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


def front_matter_end(text: str) -> int:
    """Length of a leading YAML front matter block (0 when there is none)."""
    match = _FRONT_MATTER.match(text[:5000])
    return match.end() if match else 0


def _ignored_spans(folded: str, original: str, skip_until: int) -> list[Ignored]:
    found: list[Ignored] = []
    taken = bytearray(len(folded))  # 1 where an earlier rule matched

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    pattern = protected_pattern()
    rules = list(_IGNORE_RULES)
    if pattern is not None:
        rules.insert(0, ("固定名称", pattern))
    for reason, regex in rules:
        for match in regex.finditer(folded):
            start, end = match.span()
            if start < skip_until or start == end or not _HAS_NUMBER.search(folded, start, end):
                continue
            if not free(start, end):
                continue
            text = original[start:end]
            label = f"{reason}：{text}" if reason == "固定名称" else reason
            found.append(Ignored(start, end, text, label))
            taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda item: item.start)
    return found


# -- claims -------------------------------------------------------------------------------------------
_ARABIC = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_CHINESE = re.compile(r"[" + "".join(DIGITS) + "十百千万亿]+(?:点[" + "".join(DIGITS) + "]+)?")
_PERCENT_WORD = "百分之"
# A numeral and the character after it that make a word, not a quantity: 十分重要 (very), 一次性.
_CHINESE_WORDS = {"十": "分", "一": "次性"}
_RANGE_JOIN = re.compile(r"\s*(?:-|~|—|–|至|到)\s*")
_SPACE = " \u3000"  # spaces a number and its unit may have between them (never a tab: a new cell)


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position


def _parse_arabic(digits: str) -> tuple[Decimal, Decimal]:
    clean = digits.replace(",", "")
    value = Decimal(clean)
    places = len(clean.partition(".")[2])
    return value, Decimal(1).scaleb(-places)


@dataclass
class _Suffix:
    end: int
    unit: Unit | None
    multiplier: Decimal
    approx: str | None
    approx_kind: str | None


def _read_suffix(folded: str, position: int) -> _Suffix:
    """Multiplier, 余/多, unit and 以上/左右 after a number."""
    table, lexicon = unit_table(), words()
    multiplier = Decimal(1)
    approx = approx_kind = None
    cursor = _skip_spaces(folded, position)
    # A unit that starts with a multiplier character (万元, 千米) wins over the multiplier.
    direct = table.match(folded, cursor)
    if direct is None:
        for prefix, factor in table.multipliers.items():
            if folded.startswith(prefix, cursor):
                after = cursor + len(prefix)
                if prefix in ("千", "百万", "千万") and table.match(folded, after) is None:
                    continue  # 3千 alone is unusual; 千 must lead into a unit
                multiplier, cursor = factor, after
                break
    for word, kind in words().approx_after_number.items():
        if folded.startswith(word, cursor) and (table.match(folded, cursor + len(word)) or multiplier != 1):
            approx, approx_kind, cursor = word, kind, cursor + len(word)
            break
    unit = None
    matched = table.match(folded, cursor)
    if matched is not None:
        base, cursor = matched
        unit = base if multiplier == 1 else Unit(_multiplier_name(multiplier) + base.name, base.dimension,
                                                 base.scale * multiplier, base.describes)
    end = cursor if (unit is not None or multiplier != 1 or approx) else position
    if unit is not None or multiplier != 1:
        for word, kind in lexicon.approx_after_unit.items():
            if approx is None and folded.startswith(word, end):
                approx, approx_kind, end = word, kind, end + len(word)
                break
    return _Suffix(end, unit, multiplier if unit is None else Decimal(1), approx, approx_kind)


def _multiplier_name(factor: Decimal) -> str:
    for name, value in unit_table().multipliers.items():
        if value == factor:
            return name
    return ""


@dataclass
class _Prefix:
    start: int
    sign: int | None = None
    comparator: str | None = None
    approx: str | None = None
    approx_kind: str | None = None
    percent: bool = False


_WINDOW = 24  # characters before a number where its sign, approximation or direction word may stand


def _alternation(words_: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words_), key=len, reverse=True))


@lru_cache(maxsize=1)
def _before_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns anchored at the end of the text before a number: prefix, change verb, comparative, level."""
    lexicon = words()
    fillers = f"(?:{_alternation(lexicon.fillers)}){{0,2}}"
    prefix = re.compile(
        f"(?:(?P<cmp>{_alternation(lexicon.comparators)})|(?P<approx>{_alternation(lexicon.approx_before)}))?"
        f"[ \u3000]*(?P<pct>{_PERCENT_WORD})?(?:(?<![0-9])(?P<sign>[+-]))?$"
    )
    verb = re.compile(f"(?P<up>{_alternation(lexicon.up_verbs)})?(?P<down>{_alternation(lexicon.down_verbs)})?"
                      f"{fillers}$")
    comparative = re.compile(
        f"(?:(?P<up>{_alternation(lexicon.up_comparatives)})|(?P<down>{_alternation(lexicon.down_comparatives)}))"
        f"(?P<ref>{_alternation(lexicon.references)})?{fillers}$"
    )
    level = re.compile(f"(?:{_alternation(lexicon.up_verbs + lexicon.down_verbs + _LEVEL_CHARS)})"
                       f"(?:{_alternation(lexicon.level_suffix)})$")
    return prefix, verb, comparative, level


def _read_prefix(folded: str, number_start: int, floor: int) -> _Prefix:
    """Sign, 百分之, comparison sign and approximation word right before a number."""
    lexicon = words()
    window_start = max(floor, number_start - _WINDOW)
    match = _before_patterns()[0].search(folded, window_start, number_start)
    prefix = _Prefix(number_start)
    if match is None:
        return prefix
    if match.group("sign"):
        prefix.sign = 1 if match.group("sign") == "+" else -1
    prefix.percent = bool(match.group("pct"))
    if match.group("cmp"):
        prefix.comparator = lexicon.comparators[match.group("cmp")]
    elif match.group("approx"):
        prefix.approx = match.group("approx")
        prefix.approx_kind = lexicon.approx_before[prefix.approx]
    prefix.start = match.start() if (match.group("cmp") or match.group("approx") or match.group("pct")
                                     or match.group("sign")) else number_start
    if prefix.start < number_start and not (match.group("cmp") or match.group("approx")):
        prefix.start = match.start("pct") if match.group("pct") else match.start("sign")
    return prefix


def _read_direction(folded: str, start: int, floor: int) -> tuple[int | None, str | None, int | None, str | None]:
    """(sign, word, word start, comparator) from a direction word before a claim.

    A change verb right before the number (fillers like 了/为 allowed) signs it; a comparative signs it
    only with a reference noun in between (低于年初预算2.60万元), alone it is a comparison (低于5%)."""
    _, verb, comparative, _ = _before_patterns()
    window_start = max(floor, start - _WINDOW)
    match = verb.search(folded, window_start, start)
    if match is not None and (match.group("up") or match.group("down")):
        word = match.group("up") or match.group("down")
        # the longest verb ending here wins (提高 inside 提高了); the pattern tries up verbs first
        return (1 if match.group("up") else -1), word, match.start(), None
    match = comparative.search(folded, window_start, start)
    if match is not None:
        sign = 1 if match.group("up") else -1
        word = match.group("up") or match.group("down")
        if match.group("ref"):
            return sign, word, match.start(), None
        return None, None, None, ">" if sign > 0 else "<"
    return None, None, None, None


_LEVEL_CHARS = ("增", "降", "提", "升", "达", "减")


def _level_verb(folded: str, start: int, floor: int) -> bool:
    """提升至 / 下降到 / 增至 right before the number: a new level, not a change."""
    return _before_patterns()[3].search(folded, max(floor, start - _WINDOW), start) is not None


def _inside(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans."""
    index = bisect.bisect_right(starts, start) - 1
    for s, e in spans[max(index, 0):index + 2]:
        if start < e and end > s:
            return True
    return False


def extract(text: str) -> tuple[list[Mention], list[Ignored]]:
    folded = fold(text)
    skip = front_matter_end(folded)
    ignored = _ignored_spans(folded, text, skip)
    spans = [(item.start, item.end) for item in ignored]
    starts = [span[0] for span in spans]
    mentions: list[Mention] = []
    proportions = {p.start: p for p in word_proportions(folded, skip)}
    in_words = [(p.start, p.end) for p in proportions.values()]
    candidates: list[tuple[int, int, bool]] = [(m.start(), m.end(), False) for m in _ARABIC.finditer(folded, skip)]
    candidates += [(m.start(), m.end(), True) for m in _CHINESE.finditer(folded, skip)]
    # a numeral inside 三分之二 or 翻一番 is part of the proportion
    candidates = [c for c in candidates if not _inside(in_words, [s for s, _ in in_words], c[0], c[1])]
    candidates += [(p.start, p.end, True) for p in proportions.values()]
    candidates.sort()
    consumed_until = skip
    for number_start, number_end, chinese in candidates:
        if number_start < consumed_until:
            continue
        floor = max(consumed_until, _line_start(folded, number_start))
        if number_start in proportions and proportions[number_start].end == number_end:
            mention = _word_claim(folded, text, proportions[number_start], floor)
        else:
            mention = _claim(folded, text, number_start, number_end, chinese, floor=floor)
        if mention is None:
            continue
        if _inside(spans, starts, mention.number_start, mention.number_end):
            continue
        if mentions and mention.start < mentions[-1].end:
            continue
        mentions.append(mention)
        consumed_until = mention.end
    return mentions, ignored


def _line_start(folded: str, position: int) -> int:
    return folded.rfind("\n", 0, position) + 1


def _claim(folded: str, original: str, number_start: int, number_end: int, chinese: bool, floor: int) -> Mention | None:
    digits = folded[number_start:number_end]
    percent_word = folded.endswith(_PERCENT_WORD, floor, number_start)
    if chinese:
        if percent_word and digits.startswith(_PERCENT_WORD[-1]):
            return None
        if not percent_word and unit_table().match(folded, _skip_spaces(folded, number_end)) is None \
                and not folded.startswith(("余", "多"), number_end):
            return None  # a Chinese numeral without a unit is a word (一般, 统一) or a list marker
        try:
            value, ulp = parse_chinese(digits)
        except NumeralError:
            # 百分之九十 is read from 九十; words such as 万家 or 千方百计 are no numbers.
            return None
        if digits in ("零", "〇") or folded.startswith(_CHINESE_WORDS.get(digits, "\0"), number_end):
            return None
    else:
        try:
            value, ulp = _parse_arabic(digits)
        except InvalidOperation:
            return None
    # A range: 3-5个, 3至5个, 3%-5%.
    upper = None
    end = number_end
    suffix = _read_suffix(folded, end)
    join = _RANGE_JOIN.match(folded, suffix.end if suffix.unit is not None and suffix.unit.dimension == "percent" else end)
    if join and not percent_word:
        second = (_ARABIC if not chinese else _CHINESE).match(folded, join.end())
        if second:
            try:
                upper_value, upper_ulp = (parse_chinese(second.group()) if chinese else _parse_arabic(second.group()))
            except (NumeralError, InvalidOperation):
                upper_value = None
            second_suffix = _read_suffix(folded, second.end()) if upper_value is not None else None
            if second_suffix is not None and second_suffix.unit is not None and (
                    suffix.unit is None or suffix.unit == second_suffix.unit) and upper_value > value:
                upper, end, ulp, suffix = upper_value, second.end(), min(ulp, upper_ulp), second_suffix
    if chinese and suffix.unit is None and not percent_word:
        return None  # a Chinese numeral without a unit is a word (一般, 统一) or a list marker
    if suffix.unit is not None and suffix.unit.name == TENTHS:
        if folded.startswith(_NOT_TENTHS, suffix.end):
            return None  # 一成不变, 三成员: 成 begins a word here, it is no share
        ulp = min(ulp, Decimal(1))  # 十成 counts ten tenths: known to the tenth, like 九成
    prefix = _read_prefix(folded, number_start, floor)
    unit = suffix.unit
    if percent_word or prefix.percent:
        unit = unit_table().units["%"]
    start = prefix.start
    sign = prefix.sign
    if sign == -1:
        value = -value
        if upper is not None:
            upper = -upper
    direction_sign, direction_word, direction_start, comparator = _read_direction(folded, start, floor)
    level = False
    if prefix.sign is None and direction_sign is not None:
        sign = direction_sign
    if direction_sign is None:
        level = _level_verb(folded, start, floor)
    approx, approx_kind = prefix.approx, prefix.approx_kind
    if suffix.approx is not None:
        approx, approx_kind = suffix.approx, suffix.approx_kind
    end = max(end, suffix.end)
    return Mention(
        start=start, end=end, text=original[start:end], value=value, ulp=ulp, unit=unit,
        number_start=number_start, number_end=number_end, approx=approx, approx_kind=approx_kind,
        comparator=prefix.comparator or comparator or _bound_side(approx), upper=upper, sign=sign,
        direction_word=direction_word,
        direction_start=direction_start, level=level, chinese=chinese, multiplier=suffix.multiplier,
    )


TENTHS = "成"
# characters after 成 that make it the start of a word (成本, 成员, 成效 …), not 十分之一
_NOT_TENTHS = tuple("不本员果效功为立绩就型品交熟长都")


def _word_claim(folded: str, original: str, proportion: WordProportion, floor: int) -> Mention:
    """A proportion in words (三分之二, 近半, 翻一番) as a percent claim, read with the approximation
    word or sign before it and a bound or 左右 after it, like a number."""
    start, end = proportion.start, proportion.end
    prefix = _read_prefix(folded, start, floor)
    approx, approx_kind = proportion.approx, proportion.approx_kind
    if approx is None:
        approx, approx_kind = prefix.approx, prefix.approx_kind
    for word, kind in words().approx_after_unit.items():
        if approx is None and folded.startswith(word, end):
            approx, approx_kind, end = word, kind, end + len(word)
            break
    sign, direction_word, direction_start, comparator = _read_direction(folded, prefix.start, floor)
    level = sign is None and _level_verb(folded, prefix.start, floor)
    if proportion.change:  # 翻一番: a rise by 100%
        sign, direction_word, direction_start = 1, original[proportion.start:proportion.end], proportion.start
    return Mention(
        start=prefix.start, end=end, text=original[prefix.start:end], value=proportion.value, ulp=proportion.ulp,
        unit=unit_table().units["%"], number_start=proportion.start, number_end=proportion.end, approx=approx,
        approx_kind=approx_kind, comparator=prefix.comparator or comparator or _bound_side(approx),
        sign=sign, direction_word=direction_word, direction_start=direction_start, level=level, chinese=True,
    )


def _bound_side(word: str | None) -> str | None:
    """以上 / 不低于 → ">=", 以内 / 不超过 → "<=": a threshold word is a bound."""
    return words().bounds.get(word) if word else None


def is_small_chinese_count(mention: Mention) -> bool:
    """三项, 两处, 一家: a Chinese count of ten or less, usually wording rather than data."""
    return mention.chinese and mention.upper is None and mention.value <= 10 and mention.ulp >= 1


__all__ = ["Ignored", "Mention", "extract", "fold", "front_matter_end", "is_small_chinese_count"]
