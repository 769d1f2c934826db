"""jixiao chat DATA --section KIND [-m 要求 …] [--history]: revise one section in conversation.

The report (department × year of DATA) lives in the store (docs/store.md), so the conversation and
every version survive between runs and are the same ones the web app shows. Without `-m`, requests
are read line by line from the terminal (an empty line or 退出 ends). The reply streams as it comes;
each successful turn is a new version of the section.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from assistant.cli.common import EXIT_ATTENTION, EXIT_CLEAN
from assistant.model.errors import InputError

QUIT_WORDS = ("", "退出", "再见", "quit", "exit")


def register(commands) -> None:
    parser = commands.add_parser("chat", help="与助手对话，逐节修改报告（每轮保存为新版本）")
    parser.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    parser.add_argument("--section", required=True, help="章节，如 plans（下一步工作计划）、basic_spending（三公经费）；"
                                                          "用 --section list 查看全部")
    parser.add_argument("-m", "--message", action="append", default=[], help="修改要求（可多次给出，依次执行）")
    parser.add_argument("--history", action="store_true", help="显示本节的对话记录和版本")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.drafting.conversation import ReportSession, unit_kinds
    from assistant.drafting.sections import numbered_titles
    from assistant.store import Store, StoreError

    titles = numbered_titles()
    if args.section == "list":
        for kind in unit_kinds():
            print(f"{kind}\t{titles.get(kind, '报告开头')}")
        return EXIT_CLEAN
    if args.section not in unit_kinds():
        raise InputError(f"没有名为“{args.section}”的章节；用 jixiao chat {args.data} --section list 查看可选章节")
    try:
        with Store.open() as store:
            session = ReportSession.open(store, _stored_report(store, Path(args.data)), searcher=_searcher())
            return _converse(session, args, titles.get(args.section, "报告开头"))
    except StoreError as error:
        raise InputError(error.message) from None


def _converse(session, args: argparse.Namespace, title: str) -> int:
    kind = args.section
    if args.history:
        _print_history(session, kind)
        return EXIT_CLEAN
    current = session.ensure_section(kind)
    model = "大模型" if session.model_available else "未配置大模型（只能重新起草或直接编辑）"
    print(f"【{title}】当前为第{current.number}版（{model}）")
    print(_shown(session, current.text))
    messages = args.message or _typed_messages()
    status = EXIT_CLEAN
    for message in messages:
        print(f"\n> {message}")
        shown = ShownStream(sys.stdout)
        turn = session.chat(kind, message, on_text=shown.feed)
        shown.close()
        print()
        if turn.ok:
            print(f"—— {turn.reply.content}")
            status = EXIT_ATTENTION if turn.result and turn.result.marked else status
        else:
            print(f"—— {turn.reply.content}", file=sys.stderr)
            status = EXIT_ATTENTION
    return status


def _stored_report(store, path: Path) -> int:
    """The report of DATA's department and year, with DATA saved as a new data version when it differs
    from the stored one."""
    from assistant.figures.computable import checked_text
    from assistant.model.load import load

    data = load(path)
    text = checked_text(data)  # nothing is stored that the report pages could not build
    department = store.ensure_department(data.identity.name, data.identity.county)
    report = store.ensure_report(department.id, data.identity.year)
    latest = store.latest_data(report.id)
    if latest is None or latest.text != text:
        store.save_data(report.id, text, "yaml", note=f"jixiao chat 读入 {path.name}")
    return report.id


def _searcher():
    from assistant.pipeline import corpus_searcher
    from assistant.settings import get_settings

    settings = get_settings()
    return corpus_searcher(settings) if settings.llm_configured else None


def _typed_messages():
    while True:
        try:
            line = input("\n请输入修改要求（直接回车结束）：").strip()
        except EOFError:
            return
        if line in QUIT_WORDS:
            return
        yield line


class ShownStream:
    """Writes a streamed reply as a reader sees it: a heading's `#2 ` is left out and a table line
    shows its caption, so each line start is held back until it is known not to be markup."""

    def __init__(self, out) -> None:
        self.out, self.line = out, ""  # `line`: the start of the current line, not yet written
        self.at_start = True

    def feed(self, text: str) -> None:
        for char in text:
            if not self.at_start:
                self.out.write(char)
                self.at_start = char == "\n"
                continue
            self.line += char
            table = self.line.startswith("@")  # a table line is held whole, then shown by its caption
            if char == "\n" or (not table and (len(self.line) >= 3 or self.line[0] != "#")):
                self._release()
        self.out.flush()

    def close(self) -> None:
        self._release()
        self.out.flush()

    def _release(self) -> None:
        line, self.line = self.line, ""
        line = _MARKUP_START.sub("", line)
        table = _TABLE_LINE.match(line)
        if table:
            line = f"［表格：{table.group(2) or table.group(1)}］" + ("\n" if line.endswith("\n") else "")
        self.out.write(line)
        self.at_start = line.endswith("\n") or not line


_MARKUP_START = re.compile(r"^#[1-4] ")
_TABLE_LINE = re.compile(r"^@table\s+(\S+?)(?:\|(.*?))?\s*$")


def _shown(session, markup: str) -> str:
    from assistant.drafting.markup import parse_blocks, plain_text

    return plain_text(parse_blocks(markup))


def _print_history(session, kind: str) -> None:
    store, report_id = session.store, session.report_id
    speaker = {"user": "工作人员", "assistant": "助手", "note": "提示"}
    for message in store.messages(report_id, kind):
        flag = "（未完成：" + (message.error or "") + "）" if message.status == "failed" else ""
        print(f"[{message.created_at:%Y-%m-%d %H:%M}] {speaker[message.role]}：{message.content}{flag}")
    for version in store.section_history(report_id, kind):
        print(f"第{version.number}版  {version.created_at:%Y-%m-%d %H:%M}  来源：{version.source}  起草：{version.drafter}")
