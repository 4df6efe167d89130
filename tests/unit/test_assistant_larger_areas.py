"""Kaggle avocado prices hold TotalUS, regions (West, California …) and cities (LosAngeles …) in one `region`
column. TotalUS was left out as a named total, but "total volume by region" still put West and California beside the
cities they add up, and "total volume in 2017" counted each avocado two or three times. Values that are the sum of
others on every date and type are now left out too, and said; a table whose regions add up nothing keeps them all."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(27)
WEEKS = pd.date_range("2016-01-03", periods=30, freq="W-SUN").strftime("%Y-%m-%d")
CITIES = {"LosAngeles": "California", "SanDiego": "California", "Seattle": "West", "Portland": "West",
          "Boston": "Northeast", "Albany": "Northeast"}


def _avocado(additive: bool) -> pd.DataFrame:
    rows = []
    for week in WEEKS:
        for kind in ("conventional", "organic"):
            volume = {c: float(np.round(rng.gamma(3, 1000), 2)) for c in CITIES}
            areas = {"California": ["LosAngeles", "SanDiego"], "TotalUS": list(CITIES),
                     "West": ["LosAngeles", "SanDiego", "Seattle", "Portland"]}
            volume.update({a: round(sum(volume[c] for c in parts), 2) if additive else float(rng.gamma(3, 4000))
                           for a, parts in areas.items()})
            rows += [(week, round(float(rng.normal(1.4, 0.2)), 2), v, kind, r) for r, v in volume.items()]
    return pd.DataFrame(rows, columns=["Date", "AveragePrice", "Total Volume", "type", "region"])


AVOCADO, LOOSE = _avocado(True), _avocado(False)
PARTS = AVOCADO[AVOCADO.region.isin(CITIES)]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("areas") / "var", {"avocado": AVOCADO, "loose": LOOSE})


def test_areas_that_add_up_cities_are_left_out_of_rankings_and_totals(rt):
    reply = asked(rt, "total volume by region", "avocado")
    totals = PARTS.groupby("region")["Total Volume"].sum()
    assert {r["region"]: round(r["total Total Volume"], 2) for r in reply.rows} == totals.round(2).to_dict()
    assert "(region TotalUS, California, West)" in reply.answer, reply.answer
    reply = asked(rt, "which region sold the most avocados", "avocado")
    assert reply.rows[0]["region"] == totals.idxmax(), reply.answer
    whole = AVOCADO[AVOCADO.region == "TotalUS"]["Total Volume"].sum()
    for question in ("total volume", "what is the total volume"):  # once, as TotalUS says: it was three times over
        reply = asked(rt, question, "avocado")  # (the first was refused, the second counted distinct volumes)
        assert reply.rows == [{"total Total Volume": pytest.approx(whole)}], reply.answer


def test_an_area_named_is_still_read_and_totalled(rt):
    reply = asked(rt, "total volume for region West", "avocado")  # it listed the first 50 volumes
    west = AVOCADO[AVOCADO.region == "West"]["Total Volume"].sum()
    assert reply.rows == [{"total Total Volume": pytest.approx(west)}], reply.answer


def test_regions_that_add_up_nothing_stay(rt):
    reply = asked(rt, "total volume by region", "loose")
    assert {r["region"] for r in reply.rows} == set(LOOSE.region) - {"TotalUS"}, reply.answer
    assert "(region TotalUS)" in reply.answer, reply.answer
