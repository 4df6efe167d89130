"""One settings object for the whole app, read from the environment (prefix ``DD_``) and ``.env``.

Only the entry points (``app.py``, ``cli.py``) and ``services/runtime.py`` read it; everything
below receives plain values.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DD_", env_file=".env", extra="ignore")

    state_dir: Path = Field(default=Path("var"), description="Local state: database, datasets, artifacts, reports.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DD_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; default is a SQLite file in the state folder.",
    )
    device: Literal["auto", "cpu", "cuda"] = "auto"
    max_upload_mb: int = Field(default=1024, ge=1)
    workers: int = Field(default=2, ge=1, description="Local worker processes for background jobs.")
    user: str = "analyst"
    load_samples: bool = Field(default=True, description="Store the bundled sample datasets on first start.")
    llm_backend: Literal["embedded", "local", "openai"] = "embedded"
    llm_model_dir: Path | None = None
    llm_endpoint: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.state_dir / 'decision_desk.db').resolve()}"

    @property
    def datasets_dir(self) -> Path:
        return self.state_dir / "datasets"

    @property
    def artifacts_dir(self) -> Path:
        return self.state_dir / "artifacts"

    @property
    def reports_dir(self) -> Path:
        return self.state_dir / "reports"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
