"""A self-contained HTML page of a checked draft: the text with every number coloured by its status and
its evidence on hover (fact label, formula, inputs, source, expected). No scripts, no external files;
every piece of text is escaped.

(Lives in checking/ for now; a later render/ stage may take it over.)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from assistant.checking.findings import (
    CHECK_NAMES,
    STATUS_NAMES,
    STATUSES,
    NumberFinding,
    counts,
    relation_counts,
)
from assistant.figures.ledger import Ledger

_CSS = """
body { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; margin: 2em auto; max-width: 60em;
       line-height: 1.9; color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
.summary span { display: inline-block; margin-right: 1.2em; }
.draft { white-space: pre-wrap; tab-size: 4; border-top: 1px solid #ccc; padding-top: 1em; }
.n { position: relative; border-radius: 3px; padding: 0 1px; cursor: help; }
.n.verified { background: #d9f2d9; }
.n.mismatch { background: #f8c9c4; outline: 1px solid #c0392b; }
.n.stale { background: #fde3b5; outline: 1px solid #d68910; }
.n.unsupported { background: #fff3a8; outline: 1px dashed #b7950b; }
.n.ignored { color: #777; background: #eee; }
.n.target { background: #dde8fa; outline: 1px dotted #2e5c9a; }
.n.rel-mismatch { text-decoration: underline wavy #c0392b; }
.n .tip { display: none; position: absolute; left: 0; top: 1.8em; z-index: 10; min-width: 22em; max-width: 36em;
          background: #fff; border: 1px solid #999; box-shadow: 0 2px 6px rgba(0,0,0,.2); padding: .5em .8em;
          font-size: .85em; line-height: 1.6; white-space: normal; color: #222; font-weight: normal; }
.n:hover .tip, .n:focus .tip { display: block; }
.tip b { color: #555; font-weight: normal; }
.legend span { margin-right: 1em; padding: 0 .4em; }
table.findings { border-collapse: collapse; font-size: .9em; }
table.findings td, table.findings th { border: 1px solid #ccc; padding: .2em .5em; vertical-align: top; }
"""


def render_html(text: str, findings: Sequence[NumberFinding], *, title: str = "数字核对结果",
                ledger: Ledger | None = None) -> str:
    numbers = sorted((f for f in findings if f.check == "number"), key=lambda f: (f.start, -f.end))
    relations = [f for f in findings if f.check != "number"]
    # A relation's verdict is shown on each number it involves.
    attached: dict[tuple[int, int], list[NumberFinding]] = {}
    for relation in relations:
        for span in relation.related:
            attached.setdefault(tuple(span), []).append(relation)
    body: list[str] = []
    cursor = 0
    for finding in numbers:
        if finding.start < cursor:  # overlapping spans cannot nest: keep the first
            continue
        body.append(escape(text[cursor:finding.start]))
        body.append(_mark(text, finding, attached.get((finding.start, finding.end), []), ledger))
        cursor = finding.end
    body.append(escape(text[cursor:]))
    number_counts, relation_totals = counts(list(findings)), relation_counts(list(findings))
    summary = "".join(f'<span class="n {status}">{STATUS_NAMES[status]} {number_counts[status]}</span>'
                      for status in STATUSES)
    relation_summary = "、".join(f"{STATUS_NAMES[s]} {relation_totals[s]}" for s in ("verified", "mismatch")
                                if relation_totals[s])
    attention = [f for f in findings if f.needs_attention]
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        f"<h1>{escape(title)}</h1>\n",
        f'<p class="summary">{summary}</p>\n',
        f"<p>勾稽关系：{escape(relation_summary) if relation_summary else '无'}</p>\n" if relations else "",
        "<p>将鼠标移到数字上查看依据（台账数据、公式、来源）。</p>\n",
        '<div class="draft">', "".join(body), "</div>\n",
        _attention_table(text, attention) if attention else "<h2>需要处理的问题</h2><p>无。</p>\n",
        "</body>\n</html>\n",
    ])


def _mark(text: str, finding: NumberFinding, relations: list[NumberFinding], ledger: Ledger | None) -> str:
    classes = ["n", finding.status]
    if any(r.status == "mismatch" for r in relations):
        classes.append("rel-mismatch")
    tip = _tip(finding, relations, ledger)
    return (f'<span class="{" ".join(classes)}" tabindex="0">{escape(text[finding.start:finding.end])}'
            f'<span class="tip">{tip}</span></span>')


def _tip(finding: NumberFinding, relations: list[NumberFinding], ledger: Ledger | None) -> str:
    rows = [f"<b>结论：</b>{escape(STATUS_NAMES[finding.status])}", f"<b>说明：</b>{escape(finding.message)}"]
    if finding.label:
        rows.append(f"<b>台账数据：</b>{escape(finding.label)}（{escape(finding.fact or '')}）")
    if finding.expected:
        rows.append(f"<b>台账数值：</b>{escape(finding.expected)}")
    if finding.formula:
        rows.append(f"<b>公式：</b>{escape(finding.formula)}")
    if finding.inputs:
        shown = []
        for key in finding.inputs:
            fact = ledger.get(key) if ledger is not None else None
            shown.append(f"{fact.label} {fact.display}" if fact is not None else key)
        rows.append(f"<b>计算依据：</b>{escape('；'.join(shown))}")
    if finding.source:
        rows.append(f"<b>来源：</b>{escape(finding.source)}")
    if finding.reason:
        rows.append(f"<b>原因：</b>{escape(finding.reason)}")
    for relation in relations:
        rows.append(f"<b>{escape(CHECK_NAMES.get(relation.check, relation.check))}：</b>"
                    f"{escape(STATUS_NAMES[relation.status])}，{escape(relation.message)}")
    return "<br>".join(rows)


def _attention_table(text: str, findings: list[NumberFinding]) -> str:
    rows = []
    for finding in findings:
        line = text.count("\n", 0, finding.start) + 1
        rows.append(
            f"<tr><td>{line}</td><td>{escape(STATUS_NAMES[finding.status])}</td>"
            f"<td>{escape(CHECK_NAMES.get(finding.check, finding.check))}</td>"
            f"<td>{escape(finding.text)}</td><td>{escape(finding.expected or '')}</td>"
            f"<td>{escape(finding.message)}</td></tr>"
        )
    return ("<h2>需要处理的问题</h2>\n<table class=\"findings\"><tr><th>行</th><th>结论</th><th>核对</th>"
            "<th>原文</th><th>台账/计算</th><th>说明</th></tr>\n" + "\n".join(rows) + "</table>\n")
