"""check_text: every number of a draft verified against the ledger (pure, no I/O)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from assistant.checking.arith import relations
from assistant.checking.bind import (
    LOCAL,
    STRONG,
    Binder,
    Binding,
    Claim,
    context_grams,
    is_comparison,
    period_of,
    role_of,
    unit_by_name,
)
from assistant.checking.derived import derived_cue, derived_finding, share_finding
from assistant.checking.extract import Ignored, Mention, extract, is_small_chinese_count
from assistant.checking.findings import NumberFinding
from assistant.checking.index import Entry, FactIndex, fact_index
from assistant.checking.future import is_future
from assistant.checking.layout import Layout, unit_hint
from assistant.checking.marks import ClaimMark, apply_marks
from assistant.checking.years import year_findings
from assistant.figures.ledger import Ledger
from assistant.figures.numbers import decimals_of


def check_text(text: str, ledger: Ledger, *, past_texts: Sequence[str] = (),
               complete_ledger: bool = True, marks: Sequence[ClaimMark] = ()) -> list[NumberFinding]:
    """Findings for every numeric mention of `text` (and for the arithmetic relations between them),
    ordered by position. `past_texts` are earlier reports: a number that the ledger does not support
    but a past report contains is reported as `stale`.

    `complete_ledger=False` says the ledger holds only part of what the text speaks of (an audit: the
    report's tables). A number is then a mismatch only when its words name the fact clearly or its value
    is plausibly a mis-writing of the fact's (`plausibly_derived`); otherwise it is unsupported.

    `marks`: numbers a user has marked “不是数据声明” (checking/marks.py): reported ignored, with the reason."""
    index = fact_index(ledger)
    binder = _binder(index)
    mentions, ignored = extract(text)
    layout = Layout(text, [(m.start, m.end) for m in mentions])
    year = index.year or _text_year(text)
    claims = []
    for position, mention in enumerate(mentions):
        context = layout.context(position)
        hint = None
        if context.in_table and mention.unit is None:
            table_caption = layout.tables[layout.cell_at(mention.start)[1].table].caption
            hint = unit_by_name(unit_hint(context, table_caption))
        future = None if context.in_table else is_future(text, mention.number_start, year)
        role = role_of(context)
        if future == "section" and not (mention.comparator or mention.level or role == "target"):
            future = None  # a plan section stating a figure plainly ("全年共培训3456人次"): a claim like any
        role = "target" if future else role
        claims.append(Claim(mention, context, context_grams(context), period_of(mention, context, year), hint,
                            context_grams(context, LOCAL), is_comparison(mention, context), role, future))
    matches = [binder.value_matches(claim, as_written=not complete_ledger) for claim in claims]
    bindings = [binder.bind(claim, found) for claim, found in zip(claims, matches)]
    binder.cross_check(claims, bindings, matches)
    binder.pair_check(text, claims, bindings, matches)
    if not complete_ledger:
        bindings = [_partial(binder, claim, binding) for claim, binding in zip(claims, bindings)]
    past = _past_values(past_texts) if past_texts else set()
    stale_years = year_findings(text, ignored, year, layout)
    findings = [stale_years.get(position) or _ignored_finding(item) for position, item in enumerate(ignored)]
    numbers = []
    for claim, binding in zip(claims, bindings):
        cue = derived_cue(claim)
        derived = derived_finding(claim, binding, _base(claim), claims, index, cue) if cue \
            else share_finding(claim, binding, _base(claim), claims)
        numbers.append(derived or _number_finding(claim, binding, past))
    related, upgrades = relations(text, claims, numbers)
    for position, upgraded in upgrades.items():
        numbers[position] = upgraded
    findings += numbers
    findings += related
    findings.sort(key=lambda f: (f.start, f.check != "number", f.end))
    return apply_marks(text, findings, marks)


PARTIAL_STRONG = 0.8  # a partial ledger: words naming a fact this well make a mismatch …
PARTIAL_SPAN = Decimal(10)  # … unless the figures differ more than tenfold (and not by a unit or a decimal point)


def _partial(binder: Binder, claim: Claim, binding: Binding) -> Binding:
    """On a partial ledger a mismatch with a fact the words do not name clearly and whose figure the
    number does not resemble is another quantity that the ledger lacks: unsupported. So is a figure more
    than ten times another (学校公用经费补助8127.35万元 against 公用经费决算数189.73万元: a part of a
    larger sum, not a mis-writing) however well the words name it; and a figure named only weakly (below
    STRONG) must resemble the fact by more than being within 10% of it (家庭经济困难学生认定准确率99.50%
    against 资助对象认定准确率100%: two rates of one size)."""
    if binding.status != "mismatch" or binding.entry is None:
        return binding
    mention, entry = claim.mention, binding.entry
    if plausibly_derived(mention, entry, binding.detail, window=binding.score >= STRONG):
        return binding
    if binding.score >= PARTIAL_STRONG and _within(mention, entry, PARTIAL_SPAN):
        return binding
    return Binding("unsupported", binding.entry, "", binding.score, scores=binding.scores)


def _within(mention: Mention, entry: Entry, span: Decimal) -> bool:
    """Whether the number and the fact's figure differ at most `span` times (either way)."""
    fact_base = abs(entry.point if mention.unit is not None else entry.own_point)
    claim_base = abs(mention.value) * (mention.unit.scale if mention.unit is not None else 1)
    if fact_base == 0 or claim_base == 0:
        return True
    return 1 / span <= claim_base / fact_base <= span


def plausibly_derived(mention: Mention, entry: Entry, detail: str = "", *, window: bool = True) -> bool:
    """Could the number be a mis-writing of the fact's figure? A real error resembles the figure it gets
    wrong: a wrong direction word, another fact's figure (two figures swapped), last year's figure, the
    same digits with the decimal point or the unit (元/万元) moved, as many digits with at most two
    changed or swapped, or a slip within 10% (a late digit, a rounding, a percentage). A wider window
    lets unrelated figures of the same size pass for errors (援企稳岗返还资金160.98万元 against a
    project's 99.00万元). `window=False` (a weakly named fact) leaves out the slips of size: then only the digits count, at
    most one changed or two swapped."""
    if detail in ("direction", "swap", "period"):
        return True
    fact = entry.fact
    if fact.value is None or mention.value == 0 or fact.value == 0:
        return detail != ""
    written = abs(mention.value)
    claim_base = written * (mention.unit.scale if mention.unit is not None else 1)
    fact_base = abs(entry.point if mention.unit is not None else entry.own_point)
    if fact_base == 0:
        return False
    ratio = claim_base / fact_base
    if window and Decimal("0.9") <= ratio <= Decimal("1.1"):
        return True
    places = decimals_of(written)
    mine = _digits(written, places)
    if len(mine) < 2:
        return False  # 超1万人: one digit resembles anything
    for power in range(-5, 6):  # decimal point or unit moved: the same digits
        if power == 0 and not window:
            continue  # unmoved, this is a 1% slip
        shift = Decimal(10) ** power
        if abs(ratio - shift) <= shift / 100:
            return True
    own_scale = (fact_base / abs(fact.value)) if fact.value else Decimal(1)
    theirs_written = claim_base / own_scale
    wanted = _digits(abs(fact.value), places)
    mine = _digits(theirs_written, places)
    return len(mine) == len(wanted) and _edit_distance(mine, wanted) <= (2 if window else 1)


def _digits(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return "".join(ch for ch in f"{value.quantize(quantum):f}" if ch.isdigit()).lstrip("0")


def _edit_distance(first: str, second: str) -> int:
    """Levenshtein distance, an adjacent transposition counting once."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        current = [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


_YEAR = re.compile(r"(?<!\d)(20\d{2})年")


def _text_year(text: str) -> int | None:
    """Without a ledger year, the year a report speaks of is the one it names most often."""
    years = Counter(_YEAR.findall(text))
    return int(years.most_common(1)[0][0]) if years else None


_BINDERS: dict[int, tuple[FactIndex, Binder]] = {}


def _binder(index: FactIndex) -> Binder:
    cached = _BINDERS.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    binder = Binder(index)
    if len(_BINDERS) > 16:
        _BINDERS.clear()
    _BINDERS[id(index)] = (index, binder)
    return binder


def _ignored_finding(item: Ignored) -> NumberFinding:
    return NumberFinding(item.start, item.end, item.text, "ignored", message=f"{item.reason}，不是数据声明，不核对",
                         reason=item.reason)


def _unit_name(mention: Mention) -> str | None:
    return mention.unit.name if mention.unit is not None else None


def _signed_value(claim: Claim) -> Decimal:
    """The number as written; a change stated with a falling direction word is negative."""
    mention = claim.mention
    if claim.comparison and mention.sign == -1 and mention.value > 0:
        return -mention.value
    return mention.value


def _evidence(entry: Entry) -> dict:
    fact = entry.fact
    return {"fact": fact.key, "label": fact.label, "formula": fact.formula, "inputs": fact.inputs,
            "source": fact.source}


_DETAIL = {
    "swap": "疑与同段另一数字位置互换",
    "period": "文中说的是上年，此数却是本年数",
    "unit": "单位疑误（数值与应有数相差一万倍，疑为“元”“万元”混用）",
    "decimal": "小数点位置疑误",
    "direction": "",
}


def _base(claim: Claim) -> dict:
    mention = claim.mention
    return {"start": mention.start, "end": mention.end, "text": mention.text, "value": _signed_value(claim),
            "unit": _unit_name(mention)}


def _number_finding(claim: Claim, binding: Binding, past: set[tuple[str | None, Decimal]]) -> NumberFinding:
    mention = claim.mention
    base = _base(claim)
    if mention.unit is not None and mention.unit.describes and binding.status != "verified":
        return NumberFinding(**base, status="ignored", reason="描述性数字",
                             message="描述人群或对象的数字（如年龄），不是数据声明，不核对")
    entry = binding.entry
    if binding.status == "verified":
        assert entry is not None
        fact = entry.fact
        how = "一致" if not fact.formula else f"一致（{fact.formula}）"
        message = f"与“{fact.label}”{fact.display}{how}"
        if binding.detail == "bound":
            message = f"“{fact.label}”为{fact.display}，符合“{mention.text}”"
        return NumberFinding(**base, status="verified", expected=fact.display, message=message, **_evidence(entry))
    if binding.status == "target" and not is_small_chinese_count(mention):
        return NumberFinding(**base, status="target", reason="计划或目标",
                             message="计划或目标中的数字：数据中没有对应的目标值，只作标示，不核对")
    if binding.status == "stale":
        assert entry is not None
        fact = entry.fact
        prior = binding.matched.fact if binding.matched is not None else None
        said = f"与上年数“{prior.label}”相同" if prior is not None else "为上年数"
        return NumberFinding(**base, status="stale", expected=fact.display,
                             message=f"此数{said}，“{fact.label}”应为{fact.display}", **_evidence(entry))
    if (claim.mention.unit.dimension if claim.mention.unit else None, _base_value(mention)) in past:
        return NumberFinding(**base, status="stale", message="台账中没有此数，但往年报告中出现过，疑为沿用旧数",
                             **({} if entry is None else {"label": entry.fact.label}))
    if binding.status == "mismatch":
        assert entry is not None
        fact = entry.fact
        detail = _DETAIL.get(binding.detail, "")
        message = f"与“{fact.label}”不符：应为{_expected_text(mention, entry)}"
        if detail:
            message += f"；{detail}"
        return NumberFinding(**base, status="mismatch", expected=fact.display, message=message, **_evidence(entry))
    if is_small_chinese_count(mention):
        return NumberFinding(**base, status="ignored", reason="汉字小数目",
                             message="汉字小数目（十以内），多为行文计数，台账中无对应数据，不核对")
    hint = f"（最接近的是“{entry.fact.label}”）" if entry is not None and binding.score > 0.15 else ""
    return NumberFinding(**base, status="unsupported", message=f"台账中找不到支持此数的数据{hint}，请核实来源")


def _expected_text(mention: Mention, entry: Entry) -> str:
    fact = entry.fact
    if mention.direction_word and entry.signed and fact.value is not None and fact.sign != 0 \
            and (fact.sign > 0) != ((mention.sign or 1) > 0):
        return f"{fact.display}（文中“{mention.direction_word}”与数据的增减方向相反）"
    return fact.display


def _base_value(mention: Mention) -> Decimal:
    return abs(mention.value) * mention.base_scale


def _past_values(texts: Sequence[str]) -> set[tuple[str | None, Decimal]]:
    found: set[tuple[str | None, Decimal]] = set()
    for text in texts:
        mentions, _ = extract(text)
        for mention in mentions:
            found.add((mention.unit.dimension if mention.unit else None, _base_value(mention)))
    return found
