"""Load benchmark of the web app on loopback: p50/p95 latency of the report page and of a check at 20
concurrent users, and the time of the offline "根据数据生成报告" button.

The app runs as a user starts it — `jixiao serve --demo` in its own process, on a free 127.0.0.1 port,
with a fresh SQLite store in a temporary folder, offline defaults — and a bounded generator (N users,
each logged in with its own session, each making a fixed number of requests) talks to it over HTTP from
this process. Nothing leaves loopback.

Targets (issue 6): p95 < 300 ms for both at 20 users with SQLite on these machines; generate offline < 3 s.

    .venv/bin/python evals/web/load.py [--users 20] [--requests 25] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 300.0
TARGET_GENERATE_S = 3.0
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
_LOGIN = re.compile(r"用户名 (\S+) 密码 ([A-Za-z0-9]+)")


def start_app(directory: Path):
    """`jixiao serve --demo` in a child process; returns (base URL, logins, report id, process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JIXIAO_LLM", "OPENAI_"))}
    env.update(JIXIAO_DATA_DIR=str(directory), JIXIAO_DATABASE_URL=f"sqlite:///{directory / 'load.db'}")
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--demo", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    logins: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while len(logins) < 2:
        line = process.stdout.readline()
        if not line or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"jixiao serve did not start: {line}")
        found = _LOGIN.search(line)
        if found:
            logins[found.group(1)] = found.group(2)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            httpx.get(base + "/login", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.kill()
                raise SystemExit("jixiao serve did not answer")
            time.sleep(0.1)
    return base, logins, process


async def logged_in(base: str, username: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60)
    page = await client.get("/login")
    token = _CSRF.search(page.text).group(1)
    response = await client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    if response.status_code not in (200, 303):
        raise SystemExit(f"login failed: HTTP {response.status_code}")
    home = await client.get("/")  # the session's token after login
    client.headers["X-CSRF-Token"] = _CSRF.search(home.text).group(1)
    return client


async def generate(client: httpx.AsyncClient, report_id: int) -> float:
    """Seconds from pressing the button to the job reporting done (polled every 50 ms)."""
    started = time.perf_counter()
    response = await client.post(f"/api/reports/{report_id}/generate")
    if response.status_code >= 400:
        raise SystemExit(f"generate failed: HTTP {response.status_code} {response.text[:200]}")
    job = response.json()["job"]
    while True:
        job = (await client.get(f"/api/reports/{report_id}/generate/{job['id']}")).json()["job"]
        if job["error"]:
            raise SystemExit(f"generate failed: {job['error']}")
        if job["finished"]:
            return time.perf_counter() - started
        await asyncio.sleep(0.05)


async def user(client: httpx.AsyncClient, urls: dict[str, str], requests: int, timings: dict[str, list[float]]):
    for n in range(requests):
        name = list(urls)[n % len(urls)]
        started = time.perf_counter()
        response = await client.get(urls[name], headers={"Accept": "text/html" if name == "report page" else "application/json"})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        timings[name].append(elapsed)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to tell the server's cost from the generator's."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def run(users: int, requests: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        base, logins, server = start_app(Path(folder))
        try:
            staff = await logged_in(base, "demo", logins["demo"])
            report_id = (await staff.get("/api/reports")).json()["reports"][0]["id"]
            generate_seconds = [await generate(staff, report_id) for _ in range(3)]
            urls = {"report page": f"/reports/{report_id}", "check": f"/api/reports/{report_id}/check.json"}
            clients = [staff] + [await logged_in(base, "demo", logins["demo"]) for _ in range(users - 1)]
            for name, url in urls.items():  # warm caches once, as a user who opened the page would
                await staff.get(url)
            timings: dict[str, list[float]] = {name: [] for name in urls}
            server_cpu = _cpu_seconds(server.pid)
            started = time.perf_counter()
            await asyncio.gather(*(user(client, urls, requests, timings) for client in clients))
            wall = time.perf_counter() - started
            server_cpu = _cpu_seconds(server.pid) - server_cpu
            for client in clients:
                await client.aclose()
        finally:
            server.terminate()
            server.wait(timeout=20)
    result = {"users": users, "requests_per_user": requests, "wall_seconds": round(wall, 2),
              "throughput_rps": round(users * requests / wall, 1),
              "server_cpu_ms_per_request": round(1000 * server_cpu / (users * requests), 2),
              "generate_offline_seconds": [round(s, 2) for s in generate_seconds]}
    for name, values in timings.items():
        result[name] = {"n": len(values), "p50_ms": round(statistics.median(values), 1),
                        "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per user (bounded load)")
    parser.add_argument("--json", help="write the result to this file")
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.requests))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for name in ("report page", "check"):
        p95 = result[name]["p95_ms"]
        print(f"{name}: p50 {result[name]['p50_ms']} ms, p95 {p95} ms "
              f"({'OK' if p95 < TARGET_P95_MS else 'ABOVE TARGET'} {TARGET_P95_MS:g} ms)")
    slowest = max(result["generate_offline_seconds"])
    print(f"generate offline: {slowest} s ({'OK' if slowest < TARGET_GENERATE_S else 'ABOVE TARGET'} {TARGET_GENERATE_S:g} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
