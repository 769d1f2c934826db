"""The package as pyproject.toml builds it: every code package listed, the shipped folders found."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

from assistant.resources import EXAMPLES, PROMPTS, TEMPLATES, demo_example, shipped

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_package_of_the_code_and_the_shipped_folders():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    code = set(find_packages(str(ROOT), include=["assistant*"]))
    assert set(setuptools["packages"]) == code | {TEMPLATES, PROMPTS, EXAMPLES}
    assert setuptools["package-dir"] == {TEMPLATES: "templates", PROMPTS: "prompts", EXAMPLES: "examples"}


def test_templates_prompts_static_files_and_the_example_are_found_as_package_resources():
    assert (shipped(TEMPLATES, "web") / "base.html").is_file()
    assert (shipped(TEMPLATES, "report") / "plans.j2").is_file()
    assert (shipped(PROMPTS) / "rules.txt").is_file()
    assert (shipped("assistant.web", "static") / "chat.js").is_file()
    assert demo_example().name == "taojiang-rsj-2024.yaml" and demo_example().is_file()
