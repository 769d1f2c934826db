"""Paraphrases as models and people write them: clean ones and ones with one planted error (issue 13).

Two sources, both checked inside a whole clean document (the template draft of an example, or the
seed's own text), so that a paraphrase is read with the headings and sentences around it:

- generated from each example's ledger (`generated`): sentences that restate its facts the ways the
  checker's rules are about — a work year (2024年，我局… → 2022年), a cut-off date (截至2023年底),
  proportions in words (超过六成, 近七成, 约九成, 百分之百, 近半), bounds (达到96%以上), per-capita
  figures (…，人均约0.96万元), last year's amount after 比上年的, plan numbers (2025年计划…, 力争…,
  控制在…以内) and goals restated against their target facts (确保…达到X). Clean variants are true by
  construction (their values are computed from the fact); planted variants are false by construction.
- written by hand (`paraphrases.yaml`): adversarial rewrites of the seed's and other examples'
  sentences, each with its planted error marked.

A planted case is detected when a finding other than verified / target / ignored overlaps the planted
span; a clean case raises a false alarm when the document has an alarm the original clean document
does not have (compared by text, status, check and message, as the injection benchmark does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from assistant.figures.ledger import Fact, Ledger

HERE = Path(__file__).resolve().parent
HAND_WRITTEN = HERE / "paraphrases.yaml"
KINDS: tuple[str, ...] = ("year", "word_proportion", "bound", "derived", "prior_base", "target")
KIND_NAMES = {"year": "年份与时限", "word_proportion": "文字比例（成、分之、倍、半）", "bound": "界限（以上、以内）",
              "derived": "人均等派生数", "prior_base": "比上年的X（上年数）", "target": "计划与目标"}
CN_DIGITS = "零一二三四五六七八九十"
PER_LEDGER = 6  # facts of each kind used per example (the first that qualify, in ledger order)


@dataclass(frozen=True)
class Case:
    kind: str
    doc: str  # id of the clean document it is inserted into
    text: str  # the document with the paraphrase in it
    span: tuple[int, int] | None  # the planted error (None: a clean paraphrase)
    sentence: str  # the paraphrase itself (for reports)


# ------------------------------------------------------------------------------------ insertion

def insert_after_heading(doc_text: str, heading: str, sentence: str) -> tuple[str, int] | None:
    """The document with `sentence` as a paragraph after the first line containing `heading`."""
    at = doc_text.find(heading)
    if at < 0:
        return None
    line_end = doc_text.find("\n", at)
    if line_end < 0:
        return None
    return doc_text[:line_end + 1] + sentence + "\n" + doc_text[line_end + 1:], line_end + 1


def case(kind: str, doc_id: str, doc_text: str, heading: str, sentence: str, wrong: str | None) -> Case | None:
    placed = insert_after_heading(doc_text, heading, sentence)
    if placed is None:
        return None
    text, offset = placed
    span = None
    if wrong is not None:
        at = sentence.find(wrong)
        if at < 0:
            raise ValueError(f"planted text {wrong!r} not in {sentence!r}")
        span = (offset + at, offset + at + len(wrong))
    return Case(kind, doc_id, text, span, sentence)


# ------------------------------------------------------------------------------------ generated

def _cn(n: int) -> str:
    """1–10 as a Chinese numeral (成 counts)."""
    return CN_DIGITS[n] if 0 < n <= 10 else str(n)


def _current(ledger: Ledger, unit: str) -> list[Fact]:
    return [f for f in ledger if f.value is not None and f.text is None and f.unit == unit and f.period == "current"
            and not re.search(r"比上年|比年初|增减|调整|得分|分值|年度指标值|目标", f.label)
            and not f.key.endswith((".change", ".change_pct", ".vs_budget", ".target", ".weight", ".score"))]


def _label(fact: Fact) -> str:
    return re.sub(r"(?:19|20)\d{2}年度?", "", fact.label)


def _year_openings(year: int) -> list[tuple[str, str | None]]:
    """Replacements of a paragraph's opening "{year}年，": (text, planted part or None)."""
    planted = [(f"{wrong}年，", f"{wrong}年") for wrong in (year - 1, year - 2, year - 3)]
    return [(f"在{year}年，", None), (f"截至{year}年12月31日，", None), *planted,
            (f"截至{year - 1}年底，", f"{year - 1}年")]


def year_cases(doc_id: str, text: str, year: int) -> list[Case]:
    found = []
    opening = f"\n{year}年，"
    at = text.find(opening)
    starts = []
    while at >= 0 and len(starts) < 3:
        starts.append(at + 1)
        at = text.find(opening, at + 1)
    for start in starts:
        for replacement, wrong in _year_openings(year):
            new = text[:start] + replacement + text[start + len(opening) - 1:]
            span = None
            if wrong is not None:
                offset = replacement.find(wrong)
                span = (start + offset, start + offset + len(wrong))
            found.append(Case("year", doc_id, new, span, replacement))
    return found


def proportion_sentences(fact: Fact, year: int) -> list[tuple[str, str | None]]:
    value, label = fact.value, _label(fact)
    lead = f"{year}年，我局{label}"
    out: list[tuple[str, str | None]] = []
    tens = int((value / 10).to_integral_value(ROUND_FLOOR))
    if value == 100:
        out.append((f"{lead}达到百分之百。", None))
        out.append((f"{lead}为百分之九十。", "百分之九十"))
        out.append((f"{lead}达到十成。", None))
        out.append((f"{lead}约九成。", "约九成"))
        return out
    if 1 <= tens <= 9 and value > tens * 10:
        out.append((f"{lead}超过{_cn(tens)}成。", None))
        if tens + 1 <= 9:
            out.append((f"{lead}超过{_cn(tens + 1)}成。", f"超过{_cn(tens + 1)}成"))
        out.append((f"{lead}近{_cn(tens)}成。", f"近{_cn(tens)}成"))
    upper = int((value / 10).to_integral_value(ROUND_CEILING))
    if 1 <= upper <= 10 and value < upper * 10:
        out.append((f"{lead}近{_cn(upper)}成。", None))
    about = int((value / 10).to_integral_value(ROUND_HALF_UP))
    if 1 <= about <= 10 and abs(value - about * 10) <= 5:
        out.append((f"{lead}约{_cn(about)}成。", None))
        wrong = about + 2 if about <= 8 else about - 2
        out.append((f"{lead}约{_cn(wrong)}成。", f"约{_cn(wrong)}成"))
    if 40 <= value < 50:
        out.append((f"{lead}近半。", None))
    if 50 < value < 60:
        out.append((f"{lead}过半。", None))
    return out


def bound_sentences(fact: Fact, year: int) -> list[tuple[str, str | None]]:
    value, label = fact.value, _label(fact)
    lead = f"{year}年，我局{label}达到"
    below = int(value.to_integral_value(ROUND_FLOOR)) - 1
    above = int(value.to_integral_value(ROUND_CEILING)) + 1
    out: list[tuple[str, str | None]] = []
    if below > 0:
        out.append((f"{lead}{below}%以上。", None))
    out.append((f"{lead}{above}%以上。", f"{above}%以上"))
    return out


def derived_sentences(money: Fact, persons: Fact, year: int) -> list[tuple[str, str | None]]:
    scale = Decimal(10000) if money.unit == "万元" else Decimal(1)
    per = money.value * scale / persons.value

    def shown(value: Decimal) -> str:
        if value >= 10000:
            return f"{(value / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP)}万元"
        return f"{value.quantize(Decimal('1'), ROUND_HALF_UP)}元"

    right, wrong = shown(per), shown(per * Decimal("1.25"))
    lead = f"{year}年，我局{_label(money)}{money.display}，{_label(persons)}{persons.display}"
    return [(f"{lead}，人均约{right}。", None), (f"{lead}，平均每人约{right}。", None),
            (f"{lead}，人均约{wrong}。", wrong)]


def prior_base_sentences(current: Fact, prior: Fact, change: Fact) -> list[tuple[str, str | None]]:
    word = "增加" if change.value > 0 else "减少"
    wrong_value = prior.value * Decimal("1.1") if prior.value else Decimal(1)
    wrong = Fact(**{**prior.__dict__, "value": wrong_value}).display
    lead = f"{_label(current)}{current.display}，比上年的"
    tail = f"{word}{change.magnitude}。"
    return [(f"{lead}{prior.display}{tail}", None), (f"{lead}{wrong}{tail}", wrong)]


def plan_sentences(ledger: Ledger, year: int) -> list[tuple[str, str | None]]:
    """Numbers of plans: targets with no verdict (clean), never mismatched with this year's data."""
    out: list[tuple[str, str | None]] = []
    persons = _current(ledger, "人")[:2]
    for fact in persons:
        out.append((f"{year + 1}年计划新增{_label(fact)}{fact.value + 3:f}人。", None))
    for fact in _current(ledger, "%")[:2]:
        out.append((f"力争{_label(fact)}达到{min(int(fact.value) + 1, 100)}%以上。", None))
    for fact in _current(ledger, "万元")[:1]:
        out.append((f"{_label(fact)}控制在{fact.display}以内。", None))
    return out


def goal_sentences(ledger: Ledger) -> list[tuple[str, str | None]]:
    """确保…达到X against the target facts (年度指标值, 目标 metrics): clean and wrong."""
    out: list[tuple[str, str | None]] = []
    targets = [f for f in ledger if f.value is not None and f.unit == "%" and f.period == "current"
               and (f.key.endswith(".target") or f.label.endswith("目标"))]
    for fact in targets[:PER_LEDGER]:
        name = re.sub(r"(?:年度指标值|目标)$", "", fact.label)
        wrong_value = fact.value - 5 if fact.value > 50 else fact.value + 5
        wrong = Fact(**{**fact.__dict__, "value": wrong_value}).display
        out.append((f"确保{name}达到{fact.display}。", None))
        out.append((f"确保{name}达到{wrong}。", wrong))
    return out


def generated(doc_id: str, text: str, ledger: Ledger, year: int) -> list[Case]:
    cases: list[Case] = year_cases(doc_id, text, year)
    body_heading = "收支及预算执行情况"
    plan_heading = "下一步工作计划"

    def add(kind: str, heading: str, sentences: Iterable[tuple[str, str | None]]) -> None:
        for sentence, wrong in sentences:
            made = case(kind, doc_id, text, heading, sentence, wrong)
            if made is not None:
                cases.append(made)

    rates = [f for f in _current(ledger, "%") if 10 <= f.value <= 100][:PER_LEDGER]
    for fact in rates:
        add("word_proportion", body_heading, proportion_sentences(fact, year))
        add("bound", body_heading, bound_sentences(fact, year))
    money = [f for f in _current(ledger, "万元") if f.value > 0]
    persons = [f for f in _current(ledger, "人") if f.value > 0]
    for m, p in list(zip(money, persons))[:PER_LEDGER]:
        add("derived", body_heading, derived_sentences(m, p, year))
    for key, prior in ledger.facts.items():
        if not key.endswith(".prior_final") or prior.value is None or not prior.value:
            continue
        stem = key[: -len(".prior_final")]
        current, change = ledger.facts.get(stem + ".final"), ledger.facts.get(stem + ".change")
        if current is None or change is None or current.value is None or not change.value or prior.unit != "万元":
            continue
        add("prior_base", body_heading, prior_base_sentences(current, prior, change))
    add("target", plan_heading, plan_sentences(ledger, year))
    add("target", body_heading, goal_sentences(ledger))
    return cases


# ------------------------------------------------------------------------------------ hand-written

def hand_written(doc_id: str, text: str) -> list[Case]:
    """The cases of paraphrases.yaml written for the document `doc_id`."""
    data = yaml.safe_load(HAND_WRITTEN.read_text(encoding="utf-8")) or {}
    cases = []
    for item in data.get(doc_id, []):
        made = case(item["kind"], doc_id, text, item["after"], item["text"], item.get("wrong"))
        if made is None:
            raise ValueError(f"{doc_id}: heading {item['after']!r} not found")
        cases.append(made)
    return cases


__all__ = ["KINDS", "KIND_NAMES", "Case", "generated", "hand_written"]
