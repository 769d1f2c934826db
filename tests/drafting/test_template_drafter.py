"""The template drafter: structure, wording, direction words, missing data and the rule that the
report prints no number that does not come from the ledger."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.drafting.draft import Heading, Paragraph, TableRef
from assistant.drafting.sections import SECTIONS, numbered_titles
from assistant.drafting.template_drafter import (
    FactHelpers,
    draft_report,
    environment,
)
from assistant.drafting.markup import parse_blocks
from assistant.figures.build import build_ledger
from assistant.figures.findings import Finding
from assistant.figures.rules import check_data
from assistant.figures.ledger import Ledger, LedgerError
from assistant.model.schema import DepartmentYear, Identity
from assistant.render.package import build_package
from assistant.render.text import document_text

ROOT = Path(__file__).resolve().parents[2]

# -- the no-invented-number check ------------------------------------------------------------------

_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?")
_ALLOWED = (
    re.compile(r"〔待[补核]：[^〕]*〕"),  # placeholders name a label, they print no figure
    re.compile(r"“[^”]*”"),  # the department's own quoted names ("411"监管机制, 指标名称)
    re.compile(r"《[^》]*》"),  # document titles
    re.compile(r"[A-Za-z\u4e00-\u9fff]+〔\d{4}〕\d+号"),  # 文号: 财预〔2020〕10号
    re.compile(r"\d{4}年"),  # years
    re.compile(r"\d{1,2}月份?"),  # months
    re.compile(r"\d{1,2}日"),  # days
    re.compile(r"(?m)^\d{1,2}[.、．](?!\d)"),  # list markers 1. 1、
    re.compile(r"（\d{1,2}）"),  # list markers （1）
)


def unexplained_numbers(text: str, ledger: Ledger) -> list[str]:
    """Numbers in the report text that are not the display of a ledger fact at that place.

    Stricter than comparing digit strings: each figure of running text must appear exactly as some
    fact prints it (display, or the magnitude of a negative fact, unit included), so a bare "1" is
    not excused by the fact "1万个". Table rows (tab-separated cells) must hold a fact's cell text.
    Years, dates, list markers, 文号 and quoted names are dropped first. The attachments (from the
    line "附件1" on) are the forms: their cells also carry the department's own indicator wording."""
    report = text.split("\n附件1\n", 1)[0]
    shown = {fact.display for fact in ledger} | {fact.magnitude for fact in ledger}
    cells = {fact.number for fact in ledger}
    unexplained: list[str] = []
    for line in report.splitlines():
        for pattern in _ALLOWED:
            line = pattern.sub(" ", line)
        if "\t" in line:
            unexplained += [n for cell in line.split("\t") if cell not in cells for n in _NUMBER.findall(cell)]
            continue
        for display in sorted((s for s in shown if re.search(r"\d", s)), key=len, reverse=True):
            line = re.sub(r"(?<![0-9.．])" + re.escape(display) + r"(?![0-9])", " ", line)
        unexplained += _NUMBER.findall(line)
    return unexplained


# -- fixtures ----------------------------------------------------------------------------------------

def example_findings() -> list[Finding]:
    """What the rules module reports for the example (written here: it is built in parallel)."""
    return [
        Finding("R09", "warning", "附件2 › 年度资金总额", "self_assessment.funding.full_year_budget",
                "全年预算数比年初预算数追加735.73万元，预算调整率75.12%，请说明调整原因",
                ("funding.adjustment", "funding.adjustment_rate"), topic="预算执行"),
        Finding("R17", "error", "附件2 › 绩效指标第1、2、3、4行 › 年度指标值", "self_assessment.indicators[0,1,2,3].target",
                "年度指标值“百分比”不是数值", ("indicator.1.actual", "indicator.2.actual"), topic="绩效指标"),
        Finding("R06", "error", "附件2 › 绩效指标 › 分值", "self_assessment.indicators[*].weight",
                "9个三级指标均未填写分值", ("indicator.1.weight", "indicator.5.weight"), topic="绩效指标"),
        Finding("R10", "warning", "附件2 › 按支出性质分", "self_assessment.by_expenditure",
                "基本支出与项目支出之和954.67万元不等于年初预算数979.39万元",
                ("funding.expenditure.sum", "funding.initial_budget"), topic="数据一致性"),
        Finding("D01", "warning", "附件1 › 部门基本支出预算调整 › 2024年预算数", "basic_data.basic_budget_adjustment.budget",
                "表内空白", ("basic_adjustment.budget",), topic="资料完整性"),
        Finding("R18", "info", "版式", "-", "字体", (), topic="其他"),
    ]


def plain_text(draft, data: DepartmentYear, ledger: Ledger) -> str:
    """The whole package as text (report, its tables and both attachments), as `--text` writes it."""
    return document_text(build_package(data, ledger, draft))


def draft_of(data: DepartmentYear, findings: list[Finding] | None = None):
    ledger = build_ledger(data)
    draft = draft_report(data, ledger, example_findings() if findings is None else findings)
    return draft, ledger, plain_text(draft, data, ledger)


@pytest.fixture(scope="module")
def example(example_data):
    return draft_of(example_data)


def variant(data: DepartmentYear, **changes) -> DepartmentYear:
    """A deep copy with dotted-path fields replaced: variant(d, **{"narrative.meetings.current": 1})."""
    copy = data.model_copy(deep=True)
    for path, value in changes.items():
        *parents, name = path.split(".")
        target = copy
        for part in parents:
            target = getattr(target, part)
        setattr(target, name, value)
    return copy


def section_text(draft, kind: str) -> str:
    section = next(s for s in draft.sections if s.kind == kind)
    return "\n".join(b.text for b in section.blocks if not isinstance(b, TableRef))


def subsection_text(draft, parent: str, title_part: str) -> str:
    """Blocks of a level-2 part, from its Heading(2) up to the next one."""
    section = next(s for s in draft.sections if s.kind == parent)
    out, inside = [], False
    for block in section.blocks:
        if isinstance(block, Heading) and block.level == 2:
            inside = title_part in block.text
            continue
        if inside and not isinstance(block, TableRef):
            out.append(block.text)
    return "\n".join(out)


# -- structure ----------------------------------------------------------------------------------------

def test_sections_in_order_with_titles(example):
    draft, _, _ = example
    assert draft.title == "桃江县人力资源和社会保障局2024年度部门整体支出绩效自评报告"
    assert [s.kind for s in draft.sections] == ["overview", "spending", "problems", "plans"]
    assert [s.title for s in draft.sections] == [
        "一、部门概况", "二、部门整体支出管理及使用成效分析", "三、存在问题", "四、下一步工作计划",
    ]
    level2 = {s.kind: [b.text for b in s.blocks if isinstance(b, Heading) and b.level == 2] for s in draft.sections}
    assert level2["overview"] == ["（一）部门基本情况", "（二）机构设置", "（三）主要职责"]
    assert level2["spending"] == [
        "（一）收支及预算执行情况", "（二）绩效目标设立情况", "（三）基本支出及“三公”经费情况",
        "（四）会议费、培训费支出情况", "（五）项目支出情况", "（六）政府采购及楼堂馆所情况", "（七）绩效自评得分情况",
    ]
    assert draft.sections[1].parts[1:] == [
        "budget_execution", "targets", "basic_spending", "meetings_training", "projects", "procurement", "self_score",
    ]
    assert draft.preamble and draft.preamble[-1].text.endswith("现将有关情况报告如下：")
    assert "财预〔2020〕10号" in draft.preamble[0].text


def test_registry_titles_and_templates_exist():
    titles = numbered_titles()
    assert titles["overview"] == "一、部门概况" and titles["self_score"] == "（七）绩效自评得分情况"
    env = environment()
    for spec in SECTIONS:
        if spec.template:
            env.get_template(spec.template)  # raises if missing


def test_sangong_table_ref_and_sentence(example):
    draft, _, text = example
    refs = [b for s in draft.sections for b in s.blocks if isinstance(b, TableRef)]
    assert [r.name for r in refs] == ["sangong_comparison"]
    assert refs[0].caption == "“三公经费”与年初预算、上年度收支情况对比说明（元）"
    sangong = next(line for line in text.splitlines() if "“三公”经费年初预算" in line)
    assert "低于年初预算99842元" in sangong
    assert "比上年减少39740元，下降39.78%" in sangong
    assert "52批次、502人次" in sangong
    assert "无公务用车购置及运行维护费、因公出国（境）费支出" in sangong
    assert "“三公”经费全部为公务接待费" in sangong


def test_meeting_and_training_fees(example):
    _, _, text = example
    assert "2024年会议费支出16730元，2023年会议费支出19268元，比上年减少2538元，下降13.17%。" in text
    assert "比上年减少4019元，下降20.74%" in text
    assert "节约开支，减少培训中不必要的支出。" in text
    assert "会议费增减原因" not in text  # the reason is printed only when given


def test_key_figures(example):
    _, _, text = example
    for figure in ("89.16%", "98.91%", "9.89分", "979.39万元", "1715.12万元", "1696.51万元", "735.73万元", "75.12%"):
        assert figure in text, figure
    assert "13个内设机构" in text and "二级机构6个" in text
    assert "自评表填报的自评总分为100.00分，评价等级为优" in text  # stated total: said to be 填报数
    assert "综合评分" not in text
    # What the rules cannot confirm (R07, R14) goes to the checklist, never into the department's text.
    assert "尚无法按评分规则逐项复核" not in text and "〔待核" not in text


def test_projects_headings_and_slots(example):
    draft, _, text = example
    spending = next(s for s in draft.sections if s.kind == "spending")
    headings = [b.text for b in spending.blocks if isinstance(b, Heading) and b.level == 3]
    assert headings == ["1.社保保险基金风险防控工作经费", "2.劳动保障监察两网化建设", "3.劳动人事争议仲裁支出"]
    assert "{" not in text and "}" not in text
    assert not re.search(r"〔待核：[A-Za-z0-9_.]*〕", text)  # every slot named a ledger fact
    assert "足额发放率由92.40%提升至99.00%" in text
    assert "追回拖欠农民工工资1192.24万元" in text
    assert "各项目支出合计199.00万元" in text


def test_targets_filled(example):
    draft, _, _ = example
    targets = subsection_text(draft, "spending", "绩效目标设立情况")
    assert "新增城镇就业6240人，完成目标任务的130.00%" in targets
    assert "继续教育参训率≥90.00%" in targets


def test_problems_from_findings(example):
    draft, _, _ = example
    problems = next(s for s in draft.sections if s.kind == "problems")
    headings = [b.text for b in problems.blocks if isinstance(b, Heading)]
    assert headings == [
        "（一）预算编制的精准度有待提高", "（二）绩效指标设置不够规范、量化程度不高",
        "（三）部分数据口径不一致", "（四）基础资料填报不够完整",
    ]
    body = section_text(draft, "problems")
    assert "追加预算735.73万元，预算调整率为75.12%" in body
    assert "“数量指标”“质量指标”" in body
    assert "如“按支出性质分合计”为954.67万元，而“年初预算数”为979.39万元" in body
    assert "“部门基本支出预算调整2024年预算数”" in body
    assert "字体" not in body  # info / layout findings are not report problems


def test_plans_from_data(example):
    draft, _, _ = example
    plans = next(s for s in draft.sections if s.kind == "plans")
    headings = [b.text for b in plans.blocks if isinstance(b, Heading)]
    assert headings[0] == "（一）抓好重点民生实事，确保民生可感可及“强度”"
    assert headings[-1] == "（五）坚持正向发力，确保人事人才工作“高度”"
    assert len(headings) == 5


def test_plans_derived_answer_each_problem(example_data):
    draft, _, _ = draft_of(variant(example_data, **{"narrative.plans": []}))
    problems = next(s for s in draft.sections if s.kind == "problems")
    plans = next(s for s in draft.sections if s.kind == "plans")
    n_problems = sum(isinstance(b, Heading) for b in problems.blocks)
    plan_heads = [b.text for b in plans.blocks if isinstance(b, Heading)]
    assert len(plan_heads) == n_problems
    assert plan_heads[0] == "（一）提高预算编制的科学性和精准度"
    assert "（二）规范绩效目标和指标设置" in plan_heads


def test_problems_given_by_department(example_data):
    data = variant(example_data, **{"narrative.problems": ["绩效目标编制不够细化。部分指标难以量化考核。", "宣传力度不够"]})
    draft, _, _ = draft_of(data)
    problems = next(s for s in draft.sections if s.kind == "problems")
    assert problems.blocks[0] == Heading(2, "（一）绩效目标编制不够细化")
    assert problems.blocks[1] == Paragraph("部分指标难以量化考核。")
    assert problems.blocks[2] == Paragraph("（二）宣传力度不够。")


def test_no_findings_still_names_a_problem(example_data):
    data = variant(example_data, **{"self_assessment.funding.full_year_budget": Decimal("979.39")})
    draft, _, _ = draft_of(data, findings=[])
    problems = next(s for s in draft.sections if s.kind == "problems")
    assert [b.text for b in problems.blocks if isinstance(b, Heading)] == ["（一）预算绩效管理基础工作有待加强"]


# -- no invented numbers ------------------------------------------------------------------------------

def test_every_number_comes_from_the_ledger(example):
    _, ledger, text = example
    assert unexplained_numbers(text, ledger) == []


def test_number_check_catches_a_literal():
    ledger = build_ledger(DepartmentYear(identity=Identity(county="甲县", name="甲县财政局", year=2024)))
    assert unexplained_numbers("2024年预算执行率为95%，共有3个内设机构\n1.办公室，2.法制股", ledger) == ["95%", "3", "2"]


def test_a_literal_number_in_a_template_is_caught(example_data, tmp_path):
    """Copy the templates, put a literal figure into one, draft again: the check must fail."""
    import shutil

    from assistant.drafting import template_drafter

    copy = tmp_path / "report"
    shutil.copytree(template_drafter.TEMPLATE_DIR, copy)
    path = copy / "procurement.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("政府采购金额", "政府采购金额约36万元，即", 1), encoding="utf-8")
    original = template_drafter.TEMPLATE_DIR
    template_drafter.TEMPLATE_DIR = copy
    try:
        _, ledger, text = draft_of(example_data)
    finally:
        template_drafter.TEMPLATE_DIR = original
    assert "36" in unexplained_numbers(text, ledger)


# -- direction words ----------------------------------------------------------------------------------

def meeting_sentence(example_data, current, prior, reason=None) -> str:
    data = variant(example_data, **{
        "narrative.meetings.current": None if current is None else Decimal(current),
        "narrative.meetings.prior": None if prior is None else Decimal(prior),
        "narrative.meetings.reason": reason,
    })
    draft, ledger, text = draft_of(data)
    assert unexplained_numbers(text, ledger) == []
    return next(line for line in text.splitlines() if line.startswith("1.会议费支出情况"))


def test_meeting_fee_increase(example_data):
    line = meeting_sentence(example_data, 20000, 19268, reason="会议场次增加")
    assert "比上年增加732元，增长3.80%。" in line
    assert "减少" not in line and "下降" not in line
    assert "增减变化的主要原因是：会议场次增加。" in line


def test_meeting_fee_equal(example_data):
    line = meeting_sentence(example_data, 19268, 19268)
    assert "与上年持平" in line
    assert not any(word in line for word in ("增加", "减少", "增长", "下降", "〔待补"))


def test_meeting_fee_prior_zero(example_data):
    line = meeting_sentence(example_data, 16730, 0)
    assert "比上年新增16730元" in line
    assert "—" not in line and "增长" not in line


def test_meeting_fee_both_zero(example_data):
    line = meeting_sentence(example_data, 0, 0)
    assert "与上年持平" in line


def test_sangong_over_budget(example_data):
    data = variant(example_data, **{
        "narrative.sangong.total": example_data.narrative.sangong.total.model_copy(
            update={"budget": Decimal(50000)}),
    })
    _, ledger, text = draft_of(data)
    line = next(l for l in text.splitlines() if "“三公”经费年初预算" in l)
    assert "超出年初预算10158元" in line and "低于" not in line
    assert unexplained_numbers(text, ledger) == []


@settings(max_examples=60, deadline=None)
@given(current=st.integers(0, 10**7), prior=st.integers(0, 10**7))
def test_compare_words_agree_with_sign(example_data, current, prior):
    data = variant(example_data, **{
        "narrative.meetings.current": Decimal(current), "narrative.meetings.prior": Decimal(prior),
    })
    ledger = build_ledger(data)
    phrase = FactHelpers(ledger).compare("meeting_fee.change", "meeting_fee.change_pct")
    if current > prior:
        assert ("增加" in phrase and "增长" in phrase) or (prior == 0 and "新增" in phrase)
        assert "减少" not in phrase and "下降" not in phrase
    elif current < prior:
        assert "减少" in phrase and "增加" not in phrase and "增长" not in phrase
    else:
        assert phrase == "与上年持平"


# -- missing data -------------------------------------------------------------------------------------

def test_blank_fields_show_placeholders(example_data):
    data = variant(example_data, **{
        "self_assessment.funding.executed": None,
        "narrative.spending_direction": None,
        "narrative.basic_spending_use": None,
        "narrative.duties": [],
        "narrative.meetings.prior": None,
        "narrative.sangong.measures": [],
        "narrative.plans": [],
        "narrative.internal_units": [],
    })
    draft, ledger, text = draft_of(data)
    for mark in ("〔待补：全年执行数〕", "〔待补：预算执行率〕", "〔待补：预算执行率得分〕", "〔待补：年初支出计划使用方向〕",
                 "〔待补：基本支出的主要用途及范围〕", "〔待补：主要职责〕", "〔待补：2023年会议费〕",
                 "比上年增减〔待补：会议费比上年增减〕", "〔待补：“三公”经费管理措施〕", "内设机构数为〔待补：内设机构数〕"):
        assert mark in text, mark
    assert "None" not in text and "{" not in text
    assert unexplained_numbers(text, ledger) == []


def test_identity_only_does_not_crash():
    data = DepartmentYear(identity=Identity(county="甲县", name="甲县财政局", year=2024, province="湖南省"))
    draft, ledger, text = draft_of(data, findings=[])
    assert draft.title == "甲县财政局2024年度部门整体支出绩效自评报告"
    assert "我局" in text and "〔待补：" in text and "None" not in text
    assert "湘办发〔2019〕10号" in text
    assert unexplained_numbers(text, ledger) == []


def test_deviation_rows_reported(example_data):
    rows = [row.model_copy(update={"weight": Decimal(10), "score": Decimal(10)}) for row in
            example_data.self_assessment.indicators]
    rows[5] = rows[5].model_copy(update={"score": Decimal(8), "band": "部分达成年度指标并具有一定效果",
                                         "deviation_reason": "部分群众对政策知晓度不高"})
    data = variant(example_data, **{"self_assessment.indicators": rows})
    draft, ledger, text = draft_of(data)
    problems = next(s for s in draft.sections if s.kind == "problems")
    assert "（三）部分绩效目标未全面完成" in [b.text for b in problems.blocks if isinstance(b, Heading)]
    score, weight = ledger["indicator.6.score"].display, ledger["indicator.6.weight"].display
    assert (f"社会效益指标中的“全力做好就业创业工作”，得分{score}（分值{weight}）。"
            "偏差原因：部分群众对政策知晓度不高。") in section_text(draft, "problems")
    assert "综合评分为" + ledger["score.total"].display + "，评价等级为优" in text
    assert unexplained_numbers(text, ledger) == []


def test_unknown_slot_is_marked(example_data):
    data = variant(example_data, **{"narrative.benefit_targets": ["群众满意度达到{satisfaction}以上"]})
    _, _, text = draft_of(data)
    assert "群众满意度达到〔待核：satisfaction〕以上。" in text


# -- helpers and conventions ----------------------------------------------------------------------------

def test_unknown_key_raises(example_ledger):
    helpers = FactHelpers(example_ledger)
    with pytest.raises(LedgerError):
        helpers.f("no.such.fact")
    env = environment()
    with pytest.raises(LedgerError):
        env.from_string("{{ f('no.such.fact') }}").render(f=helpers.f)


def test_helpers(example_ledger):
    h = FactHelpers(example_ledger)
    assert h.f("meeting_fee.change") == "-2538元" and h.mag("meeting_fee.change") == "2538元"
    assert h.compare("sangong_yuan.total.change", "sangong_yuan.total.change_pct") == "比上年减少39740元，下降39.78%"
    assert h.against("sangong_yuan.total.vs_budget", "年初预算") == "低于年初预算99842元"
    assert h.against("projects.total.vs_budget", "年初预算") == "与年初预算持平"
    assert h.word("funding.adjustment", "追加", "调减", "未调整") == "追加"
    assert h.fill("发放率由{full_payment_rate.prior}提升至{full_payment_rate}，{ x }", "project.fund_risk") == (
        "发放率由92.40%提升至99.00%，〔待核：x〕")


def test_parse_blocks_convention():
    text = "甲\n乙\n\n#3 1.项目\n@table sangong_comparison|说明（元）\n丙\n@table other\n"
    assert parse_blocks(text) == [
        Paragraph("甲乙"), Heading(3, "1.项目"), TableRef("sangong_comparison", "说明（元）"), Paragraph("丙"),
        TableRef("other", None),
    ]


def test_no_ascii_punctuation_or_markdown(example):
    _, _, text = example
    body = "\n".join(line for line in text.splitlines())
    assert not re.search(r"[,;:?!()]", body)
    assert "**" not in body and "#" not in body


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_file_drafts_without_invented_numbers(path):
    from assistant.model.load import load

    data = load(path)
    ledger = build_ledger(data)
    text = plain_text(draft_report(data, ledger, check_data(data, ledger)), data, ledger)
    assert unexplained_numbers(text, ledger) == []
    assert "{" not in text and "None" not in text


def test_with_findings_of_the_rules_module(example_data, example_ledger):
    findings = check_data(example_data, example_ledger)
    draft = draft_report(example_data, example_ledger, findings)
    text = plain_text(draft, example_data, example_ledger)
    assert unexplained_numbers(text, example_ledger) == []
    problems = next(s for s in draft.sections if s.kind == "problems")
    assert problems.blocks


def test_number_check_reads_table_cells_as_cells(example_ledger):
    assert unexplained_numbers("三公经费合计\t60158\t160000", example_ledger) == []
    assert unexplained_numbers("三公经费合计\t60159\t160000", example_ledger) == ["60159"]
    assert unexplained_numbers("前文\n附件1\n表内\t12345", example_ledger) == []
