"""A report's data as stored text: YAML in the format of examples/*.yaml.

Every upload (YAML, JSON, Excel, a finished report's .docx) and every form save becomes a
`DepartmentYear`, then this YAML text, which the store keeps as a data version. Decimals are written
exactly as held (172.40 stays 172.40), by the same dumper `jixiao import` uses.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.cli.import_report import _Dumper, _shape  # the project's one Decimal-preserving YAML dumper
from assistant.model.errors import InputError
from assistant.model.load import _parse_yaml, from_mapping
from assistant.model.schema import DepartmentYear

FORMAT = "yaml"


def dump_data(data: DepartmentYear) -> str:
    """The YAML text of `data` (block style, money rows on one line, no float anywhere)."""
    return yaml.dump(_shape(data.model_dump()), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=4096, default_flow_style=False)


def load_data(text: str, source_name: str = "数据") -> DepartmentYear:
    """Parse stored or uploaded YAML text; errors are `InputError` naming the line or the field."""
    raw = _parse_yaml(text, Path(source_name))
    return from_mapping(raw, source_name)

