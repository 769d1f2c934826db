"""Single-error injection into a clean report text (pure and deterministic).

Input: a clean document (`text`, its `ledger`, and the `mentions` the checker marked verified on it).
Output: `Injection`s — the text with exactly one error, the span(s) of the error in the new text, and
the snippet before and after. Nothing here reads files or a clock; all randomness comes from the
`random.Random` passed in, so a seed reproduces the whole benchmark.

Only verified mentions are touched: the benchmark measures whether the checker notices a wrong
figure it could otherwise read, not whether it can read the figure at all.

Categories (keys of `INJECTORS`, Chinese names in `CATEGORY_NAMES`):

* digit_substitution   one digit replaced by another (905.60 → 905.80)
* digit_transposition  two adjacent different digits exchanged (98.91 → 98.19)
* decimal_shift        the decimal point one place left or right (905.60 → 9056.0 / 90.560)
* unit_swap            万元 ↔ 元 without rescaling (905.60万元 → 905.60元)
* percentage_change    a percentage moved by 0.5–10 points at its written precision
* stale_prior          a current figure replaced by its prior-year fact (ledger period "prior")
* swap                 two figures of the same unit exchanged; both spans must be flagged
* rounding             the last written digit rounded the wrong way (97.617 → 97.61, not 97.62)
* direction_word       增加↔减少, 增长↔下降, 低于↔超出, 提升至↔下降至 before a verified figure
                       (not in 增长率 and not after 不: 不低于 is a threshold, not a direction)
* broken_sum           one part of a "total, 其中 parts" sentence changed so the parts no longer add up
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from assistant.figures.ledger import Fact, Ledger

CATEGORIES: tuple[str, ...] = (
    "digit_substitution",
    "digit_transposition",
    "decimal_shift",
    "unit_swap",
    "percentage_change",
    "stale_prior",
    "swap",
    "rounding",
    "direction_word",
    "broken_sum",
)

CATEGORY_NAMES: dict[str, str] = {
    "digit_substitution": "数字替换",
    "digit_transposition": "相邻数字换位",
    "decimal_shift": "小数点移位",
    "unit_swap": "万元↔元单位错换",
    "percentage_change": "百分比改动",
    "stale_prior": "误用上年数",
    "swap": "两数互换",
    "rounding": "舍入错误",
    "direction_word": "方向词错误",
    "broken_sum": "其中分项不合计",
}

# Recall targets of issue 3.
TARGETS: dict[str, Decimal] = {c: Decimal("0.99") for c in CATEGORIES} | {
    "swap": Decimal("0.95"),
    "direction_word": Decimal("0.95"),
}

DIRECTION_FLIPS: dict[str, str] = {
    "提升至": "下降至",
    "下降至": "提升至",
    "增加": "减少",
    "减少": "增加",
    "增长": "下降",
    "下降": "增长",
    "低于": "超出",
    "超出": "低于",
}

_FULL = str.maketrans("０１２３４５６７８９．", "0123456789.")
_TO_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_DIGITS = set("0123456789０１２３４５６７８９")
_POINTS = set(".．")
_APPROX_BETWEEN = ("余", "多")  # between a number and its unit: 40000余份
_CLAUSE_END = set("，。；：！？\n\t、")
_SENTENCE_END = set("。\n")


@dataclass(frozen=True)
class Mention:
    """A figure of the clean text that the checker verified: its span and, if known, its fact."""

    start: int
    end: int
    fact: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class CleanDoc:
    """One clean document: the text the checker reads, the ledger it checks against, and the
    verified mentions (sorted by position) injections may touch."""

    id: str
    text: str
    ledger: Ledger
    mentions: tuple[Mention, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Injection:
    category: str
    doc: str
    text: str
    spans: tuple[tuple[int, int], ...]  # code-point spans of the error in `text`
    before: str  # the original snippet(s)
    after: str  # the injected snippet(s)
    detail: str = ""  # e.g. the fact key, the prior fact used

    def context(self, width: int = 24) -> str:
        """The injected text around the error, the error in 【】 (for reports of misses)."""
        parts = []
        for start, end in self.spans:
            left = self.text[max(0, start - width):start].replace("\n", "⏎").replace("\t", "→")
            right = self.text[end:end + width].replace("\n", "⏎").replace("\t", "→")
            parts.append(f"…{left}【{self.text[start:end]}】{right}…")
        return "  /  ".join(parts)


@dataclass
class _Number:
    """The digit run of a mention: its span in the text, its digits (ASCII) and value."""

    start: int
    end: int
    digits: str
    full_width: bool

    @property
    def value(self) -> Decimal:
        return Decimal(self.digits)

    @property
    def places(self) -> int:
        return len(self.digits.split(".", 1)[1]) if "." in self.digits else 0

    def render(self, digits: str) -> str:
        return digits.translate(_TO_FULL) if self.full_width else digits


@dataclass
class _Edit:
    """One replacement in the clean text."""

    start: int
    end: int
    new: str
    mark: tuple[int, int] | None = None  # span to record, relative to `start` in the new text


# -- small pure helpers ---------------------------------------------------------------------------

def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(value: Decimal, places: int) -> str:
    """Digits as the documents write them (no sign handling: callers pass magnitudes)."""
    return f"{quantize(value, places):f}"


def number_in(text: str, mention: Mention) -> _Number | None:
    """The first digit run (with at most one decimal point) inside the mention."""
    i = mention.start
    while i < mention.end and text[i] not in _DIGITS:
        i += 1
    if i >= mention.end:
        return None
    j = i
    seen_point = False
    while j < mention.end:
        ch = text[j]
        if ch in _DIGITS:
            j += 1
        elif ch in _POINTS and not seen_point and j + 1 < mention.end and text[j + 1] in _DIGITS:
            seen_point = True
            j += 1
        else:
            break
    raw = text[i:j]
    return _Number(i, j, raw.translate(_FULL), full_width=any(c in "０１２３４５６７８９" for c in raw))


def unit_after(text: str, position: int) -> tuple[int, str]:
    """(offset of the unit, unit text) right after a number, skipping 余/多: only the units the
    injectors care about (万元, 亿元, 元, %, ％)."""
    k = position
    if k < len(text) and text[k] in _APPROX_BETWEEN:
        k += 1
    for unit in ("万元", "亿元", "元", "%", "％"):
        if text.startswith(unit, k):
            if unit == "元" and text.startswith("元/", k):
                return k, ""
            return k, unit
    return k, ""


def apply(text: str, edits: Sequence[_Edit]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Apply non-overlapping edits; return the new text and the marked spans in it."""
    ordered = sorted(edits, key=lambda e: e.start)
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = shift = 0
    for edit in ordered:
        if edit.start < cursor:
            raise ValueError("overlapping edits")
        pieces.append(text[cursor:edit.start])
        new_start = edit.start + shift
        mark = edit.mark or (0, len(edit.new))
        spans.append((new_start + mark[0], new_start + mark[1]))
        pieces.append(edit.new)
        shift += len(edit.new) - (edit.end - edit.start)
        cursor = edit.end
    pieces.append(text[cursor:])
    # spans in the order the edits were given
    order = sorted(range(len(edits)), key=lambda i: edits[i].start)
    by_edit = [None] * len(edits)
    for rank, index in enumerate(order):
        by_edit[index] = spans[rank]
    return "".join(pieces), tuple(by_edit)  # type: ignore[arg-type]


def _numbers(doc: CleanDoc) -> list[tuple[Mention, _Number]]:
    out = []
    for mention in doc.mentions:
        number = number_in(doc.text, mention)
        if number is not None:
            out.append((mention, number))
    return out


def _single(doc: CleanDoc, category: str, number: _Number, new_digits: str, detail: str = "") -> Injection:
    new = number.render(new_digits)
    text, spans = apply(doc.text, [_Edit(number.start, number.end, new)])
    return Injection(category, doc.id, text, spans, doc.text[number.start:number.end], new, detail)


# -- the injectors ----------------------------------------------------------------------------------

def digit_substitution(doc: CleanDoc, rng: random.Random) -> Injection | None:
    candidates = _numbers(doc)
    if not candidates:
        return None
    mention, number = rng.choice(candidates)
    digits = number.digits
    positions = [i for i, c in enumerate(digits) if c.isdigit()]
    i = rng.choice(positions)
    integer_length = len(digits.split(".")[0])
    choices = [d for d in "0123456789" if d != digits[i] and not (d == "0" and i == 0 and integer_length > 1)]
    new = digits[:i] + rng.choice(choices) + digits[i + 1:]
    return _single(doc, "digit_substitution", number, new, mention.fact or "")


def digit_transposition(doc: CleanDoc, rng: random.Random) -> Injection | None:
    options = []
    for mention, number in _numbers(doc):
        digits = number.digits
        integer_length = len(digits.split(".")[0])
        for i in range(len(digits) - 1):
            a, b = digits[i], digits[i + 1]
            if not (a.isdigit() and b.isdigit()) or a == b:
                continue
            if i == 0 and b == "0" and integer_length > 1:
                continue  # would write a leading zero
            options.append((mention, number, i))
    if not options:
        return None
    mention, number, i = rng.choice(options)
    d = number.digits
    return _single(doc, "digit_transposition", number, d[:i] + d[i + 1] + d[i] + d[i + 2:], mention.fact or "")


def _shift_point(digits: str, right: bool) -> str:
    if "." in digits:
        whole, frac = digits.split(".")
        if right:
            whole, frac = whole + frac[0], frac[1:]
        else:
            whole, frac = whole[:-1], whole[-1] + frac
    else:
        whole, frac = (digits + "0", "") if right else (digits[:-1], digits[-1])
    whole = whole.lstrip("0") or "0"
    return whole + ("." + frac if frac else "")


def decimal_shift(doc: CleanDoc, rng: random.Random) -> Injection | None:
    candidates = [(m, n) for m, n in _numbers(doc) if n.value != 0]
    if not candidates:
        return None
    mention, number = rng.choice(candidates)
    new = _shift_point(number.digits, right=rng.random() < 0.5)
    return _single(doc, "decimal_shift", number, new, mention.fact or "")


def unit_swap(doc: CleanDoc, rng: random.Random) -> Injection | None:
    options = []
    for mention, number in _numbers(doc):
        offset, unit = unit_after(doc.text, number.end)
        if unit in ("万元", "元"):
            options.append((mention, number, offset, unit))
    if not options:
        return None
    mention, number, offset, unit = rng.choice(options)
    new_unit = "元" if unit == "万元" else "万元"
    new = doc.text[number.start:offset] + new_unit
    text, spans = apply(doc.text, [_Edit(number.start, offset + len(unit), new)])
    return Injection("unit_swap", doc.id, text, spans, doc.text[number.start:offset + len(unit)], new,
                     mention.fact or "")


_PERCENT_STEPS = (Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3), Decimal(5), Decimal(8), Decimal(10))


def percentage_change(doc: CleanDoc, rng: random.Random) -> Injection | None:
    options = [(m, n) for m, n in _numbers(doc) if unit_after(doc.text, n.end)[1] in ("%", "％")]
    if not options:
        return None
    mention, number = rng.choice(options)
    step = rng.choice(_PERCENT_STEPS)
    if number.places == 0:
        step = max(Decimal(1), quantize(step, 0))
    sign = 1 if rng.random() < 0.5 or number.value < step else -1
    new_value = number.value + sign * step
    return _single(doc, "percentage_change", number, fmt(new_value, number.places),
                   f"{mention.fact or ''} {'+' if sign > 0 else '-'}{step}")


def prior_pairs(ledger: Ledger) -> dict[str, Fact]:
    """current fact key → its prior-year fact, for facts of period "prior" that pair with a
    current key (x.prior_final ↔ x.final, x.prior ↔ x.current or the metric x, …_wan likewise)."""
    pairs: dict[str, Fact] = {}
    for fact in ledger:
        if fact.period != "prior" or fact.value is None:
            continue
        key = fact.key
        candidates: list[str] = []
        if key.endswith(".prior_final"):
            candidates = [key.removesuffix(".prior_final") + ".final"]
        elif key.endswith(".prior_final_wan"):
            candidates = [key.removesuffix(".prior_final_wan") + ".final_wan"]
        elif key.endswith(".prior_wan"):
            candidates = [key.removesuffix(".prior_wan") + ".current_wan"]
        elif key.endswith(".prior"):
            base = key.removesuffix(".prior")
            candidates = [base + ".current", base]
        for current_key in candidates:
            current = ledger.get(current_key)
            if current is not None and current.period == "current" and current.value is not None:
                pairs[current_key] = fact
                break
    return pairs


def _scale(shown: Decimal, places: int, value: Decimal) -> int | None:
    """The power of ten k with value × 10^k written as `shown` (a 万元 fact printed in 元: k = 4)."""
    for k in (0, 4, -4, 8, -8, 1, -1, 2, -2, 3, -3):
        if quantize(abs(value).scaleb(k), places) == shown:
            return k
    return None


def stale_prior(doc: CleanDoc, rng: random.Random) -> Injection | None:
    """The prior-year fact's figure in place of the current one, in the unit the text uses (the
    checker may bind "118500元" to a 万元 fact: the prior figure is then written in 元 too)."""
    pairs = prior_pairs(doc.ledger)
    options = []
    for mention, number in _numbers(doc):
        prior = pairs.get(mention.fact or "")
        current = doc.ledger.get(mention.fact or "")
        if prior is None or current is None or prior.value is None or prior.value < 0 or current.value is None:
            continue
        k = _scale(number.value, number.places, current.value)
        if k is None:
            continue
        new = fmt(prior.value, prior.precision) if k == 0 else fmt(prior.value.scaleb(k), number.places)
        if Decimal(new) == number.value:
            continue
        options.append((mention, number, prior, new))
    if not options:
        return None
    mention, number, prior, new = rng.choice(options)
    return _single(doc, "stale_prior", number, new, f"{mention.fact} ← {prior.key}")


def _unit_of(doc: CleanDoc, mention: Mention, number: _Number) -> str:
    if mention.unit:
        return mention.unit
    return unit_after(doc.text, number.end)[1]


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def swap(doc: CleanDoc, rng: random.Random) -> Injection | None:
    numbers = [(m, n, _unit_of(doc, m, n)) for m, n in _numbers(doc)]
    numbers = [entry for entry in numbers if entry[2]]
    if len(numbers) < 2:
        return None
    first = rng.choice(numbers)
    m1, n1, unit = first
    others = [e for e in numbers if e[2] == unit and e[1].start != n1.start and e[1].value != n1.value]
    if not others:
        return None
    line = _line_of(doc.text, n1.start)
    near = [e for e in others if _line_of(doc.text, e[1].start) == line and abs(e[1].start - n1.start) <= 120]
    m2, n2, _ = rng.choice(near or others)
    a, b = doc.text[n1.start:n1.end], doc.text[n2.start:n2.end]
    text, spans = apply(doc.text, [_Edit(n1.start, n1.end, b), _Edit(n2.start, n2.end, a)])
    return Injection("swap", doc.id, text, spans, f"{a} | {b}", f"{b} | {a}", f"{m1.fact} ⇄ {m2.fact}")


def rounding(doc: CleanDoc, rng: random.Random) -> Injection | None:
    options = []
    for mention, number in _numbers(doc):
        fact = doc.ledger.get(mention.fact or "")
        true = abs(fact.value) if fact is not None and fact.value is not None else None
        fractional = true is not None and true != true.to_integral_value()
        if number.places == 0 and not fractional:
            continue
        options.append((mention, number, true))
    if not options:
        return None
    mention, number, true = rng.choice(options)
    ulp = Decimal(1).scaleb(-number.places)
    shown = number.value
    if true is not None and quantize(true, number.places) == shown and true != shown:
        wrong = shown + ulp if true > shown else shown - ulp  # the other neighbour of the true value
    else:
        wrong = shown + ulp if rng.random() < 0.5 or shown < ulp else shown - ulp
    return _single(doc, "rounding", number, fmt(wrong, number.places), f"{mention.fact or ''} true={true}")


def direction_word(doc: CleanDoc, rng: random.Random) -> Injection | None:
    text = doc.text
    words = sorted(DIRECTION_FLIPS, key=len, reverse=True)
    options = []
    taken: set[int] = set()
    for word in words:
        at = text.find(word)
        while at != -1:
            span = set(range(at, at + len(word)))
            # not a rate's name (增长率) and not a comparator (不低于95%: a threshold, not a direction)
            if not span & taken and not text.startswith("率", at + len(word)) and not text[at - 1:at] == "不":
                taken |= span
                # the first verified figure after the word, in the same clause
                for mention in doc.mentions:
                    if mention.end <= at:
                        continue
                    if mention.start <= at:  # a checker span that takes in the word itself
                        if mention.start < at + len(word) <= mention.end:
                            options.append((at, word, mention))
                        break
                    between = text[at + len(word):mention.start]
                    if not _CLAUSE_END & set(between) and len(between) <= 12:
                        options.append((at, word, mention))
                    break
            at = text.find(word, at + 1)
    if not options:
        return None
    at, word, mention = rng.choice(sorted(options, key=lambda o: o[0]))
    new = DIRECTION_FLIPS[word]
    end = mention.end
    replaced = new + text[at + len(word):end]
    new_text, spans = apply(text, [_Edit(at, end, replaced)])
    return Injection("direction_word", doc.id, new_text, spans, text[at:end], replaced, mention.fact or "")


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = position
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    end = position
    while end < len(text) and text[end] not in _SENTENCE_END:
        end += 1
    return start, end


def _subset_summing(values: list[Decimal], total: Decimal) -> tuple[int, ...] | None:
    for size in range(2, len(values) + 1):
        for combo in combinations(range(len(values)), size):
            if sum((values[i] for i in combo), Decimal(0)) == total:
                return combo
    return None


def sum_sentences(doc: CleanDoc) -> list[tuple[_Number, list[_Number]]]:
    """(total, parts) of every "total … 其中 parts" passage whose parts add up to the total exactly
    (a subset of the same-unit figures after 其中, in the same sentence; the total is in the same
    sentence before 其中, or in the sentence just before when 其中 opens a sentence; of several
    candidate totals the largest, so "支出217766元 … 减少29949元。其中…" takes the spending)."""
    text = doc.text
    numbers = [(m, n, _unit_of(doc, m, n)) for m, n in _numbers(doc)]
    found = []
    at = text.find("其中")
    while at != -1:
        start, end = _sentence_bounds(text, at)
        before_start = start
        if start > 0 and not text[start:at].strip("：:，, "):
            before_start = _sentence_bounds(text, start - 1)[0]
        before = [e for e in numbers if before_start <= e[1].start and e[1].end <= at]
        after = [e for e in numbers if at < e[1].start and e[1].end <= end]
        # the largest figure before 其中 that its parts add up to (the spending, not its change)
        for total in sorted(before, key=lambda e: e[1].value, reverse=True):
            unit = total[2]
            parts = [e for e in after if e[2] == unit and unit][:12]
            combo = _subset_summing([e[1].value for e in parts], total[1].value) if len(parts) >= 2 else None
            if combo:
                found.append((total[1], [parts[i][1] for i in combo]))
                break
        at = text.find("其中", at + 2)
    return found


def broken_sum(doc: CleanDoc, rng: random.Random) -> Injection | None:
    sentences = sum_sentences(doc)
    if not sentences:
        return None
    total, parts = rng.choice(sentences)
    part = rng.choice(parts)
    integer_length = len(part.digits.split(".")[0])
    for _ in range(20):
        k = rng.randint(-part.places, max(0, integer_length - 1))
        delta = Decimal(rng.randint(1, 9)).scaleb(k)
        new_value = part.value + delta if rng.random() < 0.5 or part.value <= delta else part.value - delta
        if new_value > 0 and new_value != part.value:
            return _single(doc, "broken_sum", part, fmt(new_value, part.places),
                           f"total {total.digits}, parts {'+'.join(p.digits for p in parts)}")
    return None


INJECTORS: dict[str, Callable[[CleanDoc, random.Random], Injection | None]] = {
    "digit_substitution": digit_substitution,
    "digit_transposition": digit_transposition,
    "decimal_shift": decimal_shift,
    "unit_swap": unit_swap,
    "percentage_change": percentage_change,
    "stale_prior": stale_prior,
    "swap": swap,
    "rounding": rounding,
    "direction_word": direction_word,
    "broken_sum": broken_sum,
}


@dataclass
class Plan:
    injections: list[Injection] = field(default_factory=list)
    shortfall: dict[str, int] = field(default_factory=dict)  # categories that could not reach their quota


def make_injections(docs: Iterable[CleanDoc], n: int, seed: int,
                    categories: Sequence[str] = CATEGORIES) -> Plan:
    """`n` single-error documents spread evenly over the categories (the first categories take the
    remainder), each from a document drawn at random; duplicates are redrawn."""
    docs = sorted(docs, key=lambda d: d.id)
    rng = random.Random(seed)
    plan = Plan()
    seen: set[tuple[str, str]] = set()
    quota, extra = divmod(n, len(categories))
    for rank, category in enumerate(categories):
        want = quota + (1 if rank < extra else 0)
        injector = INJECTORS[category]
        made = attempts = 0
        while made < want and attempts < want * 40 + 100:
            attempts += 1
            doc = rng.choice(docs)
            injection = injector(doc, rng)
            if injection is None or injection.text == doc.text:
                continue
            key = (doc.id, injection.text)
            if key in seen:
                continue
            seen.add(key)
            plan.injections.append(injection)
            made += 1
        if made < want:
            plan.shortfall[category] = want - made
    return plan
