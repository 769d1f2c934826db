"""The section registry of the 自评报告, as data.

One `SectionSpec` per section or sub-section, in report order (docs/domain.md §6.1 merged with the
department's own 2024 template). Every drafter (template, carry-forward, LLM) and the checker read the
same registry: the title and level of a section, the Jinja2 template that drafts it offline, the
ledger key prefixes whose facts it may cite and the narrative fields it draws on.

Titles are stored without their numbers; `numbered_titles()` numbers them in order (一、/（一）), so a
section that a department drops does not leave a gap in the numbering.

Level 0 is the preamble (no heading). Level-1 sections become `DraftSection`s; their level-2
children are drafted into the parent's blocks under a `Heading(2, "（一）…")`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assistant.drafting.phrases import level1_number, level2_number
from assistant.figures.ledger import Fact, Ledger


@dataclass(frozen=True)
class SectionSpec:
    kind: str  # stable id, e.g. "budget_execution"
    title: str  # printed title without its number ("收支及预算执行情况"); "" for the preamble
    level: int  # 0 preamble · 1 "一、" · 2 "（一）"
    template: str | None  # file under templates/report/ (None: heading only)
    parent: str | None = None  # kind of the level-1 section a level-2 section belongs to
    fact_prefixes: tuple[str, ...] = ()  # ledger keys this section may cite (prefix match)
    narrative_fields: tuple[str, ...] = ()  # DepartmentYear paths whose texts it uses
    description: str = ""  # what the section must say (Chinese, for the LLM drafter's prompt)
    # Section kind of the corpus (assistant.retrieval.sections) whose paragraphs serve as exemplars.
    exemplar_kind: str | None = None
    # Whether the LLM drafter writes it: official texts (三定 duties, unit lists, the basis documents)
    # stay as the department gave them, through the template.
    llm: bool = True


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "preamble", "", 0, "preamble.j2",
        narrative_fields=("identity.name", "identity.year"),
        description="评价依据（中发〔2018〕34号、财预〔2020〕10号等）、评价范围，以“现将有关情况报告如下”结束。",
        llm=False,
    ),
    SectionSpec("overview", "部门概况", 1, None),
    SectionSpec(
        "overview_basic", "部门基本情况", 2, "overview_basic.j2", parent="overview",
        fact_prefixes=("personnel.", "staff.", "org.internal_units"),
        narrative_fields=("narrative.personnel", "narrative.internal_units"),
        description="干职工总数、在职和退休人数；编制数、实际在职人数和人员控制率；内设机构名单和个数。",
        exemplar_kind="部门概况",
        llm=False,
    ),
    SectionSpec(
        "organization", "机构设置", 2, "organization.j2", parent="overview",
        fact_prefixes=("org.subordinate_units", "org.units_in_final_accounts"),
        narrative_fields=("narrative.subordinate_units", "narrative.units_in_final_accounts"),
        description="二级机构名单和个数；纳入部门决算编制范围的单位。",
        exemplar_kind="部门概况",
        llm=False,
    ),
    SectionSpec(
        "duties", "主要职责", 2, "duties.j2", parent="overview",
        narrative_fields=("narrative.duties",),
        description="按“三定”规定逐条列明主要职责。",
        exemplar_kind="部门概况",
        llm=False,
    ),
    SectionSpec("spending", "部门整体支出管理及使用成效分析", 1, None),
    SectionSpec(
        "budget_execution", "收支及预算执行情况", 2, "budget_execution.j2", parent="spending",
        fact_prefixes=("funding.",),
        narrative_fields=("narrative.spending_direction",),
        description="年初预算数、全年预算数、预算调整数和调整率、全年执行数、执行率及得分；按收入、支出性质分；年初支出计划使用方向。",
        exemplar_kind="收支及预算执行",
    ),
    SectionSpec(
        "targets", "绩效目标设立情况", 2, "targets.j2", parent="spending",
        fact_prefixes=("target.",),
        narrative_fields=("self_assessment.goals", "narrative.output_targets", "narrative.benefit_targets"),
        description="年度总体目标及完成情况；产出指标、效益指标。",
        exemplar_kind="绩效目标",
    ),
    SectionSpec(
        "basic_spending", "基本支出及“三公”经费情况", 2, "basic_spending.j2", parent="spending",
        fact_prefixes=("funding.expenditure.basic", "public_funds.", "sangong_yuan.", "sangong."),
        narrative_fields=("narrative.basic_spending_use", "narrative.fund_management", "narrative.sangong"),
        description="基本支出用途和资金管理；公用经费；“三公”经费与年初预算、上年对比（附表）及原因；管理措施。",
        exemplar_kind="三公经费",
    ),
    SectionSpec(
        "meetings_training", "会议费、培训费支出情况", 2, "meetings_training.j2", parent="spending",
        fact_prefixes=("meeting_fee.", "training_fee.", "meetings_training."),
        narrative_fields=("narrative.meetings", "narrative.training"),
        description="会议费、培训费本年与上年金额、增减额和增减率、原因。",
        exemplar_kind="会议费培训费",
    ),
    SectionSpec(
        "projects", "项目支出情况", 2, "projects.j2", parent="spending",
        fact_prefixes=("projects.", "project."),
        narrative_fields=("narrative.projects",),
        description="项目支出总额；逐个项目列明支出和主要成效。",
        exemplar_kind="项目支出/工作成效",
    ),
    SectionSpec(
        "procurement", "政府采购及楼堂馆所情况", 2, "procurement.j2", parent="spending",
        fact_prefixes=("procurement.", "building."),
        narrative_fields=("basic_data.buildings",),
        description="政府采购金额与年初预算、上年对比；楼堂馆所建设情况（无则写明）。",
        exemplar_kind="收支及预算执行",
    ),
    SectionSpec(
        "self_score", "绩效自评得分情况", 2, "self_score.j2", parent="spending",
        fact_prefixes=("funding.execution_", "funding.weight", "score.", "weight.", "indicators.count"),
        description="预算执行率得分、各一级指标得分、自评总分和评价等级。",
        exemplar_kind="自评得分",
    ),
    SectionSpec(
        "problems", "存在问题", 1, "problems.j2",
        fact_prefixes=("funding.", "indicator.", "score.", "weight."),
        narrative_fields=("narrative.problems",),
        description="单位列明的问题；未列明时按校验发现归纳，每类一段。",
        exemplar_kind="存在问题",
    ),
    SectionSpec(
        "plans", "下一步工作计划", 1, "plans.j2",
        narrative_fields=("narrative.plans",),
        description="单位列明的计划；未列明时逐条回应存在问题提出改进措施。",
        exemplar_kind="下一步工作计划",
    ),
)

_BY_KIND = {spec.kind: spec for spec in SECTIONS}


def section(kind: str) -> SectionSpec:
    return _BY_KIND[kind]


def top_sections() -> list[SectionSpec]:
    return [spec for spec in SECTIONS if spec.level == 1]


def children(kind: str) -> list[SectionSpec]:
    return [spec for spec in SECTIONS if spec.parent == kind]


def numbered_titles(specs: tuple[SectionSpec, ...] = SECTIONS) -> dict[str, str]:
    """kind → printed title ("一、部门概况", "（三）主要职责"); the preamble is not listed."""
    titles: dict[str, str] = {}
    top = sub = 0
    for spec in specs:
        if spec.level == 1:
            top, sub = top + 1, 0
            titles[spec.kind] = level1_number(top) + spec.title
        elif spec.level == 2:
            sub += 1
            titles[spec.kind] = level2_number(sub) + spec.title
    return titles


def units() -> list[SectionSpec]:
    """The sections a drafter writes one at a time (those with a template), in report order."""
    return [spec for spec in SECTIONS if spec.template]


def facts_for(spec: SectionSpec, ledger: Ledger) -> list[Fact]:
    """The ledger facts a section may cite (for the LLM drafter's prompt and the checker)."""
    return [fact for fact in ledger if any(fact.key.startswith(p) for p in spec.fact_prefixes)]


def iter_tree() -> Iterator[tuple[SectionSpec, list[SectionSpec]]]:
    """Level-1 sections with their children, in order."""
    for spec in top_sections():
        yield spec, children(spec.kind)
