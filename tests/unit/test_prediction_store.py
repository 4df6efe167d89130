"""Stored predictions go in a chunk at a time, in order and in the caller's transaction: one INSERT over 1.3 million
scored readings held every parameter set at once (a 4 GB peak at MetroPT-3 size)."""
import pytest

from data import repositories
from data.records import RunRecord
from tests.support import make_runtime


def _rows(n):
    for i in range(n):
        yield f"r{i:03d}", {"p": i / n}


def test_rows_are_inserted_a_chunk_at_a_time_in_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(repositories, "INSERT_CHUNK", 10)
    runtime = make_runtime(tmp_path / "var")
    with runtime.uow() as uow:
        run = uow.runs.add(RunRecord(desk="maintenance", task="t", owner_id=uow.users.get_or_create("ana").id))
        statements = []
        execute = uow.session.execute
        monkeypatch.setattr(uow.session, "execute", lambda *a, **k: statements.append(len(a[1])) or execute(*a, **k))
        assert uow.predictions.add_many(run.id, _rows(25), kind="score") == 25
        monkeypatch.undo()
        uow.commit()
        run_id = run.id
    assert statements == [10, 10, 5]
    with runtime.uow() as uow:
        stored = uow.predictions.outputs(run_id, kind="score")
    assert [k for k, _ in stored] == [f"r{i:03d}" for i in range(25)] and stored[7][1] == {"p": pytest.approx(0.28)}


def test_a_failure_in_a_later_chunk_stores_none_of_the_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(repositories, "INSERT_CHUNK", 10)
    runtime = make_runtime(tmp_path / "var")

    def broken():
        yield from _rows(15)
        raise ValueError("the scorer failed half-way")

    with runtime.uow() as uow:
        run = uow.runs.add(RunRecord(desk="maintenance", task="t", owner_id=uow.users.get_or_create("ana").id))
        uow.commit()
        run_id = run.id
    with pytest.raises(ValueError), runtime.uow() as uow:
        uow.predictions.add_many(run_id, broken(), kind="score")
        uow.commit()
    with runtime.uow() as uow:
        assert uow.predictions.count(run_id) == 0
