"""The text's own arithmetic beyond what the number checker relates inside one sentence.

The checker (`assistant.checking.arith`) already judges 其中 sums, 比上年 differences and change rates,
由X提升至Y and 得分/分值 inside a sentence. A reviewer's document needs more, with no table behind it:

- **phase sums**: 年初安排8个、年中增加8个 against 共15个; 一批…二批…三批… against 合计 (same unit,
  same paragraph; figures in brackets are sub-items and left out);
- **closed lists**: a 其中 list whose parts name every member of an exhaustive set (基本支出 + 项目支出,
  人员经费 + 公用经费, the three 三公 items) must add up to its total even when the gap is not a typo;
- **shares**: "工资福利支出716052.51元，占基本支出预算81.25%" — the part over the whole named after 占
  (found anywhere in the document), or over the total of the enclosing 其中 list when none is named;
- **named rates**: 执行率, 支付率, 到位率, 完成率 … over a numerator and a denominator found in the
  sentence, the paragraph or (verify only) the document; a rate is never its own figure over itself;
- **restated figures**: one department-level figure (年初预算数, 支出总计 …) given twice with different
  values.

Sums and differences are exact at the parts' written precision (only the result's rounding is
tolerated); a rate is judged over the interval its operands' rounding allows. A relation that cannot be
found is not reported: its numbers stay unchecked. Every finding carries its evidence (the figures used,
their offsets and lines).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.audit.figures import Figure
from assistant.figures.numbers import format_number

HUNDRED = Decimal(100)
DATA = Path(__file__).resolve().parent / "data" / "text_rules.yaml"
NEAREST = 4  # candidates of each side tried for a named rate


@lru_cache(maxsize=1)
def rules() -> dict:
    with open(DATA, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@dataclass
class Relation:
    """One arithmetic relation of the text: holds (verified) or not (mismatch)."""

    check: str  # phase_sum / closed_sum / share / rate / restated
    ok: bool
    judged: Figure
    involved: Sequence[tuple[Figure, str]]  # (figure, role)
    expected: str | None
    formula: str
    message: str
    anchor: Sequence[Figure] = ()  # where the finding points, when not at all its figures (a list far from its whole)

    def to_json(self, text: str) -> dict:
        figures = [figure for figure, _role in self.involved]
        pointed = list(self.anchor) or figures
        start = min(f.start for f in pointed)
        end = max(f.end for f in pointed)
        if end - start > 240:  # figures far apart: the finding points at the judged number
            start, end = self.judged.start, self.judged.end
        return {
            "start": start, "end": end, "text": text[start:end],
            "status": "verified" if self.ok else "mismatch",
            "value": str(self.judged.value / self.judged.scale), "unit": self.judged.unit,
            "expected": self.expected, "message": self.message, "check": self.check,
            "formula": self.formula, "source": "正文",
            "related": [[f.start, f.end] for f in figures],
            "evidence": [figure.evidence(text, role) for figure, role in self.involved],
        }


def text_relations(text: str, figures: list[Figure], known_totals: Iterable[int] = ()) -> list[dict]:
    """Relations of the whole text as finding dicts. `known_totals`: start offsets of totals whose 其中
    sum the checker already judged (not judged twice)."""
    from assistant.audit.lists import identity_relations, in_runs, list_relations

    side_by_side = in_runs(text, figures)  # figures stated in a run pair up position by position
    found: list[Relation] = []
    found += phase_sums(figures)
    found += closed_sums(text, figures, set(known_totals))
    found += shares(text, figures, side_by_side)
    found += named_rates(figures)
    found += restated(figures)
    found += list_relations(text, figures)
    found += identity_relations(text, figures)
    return [relation.to_json(text) for relation in found]


def is_level(figure: Figure) -> bool:
    """A level (not a change, not a rate, not approximate): what sums and ratios are made of."""
    return not figure.change and not figure.percent and not figure.approximate and figure.comparator is None


# -- 年初安排8个、年中追加8个，共15个 -----------------------------------------------------------------

def phase_sums(figures: list[Figure]) -> list[Relation]:
    found = []
    totals_words = tuple(rules()["total_words"])
    by_paragraph = _group(figures, lambda f: f.paragraph)
    for paragraph in by_paragraph.values():
        for group in rules()["phases"]:
            for total in paragraph:
                if not is_level(total) or total.bracketed or not _names_a_total(total.label, totals_words):
                    continue
                parts = _phase_parts(paragraph, total, group)
                if parts is None:
                    continue
                found.append(sum_relation("phase_sum", total, parts, "分项", "各批次（阶段）之和", ""))
    return found


TOTAL_NOUN = 8  # 共实施项目15个: at most this many characters between the total word and the number


def _names_a_total(label: str, words: tuple[str, ...]) -> bool:
    at = max(label.rfind(word) + len(word) if word in label else -1 for word in words)
    return at >= 0 and len(label) - at <= TOTAL_NOUN


def sum_relation(check: str, total: Figure, parts: list[Figure], role: str, what: str, remark: str) -> Relation:
    """total = Σ parts, exact at the parts' written precision: only the total's rounding is tolerated."""
    stated = sum((p.value for p in parts), Decimal(0))
    ok = abs(stated - total.value) <= total.half
    formula = " + ".join(p.text for p in parts)
    expected = total.show(stated)
    return Relation(check, ok, total, [(total, "合计"), *((p, role) for p in parts)], expected, formula,
                    f"{total.text}等于{what}（{formula}）" if ok
                    else f"{total.text}与{what}不符：{formula} = {expected}{remark}")


def _phase_parts(paragraph: list[Figure], total: Figure, group: list[list[str]]) -> list[Figure] | None:
    """One figure per phase of `group` (the nearest to the total), at least two phases, or None."""
    chosen: dict[int, Figure] = {}
    for figure in paragraph:
        # 年中增加8个: an addition stated with its verb is still the phase's own figure.
        added = figure.change and figure.value > 0 and not figure.percent
        if figure is total or figure.bracketed or not (is_level(figure) or added) or figure.dimension != total.dimension:
            continue
        for phase, words in enumerate(group):
            if any(word in figure.label for word in words):
                current = chosen.get(phase)
                if current is None or abs(figure.start - total.start) < abs(current.start - total.start):
                    chosen[phase] = figure
                break
    if len(chosen) < 2 or any(phase not in chosen for phase in range(max(chosen) + 1)):
        return None  # phases must run from the first without a gap (年初 + 年中; 一批 + 二批 + 三批)
    return [chosen[phase] for phase in sorted(chosen)]


# -- 其中 lists naming every member of an exhaustive set ----------------------------------------------

def closed_sums(text: str, figures: list[Figure], known_totals: set[int]) -> list[Relation]:
    found = []
    for position in _positions(text, "其中"):
        total, parts = _qizhong(text, figures, position)
        if total is None or total.start in known_totals or len(parts) < 2:
            continue
        covered = _covering_set(parts)
        if covered is None:
            continue
        found.append(sum_relation("closed_sum", total, covered, "其中", "其中各项之和", "（各项已列全）"))
    return found


def _positions(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def _qizhong(text: str, figures: list[Figure], at: int) -> tuple[Figure | None, list[Figure]]:
    """The total before 其中 (same paragraph) and the amounts of the list after it (to the sentence end,
    or to the closing bracket when 其中 opens a bracket)."""
    end_marks = "）)" if text[max(0, at - 1):at] in ("（", "(") else "。\n"
    end = min((p for p in (text.find(mark, at) for mark in end_marks) if p >= 0), default=len(text))
    if text[at + 2:end].strip(" ：:") == "" and end < len(text) and text[end] == "\n":
        end = _list_lines_end(text, end)  # "其中：" ends its line: the items are the lines below
    paragraph = text.count("\n", 0, at)
    inside_brackets = end_marks == "）)"
    before = [f for f in figures if f.end <= at and f.paragraph == paragraph and is_level(f) and not f.prior
              and (inside_brackets or not f.bracketed)]
    if not before:
        return None, []
    total = before[-1]
    parts = [f for f in figures if at < f.start < end and is_level(f) and not f.prior
             and f.dimension == total.dimension and (inside_brackets or not f.bracketed)]
    return total, parts


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d))")


def _list_lines_end(text: str, position: int) -> int:
    """The end of the lines after `position` up to a blank line or a new numbered heading."""
    end = position
    while end < len(text):
        line_end = text.find("\n", end + 1)
        line_end = len(text) if line_end < 0 else line_end
        line = text[end + 1:line_end]
        if not line.strip() or _HEADING.match(line):
            break
        end = line_end
    return end


def _covering_set(parts: list[Figure]) -> list[Figure] | None:
    """All the parts, when their names cover a whole exhaustive set (人员经费、公用经费、项目支出 covers
    人员经费 + 公用经费 and names a third item: the list is the whole, all three add up)."""
    names = [p.name for p in parts]
    for members in rules()["exhaustive"]:
        if all(any(member in name for name in names) for member in members):
            return parts
    return None


# -- 占X% ------------------------------------------------------------------------------------------

def shares(text: str, figures: list[Figure], side_by_side: set[int] = frozenset()) -> list[Relation]:
    found = []
    for position, rate in enumerate(figures):
        if not rate.percent or rate.change or rate.approximate or "占" not in rate.label or rate.index in side_by_side:
            continue
        name = rate.label[rate.label.rindex("占") + 1:].strip().rstrip("的比重例为达 ").strip()
        part = next((f for f in reversed(figures[:position]) if f.sentence == rate.sentence and is_level(f)
                     and f.end <= rate.label_start + rate.label.rindex("占") and not f.prior), None)
        if part is None or part.index in side_by_side or text.find("；", part.end, rate.start) >= 0:
            continue
        whole = named_whole(figures, part, name) if name else _list_total(text, figures, part)
        if whole is None or whole.value == 0:
            continue
        low, high = quotient_bounds(part, whole)
        ok = low - rate.half <= rate.value <= high + rate.half
        expected = rate.show(part.value / whole.value * HUNDRED)
        formula = f"{part.text} ÷ {whole.text} × 100%"
        found.append(Relation(
            "share", ok, rate, [(part, "部分"), (whole, "总数"), (rate, "占比")], expected, formula,
            f"{rate.text}等于{formula}" if ok else f"占比{rate.text}与{formula}不符：应为{expected}"))
    return found


def _normal(name: str) -> str:
    for suffix in ("总额", "总计", "合计", "数"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def named_whole(figures: list[Figure], part: Figure, name: str) -> Figure | None:
    """The figure the text names `name` ("基本支出预算"): the nearest before the part, else after it."""
    wanted = _normal(name)
    if len(wanted) < 2:
        return None
    candidates = [f for f in figures if f is not part and is_level(f) and f.dimension == part.dimension
                  and not f.prior and _normal(f.name).endswith(wanted)]
    before = [f for f in candidates if f.start < part.start]
    return before[-1] if before else (candidates[0] if candidates else None)


def _list_total(text: str, figures: list[Figure], part: Figure) -> Figure | None:
    """The total of the 其中 list the part belongs to (same paragraph)."""
    line_start = text.rfind("\n", 0, part.start) + 1
    at = text.rfind("其中", line_start, part.start)
    if at < 0:
        return None
    total, parts = _qizhong(text, figures, at)
    return total if total is not None and part in parts else None


def quotient_bounds(numerator: Figure, denominator: Figure) -> tuple[Decimal, Decimal]:
    values = [a / b * HUNDRED
              for a in (numerator.value - numerator.half, numerator.value + numerator.half)
              for b in (denominator.value - denominator.half, denominator.value + denominator.half) if b > 0]
    return (min(values), max(values)) if values else (Decimal(0), Decimal(0))


# -- 执行率 / 支付率 / 到位率 / 完成率 ---------------------------------------------------------------

def named_rates(figures: list[Figure]) -> list[Relation]:
    found = []
    targets = tuple(rules()["target_words"])
    for rate in figures:
        if not rate.percent or rate.change or rate.approximate or rate.comparator is not None:
            continue
        rule = _rate_rule(rate.name)
        if rule is None or any(word in rate.label for word in targets):
            continue
        relation = _judge_rate(figures, rate, rule)
        if relation is not None:
            found.append(relation)
    return found


def _rate_rule(name: str) -> dict | None:
    for rule in rules()["rates"]:
        if any(name.endswith(word) for word in rule["words"]):
            return rule
    return None


def _side(figure: Figure, rule: dict) -> str | None:
    """numerator / denominator by the last cue word of the label."""
    label = figure.name
    best, side = -1, None
    for kind in ("numerator", "denominator"):
        for word in rule[kind]:
            at = label.rfind(word)
            if at >= 0 and at + len(word) > best:
                best, side = at + len(word), kind
    return side


def _judge_rate(figures: list[Figure], rate: Figure, rule: dict) -> Relation | None:
    operands = [f for f in figures if is_level(f) and not f.prior and not f.bracketed and f is not rate]
    tiers = (("sentence", lambda f: f.sentence == rate.sentence, True),
             ("paragraph", lambda f: f.paragraph == rate.paragraph, True),
             ("document", lambda f: True, False))
    for _tier, near, strong in tiers:
        pool = [f for f in operands if near(f)]
        numerators = _nearest([f for f in pool if _side(f, rule) == "numerator"], rate)
        denominators = _nearest([f for f in pool if _side(f, rule) == "denominator"], rate)
        pairs = [(n, d) for n in numerators for d in denominators
                 if n is not d and n.dimension == d.dimension and d.value > 0]
        if not pairs:
            continue
        for numerator, denominator in pairs:
            low, high = quotient_bounds(numerator, denominator)
            if low - rate.half <= rate.value <= high + rate.half:
                return _rate_relation(rate, numerator, denominator, True)
        if strong and len({n.value for n, _ in pairs}) == 1 and len({d.value for _, d in pairs}) == 1:
            numerator, denominator = pairs[0]
            return _rate_relation(rate, numerator, denominator, False)
        return None  # several candidates and none fits: which figures the rate relates is not known
    return None


def _nearest(candidates: list[Figure], rate: Figure) -> list[Figure]:
    return sorted(candidates, key=lambda f: (f.start > rate.start, abs(f.start - rate.start)))[:NEAREST]


def _rate_relation(rate: Figure, numerator: Figure, denominator: Figure, ok: bool) -> Relation:
    expected = format_number(numerator.value / denominator.value * HUNDRED, max(rate.places, 2)) + "%"
    formula = f"{numerator.text} ÷ {denominator.text} × 100%"
    return Relation("rate", ok, rate, [(numerator, "分子"), (denominator, "分母"), (rate, "比率")], expected, formula,
                    f"{rate.name}{rate.text}等于{formula}" if ok
                    else f"{rate.name}{rate.text}与正文数字不符：{formula} = {expected}")


# -- the same figure stated twice -------------------------------------------------------------------

_RELATIVE = re.compile(r"完成|占|比|较|超|达|低于|高于")
_GENERIC_SUBJECT = re.compile(r"^(?:本年度|本年|全年|本部门|本单位|我局|我单位|我中心|部门|单位|\d{4}年度?)+")


def restated(figures: list[Figure]) -> list[Relation]:
    found = []
    names = tuple(rules()["restated"])
    seen: dict[tuple[str, str | None], Figure] = {}
    for figure in figures:
        if not is_level(figure) or figure.prior or figure.bracketed:
            continue
        name = figure.name
        if not name.endswith(names) or len(name) > 16 or _RELATIVE.search(name):
            continue  # "完成年初预算数60999万元的": the figure of a comparison, not the subject's own statement
        name = _GENERIC_SUBJECT.sub("", name)  # 本部门年初预算数 and 本年年初预算数 are one figure
        key = (name, figure.dimension)
        first = seen.get(key)
        if first is None:
            seen[key] = figure
            continue
        if first.sentence == figure.sentence:
            continue
        if abs(first.value - figure.value) <= first.half + figure.half:
            continue
        found.append(Relation(
            "restated", False, figure, [(first, "前文"), (figure, "此处")], first.text, f"{first.text} ≠ {figure.text}",
            f"“{name}”前文为{first.text}，此处为{figure.text}，同一数字前后不一致"))
    return found


def _group(figures: list[Figure], key) -> dict:
    return {k: list(v) for k, v in itertools.groupby(figures, key=key)}
