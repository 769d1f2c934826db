"""jixiao check DATA DRAFT(.txt|.md|.docx) [--json] [--html OUT.html]: every number of a draft
verified against the data's fact ledger."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import (
    EXIT_ATTENTION,
    EXIT_CLEAN,
    identity_json,
    print_json,
    write_text_atomically,
)
from assistant.model.errors import InputError


def register(commands) -> None:
    parser = commands.add_parser("check", help="核对草稿中的每个数字（与数据台账比对）")
    parser.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    parser.add_argument("draft", help="要核对的草稿（.txt / .md / .docx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--html", help="另存一份带颜色标注的 HTML 页面")
    parser.add_argument("--marks", help="标注文件（YAML 列表，每项“数字”“理由”，可加“前文”）：这些数字不是数据声明，不核对")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.checking import (
        check_text,
        counts,
        is_clean,
        read_draft,
        relation_counts,
        render_html,
    )
    from assistant.pipeline import compute

    if args.html and Path(args.html).suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"HTML 输出文件应以 .html 结尾：{args.html}")
    figures = compute(args.data)
    text = read_draft(args.draft)
    if not text.strip():
        raise InputError(f"草稿中没有文字：{args.draft}")
    marks = _marks(args.marks) if args.marks else []
    findings = check_text(text, figures.ledger, marks=marks)
    if args.html:
        title = f"{figures.data.identity.name}{figures.data.identity.year}年度 数字核对结果"
        write_text_atomically(Path(args.html), render_html(text, findings, title=title, ledger=figures.ledger))
    clean = is_clean(findings)
    if args.json:
        print_json({
            **identity_json(figures.data), "draft": str(args.draft), "html": args.html,
            "characters": len(text), "summary": counts(findings), "relations": relation_counts(findings),
            "clean": clean, "findings": [finding.to_json() for finding in findings],
        })
    else:
        _print_summary(text, findings, args)
    return EXIT_CLEAN if clean else EXIT_ATTENTION


def _marks(path: str):
    from assistant.checking.marks import marks_from_yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError(f"无法读取标注文件（应为 UTF-8 的 YAML）：{path}") from None
    return marks_from_yaml(text, path)


def _print_summary(text: str, findings, args) -> None:
    from assistant.checking import STATUS_NAMES, counts, relation_counts
    from assistant.checking.findings import CHECK_NAMES

    number_counts = counts(findings)
    total = sum(number_counts.values())
    if total == 0:
        print(f"草稿 {args.draft} 中没有找到数字。")
        return
    parts = "，".join(f"{STATUS_NAMES[status]} {count}" for status, count in number_counts.items())
    print(f"共找到 {total} 处数字：{parts}。")
    relations = relation_counts(findings)
    if relations["verified"] or relations["mismatch"]:
        print(f"勾稽关系 {relations['verified'] + relations['mismatch']} 处：一致 {relations['verified']}，"
              f"不一致 {relations['mismatch']}。")
    attention = [f for f in findings if f.needs_attention]
    if not attention:
        print("所有数字均与数据一致（或不属于数据声明）。")
    for finding in attention:
        line_start = text.rfind("\n", 0, finding.start) + 1
        line_end = text.find("\n", finding.end)
        line_end = len(text) if line_end < 0 else line_end
        line_number = text.count("\n", 0, finding.start) + 1
        left = text[max(line_start, finding.start - 20):finding.start].replace("\t", " ")
        right = text[finding.end:min(line_end, finding.end + 12)].replace("\t", " ")
        kind = "" if finding.check == "number" else f"〔{CHECK_NAMES[finding.check]}〕"
        print(f"[{STATUS_NAMES[finding.status]}]{kind} 第{line_number}行 “…{left}【{finding.text}】{right}…”：{finding.message}")
    if args.html:
        print(f"HTML 页面：{args.html}")
