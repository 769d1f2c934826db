"""An app on a fresh SQLite store: department A (the example, with data), department B (a copy under
another name), staff of each, a reviewer; `login(name)` gives a TestClient logged in as that user."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.model.load import load
from assistant.store import Store
from assistant.store.passwords import hash_password
from assistant.web import create_app
from assistant.web.config import WebSettings
from assistant.web.data_text import dump_data

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "taojiang-rsj-2024.yaml"
PASSWORD = "correct horse 电池"
B_NAME = "示例县水利局"


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Site:
    def __init__(self, app, store, reports) -> None:
        self.app, self.store, self.reports = app, store, reports

    def client(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False)

    def login(self, username: str) -> TestClient:
        client = self.client()
        token = token_of(client.get("/login").text)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 200, response.text[:300]
        client.csrf = token_of(response.text)
        return client


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for every test user


@pytest.fixture(scope="module")
def example_text() -> str:
    return dump_data(load(EXAMPLE))


@pytest.fixture
def site(tmp_path, example_text, password_hash):
    store = Store.open(f"sqlite:///{tmp_path / 'web.db'}")
    data = load(EXAMPLE)
    a = store.ensure_department(data.identity.name, data.identity.county)
    b = store.ensure_department(B_NAME, "示例县")
    report_a = store.ensure_report(a.id, 2024)
    store.save_data(report_a.id, example_text, "yaml")
    b_data = data.model_copy(update={"identity": data.identity.model_copy(update={"name": B_NAME, "county": "示例县"})})
    report_b = store.ensure_report(b.id, 2024)
    store.save_data(report_b.id, dump_data(b_data), "yaml")
    for username, role, department in (("staff_a", "staff", a.id), ("staff_b", "staff", b.id),
                                       ("reviewer", "reviewer", None)):
        store.create_user(username, password_hash, role, department)
    app = create_app(WebSettings(data_dir=tmp_path, secret_key="test-secret", upload_max_mb=1), store)
    yield Site(app, store, {"a": report_a, "b": report_b})
    store.close()
