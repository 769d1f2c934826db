"""jixiao figures DATA [--json]: the ledger, with sources and formulas."""

from __future__ import annotations

import argparse

from assistant.cli.common import EXIT_CLEAN, identity_json, print_json


def register(commands) -> None:
    parser = commands.add_parser("figures", help="列出数据台账：每个数字及其来源、公式")
    parser.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.pipeline import compute

    result = compute(args.data)
    if args.json:
        print_json({**identity_json(result.data), "facts": result.ledger.to_json()})
        return EXIT_CLEAN
    for fact in result.ledger:
        formula = f"  = {fact.formula}" if fact.formula else ""
        print(f"{fact.key}\t{fact.label}\t{fact.display}\t[{fact.source}]{formula}")
    return EXIT_CLEAN
