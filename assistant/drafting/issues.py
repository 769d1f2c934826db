"""From form-consistency findings (and the ledger) to the 存在问题 of the report, one group per kind.

A `Finding` belongs to a topic (`Finding.topic`, e.g. 预算执行 / 绩效指标 / 数据一致性 / 资料完整性).
Topics are mapped to a small set of problem kinds, each of which the templates phrase in the register
of these reports (预算编制的精准度有待提高；绩效指标设置不够规范、量化程度不高；部分数据口径不一致 …)
and answer with one measure in 下一步工作计划. Finding messages are not copied into the report: they
are review notes (with row numbers and field paths), not report prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.figures.findings import Finding
from assistant.figures.indicators import parse_quantity
from assistant.figures.ledger import Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.schema import DepartmentYear

# Problem kinds in the order the report lists them.
KINDS: tuple[str, ...] = ("budget", "indicators", "targets_unmet", "consistency", "completeness", "other")

# Topic words → kind (first match wins); a topic with none of these falls back to its rules.
TOPIC_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("budget", ("预算执行", "预算编制", "预算调整", "执行率", "调整")),
    ("consistency", ("一致", "口径", "勾稽", "核对", "尾差", "单位")),
    ("completeness", ("完整", "缺", "空白", "未填", "资料")),
    ("indicators", ("指标", "目标", "评分", "得分", "分值", "偏差")),
    ("budget", ("预算",)),
)

# Rule id → kind, for topics the keywords do not place (docs/domain.md §7).
RULE_KINDS: dict[str, str] = {
    "R01": "consistency", "R02": "indicators", "R03": "indicators", "R04": "indicators",
    "R05": "indicators", "R06": "indicators", "R07": "consistency", "R08": "indicators",
    "R09": "budget", "R10": "consistency", "R11": "consistency", "R12": "consistency",
    "R13": "indicators", "R14": "indicators", "R15": "indicators", "R16": "consistency",
    "R17": "indicators",
}
IGNORED_RULES = frozenset({"R18"})  # layout of the .docx: not a problem of the department's work



@dataclass
class ProblemGroup:
    kind: str
    topics: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)
    fact_keys: list[str] = field(default_factory=list)  # ledger keys named by the findings, in order
    indicator_rows: list[int] = field(default_factory=list)  # 1-based rows of 附件2 named by the findings
    rule_rows: dict[str, list[int]] = field(default_factory=dict)  # the same, per rule
    finding_facts: list[tuple[str, ...]] = field(default_factory=list)  # each finding's ledger keys

    def has_rule(self, *rules: str) -> bool:
        return any(rule in self.rules for rule in rules)

    def rows_of(self, *rules: str) -> list[int]:
        rows: list[int] = []
        for rule in rules:
            rows += [row for row in self.rule_rows.get(rule, []) if row not in rows]
        return rows

    def mentions(self, *prefixes: str) -> bool:
        return any(key.startswith(prefixes) for key in self.fact_keys)


def kind_of(topic: str, findings: list[Finding]) -> str:
    for kind, words in TOPIC_KEYWORDS:
        if any(word in topic for word in words):
            return kind
    votes: dict[str, int] = {}
    for finding in findings:
        kind = RULE_KINDS.get(finding.rule)
        if kind is None and finding.rule.startswith("D"):
            kind = "completeness"
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
    return max(votes, key=lambda k: (votes[k], -KINDS.index(k))) if votes else "other"


_PATH_ROWS = re.compile(r"indicators\[([\d,\s]+)\]")


def _indicator_row(key: str) -> int | None:
    parts = key.split(".")
    if len(parts) >= 2 and parts[0] == "indicator" and parts[1].isdigit():
        return int(parts[1])
    return None


def finding_rows(finding: Finding) -> list[int]:
    """附件2 rows (1-based) a finding names, by its fact keys or its path
    ("self_assessment.indicators[0,1,2,3].target" → 1, 2, 3, 4)."""
    rows: list[int] = []
    for key in finding.facts:
        row = _indicator_row(key)
        if row is not None and row not in rows:
            rows.append(row)
    for match in _PATH_ROWS.finditer(finding.path):
        for part in match.group(1).split(","):
            row = int(part) + 1
            if row not in rows:
                rows.append(row)
    return rows


def deviation_rows(data: DepartmentYear, ledger: Ledger) -> list[int]:
    """附件2 rows (1-based) whose score is below the weight (both filled)."""
    rows = []
    for number in range(1, len(data.self_assessment.indicators) + 1):
        score = ledger.get(f"indicator.{number}.score")
        weight = ledger.get(f"indicator.{number}.weight")
        if score and weight and score.rounded is not None and weight.rounded is not None:
            if score.rounded < weight.rounded:
                rows.append(number)
    return rows


def group_findings(
    data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY
) -> list[ProblemGroup]:
    """Problem groups in report order. Info-level findings and layout rules are left out."""
    by_topic: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity == "info" or finding.rule in IGNORED_RULES:
            continue
        by_topic.setdefault(finding.topic or "其他", []).append(finding)

    groups: dict[str, ProblemGroup] = {}
    for topic, members in by_topic.items():
        kind = kind_of(topic, members)
        group = groups.setdefault(kind, ProblemGroup(kind))
        group.topics.append(topic)
        for finding in members:
            group.rules.add(finding.rule)
            known = tuple(key for key in finding.facts if key in ledger)
            if known:
                group.finding_facts.append(known)
            for key in known:
                if key not in group.fact_keys:
                    group.fact_keys.append(key)
            rows = finding_rows(finding)
            per_rule = group.rule_rows.setdefault(finding.rule, [])
            for row in rows:
                if row not in group.indicator_rows:
                    group.indicator_rows.append(row)
                if row not in per_rule:
                    per_rule.append(row)

    rate = ledger.get("funding.adjustment_rate")
    if "budget" not in groups and rate is not None and rate.value is not None:
        if abs(rate.value) >= policy.notable_adjustment_pct:
            groups["budget"] = ProblemGroup("budget", topics=["预算调整"], fact_keys=["funding.adjustment_rate"])

    if deviation_rows(data, ledger):
        groups.setdefault("targets_unmet", ProblemGroup("targets_unmet"))

    if not groups:
        groups["other"] = ProblemGroup("other")
    return [groups[kind] for kind in KINDS if kind in groups]


@dataclass
class IndicatorIssues:
    """What the data shows about the 附件2 rows a group names (all rows when it names none): the
    indicator paragraph of 存在问题 is written from these, not from rule ids."""

    unquantified: list[int]  # 年度指标值 blank, or written without a number ("百分比")
    blank_weight: list[int]
    blank_score: list[int]
    duplicated: list[list[int]]  # groups of rows sharing one 三级指标 text
    every_weight_blank: bool
    stated_total: bool  # the total is the form's own figure, not a sum of scored rows


def indicator_issues(data: DepartmentYear, ledger: Ledger, group: ProblemGroup) -> IndicatorIssues:
    rows = data.self_assessment.indicators
    numbers = group.indicator_rows or list(range(1, len(rows) + 1))
    numbers = [n for n in numbers if 1 <= n <= len(rows)]
    names: dict[str, list[int]] = {}
    for n, row in enumerate(rows, start=1):
        names.setdefault(row.name.strip(), []).append(n)
    duplicated = [same for same in names.values() if len(same) > 1 and any(n in numbers for n in same)]
    total = ledger.get("score.total")
    return IndicatorIssues(
        unquantified=[n for n in numbers if parse_quantity(rows[n - 1].target) is None],
        blank_weight=[n for n in numbers if rows[n - 1].weight is None],
        blank_score=[n for n in numbers if rows[n - 1].score is None],
        duplicated=duplicated,
        every_weight_blank=bool(rows) and all(row.weight is None for row in rows),
        stated_total=total is not None and total.kind == "stated",
    )
