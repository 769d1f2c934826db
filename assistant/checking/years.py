"""Years and dates as claims: a year that places this report's work in another year is `stale`.

The extractor reports every year and date as a non-claim (`Ignored`, reason 年份/日期). Most are: a
comparison base (比2023年, 与2023年相比, 2023年同期), a range (2023年至2024年), a document's year
(〔2020〕10号 is never a year here: it is a 文号), a policy's year (2023年印发的…), a plan year
(2025年计划…), last year's figure (2023年会议费19268元). A few say which year the work was done in, and
a model that invents a year writes them exactly there:

- the work year of a sentence: a year opening a clause and followed by a comma or by the actor
  (2022年，我局… / 2022年我局… / 2022年度全县…), or followed by 全年 (2022年全年…);
- the year of the report itself (2022年度部门整体支出绩效自评报告);
- a deadline or a cut-off date: 截至2023年底, 2023年12月31日前 (prose and table cells, e.g. 附件2's
  时效指标).

Such a year is `stale` unless it is the report's year (deadlines: unless it is not earlier; the work
year of a later year only where the sentence does not speak of the future). The rules are tables of
words (`data/lexicon.yaml`, `years:`), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assistant.checking.extract import Ignored
from assistant.checking.findings import NumberFinding
from assistant.checking.future import is_future
from assistant.checking.layout import Layout
from assistant.checking.lexicon import words

YEAR_LABEL = "报告年度"  # the label of a year finding (the drafter asks the model to repair it)
_YEAR_AT_START = re.compile(r"\s*((?:19|20)\d{2})\s*年")
_CLAUSE_START = "\n。！？；;，,：:\t"
_LOOK = 16  # characters after a year that may say what it is


@dataclass(frozen=True)
class YearRules:
    comparison_before: re.Pattern[str]
    comparison_after: re.Pattern[str]
    range_before: re.Pattern[str]
    range_after: re.Pattern[str]
    document_after: re.Pattern[str]
    basis_before: re.Pattern[str]
    cutoff_before: re.Pattern[str]
    deadline_after: re.Pattern[str]
    work_after: re.Pattern[str]
    whole_year_after: re.Pattern[str]
    report_after: re.Pattern[str]
    clause_lead: re.Pattern[str]


def _either(items) -> str:
    return "|".join(re.escape(str(item)) for item in sorted(items, key=len, reverse=True))


@lru_cache(maxsize=1)
def rules() -> YearRules:
    data = words().years
    actors = _either(data["actors"])
    return YearRules(
        comparison_before=re.compile(f"(?:{_either(data['comparison_before'])})\\s*$"),
        comparison_after=re.compile(f"^(?:度)?\\s*(?:{_either(data['comparison_after'])})"),
        range_before=re.compile(f"(?:{_either(data['range_marks'])})\\s*$"),
        range_after=re.compile(f"^(?:度)?\\s*(?:{_either(data['range_marks'])})\\s*(?:19|20)\\d{{2}}"),
        document_after=re.compile(f"^[^，。；,\\n]{{0,{_LOOK}}}?(?:{_either(data['document_words'])})"),
        basis_before=re.compile(f"(?:{_either(data['basis_before'])})[^，。；\\n]{{0,6}}$"),
        cutoff_before=re.compile(f"(?:{_either(data['cutoff_before'])})\\s*$"),
        # 2023年12月31日前, 2023年底前, 2023年前 (not 2023年前三季度: the first quarters of a year)
        deadline_after=re.compile(r"^(?:\s*(?:1[0-2]|0?[1-9])\s*月(?:份)?(?:\s*(?:[12]\d|3[01]|0?[1-9])\s*[日号])?)?"
                                  r"\s*(?:底|末)?\s*(?:之|以)?前(?![一二三四五六七八九十两几\d])"),
        work_after=re.compile(f"^(?:度)?\\s*(?:[，,]|(?:{_either(data['periods'])})?\\s*(?:{actors}))"),
        whole_year_after=re.compile(r"^(?:度)?\s*全年"),
        report_after=re.compile(f"^(?:度)?[^，。；,\\n]{{0,12}}?(?:{_either(data['report_words'])})"),
        clause_lead=re.compile(f"(?:^|[{re.escape(_CLAUSE_START)}])[ \\u3000]*(?:{_either(data['clause_lead'])})?[ \\u3000]*$"),
    )


@dataclass(frozen=True)
class YearClaim:
    year: int
    kind: str  # work / report / whole_year / deadline


def year_claim(text: str, item: Ignored, in_table: bool) -> YearClaim | None:
    """Whether the year (or date) `item` says when this report's work was done, and how."""
    if not item.reason.startswith(("年份", "日期")):
        return None
    match = _YEAR_AT_START.match(item.text)
    if match is None:
        return None  # 12月份, 二〇二四年: no four-digit year to judge
    year = int(match.group(1))
    table = rules()
    before = text[max(0, item.start - 12):item.start]
    after = text[item.start + match.end():item.start + match.end() + _LOOK]
    # a date item (2023年12月31日) carries its month: what follows the whole date says what it is
    rest = text[item.end:item.end + _LOOK]
    cutoff = bool(table.cutoff_before.search(before))  # 截至2023年底 (its 至 is no range)
    if not cutoff and (table.range_before.search(before) or table.range_after.match(after)
                       or table.range_after.match(rest)):
        return None
    if table.comparison_before.search(before) or table.comparison_after.match(rest):
        return None
    if _in_title_marks(text, item.start) or table.basis_before.search(before):
        return None
    if cutoff or table.deadline_after.match(after):
        return YearClaim(year, "deadline")
    if in_table:
        return None  # a table's year heads a column (2023年决算数): last year's figures, rightly
    if table.document_after.match(rest):
        return None
    if table.report_after.match(after):
        return YearClaim(year, "report")
    if item.text.strip() != match.group(0).strip() and not item.text.strip().endswith("年度"):
        return None  # a date with its month (2023年11月开工): an event, not the year of the work
    if table.whole_year_after.match(rest):
        return YearClaim(year, "whole_year")
    if table.clause_lead.search(before) and table.work_after.match(rest):
        return YearClaim(year, "work")
    return None


def _in_title_marks(text: str, position: int) -> bool:
    """Inside 《…》: the year belongs to a document's title."""
    opened = text.rfind("《", max(0, position - 60), position)
    return opened >= 0 and text.find("》", opened, position) < 0


_MESSAGES = {
    "work": "年份疑误：本报告为{year}年度，此处把本年工作写在了{wrote}年",
    "whole_year": "年份疑误：本报告为{year}年度，“全年”却写成了{wrote}年",
    "report": "年份疑误：本报告为{year}年度，此处写成了{wrote}年度",
    "deadline": "时限疑误：本报告为{year}年度，截止或完成时限却写成了{wrote}年",
}


def year_findings(text: str, ignored: list[Ignored], year: int | None, layout: Layout) -> dict[int, NumberFinding]:
    """Position in `ignored` → a `stale` finding, for every year that places the work in another year."""
    if not year:
        return {}
    found: dict[int, NumberFinding] = {}
    for position, item in enumerate(ignored):
        claim = year_claim(text, item, layout.cell_at(item.start) is not None)
        if claim is None or claim.year == year:
            continue
        if claim.kind == "deadline" and claim.year > year:
            continue  # a later deadline: the report is written the next year, plans run on
        if claim.year > year and is_future(text, item.start, year, include_own_year=False):
            continue  # a plan year
        message = _MESSAGES[claim.kind].format(year=year, wrote=claim.year)
        found[position] = NumberFinding(item.start, item.end, item.text, "stale", value=Decimal(claim.year),
                                        unit="年", expected=f"{year}年", message=message, label=YEAR_LABEL,
                                        reason=None)
    return found


__all__ = ["YEAR_LABEL", "YearClaim", "year_claim", "year_findings"]
