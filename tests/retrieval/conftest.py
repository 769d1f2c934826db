"""Shared fixtures of the retrieval tests: a small corpus, real embeddings, and both kinds of store.

The store tests run twice: against an embedded chromadb (PersistentClient in a temporary folder) and
against a real `chroma run` server started here (a free port, stopped at the end of the session).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from retrieval_helpers import FIXTURES, HEKOU_2024_DOCX, HEKOU_2024_META, build_docx

from assistant.settings import Settings


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Three reports: .md (河口县教育局 2023), .txt (松林县人社局 2024), .docx + sidecar (河口县教育局 2024)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for fixture in FIXTURES.iterdir():
        shutil.copy(fixture, folder / fixture.name)
    build_docx(folder / "hekou-jyj-2024.docx", HEKOU_2024_DOCX)
    (folder / "hekou-jyj-2024.meta.yaml").write_text(HEKOU_2024_META, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def usem3():
    from assistant.retrieval.embeddings import Usem3Embeddings

    return Usem3Embeddings(threads=1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server from the chromadb package (`chroma run`), ready when its heartbeat answers."""
    executable = Path(sys.executable).with_name("chroma")
    if not executable.exists():
        executable = Path(shutil.which("chroma") or "chroma")
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = open(path / "server.log", "wb")  # noqa: SIM115 - open for the server's whole life, closed below
    process = subprocess.Popen(
        [str(executable), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chroma server did not start: " + (path / "server.log").read_text(errors="replace"))
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(params=["embedded", "server"])
def settings(request, tmp_path) -> Settings:
    """Settings for a fresh store: embedded chromadb in tmp_path, or a fresh collection on the server."""
    if request.param == "embedded":
        return Settings(data_dir=tmp_path / "data")
    url = request.getfixturevalue("chroma_server")
    # One server for the session: each test gets its own collection name.
    name = "t" + request.node.name.encode().hex()[-24:] + str(time.monotonic_ns())[-6:]
    return Settings(data_dir=tmp_path / "data", chroma_url=url, collection=name)


@pytest.fixture
def store(settings, usem3):
    from assistant.retrieval.store import CorpusStore

    return CorpusStore.open(settings, usem3)
