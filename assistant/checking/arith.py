"""Arithmetic inside the text: relations between the numbers of a sentence, checked without a table.

- 其中: a total and the parts listed after 其中 (参保人数597464人，其中：机保26479人；…);
- 增减额 and 增减率: "比上年减少2538元，下降13.17%" against the two values the sentence relates
  (本年 and 上年, or 决算 and 年初预算);
- 方向词: "由92.4%提升至99%" — the word must agree with the two numbers; "提高6.6个百分点" after it
  must be their difference;
- 比率: a rate (调解率62%) equal to a ratio of two counts of the same paragraph.

A relation is a finding of its own (`check` = sum / difference / percent / direction / ratio). Its span
runs from the first number of the relation to the last (the stretch of text that does or does not add
up), `related` lists the spans of the numbers involved, `value`/`unit` are those of the number judged
(the total, the difference, the rate) and `expected` what the others give for it.

Only relations whose parts are found reliably are judged: operands of a difference must stand in the
same sentence; a 其中 list may be incomplete, so parts that fall short of the total are reported only
when the gap looks like a typing error (one wrong digit, two swapped digits) and some number of the
relation is not verified against the ledger. A rate is only ever verified (without a rule for which
counts a rate relates, a disagreement proves nothing). A number the ledger does not support but a
relation of verified numbers explains (提高6.6个百分点) is verified by that relation.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from assistant.checking.findings import NumberFinding
from assistant.checking.lexicon import words
from assistant.checking.scope import qizhong_end
from assistant.figures.numbers import format_number

HUNDRED = Decimal(100)
RATIO_OPERANDS = 8  # a rate is compared with ratios of the few counts before it in its paragraph
_LEVEL = re.compile(r"^\s*(提升|提高|增长|增加|上升|上涨|增|提|升|下降|降低|减少|回落|下滑|降|减)(至|到)\s*$")
_UP_LEVEL = {"提升", "提高", "增长", "增加", "上升", "上涨", "增", "提", "升"}
_BUDGET_CUE = re.compile(r"年初预算|预算数|预算安排|本年预算")
_YEAR_CUE = re.compile(r"上年|去年|同期|上一年")


@dataclass
class _Number:
    position: int  # index into the claims
    start: int
    end: int
    value: Decimal  # signed, in base units
    half: Decimal  # half of the last written place, in base units
    dimension: str | None
    signed: bool  # carries a sign (a minus sign or a direction word)
    comparison: bool  # stated as a change (比上年减少…, 下降…%)
    percent: bool
    period: str | None
    budget: bool  # the clause speaks of a budget (年初预算160000元)
    line: int
    sentence: int
    verified: bool
    in_table: bool
    text: str
    places: int
    unit_name: str | None
    scale: Decimal


def _numbers(text: str, claims, findings: Sequence[NumberFinding]) -> list[_Number]:
    numbers = []
    line = sentence = 0
    cursor = 0
    for position, (claim, finding) in enumerate(zip(claims, findings)):
        mention = claim.mention
        segment = text[cursor:mention.start]
        line += segment.count("\n")
        sentence += sum(segment.count(mark) for mark in "。！？\n")
        cursor = mention.start
        scale = mention.base_scale
        value = mention.value
        if claim.comparison and mention.sign == -1 and value > 0:
            value = -value
        local = claim.context.segments[0][0] if claim.context.segments else ""
        numbers.append(_Number(
            position=position, start=mention.start, end=mention.end, value=value * scale,
            half=mention.ulp * scale / 2, dimension=mention.unit.dimension if mention.unit else None,
            signed=mention.sign is not None, comparison=claim.comparison, percent=bool(mention.unit and mention.unit.dimension == "percent"),
            period=_own_period(text, mention.start, claim.period), budget=bool(_BUDGET_CUE.search(local)) and not mention.sign,
            line=line, sentence=sentence, verified=finding.status == "verified", in_table=claim.context.in_table,
            text=mention.text, places=max(0, -mention.ulp.as_tuple().exponent) if mention.ulp < 1 else 0,
            unit_name=mention.unit.name if mention.unit else None, scale=scale,
        ))
    return numbers


_PERIOD_CUE = re.compile(r"上年|去年|同期|上一年|此前|原|由|从|\d{4}\s*年")


def _own_period(text: str, start: int, period: str | None) -> str | None:
    """Last year's only when the number's own clause says so: "与上年持平；公务接待费4万元" speaks of this
    year's 4万元 (the cue belongs to the clause before)."""
    if period != "prior":
        return period
    clause_start = max(text.rfind(mark, 0, start) for mark in "，,；;。\n") + 1
    return period if _PERIOD_CUE.search(text, clause_start, start) else None


def _show(value: Decimal, number: _Number) -> str:
    return format_number(value / number.scale, number.places) + (number.unit_name or "")


def _relation(text: str, check: str, ok: bool, judged: _Number, involved: Sequence[_Number], *,
              expected: str | None, formula: str | None, message: str) -> NumberFinding:
    start = min(n.start for n in involved)
    end = max(n.end for n in involved)
    return NumberFinding(
        start, end, text[start:end], "verified" if ok else "mismatch",
        value=judged.value / judged.scale, unit=judged.unit_name, expected=expected, message=message,
        check=check, formula=formula, related=tuple((n.start, n.end) for n in involved),
    )


def _as_number_finding(relation: NumberFinding, judged: _Number) -> NumberFinding:
    """The verdict of a relation as the judged number's own finding (for an upgrade)."""
    return replace(relation, start=judged.start, end=judged.end, text=judged.text, check="number")


def relations(text: str, claims, findings: Sequence[NumberFinding]) -> tuple[list[NumberFinding], dict[int, NumberFinding]]:
    """(relation findings, upgrades): upgrades maps a claim's position to a verified finding that
    replaces its `unsupported` one."""
    everything = _numbers(text, claims, findings)
    numbers = [n for n in everything if not n.in_table and n.dimension is not None]
    upgrades: dict[int, NumberFinding] = {}
    found = _directions(text, numbers, findings, upgrades)
    found += _sums(text, numbers, findings, upgrades)
    found += _differences(text, numbers, findings, upgrades)
    found += _ratios(text, numbers, findings, upgrades)
    found += _score_bounds(text, numbers, everything, claims)
    return found, upgrades


# -- 得分A分（分值B分）: a score never exceeds its weight ------------------------------------------------
_WEIGHT_AFTER = re.compile(r"^\s*[（(]\s*(?:分值|满分)(?:为)?\s*$")
_SCORE_AFTER = re.compile(r"^\s*[，,；;]\s*(?:自评)?得分(?:为)?\s*$")


def score_weight_pairs(text: str, mentions) -> list[tuple[int, int]]:
    """(score, weight) positions among consecutive prose mentions (objects with start, end and unit):
    得分9.89分（分值10分）, 分值为10分，自评得分9.89分."""
    pairs = []
    for a in range(len(mentions) - 1):
        first, second = mentions[a], mentions[a + 1]
        if not (first.unit is not None and second.unit is not None
                and first.unit.dimension == second.unit.dimension == "score"):
            continue
        between = text[first.end:second.start]
        if _WEIGHT_AFTER.match(between):  # 得分9.89分（分值10分）
            pairs.append((a, a + 1))
        elif _SCORE_AFTER.match(between) and text[max(0, first.start - 4):first.start].rstrip("为 ").endswith("分值"):
            pairs.append((a + 1, a))  # 分值为10分，自评得分9.89分
    return pairs


def level_pairs(text: str, mentions) -> list[tuple[int, int]]:
    """(earlier, later) positions among consecutive prose mentions: 由92.4%提升至99%."""
    pairs = []
    markers = words().from_markers
    for a in range(len(mentions) - 1):
        first, second = mentions[a], mentions[a + 1]
        if first.unit is None or second.unit is None or first.unit.dimension != second.unit.dimension:
            continue
        if _LEVEL.match(text[first.end:second.start]) and \
                text[max(0, first.start - 2):first.start].rstrip().endswith(markers):
            pairs.append((a, a + 1))
    return pairs


def _score_bounds(text: str, prose: list[_Number], everything: list[_Number], claims) -> list[NumberFinding]:
    pairs = []
    for first, second in itertools.pairwise(prose):
        if not first.dimension == second.dimension == "score":
            continue
        between = text[first.end:second.start]
        if _WEIGHT_AFTER.match(between):  # 得分9.89分（分值10分）
            pairs.append((first, second))
        elif _SCORE_AFTER.match(between) and text[max(0, first.start - 4):first.start].rstrip("为 ").endswith("分值"):
            pairs.append((second, first))  # 分值为10分，自评得分9.89分
    rows: dict[int, dict[str, _Number]] = {}
    for number in everything:  # a table row: the 自评得分 cell against the 分值 cell
        context = claims[number.position].context
        if not context.in_table or not context.column:
            continue
        kind = "weight" if "分值" in context.column else "score" if "得分" in context.column else None
        if kind is not None:
            rows.setdefault(context.group, {}).setdefault(kind, number)
    pairs += [(row["score"], row["weight"]) for row in rows.values() if "score" in row and "weight" in row]
    found = []
    for score, weight in pairs:
        ok = score.value <= weight.value  # written figures: a score is never written above its weight
        found.append(_relation(text, "bound", ok, score, (score, weight), expected=None,
                               formula=f"{score.text} ≤ {weight.text}",
                               message=f"得分{score.text}不超过分值{weight.text}" if ok
                               else f"得分{score.text}超过了分值{weight.text}，两数疑似写反或有误"))
    return found


# -- 由X提升至Y ------------------------------------------------------------------------------------
def _directions(text: str, numbers: list[_Number], findings, upgrades) -> list[NumberFinding]:
    found = []
    lexicon = words()
    for a, b in itertools.pairwise(numbers):
        if a.sentence != b.sentence or a.dimension != b.dimension or a.comparison or b.comparison:
            continue
        match = _LEVEL.match(text[a.end:b.start])
        if not match or not text[max(0, a.start - 2):a.start].rstrip().endswith(lexicon.from_markers):
            continue
        word = match.group(1) + match.group(2)
        up = match.group(1) in _UP_LEVEL
        change = b.value - a.value
        tolerance = a.half + b.half
        ok = (change > tolerance and up) or (change < -tolerance and not up)
        said = "增加" if change > tolerance else "减少" if change < -tolerance else "持平"
        message = (f"方向词“{word}”与{a.text}→{b.text}一致" if ok
                   else f"方向词“{word}”与数字不符：由{a.text}到{b.text}为{said}")
        found.append(_relation(text, "direction", ok, b, (a, b), expected=said, formula=None, message=message))
        if ok:
            found += _points_after(text, numbers, b, a, change, findings, upgrades)
    return found


def _points_after(text, numbers, later: _Number, earlier: _Number, change, findings, upgrades) -> list[NumberFinding]:
    """"由92.4%提升至99%，提高6.6个百分点": the percentage points are the difference."""
    for number in numbers:
        if number.sentence != later.sentence or number.start <= later.end or number.dimension != "percentage_point":
            continue
        stated = number.value if number.signed else abs(number.value) * (1 if change >= 0 else -1)
        ok = abs(stated - change) <= number.half + later.half + earlier.half
        expected = _show(change, number)
        formula = f"{later.text} − {earlier.text}"
        finding = _relation(text, "difference", ok, number, (earlier, later, number), expected=expected,
                            formula=formula, message=f"等于{formula}" if ok else f"与{formula}不符：应为{expected}")
        if ok and findings[number.position].status == "unsupported" and later.verified and earlier.verified:
            upgrades[number.position] = _as_number_finding(finding, number)
        return [finding]
    return []


# -- 其中 -------------------------------------------------------------------------------------------
def _sums(text: str, numbers: list[_Number], findings, upgrades) -> list[NumberFinding]:
    found = []
    starts = [n.start for n in numbers]
    for match in re.finditer("其中", text):
        at = match.start()
        sentence_end = qizhong_end(text, at, min((p for p in (text.find(mark, at) for mark in "。\n") if p >= 0),
                                                 default=len(text)))
        first = bisect.bisect_right(starts, at)
        last = bisect.bisect_left(starts, sentence_end)
        parts = [n for n in numbers[first:last] if not n.comparison and n.period != "prior"]
        if len(parts) < 2 or parts[0].dimension == "percent":
            continue
        dimension = parts[0].dimension
        parts = [n for n in parts if n.dimension == dimension]
        before = []
        for n in reversed(numbers[:first]):
            if n.line != parts[0].line:
                break
            if n.end <= at and n.dimension == dimension and not n.comparison and n.period != "prior" and not n.budget:
                before.insert(0, n)
        if len(parts) < 2 or not before:
            continue
        total = before[-1]
        # The list may run on past the parts ("其中新建21800亩、改造提升8700亩；新增灌溉面积2.46万亩"):
        # the parts are the shortest run from the first that adds up to the total.
        for count in range(2, len(parts) + 1):
            run = parts[:count]
            stated = sum((p.value for p in run), Decimal(0))
            # Parts are exact at their written precision: only the total's own rounding is tolerated
            # (20 + 20 + 19.99 is 59.99, never 59.97).
            if abs(stated - total.value) <= total.half:
                formula = " + ".join(p.text for p in run)
                finding = _relation(text, "sum", True, total, (total, *run), expected=_show(stated, total),
                                    formula=formula, message=f"{total.text}等于其中各项之和（{formula}）")
                found.append(finding)
                if findings[total.position].status == "unsupported" and all(p.verified for p in run):
                    upgrades[total.position] = _as_number_finding(finding, total)
                break
        else:
            first_two = parts[0].value + parts[1].value
            exceeds = first_two > total.value + total.half
            stated = sum((p.value for p in parts), Decimal(0))
            involved = (total, *parts)
            if exceeds or (_looks_like_a_typo(total.value - stated, total.half)
                           and not all(n.verified for n in involved)):
                run = parts[:2] if exceeds else parts
                shown = first_two if exceeds else stated
                formula = " + ".join(p.text for p in run)
                expected = _show(shown, total)
                found.append(_relation(text, "sum", False, total, (total, *run), expected=expected, formula=formula,
                                       message=f"{total.text}与其中各项之和不符：{formula} = {expected}"))
    return found


def _looks_like_a_typo(gap: Decimal, half: Decimal) -> bool:
    """A gap of one significant digit (a digit changed) or a two-digit multiple of 9 (two digits
    swapped) — unlike the gap left by an incomplete list."""
    gap = abs(gap)
    if gap <= half * 2:
        return False
    digits = f"{gap.normalize():f}".replace(".", "").strip("0")
    if len(digits) == 1:
        return True
    return len(digits) <= 2 and int(digits) % 9 == 0


# -- 比上年增加X，增长Y% ------------------------------------------------------------------------------
def _differences(text: str, numbers: list[_Number], findings, upgrades) -> list[NumberFinding]:
    found = []
    for position, change in enumerate(numbers):
        if not change.comparison or change.percent:
            continue
        clause_start = max(text.rfind(mark, 0, change.start) for mark in "，；\n") + 1
        clause = text[clause_start:change.start]
        kind = "budget" if _BUDGET_CUE.search(clause) else "year" if _YEAR_CUE.search(clause) else None
        if kind is None:
            continue
        earlier = []
        for n in reversed(numbers[:position]):
            if n.sentence != change.sentence:
                break
            if n.dimension == change.dimension and not n.comparison:
                earlier.insert(0, n)
        if kind == "year":
            reference = next((n for n in reversed(earlier) if n.period == "prior"), None)
        else:
            reference = next((n for n in reversed(earlier) if n.budget), None)
        current = next((n for n in reversed(earlier) if n is not reference and n.period != "prior" and not n.budget),
                       None)
        if reference is None and current is not None and kind == "year":
            found += _rate_of_change(text, numbers, position, change, current)
        if reference is None or current is None:
            continue
        difference = current.value - reference.value
        ok = abs(change.value - difference) <= change.half  # the operands are exact as written
        formula = f"{current.text} − {reference.text}"
        expected = _show(difference, change)
        finding = _relation(text, "difference", ok, change, (current, reference, change), expected=expected,
                            formula=formula, message=f"{change.text}等于{formula}" if ok
                            else f"{change.text}与{formula}不符：应为{expected}")
        found.append(finding)
        if ok and findings[change.position].status == "unsupported" and current.verified and reference.verified:
            upgrades[change.position] = _as_number_finding(finding, change)
        rate = numbers[position + 1] if position + 1 < len(numbers) else None
        if rate is None or not (rate.percent and rate.comparison and rate.sentence == change.sentence) \
                or reference.value == 0:
            continue
        low, high = _ratio_bounds(current, reference)
        ok = low - rate.half <= rate.value <= high + rate.half
        expected = _show((current.value - reference.value) / reference.value * HUNDRED, rate)
        formula = f"({current.text} − {reference.text}) ÷ {reference.text} × 100%"
        found.append(_relation(text, "percent", ok, rate, (current, reference, rate), expected=expected,
                               formula=formula, message=f"{rate.text}等于{formula}" if ok
                               else f"{rate.text}与{formula}不符：应为{expected}"))
    return found


def _rate_of_change(text: str, numbers: list[_Number], position: int, change: _Number,
                    current: _Number) -> list[NumberFinding]:
    """"公务接待费88426元，比上年减少16094元，下降15.40%": without last year's amount, the rate is the
    change over this year's amount less the change."""
    rate = numbers[position + 1] if position + 1 < len(numbers) else None
    if rate is None or not (rate.percent and rate.comparison and rate.sentence == change.sentence):
        return []
    values = []
    for a in (current.value - current.half, current.value + current.half):
        for d in (change.value - change.half, change.value + change.half):
            if a - d <= 0:
                return []
            values.append(d / (a - d) * HUNDRED)
    ok = min(values) - rate.half <= rate.value <= max(values) + rate.half
    expected = _show(change.value / (current.value - change.value) * HUNDRED, rate)
    signed = _show(change.value, change)
    formula = f"{signed} ÷ ({current.text} − ({signed})) × 100%"
    return [_relation(text, "percent", ok, rate, (current, change, rate), expected=expected, formula=formula,
                      message=f"{rate.text}等于{formula}" if ok else f"{rate.text}与{formula}不符：应为{expected}")]


def _ratio_bounds(current: _Number, reference: _Number) -> tuple[Decimal, Decimal]:
    values = []
    for a in (current.value - current.half, current.value + current.half):
        for b in (reference.value - reference.half, reference.value + reference.half):
            if b != 0:
                values.append((a - b) / b * HUNDRED)
    return min(values), max(values)


# -- 调解率62% ----------------------------------------------------------------------------------------
def _ratios(text: str, numbers: list[_Number], findings, upgrades) -> list[NumberFinding]:
    found = []
    for position, rate in enumerate(numbers):
        if not rate.percent or findings[rate.position].status != "unsupported":
            continue
        counts = []
        for n in reversed(numbers[:position]):
            if n.line != rate.line or len(counts) >= RATIO_OPERANDS:
                break
            if not n.percent and not n.comparison and n.dimension is not None:
                counts.insert(0, n)
        finding = _ratio_of(text, rate, counts)
        if finding is not None:
            found.append(finding)
            if all(any(n.start == s and n.verified for n in counts) for s, _ in finding.related[:-1]):
                upgrades[rate.position] = _as_number_finding(finding, rate)
    return found


def _ratio_of(text: str, rate: _Number, counts: list[_Number]) -> NumberFinding | None:
    for a in counts:
        for b in counts:
            if a is b or a.dimension != b.dimension:
                continue
            for denominator, formula in ((b.value, f"{a.text} ÷ {b.text}"),
                                         (a.value + b.value, f"{a.text} ÷ ({a.text} + {b.text})")):
                if denominator == 0:
                    continue
                value = a.value / denominator * HUNDRED
                if abs(value - rate.value) <= rate.half:
                    return _relation(text, "ratio", True, rate, (a, b, rate), expected=_show(value, rate),
                                     formula=formula + " × 100%", message=f"{rate.text}等于{formula} × 100%")
    return None
