"""jixiao audit REPORT|DIR [--json] [--html OUT.html] [--xlsx 汇总.xlsx]: finished documents checked against
themselves (assistant/audit; docs/audit.md).

A file: its forms (when it has them) through the form rules and the checker, its text through its own
arithmetic; printed, or as JSON / HTML. A folder: every .docx/.pdf/.doc/.wps/.txt/.md in it, with a progress bar on
stderr, and with --xlsx one workbook (a summary row per document, a sheet per document).

Exit status: 0 no inconsistency, 1 inconsistencies found, 2 unusable input (a folder: 2 only when no
document in it could be read).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.audit.html import CHECK_NAMES, STATUS_NAMES, audit_html
from assistant.audit.report import UNCHECKED_TEXT, Audit, audit_document
from assistant.cli.import_report import add_identity_options
from assistant.cli.common import (
    EXIT_ATTENTION,
    EXIT_CLEAN,
    EXIT_UNUSABLE,
    SEVERITY_NAMES,
    print_json,
    write_text_atomically,
)
from assistant.model.errors import InputError

BAR_WIDTH = 24


def register(commands) -> None:
    parser = commands.add_parser("audit", help="审核已完成的报告：表内勾稽、正文数字与正文自身的算式")
    parser.add_argument("report", help="报告文件（.docx / .pdf / .doc / .wps / .txt / .md），或含多份报告的文件夹")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--html", help="输出 HTML：正文中的数字按核对结果着色，悬停显示依据（单个文件）")
    parser.add_argument("--xlsx", help="审核文件夹时输出汇总工作簿（.xlsx）：每份报告一行，另每份一张工作表")
    add_identity_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.html and Path(args.html).suffix.lower() not in {".html", ".htm"}:
        raise InputError(f"HTML 输出文件应以 .html 结尾：{args.html}")
    if args.xlsx and Path(args.xlsx).suffix.lower() != ".xlsx":
        raise InputError(f"汇总工作簿应以 .xlsx 结尾：{args.xlsx}")
    target = Path(args.report)
    if target.is_dir():
        return run_folder(target, args)
    if args.xlsx:
        raise InputError("--xlsx 用于审核整个文件夹，请指定文件夹")
    audit = audit_document(target, year=args.year, department=args.department)
    if args.html:
        write_text_atomically(Path(args.html), audit_html(audit))
    if args.json:
        print_json(audit.to_json())
    else:
        print_audit(audit)
        if args.html:
            print(f"HTML：{args.html}")
    return audit.exit_status()


def run_folder(folder: Path, args: argparse.Namespace) -> int:
    from assistant.audit.workbook import audit_folder, documents_in, write_workbook

    if args.html:
        raise InputError("--html 用于单个文件；审核文件夹请用 --xlsx")
    paths = documents_in(folder)
    if not paths:
        raise InputError(f"文件夹中没有可审核的报告（.docx、.pdf、.doc、.wps、.txt、.md）：{folder}")
    if args.xlsx and not Path(args.xlsx).resolve().parent.is_dir():
        raise InputError(f"输出位置的文件夹不存在：{Path(args.xlsx).parent}")
    entries = audit_folder(paths, progress=_progress)
    sys.stderr.write("\n")
    if args.xlsx:
        write_workbook(entries, Path(args.xlsx))
    if args.json:
        print_json([entry.audit.to_json() if entry.audit else {"report": str(entry.path), "refused": entry.refusal}
                    for entry in entries])
    else:
        for entry in entries:
            if entry.audit is None:
                print(f"{entry.path.name}：无法读取（{entry.refusal}）")
            else:
                audit = entry.audit
                print(f"{entry.path.name}：{audit.department or '（单位未识别）'} {audit.year or ''}，"
                      f"{'表格＋正文' if audit.mode == 'forms' else '仅正文'}，发现{audit.inconsistencies}处需要核对的问题")
        if args.xlsx:
            print(f"汇总工作簿：{args.xlsx}")
    readable = [entry for entry in entries if entry.audit is not None]
    if not readable:
        return EXIT_UNUSABLE
    return EXIT_ATTENTION if any(entry.audit.inconsistencies for entry in readable) or len(readable) < len(entries) \
        else EXIT_CLEAN


def _progress(number: int, total: int, path: Path) -> None:
    done = BAR_WIDTH * number // total
    sys.stderr.write(f"\r审核中 [{'#' * done}{'.' * (BAR_WIDTH - done)}] {number}/{total} {path.name[:30]}\033[K")
    sys.stderr.flush()


def print_audit(audit: Audit) -> None:
    how = f"读取了{'、'.join(audit.forms)}" if audit.forms else "未识别出附件表格，只核对正文"
    print(f"审核：{audit.department or audit.path.name} {audit.year or ''}年度（{how}）")
    print(f"一、表格数据检查（{len(audit.findings)}处）")
    for finding in audit.findings:
        print(f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule} {finding.location}：{finding.message}")
    wrong = audit.inconsistent_numbers
    print(f"二、正文数字与表格或正文自身不一致（{len(wrong)}处）")
    for number in wrong:
        kind = CHECK_NAMES.get(number.get("check", "number"), "")
        print(f"[{STATUS_NAMES[number['status']]}·{kind}] 第{number['line']}行“{number['text'][:40].replace(chr(10), ' ')}”：{number['message']}")
    unchecked = audit.unchecked_numbers
    verified = sum(1 for number in audit.numbers if number["status"] == "verified" and number.get("check") == "number")
    print(f"三、正文数字：核对一致{verified}个；{UNCHECKED_TEXT}{len(unchecked)}个"
          + (f"（如{'、'.join(n['text'] for n in unchecked[:5])}；用 --json 查看全部）" if unchecked else ""))
    for note in audit.notes:
        print(f"[读取说明] {note}")
    count = audit.inconsistencies
    print(f"结论：发现{count}处需要核对的问题。" if count else "结论：未发现不一致。")
