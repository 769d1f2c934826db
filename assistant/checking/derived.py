"""Derived figures: 人均 / 户均 / 每… / 平均 numbers are ratios of two other figures.

"共追回拖欠农民工工资1192.24万元，惠及民工1241人，人均约0.96万元": the last number is no fact of the
ledger and must not be compared with one that merely shares its unit. It is verified when some figure
of its dimension divided by a count of what the cue names (人, 户, 件 …) gives it at its written
precision — figures of the same paragraph, or facts its sentence names — and `unsupported` when no
pair gives it. A per-unit fact of the ledger itself (城乡居民基本养老保险月人均养老金180元) is checked
as any fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from assistant.checking.bind import STRONG, WEAK, Binding, Claim, claim_intervals
from assistant.checking.extract import is_small_chinese_count
from assistant.checking.findings import NumberFinding
from assistant.checking.index import Entry, FactIndex
from assistant.checking.lexicon import unit_table
from assistant.figures.numbers import format_number

# cue → dimensions of the denominator; None: any count (平均)
_CUES: dict[str, tuple[str, ...] | None] = {
    "人均": ("persons", "person_times"), "户均": ("households",), "件均": ("count_jian",), "场均": ("count_chang",),
    "次均": ("count_ci", "person_times"), "亩均": ("area_mu",), "平均": None,
}
_EACH = re.compile(r"每(?:一)?([\u4e00-\u9fff]{1,2})")
_CUE = re.compile("|".join(_CUES) + r"|每(?:一)?[\u4e00-\u9fff]{1,2}")
_WINDOW = 14  # characters before a number where its cue may stand (人均约, 平均每人发放)
_NOT_COUNTS = ("money", "percent", "percentage_point", "score", "money_per_person", "age")
MAX_FACTS = 12  # facts the sentence names, per side, tried as operands


@dataclass(frozen=True)
class Operand:
    value: Decimal  # in base units
    half: Decimal  # half its last written place, in base units
    text: str  # as written or displayed
    span: tuple[int, int] | None = None  # a number of the text
    key: str | None = None  # a fact of the ledger


def derived_cue(claim: Claim) -> tuple[str, tuple[str, ...] | None] | None:
    """(cue word, denominator dimensions) when the number's own clause calls it a per-unit figure."""
    mention = claim.mention
    if mention.unit is None or mention.unit.dimension in ("percent", "percentage_point") \
            or is_small_chinese_count(mention):
        return None  # 每一位劳动者: a word, not a per-unit figure
    before = claim.context.before[-_WINDOW:]
    found = None
    for match in _CUE.finditer(before):
        found = match
    if found is None:
        return None
    word = found.group()
    if word in _CUES:
        return word, _CUES[word]
    each = _EACH.match(word)
    unit = _each_unit(each.group(1)) if each else None
    if unit is None:
        return None
    return "每" + unit[0], (unit[1],)


def _each_unit(word: str) -> tuple[str, str] | None:
    """每人 → (人, persons), 每户 → (户, households), 每件 → (件, count_jian): the unit table's dimension."""
    table = unit_table()
    for length in (2, 1):
        unit = table.units.get(word[:length])
        if unit is not None:
            return word[:length], unit.dimension
    return None


def is_per_unit_fact(entry: Entry) -> bool:
    return any(cue in entry.fact.label for cue in (*_CUES, "每")) or entry.fact.unit.endswith("/人")


def derived_finding(claim: Claim, binding: Binding, base: dict, claims: Sequence[Claim], index: FactIndex,
                    cue: tuple[str, tuple[str, ...] | None]) -> NumberFinding | None:
    """The finding of a per-unit number, or None when the binding stands (a verified fact, or a
    per-unit fact of the ledger the words name clearly)."""
    if binding.status == "verified":
        return None
    if binding.entry is not None and binding.score >= STRONG and is_per_unit_fact(binding.entry):
        return None
    word, denominators = cue
    mention = claim.mention
    numerators, counts = _operands(claim, claims, binding, index, denominators)
    _, loose = claim_intervals(mention, abs(mention.value))
    scale = mention.unit.scale
    for a in numerators:
        for b in counts:
            if b.value == 0 or (a.span is not None and a.span == b.span):
                continue
            ratio = a.value / b.value / scale
            if loose.overlaps(ratio, ratio):
                shown = format_number(ratio, max(0, -mention.ulp.as_tuple().exponent)) + mention.unit.name
                formula = f"{a.text} ÷ {b.text}"
                related = tuple(o.span for o in (a, b) if o.span is not None)
                return NumberFinding(**base, status="verified", expected=shown, formula=formula,
                                     inputs=tuple(o.key for o in (a, b) if o.key),
                                     message=f"{word}数：等于{formula}（约{shown}）", related=related)
    return NumberFinding(**base, status="unsupported",
                         message=f"{word}数：同段和数据中没有两个数之比等于此数，请核实计算")


def _operands(claim: Claim, claims: Sequence[Claim], binding: Binding, index: FactIndex,
              denominators: tuple[str, ...] | None) -> tuple[list[Operand], list[Operand]]:
    mention = claim.mention
    dimension = mention.unit.dimension

    def is_count(name: str | None) -> bool:
        if name is None:
            return False
        return name in denominators if denominators is not None else name not in _NOT_COUNTS

    numerators: list[Operand] = []
    counts: list[Operand] = []
    for other in claims:  # the figures of the paragraph
        found = other.mention
        if other is claim or other.context.group != claim.context.group or found.unit is None \
                or found.approx_kind == "threshold":
            continue
        operand = Operand(abs(found.value) * found.unit.scale, found.ulp * found.unit.scale / 2, found.text,
                          span=(found.start, found.end))
        if found.unit.dimension == dimension and not other.comparison:
            numerators.append(operand)
        elif is_count(found.unit.dimension):
            counts.append(operand)
    named = sorted((binding.scores or {}).items(), key=lambda item: -item[1])
    tops: dict[str, int] = {"numerator": 0, "count": 0}
    for i, score in named:
        if score < WEAK:
            break
        entry = index.entries[i]
        if entry.unit is None or entry.is_prior or entry.is_change or entry.fact.value is None:
            continue
        operand = Operand(abs(entry.point), Decimal(0), entry.fact.display, key=entry.key)
        if entry.unit.dimension == dimension and tops["numerator"] < MAX_FACTS:
            numerators.append(operand)
            tops["numerator"] += 1
        elif is_count(entry.unit.dimension) and tops["count"] < MAX_FACTS:
            counts.append(operand)
            tops["count"] += 1
    return numerators, counts




def share_finding(claim: Claim, binding: Binding, base: dict, claims: Sequence[Claim]) -> NumberFinding | None:
    """A share stated after the two counts it divides ("受理224件，立案后调解118件，调解案件过半"): a
    rate the ledger does not give, or names another rate for, is verified when one count of its
    sentence divided by another gives it. Otherwise the binding stands (None)."""
    mention = claim.mention
    if binding.status not in ("mismatch", "unsupported") or binding.detail or mention.unit is None \
            or mention.unit.dimension != "percent" or claim.comparison:
        return None
    sentence_start = mention.start - len(claim.context.before)
    counts = [other.mention for other in claims
              if other is not claim and sentence_start <= other.mention.start < mention.start
              and other.context.group == claim.context.group and other.mention.unit is not None
              and other.mention.unit.dimension not in _NOT_COUNTS and not other.comparison]
    _, loose = claim_intervals(mention, abs(mention.value))
    for a in counts:
        for b in counts:
            if a is b or a.unit.dimension != b.unit.dimension or b.value == 0:
                continue
            share = abs(a.value) * a.unit.scale / (abs(b.value) * b.unit.scale) * 100 / mention.unit.scale
            if loose.overlaps(share, share):
                formula = f"{a.text} ÷ {b.text} × 100%"
                return NumberFinding(**base, status="verified", formula=formula, message=f"占比：等于{formula}",
                                     expected=format_number(share * mention.unit.scale, 2) + "%",
                                     related=((a.start, a.end), (b.start, b.end)))
    return None


__all__ = ["derived_cue", "derived_finding", "is_per_unit_fact", "share_finding"]
