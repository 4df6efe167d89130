"""A QA pass against pandas on a Pokémon-stats-shaped table: a column named "#" made every question a traceback
(IndexError); Type 1 values that are also Type 2 values, on rows whose Type 2 is blank, were taken for summary rows
and every Type 1 left out ("no rows of 'pokemon' match"); "top 5 pokemon by total" counted the rows of each Total."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(23)
N = 240
TYPES = ["Water", "Normal", "Grass", "Fire", "Dragon"]
POKEMON = pd.DataFrame({"#": np.sort(rng.integers(1, 722, N)), "Name": [f"Mon{i}" for i in range(N)],
                        "Type 1": rng.choice(TYPES, N),
                        "Type 2": np.where(rng.random(N) < .45, "", rng.choice(TYPES + ["Flying"], N)),
                        "Total": rng.permutation(np.arange(200, 200 + 3 * N, 3)), "Attack": rng.integers(5, 190, N),
                        "Legendary": rng.choice([False, True], N, p=[.9, .1])})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("pokedex") / "var", {"pokemon": POKEMON})


def _ask(rt, question):
    return asked(rt, question, "pokemon")


def test_groups_whose_values_recur_in_a_sometimes_blank_column_are_all_kept(rt):
    reply = _ask(rt, "average attack by type 1")
    expected = POKEMON.groupby("Type 1").Attack.mean()
    assert {r["Type 1"]: r["average Attack"] for r in reply.rows} == pytest.approx(expected.to_dict())
    assert "WHERE" not in reply.query
    reply = _ask(rt, "what percentage of pokemon are legendary")
    assert reply.rows[0]["rows"] == N and reply.rows[0]["matching rows"] == POKEMON.Legendary.sum()


def test_the_tables_own_name_names_its_rows(rt):
    top = POKEMON.nlargest(5, "Total")
    reply = _ask(rt, "top 5 pokemon by total")
    assert [(r["Name"], r["Total"]) for r in reply.rows] == list(zip(top.Name, top.Total)), reply.answer
    best = POKEMON[POKEMON.Attack == POKEMON.Attack.max()]
    reply = _ask(rt, "which pokemon has the highest attack")
    assert sorted(r["Name"] for r in reply.rows) == sorted(best.Name), reply.answer
