"""A QA pass against pandas on an Our-World-in-Data-shaped table (countries beside World, continents, the EU and
income groups, whose iso_code starts OWID_ and whose continent is blank; Kosovo's OWID_KOS code with a continent),
an IBM-HR-shaped table (Attrition Yes/No) and stored runs: summed or ranked across locations the aggregates
counted each case two or three times and ranked World first; "which country" found no `location`; "left and
stayed" matched no row; "the cut-off of the finance run" and "which features were used" listed every metric."""
import numpy as np
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import first_value, make_runtime, runtime_with_tables

COUNTRIES = (("FRA", "Europe", "France"), ("DEU", "Europe", "Germany"), ("OWID_KOS", "Europe", "Kosovo"),
             ("CHN", "Asia", "China"), ("IND", "Asia", "India"), ("USA", "North America", "United States"))


def _owid() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    days = pd.date_range("2021-01-01", periods=20).strftime("%Y-%m-%d")
    parts = [pd.DataFrame({"iso_code": iso, "continent": continent, "location": location, "date": days,
                           "new_cases": rng.poisson(100 * (i + 1), len(days)).astype(float),
                           "new_deaths": rng.poisson(3 * (i + 1), len(days)).astype(float),
                           "population": 1e6 * (i + 1)})
             for i, (iso, continent, location) in enumerate(COUNTRIES)]
    countries = pd.concat(parts, ignore_index=True)
    groups = [("OWID_WRL", "World", countries.location.notna()),
              ("OWID_EUR", "Europe", countries.continent == "Europe"),
              ("OWID_ASI", "Asia", countries.continent == "Asia"),
              ("OWID_EUN", "European Union", countries.location.isin(["France", "Germany"])),
              ("OWID_HIC", "High income", countries.location.isin(["France", "Germany", "United States"]))]
    sums = [countries[mask].groupby("date", as_index=False)[["new_cases", "new_deaths", "population"]].sum()
            .assign(iso_code=iso, continent=None, location=name) for iso, name, mask in groups]
    frame = pd.concat([countries, *sums], ignore_index=True)
    frame["total_cases"] = frame.groupby("location").new_cases.cumsum()
    frame["total_deaths"] = frame.groupby("location").new_deaths.cumsum()
    frame["people_vaccinated"] = np.arange(len(frame)) * 10
    return frame[["iso_code", "continent", "location", "date", "total_cases", "new_cases", "total_deaths",
                  "new_deaths", "population", "people_vaccinated"]]


OWID = _owid()
PARTS = OWID[OWID.continent.notna()]
STAFF = pd.DataFrame({"EmployeeNumber": range(1, 9), "Attrition": ["Yes", "No", "No", "Yes", "No", "No", "Yes", "No"],
                      "MonthlyIncome": [3000, 9000, 12000, 2500, 7000, 8000, 4100, 15000]})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("places") / "var", {"owid": OWID, "staff": STAFF})


def _ask(rt, question, dataset=None):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_a_total_across_locations_leaves_the_aggregate_rows_out(rt):
    reply = _ask(rt, "total new cases", "owid")  # was the sum over every row: each case counted three times
    assert first_value(reply) == PARTS.new_cases.sum() != OWID.new_cases.sum()
    assert "aggregates (location World, Asia, Europe, European Union …, where continent is blank)" in reply.answer
    daily = _ask(rt, "average new cases per day", "owid")
    assert f"{PARTS.groupby('date').new_cases.sum().mean():,.2f}" in daily.answer, daily.answer


def test_a_ranking_of_locations_or_continents_leaves_the_aggregates_out(rt):
    expected = PARTS.groupby("location").new_cases.sum()
    reply = _ask(rt, "which location has the most cases", "owid")  # was World
    assert reply.rows[0] == {"location": expected.idxmax(), "total new_cases": expected.max()}, reply.answer
    continents = _ask(rt, "total deaths by continent", "owid")  # had a "no continent" group of the aggregates
    assert {r["continent"]: r["total new_deaths"] for r in continents.rows} == \
        PARTS.groupby("continent").new_deaths.sum().to_dict()
    kosovo = _ask(rt, "total new cases in continent Europe", "owid")  # OWID_KOS has a continent: a country
    assert first_value(kosovo) == PARTS[PARTS.continent == "Europe"].new_cases.sum()


def test_a_question_naming_an_aggregate_reads_its_own_rows(rt):
    reply = _ask(rt, "total new cases in location World", "owid")
    assert first_value(reply) == OWID[OWID.location == "World"].new_cases.sum()
    assert "aggregates" not in reply.answer


def test_a_country_word_finds_the_one_column_of_place_names(rt):
    expected = PARTS.groupby("location").new_deaths.sum()
    reply = _ask(rt, "which country has the most deaths", "owid")  # was refused: no column 'country'
    assert reply.rows[0] == {"location": expected.idxmax(), "total new_deaths": expected.max()}, reply.answer


def test_a_table_without_aggregates_is_left_as_it_is(rt):
    reply = _ask(rt, "total monthly income", "staff")
    assert first_value(reply) == STAFF.MonthlyIncome.sum() and "aggregates" not in reply.answer


@pytest.mark.parametrize("question", ["Compare the average monthly income of employees who left and who stayed",
                                      "average monthly income of employees who left vs not"])
def test_both_sides_of_a_yes_no_column_are_compared(rt, question):
    reply = _ask(rt, question, "staff")  # was refused: Attrition = Yes and Attrition = No together
    expected = STAFF.groupby("Attrition").MonthlyIncome.mean()
    got = {str(r["Attrition"]): r["average MonthlyIncome"] for r in reply.rows}
    assert got == {"True": expected["Yes"], "False": expected["No"]}, reply.answer


@pytest.fixture(scope="module")
def runs_rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("runfacts") / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                               metrics={"oof_auc": 0.8083, "gini": 0.6166, "cutoff": 0.1801, "bayes_cutoff": 0.1667},
                               parameters={"features": ["checking_status", "credit_amount"], "folds": 3,
                                           "ratios": {"credit_amount per duration_months": ["credit_amount"]}}))
        uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                               metrics={"wape": 11.91, "mase": 0.68},
                               parameters={"target": "sales", "keys": ["store", "item"], "exogenous": [],
                                           "horizon": 14}))
        uow.commit()
    return runtime


def test_a_run_question_reads_the_figure_or_setting_asked(runs_rt):
    cut = _ask(runs_rt, "what is the cut-off of the finance run")  # listed every metric
    assert "Cut-off (PD) = 0.1801" in cut.answer and "AUC" not in cut.answer, cut.answer
    horizon = _ask(runs_rt, "what is the horizon of run 2")
    assert horizon.rows == [{"run": 2, "parameter": "horizon", "value": 14}], horizon.answer
    missing = _ask(runs_rt, "what is the learning rate of run 1")
    assert "stores no learning rate" in missing.answer, missing.answer


def test_the_features_of_a_run_are_its_stored_feature_list(runs_rt):
    finance = _ask(runs_rt, "which features were used in run 1")
    assert [r["feature"] for r in finance.rows] == ["checking_status", "credit_amount",
                                                    "credit_amount per duration_months"], finance.answer
    named = _ask(runs_rt, "which features does the finance model use")  # the desk's newest run
    assert named.rows == finance.rows, named.answer
    retail = _ask(runs_rt, "which features were used in run 2")
    assert "stores no list of feature columns" in retail.answer and "WAPE" not in retail.answer, retail.answer


def test_a_column_that_only_grows_over_each_locations_dates_is_not_added_up(rt):
    total = _ask(rt, "total people vaccinated in India", "owid")  # summed 20 days of a running count
    assert total.cannot and "people_vaccinated is a running total" in total.answer, total.answer
    peak = _ask(rt, "highest people vaccinated in India", "owid")
    assert first_value(peak) == OWID[OWID.location == "India"].people_vaccinated.max()
    assert first_value(_ask(rt, "total new deaths in India", "owid")) == \
        OWID[OWID.location == "India"].new_deaths.sum()  # a daily count rises and falls: still added up
