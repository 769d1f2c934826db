"""Section markup: the plain-text form of a section's blocks, shared by the templates, the LLM drafter,
the conversation service and the store (a stored section version is its markup).

* ``#2 text`` / ``#3 text`` / ``#4 text`` — a heading of that level; the text carries its own number
  ("（一）…", "1.…", "（1）…").
* ``@table name|caption`` — a `TableRef` (the caption is optional: ``@table name``).
* any other non-blank line — text of the current paragraph. Consecutive text lines are joined with
  no separator (Chinese has no spaces between words), so a template may write one clause per line.
* a blank line, a heading or a table line ends the paragraph.

`to_markup(parse_blocks(m))` is `m` normalised; `parse_blocks(to_markup(blocks)) == blocks`.
"""

from __future__ import annotations

import re

from assistant.drafting.draft import Block, Heading, Paragraph, TableRef

_HEADING = re.compile(r"^#([1-4])\s+(.*)$")
_TABLE = re.compile(r"^@table\s+([A-Za-z0-9_]+)\s*(?:\|(.*))?$")


def parse_blocks(text: str) -> list[Block]:
    """Markup → blocks (see the module docstring)."""
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(Paragraph("".join(current)))
            current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(Heading(int(heading.group(1)), heading.group(2).strip()))
            continue
        table = _TABLE.match(line)
        if table:
            flush()
            caption = (table.group(2) or "").strip() or None
            blocks.append(TableRef(table.group(1), caption))
            continue
        current.append(line)
    flush()
    return blocks


def to_markup(blocks: list[Block]) -> str:
    """Blocks → markup, one block per line group, separated by blank lines."""
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(f"#{block.level} {block.text}")
        elif isinstance(block, TableRef):
            lines.append(f"@table {block.name}" + (f"|{block.caption}" if block.caption else ""))
        else:
            lines.append(block.text)
    return "\n\n".join(lines) + ("\n" if lines else "")


def plain_text(blocks: list[Block]) -> str:
    """What a reader sees of the blocks (headings and paragraphs, tables left out), one per line: the
    text the checker reads for a section."""
    return "\n".join(block.text for block in blocks if not isinstance(block, TableRef))
