"""What an imported report leaves open, named in Chinese: the list `jixiao import` writes on top of the
data file (and prints), so that whoever starts next year's data knows what to fill in.

Named: forms the report does not have; per table row, the cells left blank; identity fields not found;
tables the reader did not understand (their figures are not in the data: the table is quoted by its
first row); each project form's blank cells; the parts of a report the import never takes (职责,
内设机构, 绩效目标, 存在问题, 下一步计划). Nothing is filled in: a gap stays a gap.
"""

from __future__ import annotations

from pydantic import BaseModel

from assistant.model.report_tables import FORM_ASSESSMENT, FORM_BASIC, FORM_SANGONG
from assistant.model.schema import MoneyRow

NEVER_IMPORTED = "报告正文中的职责、内设机构、绩效目标、存在问题和下一步计划（导入不读取，请从原报告补充）"
IDENTITY_FIELDS = (("county", "县（市、区）"), ("name", "单位全称"), ("preparer", "填表人"), ("phone", "联系电话"),
                   ("filled_on", "填报日期"), ("leader", "单位负责人"))


def _blank_fields(model: BaseModel, fields: tuple[str, ...]) -> list[str]:
    return [type(model).model_fields[name].title or name for name in fields if getattr(model, name) is None]


def _money_gaps(where: str, row: MoneyRow) -> str | None:
    blank = _blank_fields(row, ("prior_final", "budget", "final"))
    if not blank:
        return None
    return f"{where}：{'、'.join(blank)}空白" if len(blank) < 3 else f"{where}：整行空白"


def report_gaps(contents) -> list[str]:
    """The gaps of a read report (`ReportContents`), in form order."""
    data = contents.data
    gaps: list[str] = []
    if data is None:
        return ["报告年度：未找到（用 --year 指定）"]
    identity = data.identity
    gaps += [f"单位信息：{title}未找到" for name, title in IDENTITY_FIELDS if not getattr(identity, name)]
    forms = set(contents.forms)
    department_forms = FORM_BASIC in forms or FORM_ASSESSMENT in forms
    if not department_forms:
        gaps.append("附件1基础数据表、附件2绩效自评表：报告中没有，两表各项均未导入")
    else:
        gaps += _basic_gaps(data) if FORM_BASIC in forms else ["附件1基础数据表：报告中没有，附件1各项均未导入"]
        gaps += _assessment_gaps(data) if FORM_ASSESSMENT in forms else ["附件2绩效自评表：报告中没有，附件2各项均未导入"]
    if FORM_SANGONG not in forms and department_forms:
        gaps.append("“三公”经费对比表（元）：报告中没有")
    for project in data.narrative.projects:
        if project.form:
            gaps += _project_gaps(project)
    tables = contents.document.tables() if contents.document is not None else []
    for index in contents.unread_tables:
        if index < len(tables):
            block = tables[index]
            first = " | ".join(cell for cell in block.cell_texts()[0] if cell)[:40]
            place = block.location(contents.document.unit)
            gaps.append(f"未能识别的表格（{place}，首行“{first}”）：其中的数字未导入，请核对后补填")
    gaps.append(NEVER_IMPORTED)
    return gaps


def _basic_gaps(data) -> list[str]:
    basic = data.basic_data
    gaps = [f"附件1 财政供养人员情况：{'、'.join(blank)}空白"
            for blank in [_blank_fields(basic.staffing, ("authorized", "active"))] if blank]
    rows = [("附件1 三公经费", basic.sangong.total), ("附件1 公务用车购置和维护经费", basic.sangong.vehicle),
            ("附件1 公车购置", basic.sangong.vehicle_purchase), ("附件1 公车运行维护", basic.sangong.vehicle_operation),
            ("附件1 出国经费", basic.sangong.overseas), ("附件1 公务接待", basic.sangong.reception),
            ("附件1 项目支出", basic.projects.total), ("附件1 公用经费", basic.public_funds.total),
            ("附件1 办公经费", basic.public_funds.office), ("附件1 水费、电费、差旅费", basic.public_funds.utilities_travel),
            ("附件1 会议费、培训费", basic.public_funds.meetings_training), ("附件1 政府采购金额", basic.procurement),
            ("附件1 部门基本支出预算调整", basic.basic_budget_adjustment)]
    rows += [(f"附件1 项目支出 › {item.name}", item) for item in basic.projects.items]
    return gaps + [gap for where, row in rows if (gap := _money_gaps(where, row))]


def _assessment_gaps(data) -> list[str]:
    assessment = data.self_assessment
    gaps = []
    blank = _blank_fields(assessment.funding, ("initial_budget", "full_year_budget", "executed", "stated_rate",
                                                "stated_score"))
    if blank:
        gaps.append(f"附件2 年度资金总额：{'、'.join(blank)}空白")
    for title, breakdown, fields in (("按收入性质分", assessment.by_income, ("general_public", "government_fund",
                                                                         "special_account", "other")),
                                     ("按支出性质分", assessment.by_expenditure, ("basic", "project"))):
        if all(getattr(breakdown, name) is None for name in fields):
            gaps.append(f"附件2 {title}：空白")
    if not assessment.indicators:
        gaps.append("附件2 绩效指标：没有指标行")
    gaps += _indicator_gaps("附件2", assessment.indicators)
    if assessment.stated_total is None:
        gaps.append("附件2 总分：自评得分空白")
    return gaps


def _indicator_gaps(form: str, indicators) -> list[str]:
    gaps = []
    for number, indicator in enumerate(indicators, start=1):
        blank = _blank_fields(indicator, ("target", "actual", "weight", "score"))
        if blank:
            gaps.append(f"{form} 绩效指标第{number}行（{indicator.name}）：{'、'.join(blank)}空白")
    return gaps


def _project_gaps(project) -> list[str]:
    where = f"{project.form}（{project.name}）"
    gaps = []
    blank = _blank_fields(project, ("budget", "spending", "stated_rate"))
    if blank:
        gaps.append(f"{where} 年度资金总额：{'、'.join(blank)}空白")
    for source in project.sources:
        blank = _blank_fields(source, ("budget", "spending"))
        if blank:
            gaps.append(f"{where} {source.name}：{'、'.join(blank)}空白")
    if not project.indicators:
        gaps.append(f"{where} 绩效指标：没有指标行")
    return gaps + _indicator_gaps(where, project.indicators)
