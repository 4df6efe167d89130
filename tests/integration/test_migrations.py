"""Migrations upgrade from empty to head and match the models, on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import inspect, text

from data import migrate
from data.db import build_engine
from data.records import Base
from tests.support import reset_postgres


def _check_roundtrip(engine):
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert migrate.schema_differences(engine) == []
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.schema_differences(engine) == []


def test_sqlite_upgrade_from_empty_matches_models(tmp_path):
    engine = build_engine(f"sqlite:///{tmp_path / 'm.db'}")
    _check_roundtrip(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


@pytest.mark.postgres
def test_postgres_upgrade_from_empty_matches_models(postgres_url):
    reset_postgres(postgres_url)
    engine = build_engine(postgres_url)
    try:
        _check_roundtrip(engine)
    finally:
        engine.dispose()
        reset_postgres(postgres_url)


def test_schema_drift_is_detected(tmp_path):
    engine = build_engine(f"sqlite:///{tmp_path / 'd.db'}")
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE runs ADD COLUMN surprise INTEGER"))
    assert migrate.schema_differences(engine) != []
