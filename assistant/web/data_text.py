"""A report's data as stored text: YAML in the format of examples/*.yaml.

Every upload (YAML, JSON, Excel, a finished report's .docx) and every form save becomes a
`DepartmentYear`, then this YAML text, which the store keeps as a data version. Decimals are written
exactly as held (172.40 stays 172.40) by `assistant.model.dump`, the dumper `jixiao import` uses too.
"""

from __future__ import annotations

from assistant.model.dump import dump_yaml
from assistant.model.load import loads
from assistant.model.schema import DepartmentYear

FORMAT = "yaml"


def dump_data(data: DepartmentYear) -> str:
    """The YAML text of `data` (block style, money rows on one line, no float anywhere)."""
    return dump_yaml(data)


def load_data(text: str, source_name: str = "数据") -> DepartmentYear:
    """Parse stored or uploaded YAML text; errors are `InputError` naming the line or the field."""
    return loads(text, ".yaml", source_name)
