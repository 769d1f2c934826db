"""`jixiao serve --demo`: the example department with its report and data, a staff user `demo` and a
reviewer `reviewer`, each given a NEW random password at every start (printed, never fixed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.figures.computable import checked_text
from assistant.model.load import load
from assistant.resources import demo_example
from assistant.web.data_text import FORMAT

EXAMPLE = demo_example()


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role_label: str


def ensure_demo(store, example: Path = EXAMPLE) -> list[Login]:
    from assistant.store.passwords import hash_password, random_password

    data = load(example)
    department = store.ensure_department(data.identity.name, data.identity.county)
    report = store.ensure_report(department.id, data.identity.year)
    if store.latest_data(report.id) is None:
        store.save_data(report.id, checked_text(data), FORMAT, note=f"示例数据：{example.name}")
    logins = []
    for username, role, department_id, label in (("demo", "staff", department.id, f"{department.name}填报人员"),
                                                  ("reviewer", "reviewer", None, "财政局审核人员")):
        password = random_password()
        user = store.find_user(username)
        if user is None:
            store.create_user(username, hash_password(password), role, department_id)
        else:
            store.set_password(user.id, hash_password(password))
        logins.append(Login(username, password, label))
    return logins
