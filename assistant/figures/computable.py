"""The whole build of one data version, as the check a data version must pass before it is stored.

Pages, drafters and exports all build the ledger, print its figures and run the form rules; data for
which any of that fails would break every page that shows it. So a save or an upload runs the same
build first, and anything that cannot be computed is an `InputError` naming the field.
"""

from __future__ import annotations

from assistant.figures.build import build_ledger
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.figures.rules import check_data
from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear


def build_figures(data: DepartmentYear, policy: Policy = DEFAULT_POLICY) -> tuple[Ledger, list[Finding]]:
    """The ledger (every display computed once) and the rule findings; InputError when impossible."""
    ledger = build_ledger(data, policy)
    for fact in ledger:
        try:
            _ = fact.display, fact.number, fact.magnitude  # computing the printed forms is the check
        except ArithmeticError:
            raise InputError(f"“{fact.label}”（{fact.source}）的数值超出可计算的范围，请核对") from None
    try:
        findings = check_data(data, ledger, policy)
    except (ArithmeticError, LookupError, ValueError, TypeError) as error:
        raise InputError(f"数据检查无法完成（{type(error).__name__}），请核对各项数值和编号") from None
    return ledger, findings


def checked_text(data: DepartmentYear, policy: Policy = DEFAULT_POLICY) -> str:
    """The YAML text a data version stores, once it is known to load back and build: what is stored is
    exactly what every later page reads."""
    from assistant.model.dump import dump_yaml
    from assistant.model.load import loads

    text = dump_yaml(data)
    build_figures(loads(text, ".yaml", "数据"), policy)
    return text
