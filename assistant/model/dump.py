"""Data as YAML text, in the format of examples/*.yaml: what `jixiao import` writes and what the store
keeps as a data version. Decimals are written exactly as held (172.40 stays 172.40, never a float)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from assistant.model.schema import DepartmentYear

MONEY_KEYS = {"prior_final", "budget", "final"}


class _Flow(dict):
    """A mapping written on one line ({prior_final: 9.99, budget: 16, final: 6.02}), as the examples do."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """Decimals as written: 16 stays 16, 172.40 stays 172.40 (never a float's 172.4 or 1.2e-05)."""
    text = format(value, "f")
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(_Flow, _represent_flow)


def _shape(value: Any) -> Any:
    """Money rows and other small all-scalar mappings on one line; everything else in block style."""
    if isinstance(value, dict):
        shaped = {key: _shape(item) for key, item in value.items()}
        if "name" in shaped:  # a project row reads better with its name first
            shaped = {"name": shaped.pop("name"), **shaped}
        if shaped and MONEY_KEYS <= set(shaped) and all(not isinstance(v, (dict, list)) for v in shaped.values()):
            return _Flow(shaped)
        return shaped
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return value


def dump_yaml(data: DepartmentYear) -> str:
    """The YAML text of `data`: block style, money rows on one line."""
    return yaml.dump(_shape(data.model_dump()), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=4096, default_flow_style=False)
