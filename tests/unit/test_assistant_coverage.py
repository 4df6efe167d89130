"""Questions about the data's own dates: "what was the latest month" counted the rows of the last whole month
without naming it, and "what is the last year in the data" or "what is the first date" got a docs excerpt."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(5)
DAYS = pd.date_range("2021-03-15", "2022-06-10")
DAYS = DAYS[DAYS.strftime("%Y-%m") != "2021-07"]  # a month with no rows
SALES = pd.DataFrame({"date": np.repeat(DAYS, 2), "store": np.tile([1, 2], len(DAYS)),
                      "sales": rng.integers(1, 50, 2 * len(DAYS))}).sample(frac=0.8, random_state=1)
SALES = SALES.sort_values("date").assign(date=lambda f: f["date"].dt.strftime("%Y-%m-%d"))
YEARLY = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "revenue": [10, 12, 9, 15]})
PLAIN = pd.DataFrame({"age": [30, 41, 52], "amount": [100, 250, 75]})
MONTHS = pd.to_datetime(SALES["date"]).dt.strftime("%Y-%m")


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("coverage") / "var",
                               {"shop": SALES, "yearly": YEARLY, "plain": PLAIN})


def test_the_latest_month_is_named_with_its_rows(rt):
    last = MONTHS.max()
    for question in ("what was the latest month", "What is the last month in the data?"):
        reply = asked(rt, question, "shop")
        first = SALES["date"][MONTHS == last].min()
        assert reply.rows == [{"month": last, "rows": int((MONTHS == last).sum()), "first": first,
                               "last": SALES["date"].max()}], reply.answer
        assert f"The last month in shop is {last} (date: " in reply.answer, reply.answer
    reply = asked(rt, "what is the first date", "shop")
    first = SALES["date"].min()
    assert reply.rows[0]["day"] == first and reply.rows[0]["rows"] == int((SALES["date"] == first).sum())
    reply = asked(rt, "what is the last year in the data", "shop")
    assert reply.rows[0]["year"] == "2022" and reply.rows[0]["rows"] == int(SALES["date"].str[:4].eq("2022").sum())


def test_the_months_covered_are_listed_with_the_gap(rt):
    reply = asked(rt, "which months does the data cover", "shop")
    counts = MONTHS.value_counts().sort_index()
    assert reply.rows == [{"month": m, "rows": int(n)} for m, n in counts.items()], reply.answer
    assert f"{len(counts)} months from 2021-03 to 2022-06, and none in 1 month between (2021-07)" in reply.answer
    reply = asked(rt, "what is the date range", "shop")
    assert reply.rows == [{"first": SALES["date"].min(), "last": SALES["date"].max(), "rows": len(SALES)}]


def test_years_only_or_no_dates_are_refused_in_words(rt):
    reply = asked(rt, "what is the last year in the data", "yearly")
    assert reply.rows == [{"year": "2022", "rows": 1, "first": 2022, "last": 2022}], reply.answer
    reply = asked(rt, "what was the latest month", "yearly", refused=True)
    assert "year holds years only, so it names no month" in reply.answer
    reply = asked(rt, "what is the first date", "plain", refused=True)
    assert "the data has no date or year column" in reply.answer
    reply = asked(rt, "total sales last month", "shop")  # a period of the data, as before
    assert "the last whole calendar month in the data" in reply.answer



def test_every_date_said_is_in_the_evidence(rt):
    reply = asked(rt, "what was the latest month", "shop")  # the data's first date was in no row: "invented"
    assert f"the data runs from {SALES['date'].min()} to" in reply.answer and reply.invented == (), reply.answer
