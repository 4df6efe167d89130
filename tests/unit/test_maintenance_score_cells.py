"""Failure-risk scoring says which cells of the scored file the reader emptied in the columns the model reads ('high',
'OVR' in a torque column, kept as numbers since the import change): training printed the reader's note, scoring said
nothing, and the readings were scored as gaps without a word."""
from tests.support import trained_torque_run


def _score(rt, run_id, new):
    from services import maintenance_scoring

    return maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv",
                                             user="t")


def test_unreadable_cells_in_a_read_column_are_named_and_scored_as_gaps(settings_env):
    from commands.common import runtime

    rt = runtime()
    fleet, run_id = trained_torque_run(rt, 120, 52)
    new = fleet.drop(columns=["failure"]).head(40).astype({"torque": object}).assign(remark="checked")
    new.loc[[3, 7], "torque"] = ["high", "OVR"]
    scored = _score(rt, run_id, new)
    said = [n for n in scored.notes if "'torque' holds numbers" in n]
    assert len(said) == 1 and "'high', 'OVR'" in said[0] and "rows 4, 8" in said[0]  # before: no such note
    assert any("'torque' on 2 reading(s) (rows 4, 8 of the output)" in n for n in scored.notes)  # at the median
    assert len(scored.frame) == 40 and scored.frame["p_failure"].notna().all()


def test_cells_emptied_in_a_column_the_model_does_not_read_are_not_named(settings_env):
    from commands.common import runtime

    rt = runtime()
    fleet, run_id = trained_torque_run(rt, 120, 52)
    new = fleet.drop(columns=["failure"]).head(40).assign(remark=[str(i) for i in range(40)])
    new.loc[[5], "remark"] = "ERR"
    scored = _score(rt, run_id, new)
    assert not [n for n in scored.notes if "'remark' uses text" in n]
    assert any("'remark' (not known to the model)" in n for n in scored.notes)


def _run_with_torque_gaps(rt):
    """A run whose torque had a few gaps in training (unreadable cells the reader emptied): scoring keeps its gaps."""
    import numpy as np
    import pandas as pd

    from services import datasets, maintenance

    rng = np.random.default_rng(0)
    torque = rng.normal(40, 10, 120)
    fleet = pd.DataFrame({"torque": torque.round(1), "temp": rng.normal(300, 2, 120).round(1),
                          "failure": (torque + rng.normal(0, 8, 120) > 52).astype(int)})
    fleet.loc[[4, 9], "torque"] = np.nan
    info = datasets.import_dataset(rt, fleet.to_csv(index=False).encode(), filename="train.csv", user="t")
    return fleet, maintenance.train_failure_job(rt, maintenance.failure_params(
        info.id, "failure", folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)


def test_a_numeric_column_written_as_text_is_refused_in_words(settings_env):
    import pytest

    from commands.common import runtime
    from services.errors import UserFacingError

    rt = runtime()
    fleet, run_id = _run_with_torque_gaps(rt)
    new = fleet.drop(columns=["failure"]).head(30).dropna()
    new["torque"] = new["torque"].astype(str) + " Nm"  # every reading with its unit: no number the reader can take
    with pytest.raises(UserFacingError, match=r"'torque' \('-?\d+\.\d Nm'.*numbers alone"):  # before: scored as gaps
        _score(rt, run_id, new)
    new["torque"] = ""  # an empty sensor that had gaps in training is still scored, with a note
    assert any("'torque' is empty in this file" in n for n in _score(rt, run_id, new).notes)
    new["torque"] = "-"  # an instrument's "no reading" marker in every cell is empty, not text
    assert any("'torque' is empty in this file" in n for n in _score(rt, run_id, new).notes)


def test_a_sensor_rarely_empty_in_training_is_scored_at_its_median():
    """Three unreadable torques in 8,000 AI4I readings: the trees never learned where a gap goes, and a blank torque
    alerted on 673 of 1,961 healthy readings (8 with the numbers)."""
    import numpy as np
    import pandas as pd

    from services import maintenance_inputs

    torque, vib = np.arange(400.0), np.arange(400.0)
    torque[[5, 50, 300]] = np.nan  # under 1 % of the rows
    vib[:40] = np.nan  # a sensor often empty keeps its gaps: the trees learned where they go
    fill, share = maintenance_inputs.gap_fill(pd.DataFrame({"torque": torque, "vib": vib}), ["torque", "vib"])
    assert fill == {"torque": 200.0} and share == {"torque": 0.0075, "vib": 0.1}  # before: {}
    filled, notes, _ = maintenance_inputs.fill_gaps(pd.DataFrame({"torque": [np.nan, 7.0], "vib": [np.nan, 1.0]}), fill)
    assert filled["torque"].tolist() == [200.0, 7.0] and np.isnan(filled["vib"].iloc[0])
    assert "rarely empty in training (under 1% of its readings)" in notes[0]
