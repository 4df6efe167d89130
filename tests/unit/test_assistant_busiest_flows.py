"""A browser pass on the bundled daily store/item sales table (2 stores x 3 items x 731 days): "busiest month" ranked
the months by their rows, and with one row per store, item and day every 31-day month tied ("2016-01 (186) and
2016-03 (186) and … have the highest number of rows"). One numeric column of what is sold (`sales`) ranks by its
total; a trips table, one row a trip, still ranks by its rows; a tie of many buckets says it is a tie."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(26)
DAYS = pd.date_range("2016-01-01", "2016-12-31", freq="D")
SALES = pd.concat([pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "store": store, "item": item,
                                 "sales": rng.poisson(10 * item + DAYS.month.to_numpy() * store)})
                   for store in (1, 2) for item in (1, 2, 3)], ignore_index=True)
N = 400
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 90 * 24 * 3600, N), unit="s")
TRIPS = pd.DataFrame({"pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                      "trip_distance": np.round(rng.gamma(1.5, 2.0, N), 2),
                      "fare_amount": np.round(rng.gamma(2.0, 7.0, N), 2)})
INVOICES = pd.DataFrame({"Invoice ID": [f"{750 + i}-67-{8428 + i}" for i in range(N)],
                         "Date": PICKUP.strftime("%Y-%m-%d"), "Quantity": rng.integers(1, 11, N)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("flows") / "var", {"sales": SALES, "trips": TRIPS,
                                                                                "invoices": INVOICES})


def test_busiest_and_quietest_month_of_a_sales_table_rank_by_total_sales(rt):
    monthly = SALES.groupby(SALES.date.str[:7])["sales"].sum()
    assert SALES.date.str[:7].value_counts().eq(186).sum() == 7  # by rows, seven months tie
    for question, month, value, best in (("busiest month", monthly.idxmax(), monthly.max(), "highest"),
                                         ("quietest month", monthly.idxmin(), monthly.min(), "lowest")):
        reply = asked(rt, question, "sales")
        assert reply.rows == [{"month": month, "total sales": value}], reply.answer
        assert reply.answer == f"month {month} ({value:,}) has the {best} total sales.", reply.answer


def test_rows_still_rank_where_asked_or_where_each_row_is_one_event(rt):
    reply = asked(rt, "busiest month by rows", "sales")  # the rows said: counted, and the tie said to be one
    assert {r["month"] for r in reply.rows} == {"2016-01", "2016-03", "2016-05", "2016-07", "2016-08",
                                                "2016-10", "2016-12"}
    assert reply.answer.endswith("have the highest number of rows, a tie of 7 months."), reply.answer
    months = PICKUP.strftime("%Y-%m").value_counts()
    reply = asked(rt, "busiest month", "trips")  # no flow column: a trip is a row
    assert reply.rows == [{"month": months.idxmax(), "rows": months.max()}], reply.answer
    reply = asked(rt, "busiest month", "invoices")  # one row an invoice, each with its id: the invoices counted
    assert reply.rows == [{"month": months.idxmax(), "rows": months.max()}], reply.answer
