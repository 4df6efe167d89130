"""A QA pass against pandas on shapes beside today's running-total and aggregate-row rules: "how many countries"
of an Our-World-in-Data table counted its rows (220, World and continents among them); "total revenue by region"
of a sheet ending in a 'Total' row read "total" as Region = Total; monthly revenue per store that grew every month
for two years was refused as a running total."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import first_value, runtime_with_tables
from tests.unit.test_assistant_places import OWID, PARTS

SHEET = pd.DataFrame({"Region": ["North", "South", None, "East", "West", None, "North", "East"],
                      "Product": ["A", "B", "C", "A", "B", "C", "B", "C"],
                      "Revenue": [100.0, 220.0, 55.0, 70.0, 95.0, 41.0, 33.0, 88.0]})
SHEET = pd.concat([SHEET, pd.DataFrame({"Region": ["Total"], "Product": [None], "Revenue": [SHEET.Revenue.sum()]})],
                  ignore_index=True)
PARTS_SHEET = SHEET.iloc[:-1]


def _stores() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    months = pd.date_range("2022-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    return pd.DataFrame([{"store": s, "month": m, "revenue": round(1000 * (i + 1) + 50 * k + rng.uniform(0, 40), 2)}
                         for i, s in enumerate(["S1", "S2", "S3"]) for k, m in enumerate(months)])


STORES = _stores()


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("shapes") / "var",
                               {"owid": OWID, "sheet": SHEET, "stores": STORES})


def _ask(rt, question, dataset):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


@pytest.mark.parametrize("question", ["how many countries are there", "number of countries", "how many locations"])
def test_how_many_countries_counts_the_places_not_the_rows(rt, question):
    reply = _ask(rt, question, "owid")  # was 220 rows
    assert first_value(reply) == PARTS.location.nunique() == 6
    assert "aggregates (location World" in reply.answer


def test_countries_per_continent_are_distinct_places(rt):
    reply = _ask(rt, "how many countries per continent", "owid")  # was the rows of each continent (60, 40, 20)
    assert {r["continent"]: r["distinct location"] for r in reply.rows} == \
        PARTS.groupby("continent").location.nunique().to_dict()


def test_a_value_after_the_counted_places_is_not_one_of_them(rt):
    reply = _ask(rt, "how many countries in Europe", "owid")  # not "rows where location = Europe"
    # Europe is a location (its summary rows) and a continent: the continent's countries are counted (was refused)
    assert first_value(reply) == PARTS[PARTS.continent == "Europe"].location.nunique()
    assert "continent = Europe" in reply.answer, reply.answer


def test_total_by_a_column_holding_a_total_row_is_no_filter_on_it(rt):
    reply = _ask(rt, "total revenue by region", "sheet")  # was "where Region = Total: Total (702)"
    got = {r["Region"]: r["total Revenue"] for r in reply.rows}
    assert got == PARTS_SHEET.fillna({"Region": "-"}).groupby("Region").Revenue.sum().rename({"-": None}).to_dict()
    assert "Total" not in got
    assert first_value(_ask(rt, "revenue of region Total", "sheet")) == SHEET.Revenue.iloc[-1]


@pytest.mark.parametrize("question", ["total revenue by store", "which store has the highest revenue"])
def test_revenue_that_grew_every_month_is_still_added_up(rt, question):
    reply = _ask(rt, question, "stores")  # was refused: "revenue is a running total"
    sums = STORES.groupby("store").revenue.sum()
    assert first_value(reply) == "S3" and reply.rows[0]["total revenue"] == pytest.approx(sums["S3"])


def test_how_many_of_an_amount_above_a_value_counts_the_rows(rt):
    reply = _ask(rt, "how many new cases above 210 in Germany", "owid")  # was refused: no column matches 'that'
    germany = OWID[OWID.location == "Germany"]
    assert first_value(reply) == (germany.new_cases > 210).sum() > 0
    assert first_value(_ask(rt, "how many new cases in Germany", "owid")) == germany.new_cases.sum()
