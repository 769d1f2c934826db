"""Command line: a stable contract that tests and benchmarks call (docs/architecture.md, "The command line").

Each command lives in its own module with `register(commands)` and `run(args)`; this module parses,
dispatches and turns unusable input into one Chinese line on stderr.
Exit status: 0 clean, 1 findings that need attention, 2 unusable input.
"""

from __future__ import annotations

import argparse
import re
import sys

from assistant.cli import audit, chat, check, db, figures, generate, import_report, ingest, search, serve, template, validate
from assistant.cli.common import EXIT_UNUSABLE
from assistant.model.errors import InputError

COMMANDS = (figures, validate, generate, template, check, import_report, audit, ingest, search, chat, db, serve)


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese, and usage errors exit with status 2 like any unusable input."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "用法：", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        help_command = " ".join(["jixiao", *self.prog.split()[1:], "-h"])
        self.exit(EXIT_UNUSABLE, f"jixiao：命令参数有误（{_in_chinese(message)}）。用 {help_command} 查看用法。\n")


# argparse's own messages, in Chinese (pattern → template).
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)"), "参数 {0} 的取值“{1}”无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '?([^']*)'?"), "参数 {0} 的值“{2}”格式不对"),
)


def _in_chinese(message: str) -> str:
    for pattern, wording in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return wording.format(*match.groups())
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="部门整体支出绩效自评报告助手")
    commands = parser.add_subparsers(title="命令", parser_class=_Parser)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
        print(f"jixiao：无法写入或读取文件 {error.filename or ''}（{_os_reason(error)}）", file=sys.stderr)
        return EXIT_UNUSABLE


def _os_reason(error: OSError) -> str:
    reasons = {13: "没有权限", 2: "路径不存在", 21: "这是一个文件夹", 28: "磁盘空间不足", 30: "只读文件系统"}
    return reasons.get(error.errno or 0, error.strerror or "系统错误")
