"""jixiao validate DATA [--json]: input errors and form inconsistencies."""

from __future__ import annotations

import argparse

from assistant.cli.common import identity_json, print_findings, print_json, status, summary


def register(commands) -> None:
    parser = commands.add_parser("validate", help="检查数据：录入错误与表内勾稽关系")
    parser.add_argument("data", help="数据文件（.yaml / .json / .xlsx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.pipeline import compute

    result = compute(args.data)
    findings = result.findings
    if args.json:
        print_json({**identity_json(result.data), "findings": [f.to_json() for f in findings],
                    "summary": summary(findings)})
    else:
        print_findings(findings)
    return status(findings)
