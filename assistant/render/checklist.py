"""The checklist of open items: what a report still needs before it is submitted, kept out of the
department's text. The web app shows it as a page (/reports/{id}/checklist); `jixiao generate
--checklist FILE` writes it as plain text next to the .docx.

Three kinds of open item, in this order:
- rule: a data-check finding of severity error (R01–R17, D…);
- number: a number of the text the checker could not verify (不一致, 疑为旧数, 无依据);
- mark: a 〔待补：…〕 or 〔待核：…〕 left in the text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from assistant.figures.findings import Finding

KIND_LABELS = {"rule": "数据检查错误", "number": "未核实的数字", "mark": "待补/待核内容"}


@dataclass(frozen=True)
class OpenItem:
    kind: str  # rule | number | mark
    where: str  # the section's title, or the form location of a data finding
    text: str
    url: str = ""  # where to fix it (web app)
    rule: str = ""

    def to_json(self) -> dict:
        return asdict(self) | {"kind_label": KIND_LABELS[self.kind]}


def rule_items(findings, url_of=lambda finding: "") -> list[OpenItem]:
    return [OpenItem("rule", f.location, f.message, url_of(f), f.rule) for f in findings if f.severity == "error"]


def counts(items: list[OpenItem]) -> dict[str, int]:
    found = {kind: 0 for kind in KIND_LABELS}
    for item in items:
        found[item.kind] += 1
    return found


def summary_line(items: list[OpenItem]) -> str:
    """未解决事项N项（数据检查错误a、未核实的数字b、待补/待核内容c）, or 没有未解决的事项."""
    if not items:
        return "没有未解决的事项"
    parts = "、".join(f"{KIND_LABELS[kind]}{n}" for kind, n in counts(items).items() if n)
    return f"未解决事项{len(items)}项（{parts}）"


def checklist_text(title: str, items: list[OpenItem], warnings: list[Finding]) -> str:
    """The checklist as plain text, one item a line, grouped by kind."""
    lines = [f"{title} · 待办清单", summary_line(items) + "。这些事项不写入报告正文。", ""]
    for kind, label in KIND_LABELS.items():
        group = [item for item in items if item.kind == kind]
        if group:
            lines.append(f"{label}（{len(group)}）")
            lines += [f"{n}. {item.where}：{item.rule + ' ' if item.rule else ''}{item.text}"
                      for n, item in enumerate(group, start=1)]
            lines.append("")
    if warnings:
        lines.append(f"数据检查提示（{len(warnings)}，请核对或在报告中说明）")
        lines += [f"{n}. {f.location}：{f.rule} {f.message}" for n, f in enumerate(warnings, start=1)]
        lines.append("")
    return "\n".join(lines)
