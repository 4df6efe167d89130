"""The assistant's table checks, one SELECT each, on a small Our-World-in-Data-like table."""
import polars as pl
import pytest

from data import query_probes as probes


@pytest.fixture
def views(tmp_path):
    path = tmp_path / "t.parquet"
    pl.DataFrame({"iso_code": ["FRA", "FRA", "FRA", "OWID_EUR", "OWID_EUR", "OWID_EUR"],
                  "location": ["France", "France", "France", "Europe", "Europe", "Europe"],
                  "continent": ["Europe", "Europe", "Europe", None, None, None],
                  "date": ["2021-01-01", "2021-01-02", "2021-01-03"] * 2,
                  "total_cases": [5, 7, 7, 50, 60, 55]}).write_parquet(path)
    return {"t": path}


def test_owid_codes_and_the_rows_a_condition_picks(views):
    assert probes.owid_code_column(views, "t", ("location", "iso_code")) == "iso_code"
    assert probes.owid_code_column(views, "t", ("location",)) is None
    blank = probes.blank_clause("continent")
    assert probes.distinct_where(views, "t", "location", probes.all_of(blank, probes.owid_clause("iso_code"))) == \
        ["Europe"]
    assert probes.distinct_where(views, "t", "continent", probes.not_clause(blank)) == ["Europe"]
    picked = probes.all_of(probes.not_clause(blank), probes.in_clause("location", 1))
    assert not probes.has_row(views, "t", picked, ["Europe"]) and probes.has_row(views, "t", picked, ["France"])


def test_rows_a_date_and_the_steps_between_dates(views):
    assert not probes.one_row_a_date(views, "t", "date", None)
    assert probes.one_row_a_date(views, "t", "date", "location")
    assert probes.date_steps(views, "t", "total_cases", "date", "location") == {"pairs": 4, "up": 2, "down": 1}


def test_keys_that_make_each_row_one_entity_on_one_date(views, tmp_path):
    found = probes.key_counts(views, "t", "date", [(), ("location",)])
    assert (found["n"], found["d"], found["u0"], found["u1"], found["k1"]) == (6, 3, 3, 6, 2)
    assert probes.whole_days(views, "t", "date")
    timed = tmp_path / "trips.parquet"
    pl.DataFrame({"pickup": ["2023-01-01 00:00:00", "2023-01-01 08:15:00"]}).with_columns(
        pl.col("pickup").str.to_datetime()).write_parquet(timed)
    assert not probes.whole_days({"trips": timed}, "trips", "pickup")
    assert probes.constant_per_key(views, "t", "continent", ("location",))
    assert not probes.constant_per_key(views, "t", "total_cases", ("location",))
