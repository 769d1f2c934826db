"""An audit as one self-contained HTML page: the findings, then the text with every number coloured by
its status and its evidence on hover. All text is escaped; no script."""

from __future__ import annotations

import html

from assistant.audit.report import UNCHECKED, Audit

SEVERITY_ORDER = ("mismatch", "stale", UNCHECKED, "verified", "ignored")
STATUS_NAMES = {"verified": "一致", "mismatch": "不一致", "stale": "沿用旧数", UNCHECKED: "未核对", "ignored": "非数据"}
STATUS_COLOURS = {"verified": "#d7f5dd", "mismatch": "#ffd6d6", "stale": "#ffe7c2", UNCHECKED: "#eeeeee",
                  "ignored": "transparent"}
CHECK_NAMES = {"number": "数字", "sum": "其中合计", "closed_sum": "分项合计", "phase_sum": "分批合计",
               "difference": "增减额", "percent": "增减率", "direction": "增减方向", "ratio": "比率",
               "rate": "执行率等比率", "share": "占比", "list_sum": "并列各项合计", "identity_sum": "收支构成合计",
               "bound": "得分与分值", "restated": "前后不一致",
               "blank": "空白未填", "malformed": "数字格式错误"}


def worst(found: list[dict]) -> dict:
    return min(found, key=lambda n: SEVERITY_ORDER.index(n["status"]) if n["status"] in SEVERITY_ORDER
               else len(SEVERITY_ORDER))


def marked_spans(audit: Audit) -> list[tuple[int, int, list[dict]]]:
    """(start, end, findings) of `audit.text`, in order and without overlaps: every number with its own
    finding and the relations it takes part in (a relation's evidence goes on each of its numbers)."""
    spans: dict[tuple[int, int], list[dict]] = {}
    for number in audit.numbers:
        if number.get("check", "number") == "number":
            spans.setdefault((number["start"], number["end"]), []).append(number)
    for relation in (n for n in audit.numbers if n.get("check", "number") != "number"):
        inside = [tuple(span) for span in relation.get("related") or [] if tuple(span) in spans]
        for span in set(inside) or {(relation["start"], relation["end"])}:
            spans.setdefault(span, []).append(relation)
    result, position = [], 0
    for (start, end), found in sorted(spans.items()):
        if start < position or end <= start:
            continue
        result.append((start, end, found))
        position = end
    return result


def evidence_text(number: dict) -> str:
    parts = [STATUS_NAMES.get(number["status"], number["status"]), number.get("note") or number.get("message") or ""]
    if number.get("fact"):
        source = number.get("source")
        parts.append(f"依据：{number['fact']}" + (f"（{source}）" if source and source not in ("计算", "正文") else ""))
    return "，".join(part for part in parts if part)


def audit_html(audit: Audit) -> str:
    from assistant.cli.common import SEVERITY_NAMES  # the CLI package imports this module

    text = audit.text
    pieces, position = [], 0
    for start, end, found in marked_spans(audit):
        evidence = " ｜ ".join(evidence_text(number) for number in found)
        pieces.append(html.escape(text[position:start]))
        pieces.append(f'<span class="n {html.escape(worst(found)["status"])}" title="{html.escape(evidence)}">'
                      f"{html.escape(text[start:end])}</span>")
        position = end
    pieces.append(html.escape(text[position:]))
    title = html.escape(f"{audit.department or audit.path.name} {audit.year or ''}年度报告审核")
    rows = "".join(
        f"<li class=\"{html.escape(f.severity)}\">[{html.escape(SEVERITY_NAMES[f.severity])}] {html.escape(f.rule)} "
        f"{html.escape(f.location)}：{html.escape(f.message)}</li>" for f in audit.findings)
    rows += "".join(
        f"<li class=\"error\">[{html.escape(CHECK_NAMES.get(n.get('check', 'number'), ''))}] 第{n['line']}行"
        f"“{html.escape(n['text'][:40])}”：{html.escape(n['message'] or '')}</li>" for n in audit.inconsistent_numbers)
    styles = "".join(f".n.{name}{{background:{colour}}}" for name, colour in STATUS_COLOURS.items())
    legend = "".join(f'<span class="n {name}">{html.escape(label)}</span> ' for name, label in STATUS_NAMES.items())
    return (
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}"
        f"pre{{white-space:pre-wrap;line-height:1.8}}.n{{padding:0 2px;border-radius:3px}}"
        f".error{{color:#a00}}.warning{{color:#a60}}{styles}</style></head><body>"
        f"<h1>{title}</h1><h2>发现的问题</h2><ul>{rows or '<li>未发现问题</li>'}</ul>"
        f"<h2>正文数字</h2><p>{legend}</p><pre>{''.join(pieces)}</pre></body></html>\n"
    )

