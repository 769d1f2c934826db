"""Completeness of the package beyond the arithmetic: identity fields (D04), 年度总体目标 (D05) and
the arithmetic the narrative's own figures declare (D06)."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.figures.numbers import decimals_of, format_with_unit, quantize
from assistant.figures.rules_common import Context, Issue, as_written, is_blank
from assistant.model.schema import Goals, Identity, Metric

# Identity fields the forms require (附件1 表尾). 单位负责人签字 is signed on paper: not checked.
IDENTITY_FIELDS = ("preparer", "filled_on")
GOAL_FIELDS = ("expected", "actual")


def identity_fields(ctx: Context) -> Iterable[Issue]:
    """D04: 填表人, 填报日期."""
    identity = ctx.data.identity
    for name in IDENTITY_FIELDS:
        value = getattr(identity, name)
        if value is None or (isinstance(value, str) and is_blank(value)):
            title = Identity.model_fields[name].title
            yield Issue(f"附件1 › 表尾 › {title}", f"identity.{name}",
                        f"{title}未填写；附件表尾需注明填表人和填报日期。")


def goals(ctx: Context) -> Iterable[Issue]:
    """D05: 年度总体目标 预期目标 / 实际完成情况."""
    stated = ctx.data.self_assessment.goals
    for name in GOAL_FIELDS:
        if is_blank(getattr(stated, name)):
            title = Goals.model_fields[name].title
            yield Issue(f"附件2 › 年度总体目标 › {title}", f"self_assessment.goals.{name}",
                        f"年度总体目标的{title}未填写；应写明年初设定的总体目标及全年完成情况。")


def _metrics(ctx: Context) -> Iterable[tuple[str, str, Metric]]:
    """(ledger key, data path, metric) of every narrative figure, in report order."""
    narrative = ctx.data.narrative
    for j, metric in enumerate(narrative.target_metrics):
        yield f"target.{metric.key}", f"narrative.target_metrics[{j}].value", metric
    for i, project in enumerate(narrative.projects):
        for j, metric in enumerate(project.metrics):
            yield f"project.{project.key}.{metric.key}", f"narrative.projects[{i}].metrics[{j}].value", metric


def metric_relations(ctx: Context) -> Iterable[Issue]:
    """D06: a figure declared as a sum, difference or ratio agrees with its `.computed` twin at the
    precision the report states it (62% vs 62.43% agrees; 28338.93 must match to the cent).
    Approximate figures (约、余、超…) are not checked."""
    for key, path, metric in _metrics(ctx):
        stated, twin = ctx.fact(key), ctx.fact(f"{key}.computed")
        if stated is None or twin is None or metric.value is None or metric.approx:
            continue
        if twin.value is None:
            if twin.text is not None:  # a ratio over zero
                yield Issue(stated.source, path, f"{stated.label}按{twin.formula}无法计算（分母为零）；请核对相关数字。",
                            (key, twin.key), "warning")
            continue
        places = decimals_of(metric.value)
        if quantize(twin.value, places) == quantize(metric.value, places):
            continue
        at_stated = ""
        if places < twin.precision:
            at_stated = f"（按报告的精度为{format_with_unit(twin.value, places, twin.unit)}）"
        yield Issue(stated.source, path,
                    f"{stated.label}报告写作{as_written(metric.value, metric.unit)}，按{twin.formula}计算为"
                    f"{twin.display}{at_stated}，两者不一致；请核对报告中的数字。",
                    (key, twin.key, *twin.inputs))
