"""Files shipped inside the package, found with importlib.resources: the report and page templates
(`templates/` in the checkout, `assistant._templates` when installed), the prompts, the example data
and the web app's static files. The same code serves an editable install (the checkout's folders)
and a wheel (site-packages); nothing is looked up relative to the working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

TEMPLATES, PROMPTS, EXAMPLES = "assistant._templates", "assistant._prompts", "assistant._examples"


def shipped(package: str, *parts: str) -> Path:
    """A shipped folder or file as a filesystem path (Jinja2's loader and StaticFiles need one; the
    package is installed as plain files, never zipped)."""
    return Path(str(files(package).joinpath(*parts)))


def demo_example() -> Path:
    return shipped(EXAMPLES, "taojiang-rsj-2024.yaml")
