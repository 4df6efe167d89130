"""A QA pass against pandas on a Seattle-weather-shaped daily table: "which month is the hottest" counted each
month's rows ("August (124) and December (124) and … have the highest number of rows"); a superlative naming no
column is refused, naming the numeric columns."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables

rng = np.random.default_rng(19)
DAYS = pd.date_range("2012-01-01", "2013-12-31", freq="D")
MAX = np.round(15 + 10 * np.sin((DAYS.dayofyear - 100) / 365 * 2 * np.pi) + rng.normal(0, 3, len(DAYS)), 1)
WEATHER = pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "precipitation": np.round(rng.gamma(1, 3, len(DAYS)), 1),
                        "temp_max": MAX, "temp_min": np.round(MAX - rng.uniform(3, 10, len(DAYS)), 1),
                        "weather": rng.choice(["rain", "sun", "fog"], len(DAYS))})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("weather") / "var", {"seattle": WEATHER})


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", dataset="seattle", save=False)


@pytest.mark.parametrize("question", ["which month is the hottest", "which year was the wettest",
                                      "what was the coldest day"])
def test_a_weather_superlative_naming_no_column_is_refused(rt, question):
    reply = _ask(rt, question)  # with the dataset picked: the data's answer, not a documentation excerpt
    assert reply.cannot and not reply.rows and reply.tool == "query_dataset", reply.answer
    assert "does not say which column to rank by" in reply.answer
    assert "(numeric columns: precipitation, temp_max, temp_min)" in reply.answer


def test_the_column_named_still_ranks_the_months(rt):
    reply = _ask(rt, "which month has the highest average temp_max")
    months = WEATHER.groupby(WEATHER.date.str[:7]).temp_max.mean()
    assert reply.rows[0] == {"month": months.idxmax(), "average temp_max": pytest.approx(months.max())}
