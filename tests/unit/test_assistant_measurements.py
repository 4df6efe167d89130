"""Fresh-eyes QA on a Palmer-penguins-shaped table (measurements named with their unit: `bill_length_mm`,
`body_mass_g`) and a Yahoo-stock-prices-shaped one (Date, Open, High, Low, Close, Adj Close, Volume): "which species
has the longest bill" and "average bill length by species" were refused, "which species has the deepest bill" added
the depths up, "which species is the heaviest" counted each species' penguins, "highest price" was refused (no
column is named price) and "what was the highest close" was read as the High of the highest Close."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(27)
SPECIES = rng.choice(["Adelie", "Gentoo", "Chinstrap"], 344, p=[0.44, 0.36, 0.2])
PENGUINS = pd.DataFrame({"species": SPECIES, "island": rng.choice(["Torgersen", "Biscoe", "Dream"], 344),
                         "bill_length_mm": np.round(np.where(SPECIES == "Adelie", 38.8, 48.0)
                                                    + rng.normal(0, 2.5, 344), 1),
                         "bill_depth_mm": np.round(np.where(SPECIES == "Gentoo", 15.0, 18.3)
                                                   + rng.normal(0, 1, 344), 1),
                         "flipper_length_mm": rng.integers(172, 231, 344).astype(float),
                         "body_mass_g": rng.integers(2700, 6300, 344).astype(float),
                         "sex": rng.choice(["male", "female"], 344), "year": rng.choice([2007, 2008, 2009], 344)})
PENGUINS.loc[[3, 271], ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex"]] = np.nan
DAYS = pd.bdate_range("2019-01-02", periods=300)
CLOSE = np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.015, len(DAYS)))), 6)
OPEN = np.round(CLOSE * rng.uniform(0.98, 1.02, len(DAYS)), 6)
STOCK = pd.DataFrame({"Date": DAYS.strftime("%Y-%m-%d"), "Open": OPEN,
                      "High": np.round(np.maximum(OPEN, CLOSE) * 1.01, 6),
                      "Low": np.round(np.minimum(OPEN, CLOSE) * 0.99, 6), "Close": CLOSE,
                      "Adj Close": np.round(CLOSE * 0.97, 6), "Volume": rng.integers(1_000_000, 50_000_000, len(DAYS))})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("measures") / "var", {"penguins": PENGUINS, "stock": STOCK})


def test_a_superlative_of_a_dimension_picks_the_column_measuring_it(rt):
    for question, column, most in (("which species has the longest bill", "bill_length_mm", True),
                                   ("which species has the deepest bill", "bill_depth_mm", True),
                                   ("which island has the shortest bill", "bill_length_mm", False),
                                   ("which sex has the shallowest bill", "bill_depth_mm", False)):
        key = question.split()[1]
        means = PENGUINS.groupby(key)[column].mean()
        reply = asked(rt, question, "penguins")  # refused; the sum of depths; refused; refused
        assert reply.rows[:1] == [{key: means.idxmax() if most else means.idxmin(),
                               f"average {column}": pytest.approx(means.max() if most else means.min())}], question


def test_a_measurement_is_named_without_its_unit(rt):
    means = PENGUINS.groupby("species")["bill_length_mm"].mean()
    reply = asked(rt, "average bill length by species", "penguins")  # was refused: no column 'bill length'
    assert {r["species"]: r["average bill_length_mm"] for r in reply.rows} == pytest.approx(means.to_dict())
    masses = PENGUINS.groupby("island")["body_mass_g"].mean()
    reply = asked(rt, "which island has the highest body mass", "penguins")
    assert reply.rows[:1] == [{"island": masses.idxmax(), "average body_mass_g": pytest.approx(masses.max())}]


def test_a_size_superlative_with_no_column_is_refused_naming_the_one_it_could_be(rt):
    reply = asked(rt, "which species is the heaviest", "penguins", refused=True)  # counted each species' rows
    assert "'the highest average body_mass_g'" in reply.answer


def test_the_price_of_a_price_bar_table_is_its_close(rt):
    reply = asked(rt, "what was the highest price", "stock")  # was refused: no column named price
    assert reply.rows == [{"maximum Close": CLOSE.max()}]
    reply = asked(rt, "what was the lowest price and when", "stock")
    assert reply.rows == [{"day": STOCK.Date[CLOSE.argmin()], "minimum Close": CLOSE.min()}]
    means = STOCK.groupby(DAYS.strftime("%Y-%m"))["Close"].mean()
    reply = asked(rt, "average price by month", "stock")
    assert [r["average Close"] for r in reply.rows] == pytest.approx(means.tolist())


def test_highest_is_no_written_out_high(rt):
    reply = asked(rt, "what was the highest close", "stock")  # "The highest Close is …, for High …"
    assert reply.rows == [{"maximum Close": CLOSE.max()}]
    reply = asked(rt, "what was the highest close and when", "stock")  # the day was dropped
    assert reply.rows == [{"day": STOCK.Date[CLOSE.argmax()], "maximum Close": CLOSE.max()}]
    assert asked(rt, "what was the lowest low", "stock").rows == [{"minimum Low": STOCK.Low.min()}]
