"""Our World in Data tables hold countries and summary rows (Europe, World, High income) in ``location``, with a
``continent`` blank on the summary rows: "new cases in Europe" was refused ('Europe' is a value of several
columns). It is the sum over the continent's countries now, checked against the Europe row in the reply."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _owid(extra: float) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    days = pd.date_range("2022-01-01", periods=20).strftime("%Y-%m-%d")
    places = {"France": "Europe", "Germany": "Europe", "Italy": "Europe", "Japan": "Asia", "India": "Asia"}
    rows = [pd.DataFrame({"iso_code": name[:3].upper(), "continent": continent, "location": name, "date": days,
                          "new_cases": rng.poisson(1000, 20).astype(float), "population": 10**7 * (i + 1)})
            for i, (name, continent) in enumerate(places.items())]
    countries = pd.concat(rows, ignore_index=True)
    summaries = []
    for name, code, members in (("Europe", "OWID_EUR", ["France", "Germany", "Italy"]),
                                ("World", "OWID_WRL", list(places)), ("High income", "OWID_HIC", ["France", "Japan"])):
        part = countries[countries.location.isin(members)].groupby("date", as_index=False)[
            ["new_cases", "population"]].sum()
        part["new_cases"] += extra if name == "Europe" else 0  # the source's own sum may differ a little
        summaries.append(part.assign(iso_code=code, continent=None, location=name))
    return pd.concat([countries, *summaries], ignore_index=True)


SAME, OTHER = _owid(0.0), _owid(5.0)


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("regions") / "var", {"owid": SAME, "owid_other": OTHER})


def _ask(rt, question, dataset):
    reply = assistant.answer(rt, question, user="ana", dataset=dataset, save=False)
    assert not reply.cannot, reply.answer
    return reply


@pytest.mark.parametrize("question", ["new cases in Europe", "how many new cases in Europe"])
def test_a_continent_that_is_also_a_summary_row_is_its_countries_checked_against_that_row(rt, question):
    members = SAME[SAME.continent == "Europe"].new_cases.sum()
    own = SAME[SAME.location == "Europe"].new_cases.sum()
    reply = _ask(rt, question, "owid")
    assert members == own and reply.rows == [{"total new_cases": members}], reply.answer
    assert "continent = Europe" in reply.answer and f"location = Europe, which give the same: {own:,.0f}" \
        in reply.answer, reply.answer


def test_a_summary_row_that_differs_is_said_with_its_own_figure(rt):
    members = OTHER[OTHER.continent == "Europe"].new_cases.sum()
    own = OTHER[OTHER.location == "Europe"].new_cases.sum()
    reply = _ask(rt, "new cases in Europe", "owid_other")
    assert reply.rows == [{"total new_cases": members}] and f"which give {own:,.0f}" in reply.answer, reply.answer
    latest = SAME[SAME.continent == "Europe"].sort_values("date").groupby("location").tail(1)
    reply = _ask(rt, "population of Europe", "owid")  # each country's latest population, not 20 days of it
    assert reply.rows[0]["total population"] == latest.population.sum(), reply.answer
