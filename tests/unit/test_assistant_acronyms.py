"""A QA pass on AI4I 2020 (failure modes `TWF`, `HDF`, `PWF`, `OSF`, `RNF` beside `Machine failure`): "how many heat
dissipation failures" counted every machine failure (339, not 115) and "how many machines had a tool wear failure"
counted failures with `Tool wear [min]` > 0 (336, not 46). A mode said in words is its acronym column. "How many
failures were there" was refused ('failures' unused): a plural of the 0/1 `Machine failure` counts its 1s."""
import numpy as np
import pandas as pd
import pytest

from services.assistant_acronyms import _spells
from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(7)
N = 300
MODES = {m: (rng.random(N) < p).astype(int) for m, p in (("TWF", 0.05), ("HDF", 0.1), ("PWF", 0.08), ("OSF", 0.07),
                                                         ("RNF", 0.03))}
AI4I = pd.DataFrame({"UDI": range(1, N + 1), "Type": rng.choice(["L", "M", "H"], N, p=[0.6, 0.3, 0.1]),
                     "Torque [Nm]": np.round(rng.normal(40, 10, N), 1), "Tool wear [min]": rng.integers(0, 250, N),
                     "Machine failure": np.max(np.vstack(list(MODES.values())), axis=0), **MODES})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("modes") / "var", {"ai4i": AI4I})


@pytest.mark.parametrize("question, mode", [("how many heat dissipation failures", "HDF"),
                                            ("how many power failures", "PWF"),
                                            ("how many machines had a tool wear failure", "TWF"),
                                            ("how many overstrain failures are there", "OSF"),
                                            ("number of random failures", "RNF")])
def test_a_failure_mode_said_in_words_counts_its_column(rt, question, mode):
    reply = asked(rt, question, "ai4i")
    assert reply.rows == [{"rows": int(AI4I[mode].sum())}], reply.answer
    assert reply.answer == f"There are {int(AI4I[mode].sum())} rows where {mode} = 1.", reply.answer


def test_a_mode_is_a_condition_for_other_statistics(rt):
    reply = asked(rt, "average torque for power failures", "ai4i")
    assert reply.rows[0]["average Torque [Nm]"] == pytest.approx(AI4I[AI4I.PWF == 1]["Torque [Nm]"].mean())
    assert asked(rt, "how many machines failed", "ai4i").rows == [{"rows": int(AI4I["Machine failure"].sum())}]


def test_letters_split_over_words_in_order():
    assert _spells("pwf", ["power", "failures"]) and _spells("osf", ["overstrain", "failure"])
    assert not _spells("pwf", ["pressure", "failure"]) and not _spells("hdf", ["heat", "failure"])


@pytest.mark.parametrize("question", ["how many failures were there", "how many failures"])
def test_failures_counted_are_the_rows_of_the_failure_flag(rt, question):
    assert asked(rt, question, "ai4i").rows == [{"rows": int(AI4I["Machine failure"].sum())}]
    assert asked(rt, "how many machines", "ai4i").rows == [{"rows": N}]  # the rows, not the failures
