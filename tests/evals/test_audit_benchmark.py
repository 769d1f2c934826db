"""The audit benchmark (evals/audit/benchmark.py): the manifest points at real places of its documents,
and a run on the development set meets the issue's targets (the clean set is skipped here: the seed and
the generated packages are pinned in tests/cli/test_audit.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.audit.benchmark import DOCUMENTS, expected_spans, judge, main  # noqa: E402


def test_every_expected_inconsistency_points_at_its_document():
    manifest = yaml.safe_load((DOCUMENTS / "manifest.yaml").read_text(encoding="utf-8"))
    held_out = [entry for entry in manifest["documents"] if entry.get("tuned") is False]
    assert len(held_out) * 4 >= len(manifest["documents"])  # about a third held out
    for entry in manifest["documents"]:
        text = (DOCUMENTS / entry["file"]).read_text(encoding="utf-8")
        assert len(expected_spans(text, entry.get("expected") or [])) == len(entry.get("expected") or [])


def test_a_wrong_sum_is_found_and_nothing_else(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_text("本项目完成预算资金89.97万元。其中：30万元用于编制；30万元用于审计；29.99万元用于设计。\n",
                        encoding="utf-8")
    result = judge(document, [{"kind": "sum", "at": "89.97万元"}], tuned=False)
    assert (result.refused, result.found, result.false_alarms, result.verified_errors) == (None, 1, [], [])
    clean = judge(document, [], tuned=False)
    assert len(clean.false_alarms) == 1  # the same finding, unexpected, is a false alarm


def test_the_development_set_meets_the_targets(capsys):
    assert main(["--no-clean"]) == 0
    printed = capsys.readouterr().out
    assert "留出集（held-out）" in printed and "目标：全部达到" in printed
