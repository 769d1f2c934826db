"""`make test`: build the wheel, install it into a fresh venv outside the checkout and use it there.

The fresh venv reuses the test venv's installed dependencies through a .pth file (so nothing is
downloaded or built again) and installs only the wheel, with --no-deps. It runs in a temporary folder,
so the checkout cannot be imported: `jixiao generate` must find its templates and the example data,
and `jixiao serve --demo` its page templates and static files, inside the installed package.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jixiao-wheel-") as folder:
        work = Path(folder)
        run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", ROOT)
        [wheel] = (work / "dist").glob("jixiao-*.whl")
        run(sys.executable, "-m", "venv", "--without-pip", work / "venv")
        python = work / "venv" / "bin" / "python"
        site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
        (site / "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("JIXIAO_", "PYTHON"))}
        env |= {"JIXIAO_DATA_DIR": str(work / "data"), "JIXIAO_CORPUS_DIR": str(work / "no-corpus")}
        where = run(python, "-c", "import assistant; print(assistant.__file__)", cwd=work, env=env).stdout
        assert where.startswith(str(site)), f"the checkout was imported: {where}"
        example = run(python, "-c", "from assistant.resources import demo_example; print(demo_example())",
                      cwd=work, env=env).stdout.strip()
        jixiao = work / "venv" / "bin" / "jixiao"
        generated = subprocess.run([str(jixiao), "generate", example, "-o", "报告.docx", "--text", "报告.txt"],
                                   cwd=work, env=env, capture_output=True, text=True)
        assert generated.returncode in (0, 1), generated.stderr
        assert (work / "报告.docx").stat().st_size > 10_000 and "绩效自评报告" in (work / "报告.txt").read_text("utf-8")
        serve_smoke(jixiao, work, env)
    print(f"wheel {wheel.name}: installed outside the checkout, generate and serve work "
          f"({time.monotonic() - started:.1f} s)")
    return 0


def serve_smoke(jixiao: Path, work: Path, env: dict) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(jixiao), "serve", "--demo", "--port", str(port)], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        password = None
        deadline = time.monotonic() + 60
        while password is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            found = re.search(r"用户名 demo 密码 ([A-Za-z0-9]+)", line)
            password = found.group(1) if found else None
            if not line and server.poll() is not None:
                raise AssertionError("jixiao serve stopped")
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        for _ in range(100):
            try:
                login_page = opener.open(base + "/login", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
        body = urllib.parse.urlencode({"username": "demo", "password": password, "csrf_token": token}).encode()
        reports = opener.open(base + "/login", data=body, timeout=30).read().decode()
        assert "报告列表" in reports, reports[:500]
        assert opener.open(base + "/static/chat.js", timeout=5).status == 200
        assert "数据" in opener.open(base + "/reports/1/data", timeout=30).read().decode()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
