from pathlib import Path

import pytest

from assistant.figures.build import build_ledger
from assistant.model.load import load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "taojiang-rsj-2024.yaml"


@pytest.fixture(scope="session")
def example_data():
    return load(EXAMPLE)


@pytest.fixture(scope="session")
def example_ledger(example_data):
    return build_ledger(example_data)
