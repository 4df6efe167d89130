"""Helpers shared by tests: build a runtime on a temporary state folder, small frames, a clean PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import text

from services.runtime import Runtime, runtime_from_values
from data.db import build_engine
from data import migrate


def make_runtime(state_dir: Path, database_url: str | None = None, *, workers: int = 1) -> Runtime:
    url = database_url or f"sqlite:///{(state_dir / 'test.db').resolve()}"
    for sub in ("datasets", "artifacts", "reports"):
        (state_dir / sub).mkdir(parents=True, exist_ok=True)
    engine = build_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return runtime_from_values(database_url=url, state_dir=state_dir, device="cpu", workers=workers, user="tester")


def runtime_with_tables(state_dir: Path, tables: dict[str, pd.DataFrame], user: str = "ana") -> Runtime:
    """A runtime whose datasets are ``tables``, each imported as a CSV under its name."""
    from services import datasets

    rt = make_runtime(state_dir)
    for name, frame in tables.items():
        datasets.import_dataset(rt, frame.to_csv(index=False).encode(), filename=f"{name}.csv", name=name, user=user)
    return rt


def first_value(reply) -> object:
    """The first cell of an assistant reply's rows, asserting it answered (its refusal is the failure message)."""
    assert not reply.cannot, reply.answer
    return next(iter(reply.rows[0].values()))


def ask(rt: Runtime, dataset: str, question: str):
    """The assistant's answer to ``question`` over one stored table, asked by the tests' user."""
    from services import assistant

    return assistant.answer(rt, question, user="ana", dataset=dataset)


def reset_postgres(url: str) -> None:
    """Empty the shared test database (tests run one after another)."""
    engine = build_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def classification_frame(rows: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    amount = rng.gamma(2.0, 2000.0, rows).round(2)
    purpose = rng.choice(["car", "tv", "education", "business"], rows)
    age = rng.integers(19, 75, rows)
    logit = 0.0004 * amount - 0.03 * age + (purpose == "business") * 1.2 - 0.5
    default = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "bad", "good")
    return pd.DataFrame({"applicant_id": [f"A{i:05d}" for i in range(rows)], "amount": amount,
                         "purpose": purpose, "age": age, "default": default})


def store_item_sales(days: pd.DatetimeIndex, stores: list[int], items: list[int], *, seed: int, low: int,
                     high: int) -> pd.DataFrame:
    """Daily sales per store and item, shaped like store_item_demand (dates as ISO text), drawn uniformly."""
    rng = np.random.default_rng(seed)
    frame = pd.MultiIndex.from_product([days, stores, items], names=["date", "store", "item"]).to_frame(index=False)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    frame["sales"] = rng.integers(low, high, len(frame))
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def drifting_fleet(machines: int = 6, hours: int = 120) -> pd.DataFrame:
    """Hourly readings per machine, vibration drifting up before each failure (label: fails within 12 h)."""
    rng = np.random.default_rng(3)
    frames = []
    for m in range(1, machines + 1):
        hour = np.arange(hours)
        ahead = (hour % 50) >= 30
        vibration = 40 + 2 * m + rng.normal(0, 1.5, hours) + np.where(ahead, (hour % 50 - 30) * 0.4, 0)
        frames.append(pd.DataFrame({"datetime": pd.date_range("2015-01-01", periods=hours, freq="h"),
                                    "machineID": m, "volt": 170 + rng.normal(0, 5, hours), "vibration": vibration,
                                    "failure": ((hour % 50) >= 38).astype(int)}))
    return pd.concat(frames).sort_values(["datetime", "machineID"], kind="stable").reset_index(drop=True)


def asked(runtime: Runtime, question: str, dataset: str, *, refused: bool = False):
    """The assistant's reply to ``question`` on ``dataset``, unsaved, checked to be answered (or refused)."""
    from services import assistant

    reply = assistant.answer(runtime, question, user="ana", dataset=dataset, save=False)
    assert reply.cannot == refused, reply.answer
    return reply


def trained_torque_run(runtime: Runtime, rows: int, cut: float) -> tuple[pd.DataFrame, int]:
    """A small torque/temperature fleet (failures where torque plus noise passes ``cut``) and the id of a quick
    failure-risk run trained on it through the desk's job."""
    from services import datasets, maintenance

    rng = np.random.default_rng(0)
    torque = rng.normal(40, 10, rows)
    failed = (torque + rng.normal(0, 8, rows) > cut).astype(int)
    fleet = pd.DataFrame({"torque": torque, "temp": rng.normal(300, 2, rows), "failure": failed})
    info = datasets.import_dataset(runtime, fleet.to_csv(index=False).encode(), filename="train.csv", user="t")
    run_id = maintenance.train_failure_job(runtime, maintenance.failure_params(
        info.id, "failure", folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)
    return fleet, run_id


class FixedLLM:
    """A language model that answers every prompt with the same words (wording checks without a real model)."""
    name = "fake"

    def __init__(self, text: str) -> None:
        self.text = text

    def generate(self, messages, **_) -> str:
        return self.text

