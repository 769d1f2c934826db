"""The clean documents of the benchmark.

(a) For every examples/*.yaml: the template drafter's report (assistant.pipeline.generate, rendered by
    assistant.render.text.document_text). The checked text is the report body, the part before the
    line "附件1"; with `scope="full"` the attachments' tables are kept too.
(b) The seed's own report text: corpus/taojiang-rsj-2024.txt after its YAML front matter, checked
    against examples/taojiang-rsj-2024.yaml (the whole file: its tables come first).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.figures.ledger import Ledger
from assistant.pipeline import compute, generate
from assistant.render.text import document_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEED_TEXT = ROOT / "corpus" / "taojiang-rsj-2024.txt"
SEED_DATA = EXAMPLES / "taojiang-rsj-2024.yaml"
ATTACHMENT_LINE = "\n附件1\n"


@dataclass(frozen=True)
class Source:
    id: str  # e.g. "draft:demo-shuili-2024", "seed:taojiang-rsj-2024"
    text: str
    ledger: Ledger
    path: str


def strip_front_matter(text: str) -> str:
    """The text after a leading "---" … "---" YAML header (unchanged when there is none)."""
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end == -1:
        return text
    rest = text[end + 4:]
    return rest[1:] if rest.startswith("\n") else rest


def report_body(text: str) -> str:
    """The report before its attachments (the line "附件1")."""
    head, sep, _ = text.partition(ATTACHMENT_LINE)
    return head + "\n" if sep else text


def drafts(scope: str = "body", examples: Path = EXAMPLES) -> list[Source]:
    sources = []
    for path in sorted(examples.glob("*.yaml")):
        package = generate(path)
        text = document_text(package.document)
        if scope == "body":
            text = report_body(text)
        sources.append(Source(f"draft:{path.stem}", text, package.figures.ledger, str(path.relative_to(ROOT))))
    return sources


def seed() -> Source:
    text = strip_front_matter(SEED_TEXT.read_text(encoding="utf-8"))
    return Source("seed:taojiang-rsj-2024", text, compute(SEED_DATA).ledger, str(SEED_TEXT.relative_to(ROOT)))


def all_sources(scope: str = "body") -> list[Source]:
    return drafts(scope) + [seed()]
