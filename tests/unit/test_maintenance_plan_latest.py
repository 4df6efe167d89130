"""A plan of a scored file with several readings per machine says it uses each machine's latest reading (a file of
one machine's 200 readings was planned as one row, without a word)."""
import pandas as pd

from services import maintenance_plan
from tests.support import drifting_fleet


def _trained_and_scored(frame: pd.DataFrame, new: pd.DataFrame, id_column: str | None) -> int:
    from commands.common import runtime
    from services import datasets, maintenance, maintenance_scoring

    rt = runtime()
    info = datasets.import_dataset(rt, frame.to_csv(index=False).encode(), filename="train.csv", user="t")
    run_id = maintenance.train_failure_job(rt, maintenance.failure_params(
        info.id, "failure", id_column=id_column, folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)
    maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv", user="t")
    return run_id


def test_a_one_machine_plan_says_it_uses_the_latest_of_its_readings(settings_env):
    from commands.common import runtime

    one = drifting_fleet(1, 200).drop(columns=["machineID"])
    new = one.drop(columns=["failure"]).tail(40).sample(frac=1, random_state=0)  # newest not last in the file
    run_id = _trained_and_scored(one, new, None)
    rt = runtime()
    notes = maintenance_plan.plan_settings(rt, run_id, units=1).notes
    assert notes[1] == ("The plan uses the machine's latest reading: the scored file holds 40 readings of it, the "
                        "latest at 2015-01-09 07:00:00. Its earlier readings made its history features; it is "
                        "planned once.")
    assert maintenance_plan.fleet(rt, run_id)["unit"].tolist() == ["the machine"]


def test_a_fleet_plan_counts_each_machines_readings(settings_env):
    from commands.common import runtime

    fleet = drifting_fleet(6, 120)
    new = fleet.drop(columns=["failure"]).tail(60).iloc[:-2]  # machines 5 and 6 one reading short
    run_id = _trained_and_scored(fleet, new, "machineID")
    notes = maintenance_plan.plan_settings(runtime(), run_id, units=6).notes
    assert ("The plan uses each machine's latest reading: the scored file holds 58 readings of 6 machines (9–10 "
            "each), the latest at 2015-01-05 23:00:00. Each machine is planned once.") in notes
