"""jixiao generate DATA -o OUT.docx [--drafter template|carry_forward|llm] [--previous REPORT] [--text OUT.txt]
[--checklist OUT.txt] [--json]."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import (
    EXIT_ATTENTION,
    EXIT_CLEAN,
    identity_json,
    print_json,
    status,
    summary,
    write_text_atomically,
)
from assistant.model.errors import InputError


def register(commands) -> None:
    parser = commands.add_parser("generate", help="生成自评报告及附件1、附件2（.docx）")
    parser.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    parser.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")
    parser.add_argument("--drafter", default="template", choices=["template", "carry_forward", "llm"],
                        help="起草方式：template 离线模板；carry_forward 沿用上一年度报告并换成本年数字；"
                             "llm 大模型起草并逐个核对数字（未配置大模型时由离线模板起草）")
    parser.add_argument("--previous", help="上一年度的报告（.docx / .txt / .md），供 carry_forward 和 llm 使用；默认在语料库中查找")
    parser.add_argument("--text", help="同时输出纯文本")
    parser.add_argument("--checklist", help="同时输出待办清单（纯文本）：数据检查错误、〔待补〕/〔待核〕等未解决事项，不写入报告正文")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.pipeline import generate
    from assistant.render.docx_writer import write_docx
    from assistant.render.text import document_text

    output = Path(args.output)
    if output.suffix.lower() != ".docx":
        raise InputError(f"输出文件应以 .docx 结尾：{output}")
    package = generate(args.data, drafter=args.drafter, previous=args.previous)
    text = document_text(package.document)
    write_docx(package.document, output)
    if args.text:
        write_text_atomically(Path(args.text), text)
    placeholders = sorted({line for line in text.splitlines() if "〔待补" in line or "〔待核" in line})
    findings = package.figures.findings
    if args.checklist:
        write_text_atomically(Path(args.checklist), _checklist(package, findings))
    if args.json:
        print_json({
            **identity_json(package.figures.data), "output": str(output), "text": args.text,
            "drafter": package.draft.drafter, "sections": [s.title for s in package.draft.sections],
            "drafted_by": package.draft.drafted_by, "notes": package.draft.notes,
            "findings": [f.to_json() for f in findings], "summary": summary(findings),
            "placeholders": placeholders, "checklist": args.checklist,
        })
    else:
        print(f"已生成：{output}（起草方式：{package.draft.drafter}）")
        for note in package.draft.notes:
            print(f"注意：{note}")
        if args.text:
            print(f"纯文本：{args.text}")
        if args.checklist:
            print(f"待办清单：{args.checklist}")
        if findings:
            counts = summary(findings)
            print(f"数据检查：错误 {counts['error']} 处、提示 {counts['warning']} 处，"
                  f"查看：jixiao validate {args.data}")
        if placeholders:
            print(f"报告中有 {len(placeholders)} 处〔待补〕/〔待核〕内容需要补充")
    return EXIT_ATTENTION if placeholders or status(findings) else EXIT_CLEAN


def _checklist(package, findings) -> str:
    from assistant.drafting.markup import plain_text
    from assistant.drafting.template_drafter import MARK
    from assistant.render.checklist import OpenItem, checklist_text, rule_items

    items = rule_items(findings)
    for section in package.draft.sections:
        items += [OpenItem("mark", section.title, mark) for mark in MARK.findall(plain_text(section.blocks))]
    return checklist_text(package.draft.title, items, [f for f in findings if f.severity == "warning"])
