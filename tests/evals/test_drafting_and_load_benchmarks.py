"""The drafting benchmark and the web load benchmark run end to end at a tiny scale (their figures are
read by people; here only that they run and report what they promise)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {key: value for key, value in os.environ.items() if not key.startswith(("JIXIAO_LLM", "OPENAI_"))}


def run(script: str, *args: str, tmp_path: Path) -> dict:
    out = tmp_path / "result.json"
    result = subprocess.run([sys.executable, script, *args, "--json", str(out)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env={**ENV, "JIXIAO_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_drafting_benchmark_reports_every_shipped_number_verified_or_marked(tmp_path):
    result = run("evals/drafting/benchmark.py", "--endpoints", "scripted", "configured",
                 "--datasets", "demo-shuili-2024", "--sections", "budget_execution", "plans", "duties",
                 "--no-exemplars", tmp_path=tmp_path)
    assert {row["kind"] for row in result["rows"]} == {"budget_execution", "plans"}  # duties: never the model's
    summary = result["summary"]["scripted"]
    assert summary["shipped_verified_or_marked_pct"] == 100.0
    assert summary["drafted_by_model"] == 2 and summary["key_facts_covered_pct"] == 100.0


def test_the_load_benchmark_measures_the_report_page_check_and_generate(tmp_path):
    result = run("evals/web/load.py", "--users", "2", "--requests", "2", tmp_path=tmp_path)
    assert result["report page"]["n"] == 2 and result["check"]["n"] == 2
    assert len(result["generate_offline_seconds"]) == 3
