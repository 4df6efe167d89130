"""Column kinds, default roles and profiles: the values the preview page shows."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from data.ingest import (
    KINDS,
    ROLES,
    ColumnProfile,
    Problem,
    frame_to_pandas,
    infer_roles,
    problems_from_json,
    problems_to_json,
    profile_frame,
    profile_from_json,
    profile_to_json,
    read_table,
)


def retail_frame() -> pl.DataFrame:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=d) for d in range(30)]
    rows = [(d, s, i, (s * 7 + i * 3 + k) % 40) for k, d in enumerate(days) for s in (1, 2, 3) for i in (1, 2)]
    return pl.DataFrame(rows, schema=["date", "store", "item", "sales"], orient="row")


def test_roles_for_a_retail_frame() -> None:
    frame = retail_frame()
    schema = {"date": "datetime", "store": "numeric", "item": "numeric", "sales": "numeric"}
    assert infer_roles(frame, schema) == {"date": "time", "store": "series", "item": "series", "sales": "target"}


def test_series_needs_a_time_column() -> None:
    frame = retail_frame().drop("date")
    schema = {"store": "numeric", "item": "numeric", "sales": "numeric"}
    assert infer_roles(frame, schema) == {"store": "feature", "item": "feature", "sales": "target"}


def credit_csv(tmp_path: Path) -> Path:
    purposes = ["car", "furniture", "education", "business"]
    lines = ["customer_id,age,income,purpose,comment,country,default"]
    for i in range(40):
        comment = f"called on day {i} about the {purposes[i % 4]} loan and asked for {i + 2} weeks"
        lines.append(f"C{1000 + i},{20 + i % 30},{30000 + 750 * i},{purposes[i % 4]},{comment},DE,{int(i % 3 == 0)}")
    path = tmp_path / "credit.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_kinds_and_roles_for_a_credit_file(tmp_path: Path) -> None:
    result = read_table(credit_csv(tmp_path), filename="credit.csv")
    assert result.schema == {
        "customer_id": "identifier",
        "age": "numeric",
        "income": "numeric",
        "purpose": "categorical",
        "comment": "text",
        "country": "categorical",
        "default": "numeric",
    }
    assert result.roles == {
        "customer_id": "id",
        "age": "feature",
        "income": "feature",
        "purpose": "feature",
        "comment": "ignore",
        "country": "ignore",
        "default": "target",
    }
    assert set(result.schema.values()) <= set(KINDS)
    assert set(result.roles.values()) <= set(ROLES)


def test_only_one_target_and_priority_order() -> None:
    frame = pl.DataFrame({"sales": [1, 2, 3], "label": ["a", "b", "a"], "churn": [0, 1, 0]})
    roles = infer_roles(frame, {"sales": "numeric", "label": "categorical", "churn": "numeric"})
    assert roles == {"sales": "feature", "label": "target", "churn": "feature"}


def test_target_matches_words_inside_names() -> None:
    frame = pl.DataFrame({"Machine failure": [0, 1, 0], "Torque [Nm]": [1.0, 2.0, 3.5]})
    assert infer_roles(frame, {"Machine failure": "numeric", "Torque [Nm]": "numeric"})["Machine failure"] == "target"


def test_kinds_from_text(tmp_path: Path) -> None:
    lines = ["order_id,flag,when,region,amount,row"]
    for i in range(30):
        lines.append(f"A-{i:04d},{'yes' if i % 2 else 'no'},2024-02-{i % 28 + 1:02d},{'NSEW'[i % 4]},{i * 1.5},{i + 1}")
    path = tmp_path / "kinds.csv"
    path.write_text("\n".join(lines) + "\n")
    result = read_table(path, filename="kinds.csv")
    assert result.schema == {
        "order_id": "identifier",
        "flag": "boolean",
        "when": "datetime",
        "region": "categorical",
        "amount": "numeric",
        "row": "identifier",
    }
    assert result.frame.schema == pl.Schema({
        "order_id": pl.String, "flag": pl.Boolean, "when": pl.Date, "region": pl.String,
        "amount": pl.Float64, "row": pl.String,  # identifiers are labels: text, so no blank turns them into floats
    })  # fmt: skip
    assert result.frame.get_column("flag").head(3).to_list() == [False, True, False]
    assert result.roles["when"] == "time" and result.roles["region"] == "series"


def test_zero_one_integers_stay_numeric() -> None:
    frame = pl.DataFrame({"defaulted": [0, 1, 1, 0]})
    profile = profile_frame(frame, {"defaulted": "numeric"})
    assert profile[0].histogram == {"edges": [-0.5, 0.5, 1.5], "counts": [2, 2]}


def test_profile_values() -> None:
    frame = pl.DataFrame({
        "x": [1.0, 2.0, None, 4.0, 10.0],
        "city": ["Oslo", "Rome", "Oslo", None, "Oslo"],
        "day": [dt.date(2024, 1, 1), dt.date(2024, 1, 11), None, None, dt.date(2024, 1, 21)],
        "n": [3, 3, 3, 3, 3],
    })  # fmt: skip
    schema = {"x": "numeric", "city": "categorical", "day": "datetime", "n": "numeric"}
    x, city, day, n = profile_frame(frame, schema)
    assert (x.kind, x.missing_pct, x.distinct, x.min, x.max) == ("numeric", 20.0, 4, "1", "10")
    assert sum(x.histogram["counts"]) == 4  # type: ignore[index]
    assert len(x.histogram["edges"]) == len(x.histogram["counts"]) + 1  # type: ignore[index]
    assert x.histogram["edges"][0] == 1.0 and x.histogram["edges"][-1] == 10.0  # type: ignore[index]
    assert x.top_values == []
    assert (city.missing_pct, city.distinct, city.top_values) == (20.0, 2, [("Oslo", 3), ("Rome", 1)])
    assert city.min is None and city.histogram is None
    assert (day.min, day.max, day.missing_pct) == ("2024-01-01", "2024-01-21", 40.0)
    assert day.histogram is not None
    assert day.histogram["edges"][0] == "2024-01-01" and day.histogram["edges"][-1] == "2024-01-21"
    assert sum(day.histogram["counts"]) == 3
    assert n.histogram == {"edges": [3, 3], "counts": [5]}
    assert n.distinct == 1


def test_profile_histograms_on_a_million_rows_are_fast_and_complete() -> None:
    import time

    frame = pl.DataFrame({"v": pl.int_range(0, 1_000_000, eager=True) % 997 * 0.5})
    start = time.perf_counter()
    (profile,) = profile_frame(frame, {"v": "numeric"})
    assert time.perf_counter() - start < 2.0
    assert sum(profile.histogram["counts"]) == 1_000_000  # type: ignore[index]
    assert len(profile.histogram["counts"]) == 20  # type: ignore[index]
    assert profile.distinct == 997


def test_json_round_trips(tmp_path: Path) -> None:
    result = read_table(credit_csv(tmp_path), filename="credit.csv")
    profile_json = json.loads(json.dumps(profile_to_json(result.profile)))
    assert profile_from_json(profile_json) == result.profile
    assert profile_json[3]["top_values"][0] == ["car", 10]
    problems = [Problem(3, "date", "mixed", "error"), Problem(None, None, "note", "info")]
    assert problems_from_json(json.loads(json.dumps(problems_to_json(problems)))) == problems
    assert isinstance(result.profile[0], ColumnProfile)


def test_frame_to_pandas() -> None:
    frame = pl.DataFrame({"a": [1, None], "b": ["x", "y"]})
    pdf = frame_to_pandas(frame)
    assert list(pdf.columns) == ["a", "b"] and pdf["b"].tolist() == ["x", "y"]


@pytest.mark.parametrize("module", ["data.ingest", "data.storage"])
def test_data_layer_imports_nothing_from_above(module: str) -> None:
    code = (
        f"import sys, {module}; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('streamlit', 'services', 'pages', 'ml', 'domain', 'reports')]; print(bad); assert not bad"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_product_groups_are_series_and_a_row_number_never_is() -> None:
    """Favorita's train.csv: a row id first, then date, store_nbr, family, sales, onpromotion."""
    days = [dt.date(2016, 1, 1) + dt.timedelta(days=d) for d in range(40)]
    rows = [(n, d, s, f, float(n % 17), n % 3)
            for n, (d, s, f) in enumerate((d, s, f) for s in (1, 2) for f in ("BEVERAGES", "GROCERY I") for d in days)]
    frame = pl.DataFrame(rows, schema=["id", "date", "store_nbr", "family", "sales", "onpromotion"], orient="row")
    schema = {"id": "identifier", "date": "datetime", "store_nbr": "numeric", "family": "categorical",
              "sales": "numeric", "onpromotion": "numeric"}
    roles = infer_roles(frame, schema)
    assert roles == {"id": "id", "date": "time", "store_nbr": "series", "family": "series", "sales": "target",
                     "onpromotion": "feature"}  # family was a feature
    for name in ("Category", "dept_id", "Department", "article_no", "sub_category"):
        renamed = frame.rename({"family": name})
        renamed_schema = {(name if c == "family" else c): k for c, k in schema.items()}
        assert infer_roles(renamed, renamed_schema)[name] == "series", name


def test_a_numeric_row_counter_is_an_id_but_a_cycle_count_is_not() -> None:
    """AI4I's UDI (1 … 10,000) was guessed a feature on Home; one unit's cycles 1 … n stay a feature."""
    n = 40
    frame = pl.DataFrame({"UDI": list(range(1, n + 1)), "cycle": list(range(1, n + 1)),
                          "torque": [float(40 + i % 7) for i in range(n)], "ranked": [(i * 7) % n * 2 for i in range(n)],
                          "Machine failure": [i % 2 for i in range(n)]})
    schema = {c: "numeric" for c in frame.columns}
    roles = infer_roles(frame, schema)
    assert roles["UDI"] == "id" and roles["cycle"] == "feature" and roles["torque"] == "feature"
    assert roles["ranked"] == "feature"  # 0, 14, 28 …: unique, not a counter
    assert infer_roles(frame.head(10), schema)["UDI"] == "feature"  # too few rows to tell
    from data.ingest import read_table

    text = "UDI,torque,failed\n" + "".join(f"{i},{40 + i % 7}.5,{i % 2}\n" for i in range(1, n + 1))
    assert read_table(text.encode(), filename="ai4i.csv").roles["UDI"] == "id"


def test_a_sample_of_rows_keeps_its_rising_counter_an_id() -> None:
    """The bundled AI4I sample is 2,000 of 10,000 rows in file order: UDI runs 10 … 10,000, rising, not 1 … n."""
    n = 40
    udi = sorted(np.random.default_rng(1).choice(np.arange(1, 300), n, replace=False).tolist())
    frame = pl.DataFrame({"UDI": udi, "shuffled": udi[::-1][:20] + udi[:20],
                          "income": [20_000 + 7_919 * i for i in range(n)], "failed": [i % 2 for i in range(n)]})
    roles = infer_roles(frame, {c: "numeric" for c in frame.columns})
    assert roles["UDI"] == "id"  # was 'feature'
    assert roles["shuffled"] == "feature"  # unique, but not rising: a measurement may be
    assert roles["income"] == "feature"  # rising, but spread far wider than the rows: a sorted amount
    from data.ingest import read_table

    text = "UDI,torque,failed\n" + "".join(f"{u},{40 + i % 7}.5,{i % 2}\n" for i, u in enumerate(udi))
    assert read_table(text.encode(), filename="sample.csv").roles["UDI"] == "id"
