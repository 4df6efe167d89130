"""A QA pass against pandas on a Chicago-crimes-shaped incident log: "what share of thefts led to an arrest" and
"percentage of homicides with an arrest" were answered as the share of arrests that were thefts (27.2 % of 1,194
arrests, where 15.8 % of thefts had one)."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(17)
N = 600
STAMPS = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, N), unit="s")
CRIMES = pd.DataFrame({"ID": rng.choice(np.arange(12_000_000, 13_000_000), N, replace=False),
                       "Date": STAMPS.strftime("%m/%d/%Y %I:%M:%S %p"),
                       "Primary Type": rng.choice(["THEFT", "BATTERY", "HOMICIDE"], N, p=[.5, .4, .1]),
                       "Arrest": rng.choice(["true", "false"], N, p=[.2, .8]),
                       "Domestic": rng.choice(["true", "false"], N, p=[.2, .8]),
                       "District": rng.integers(1, 26, N).astype(float)})
ARRESTED = CRIMES.Arrest == "true"


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("incidents") / "var", {"crimes": CRIMES})


def _share(rt, question):
    reply = asked(rt, question, "crimes")
    return reply.rows[0], reply.answer


@pytest.mark.parametrize("question, kind", [("what share of thefts led to an arrest", "THEFT"),
                                            ("what percentage of thefts resulted in an arrest", "THEFT"),
                                            ("percentage of homicides with an arrest", "HOMICIDE")])
def test_the_rows_named_first_are_the_population_and_the_outcome_is_counted(rt, question, kind):
    picked = CRIMES["Primary Type"] == kind
    row, answer = _share(rt, question)
    assert (row["matching rows"], row["rows"]) == ((picked & ARRESTED).sum(), picked.sum()), answer
    assert row["% Arrest = True"] == pytest.approx(100 * ARRESTED[picked].mean())
    assert f"of the rows where Primary Type = {kind} have Arrest = True" in answer


def test_the_other_way_round_still_reads_as_written(rt):
    row, answer = _share(rt, "what percentage of arrests were thefts")
    assert (row["matching rows"], row["rows"]) == ((ARRESTED & (CRIMES["Primary Type"] == "THEFT")).sum(),
                                                   ARRESTED.sum()), answer
    row, _ = _share(rt, "what percentage of crimes resulted in an arrest")
    assert (row["matching rows"], row["rows"]) == (ARRESTED.sum(), N)
