"""One document audited against itself: its forms (when it has them) and its text's own arithmetic.

`audit_document(path)`:
1. the report reader (assistant/model/report_reader.py, on the one document reader) reads the document:
   blocks, tables recovered from any layout, forms recognised; an unreadable file is an `InputError`
   (exit 2), nothing else is;
2. with forms (附件1 / 附件2 / the 三公 table) and a year, they become the data and the ledger: the form
   rules R01–R17 and the completeness rules run, the computed cells the tables print are recomputed
   (A01), the header years checked (A02), a missing 附件 is one finding (A03);
3. otherwise (no forms, no year, or table figures the data model refuses) the text alone, with an
   empty ledger; the notes say why: a reviewer's document is never refused for its shape;
4. the text (the narrative outside the forms) is read by the number checker with
   `complete_ledger=False` and by the text audit (text.py, lists.py, slots.py).

A number nothing in the document explains is `unchecked` (“无表格来源、未核对”), never a mismatch; a
number a relation of the text holds is `verified` by that relation. Inconsistencies: rule findings of
severity error or warning, and every mismatch or stale finding (a number or a relation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.audit.figures import figures
from assistant.audit.slots import slot_findings
from assistant.audit.source import read_text
from assistant.audit.text import text_relations
from assistant.audit.unwrap import unwrap
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.model.errors import InputError

INCONSISTENT = frozenset({"mismatch", "stale"})
UNCHECKED = "unchecked"  # audit-only status: 无表格来源、未核对
UNCHECKED_TEXT = "无表格来源、未核对"
BY_RELATION = "与正文中的算式一致（{formula}）"
# Input facts the reader takes from the narrative itself (干职工人数, 会议费, 接待批次, the projects' 支出):
# a number bound to one of them is its own source. Derived facts (会议费比上年增减 …) are real checks.
TEXT_SOURCED_PREFIXES = ("personnel.", "meeting_fee.", "training_fee.", "sangong.reception_", "project.")
NUMBER_STATUSES = ("verified", "mismatch", "stale", UNCHECKED, "ignored")


@dataclass
class Audit:
    """One document checked against itself."""

    path: Path
    department: str | None
    county: str | None
    year: int | None
    mode: str  # "forms": its tables were read; "text": the text alone
    text: str  # what the numbers' start/end refer to (the narrative, or the whole text)
    original: str  # the document as read; original_start/original_end refer to it
    forms: tuple[str, ...] = ()
    tables: int = 0  # tables recovered from the document
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # form rules and A01–A03, in form order
    numbers: list[dict] = field(default_factory=list)  # number and relation findings, audit statuses applied

    @property
    def inconsistent_numbers(self) -> list[dict]:
        return [number for number in self.numbers if number["status"] in INCONSISTENT]

    @property
    def unchecked_numbers(self) -> list[dict]:
        return [number for number in self.numbers if number["status"] == UNCHECKED]

    @property
    def inconsistent_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity in ("error", "warning")]

    @property
    def inconsistencies(self) -> int:
        return len(self.inconsistent_findings) + len(self.inconsistent_numbers)

    def number_counts(self) -> dict[str, int]:
        """Numbers (not relations) per status; a number a failed relation involves counts as flagged."""
        flagged_spans = {tuple(span) for item in self.inconsistent_numbers for span in item.get("related") or
                         [[item["start"], item["end"]]]}
        counts = Counter()
        for item in self.numbers:
            if item.get("check", "number") != "number":
                continue
            status = item["status"]
            if status not in INCONSISTENT and (item["start"], item["end"]) in flagged_spans:
                status = "mismatch"
            counts[status] += 1
        counts["mismatch"] += sum(1 for item in self.numbers if item.get("check") in ("blank", "malformed"))
        return {name: counts.get(name, 0) for name in NUMBER_STATUSES}

    def kind_counts(self) -> dict[str, int]:
        """Inconsistencies by kind: rule ids for the tables, the check for numbers and relations."""
        kinds = Counter(finding.rule for finding in self.inconsistent_findings)
        kinds.update(item.get("check", "number") for item in self.inconsistent_numbers)
        return dict(sorted(kinds.items()))

    def summary(self) -> dict:
        severities = Counter(finding.severity for finding in self.findings)
        statuses = Counter(number["status"] for number in self.numbers)
        return {
            "mode": self.mode,
            "forms": list(self.forms),
            "tables": self.tables,
            "rules": {name: severities.get(name, 0) for name in ("error", "warning", "info")},
            "numbers": {name: statuses.get(name, 0) for name in NUMBER_STATUSES},
            "inconsistencies": self.inconsistencies,
            "unchecked": len(self.unchecked_numbers),
            "kinds": self.kind_counts(),
            "notes": list(self.notes),
        }

    def exit_status(self) -> int:
        from assistant.cli.common import EXIT_ATTENTION, EXIT_CLEAN

        return EXIT_ATTENTION if self.inconsistencies else EXIT_CLEAN

    def to_json(self) -> dict:
        return {
            "department": self.department, "county": self.county, "year": self.year,
            "report": str(self.path), "mode": self.mode,
            "findings": [finding.to_json() for finding in self.findings],
            "numbers": self.numbers,
            "summary": self.summary(),
        }


def audit_document(path: str | Path, *, year: int | None = None, department: str | None = None) -> Audit:
    """Read a finished document and check it against itself (no I/O beyond reading it). `year` and
    `department` fill in what the document does not say (the report reader's options)."""
    from assistant.model.report_reader import read_report

    path = Path(path)
    try:
        contents = read_report(path, year=year, department=department)
    except InputError as refusal:  # unreadable, or tables whose figures the data model refuses
        try:
            text = read_text(path)
        except InputError:
            raise refusal from None  # unreadable: the reader's own message
        return _text_audit(path, text, str(refusal))
    if contents.data is not None and contents.forms:
        return _forms_audit(contents)
    return _text_audit(path, contents.original, None, contents)  # no form: its tables are text too


def _forms_audit(contents) -> Audit:
    from assistant.figures.build import build_ledger
    from assistant.figures.rules import check_data

    ledger = build_ledger(contents.data)
    findings = (check_data(contents.data, ledger) + header_year_findings(contents)
                + stated_cell_findings(contents, ledger))
    findings = missing_form_findings(contents, findings)
    findings.sort(key=_section)  # stable: the rules' own form order within each part
    identity = contents.data.identity
    audit = Audit(contents.path, identity.name, identity.county, identity.year, "forms", contents.narrative,
                  contents.original, tuple(contents.forms), _tables(contents), list(contents.notes), findings)
    audit.numbers = audit_numbers(contents.narrative, ledger, contents.original_span, contents.original)
    return audit


def _text_audit(path: Path, text: str, refusal: str | None, contents=None) -> Audit:
    """The text alone: no forms were found (or their figures could not be used, `refusal`)."""
    identity = contents.data.identity if contents is not None and contents.data is not None else None
    notes = list(contents.notes) if contents is not None else []
    if refusal is not None:
        reason = refusal.split("：", 1)[-1] if refusal.startswith(path.name) else refusal
        notes.append(f"未按附件表格审核（{reason}），只核对正文自身的数字与算式")
    original = contents.original if contents is not None else text
    audit = Audit(path, identity.name if identity else None, identity.county if identity else None,
                  identity.year if identity else None, "text", text, original,
                  tables=_tables(contents) if contents is not None else 0, notes=notes)
    document = contents.document if contents is not None else None
    tables = [(block.start, block.end) for block in document.tables()] if document is not None else []
    span = lambda start, end: (start, end)  # noqa: E731 - the identity map
    if document is not None and document.kind == "pdf":
        text, span = unwrap(text)  # page-width line breaks would cut figures from their units
        audit.text = text
        tables = []
    audit.numbers = audit_numbers(text, Ledger(), span, original, tables)
    return audit


def _tables(contents) -> int:
    document = getattr(contents, "document", None)
    return len(document.tables()) if document is not None else len(contents.forms)


def missing_form_findings(contents, findings: list[Finding]) -> list[Finding]:
    """A report without 附件1 (or 附件2): one finding saying so (A03) instead of one per blank cell."""
    from assistant.model.report_reader import FORM_ASSESSMENT, FORM_BASIC

    kept = list(findings)
    if FORM_BASIC not in contents.forms and FORM_ASSESSMENT not in contents.forms:
        # Not a 部门整体支出 package (a 三公 table, a project form): nothing is missing, and the rules'
        # findings on 附件1/附件2 cells speak of forms this document never had.
        return [finding for finding in kept if not finding.location.startswith(("附件1", "附件2"))]
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


# -- the text ------------------------------------------------------------------------------------------------

def audit_numbers(text: str, ledger: Ledger, original_span: Callable[[int, int], tuple[int, int]],
                  original: str, tables: Sequence[tuple[int, int]] = ()) -> list[dict]:
    """Every number of `text` and every relation between them, as JSON with audit statuses, evidence and
    offsets into the original document. `tables`: spans of `text` the reader recovered as tables, whose
    cells may run together as written (年度资金总额194.9194.9100%): no malformed number there."""
    from assistant.checking.check import check_text

    slots = [item for item in slot_findings(text) if item["check"] != "malformed"
             or not any(start <= item["start"] < end for start, end in tables)]
    mangled = [(item["start"], item["end"]) for item in slots]
    items = []
    for finding in check_text(text, ledger, complete_ledger=False):
        item = finding.to_json()
        if any(start < item["end"] and item["start"] < end for start, end in mangled):
            continue  # the digits of a malformed number or a slot: the slot finding speaks for them
        item["checker_status"] = item["status"]
        if item["status"] == "unsupported":
            item["status"], item["note"] = UNCHECKED, UNCHECKED_TEXT
        elif item["status"] == "target":  # a plan or target: no table of the report states its own
            item["status"], item["note"] = UNCHECKED, f"{UNCHECKED_TEXT}（计划或目标值）"
        elif item["status"] == "verified" and item["check"] == "number" and _text_sourced(ledger, item.get("fact")):
            item["status"], item["note"] = UNCHECKED, "无表格来源、未核对（该数字即从这句正文读取）"
        if item["check"] != "number":
            item["evidence"] = [_span_evidence(text, start, end) for start, end in item.get("related") or ()]
        items.append(item)
    checker_relations = [item for item in items if item["check"] != "number"]
    known_totals = {item["related"][0][0] for item in checker_relations if item["check"] == "sum" and item["related"]}
    settled = {tuple(item["related"][-1 if item["check"] != "sum" else 0]) for item in checker_relations
               if item["status"] == "verified" and item["related"]}
    for extra in text_relations(text, figures(text), known_totals):
        judged = (extra["evidence"][-1] if extra["check"] in ("share", "rate") else extra["evidence"][0])
        if extra["status"] != "verified" and (judged["start"], judged["end"]) in settled:
            continue  # the checker's own arithmetic already explains this number
        items.append(extra)
    items += slots
    _verified_by_relations(items)
    for item in items:
        begin, end = original_span(item["start"], item["end"])
        item["original_start"], item["original_end"] = begin, end
        item["line"] = original.count("\n", 0, begin) + 1
        for evidence in item.get("evidence") or ():
            e_begin, e_end = original_span(evidence["start"], evidence["end"])
            evidence["original_start"], evidence["original_end"] = e_begin, e_end
            evidence["line"] = original.count("\n", 0, e_begin) + 1
    items.sort(key=lambda item: (item["start"], item.get("check", "number") != "number", item["end"]))
    return items


def _verified_by_relations(items: list[dict]) -> None:
    """An unchecked number that a holding relation of the text involves is verified by it."""
    holding: dict[tuple[int, int], dict] = {}
    for item in items:
        if item.get("check", "number") != "number" and item["status"] == "verified":
            for span in item.get("related") or ():
                holding.setdefault(tuple(span), item)
    for item in items:
        relation = holding.get((item["start"], item["end"]))
        if item.get("check", "number") == "number" and item["status"] == UNCHECKED and relation is not None:
            item["status"] = "verified"
            item["note"] = BY_RELATION.format(formula=relation.get("formula") or relation.get("message"))


def _span_evidence(text: str, start: int, end: int) -> dict:
    return {"text": text[start:end], "start": start, "end": end, "role": "", "label": "",
            "line": text.count("\n", 0, start) + 1}


def _text_sourced(ledger: Ledger, key: str | None) -> bool:
    fact = ledger.get(key) if key else None
    return fact is not None and fact.kind == "input" and key.startswith(TEXT_SOURCED_PREFIXES)
