"""AppTest: the Plan tab opens on the run just scored on the page, and the RUL form's first unit and time columns are
the chosen table's own (the bundled engine histories' unit and cycle; none guessed on telemetry)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.app.test_maintenance import _page

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _two_rul_runs(runtime):
    """A small generated fleet and two one-epoch RUL runs trained on it, the older first."""
    from ml.degradation_sim import simulate_fleet
    from services import datasets, maintenance_rul

    fleet = simulate_fleet(n_train=5, n_test=2, seed=4, min_life=25, max_life=30)
    info = datasets.import_dataset(runtime, fleet.train.to_csv(index=False).encode(), filename="f.csv", user="t")
    params = maintenance_rul.rul_params(info.id, "unit", "cycle", epochs=1)
    older, newest = (maintenance_rul.train_rul_job(runtime, params, lambda *_: None) for _ in range(2))
    return fleet, older, newest


def test_the_plan_opens_on_the_run_just_scored_not_the_newest(app_env):
    """Histories scored with the older of two runs: the Plan tab stayed on the newest run (the run to follow was
    looked up once per run listed, and only the newest could match)."""
    from pages import components
    from services import runs

    runtime = components.get_runtime()
    fleet, older, newest = _two_rul_runs(runtime)
    at = _page()
    assert at.selectbox(key="maintenance.planrun").value.id == newest  # nothing used yet in this session
    at.selectbox(key="maintenance.rulrun").set_value(next(r for r in runs.list_runs(runtime) if r.id == older)).run()
    at.file_uploader(key="maintenance.rulfile").upload("test.csv", fleet.test.to_csv(index=False).encode(), "text/csv")
    at.run()
    at.button(key="maintenance.scorerul").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="maintenance.planrun").value.id == older  # before: the newest
    at.number_input(key="maintenance.capacity").set_value(3).run()
    assert at.selectbox(key="maintenance.planrun").value.id == older  # kept on the next rerun


def test_the_bundled_engine_histories_open_the_rul_form_on_their_own_unit_and_cycle(app_env):
    from pages import components
    from services import datasets

    runtime = components.get_runtime()
    names = [d.name for d in datasets.load_samples(runtime, user="t")]
    assert "Sample: engine histories" in names and names[-1] == "Sample: machine telemetry"  # still the newest
    histories = pd.read_csv(SAMPLES / "engine_histories.csv")
    assert 40 <= histories["unit"].nunique() <= 60 and (SAMPLES / "engine_histories.csv").stat().st_size < 500_000
    at = _page()
    chosen = at.selectbox(key="maintenance.rulset.dataset").value
    assert next(d for d in datasets.list_datasets(runtime) if d.id == chosen).name == "Sample: engine histories"
    assert (at.selectbox(key="maintenance.unit").value, at.selectbox(key="maintenance.time").value) == (
        "unit", "cycle")  # before: the telemetry sample's UDI and Product ID
    assert at.button(key="maintenance.trainrul").label == "Train RUL models"


def test_a_table_without_unit_or_time_columns_leaves_them_to_choose(app_env):
    """Telemetry on the RUL tab: its first two columns, UDI and Product ID, were proposed as unit and cycle."""
    from pages import components
    from services import datasets

    runtime = components.get_runtime()
    telemetry = datasets.import_dataset(runtime, (SAMPLES / "machine_telemetry.csv").read_bytes(),
                                        filename="machine_telemetry.csv", user="t")
    histories = datasets.import_dataset(runtime, (SAMPLES / "engine_histories.csv").read_bytes(),
                                        filename="engine_histories.csv", user="t")
    at = _page()
    at.selectbox(key="maintenance.rulset.dataset").set_value(telemetry.id).run()
    assert at.selectbox(key="maintenance.unit").value is None and at.selectbox(key="maintenance.time").value is None
    assert "No unit or time column is named in this table" in "\n".join(str(i.value) for i in at.tabs[1].info)
    assert not [b for b in at.button if b.key == "maintenance.trainrul"]  # no job on guessed columns
    at.selectbox(key="maintenance.rulset.dataset").set_value(histories.id).run()
    assert (at.selectbox(key="maintenance.unit").value, at.selectbox(key="maintenance.time").value) == (
        "unit", "cycle")


def test_the_plan_opens_on_the_newest_scored_run_and_names_runs_never_scored(app_env):
    """A fresh visit opened the Plan tab on the newest run, which had no predictions ("Run 2 has no score
    predictions yet"), while an older run had a full plan and nothing pointed to it."""
    from pages import components
    from services import maintenance_rul_scoring

    runtime = components.get_runtime()
    fleet, older, newest = _two_rul_runs(runtime)
    maintenance_rul_scoring.score_rul(runtime, older, fleet.test.to_csv(index=False).encode(), filename="t.csv",
                                      user="t")
    at = _page()
    assert not at.exception, at.exception
    box = at.selectbox(key="maintenance.planrun")
    assert box.value.id == older
    assert [label.endswith(" · not scored") for label in box.options[:2]] == [True, False]  # newest first
    assert any("action" in d.value.columns for d in at.tabs[2].dataframe)  # the older run's plan is drawn
