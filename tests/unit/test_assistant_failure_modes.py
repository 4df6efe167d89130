""""which failure mode is most common" on an AI4I-shaped table (a 0/1 column per mode: TWF, HDF, PWF, OSF, RNF,
beside their total, Machine failure) answered "Machine failure 0 (377) has the highest number of rows": "mode" was
read as the statistic. The mode columns are counted by their 1s instead, every mode listed."""
import numpy as np
import pandas as pd

from services import assistant
from tests.support import runtime_with_tables

MODES = {"TWF": 3, "HDF": 9, "PWF": 6, "OSF": 5, "RNF": 0}


def _ai4i() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame({"UDI": range(1, n + 1), "Type": rng.choice(list("LMH"), n),
                          "Torque [Nm]": rng.normal(40, 10, n).round(1)})
    for column, ones in MODES.items():
        flags = np.zeros(n, int)
        flags[rng.choice(n, ones, replace=False)] = 1
        frame[column] = flags
    frame["Machine failure"] = (frame[list(MODES)].sum(axis=1) > 0).astype(int)
    return frame


def _ask(tmp_path, question):
    rt = runtime_with_tables(tmp_path / "var", {"ai4i": _ai4i()})
    reply = assistant.answer(rt, question, user="ana", dataset="ai4i", save=False)
    assert not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_the_most_common_failure_mode_counts_each_mode_column(tmp_path):
    reply = _ask(tmp_path, "which failure mode is most common")
    failures = int(_ai4i()["Machine failure"].sum())
    assert reply.answer == ("HDF is the most common failure mode, by rows with 1: HDF 9, PWF 6, OSF 5, TWF 3, RNF 0; "
                            f"Machine failure is 1 in {failures} rows."), reply.answer
    assert reply.rows == [{"column": c, "rows with 1": n} for c, n in sorted(MODES.items(), key=lambda i: -i[1])]


def test_the_least_common_failure_type_and_a_plain_type_question(tmp_path):
    assert _ask(tmp_path, "what is the least common failure type").answer.startswith(
        "RNF is the least common failure type")
    assert _ask(tmp_path, "which type is most common").answer.startswith("Type ")  # the Type column, as before
