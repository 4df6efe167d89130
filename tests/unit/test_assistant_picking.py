"""Picking a dataset when none is named: "which failure mode is most common" with a football `matches` table stored
after a machine table picked `matches` (the newest of equal scores) and refused, as "failure" alone did not match
the column "Machine failure"."""
import pandas as pd
import pytest

from services import assistant_tools, datasets
from tests.support import make_runtime


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("picking") / "var")
    machines = pd.DataFrame({"UDI": range(1, 9), "Type": list("LMHLLMHL"), "Torque [Nm]": [40.0 + i for i in range(8)],
                             "Machine failure": [0, 1, 0, 1, 0, 0, 1, 0], "TWF": [0, 1, 0, 0, 0, 0, 0, 0],
                             "HDF": [0, 0, 0, 1, 0, 0, 1, 0]})
    matches = pd.DataFrame({"Date": ["2001-08-11", "2001-08-18", "2001-08-25"], "Opponent": ["Leeds", "Hull", "Bury"],
                            "Result": ["W 2-0", "L 0-1", "D 1-1"], "Attendance": [5000, 6200, 5800]})
    for name, frame in (("machines", machines), ("matches", matches)):
        datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=f"{name}.csv", name=name,
                                user="ana")
    return runtime


def test_a_word_of_a_column_name_picks_the_table_holding_it(rt):
    assert assistant_tools.choose_dataset(rt, "which failure mode is most common") == "machines"


def test_a_full_column_name_still_outweighs_a_word_of_one(rt):
    scores = dict(assistant_tools.match_scores(rt, "which machine failure is most common"))
    part = dict(assistant_tools.match_scores(rt, "which failure is most common"))
    assert scores["machines"] > part["machines"] > part["matches"] == 0


def test_stopwords_and_short_words_of_column_names_do_not_count(rt):
    assert dict(assistant_tools.match_scores(rt, "what is the total of it"))["machines"] == 0
