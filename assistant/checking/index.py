"""What the checker precomputes once per ledger: each fact's interval in base units, its names as
character bigrams (label + aliases from data/aliases.yaml + `Fact.aliases`), its prior-year twin.

`fact_index(ledger)` caches the index per ledger object (and rebuilds it when the ledger changes), so
checking many drafts against one ledger pays for it once.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial

from assistant.checking.lexicon import Unit, alias_table, unit_table
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.numbers import decimals_of

EVIDENCE = 0.002
EVIDENCE_CAP = 15.0
_HAN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_DROP = re.compile(r"[“”\"'‘’「」《》\s]")


def clean(text: str) -> str:
    """Words only: quotes and spaces removed (“三公”经费 → 三公经费)."""
    return _DROP.sub("", text)


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams inside runs of Chinese characters or letters (digits and punctuation break a
    run: no bigram spans them)."""
    found: set[str] = set()
    for run in _HAN.findall(clean(text)):
        if len(run) == 1:
            found.add(run)
        for i in range(len(run) - 1):
            found.add(run[i:i + 2])
    return frozenset(found)


@dataclass
class Name:
    grams: frozenset[str]
    weight: float = 0.0  # sum of the idf of its bigrams


@dataclass
class Entry:
    fact: Fact
    unit: Unit | None  # None: no known unit (compared as a bare number only)
    low: Decimal  # the fact's value in base units, widened by half its displayed precision: [low, high)
    high: Decimal
    own_low: Decimal  # the same in the fact's own unit (for bare numbers)
    own_high: Decimal
    point: Decimal  # the value in base units
    own_point: Decimal
    signed: bool  # a difference: its sign is part of the claim
    names: list[Name] = field(default_factory=list)
    twin: int | None = None  # index of the current-year twin of a prior fact, or of the prior twin
    is_prior: bool = False
    is_change: bool = False  # a comparison (比上年增减, 比年初预算增减): stated with a direction or a sign
    written: int | None = None  # decimals of an input written coarser than displayed (93.4 shown as 93.40%)

    @property
    def key(self) -> str:
        return self.fact.key


def _interval(value: Decimal, fact: Fact) -> tuple[Decimal, Decimal]:
    """The values a fact's display stands for: a figure the department wrote (6.02万元) may be any
    amount that rounds to it (60150 ≤ 元 < 60250); a computed figure is exact. The checker uses the
    wide interval only for a claim written in a finer unit (元 against a 万元 input)."""
    if fact.kind == "derived" and not fact.approx:
        return value, value
    places = written_places(fact)
    half = Decimal(5).scaleb(-(fact.precision if places is None else places) - 1)
    return value - half, value + half


def written_places(fact: Fact) -> int | None:
    """The decimals an input fact was written with, when fewer than its display shows (93.4 displayed
    93.40%): the figure stands for [93.35, 93.45), and a finer claim (93.44%) agrees with it. A whole
    number (10, 3200) is taken as exact: integers are how exact figures are written."""
    if fact.kind == "derived" or fact.value is None or not fact.value.is_finite():
        return None
    places = decimals_of(fact.value)
    return places if 0 < places < fact.precision else None


_SIGNED_KEYS = (".change", ".change_pct", ".vs_budget", ".adjustment", ".adjustment_rate")
_CHANGE_KEYS = (".change", ".change_pct", ".vs_budget")
_CHANGE_LABEL = re.compile(r"比上年|比年初|增减")


def _is_change(fact: Fact) -> bool:
    """A comparison figure: text states it with a direction word or a sign ("比上年减少2538元")."""
    return fact.key.endswith(_CHANGE_KEYS) or bool(_CHANGE_LABEL.search(fact.label))


def _is_signed(fact: Fact) -> bool:
    if fact.value is not None and fact.value < 0:
        return True
    if _is_change(fact):
        return True
    if fact.formula and "−" in fact.formula and fact.unit != "":
        return True
    return fact.key.endswith(_SIGNED_KEYS)


_PRIOR_LABEL = re.compile(r"^(?:上年度?|去年|上一年|此前)")


def _is_prior(fact: Fact) -> bool:
    """Last year's figure: marked so in the ledger, or named so ("上年粮食总产量")."""
    return fact.period == "prior" or bool(_PRIOR_LABEL.match(fact.label))


_TWIN_RULES = ((".prior_final_wan", ".final_wan"), (".prior_final", ".final"), (".prior_wan", ".current_wan"),
               (".prior", ".current"), (".prior", ""))


def _twin_key(key: str, facts: dict[str, Fact]) -> str | None:
    for prior, current in _TWIN_RULES:
        if key.endswith(prior):
            candidate = key[: -len(prior)] + current
            if candidate in facts and candidate != key:
                return candidate
    return None


def subject_of(label: str) -> str:
    subject = label
    for pattern in alias_table().subject_suffixes:
        subject = pattern.sub("", subject)
    return subject.strip() or label


def fact_names(fact: Fact) -> list[str]:
    """The label, the fact's own aliases and the alias-table names (parts joined by |), each also
    with the short forms of `synonyms` (机关事业单位养老保险 → 机保)."""
    table = alias_table()
    names = [fact.label, *fact.aliases]
    subject = subject_of(fact.label)
    for rule in table.rules:
        if rule.pattern.match(fact.key):
            for template in rule.names:
                names.append(template.replace("{subject}", subject).replace("{label}", fact.label))
    for phrase, shorts in table.synonyms:
        for name in (fact.label, *fact.aliases):
            if phrase in name:
                names += [name.replace(phrase, "|" + short + "|") for short in shorts]
    return list(dict.fromkeys(names))


def _name_grams(name: str) -> frozenset[str]:
    grams: set[str] = set()
    for part in name.split("|"):
        grams |= bigrams(_YEAR.sub("", part))
    return frozenset(grams)


class FactIndex:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.entries: list[Entry] = []
        years = [f.year for f in ledger if f.period == "current" and f.year]
        self.year = max(set(years), key=years.count) if years else None
        table = unit_table()
        for fact in ledger:
            if fact.value is None or fact.text is not None:
                continue
            unit = table.lookup(fact.unit)
            own_low, own_high = _interval(fact.value, fact)
            scale = unit.scale if unit else Decimal(1)
            entry = Entry(fact, unit, own_low * scale, own_high * scale, own_low, own_high,
                          fact.value * scale, fact.value, _is_signed(fact), is_prior=_is_prior(fact),
                          is_change=_is_change(fact), written=written_places(fact))
            unique = {_name_grams(name) for name in fact_names(fact)}
            entry.names = [Name(grams) for grams in sorted(unique, key=sorted) if grams]
            self.entries.append(entry)
        position = {entry.key: i for i, entry in enumerate(self.entries)}
        by_label = {entry.fact.label: i for i, entry in enumerate(self.entries) if not entry.is_prior}
        for i, entry in enumerate(self.entries):
            if entry.is_prior:
                twin = _twin_key(entry.key, ledger.facts)
                j = position.get(twin) if twin else by_label.get(_PRIOR_LABEL.sub("", entry.fact.label))
                if j is not None and j != i:
                    entry.twin = j
                    self.entries[j].twin = i
        # idf of each bigram over facts
        document_frequency: dict[str, int] = defaultdict(int)
        for entry in self.entries:
            for gram in set().union(*[n.grams for n in entry.names]) if entry.names else ():
                document_frequency[gram] += 1
        total = max(len(self.entries), 1)
        self.idf = {gram: math.log(1 + total / df) for gram, df in document_frequency.items()}
        # Names flattened: name id → entry, 1 / total idf of its bigrams; bigram → [(name id, idf)].
        self.name_entry: list[int] = []
        self.name_scale: list[float] = []
        self.name_grams: list[frozenset[str]] = []
        self.entry_names: list[list[int]] = [[] for _ in self.entries]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, entry in enumerate(self.entries):
            for name in entry.names:
                name.weight = sum(self.idf[g] for g in name.grams)
                name_id = len(self.name_entry)
                self.name_entry.append(i)
                self.name_scale.append(1.0 / name.weight)
                self.name_grams.append(name.grams)
                self.entry_names[i].append(name_id)
                for gram in name.grams:
                    postings[gram].append((name_id, self.idf[gram]))
        self.postings = {gram: tuple(items) for gram, items in postings.items()}
        self.by_dimension: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self.entries):
            if entry.unit is not None:
                self.by_dimension[entry.unit.dimension].append(i)
        self.fingerprint = fingerprint(ledger)
        self._shared_cache: dict[tuple, tuple[dict[str, float], dict[int, float], dict[int, float]]] = {}

    def scores(self, context: dict[str, float], shared: tuple[tuple[str, float], ...] = (),
               extra: Iterable[int] = ()) -> dict[int, float]:
        """Score of each fact the words name: the coverage of its best name by the context bigrams
        (each bigram weighted by its idf and by the heaviest context part it occurs in), in [0, 1], plus
        a little for the amount of evidence: of two names covered alike, the one with more of its words
        in the text ("该项目|年初预算" under the project's heading) beats a bare "年初预算".

        `context` holds the number's own words; `shared` the parts it shares with its neighbours
        (sentence, item, heading; a table's caption, section and row label), whose contribution is
        computed once per distinct tuple and reused. (`extra` is accepted for callers that name the
        facts they need; every named fact is scored anyway.)"""
        grams, values, best = self._shared(shared)
        return self._add(context, grams, values, best)

    def _add(self, context: dict[str, float], base_grams: dict[str, float], base_values: dict[int, float],
             base_best: dict[int, float]) -> dict[int, float]:
        """Scores with `context` added to a cached base (the max weight of a bigram counts)."""
        accumulated: dict[int, float] = {}
        get = accumulated.get
        postings = self.postings
        base_get = base_grams.get
        for gram, weight in context.items():
            more = weight - base_get(gram, 0.0)
            if more <= 0:
                continue
            items = postings.get(gram)
            if items is None:
                continue
            for name_id, idf in items:
                accumulated[name_id] = get(name_id, 0.0) + idf * more
        best = dict(base_best)
        if not accumulated:
            return best
        best_get = best.get
        base = base_values.get
        name_entry, name_scale = self.name_entry, self.name_scale
        for name_id, value in accumulated.items():
            value += base(name_id, 0.0)
            score = value * name_scale[name_id] + EVIDENCE * (value if value < EVIDENCE_CAP else EVIDENCE_CAP)  # noqa: FURB136 (hot loop)
            entry = name_entry[name_id]
            if score > best_get(entry, 0.0):
                best[entry] = score
        return best

    def clear_sentence_cache(self) -> None:
        """Forget the cached scores of sentences, rows and headings (kept across calls because a
        revised draft repeats most of its sentences)."""
        self._shared_cache.clear()

    def _shared(self, parts: tuple[tuple[str, float], ...]):
        """(bigram weights, value per name, score per fact) of shared context parts, cached. A tuple is
        built on its first two parts (heading and sentence, caption and heading), so the rows of one
        table or the items of one sentence share the work."""
        cached = self._shared_cache.get(parts)
        if cached is not None:
            return cached
        if len(parts) > 2:
            base_grams, base_values, base_best = self._shared(parts[:2])
        else:
            base_grams, base_values, base_best = {}, {}, {}
        more: dict[str, float] = {}
        for text, weight in parts[2:] if len(parts) > 2 else parts:
            if text:
                for gram in bigrams(text):
                    if weight > more.get(gram, 0.0) and weight > base_grams.get(gram, 0.0):
                        more[gram] = weight
        grams = {**base_grams, **more}
        delta: dict[int, float] = {}
        get = delta.get
        postings, base_get = self.postings, base_grams.get
        for gram, weight in more.items():
            extra_weight = weight - base_get(gram, 0.0)
            items = postings.get(gram)
            if items is not None:
                for name_id, idf in items:
                    delta[name_id] = get(name_id, 0.0) + idf * extra_weight
        values = dict(base_values)
        best = dict(base_best)
        value_get, best_get = values.get, best.get
        name_scale, name_entry = self.name_scale, self.name_entry
        for name_id, value in delta.items():
            value += value_get(name_id, 0.0)
            values[name_id] = value
            score = value * name_scale[name_id] + EVIDENCE * (value if value < EVIDENCE_CAP else EVIDENCE_CAP)  # noqa: FURB136 (hot loop)
            entry = name_entry[name_id]
            if score > best_get(entry, 0.0):
                best[entry] = score
        if len(self._shared_cache) > 512:
            self._shared_cache.clear()
        cached = self._shared_cache[parts] = (grams, values, best)
        return cached

    def score_of(self, entry: int, context: dict[str, float]) -> float:
        """The score of one fact (same measure as `scores`), computed directly."""
        best = 0.0
        idf = self.idf
        for name in self.entries[entry].names:
            value = sum(idf[g] * context[g] for g in name.grams if g in context)
            if value:
                score = value / name.weight + EVIDENCE * min(value, EVIDENCE_CAP)
                best = max(best, score)
        return best


def fingerprint(ledger: Ledger) -> tuple:
    return tuple((f.key, f.value, f.unit, f.precision, f.label) for f in ledger)


_CACHE: dict[int, tuple[weakref.ref, FactIndex]] = {}
_LOCK = threading.Lock()


def fact_index(ledger: Ledger) -> FactIndex:
    """The index of `ledger`, built once and reused while the ledger is unchanged."""
    with _LOCK:
        cached = _CACHE.get(id(ledger))
        if cached is not None and cached[0]() is ledger and cached[1].fingerprint == fingerprint(ledger):
            return cached[1]
    index = FactIndex(ledger)
    with _LOCK:
        key = id(ledger)
        _CACHE[key] = (weakref.ref(ledger, partial(_forget, key)), index)
    return index


def _forget(key: int, _reference: weakref.ref) -> None:
    """The ledger is gone: drop its index (quietly at interpreter exit, when the cache may be gone)."""
    cache = globals().get("_CACHE")
    if cache is not None:
        cache.pop(key, None)
