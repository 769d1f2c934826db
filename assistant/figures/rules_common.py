"""Shared pieces of the form-consistency rules (docs/domain.md §7): the rule table's types, the context a
rule reads, and message helpers.

A rule is a small function `check(ctx) -> Iterable[Issue]`; the table in `assistant.figures.rules`
gives it an id, a default severity and a topic, and turns its issues into `Finding`s. Every figure a
message prints goes through the ledger (`Fact.display`) or `numbers.format_with_unit` with an
explicit precision.

Paths name a field of the data file ("self_assessment.indicators[2].weight"). A finding about
several indicator rows lists their indexes: "self_assessment.indicators[0,1,2,3].target".
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel

from assistant.figures.build import score_indicators
from assistant.figures.findings import Severity
from assistant.figures.indicators import IndicatorResult
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.numbers import decimals_of, format_number, format_with_unit
from assistant.figures.policy import Policy
from assistant.model.schema import DepartmentYear, Indicator

Topic = Literal["预算执行", "绩效指标", "数据一致性", "资料完整性", "三公经费"]
Verdict = Literal["same", "tail", "differ"]

# Above this many rows, a row-level problem becomes one finding for the whole table.
GROUP_ABOVE = 2


@dataclass(frozen=True)
class Issue:
    """What a rule function reports; the rule table adds id, topic and (default) severity."""

    location: str
    path: str
    message: str
    facts: tuple[str, ...] = ()
    severity: Severity | None = None  # None: the rule's default


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    topic: Topic
    summary: str  # Chinese, one line: what the rule checks
    check: Callable[["Context"], Iterable[Issue]]


@dataclass
class Context:
    data: DepartmentYear
    ledger: Ledger
    policy: Policy

    @cached_property
    def results(self) -> list[IndicatorResult]:
        return score_indicators(self.data, self.policy)

    @property
    def indicators(self) -> list[Indicator]:
        return self.data.self_assessment.indicators

    def value(self, key: str) -> Decimal | None:
        fact = self.ledger.get(key)
        return None if fact is None else fact.value

    def fact(self, key: str) -> Fact | None:
        return self.ledger.get(key)


# -- comparing -------------------------------------------------------------------------------------

def compare(a: Decimal, b: Decimal, tolerance: Decimal) -> Verdict:
    """Equal; different by at most the 尾差 tolerance; or different."""
    difference = abs(a - b)
    if difference == 0:
        return "same"
    return "tail" if difference <= tolerance else "differ"


def severity_for(verdict: Verdict) -> Severity | None:
    """A 尾差 is only noted (info); a real difference takes the rule's default severity."""
    return "info" if verdict == "tail" else None


def tail_note(verdict: Verdict) -> str:
    return "，在尾差范围内" if verdict == "tail" else ""


# -- formatting ------------------------------------------------------------------------------------

def amount(value: Decimal, like: Fact) -> str:
    """A computed figure shown the way `like` is shown (unit and precision of the form's cell)."""
    return format_with_unit(value, like.precision, like.unit)


def wan(value: Decimal) -> str:
    return format_with_unit(value, 2, "万元")


def pct(value: Decimal) -> str:
    return format_with_unit(value, 2, "%")


def points(value: Decimal) -> str:
    return format_with_unit(value, 2, "分")


def weight_points(value: Decimal) -> str:
    """A weight as written (50分, 7.5分)."""
    return format_with_unit(value, decimals_of(value), "分")


def as_written(value: Decimal, unit: str, minimum: int = 0) -> str:
    """A stated figure with the decimals the department wrote (never fewer than `minimum`)."""
    return format_with_unit(value, max(minimum, decimals_of(value)), unit)


def count(number: int) -> str:
    return format_number(Decimal(number), 0)


def quoted(texts: Iterable[str]) -> str:
    unique = list(dict.fromkeys(texts))
    return "".join(f"“{text}”" for text in unique)


def rows_text(numbers: Sequence[int]) -> str:
    """[1, 2, 3, 4, 6] → "第1–4、6行" (1-based row numbers)."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{count(r[0])}–{count(r[-1])}" if len(r) >= 3 else "、".join(count(n) for n in r) for r in runs]
    return "第" + "、".join(parts) + "行"


# -- indicator rows --------------------------------------------------------------------------------

def field_title(name: str) -> str:
    return Indicator.model_fields[name].title or name


def indicator_location(ctx: Context, numbers: Sequence[int], field: str) -> tuple[str, str]:
    """Location and path of one column over one or several rows (1-based numbers)."""
    title = field_title(field)
    if len(numbers) == 1:
        number = numbers[0]
        row = ctx.indicators[number - 1]
        return (f"附件2 › 绩效指标第{count(number)}行（{row.level2}） › {title}",
                f"self_assessment.indicators[{number - 1}].{field}")
    indexes = ",".join(str(n - 1) for n in numbers)
    return f"附件2 › 绩效指标{rows_text(numbers)} › {title}", f"self_assessment.indicators[{indexes}].{field}"


def row_name(ctx: Context, number: int) -> str:
    row = ctx.indicators[number - 1]
    return f"第{count(number)}行（{row.level2}）“{row.name}”"


def row_fact(ctx: Context, number: int, field: str) -> str:
    """The ledger key of a row's cell; the row's 分值 fact when the cell has none (a text target).
    Downstream grouping reads the row numbers from these keys."""
    key = f"indicator.{number}.{field}"
    return key if key in ctx.ledger else f"indicator.{number}.weight"


def row_issues(
    ctx: Context,
    numbers: Sequence[int],
    field: str,
    message: Callable[[Sequence[int]], str],
    severity: Severity | None = None,
) -> Iterable[Issue]:
    """One issue per row when few rows are affected, else one issue naming all of them."""
    if not numbers:
        return
    groups = [[n] for n in numbers] if len(numbers) <= GROUP_ABOVE else [list(numbers)]
    for group in groups:
        location, path = indicator_location(ctx, group, field)
        keys = tuple(dict.fromkeys(row_fact(ctx, n, field) for n in group))
        yield Issue(location, path, message(group), keys, severity)


def is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


# -- form order ------------------------------------------------------------------------------------

def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def form_position(path: str) -> tuple[int, ...]:
    """Where a path sits in the forms: the order of the schema's fields, then list indexes.
    Identity, 附件1, 附件2 and the narrative follow each other in that order."""
    position: list[int] = []
    model: type[BaseModel] | None = DepartmentYear
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        fields = list(model.model_fields) if model is not None else []
        if name in fields:
            position.append(fields.index(name))
            model = _model_in(model.model_fields[name].annotation)  # type: ignore[union-attr]
        else:
            position.append(len(fields))
            model = None
        if index:
            first = index.rstrip("]").split(",")[0]
            position.append(int(first) if first.isdigit() else 0)
    return tuple(position)
