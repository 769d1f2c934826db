"""jixiao template xlsx -o 模板.xlsx [--from DATA]: the Excel workbook users fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_CLEAN
from assistant.model.errors import InputError


def register(commands) -> None:
    parser = commands.add_parser("template", help="下载数据填报模板")
    parser.add_argument("kind", choices=["xlsx"], help="模板类型")
    parser.add_argument("-o", "--output", required=True, help="输出文件，如 模板.xlsx")
    parser.add_argument("--from", dest="source", help="用已有数据文件预先填好模板")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.model.excel import write_workbook
    from assistant.model.load import load

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError(f"模板文件应以 .xlsx 结尾：{output}")
    data = load(args.source) if args.source else None
    write_workbook(output, data)
    print(f"已生成填报模板：{output}")
    return EXIT_CLEAN
