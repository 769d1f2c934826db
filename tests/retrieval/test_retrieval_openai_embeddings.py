"""The OpenAI-compatible embeddings provider against a real HTTP server started here.

The server answers `POST /v1/embeddings` with deterministic vectors (character bigrams hashed with
crc32 into 64 dimensions), so similar texts get similar vectors and results are reproducible. Nothing of
ours is mocked: the openai client makes real HTTP requests.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from assistant.retrieval.embeddings import (
    EmbeddingError,
    OpenAICompatibleEmbeddings,
    build_embeddings,
)
from assistant.retrieval.ingest import ingest
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import CorpusStore, make_client
from assistant.settings import Settings

DIMENSIONS = 64


def bigram_vector(text: str) -> list[float]:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for a, b in itertools.pairwise(text):
        vector[zlib.crc32((a + b).encode()) % DIMENSIONS] += 1.0
    vector[0] += 0.01  # never all zeros
    return vector.tolist()


class EmbeddingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.require_key: str | None = None


class _Handler(BaseHTTPRequestHandler):
    server: EmbeddingServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        if self.path != "/v1/embeddings":
            return self._reply(404, {"error": {"message": "not found"}})
        if self.server.require_key and self.headers.get("Authorization") != f"Bearer {self.server.require_key}":
            return self._reply(401, {"error": {"message": "invalid api key", "type": "invalid_request_error"}})
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = []
        for index, text in enumerate(inputs):
            vector = bigram_vector(text)
            if body.get("encoding_format") == "base64":
                vector = base64.b64encode(np.asarray(vector, dtype=np.float32).tobytes()).decode()
            data.append({"object": "embedding", "index": index, "embedding": vector})
        self._reply(200, {"object": "list", "data": data, "model": body["model"],
                          "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    def _reply(self, status: int, document: dict) -> None:
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server():
    httpd = EmbeddingServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def endpoint_settings(server, tmp_path, **extra) -> Settings:
    return Settings(data_dir=tmp_path / "data", embeddings_base_url=f"http://127.0.0.1:{server.server_port}/v1",
                    embeddings_api_key="sk-local-test", embeddings_model="tiny-embed", **extra)


def test_settings_choose_the_endpoint_and_vectors_come_over_http(server, tmp_path):
    embeddings = build_embeddings(endpoint_settings(server, tmp_path))
    assert isinstance(embeddings, OpenAICompatibleEmbeddings)
    vector = embeddings.embed_query("2024年三公经费")
    expected = np.asarray(bigram_vector("#年三公经费"))  # digits are masked before sending
    assert np.allclose(vector, expected / np.linalg.norm(expected), atol=1e-6)
    request = server.requests[-1]
    assert request["path"] == "/v1/embeddings" and request["model"] == "tiny-embed"
    assert request["auth"] == "Bearer sk-local-test" and request["input"] == ["#年三公经费"]


def test_batches_keep_their_order(server, tmp_path):
    embeddings = OpenAICompatibleEmbeddings(base_url=f"http://127.0.0.1:{server.server_port}/v1",
                                            model="tiny-embed", batch=2)
    texts = ["三公经费", "会议费", "培训费", "项目支出", "存在问题"]
    vectors = embeddings.embed_documents(texts)
    assert len(server.requests) == 3
    for text, vector in zip(texts, vectors):
        expected = np.asarray(bigram_vector(text))
        assert np.allclose(vector, expected / np.linalg.norm(expected), atol=1e-6)


def test_ingest_and_search_through_the_endpoint_and_reopen_without_the_key(server, tmp_path, small_corpus,
                                                                           monkeypatch):
    settings = endpoint_settings(server, tmp_path)
    store = CorpusStore.open(settings)
    assert store.name.startswith("corpus-oa-tiny-embed-")
    report = ingest(small_corpus, store)
    assert report.skipped == [] and report.chunks_total > 15
    hits = Searcher(store).search("会议费", k=3, mode="vector")
    assert any(hit.section_kind == "会议费培训费" for hit in hits)
    # The persisted configuration names the key's variable, never the key.
    collection = make_client(settings).get_collection(store.name)
    rebuilt = collection.configuration["embedding_function"]
    assert isinstance(rebuilt, OpenAICompatibleEmbeddings)
    assert "sk-local-test" not in json.dumps(rebuilt.get_config())
    server.require_key = "sk-from-env"
    monkeypatch.setenv("JIXIAO_EMBEDDINGS_API_KEY", "sk-from-env")
    reopened = OpenAICompatibleEmbeddings.build_from_config(rebuilt.get_config())
    result = collection.query(query_embeddings=reopened.embed_documents(["会议费"]), n_results=1)
    assert result["ids"][0] and server.requests[-1]["auth"] == "Bearer sk-from-env"


def test_a_refused_key_and_an_unreachable_endpoint_are_explained_in_chinese(server, tmp_path):
    server.require_key = "the-right-key"
    embeddings = build_embeddings(endpoint_settings(server, tmp_path))
    with pytest.raises(EmbeddingError, match=r"向量服务返回错误（.*HTTP 401）"):
        embeddings.embed_query("三公经费")
    port = server.server_port
    server.shutdown()
    server.server_close()
    down = OpenAICompatibleEmbeddings(base_url=f"http://127.0.0.1:{port}/v1", model="tiny-embed", timeout=2)
    with pytest.raises(EmbeddingError, match="无法连接向量服务"):
        down.embed_query("三公经费")
