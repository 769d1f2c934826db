"""Figures stated side by side: "收入总计、支出总计分别为4125.49万元、4143.91万元……各减少1267.86万元、
2570.97万元，各下降23.51%、38.28%", "货物、工程、服务采购规模分别为A、B和C，占全国政府采购规模的x、y、z",
and the accounting identities of a 决算 text (总收入 = 本年收入 + 上年结转和结余).

A run is two or more figures of one sentence joined only by 、/和/及/与. Runs of equal length in one
sentence pair up position by position: levels, their changes (the direction word of the first change
signs them all), the change rates (each over last year's level, level − change), and shares after
“占…的” (each over the whole the text names). When the shares add up to 100%, the list is the whole:
its figures must add up to the whole exactly (only the whole's rounding is tolerated).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.audit.figures import Figure
from assistant.audit.text import HUNDRED, Relation, is_level, named_whole, quotient_bounds, sum_relation, rules
from assistant.figures.numbers import format_number

_JOINER = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
_SHARE_OF = re.compile(r"占(?P<name>[^，。；、\d]{2,20}?)的(?:比重|比例)?(?:分别为|分别是|为)?\s*$")
_BLOCK = re.compile(r"\n\s*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def runs(text: str, figures: list[Figure]) -> list[list[Figure]]:
    found, current = [], [figures[0]] if figures else []
    for previous, figure in zip(figures, figures[1:]):
        if figure.sentence == previous.sentence and _JOINER.match(text[previous.end:figure.start]):
            current.append(figure)
            continue
        if len(current) >= 2:
            found.append(current)
        current = [figure]
    if len(current) >= 2:
        found.append(current)
    return found


def in_runs(text: str, figures: list[Figure]) -> set[int]:
    """Indexes of figures that stand in a run (the single-figure rules leave them to this module)."""
    return {figure.index for run in runs(text, figures) for figure in run}


def list_relations(text: str, figures: list[Figure]) -> list[Relation]:
    found: list[Relation] = []
    all_runs = runs(text, figures)
    for position, run in enumerate(all_runs):
        # The changes may follow in the next sentence of the paragraph ("……分别为A、B。与上年相比各减少C、D").
        later = [r for r in all_runs[position + 1:] if len(r) == len(run) and r[0].paragraph == run[0].paragraph
                 and r[0].sentence - run[-1].sentence <= 1]
        if all(is_level(f) for f in run):
            changes = next((r for r in later if r[0].change and not r[0].percent), None)
            rates = next((r for r in later if r[0].percent and r[0].change), None)
            if changes is not None and rates is not None:
                found += _paired_rates(run, changes, rates)
            shares = next((r for r in later if all(f.percent and not f.change for f in r)), None)
            if shares is not None:
                found += _paired_shares(text, figures, run, shares)
    return found


def _paired_rates(levels: list[Figure], changes: list[Figure], rates: list[Figure]) -> list[Relation]:
    sign = -1 if changes[0].value < 0 else 1
    found = []
    for level, change, rate in zip(levels, changes, rates):
        amount = abs(change.value) * sign  # 各减少A、B: the first direction word signs the whole run
        values = [d / (a - d) * HUNDRED for a in (level.value - level.half, level.value + level.half)
                  for d in (amount - change.half, amount + change.half) if a - d > 0]
        if not values:
            continue
        stated = abs(rate.value)
        ok = min(abs(v) for v in values) - rate.half <= stated <= max(abs(v) for v in values) + rate.half
        expected = format_number(abs(amount / (level.value - amount) * HUNDRED), max(rate.places, 2)) + "%"
        formula = f"{change.text} ÷ ({level.text} {'+' if sign < 0 else '−'} {change.text}) × 100%"
        found.append(Relation("percent", ok, rate, [(level, "本年"), (change, "增减额"), (rate, "增减率")], expected,
                              formula, f"{rate.text}等于{formula}" if ok else f"{rate.text}与{formula}不符：应为{expected}"))
    return found


def _paired_shares(text: str, figures: list[Figure], parts: list[Figure], shares: list[Figure]) -> list[Relation]:
    match = _SHARE_OF.search(text, parts[-1].end, shares[0].start)
    if match is None or match.end() != shares[0].start:
        return []
    whole = named_whole(figures, parts[0], match.group("name"))
    if whole is None or whole.value <= 0 or whole in parts:
        return []
    found = []
    for part, share in zip(parts, shares):
        low, high = quotient_bounds(part, whole)
        ok = low - share.half <= share.value <= high + share.half
        expected = share.show(part.value / whole.value * HUNDRED)
        formula = f"{part.text} ÷ {whole.text} × 100%"
        found.append(Relation("share", ok, share, [(part, "部分"), (whole, "总数"), (share, "占比")], expected, formula,
                              f"{share.text}等于{formula}" if ok else f"占比{share.text}与{formula}不符：应为{expected}"))
    total_share = sum((s.value for s in shares), Decimal(0))
    if abs(total_share - HUNDRED) <= sum((s.half for s in shares), Decimal(0)):  # the list is the whole
        relation = sum_relation("list_sum", whole, parts, "分项", "所列各项之和", "（各项占比合计100%）")
        relation.anchor = parts  # the finding points at the list, wherever the whole was stated
        found.append(relation)
    return found


# -- 总收入 = 本年收入 + 上年结转和结余 -----------------------------------------------------------------

def identity_relations(text: str, figures: list[Figure]) -> list[Relation]:
    found = []
    for rule in rules().get("identities", []):
        for total in figures:
            if not is_level(total) or not any(total.name.endswith(word) for word in rule["total"]):
                continue
            following = [f for f in figures if f.start > total.end and f.sentence == total.sentence]
            first = following[0] if following else None
            if first is None or not first.label.startswith("其中") or not _names(first, rule["parts"][0]):
                continue
            block_end = _block_end(text, total.end)
            block = [f for f in figures if total.end < f.start < block_end and is_level(f) and not f.bracketed]
            parts = [first]
            for words in rule["parts"][1:]:
                part = next((f for f in block if f not in parts and _names(f, words)), None)
                if part is None:
                    break
                parts.append(part)
            else:
                for words in rule.get("optional", []):
                    extra = next((f for f in block if f not in parts and _names(f, words)), None)
                    if extra is not None:
                        parts.append(extra)
                found.append(sum_relation("identity_sum", total, parts, "构成", "其构成各项之和", ""))
    return found


def _names(figure: Figure, words: list[str]) -> bool:
    return any(word in figure.name for word in words)


def _block_end(text: str, position: int) -> int:
    match = _BLOCK.search(text, position)
    return match.start() if match else len(text)
