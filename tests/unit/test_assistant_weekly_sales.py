"""Fresh-eyes QA on a Walmart-weekly-sales-shaped table (Store, Date as dd-mm-yyyy, Weekly_Sales, Holiday_Flag,
Temperature, Fuel_Price, CPI, Unemployment): "which month had the highest sales" gave the highest single store-week
(`Weekly_Sales` was read as a level, like a monthly income), "sales in December 2011" listed the first 50 store-weeks
(its values, all different, were read as ids), and "average weekly sales for holiday weeks vs not" dropped "vs not"."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(28)
WEEKS = pd.date_range("2010-02-05", periods=100, freq="7D")
HOLIDAYS = pd.to_datetime(["2010-02-12", "2010-09-10", "2010-11-26", "2010-12-31", "2011-02-11", "2011-09-09",
                           "2011-11-25", "2011-12-30"])
STORES = 12
WALMART = pd.DataFrame({"Store": np.repeat(np.arange(1, STORES + 1), len(WEEKS)),
                        "Date": np.tile(WEEKS.strftime("%d-%m-%Y"), STORES),
                        "Weekly_Sales": np.round(rng.uniform(2e5, 2e6, STORES * len(WEEKS)), 2),
                        "Holiday_Flag": np.tile(WEEKS.isin(HOLIDAYS).astype(int), STORES),
                        "Temperature": np.round(rng.uniform(10, 95, STORES * len(WEEKS)), 2),
                        "Fuel_Price": np.round(rng.uniform(2.5, 4.2, STORES * len(WEEKS)), 3)})
DATES = pd.to_datetime(WALMART.Date, format="%d-%m-%Y")


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("weekly") / "var", {"walmart": WALMART})


def test_sales_named_per_week_add_up_over_stores_and_weeks(rt):
    months = WALMART.groupby(DATES.dt.strftime("%Y-%m"))["Weekly_Sales"].sum()
    reply = asked(rt, "which month had the highest sales", "walmart")  # was MAX(Weekly_Sales): one store-week
    assert reply.rows == [{"month": months.idxmax(), "total Weekly_Sales": pytest.approx(months.max())}]
    stores = WALMART.groupby("Store")["Weekly_Sales"].sum()
    reply = asked(rt, "which store has the highest sales", "walmart")
    assert reply.rows[:1] == [{"Store": stores.idxmax(), "total Weekly_Sales": pytest.approx(stores.max())}]
    reply = asked(rt, "average weekly sales per store", "walmart")  # a statistic named still wins
    assert reply.rows[0]["average Weekly_Sales"] == pytest.approx(WALMART.groupby("Store")["Weekly_Sales"].mean().max())


def test_sales_over_a_period_are_its_total_though_every_value_differs(rt):
    december = DATES.dt.strftime("%Y-%m") == "2010-12"
    reply = asked(rt, "sales in December 2010", "walmart")  # listed the first 50 store-weeks
    assert reply.rows == [{"total Weekly_Sales": pytest.approx(WALMART.Weekly_Sales[december].sum())}]
    reply = asked(rt, "temperature in December 2010", "walmart")  # a level stays its average
    assert reply.rows == [{"average Temperature": pytest.approx(WALMART.Temperature[december].mean())}]


def test_a_flag_vs_not_answers_both_sides(rt):
    means = WALMART.groupby("Holiday_Flag")["Weekly_Sales"].mean()
    reply = asked(rt, "average weekly sales for holiday weeks vs not", "walmart")  # was Holiday_Flag = 1 alone
    assert {r["Holiday_Flag"]: r["average Weekly_Sales"] for r in reply.rows} == pytest.approx(means.to_dict())
    reply = asked(rt, "average temperature for Holiday_Flag 1 versus not", "walmart")  # was Holiday_Flag = 1 alone
    means = WALMART.groupby("Holiday_Flag")["Temperature"].mean()
    assert {r["Holiday_Flag"]: r["average Temperature"] for r in reply.rows} == pytest.approx(means.to_dict())
    assert "where" not in reply.answer  # the side named is no condition
