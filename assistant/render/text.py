"""Plain-text rendering of a Document (for `--text`, diffs and the number checker).

Tables become one line per row with cells separated by tabs; a merged cell appears once.
"""

from __future__ import annotations

from assistant.render import document as doc


def document_text(document: doc.Document) -> str:
    lines = [document.title.replace("\n", ""), ""]
    lines += _blocks(document.blocks)
    for attachment in document.attachments:
        lines += ["", attachment.label, attachment.title]
        lines += _blocks(attachment.blocks)
        lines += list(attachment.notes)
    return "\n".join(lines) + "\n"


def _blocks(blocks) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, doc.Table):
            if block.caption:
                lines.append(block.caption)
            for row in block.rows:
                lines.append("\t".join(cell.text.replace("\n", "") for cell in row if cell is not None))
        elif isinstance(block, (doc.Heading, doc.Paragraph)):
            lines.append(block.text)
    return lines
