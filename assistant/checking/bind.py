"""Binding: each claim of the text against the ledger, by value and by the words around it.

A claim stands for an interval (its written precision, widened by an approximation word). A fact
matches in value when its own interval (exact for computed facts, ± half a unit of its displayed
precision for inputs) overlaps the claim's, after converting both to the dimension's base unit
(60158元 ↔ 6.02万元). The words around the claim are scored against every fact's names (coverage of
the name's bigrams, rarer bigrams weighing more; see `FactIndex.scores`).

Verdicts (docs/checker.md, "Binding"):
- verified: some fact matches in value, and no other fact is named much more clearly by the context;
- stale: the matching fact is last year's (period "prior") while the text speaks of this year;
- mismatch: the context clearly names a fact whose value differs (expected = its display);
- unsupported: no fact matches and none is clearly named — fail closed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assistant.checking.extract import TENTHS, Mention
from assistant.checking.index import Entry, FactIndex, bigrams
from assistant.checking.layout import Context
from assistant.checking.lexicon import Unit, unit_table, words

# Decision thresholds on context scores (coverage in [0, 1]); see docs/checker.md, "Binding".
STRONG = 0.5  # a context names a fact clearly …
MARGIN = 0.3  # … and this much more clearly than the fact that matches in value: a mismatch
NAMED = 0.45  # … unless the matching fact is itself named at least this well
TABLE_STRONG = 0.8  # in a table a row label and a column header naming a fact this well …
TABLE_MARGIN = 0.15  # … overrule a value match named this much worse
WEAK = 0.3  # below this the words name nothing: an unmatched number is unsupported, not a mismatch
TIE = 0.05  # scores this close name facts equally well
EXACT_TIE = 0.01  # names covered alike (both fully)
BOUND_LEAD = 0.1  # a bound or a goal: the fact its words name this much better than its value match decides
PRUNE = 0.8  # facts named this far below the best are not considered
PERIOD_WEIGHT = 0.25  # bonus / penalty for a fact of the period the text speaks of (上年 / 本年)
HINT_WEIGHT = 0.1  # a bare table cell: facts of the dimension the table states (（万元）) are preferred
SAME_UNIT = 0.02  # tie-break for a fact kept in the unit the text writes
SHARPER_SLACK = 0.05  # how much worse a fact in the written unit may be named and still contradict
# Swapped figures (Binder.cross_check), on the scores of each number's own words only:
CROSSING = 0.07  # each number's words name the other's fact this much better than its own match
CROSSING_TABLE = 0.03  # … in a table row, where the two names differ only by their column header
CROSSING_NAMED = 0.3  # the partner's words must name the fact this number's value matches at least so well
LOCAL_MINIMUM = 0.12  # this number's words must name the partner's fact at least so well
CROSSING_CANDIDATES = 8  # partner facts tried per number
CROSSING_TOP = 0.15  # the partner's words may name some other fact at most this much better


@dataclass(frozen=True)
class Interval:
    low: Decimal | None  # None: −∞
    high: Decimal | None  # None: +∞
    closed_high: bool = False

    def overlaps(self, low: Decimal, high: Decimal) -> bool:
        """Overlap with the fact interval [low, high) — a point when low == high."""
        if low == high:
            return (self.low is None or low >= self.low) and (
                self.high is None or low < self.high or (self.closed_high and low == self.high))
        if self.low is not None and high <= self.low:
            return False
        return self.high is None or low < self.high or (self.closed_high and low == self.high)

    def scaled(self, factor: Decimal) -> Interval:
        return Interval(None if self.low is None else self.low * factor,
                        None if self.high is None else self.high * factor, self.closed_high)

    def negated(self) -> Interval:
        return Interval(None if self.high is None else -self.high, None if self.low is None else -self.low,
                        self.closed_high)


def _last_digit_place(value: Decimal, ulp: Decimal) -> Decimal:
    """The place of the last non-zero digit (40000 → 10000, 4817.1 → 0.1), at least `ulp`."""
    value = abs(value)
    if value == 0:
        return ulp
    place = ulp
    while place * 10 <= value and (value / (place * 10)) == (value / (place * 10)).to_integral_value():
        place *= 10
    return place


def _leading_place(value: Decimal, ulp: Decimal) -> Decimal:
    """The place of the first digit (40000 → 10000, 95 → 10, 0.8 → 0.1), at least `ulp`."""
    value = abs(value)
    if value == 0:
        return ulp
    return max(Decimal(1).scaleb(value.adjusted()), ulp)


def claim_intervals(mention: Mention, magnitude: Decimal) -> tuple[Interval, Interval]:
    """(anchor, loose) intervals of a claim in its written unit, for a non-negative magnitude.

    anchor: the digits as written (± half the last place; a range from its first to its last number);
    loose: widened by the approximation word (约, 余, 超过 …)."""
    half = mention.ulp / 2
    upper = abs(mention.upper) if mention.upper is not None else None
    if upper is not None:
        anchor = Interval(min(magnitude, upper) - half, max(magnitude, upper) + half)
    else:
        anchor = Interval(magnitude - half, magnitude + half)
    kind = mention.approx_kind
    if kind is None or kind == "threshold" or mention.comparator:
        return anchor, anchor
    step = _last_digit_place(magnitude, mention.ulp)
    if mention.unit is not None and mention.unit.name == TENTHS:
        step = mention.ulp  # 十成 is one word for ten tenths: 约十成 is 95%–105%, not 50%–150%
    if kind == "about":
        spread = max(half, step / 2)
        return anchor, Interval(magnitude - spread, magnitude + spread, closed_high=True)
    lead = _leading_place(magnitude, mention.ulp) if mention.unit is None or mention.unit.name != TENTHS else step
    # the side the word names is the written figure itself, not its rounding: 超过六成 is [60%, 70%),
    # 近九成 [80%, 90%] (with a coarse unit such as 成 half a place would be 5 points)
    if kind == "at_least":  # 超1万人: more than 1万, less than 2万
        return anchor, Interval(magnitude, magnitude + lead)
    if kind == "at_most":  # 不足5%: less than 5%, more than 4%
        return anchor, Interval(magnitude - lead, magnitude, closed_high=True)
    if kind == "some_more":
        return anchor, Interval(magnitude, magnitude + step)
    if kind == "nearly":
        return anchor, Interval(magnitude - step, magnitude, closed_high=True)
    return anchor, anchor


def bound_interval(mention: Mention, anchor: Interval) -> Interval | None:
    """A bound (99%以上, ≥90%, 控制在16万元以内) read on its side only: 99%以上 is [99, 99.5), so an
    achieved 98.91% does not round into it. None for a number that is no bound."""
    side = mention.comparator
    if side not in (">=", "<=") or mention.upper is not None:
        return None
    magnitude = abs(mention.value)
    if side == ">=":
        return Interval(max(anchor.low, magnitude) if anchor.low is not None else magnitude, anchor.high)
    return Interval(anchor.low, min(anchor.high, magnitude) if anchor.high is not None else magnitude, closed_high=True)


def is_coarse(mention: Mention) -> bool:
    """A proportion written in words (六成, 三分之二, 近半, 两倍): it covers a band of rates."""
    return mention.chinese and mention.unit is not None and mention.unit.dimension == "percent"


@dataclass
class Binding:
    status: str  # verified / mismatch / stale / unsupported / target (a plan's number, no verdict)
    entry: Entry | None = None  # the fact the number is bound to (verified), or the expected fact
    detail: str = ""  # the kind of error guessed: unit / decimal / direction
    score: float = 0.0
    matched: Entry | None = None  # stale: the prior-year fact the number equals
    scores: dict[int, float] | None = None  # context score of each fact named at all


@dataclass
class Claim:
    mention: Mention
    context: Context
    grams: dict[str, float]
    period: str | None  # "prior" / "current" / None (not said: the report's year)
    hint: Unit | None = None  # a bare table cell: the unit the table states
    local: dict[str, float] | None = None  # bigrams of the words next to the number only
    comparison: bool = False  # stated as a change: 比上年减少…, 低于年初预算…, a 比上年增减 column
    role: str | None = None  # "target" (确保…达到60%, 力争, 年度指标值 column) / "actual" (实际完成, 提升至)
    # / "weight" (分值) / "score" (得分) / None
    future: str | None = None  # a plan's or a target's number (checking/future.py: cue / year / section)


# Target and actual: a figure the text sets as a goal is never refuted by an achieved figure, nor the
# reverse (确保仲裁结案率达到90% against 实际完成值 100%).
_TARGET_CUES = ("目标", "确保", "力争", "争取", "不低于", "不少于", "计划", "预期", "预计", "指标值")
_ACTUAL_CUES = ("实际", "完成值")
# Score and weight: 得分9.83分 is never refuted by the item's 分值 10分, nor the reverse.
_WEIGHT_CUES = ("分值", "权重")
_SCORE_CUES = ("得分", "评分")
# A level reached (由97.80%提升至99.50%, 达到93.5%): an achieved figure unless a target cue says otherwise.
_LEVEL_CUES = ("提升至", "提高至", "提升到", "提高到", "增长至", "增长到", "上升至", "上升到", "增加至", "增加到",
               "下降至", "下降到", "降低至", "降低到", "减少至", "减少到", "达到", "达")
_CLAUSE_END = re.compile(r"[，。；;,！!？?：:\n]")


def role_of(context: Context) -> str | None:
    """Whether the words say the number is a target or an achieved figure: the cue words of its own
    clause (since the last comma), or in a table its column header."""
    if context.in_table:
        found = _role_in(context.column)
        if found:
            return found
        if "分值" in context.column or "权重" in context.column:
            return "weight"
        if "得分" in context.column:
            return "score"
    tail = _CLAUSE_END.split(context.before)[-1]
    found = _role_in(tail, prose=True)
    if found is None and tail.rstrip(" \u3000").endswith(_LEVEL_CUES):
        return "actual"
    return found


def _last(text: str, cues: tuple[str, ...]) -> int:
    return max((text.rfind(cue) + len(cue) for cue in cues if cue in text), default=-1)


def _role_in(text: str, prose: bool = False) -> str | None:
    """The role of the cue nearest the end of `text`: in prose also 得分 / 分值 (in a table the column
    header's 分值 / 得分 is read after the target and actual cues)."""
    if not text:
        return None
    kinds = [("target", _TARGET_CUES), ("actual", _ACTUAL_CUES)]
    if prose:
        kinds += [("weight", _WEIGHT_CUES), ("score", _SCORE_CUES)]
    found = max(((_last(text, cues), role) for role, cues in kinds), default=(-1, None))
    return found[1] if found[0] >= 0 else None


def fact_role(entry: Entry) -> str | None:
    key, label = entry.fact.key, entry.fact.label
    if key.endswith((".target", "_target")) or label.endswith(("年度指标值", "目标值", "目标", "预期目标")):
        return "target"
    if key.endswith(".actual") or label.endswith(("实际完成值", "实际完成", "实际值")):
        return "actual"
    if key.endswith(".weight"):
        return "weight"
    if key.endswith(".score"):
        return "score"
    return None


LOCAL = 0.6  # context parts at least this heavy are the number's own words


def context_grams(context: Context, minimum: float = 0.0) -> dict[str, float]:
    """Bigram → weight of the number's own words; with `minimum`, also the heavy shared parts (a
    table's row label) — the words that name this number rather than its surroundings."""
    grams: dict[str, float] = {}
    parts = context.segments if not minimum else [*context.segments, *context.shared]
    for text, weight in parts:
        if not text or weight < minimum:
            continue
        for gram in bigrams(text):
            if weight > grams.get(gram, 0.0):
                grams[gram] = weight
    return grams


_COMPARISON = ("比上年", "较上年", "同比", "比年初", "较年初", "增减", "变动", "相比", "与上年", "比去年", "较去年")


# "比上年的99898元减少39740元", "较2023年的19268元": the figure after 比上年的 is last year's amount,
# the base of the comparison — not the change.
_PRIOR_BASE = re.compile(r"(?:比|较|与|同|相比)\s*(?:上年度?|去年|上一年|(?:19|20)\d{2}\s*年度?)(?:同期)?\s*(?:的|的数|水平)\s*$")


def is_prior_base(context: Context) -> bool:
    return bool(_PRIOR_BASE.search(context.before.rstrip(" \u3000")))


def is_comparison(mention: Mention, context: Context) -> bool:
    """A number stated as a change: in a clause or column about 增减 (比上年减少2538元, 低于年初预算
    2.60万元, 比上年增减 column), or a rate after a direction word (下降41.37%, 提高2个百分点).
    A direction verb alone does not make a change: "改造提升8700亩" is an amount; nor is the base
    after 比上年的 (last year's amount)."""
    if mention.direction_word is None and is_prior_base(context):
        return False
    before = context.segments[0][0] if context.segments else ""
    if any(marker in before or marker in context.column for marker in _COMPARISON):
        return True
    if mention.direction_word is None:
        return False
    if mention.direction_word in words().up_comparatives + words().down_comparatives:
        return True  # 低于年初预算…: the reference is named
    if mention.unit is not None and mention.unit.dimension in ("percent", "percentage_point"):
        return True
    return any(marker in context.before for marker in _COMPARISON)


def period_of(mention: Mention, context: Context, year: int | None) -> str | None:
    """Which year the text says the number belongs to, from the nearest cue before it."""
    lexicon = words()
    before = context.before.rstrip(" \u3000")
    if mention.level:
        return "current"
    prefix_end = len(before) - (mention.number_start - mention.start)
    head = before[:prefix_end] if prefix_end >= 0 else before
    if head.endswith(lexicon.from_markers) or is_prior_base(context):
        return "prior"
    for text in (before, context.column, context.row):
        found = _last_cue(text, year)
        if found:
            return found
    return None


@lru_cache(maxsize=8)
def _cue_pattern(year: int | None) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every period cue; comparison markers (比上年) come first so that they are
    consumed as neutral and their 上年 is no cue."""
    lexicon = words()
    periods: dict[str, str] = {marker: "" for marker in lexicon.comparison_markers}
    periods.update({cue: "prior" for cue in lexicon.prior_cues})
    periods.update({cue: "current" for cue in lexicon.current_cues})
    if year:
        periods[f"{year - 1}年"] = "prior"
        periods[f"{year}年"] = "current"
    ordered = sorted(periods, key=len, reverse=True)
    return re.compile("|".join(re.escape(cue) for cue in ordered)), periods


def _last_cue(text: str, year: int | None) -> str | None:
    if not text:
        return None
    pattern, periods = _cue_pattern(year)
    found = None
    for match in pattern.finditer(text):
        period = periods[match.group()]
        if period:
            found = period
    return found


def _as_displayed(entry) -> tuple[Decimal, Decimal]:
    """An input's interval at its displayed precision (the index keeps the wider written one)."""
    scale = entry.unit.scale if entry.unit is not None else Decimal(1)
    half = Decimal(5).scaleb(-entry.fact.precision - 1) * scale
    return entry.point - half, entry.point + half


class Binder:
    def __init__(self, index: FactIndex):
        self.index = index
        entries = index.entries
        # Sorted by low end, per dimension (base units) and for bare numbers (own units).
        self._dimension: dict[str, tuple[list[Decimal], list[int], Decimal]] = {}
        for dimension, members in index.by_dimension.items():
            ordered = sorted(members, key=lambda i: entries[i].low)
            width = max((entries[i].high - entries[i].low for i in ordered), default=Decimal(0))
            self._dimension[dimension] = ([entries[i].low for i in ordered], ordered, width)
        everything = sorted(range(len(entries)), key=lambda i: entries[i].own_low)
        width = max((entries[i].own_high - entries[i].own_low for i in everything), default=Decimal(0))
        self._bare = ([entries[i].own_low for i in everything], everything, width)
        self._adjustment_cache: dict[tuple, dict[int, float]] = {}
        self._roles = [fact_role(entry) for entry in entries]
        # the same indicator's target and achieved figure (indicator.3.target ↔ indicator.3.actual)
        by_key = {entry.key: i for i, entry in enumerate(entries)}
        self._role_twin: dict[int, int] = {}
        for i, entry in enumerate(entries):
            stem, _, _ = entry.key.rpartition(".")
            other = {"target": "actual", "actual": "target"}.get(self._roles[i] or "")
            j = by_key.get(f"{stem}.{other}") if stem and other else None
            if j is not None and self._roles[j] == other:
                self._role_twin[i] = j

    def opposed(self, claim: Claim, i: int) -> bool:
        """Facts of another concept than the claim's: a target cannot be refuted by an achieved figure,
        nor the reverse; a score by a weight, nor the reverse; and a figure the text gives for last year
        (由97.80%提升至…, 上年…) by this year's target, achieved figure, weight or score of an item."""
        pair = {claim.role, self._roles[i]}
        if pair == {"target", "actual"} or pair == {"weight", "score"}:
            return True
        return claim.period == "prior" and self._roles[i] is not None and not self.index.entries[i].is_prior

    # -- value matching --------------------------------------------------------------------------
    def _range(self, table, interval: Interval, own: bool) -> list[int]:
        lows, order, width = table
        start = 0 if interval.low is None else bisect.bisect_left(lows, interval.low - width)
        stop = len(lows) if interval.high is None else bisect.bisect_right(lows, interval.high)
        entries = self.index.entries
        found = []
        for position in range(start, stop):
            i = order[position]
            entry = entries[i]
            low, high = (entry.own_low, entry.own_high) if own else (entry.low, entry.high)
            if interval.overlaps(low, high):
                found.append(i)
        return found

    def value_matches(self, claim: Claim, *, as_written: bool = False) -> set[int]:
        """Facts whose value agrees with the claim. A difference (signed fact) must agree in sign when
        the text gives one (a minus sign or a direction word); a plain amount is compared by size.

        `as_written`: an input written coarser than displayed (93.4, shown 93.40%) stands for all it
        rounds to. Only for audits, where two figures the department wrote may differ in precision;
        a draft checked against the data must print the data's figure (98.19% is not 98.2)."""
        mention = claim.mention
        anchor, loose = claim_intervals(mention, abs(mention.value))
        bounded = bound_interval(mention, anchor)
        explicit_minus = mention.value < 0
        explicit_sign = explicit_minus or (mention.sign is not None and mention.direction_word is None)
        sign = -1 if explicit_minus else mention.sign
        entries = self.index.entries
        lookups: list[tuple[tuple, Decimal, bool]] = []  # (sorted table, scale to base, own units)
        if mention.unit is not None:
            table = self._dimension.get(mention.unit.dimension)
            if table:
                lookups.append((table, mention.unit.scale, False))
        else:
            lookups.append((self._bare, mention.multiplier, True))
            if claim.hint is not None and claim.hint.dimension in self._dimension:
                lookups.append((self._dimension[claim.hint.dimension], claim.hint.scale * mention.multiplier, False))
        probe = Interval(
            None if anchor.low is None or loose.low is None else min(anchor.low, loose.low),
            None if anchor.high is None or loose.high is None else max(anchor.high, loose.high),
            closed_high=True,
        )
        matches: set[int] = set()
        for table, scale, own in lookups:
            for flipped in (False, True):
                base = probe.scaled(scale)
                for i in self._range(table, base.negated() if flipped else base, own):
                    if i in matches:
                        continue
                    entry = entries[i]
                    if entry.is_change != claim.comparison and not (
                            entry.is_change and explicit_sign and claim.context.in_table):
                        continue  # 比上年减少2538元 is a change; 会议费支出2538元 is not
                    if entry.signed:
                        if sign is not None and flipped != (sign < 0):
                            continue
                        if sign is None and flipped and mention.unit is None:
                            continue  # a table writes a negative figure with its minus sign
                    elif flipped or explicit_minus:
                        continue
                    interval = (anchor if entry.fact.approx else loose)
                    if bounded is not None and self._roles[i] != "target":
                        interval = bounded  # 99%以上 against an achieved 98.91%: a bound, not a rounding
                    interval = interval.scaled(scale)
                    if flipped:
                        interval = interval.negated()
                    if own:
                        low = high = entry.own_point
                    elif entry.fact.approx or (entry.unit is not None and scale < entry.unit.scale):
                        # 60158元 against 6.02万元: any amount rounding to it
                        low, high = (entry.low, entry.high) if as_written or entry.written is None \
                            else _as_displayed(entry)
                    elif as_written and entry.written is not None and mention.ulp * scale < Decimal(1).scaleb(
                            -entry.written) * (entry.unit.scale if entry.unit is not None else Decimal(1)):
                        low, high = entry.low, entry.high  # 93.44% against 93.4 (shown 93.40%): as written
                    else:
                        low = high = entry.point
                    if interval.overlaps(low, high):
                        matches.add(i)
        return matches

    # -- context ---------------------------------------------------------------------------------
    def _adjustments(self, claim: Claim) -> dict[int, float]:
        """What the claim's period, unit and table add to each compatible fact's context score (0 for
        most); compatible facts are the keys. Cached per kind of claim."""
        unit = self._claim_unit(claim)
        key = (claim.mention.unit.dimension if claim.mention.unit is not None else None, claim.comparison,
               claim.context.in_table, claim.period or "current", unit.name if unit is not None else None,
               claim.hint.dimension if claim.mention.unit is None and claim.hint is not None else None)
        cached = self._adjustment_cache.get(key)
        if cached is not None:
            return cached
        dimension, comparison, in_table, period, unit_name, hint = key
        table: dict[int, float] = {}
        for i, entry in enumerate(self.index.entries):
            if entry.is_change != comparison and not (entry.is_change and in_table):
                continue
            if dimension is not None and (entry.unit is None or entry.unit.dimension != dimension):
                continue
            bonus = 0.0
            if period == "prior":
                if entry.is_prior:
                    bonus += PERIOD_WEIGHT
                elif entry.twin is not None:
                    bonus -= PERIOD_WEIGHT
            elif entry.is_prior:
                bonus -= PERIOD_WEIGHT
            if unit_name is not None and entry.unit is not None and entry.unit.name == unit_name:
                bonus += SAME_UNIT  # a fact kept in the unit the text writes wins a tie (60158元: the 元 table)
            if hint is not None:  # a bare cell of a table in 万元
                bonus += HINT_WEIGHT if entry.unit is not None and entry.unit.dimension == hint else -HINT_WEIGHT
            table[i] = bonus
        self._adjustment_cache[key] = table
        return table

    def compatible(self, claim: Claim, i: int) -> bool:
        """Facts the claim could speak of: same dimension, and a change for a change."""
        return i in self._adjustments(claim)

    def _claim_unit(self, claim: Claim) -> Unit | None:
        return claim.mention.unit if claim.mention.unit is not None else claim.hint

    def bind(self, claim: Claim, matches: set[int] | None = None) -> Binding:
        if matches is None:
            matches = self.value_matches(claim)
        scores = self.index.scores(claim.grams, claim.context.shared, matches)
        binding = self._bind(claim, scores, matches)
        binding.scores = scores
        return binding

    def _bind(self, claim: Claim, scores: dict[int, float], matches: set[int]) -> Binding:
        binding = self._bind_any(claim, scores, matches)
        if binding.status == "verified" and not claim.future and (
                claim.mention.comparator in (">=", "<=") or is_coarse(claim.mention)):
            binding = self._bound_named(claim, binding, scores)
        if binding.status == "mismatch" and binding.entry is not None and binding.detail == "" \
                and self._satisfies_bound(claim, binding):
            return Binding("verified", binding.entry, "bound", binding.score)
        return binding

    def _bound_named(self, claim: Claim, binding: Binding, scores: dict[int, float]) -> Binding:
        """A bound (达到95%以上) or a proportion in words (近九成: ten points wide) is about the figure its
        words name: when they name another fact clearly and better than the one it happens to cover,
        that fact decides (a bound satisfied or not, a proportion covering it or not)."""
        bonus = self._adjustments(claim)
        candidates = [i for i in scores if i in bonus and not self.opposed(claim, i)]
        if not candidates:
            return binding
        top = max(scores[i] + bonus[i] for i in candidates)
        # names the words cover equally: the most specific one (公车运行维护经费预算控制率, not the
        # 运行维护经费预算控制率 its words also contain) is what they say
        named = max((i for i in candidates if scores[i] + bonus[i] >= top - EXACT_TIE),
                    key=lambda i: (len(self.index.entries[i].fact.label), -i))
        if self.index.entries[named] is binding.entry:
            return binding
        score = scores[named] + bonus[named]
        label, matched = self.index.entries[named].fact.label, binding.entry.fact.label
        more_specific = score >= binding.score - EXACT_TIE and matched in label and matched != label
        if score < STRONG or (score < binding.score + BOUND_LEAD and not more_specific):
            return binding
        return Binding("mismatch", self.index.entries[named], "", score)

    def _satisfies_bound(self, claim: Claim, binding: Binding) -> bool:
        """满意度达到95%以上 against an achieved 98%: the bound holds for the fact the words name
        clearly. A target keeps its threshold as its figure: a target fact, or a claim that states a
        goal (不少于18000人 among the 绩效目标), is checked for equality only."""
        mention, entry = claim.mention, binding.entry
        side = mention.comparator
        if side not in (">=", "<=", ">", "<") or binding.score < STRONG or fact_role(entry) == "target" \
                or claim.role == "target" or self.opposed(claim, self._position(entry)) \
                or mention.unit is None or entry.unit is None or entry.signed:
            return False
        written = abs(mention.value) * mention.unit.scale
        value = entry.point
        return value >= written if side in (">=", ">") else value <= written

    def _bind_any(self, claim: Claim, scores: dict[int, float], matches: set[int]) -> Binding:
        index = self.index
        entries = index.entries
        unit = self._claim_unit(claim)
        bonus = self._adjustments(claim)
        # facts named far below the best cannot become the best after the small adjustments
        floor = max(scores.values(), default=0.0) - PRUNE
        adjusted = {i: score + bonus[i] for i, score in scores.items() if score >= floor and i in bonus}
        for i in matches:
            if i not in adjusted and i in bonus:
                adjusted[i] = scores.get(i, 0.0) + bonus[i]
        if claim.future:
            return self._bind_target(claim, adjusted, matches)
        named = self._named(claim, {i: v for i, v in adjusted.items() if not self.opposed(claim, i)}, scores)
        if matches:
            best = max(matches, key=lambda i: (not self.opposed(claim, i), adjusted.get(i, -1.0),
                                               not entries[i].is_prior, -i))
            best_score = adjusted.get(best, 0.0)
            entry = entries[best]
            if not self._overruled(claim, named, matches, adjusted, best_score):
                sharper = self._sharper_contradiction(claim, unit, best, best_score, matches, adjusted)
                if sharper is not None:
                    return Binding("mismatch", entries[sharper], self._why(claim, entries[sharper]),
                                   adjusted[sharper])
                crossed = self._role_crossed(claim, matches, adjusted)
                if crossed is not None:
                    return Binding("mismatch", entries[crossed],
                                   "swap" if self._role_twin.get(crossed) in matches else "", adjusted[crossed])
                if entry.is_prior and (claim.period or "current") != "prior" and entry.twin is not None \
                        and entry.twin not in matches:
                    return Binding("stale", entries[entry.twin], "prior", best_score, entry)
                if not entry.is_prior and claim.period == "prior" and entry.twin is not None \
                        and entry.twin not in matches:  # this year's figure where the text says 上年
                    return Binding("mismatch", entries[entry.twin], "period", adjusted.get(entry.twin, 0.0))
                return Binding("verified", entry, "", best_score)
            return Binding("mismatch", entries[named], self._why(claim, entries[named]), adjusted[named])
        if named is not None and adjusted[named] >= WEAK:
            return Binding("mismatch", entries[named], self._why(claim, entries[named]), adjusted[named])
        return Binding("unsupported", entries[named] if named is not None else None, "",
                       adjusted.get(named, 0.0) if named is not None else 0.0)

    def _bind_target(self, claim: Claim, adjusted: dict[int, float], matches: set[int]) -> Binding:
        """A plan's or a target's number: verified by a target fact it equals (年度指标值, a 目标
        metric), a mismatch with a target fact the words name clearly, otherwise a target without a
        verdict — never bound to this year's data (三公经费控制在16万元以内 is not this year's budget)."""
        entries = self.index.entries
        targets = [i for i in adjusted if self._roles[i] == "target"]
        agreeing = [i for i in targets if i in matches]
        if not agreeing and claim.future == "section":
            # a plan section restating this year's figure ("在全年新增就业6240人的基础上"): its words
            # name the fact clearly
            agreeing = [i for i in matches if i in adjusted and adjusted[i] >= STRONG and not entries[i].is_prior]
        named = max(targets, key=lambda i: (adjusted[i], -i), default=None)
        if agreeing:
            best = max(agreeing, key=lambda i: (adjusted[i], -i))
            if named is None or named in agreeing or adjusted[named] < STRONG \
                    or adjusted[named] < adjusted[best] + BOUND_LEAD:
                return Binding("verified", entries[best], "", adjusted[best])
            # the goal equals another target's figure while its words name this one
            return Binding("mismatch", entries[named], self._why(claim, entries[named]), adjusted[named])
        if named is not None and adjusted[named] >= STRONG:
            return Binding("mismatch", entries[named], self._why(claim, entries[named]), adjusted[named])
        return Binding("target", None, "", 0.0)

    def _role_crossed(self, claim: Claim, matches: set[int], adjusted: dict[int, float]) -> int | None:
        """A table cell holding another figure of its row's item (the 年度指标值 cell holding the
        实际完成值, the 分值 cell holding the target): the fact of the column's kind that the row names
        best does not match, while a fact of the same item (indicator.4.*) does."""
        if not claim.context.in_table or claim.role is None or not adjusted:
            return None
        same = [i for i in adjusted if self._roles[i] == claim.role]
        if not same:
            return None
        named = max(same, key=lambda i: adjusted[i])
        if named in matches:
            return None
        if self._role_twin.get(named) not in matches:
            stem = self.index.entries[named].key.rpartition(".")[0]
            if not stem or not any(self.index.entries[i].key.rpartition(".")[0] == stem for i in matches):
                return None
        if adjusted[named] < TABLE_STRONG or adjusted[named] < max(adjusted.values()) - TABLE_MARGIN:
            return None
        return named

    def _overruled(self, claim: Claim, named: int | None, matches: set[int], adjusted: dict[int, float],
                   best_score: float) -> bool:
        """Whether the words name another fact so much better than every fact the value matches that
        the number is wrong for what the words say. In a table a row label and a column header are
        precise, so a smaller lead suffices there."""
        if named is None or named in matches:
            return False
        lead = adjusted[named] - best_score
        if claim.context.in_table and adjusted[named] >= TABLE_STRONG and lead >= TABLE_MARGIN:
            return True
        return adjusted[named] >= STRONG and lead >= MARGIN and best_score < NAMED

    def _named(self, claim: Claim, adjusted: dict[int, float], scores: dict[int, float]) -> int | None:
        """The fact the words name best; among names about as good, the one closest in value (the
        likely intended figure when the number is wrong)."""
        candidates = [i for i in adjusted if scores.get(i, 0.0) > 0]
        if not candidates:
            return None
        top = max(adjusted[i] for i in candidates)
        close = [i for i in candidates if adjusted[i] >= top - TIE]
        if len(close) == 1:
            return close[0]
        mention = claim.mention
        target = abs(mention.value) * mention.base_scale
        entries = self.index.entries

        factors = (Decimal(1), Decimal(10000), Decimal("0.0001")) if (
            mention.unit is not None and mention.unit.dimension == "money") else (Decimal(1),)

        def distance(i: int) -> Decimal:
            entry = entries[i]
            value = abs(entry.own_point if mention.unit is None else entry.point)
            # a 万元/元 swap is the likeliest reading of a money figure off by 10000
            return min(abs(value - target * f) / max(value, target * f, Decimal(1)) for f in factors)

        def same_digits(i: int) -> bool:  # "60158万元" for 60158元: the fact whose own figure is the written one
            return abs(entries[i].own_point) == abs(mention.value)

        return min(close, key=lambda i: (distance(i), not same_digits(i), -adjusted[i], i))

    def _sharper_contradiction(self, claim: Claim, unit: Unit | None, best: int, best_score: float,
                               matches: set[int], adjusted: dict[int, float]) -> int | None:
        """A number in 元 that matches a 万元 figure only through that figure's rounding (60157元 ≈
        6.02万元) while the same quantity is also kept in 元 (60158元) and disagrees: a mismatch."""
        entries = self.index.entries
        entry = entries[best]
        if unit is None or entry.unit is None or entry.unit.scale <= unit.scale:
            return None
        rivals = [i for i, score in adjusted.items()
                  if i not in matches and not self.opposed(claim, i) and entries[i].unit is not None and entries[i].unit.name == unit.name
                  and score >= best_score - SHARPER_SLACK]
        return max(rivals, key=lambda i: adjusted[i]) if rivals else None

    def cross_check(self, claims: list[Claim], bindings: list[Binding], matches: list[set[int]]) -> None:
        """Two numbers swapped between their facts: each matches in value the fact that the other's
        own words name. Both become mismatches (the paragraph around them cannot tell them apart)."""
        groups: dict[int, list[int]] = {}
        for position, claim in enumerate(claims):
            groups.setdefault(claim.context.group, []).append(position)
        index = self.index
        entries = index.entries
        for members in groups.values():
            if len(members) < 2:
                continue
            for x in members:
                binding = bindings[x]
                if binding.status != "verified" or binding.entry is None:
                    continue
                # only a fact another number of the group matches can be x's swapped partner
                others = set().union(*(matches[y] for y in members if y != x)) - matches[x]
                if not others:
                    continue
                claim = claims[x]
                wider = binding.scores or {}
                compatible = self._adjustments(claim)
                named = sorted((i for i in others if i in wider and i in compatible and not self.opposed(claim, i)),
                               key=lambda i: -wider[i])[:CROSSING_CANDIDATES]
                if not named:
                    continue
                local_x = claim.local or {}
                own_scores = {i: index.score_of(i, local_x) for i in named}
                top = max(own_scores.values())
                if top < LOCAL_MINIMUM:
                    continue
                crossing = CROSSING_TABLE if claim.context.in_table else CROSSING
                bound_x = index.score_of(self._position(binding.entry), local_x)
                if top - bound_x < crossing:
                    continue
                # x's words must name no fact its value matches better than the partner's fact
                matched_x = max((index.score_of(i, local_x) for i in matches[x]), default=0.0)
                for own in sorted(own_scores, key=lambda i: -own_scores[i]):
                    own_x = own_scores[own]
                    if own_x < top - TIE * 2 or own_x < LOCAL_MINIMUM or own_x - bound_x < crossing \
                            or own_x < matched_x:
                        break
                    if self._crossed(claims, matches, members, x, own, crossing):
                        bindings[x] = Binding("mismatch", entries[own], "swap", own_x)
                        break

    def pair_check(self, text: str, claims: list[Claim], bindings: list[Binding], matches: list[set[int]]) -> None:
        """Two numbers of one phrase that speak of one item: 得分A分（分值B分） (the item's score and
        weight: indicator.7.score ↔ indicator.7.weight) and 由X提升至Y (last year's and this year's
        figure of one quantity). When one is verified against the item's fact, the other must be that
        fact's twin; a number that does not match the twin is a mismatch with it."""
        from assistant.checking.arith import level_pairs, score_weight_pairs

        positions = [i for i, claim in enumerate(claims) if not claim.context.in_table]
        mentions = [claims[i].mention for i in positions]
        entries = self.index.entries
        candidates = []
        for score, weight in score_weight_pairs(text, mentions):
            pair = (positions[score], positions[weight])
            candidates += [(pair, self._score_twin), (pair[::-1], self._score_twin)]
        for earlier, later in level_pairs(text, mentions):
            candidates.append(((positions[earlier], positions[later]), self._period_twin))
        done: set[int] = set()
        for (known, other), twin_of in candidates:
            bound = bindings[known]
            if other in done or bound.status != "verified" or bound.entry is None \
                    or bindings[other].status != "verified":
                continue
            twin = twin_of(bound.entry)
            if twin is None or twin in matches[other] or not self.compatible(claims[other], twin) \
                    or self.opposed(claims[other], twin) or self.opposed(claims[known], self._position(bound.entry)):
                continue
            bindings[other] = Binding("mismatch", entries[twin], "", bound.score)
            done.add(other)

    def _period_twin(self, entry: Entry) -> int | None:
        return entry.twin if entry.is_prior else None

    def _score_twin(self, entry: Entry) -> int | None:
        if not hasattr(self, "_keys"):
            self._keys = {entry.key: i for i, entry in enumerate(self.index.entries)}
        parts = entry.key.split(".")
        swap = {"score": "weight", "weight": "score"}
        for place in (len(parts) - 1, 0):
            if parts[place] in swap:
                twin = ".".join([*parts[:place], swap[parts[place]], *parts[place + 1:]])
                return self._keys.get(twin)
        return None

    def _crossed(self, claims: list[Claim], matches: list[set[int]], members: list[int], x: int, own: int,
                 crossing: float) -> bool:
        """Some other number of the group has the value of `own` (the fact x's words name) while its
        own words prefer a fact that x's value matches."""
        index = self.index
        for y in members:
            if y == x or own not in matches[y]:
                continue
            local_y = claims[y].local or {}
            preferred = max((index.score_of(i, local_y) for i in matches[x]), default=0.0)
            if preferred < CROSSING_NAMED or preferred - index.score_of(own, local_y) < crossing:
                continue
            # y's words must name x's fact about as well as any fact (not merely share a word such as
            # 指标 with it); facts with a shorter name may score a little higher on the same words
            compatible = self._adjustments(claims[y])
            top = max((score for i, score in index.scores(local_y).items() if i in compatible), default=0.0)
            if preferred >= top - CROSSING_TOP:
                return True
        return False

    def _position(self, entry: Entry) -> int:
        if not hasattr(self, "_positions"):
            self._positions = {id(e): i for i, e in enumerate(self.index.entries)}
        return self._positions[id(entry)]

    def _why(self, claim: Claim, entry: Entry) -> str:
        """A guess at the kind of error, for the message: direction / unit / decimal / ""."""
        mention = claim.mention
        if entry.fact.value is None:
            return ""
        scale = mention.unit.scale if mention.unit is not None else Decimal(1)
        anchor, _ = claim_intervals(mention, abs(mention.value))
        low, high = (entry.low, entry.high) if mention.unit is not None else (entry.own_low, entry.own_high)
        if mention.sign is not None and entry.signed and mention.value != 0 \
                and anchor.scaled(scale).negated().overlaps(low, high):
            return "direction"
        low, high = sorted((abs(low), abs(high)))
        if mention.unit is not None and mention.unit.dimension == "money":
            for factor in (Decimal(10000), Decimal("0.0001")):  # 万元 written as 元, or the reverse
                if anchor.scaled(scale * factor).overlaps(low, high):
                    return "unit"
        for power in (-3, -2, -1, 1, 2, 3):
            if anchor.scaled(scale * Decimal(10) ** power).overlaps(low, high):
                return "decimal"
        return ""


def unit_by_name(name: str | None) -> Unit | None:
    return unit_table().lookup(name) if name else None
