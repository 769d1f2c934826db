from tests.web.conftest import PASSWORD, token_of


def test_pages_need_login_and_json_clients_get_401(site):
    client = site.client()
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    api = client.get("/api/reports")
    assert api.status_code == 401 and api.json()["error"]["message"] == "请先登录"


def test_login_with_a_wrong_password_fails_in_chinese(site):
    client = site.client()
    token = token_of(client.get("/login").text)
    response = client.post("/login", data={"username": "staff_a", "password": "nope", "csrf_token": token})
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_login_sets_an_httponly_samesite_session_cookie_and_logout_ends_it(site):
    client = site.client()
    token = token_of(client.get("/login").text)
    response = client.post("/login", data={"username": "staff_a", "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": token_of(client.get("/").text)})
    assert client.get("/api/reports").status_code == 401


def test_cookies_are_secure_over_https(site):
    client = site.client()
    client.base_url = "https://testserver"
    response = client.get("https://testserver/login")
    assert "secure" in response.headers["set-cookie"].lower()


def test_login_never_redirects_to_another_site(site):
    client = site.client()
    token = token_of(client.get("/login").text)
    response = client.post("/login", data={"username": "staff_a", "password": PASSWORD, "csrf_token": token,
                                           "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_login_without_csrf_token_is_refused(site):
    client = site.client()
    client.get("/login")
    response = client.post("/login", data={"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 403 and "安全校验失败" in response.text


def test_every_state_changing_request_needs_the_sessions_token(site):
    client = site.login("staff_a")
    report = site.reports["a"].id
    before = site.store.latest_data(report).number
    attempts = [
        ("/reports", {"year": "2025"}),
        (f"/reports/{report}/data", {"identity.name": "x"}),
        ("/logout", {}),
    ]
    for url, fields in attempts:
        assert client.post(url, data=fields).status_code == 403
        assert client.post(url, data={**fields, "csrf_token": "forged"}).status_code == 403
    upload = client.post(f"/reports/{report}/data/upload", files={"file": ("a.yaml", b"identity: {}")})
    assert upload.status_code == 403
    assert site.store.latest_data(report).number == before
    assert site.store.find_report(site.reports["a"].department_id, 2025) is None
    assert client.get("/api/reports").status_code == 200  # still logged in: logout was refused too


def test_the_csrf_header_serves_htmx_and_json_clients(site):
    client = site.login("staff_a")
    response = client.post("/api/reports", data={"year": "2025"}, headers={"X-CSRF-Token": client.csrf})
    assert response.status_code == 201 and response.json()["report"]["year"] == 2025
