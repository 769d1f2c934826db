"""Auditing a finished document against itself (`jixiao audit`, the reviewer's web page).

A package of its own because three front ends share it (the CLI, the folder summary, the web app) and
because the text audit is more than the checker: figures (figures.py), the text's own arithmetic
(text.py), blank slots and malformed numbers (slots.py), the orchestration with the form rules
(report.py), the HTML view (html.py) and the workbook of a folder (workbook.py). See docs/audit.md.
"""

from assistant.audit.report import INCONSISTENT, UNCHECKED, UNCHECKED_TEXT, Audit, audit_document

__all__ = ["INCONSISTENT", "UNCHECKED", "UNCHECKED_TEXT", "Audit", "audit_document"]
