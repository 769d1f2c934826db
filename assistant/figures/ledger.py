"""The fact ledger: every number that can appear in the package, with its provenance.

Tables, drafters, the checker, the .docx writer and the web UI read facts from here; nothing else
formats a number. Keys are stable across years (`sangong.total.final`, `sangong.total.prior_final`)
so that last year's text can be re-bound to this year's facts; the year and period live on the fact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from assistant.figures.numbers import format_number, format_with_unit, quantize

Period = Literal["current", "prior"]
Kind = Literal["input", "derived", "stated"]

MISSING_MARK = "〔待补：{label}〕"


@dataclass(frozen=True)
class Fact:
    """One number (or one short derived label such as a grade) and where it comes from.

    `value` is unrounded; `display` is the exact string documents print. A missing input keeps its
    place in the ledger with `value=None` and a visible 〔待补〕 display, never an invented value.
    """

    key: str
    label: str
    value: Decimal | None
    unit: str
    precision: int
    source: str
    kind: Kind = "input"
    period: Period = "current"
    year: int | None = None
    formula: str | None = None
    inputs: tuple[str, ...] = ()
    approx: str | None = None
    text: str | None = None  # for non-numeric derived facts (评价等级 优/良/中/差)
    aliases: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> bool:
        return self.value is None and self.text is None

    @property
    def rounded(self) -> Decimal | None:
        return None if self.value is None else quantize(self.value, self.precision)

    @property
    def number(self) -> str:
        """The figure without its unit, as a table cell shows it ("6.02", "89.16%")."""
        if self.text is not None:
            return self.text
        if self.value is None:
            return ""
        digits = format_number(self.value, self.precision)
        return digits + "%" if self.unit == "%" else digits

    @property
    def display(self) -> str:
        """The figure as running text prints it ("6.02万元", "98.91%", "40000余份")."""
        if self.text is not None:
            return self.text
        if self.value is None:
            return MISSING_MARK.format(label=self.label)
        shown = format_with_unit(self.value, self.precision, self.unit)
        if self.approx:
            digits = format_number(self.value, self.precision)
            shown = _with_approx(digits, self.unit, self.approx)
        return shown


    @property
    def magnitude(self) -> str:
        """The display without its sign, for text that carries the direction in words
        ("比上年减少2538元" for a change of -2538元)."""
        if self.value is None or self.value >= 0:
            return self.display
        return Fact(**{**self.__dict__, "value": -self.value}).display

    @property
    def sign(self) -> int:
        """-1, 0 or 1 at the displayed precision (a change that rounds to 0.00 is 持平)."""
        rounded = self.rounded
        if rounded is None or rounded == 0:
            return 0
        return 1 if rounded > 0 else -1


def _with_approx(digits: str, unit: str, approx: str) -> str:
    """余/多 follow the number (40000余份), 约/超/近 precede it, 以上 follows the unit."""
    if approx in {"余", "多"}:
        return f"{digits}{approx}{unit}"
    if approx == "以上":
        return f"{digits}{unit}以上"
    return f"{approx}{digits}{unit}"


class LedgerError(KeyError):
    """A key that is not in the ledger (a programming error in a template or drafter)."""


@dataclass
class Ledger:
    """An ordered mapping key → Fact; insertion order is the order of the forms."""

    facts: dict[str, Fact] = field(default_factory=dict)

    def add(self, fact: Fact) -> Fact:
        if fact.key in self.facts:
            raise ValueError(f"duplicate fact key {fact.key}")
        self.facts[fact.key] = fact
        return fact

    def __getitem__(self, key: str) -> Fact:
        try:
            return self.facts[key]
        except KeyError:
            raise LedgerError(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self.facts

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def value(self, key: str) -> Decimal | None:
        return self[key].value

    def display(self, key: str) -> str:
        return self[key].display

    def with_prefix(self, prefix: str) -> list[Fact]:
        return [fact for key, fact in self.facts.items() if key.startswith(prefix)]

    def to_json(self) -> list[dict]:
        return [fact_to_json(fact) for fact in self]


def fact_to_json(fact: Fact) -> dict:
    return {
        "key": fact.key,
        "label": fact.label,
        "value": None if fact.value is None else str(fact.value),
        "rounded": None if fact.rounded is None else str(fact.rounded),
        "unit": fact.unit,
        "precision": fact.precision,
        "display": fact.display,
        "number": fact.number,
        "source": fact.source,
        "kind": fact.kind,
        "period": fact.period,
        "year": fact.year,
        "formula": fact.formula,
        "inputs": list(fact.inputs),
        "approx": fact.approx,
        "missing": fact.missing,
    }
