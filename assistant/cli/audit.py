"""jixiao audit REPORT(.docx|.txt|.md) [--json] [--html OUT.html]: a finished report checked against itself.

The report's own tables become the data (`read_report`) and the ledger (`build_ledger`); then
- the form rules (R01–R17 and the completeness rules) run on that data,
- the computed cells the tables print (比上年增减, 规模控制率, 总分的分值) are recomputed (rule A01), the
  years of the form headers are checked (A02), a missing form is one finding (A03),
- the number checker reads the narrative (the text outside the forms) against the ledger.

In an audit most numbers of the text have no table behind them (基金总收入, 参保人数 …). Those are not
inconsistencies: they are listed as “无表格来源、未核对” (informational). The same holds for a number
that is itself the source of a fact (the reader took 会议费 16730元 from that very sentence). The
checker runs with `complete_ledger=False`: a number whose words do not clearly name a table fact and
whose value does not resemble it is unsupported there, not a mismatch.
Inconsistencies are: rule findings (error / warning), A01–A03, and the checker's mismatch and stale
verdicts, failed arithmetic inside the text included. See docs/audit.md.

Exit status: 0 no inconsistency, 1 inconsistencies found, 2 unusable input.
"""

from __future__ import annotations

import argparse
import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.cli.common import (
    EXIT_ATTENTION,
    EXIT_CLEAN,
    SEVERITY_NAMES,
    print_json,
    write_text_atomically,
)
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.model.errors import InputError

# Statuses of the checker that mean the text disagrees with the tables (or with itself).
INCONSISTENT = frozenset({"mismatch", "stale"})
UNCHECKED = "unchecked"  # audit-only status: 无表格来源、未核对
UNCHECKED_TEXT = "无表格来源、未核对"
# Input facts the reader takes from the narrative itself (干职工人数, 会议费, 接待批次, the projects' 支出):
# a number bound to one of them is its own source. Derived facts (会议费比上年增减 …) are real checks.
TEXT_SOURCED_PREFIXES = ("personnel.", "meeting_fee.", "training_fee.", "sangong.reception_", "project.")


def register(commands) -> None:
    parser = commands.add_parser("audit", help="审核已完成的报告：以报告自身的表格核对表内勾稽与正文数字")
    parser.add_argument("report", help="报告文件（.docx / .pdf / .doc / .wps / .txt / .md）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--html", help="输出 HTML：正文中的数字按核对结果着色，悬停显示依据")
    from assistant.cli.import_report import add_identity_options

    add_identity_options(parser)
    parser.set_defaults(handler=run)


@dataclass
class Audit:
    """One report checked against itself."""

    contents: Any  # ReportContents
    ledger: Ledger
    findings: list[Finding]  # form rules and A01–A03, in form order
    numbers: list[dict] = field(default_factory=list)  # checker findings as JSON, audit statuses applied

    @property
    def inconsistent_numbers(self) -> list[dict]:
        return [number for number in self.numbers if number["status"] in INCONSISTENT]

    @property
    def unchecked_numbers(self) -> list[dict]:
        return [number for number in self.numbers if number["status"] == UNCHECKED]

    @property
    def inconsistent_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity in ("error", "warning")]

    def exit_status(self) -> int:
        return EXIT_ATTENTION if self.inconsistent_findings or self.inconsistent_numbers else EXIT_CLEAN

    def summary(self) -> dict:
        severities = Counter(finding.severity for finding in self.findings)
        statuses = Counter(number["status"] for number in self.numbers)
        return {
            "forms": list(self.contents.forms),
            "rules": {name: severities.get(name, 0) for name in ("error", "warning", "info")},
            "numbers": {name: statuses.get(name, 0) for name in
                        ("verified", "mismatch", "stale", UNCHECKED, "ignored")},
            "inconsistencies": len(self.inconsistent_findings) + len(self.inconsistent_numbers),
            "unchecked": len(self.unchecked_numbers),
            "notes": list(self.contents.notes),
        }

    def to_json(self) -> dict:
        identity = self.contents.data.identity if self.contents.data is not None else None
        return {
            "department": identity.name if identity else None, "county": identity.county if identity else None,
            "year": identity.year if identity else None,
            "report": str(self.contents.path),
            "findings": [finding.to_json() for finding in self.findings],
            "numbers": self.numbers,
            "summary": self.summary(),
        }


def audit_report(path: str | Path, year: int | None = None, department: str | None = None) -> Audit:
    """Read a finished report and check it against its own tables (no I/O beyond reading it)."""
    from assistant.figures.build import build_ledger
    from assistant.figures.rules import check_data
    from assistant.model.report_reader import read_report

    contents = read_report(path, year=year, department=department)
    if contents.data is None:  # no year anywhere: no ledger to check the tables against, the text only
        ledger, findings = Ledger(), []
    else:
        ledger = build_ledger(contents.data)
        findings = (check_data(contents.data, ledger) + header_year_findings(contents)
                    + stated_cell_findings(contents, ledger))
        findings = missing_form_findings(contents, findings)
    findings.sort(key=_section)  # stable: the rules' own form order within each part
    audit = Audit(contents, ledger, findings)
    audit.numbers = check_numbers(contents, ledger)
    return audit


def missing_form_findings(contents, findings: list[Finding]) -> list[Finding]:
    """A report without 附件1 (or 附件2): one finding saying so (A03) instead of one per blank cell."""
    from assistant.model.report_reader import FORM_ASSESSMENT, FORM_BASIC

    kept = list(findings)
    if FORM_BASIC not in contents.forms and FORM_ASSESSMENT not in contents.forms:
        return kept  # not a 部门整体支出 package (a 三公 explanation, a project form, text alone)
    for form, label in ((FORM_BASIC, "附件1"), (FORM_ASSESSMENT, "附件2")):
        if form in contents.forms:
            continue
        kept = [finding for finding in kept if not finding.location.startswith(label)]
        kept.append(Finding(
            rule="A03", severity="warning", location=label, path="basic_data" if label == "附件1" else "self_assessment",
            message=f"报告中未找到{form.replace(' ', '')}（按表头识别），无法核对{label}各项及其与正文的一致性；"
                    f"{label}是自评材料的必备附件。", topic="资料完整性",
        ))
    return kept


def _section(finding: Finding) -> int:
    """Identity first, then 附件1, 附件2, then the report text and its 三公 table."""
    if finding.location.startswith("附件1"):
        return 1
    if finding.location.startswith("附件2"):
        return 2
    return 0 if finding.path.startswith("identity") else 3


# -- A02: years printed in form headers ------------------------------------------------------------------

def header_year_findings(contents) -> list[Finding]:
    """A form header naming the wrong year ("2023年实际在职人数" on the 2024 form)."""
    year = contents.data.identity.year
    findings = []
    for header in contents.header_years:
        expected = year + header.offset
        if header.year == expected:
            continue
        findings.append(Finding(
            rule="A02", severity="warning", location=header.location, path="identity.year",
            message=f"表头写作“{header.text}”，而本表是{year}年度的表，该栏应为{expected}年的数；请核对表头年份"
                    "与所填数字是哪一年的。", topic="数据一致性",
        ))
    return findings


# -- A01: computed cells the tables print ------------------------------------------------------------------

def stated_cell_findings(contents, ledger: Ledger) -> list[Finding]:
    """A table cell that prints a computed figure (比上年增减 …) against the figure recomputed from its
    row, at the decimals the cell was written with."""
    from assistant.figures.numbers import decimals_of, format_number, quantize

    findings = []
    for cell in contents.stated_cells:
        fact = ledger.get(cell.key)
        if fact is None or fact.value is None:
            continue
        places = decimals_of(cell.value)
        if quantize(fact.value, places) == cell.value:
            continue
        inputs = "、".join(f"{ledger[key].label}{ledger[key].display}" for key in fact.inputs if key in ledger)
        expected = format_number(fact.value, max(places, fact.precision)) + ("%" if fact.unit == "%" else "")
        findings.append(Finding(
            rule="A01", severity="error", location=cell.location, path=cell.key,
            message=f"表中填写“{cell.text}”，按{fact.formula or '计算'}（{inputs}）应为{expected}。",
            facts=(fact.key, *fact.inputs), topic="数据一致性",
        ))
    return findings


# -- the narrative -------------------------------------------------------------------------------------------

def check_numbers(contents, ledger: Ledger) -> list[dict]:
    """The checker's findings on the narrative, as JSON, with audit statuses and original offsets."""
    from assistant.checking.check import check_text

    numbers = []
    for finding in check_text(contents.narrative, ledger, complete_ledger=False):
        item = finding.to_json()
        item["checker_status"] = item["status"]
        fact = item.get("fact")
        if item["status"] == "unsupported":
            item["status"] = UNCHECKED
            item["note"] = UNCHECKED_TEXT
        elif item["status"] == "verified" and _text_sourced(ledger, fact):
            item["status"] = UNCHECKED
            item["note"] = "无表格来源、未核对（该数字即从这句正文读取）"
        begin, end = contents.original_span(item["start"], item["end"])
        item["original_start"], item["original_end"] = begin, end
        item["line"] = contents.original.count("\n", 0, begin) + 1
        numbers.append(item)
    return numbers


def _text_sourced(ledger: Ledger, key: str | None) -> bool:
    fact = ledger.get(key) if key else None
    return fact is not None and fact.kind == "input" and key.startswith(TEXT_SOURCED_PREFIXES)


# -- output ---------------------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    if args.html and Path(args.html).suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"HTML 输出文件应以 .html 结尾：{args.html}")
    audit = audit_report(args.report, year=getattr(args, "year", None), department=getattr(args, "department", None))
    if args.html:
        write_text_atomically(Path(args.html), audit_html(audit))
    if args.json:
        print_json(audit.to_json())
    else:
        print_audit(audit)
        if args.html:
            print(f"HTML：{args.html}")
    return audit.exit_status()


def _heading(audit: Audit) -> str:
    identity = audit.contents.data.identity if audit.contents.data is not None else None
    return f"{identity.name} {identity.year}年度" if identity else audit.contents.path.name


def print_audit(audit: Audit) -> None:
    forms = "、".join(audit.contents.forms) or "正文文字"
    print(f"审核：{_heading(audit)}（读取了{forms}）")
    print(f"一、表格数据检查（{len(audit.findings)}处）")
    for finding in audit.findings:
        print(f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule} {finding.location}：{finding.message}")
    wrong = audit.inconsistent_numbers
    print(f"二、正文数字与表格不一致（{len(wrong)}处）")
    for number in wrong:
        print(f"[{STATUS_NAMES[number['status']]}] 第{number['line']}行“{number['text']}”：{number['message']}")
    unchecked = audit.unchecked_numbers
    verified = sum(1 for number in audit.numbers if number["status"] == "verified")
    print(f"三、正文数字：与表格一致{verified}个；{UNCHECKED_TEXT}{len(unchecked)}个"
          + (f"（如{'、'.join(n['text'] for n in unchecked[:5])}；用 --json 查看全部）" if unchecked else ""))
    for note in audit.contents.notes:
        print(f"[读取说明] {note}")
    count = len(audit.inconsistent_findings) + len(wrong)
    print(f"结论：发现{count}处需要核对的问题。" if count else "结论：未发现不一致。")


_SEVERITY_ORDER = ("mismatch", "stale", UNCHECKED, "verified", "ignored")
STATUS_NAMES = {"verified": "一致", "mismatch": "不一致", "stale": "沿用旧数", UNCHECKED: "未核对", "ignored": "非数据"}
STATUS_COLOURS = {"verified": "#d7f5dd", "mismatch": "#ffd6d6", "stale": "#ffe7c2", UNCHECKED: "#eeeeee",
                  "ignored": "transparent"}


def audit_html(audit: Audit) -> str:
    """The narrative with every number coloured by its audit status and its evidence on hover; the table
    findings above it. A span with several findings (a number and the arithmetic it takes part in) shows
    its worst status and all the evidence. All text is escaped."""
    text = audit.contents.narrative
    spans: dict[tuple[int, int], list[dict]] = {}
    for number in audit.numbers:
        if number.get("check", "number") == "number":
            spans.setdefault((number["start"], number["end"]), []).append(number)
    for relation in (n for n in audit.numbers if n.get("check", "number") != "number"):
        # Arithmetic of the text: its evidence goes on every number it relates.
        inside = [span for span in spans if relation["start"] <= span[0] and span[1] <= relation["end"]]
        inside += [tuple(span) for span in relation.get("related") or [] if tuple(span) in spans]
        for span in set(inside) or {(relation["start"], relation["end"])}:
            spans.setdefault(span, []).append(relation)
    pieces, position = [], 0
    for (start, end), found in sorted(spans.items()):
        if start < position or end <= start:
            continue
        worst = min(found, key=lambda n: _SEVERITY_ORDER.index(n["status"]) if n["status"] in _SEVERITY_ORDER
                    else len(_SEVERITY_ORDER))
        evidence = []
        for number in found:
            parts = [STATUS_NAMES.get(number["status"], number["status"]), number.get("note") or number.get("message") or ""]
            if number.get("fact"):
                source = number.get("source")
                parts.append(f"依据：{number['fact']}" + (f"（{source}）" if source and source != "计算" else ""))
            evidence.append("，".join(part for part in parts if part))
        pieces.append(html.escape(text[position:start]))
        pieces.append(
            f'<span class="n {html.escape(worst["status"])}" title="{html.escape(" ｜ ".join(evidence))}">'
            f"{html.escape(text[start:end])}</span>")
        position = end
    pieces.append(html.escape(text[position:]))
    title = html.escape(f"{_heading(audit)}报告审核")
    rows = "".join(
        f"<li class=\"{html.escape(f.severity)}\">[{html.escape(SEVERITY_NAMES[f.severity])}] {html.escape(f.rule)} "
        f"{html.escape(f.location)}：{html.escape(f.message)}</li>" for f in audit.findings)
    styles = "".join(f".n.{name}{{background:{colour}}}" for name, colour in STATUS_COLOURS.items())
    legend = "".join(f'<span class="n {name}">{html.escape(label)}</span> ' for name, label in STATUS_NAMES.items())
    return (
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}"
        f"pre{{white-space:pre-wrap;line-height:1.8}}.n{{padding:0 2px;border-radius:3px}}"
        f".error{{color:#a00}}.warning{{color:#a60}}{styles}</style></head><body>"
        f"<h1>{title}</h1><h2>表格数据检查</h2><ul>{rows or '<li>未发现问题</li>'}</ul>"
        f"<h2>正文数字</h2><p>{legend}</p><pre>{''.join(pieces)}</pre></body></html>\n"
    )
