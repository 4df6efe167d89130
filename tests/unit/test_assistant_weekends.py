"""Weekends as a condition on a trip table's pickup timestamp: "weekend trips", "how many trips on weekends" and
"average fare on weekends" were refused ('weekends' no column or value)."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(3)
N = 500
PICKUP = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 31 * 86400, N), unit="s")
DROPOFF = PICKUP + pd.to_timedelta(rng.integers(3, 600, N), unit="m")  # some end the next day
TAXI = pd.DataFrame({"tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": DROPOFF.strftime("%Y-%m-%d %H:%M:%S"),
                     "fare_amount": np.round(rng.gamma(2, 7, N), 2)})
WEEKEND = PICKUP.dayofweek >= 5


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("taxi") / "var", {"taxi": TAXI})


def test_weekend_trips_are_counted_on_the_pickup(rt):
    for question in ("weekend trips", "how many trips on weekends", "how many trips on the weekend"):
        reply = asked(rt, question, "taxi")
        assert reply.rows == [{"rows": int(WEEKEND.sum())}], reply.answer
        assert "where tpep_pickup_datetime is a weekend day (Saturday or Sunday)" in reply.answer, reply.answer
    reply = asked(rt, "how many trips on weekdays", "taxi")
    assert reply.rows == [{"rows": int((~WEEKEND).sum())}], reply.answer
    reply = asked(rt, "weekend dropoffs", "taxi")  # a word of the other timestamp picks it
    assert reply.rows == [{"rows": int((DROPOFF.dayofweek >= 5).sum())}], reply.answer


def test_an_average_on_weekends_and_both_at_once(rt):
    reply = asked(rt, "average fare on weekends", "taxi")
    assert reply.rows[0]["average fare_amount"] == pytest.approx(TAXI.fare_amount[WEEKEND].mean()), reply.answer
    asked(rt, "average fare on weekends vs weekdays", "taxi", refused=True)  # two groups, not one condition
    reply = asked(rt, "trips by weekday", "taxi")  # a grouping, as before
    assert len(reply.rows) == 7, reply.answer


def test_a_follow_up_swaps_weekends_for_weekdays(rt):
    from services import assistant

    assistant.answer(rt, "how many trips on weekends", user="ana", dataset="taxi", conversation_id="wk")
    reply = assistant.answer(rt, "and on weekdays?", user="ana", dataset="taxi", conversation_id="wk")
    assert reply.rows == [{"rows": int((~WEEKEND).sum())}], reply.answer
    assert "weekend" not in reply.answer, reply.answer  # the swapped condition's note went with it
    reply = asked(rt, "what share of trips are on weekends", "taxi")
    assert reply.rows[0]["matching rows"] == int(WEEKEND.sum()) and reply.rows[0]["rows"] == N, reply.answer
