"""UCI bike sharing (hour.csv): `dteday` holds dates without times, `hr` the hour and `mnth` the month. "What is the
hourly cnt" was answered from the docs, "hourly rentals" refused, "rentals per month" averaged two month totals per
`mnth`, "cnt by hour" listed the hours by their totals (17, 16, 18 …), and "top 3 hours by rentals" ranked the values
of cnt itself ("Top 3 cnts by total cnt: 179 …")."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(5)
HOURS = pd.date_range("2011-01-01", "2011-02-28 23:00", freq="h")
BIKE = pd.DataFrame({"instant": np.arange(1, len(HOURS) + 1), "dteday": HOURS.strftime("%Y-%m-%d"),
                     "mnth": HOURS.month, "hr": HOURS.hour, "temp": np.round(rng.uniform(0, 1, len(HOURS)), 2),
                     "cnt": rng.poisson(20 + 200 * np.exp(-((HOURS.hour.to_numpy() - 17) ** 2) / 6))})
BY_HOUR = BIKE.groupby("hr")["cnt"].sum()


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("bike") / "var", {"hour": BIKE})


@pytest.mark.parametrize("question", ["what is the hourly cnt", "hourly rentals", "cnt by hour"])
def test_by_hour_is_each_hour_of_hr_in_order(rt, question):
    reply = asked(rt, question, "hour")
    assert reply.rows == [{"hr": h, "total cnt": v} for h, v in BY_HOUR.items()], reply.answer
    assert reply.answer.startswith("Total cnt by hr: 0 ("), reply.answer


def test_rentals_per_month_is_each_month_total_in_order(rt):
    reply = asked(rt, "rentals per month", "hour")
    months = BIKE.groupby("mnth")["cnt"].sum()
    assert reply.rows == [{"mnth": m, "total cnt": v} for m, v in months.items()], reply.answer


def test_rankings_of_hours_keep_their_order(rt):
    reply = asked(rt, "which hour has the most rentals", "hour")
    assert reply.rows[:1] == [{"hr": BY_HOUR.idxmax(), "total cnt": BY_HOUR.max()}], reply.answer
    reply = asked(rt, "top 3 hours by rentals", "hour")
    top = BY_HOUR.sort_values(ascending=False).head(3)
    assert reply.rows == [{"hr": h, "total cnt": v} for h, v in top.items()], reply.answer


def test_average_per_day_by_hour_is_in_hour_order(rt):
    """Averages of daily totals per hour were listed by their figure (17, 16, 18 …): the per-period query ignored the
    order the grouping asked for."""
    reply = asked(rt, "average cnt by hr per day", "hour")
    daily = BIKE.groupby(["hr", "dteday"])["cnt"].sum().groupby("hr").mean()
    assert [r["hr"] for r in reply.rows] == list(range(24)), reply.answer
    assert [r["average daily cnt"] for r in reply.rows] == pytest.approx(daily.tolist()), reply.answer
