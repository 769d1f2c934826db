"""Command line: a stable contract that tests and benchmarks call (DESIGN.md "Command line").

Exit status: 0 clean, 1 findings that need attention, 2 unusable input (a Chinese message on stderr).
`--json` prints exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from assistant.model.errors import InputError

EXIT_CLEAN, EXIT_ATTENTION, EXIT_UNUSABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese, and usage errors exit with status 2 like any unusable input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNUSABLE, f"jixiao：命令参数有误（{message}）。用 jixiao {self.prog.split()[-1]} -h 查看用法。\n")


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return args.handler(args)
    except InputError as error:
        print(f"jixiao：{error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as error:
        target = error.filename or ""
        print(f"jixiao：无法写入或读取文件 {target}（{_os_reason(error)}）", file=sys.stderr)
        return EXIT_UNUSABLE


def _os_reason(error: OSError) -> str:
    reasons = {13: "没有权限", 2: "路径不存在", 21: "这是一个文件夹", 28: "磁盘空间不足", 30: "只读文件系统"}
    return reasons.get(error.errno or 0, error.strerror or "系统错误")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="部门整体支出绩效自评报告助手")
    commands = parser.add_subparsers(title="命令", parser_class=_Parser)

    figures = commands.add_parser("figures", help="列出数据台账：每个数字及其来源、公式")
    figures.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    figures.add_argument("--json", action="store_true", help="以 JSON 输出")
    figures.set_defaults(handler=_figures)

    validate = commands.add_parser("validate", help="检查数据：录入错误与表内勾稽关系")
    validate.add_argument("data")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(handler=_validate)

    generate = commands.add_parser("generate", help="生成自评报告及附件1、附件2（.docx）")
    generate.add_argument("data")
    generate.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")
    generate.add_argument("--drafter", default="template", choices=["template"], help="起草方式（离线模板）")
    generate.add_argument("--text", help="同时输出纯文本")
    generate.add_argument("--json", action="store_true")
    generate.set_defaults(handler=_generate)

    template = commands.add_parser("template", help="下载数据填报模板")
    template.add_argument("kind", choices=["xlsx"], help="模板类型")
    template.add_argument("-o", "--output", required=True, help="输出文件，如 模板.xlsx")
    template.add_argument("--from", dest="source", help="用已有数据文件预先填好模板")
    template.set_defaults(handler=_template)
    return parser


def _print_json(document: object) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _figures(args: argparse.Namespace) -> int:
    from assistant.pipeline import compute

    result = compute(args.data)
    if args.json:
        _print_json({**_identity_json(result.data), "facts": result.ledger.to_json()})
        return EXIT_CLEAN
    for fact in result.ledger:
        formula = f"  = {fact.formula}" if fact.formula else ""
        print(f"{fact.key}\t{fact.label}\t{fact.display}\t[{fact.source}]{formula}")
    return EXIT_CLEAN


def _validate(args: argparse.Namespace) -> int:
    from assistant.pipeline import compute

    result = compute(args.data)
    findings = result.findings
    if args.json:
        _print_json({**_identity_json(result.data), "findings": [f.to_json() for f in findings],
                     "summary": _summary(findings)})
    else:
        _print_findings(findings)
    return _status(findings)


def _generate(args: argparse.Namespace) -> int:
    from assistant.pipeline import generate
    from assistant.render.docx_writer import write_docx
    from assistant.render.text import document_text

    output = Path(args.output)
    if output.suffix.lower() != ".docx":
        raise InputError(f"输出文件应以 .docx 结尾：{output}")
    package = generate(args.data, drafter=args.drafter)
    text = document_text(package.document)
    write_docx(package.document, output)
    if args.text:
        _write_text_atomically(Path(args.text), text)
    placeholders = sorted({line for line in text.splitlines() if "〔待补" in line or "〔待核" in line})
    findings = package.figures.findings
    if args.json:
        _print_json({
            **_identity_json(package.figures.data), "output": str(output), "text": args.text,
            "drafter": package.draft.drafter, "sections": [s.title for s in package.draft.sections],
            "findings": [f.to_json() for f in findings], "summary": _summary(findings),
            "placeholders": placeholders,
        })
    else:
        print(f"已生成：{output}（起草方式：{package.draft.drafter}）")
        if args.text:
            print(f"纯文本：{args.text}")
        if findings:
            print(f"数据检查发现 {len(findings)} 处问题，详见 jixiao validate {args.data}")
        if placeholders:
            print(f"报告中有 {len(placeholders)} 处〔待补〕/〔待核〕内容需要补充")
    return EXIT_ATTENTION if placeholders or _status(findings) else EXIT_CLEAN


def _template(args: argparse.Namespace) -> int:
    from assistant.model.excel import write_workbook
    from assistant.model.load import load

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError(f"模板文件应以 .xlsx 结尾：{output}")
    data = load(args.source) if args.source else None
    write_workbook(output, data)
    print(f"已生成填报模板：{output}")
    return EXIT_CLEAN


def _identity_json(data) -> dict:
    return {"department": data.identity.name, "county": data.identity.county, "year": data.identity.year}


def _summary(findings) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def _status(findings) -> int:
    return EXIT_ATTENTION if any(f.severity in {"error", "warning"} for f in findings) else EXIT_CLEAN


SEVERITY_NAMES = {"error": "错误", "warning": "提示", "info": "说明"}


def _print_findings(findings) -> None:
    if not findings:
        print("未发现问题。")
        return
    for finding in findings:
        print(f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule} {finding.location}：{finding.message}")
    summary = _summary(findings)
    print(f"共 {len(findings)} 处：错误 {summary['error']}，提示 {summary['warning']}，说明 {summary['info']}。")


def _write_text_atomically(path: Path, text: str) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".jixiao-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
