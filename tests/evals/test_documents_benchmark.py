"""The document-reader benchmark (evals/documents_benchmark.py) runs on the development set and finds
everything the manifest names (the .pdf/.doc members are left out here: tests/model/test_documents.py
reads them)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.documents_benchmark import main  # noqa: E402


def test_the_development_set_reads_completely(capsys):
    assert main(["--no-convert"]) == 0
    printed = capsys.readouterr().out
    assert "held-out:" in printed and "hengshan-guantang-2023" in printed
