"""Browser tests: the app under uvicorn on a free loopback port (a thread, a temporary SQLite store),
driven by Playwright through Debian's chromium (never a downloaded browser; the flags keep it on loopback).

Screenshots go to a temporary folder; set JIXIAO_SCREENSHOTS=docs/screenshots to refresh the ones
kept in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]



@pytest.fixture(scope="module")
def scripted():
    """The scripted OpenAI-compatible model (tests/llm/scripted_server.py), configured through the
    environment; a module that uses it requests it before `server` (see test_report_flow.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
    from scripted_server import ScriptedServer

    model = ScriptedServer().start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_LLM_BASE_URL", model.base_url)
        patch.setenv("JIXIAO_LLM_MODEL", model.model_name)
        patch.setenv("JIXIAO_LLM_TIMEOUT", "5")
        yield model
    model.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from assistant.store import Store
    from assistant.web import create_app
    from assistant.web.config import WebSettings
    from assistant.web.demo import ensure_demo
    from tests.web.live import running_server

    directory = tmp_path_factory.mktemp("web")
    store = Store.open(f"sqlite:///{directory / 'browser.db'}")
    logins = {login.username: login.password for login in ensure_demo(store)}
    app = create_app(WebSettings(data_dir=directory), store)
    with running_server(app) as port:
        yield {"url": f"http://127.0.0.1:{port}", "logins": logins, "store": store}
    store.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（tools/install-system-deps.sh）")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
