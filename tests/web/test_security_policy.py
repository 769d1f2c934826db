"""The web app's security policy in one place (docs/web.md, "Security measures").

1. Nothing accepted can break a page: every data version is built (ledger, displays, form rules)
   before it is stored; what cannot be computed is a 422 naming the field; a stored version that is
   bad anyway (stored before these checks) shows as its row's problem; errors keep the connection.
2. Sessions live in the store: logout, password change and `jixiao db` end them; idle and absolute
   timeouts; the cookie carries only the session id; the CSRF token belongs to the session.
3. Logins are throttled per user name and per client address (429 saying how long to wait).
4. Ids in paths are bounded (404), text fields have length limits, the SQLite files are private.

Access control on every route, CSRF on every state-changing route, escaping and uploads have their
own files (test_access_control.py, test_login_and_csrf.py, test_escaping_twins_errors.py,
test_uploads.py).
"""

from __future__ import annotations

import json
import re

import pytest

from assistant.model.load import load
from tests.web.conftest import EXAMPLE

# -- 1. nothing accepted can break a page ---------------------------------------------------------

MONEY = ("basic_data", "sangong", "total", "final")


def _document(path: tuple = (), raw_number: str | None = None, **changes) -> str:
    """The example as JSON text; `raw_number` is written unquoted at `path` (a JSON number literal)."""
    document = load(EXAMPLE).model_dump(mode="json")
    for key, value in changes.items():
        section, field = key.split("__")
        document[section][field] = value
    if raw_number is not None:
        place = document
        for part in path[:-1]:
            place = place[part]
        place[path[-1]] = "@@RAW@@"
    return json.dumps(document, ensure_ascii=False).replace('"@@RAW@@"', raw_number or "")


def _save_json(client, report_id: int, document: str, expected: int):
    body = f'{{"data": {document}, "expected_number": {expected}}}'
    return client.post(f"/api/reports/{report_id}/data", content=body.encode(),
                       headers={"content-type": "application/json", "x-csrf-token": client.csrf})


def _upload(client, report_id: int, name: str, content: bytes):
    return client.post(f"/reports/{report_id}/data/upload", data={"csrf_token": client.csrf},
                       files={"file": (name, content)})


def _message(response) -> str:
    """The Chinese message of a refused save (the data page's problem, or the JSON error)."""
    body = response.json()
    return body["problem"] if "problem" in body else body["error"]["message"]


def _pages_still_work(site, report_id: int) -> None:
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    for client, url in ((staff, f"/reports/{report_id}/data"), (staff, f"/reports/{report_id}"),
                        (reviewer, "/"), (reviewer, "/api/reports")):
        assert client.get(url).status_code == 200, url


DANGLING = {"key": "gap", "label": "新增人数", "unit": "人", "value": "3", "difference_of": ["nokey", "gone"]}
REFUSED_SAVES = {
    "1e308 in a money field": (_document(MONEY, "1e308"), "三公经费合计 › 本年决算数：数字位数超出允许范围"),
    "a number of 5,000 digits": (_document(MONEY, "9" * 5000), "三公经费合计 › 本年决算数：数字位数超出允许范围"),
    "a count of 5,000 digits": (_document(("narrative", "personnel", "total"), "9" * 5000), "干职工总人数"),
    "a dangling difference_of key": (
        _document(narrative__target_metrics=[DANGLING]), "“新增人数”（编号 gap）的相减关系引用了不存在的编号“nokey”"),
    "a 200,000-character 填表人": (
        _document(identity__preparer=None) .replace('"preparer": null', '"preparer": "' + "张" * 200_000 + '"'),
        "单位信息 › 填表人：文字过长（最多50字，填写了200000字）"),
}


@pytest.mark.parametrize("case", REFUSED_SAVES, ids=list(REFUSED_SAVES))
def test_a_save_that_cannot_be_computed_is_refused_naming_the_field(site, case):
    document, expected_message = REFUSED_SAVES[case]
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _save_json(client, report, document, expected=1)
    assert response.status_code == 422 and expected_message in _message(response)
    assert site.store.latest_data(report).number == 1
    _pages_still_work(site, report)


def _yaml_with_money(value: str) -> bytes:
    from assistant.web.data_text import dump_data

    text = dump_data(load(EXAMPLE))
    return re.sub(r"total: \{prior_final: [^}]*\}", f"total: {{prior_final: 9.99, budget: 16, final: {value}}}",
                  text, count=1).encode()


UPLOADS = {
    "1e308 in JSON": ("数据.json", lambda: _document(MONEY, "1e308").encode(), "数字位数超出允许范围"),
    "5,000 digits in YAML": ("数据.yaml", lambda: _yaml_with_money("9" * 5000), "数字位数超出允许范围"),
    "100,000-deep JSON": ("深.json", lambda: ('{"identity": ' + "[" * 100_000 + "]" * 100_000 + "}").encode(),
                          "嵌套层级过深"),
    "100,000-deep YAML": ("深.yaml", lambda: ("identity: " + "[" * 100_000 + "]" * 100_000).encode(), "嵌套层级过深"),
}


@pytest.mark.parametrize("case", UPLOADS, ids=list(UPLOADS))
def test_an_upload_that_cannot_be_computed_is_refused_naming_the_problem(site, case):
    name, content, expected_message = UPLOADS[case]
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, name, content())
    assert response.status_code == 422 and expected_message in response.text, response.text[-800:]
    assert site.store.latest_data(report).number == 1
    _pages_still_work(site, report)


def test_a_100000_deep_json_save_is_a_422(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _save_json(client, report, "[" * 100_000 + "]" * 100_000, expected=1)
    assert response.status_code == 422 and "嵌套层级过深" in _message(response)


def test_a_formula_that_overflows_names_the_figure_not_a_traceback(site):
    """Within the limits every figure is computable: the largest amount over the smallest still is."""
    client, report = site.login("staff_a"), site.reports["a"].id
    document = _document(("basic_data", "sangong", "total", "budget"), "0.000001")
    document = document.replace('"final": 6.02', '"final": 999999999999999.999999')
    response = _save_json(client, report, document, expected=1)
    assert response.status_code == 200, _message(response)
    _pages_still_work(site, report)


BAD_STORED = {
    "1e308": "total: {prior_final: 9.99, budget: 16, final: 1e308}",
    "5,000 digits": "total: {prior_final: 9.99, budget: 16, final: " + "9" * 5000 + "}",
}


@pytest.mark.parametrize("case", BAD_STORED, ids=list(BAD_STORED))
def test_a_bad_version_stored_earlier_shows_as_its_rows_problem(site, case):
    text = site.store.latest_data(site.reports["b"].id).text
    bad = re.sub(r"total: \{prior_final: [^}]*\}", BAD_STORED[case], text, count=1)
    assert bad != text
    site.store.save_data(site.reports["b"].id, bad, "yaml")  # as an older release could have stored it
    reviewer = site.login("reviewer")
    listing = reviewer.get("/api/reports")
    assert listing.status_code == 200
    rows = {row["id"]: row for row in listing.json()["reports"]}
    assert rows[site.reports["a"].id]["check"]["problem"] is None
    assert "数字位数超出允许范围" in rows[site.reports["b"].id]["check"]["problem"]
    page = reviewer.get("/")
    assert page.status_code == 200 and "数字位数超出允许范围" in page.text
    staff = site.login("staff_b")
    data_page = staff.get(f"/api/reports/{site.reports['b'].id}/data")
    assert data_page.status_code == 200 and "数字位数超出允许范围" in data_page.json()["problem"]
    report_page = staff.get(f"/reports/{site.reports['b'].id}")
    assert report_page.status_code in {200, 422} and "数字位数超出允许范围" in report_page.text


def test_an_unexpected_error_keeps_the_keep_alive_connection(site, monkeypatch):
    """Over real HTTP/1.1: a 500 is answered in Chinese and the same connection serves the next request."""
    import http.client

    from tests.web.live import running_server

    client = site.login("staff_a")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())

    def broken(*_args, **_kwargs):
        raise RuntimeError("store went away")

    with running_server(site.app) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        monkeypatch.setattr(site.store, "list_reports", broken)
        connection.request("GET", "/api/reports", headers={"Cookie": cookie})
        failed = connection.getresponse()
        assert failed.status == 500 and "服务器出错" in failed.read().decode()
        monkeypatch.undo()
        connection.request("GET", "/api/reports", headers={"Cookie": cookie})
        again = connection.getresponse()
        assert again.status == 200 and again.read()
        connection.close()


# -- 2. sessions live in the store ---------------------------------------------------------------

def _cookie(client) -> str:
    return client.cookies.get("jixiao_session")


def _replay(site, cookie: str, csrf: str):
    """A client that only has a copied cookie and CSRF token (as an attacker who saved them would)."""
    other = site.client()
    other.cookies.set("jixiao_session", cookie)
    read = other.get("/api/reports")
    write = other.post("/api/reports/%d/comments" % site.reports["a"].id, data={"text": "旧会话", "csrf_token": csrf})
    return read.status_code, write.status_code


def test_the_cookie_carries_only_a_random_session_id_and_the_store_only_its_hash(site):
    import hashlib

    client = site.login("staff_a")
    token = _cookie(client)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    user = site.store.find_user("staff_a")
    [session] = site.store.user_sessions(user.id)
    assert session.id == hashlib.sha256(token.encode()).hexdigest() and session.id != token


def test_login_starts_a_new_session_and_csrf_token(site):
    from tests.web.conftest import PASSWORD, token_of

    client = site.client()
    before_token = token_of(client.get("/login").text)
    before = _cookie(client)
    client.post("/login", data={"username": "staff_a", "password": PASSWORD, "csrf_token": before_token})
    assert _cookie(client) != before
    assert token_of(client.get("/").text) != before_token
    assert _replay(site, before, before_token)[0] == 401  # the pre-login session is gone


def test_logout_ends_the_session_for_every_copy_of_the_cookie(site):
    client = site.login("staff_a")
    saved_cookie, saved_csrf = _cookie(client), client.csrf
    assert _replay(site, saved_cookie, saved_csrf) == (200, 201)
    client.post("/logout", data={"csrf_token": client.csrf})
    assert _replay(site, saved_cookie, saved_csrf) == (401, 403)


def test_a_csrf_token_works_only_with_its_own_session(site):
    one, two = site.login("staff_a"), site.login("staff_a")
    url = f"/api/reports/{site.reports['a'].id}/comments"
    assert one.post(url, data={"text": "甲", "csrf_token": two.csrf}).status_code == 403
    assert one.post(url, data={"text": "甲", "csrf_token": one.csrf}).status_code == 201


def _age_sessions(site, **columns) -> None:
    """Move every session's timestamps into the past (as if that much time had gone by)."""
    from sqlalchemy import update

    from assistant.store.tables import WebSessionRow, utc_now

    with site.store.engine.begin() as connection:
        connection.execute(update(WebSessionRow).values(
            {name: utc_now() - delta for name, delta in columns.items()}))


def test_a_session_ends_after_the_idle_timeout(site):
    from datetime import timedelta

    client = site.login("staff_a")
    _age_sessions(site, seen_at=timedelta(minutes=119))
    assert client.get("/api/reports").status_code == 200  # used again: idle time starts over
    _age_sessions(site, seen_at=timedelta(minutes=121))
    assert client.get("/api/reports").status_code == 401


def test_a_session_ends_after_the_absolute_timeout_even_when_used(site):
    from datetime import timedelta

    client = site.login("staff_a")
    _age_sessions(site, created_at=timedelta(hours=12, minutes=1))
    assert client.get("/api/reports").status_code == 401


def test_a_new_password_ends_every_session_of_that_user_only(site):
    from assistant.store.passwords import hash_password

    staff, other = site.login("staff_a"), site.login("staff_b")
    user = site.store.find_user("staff_a")
    site.store.set_password(user.id, hash_password("新的口令-2025"))
    assert staff.get("/api/reports").status_code == 401
    assert other.get("/api/reports").status_code == 200


def test_jixiao_db_set_password_and_end_sessions_log_the_user_out(site, tmp_path):
    import os
    import subprocess
    import sys

    url = str(site.store.engine.url.render_as_string(hide_password=False))
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("JIXIAO_DATABASE_URL", None)

    def jixiao(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "assistant.cli", "db", *args], input=stdin, env=env,
                              capture_output=True, text=True, cwd=tmp_path, timeout=120)

    client = site.login("staff_a")
    ended = jixiao("end-sessions", "staff_a")
    assert ended.returncode == 0 and "已结束用户 staff_a 的 1 个登录" in ended.stdout
    assert client.get("/api/reports").status_code == 401
    client = site.login("staff_a")
    changed = jixiao("set-password", "staff_a", stdin="另一个口令-2025\n")
    assert changed.returncode == 0 and "已结束其 1 个登录" in changed.stdout
    assert client.get("/api/reports").status_code == 401
    missing = jixiao("end-sessions", "nobody")
    assert missing.returncode == 2 and "没有用户名为“nobody”的用户" in missing.stderr


# -- 3. logins are throttled ---------------------------------------------------------------------

def _try_login(client, username: str, password: str):
    from tests.web.conftest import token_of

    token = token_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       headers={"accept": "application/json"})


def test_five_wrong_passwords_for_one_name_lock_that_name_with_a_429_saying_how_long(site):
    from tests.web.conftest import PASSWORD

    client = site.client()
    for _ in range(5):
        assert _try_login(client, "staff_a", "猜错了").status_code == 401
    refused = _try_login(client, "staff_a", PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    message = refused.json()["error"] if "error" in refused.json() else refused.json()
    assert "登录失败次数过多" in json.dumps(message, ensure_ascii=False)
    assert re.search(r"请\d+分钟后再试", json.dumps(message, ensure_ascii=False))
    assert 14 * 60 <= int(refused.headers["retry-after"]) <= 15 * 60
    assert _try_login(site.client(), "staff_b", PASSWORD).status_code == 200  # other names are not locked


def test_the_lock_ends_when_the_failures_leave_the_window(site):
    from datetime import timedelta

    from sqlalchemy import update

    from assistant.store.tables import LoginFailureRow, utc_now
    from tests.web.conftest import PASSWORD

    client = site.client()
    for _ in range(5):
        _try_login(client, "staff_a", "猜错了")
    assert _try_login(client, "staff_a", PASSWORD).status_code == 429
    with site.store.engine.begin() as connection:
        connection.execute(update(LoginFailureRow).values(failed_at=utc_now() - timedelta(minutes=16)))
    assert _try_login(client, "staff_a", PASSWORD).status_code == 200


def test_one_address_trying_many_names_is_throttled_and_unknown_names_count_too(site):
    from tests.web.conftest import PASSWORD

    client = site.client()
    for number in range(20):
        assert _try_login(client, f"nobody{number}", "x").status_code == 401
    assert _try_login(client, "staff_b", PASSWORD).status_code == 429


def test_the_count_is_shared_through_the_store_by_every_process(site):
    """A second app on the same database (another worker process) sees the same failures."""
    from assistant.web import create_app
    from assistant.web.config import WebSettings

    first = site.client()
    for _ in range(5):
        _try_login(first, "staff_a", "猜错了")
    from fastapi.testclient import TestClient

    other_app = create_app(WebSettings(data_dir=site.store.engine.url.database.rsplit("/", 1)[0]), site.store)
    second = TestClient(other_app, raise_server_exceptions=False)
    assert _try_login(second, "staff_a", "猜错了").status_code == 429


def test_a_login_rehashes_a_password_made_with_older_argon2_parameters(site):
    from argon2 import PasswordHasher

    from assistant.store.passwords import needs_rehash, verify_password

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("旧参数的口令")
    user = site.store.create_user("old_hash", weak, "reviewer")
    assert needs_rehash(user.password_hash)
    client = site.client()
    assert _try_login(client, "old_hash", "旧参数的口令").status_code == 200
    rehashed = site.store.find_user("old_hash").password_hash
    assert rehashed != weak and not needs_rehash(rehashed) and verify_password(rehashed, "旧参数的口令")
    assert client.get("/api/reports").status_code == 200  # the rehash kept the new session


# -- 4. bounded ids, text limits, private files ---------------------------------------------------

@pytest.mark.parametrize("url", [
    "/reports/12345678901234567890123", "/api/reports/12345678901234567890123/data",
    "/reports/2147483648/review", "/reports/0", "/reports/-1/data",
    "/api/reports/1/sections/overview/versions/12345678901234567890123",
])
def test_an_id_out_of_the_database_range_is_a_404(site, url):
    response = site.login("staff_a").get(url, headers={"accept": "application/json"})
    assert response.status_code == 404 and response.json()["error"]["title"] == "页面不存在"


def test_a_state_changing_route_with_a_huge_id_is_a_404_too(site):
    client = site.login("staff_a")
    response = client.post("/reports/12345678901234567890123/comments", data={"text": "x", "csrf_token": client.csrf})
    assert response.status_code == 404


def test_every_text_field_of_the_schema_has_a_length_limit():
    import typing

    from pydantic import BaseModel

    from assistant.model.schema import DepartmentYear

    def text_fields(model, path=""):
        for name, info in model.model_fields.items():
            for annotation in _leaves(info.annotation):
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    yield from text_fields(annotation, f"{path}{name}.")
                elif annotation is str:
                    yield f"{path}{name}", info

    def _leaves(annotation):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            yield from _leaves(typing.get_args(annotation)[0])
        elif origin is not None and origin is not typing.Literal:
            for argument in typing.get_args(annotation):
                yield from _leaves(argument)
        else:
            yield annotation

    fields = list(text_fields(DepartmentYear))
    assert len(fields) >= 45  # the walk reaches every text field, lists of texts included
    assert [path for path, info in fields if "max_length" not in repr(info)] == []


def test_the_sqlite_database_is_0600_in_a_0700_data_directory(tmp_path, monkeypatch):
    from assistant.settings import get_settings
    from assistant.store import Store

    data_dir = tmp_path / "data"
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    with Store.open(f"sqlite:///{data_dir / 'jixiao.db'}") as store:
        store.ensure_department("示例县水利局", "示例县")
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    for path in data_dir.iterdir():
        assert (path.stat().st_mode & 0o777) == 0o600, path
    get_settings.cache_clear()
