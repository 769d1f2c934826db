"""The numbers of a text as the text audit reads them: value, precision, the words just before, place.

A `Figure` is a claim of `assistant.checking.extract` with what the audit's arithmetic needs: the value in
the dimension's base unit (元 for money), half of its last written place (its rounding), the label (the
words of its clause before it: "其中公务接待费为"), whether it states a change (比上年减少2万元, 下降0.46%)
or last year's figure (比上年累计支出433万元), and where it stands (sentence, paragraph, inside brackets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.checking.extract import Mention, extract
from assistant.figures.numbers import format_number

# A label runs back from the number to the nearest of these (or to the previous number).
_LABEL_STOPS = "，,。；;：:、（）()\n！？!?"
_PRIOR = re.compile(r"上年|去年|上一年|同期|上年度")
_CHANGE_WORDS = re.compile(r"比上年|较上年|同比|比去年|增减")
_LEADING = re.compile(r"^(?:其中|另|共|合计|总计|共计|全部|分别为|包括|[0-9一二三四五六七八九十]+[、.．]|\s)+")
_TRAILING = re.compile(r"(?:为|是|达|达到|约|共|计|合计|总计|：|:|\s)+$")
_OPEN, _CLOSE = "（(", "）)"


@dataclass(frozen=True)
class Figure:
    index: int
    start: int
    end: int
    text: str
    value: Decimal  # base units (元, 人 …), negative for a stated decrease
    half: Decimal  # half of the last written place, base units
    dimension: str | None
    unit: str | None
    scale: Decimal
    places: int
    label: str  # the clause's words before the number, as written
    label_start: int
    sentence: int
    paragraph: int
    bracketed: bool  # inside （…）
    change: bool
    prior: bool
    percent: bool
    approximate: bool  # 约, 余, 超过 … or a range
    comparator: str | None

    @property
    def name(self) -> str:
        """The label without list words and linking verbs: "其中公务接待费为" → "公务接待费"."""
        return _TRAILING.sub("", _LEADING.sub("", self.label)).strip()

    @property
    def magnitude(self) -> Decimal:
        return abs(self.value)

    def show(self, value: Decimal) -> str:
        """A value in this figure's unit and written precision ("89.99万元")."""
        return format_number(value / self.scale, self.places) + (self.unit or "")

    def evidence(self, text: str, role: str = "") -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "role": role,
                "label": self.name, "line": text.count("\n", 0, self.start) + 1}


def figures(text: str) -> list[Figure]:
    """Every claimed number of `text` with a unit (bare table cells are left to the table rules)."""
    mentions, _ignored = extract(text)
    found: list[Figure] = []
    previous_end = 0
    for mention in mentions:
        figure = _figure(text, mention, len(found), previous_end)
        previous_end = mention.end
        if figure is not None:
            found.append(figure)
    return found


def _figure(text: str, mention: Mention, index: int, previous_end: int) -> Figure | None:
    if mention.unit is None or mention.unit.describes:
        return None
    label_start = mention.start
    floor = max(previous_end, text.rfind("\n", 0, mention.start) + 1)
    while label_start > floor and text[label_start - 1] not in _LABEL_STOPS:
        label_start -= 1
    label = text[label_start:mention.start]
    scale = mention.unit.scale
    change = mention.sign is not None and not mention.level
    value = mention.value * scale
    if change and mention.sign == -1 and value > 0:
        value = -value
    places = max(0, -mention.ulp.as_tuple().exponent) if mention.ulp < 1 else 0
    return Figure(
        index=index, start=mention.start, end=mention.end, text=mention.text, value=value,
        half=mention.ulp * scale / 2, dimension=mention.unit.dimension, unit=mention.unit.name, scale=scale,
        places=places, label=label, label_start=label_start,
        sentence=sum(text.count(mark, 0, mention.start) for mark in "。！？\n"),
        paragraph=text.count("\n", 0, mention.start), bracketed=_bracketed(text, mention.start),
        change=change or bool(_CHANGE_WORDS.search(label) and mention.sign is not None),
        prior=not change and bool(_PRIOR.search(label)),
        percent=mention.unit.dimension == "percent",
        approximate=mention.approx is not None or mention.upper is not None,
        comparator=mention.comparator,
    )


def _bracketed(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    depth = 0
    for char in text[line_start:position]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
    return depth > 0
