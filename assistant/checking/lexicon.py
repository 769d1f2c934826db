"""The checker's data files, loaded once: units, words around numbers, protected terms, fact aliases.

Everything a user may want to extend lives in `assistant/checking/data/` (see docs/checker.md). The
protected-term list can be extended without touching the repository: the environment variable
`JIXIAO_PROTECTED_TERMS` names a UTF-8 text file in the same format (one term a line, # comments).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
PROTECTED_TERMS_ENV = "JIXIAO_PROTECTED_TERMS"

# Characters that stand for a quotation mark in a protected term ("“411”监管机制").
QUOTES = "“”\"'‘’「」『』"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as the checker compares it: `value × scale` is in the dimension's base unit."""

    name: str
    dimension: str
    scale: Decimal
    describes: bool = False  # a descriptive number (65岁及以上): not a claim about the data


def _load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@dataclass(frozen=True)
class UnitTable:
    units: dict[str, Unit]  # alias (every spelling) → unit
    multipliers: dict[str, Decimal]
    max_alias: int

    def lookup(self, text: str) -> Unit | None:
        """A unit string as a fact carries it ("万元", "万立方米", "人次"); None for "" or unknown."""
        if not text:
            return None
        if text in self.units:
            return self.units[text]
        for prefix, factor in self.multipliers.items():
            if text.startswith(prefix) and text[len(prefix):] in self.units:
                base = self.units[text[len(prefix):]]
                return Unit(prefix + base.name, base.dimension, base.scale * factor, base.describes)
        return None

    def match(self, text: str, position: int) -> tuple[Unit, int] | None:
        """The longest unit spelled at `position` (optionally after a multiplier): (unit, end)."""
        for length in range(min(self.max_alias, len(text) - position), 0, -1):
            unit = self.units.get(text[position:position + length])
            if unit is not None:
                return unit, position + length
        return None


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    data = _load_yaml("units.yaml")
    units: dict[str, Unit] = {}
    for row in data["units"]:
        unit = Unit(str(row["unit"]), str(row["dimension"]), Decimal(str(row["scale"])),
                    bool(row.get("describes", False)))
        for alias in [row["unit"], *row.get("aliases", [])]:
            units.setdefault(str(alias), unit)
    multipliers = {str(k): Decimal(str(v)) for k, v in data["multipliers"].items()}
    multipliers = dict(sorted(multipliers.items(), key=lambda item: -len(item[0])))
    return UnitTable(units, multipliers, max(len(alias) for alias in units))


@dataclass(frozen=True)
class Words:
    approx_before: dict[str, str]
    approx_after_number: dict[str, str]
    approx_after_unit: dict[str, str]
    comparators: dict[str, str]
    up_verbs: tuple[str, ...]
    down_verbs: tuple[str, ...]
    up_comparatives: tuple[str, ...]
    down_comparatives: tuple[str, ...]
    same: tuple[str, ...]
    level_suffix: tuple[str, ...]
    fillers: tuple[str, ...]
    references: tuple[str, ...]
    comparison_markers: tuple[str, ...]
    prior_cues: tuple[str, ...]
    current_cues: tuple[str, ...]
    from_markers: tuple[str, ...]
    bounds: dict[str, str]  # threshold word → the side it bounds (">=" / "<=")
    future: dict  # checking/future.py: cue patterns, plan sections
    years: dict  # checking/years.py: word lists


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted((str(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def words() -> Words:
    data = _load_yaml("lexicon.yaml")
    direction = data["direction"]

    def ordered(mapping: dict) -> dict[str, str]:
        return {str(k): str(v) for k, v in sorted(mapping.items(), key=lambda item: -len(str(item[0])))}

    return Words(
        approx_before=ordered(data["approx_before"]),
        approx_after_number=ordered(data["approx_after_number"]),
        approx_after_unit=ordered(data["approx_after_unit"]),
        comparators=ordered(data["comparators"]),
        up_verbs=_longest_first(direction["up_verbs"]),
        down_verbs=_longest_first(direction["down_verbs"]),
        up_comparatives=_longest_first(direction["up_comparatives"]),
        down_comparatives=_longest_first(direction["down_comparatives"]),
        same=_longest_first(direction["same"]),
        level_suffix=_longest_first(direction["level_suffix"]),
        fillers=_longest_first(direction["fillers"]),
        references=_longest_first(data["direction_references"]),
        comparison_markers=_longest_first(data["comparison_markers"]),
        prior_cues=_longest_first(data["period"]["prior"]),
        current_cues=_longest_first(data["period"]["current"]),
        from_markers=_longest_first(data["period"]["from_marker"]),
        bounds=ordered(data["bounds"]),
        future=data["future"],
        years=data["years"],
    )


def direction_words() -> dict[str, int]:
    """Every direction word with its polarity (+1 up, −1 down, 0 same): for tools that inject or
    explain direction errors."""
    w = words()
    table: dict[str, int] = {}
    for group, polarity in ((w.up_verbs, 1), (w.up_comparatives, 1), (w.down_verbs, -1),
                            (w.down_comparatives, -1), (w.same, 0)):
        for word in group:
            table[word] = polarity
    return table


def read_terms(path: Path) -> list[str]:
    terms = []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            line = line.strip()
            if line and not line.startswith("#"):
                terms.append(line)
    return terms


def protected_terms() -> tuple[str, ...]:
    """The repository's protected terms plus the user's file named by JIXIAO_PROTECTED_TERMS."""
    return _protected_terms(os.environ.get(PROTECTED_TERMS_ENV, ""))


@lru_cache(maxsize=4)
def _protected_terms(user_file: str) -> tuple[str, ...]:
    terms = read_terms(DATA_DIR / "protected_terms.txt")
    if user_file:
        path = Path(user_file)
        if path.is_file():  # a missing user file is not fatal: the repository list still applies
            terms += read_terms(path)
    return tuple(dict.fromkeys(terms))


def protected_pattern() -> re.Pattern[str] | None:
    return _protected_pattern(protected_terms())


@lru_cache(maxsize=4)
def _protected_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all terms, longest first; a quote in a term matches any quote or none."""
    if not terms:
        return None
    quote = "[" + re.escape(QUOTES) + "]?"
    alternatives = []
    for term in sorted(set(terms), key=len, reverse=True):
        pieces = [quote if char in QUOTES else re.escape(char) for char in term]
        alternatives.append("".join(pieces))
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class AliasRule:
    pattern: re.Pattern[str]  # a key glob compiled to a regex
    names: tuple[str, ...]  # templates: {subject} is the label without its year/column words


@dataclass(frozen=True)
class AliasTable:
    subject_suffixes: tuple[re.Pattern[str], ...]
    rules: tuple[AliasRule, ...]
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(pattern).replace(r"\*", "[^.]*(?:\\.[^.]*)*?") + "$")


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    data = _load_yaml("aliases.yaml")
    suffixes = tuple(re.compile(str(p)) for p in data.get("subject_suffixes", []))
    rules = tuple(
        AliasRule(_glob(str(key)), tuple(str(name) for name in names))
        for key, names in (data.get("aliases") or {}).items()
    )
    synonyms = tuple((str(phrase), tuple(str(s) for s in shorts))
                     for phrase, shorts in (data.get("synonyms") or {}).items())
    return AliasTable(suffixes, rules, synonyms)
