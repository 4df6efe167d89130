"""Per-period averages, list items and months of the year, run on a small store-item-sales-like table."""
from datetime import date

import polars as pl
import pytest

from data.query import run_select
from data.query_periods import months_of_year, over_list_items, render_per_period
from data.query_spec import Filter, SelectSpec, render


@pytest.fixture
def views(tmp_path):
    path = tmp_path / "t.parquet"
    pl.DataFrame({"date": [date(2020, 1, 1), date(2020, 1, 1), date(2020, 1, 2), date(2020, 2, 3),
                           date(2020, 1, 1), date(2020, 1, 2)],
                  "store": [1, 1, 1, 1, 2, 2],
                  "invoice": ["A", "A", "B", "C", "D", "D"],
                  "sales": [10, 20, 6, 4, 5, None],
                  "artists": ["Drake, SZA", "Drake", "SZA", "Drake, SZA, Future", "Future", "Drake"]}
                 ).write_parquet(path)
    return {"t": path}


def _run(views, text, params):
    return run_select(views, text, params).records()


def test_each_group_is_summed_per_day_before_averaging(views):
    spec = SelectSpec("t", agg="avg", measure="sales", group_by="store", label="average daily sales", limit=5)
    text, params = render_per_period(spec, "date", "day", "days")
    assert _run(views, text, params) == [
        {"store": 1, "average daily sales": pytest.approx(40 / 3), "days": 3, "rows": 4},  # 3 days, not 4 rows
        {"store": 2, "average daily sales": 5.0, "days": 2, "rows": 2}]


def test_a_month_grain_filters_as_parameters_and_ascending_order(views):
    spec = SelectSpec("t", agg="avg", measure="sales", group_by="store", label="m", descending=False,
                      filters=(Filter("invoice", "!=", "A"),))
    text, params = render_per_period(spec, "date", "month", "months")
    assert params == ["A"] and "'A'" not in text
    assert _run(views, text, params) == [{"store": 1, "m": 5.0, "months": 2, "rows": 2},  # a tie: by store
                                         {"store": 2, "m": 5.0, "months": 1, "rows": 2}]


def test_per_document_without_a_group_is_one_figure(views):
    spec = SelectSpec("t", agg="avg", measure="sales", label="average sales per invoice")
    text, params = render_per_period(spec, "invoice", None, "invoice values")
    assert "GROUP BY 1 ORDER BY" not in text
    assert _run(views, text, params) == [{"average sales per invoice": 11.25, "invoice values": 4, "rows": 6}]


def test_a_grouping_over_list_items_counts_each_listed_value(views):
    spec = SelectSpec("t", agg="count", group_by="artists", label="rows", order_by="artists", descending=False)
    text, params = render(spec)
    listed = over_list_items(text, "t", "artists")
    assert 'unnest(string_split(CAST("artists" AS VARCHAR), \', \')) AS "artists"' in listed
    assert _run(views, listed, params) == [{"artists": "Drake", "rows": 4}, {"artists": "Future", "rows": 2},
                                           {"artists": "SZA", "rows": 3}]


def test_months_of_the_year_replace_year_months(views):
    spec = SelectSpec("t", agg="sum", measure="sales", group_by="month", grain="month", grain_column="date",
                      label="sales", order_by="month", descending=False)
    text, params = render(spec)
    assert _run(views, text, params)[0] == {"month": "2020-01", "sales": 41}
    assert _run(views, months_of_year(text, "date"), params) == [{"month": "February", "sales": 4},
                                                               {"month": "January", "sales": 41}]


def test_a_quantile_is_rendered_with_its_fraction_bound_as_a_parameter(views):
    """The assistant's percentiles had swapped MEDIAN(…) in the rendered SQL text for quantile_cont(…, 0.9)."""
    spec = SelectSpec("t", agg="median", measure="sales", group_by="store", label="90th percentile of sales",
                      order_by="store", descending=False, extra={"quantile": 0.9})
    text, params = render(spec)
    assert "quantile_cont" in text and "0.9" not in text and params[0] == 0.9
    rows = _run(views, text, params)
    assert rows[0] == {"store": 1, "90th percentile of sales": pytest.approx(
        pl.Series([10, 20, 6, 4]).quantile(0.9, interpolation="linear"))}
    with pytest.raises(ValueError):
        render(SelectSpec("t", agg="median", measure="sales", extra={"quantile": 90}))
