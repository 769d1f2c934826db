import socket

import pytest
from scripted_server import ScriptedServer

from assistant.settings import Settings

LLM_ENV = [
    "JIXIAO_LLM_BASE_URL", "JIXIAO_LLM_API_KEY", "JIXIAO_LLM_MODEL", "JIXIAO_LLM_TIMEOUT",
    "JIXIAO_LLM_MAX_RETRIES", "JIXIAO_LLM_RETRY_BACKOFF", "JIXIAO_LLM_TEMPERATURE",
    "OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL",
]


@pytest.fixture(autouse=True)
def clean_llm_env(monkeypatch):
    """Tests see only the LLM variables they set themselves."""
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    server = ScriptedServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(server):
    """Settings pointing at the scripted server, with short timeouts and backoff."""
    return Settings(llm_base_url=server.base_url, llm_api_key="test-key", llm_model="scripted-model",
                    llm_timeout=2.0, llm_max_retries=2, llm_retry_backoff=0.05)


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return port
