"""AppTest: the maintenance page through the real app (upload → train job → result → score → download)."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.switch_page("pages/maintenance.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def _import(at: AppTest, key: str, name: str, data: bytes) -> None:
    """Upload a file through one tab's dataset picker and store it."""
    at.file_uploader(key=f"{key}.upload").upload(name, data, "text/plain")
    at.run()
    at.button(key=f"{key}.import").click()
    at.run()
    assert f"Stored dataset '{name.rsplit('.', 1)[0]}'" in _texts(at.success)


def _rul_tab(at: AppTest):
    tab = at.tabs[1]
    assert tab.label == "Remaining useful life"
    return tab


def test_bad_file_shows_error_and_stores_nothing(app_env):
    at = _page()
    assert at.title[0].value == "Maintenance"
    at.file_uploader(key="maintenance.risk.upload").upload("empty.csv", b"", "text/csv")
    at.run()
    at.button(key="maintenance.risk.import").click()
    at.run()
    assert "Nothing was stored" in _texts(at.error)
    from pages import components
    from services import datasets

    assert datasets.list_datasets(components.get_runtime()) == []


def test_upload_train_score_and_download(app_env):
    csv = pd.read_csv(SAMPLE).head(300).to_csv(index=False).encode()
    at = _page()
    _import(at, "maintenance.risk", "telemetry.csv", csv)
    at.selectbox(key="maintenance.target").set_value("Machine failure")
    at.run()
    assert not at.error, _texts(at.error)
    flags = next(d.value for d in at.dataframe if list(d.value.columns) == ["column", "reason"])
    assert {"TWF", "HDF", "Product ID"} <= set(flags["column"])
    at.selectbox(key="maintenance.target").set_value("Type").run()  # three values: the failure value is asked for
    assert "Name the failure value" in _texts(at.error)
    at.text_input(key="maintenance.positive").set_value("H").run()
    assert not at.error, _texts(at.error)
    at.text_input(key="maintenance.positive").set_value("").run()
    at.selectbox(key="maintenance.target").set_value("Machine failure").run()
    id_column = at.selectbox(key="maintenance.id").value  # the file's id, guessed: kept in scores, named in the plan
    assert id_column in ("UDI", "Product ID")
    at.number_input(key="maintenance.trees").set_value(30)
    at.button(key="maintenance.train").click()
    at.run()
    deadline = time.time() + 180
    while time.time() < deadline and not any("finished: run" in str(s.value) for s in at.success) and not at.error:
        time.sleep(1)
        at.run()
    assert not at.error, _texts(at.error)
    metrics = {m.label: float(m.value) for m in at.metric}
    assert 0.5 <= metrics["Cross-validated AUC"] <= 1.0 and 0 < metrics["Alert threshold"] < 1
    assert {"Cross-validated PR AUC", "Cross-validated F1"} <= set(metrics)  # the full label was cut off
    assert "failures to learn from" in _texts(at.info)  # the run's training notes are on the page
    assert at.button(key="maintenance.riskreport.create").label == "Create report"  # as Finance's Results tab
    modes = _columns_shown(next(d for d in at.dataframe if "share_of_failures" in d.value.columns))
    assert modes["share_of_failures"] == {"label": "share of all failures", "type_config": {"type": "number",
                                                                                           "format": "percent"}}
    assert modes["caught_at_threshold"]["label"] == "caught at the alert threshold"
    gappy = pd.read_csv(SAMPLE).head(300)
    gappy["Torque [Nm]"] = gappy["Torque [Nm]"].astype(object)
    gappy.loc[3, "Torque [Nm]"] = "inf"
    at.file_uploader(key="maintenance.scorefile").upload("new.csv", gappy.to_csv(index=False).encode(), "text/csv")
    at.run()
    at.button(key="maintenance.score").click()
    at.run()
    assert not at.exception, at.exception
    assert "Scored 300 readings" in _texts(at.success)
    assert "'Torque [Nm]' on 1 reading(s) (row 4 of the output)" in _texts(at.info)  # scoring notes too
    scored = next(d.value for d in at.dataframe if "p_failure" in d.value.columns)
    assert list(scored.columns) == ["row", id_column, "p_failure", "alert"] and len(scored) == 200
    shown = _columns_shown(next(d for d in at.dataframe if "p_failure" in d.value.columns))["p_failure"]
    assert shown["label"] == "chance of failure (p_failure)" and shown["type_config"]["format"] == "%.3f"
    unread = next(str(i.value) for i in at.info if "the model does not read" in str(i.value))
    assert "'Machine failure' (the failure column)" in unread and "'TWF'" in unread
    assert scored["p_failure"].is_monotonic_decreasing  # highest risk first on screen
    full = at.session_state["maintenance.scored"][0]  # file order, as downloaded; row counts in it
    assert scored["p_failure"].iloc[0] == full["p_failure"].max()
    assert (full["p_failure"].iloc[scored["row"] - 1].to_numpy() == scored["p_failure"].to_numpy()).all()
    assert any(b.proto.label == "Download CSV" for b in at.get("download_button"))
    assert at.number_input(key="maintenance.row").value == scored["row"].iloc[0]  # the riskiest reading explained
    assert "log-odds is a chance of failure of" in _texts(at.tabs[0].caption)  # the waterfall's end as a chance
    # The plan tab schedules the scored readings; the sensors tab reads the stored telemetry's health.
    plan = next(d.value for d in at.tabs[2].dataframe if "action" in d.value.columns)
    assert len(plan) and {"unit", "period", "p_fail_in_horizon"} <= set(plan.columns)
    top = plan.set_index("unit")["p_failure"]  # in percent, as the two chances beside it (was 0–1); numbers, so
    assert top.to_dict() == pytest.approx({u: 100 * p for u, p in full.set_index(id_column)["p_failure"].rename(
        index=str).items() if u in top.index}, rel=1e-5)  # that a header click sorts them (as text '9.5' came after
    # '10.0'); to 6 significant digits, as the plan's download writes them (it wrote 19)
    assert set(plan["unit"]) <= set(pd.read_csv(SAMPLE).head(300)[id_column].astype(str))
    assert any(b.proto.label == "Download XLSX" for b in at.tabs[2].get("download_button"))
    health = next(d.value for d in at.tabs[3].dataframe if "status" in d.value.columns)
    assert "Torque [Nm]" in set(health["sensor"]) and set(health["status"]) <= {"ok", "flat", "missing", "drifting"}
    from pages import components

    components.get_job_manager().shutdown()


def test_rul_tab_trains_on_raw_multi_condition_histories_and_scores(app_env):
    """NASA-style text without a header: the page finds the operating settings itself, trains, scores. The
    failure-risk tab cannot use such a file; it says so without hiding the other tabs (it used to stop the page)."""
    from ml.degradation_sim import simulate_fleet
    from services import maintenance_words as words

    fleet = simulate_fleet(n_train=8, n_test=3, regimes=6, seed=5, min_life=35, max_life=50)
    shuffled = fleet.test.sample(frac=1.0, random_state=0)  # rows out of order: the scoring note says so
    train, test = (f.to_csv(sep=" ", header=False, index=False).encode() for f in (fleet.train, shuffled))
    at = _page()
    _import(at, "maintenance.rulset", "train_FD002.txt", train)
    at.selectbox(key="maintenance.unit").set_value("column_1")
    at.selectbox(key="maintenance.time").set_value("column_2")
    at.number_input(key="maintenance.epochs").set_value(1)
    at.run()
    assert at.multiselect(key="maintenance.settings").value == []  # automatic unless the user names them
    at.button(key="maintenance.trainrul").click()
    at.run()
    deadline = time.time() + 180
    while time.time() < deadline and not any("finished: run" in str(s.value) for s in _rul_tab(at).success):
        time.sleep(1)
        at.run()
    # The failure-risk tab asks for a failure column (none is named like one); the other tabs are still drawn.
    assert not at.tabs[0].error and "No column of this file is named like a failure label" in _texts(at.tabs[0].info)
    at.selectbox(key="maintenance.target").set_value("column_26").run()
    assert "looks like a measurement" in _texts(at.tabs[0].error)  # a sensor column, not a failure label
    assert not _rul_tab(at).error, _texts(_rul_tab(at).error)
    captions = _texts(_rul_tab(at).caption)
    assert "No column is named as an operating setting" in captions and "Found 6 operating regimes" in captions
    assert "The validation figures rest on 8 held-out units (80 cuts, each held out once in 5 folds)" in captions
    models = next(d.value for d in at.dataframe if "NASA score" in d.value.columns)  # plain words, with the unit
    assert list(models.columns) == ["model", "RMSE (cycles)", "NASA score"]
    shown = _columns_shown(next(d for d in at.dataframe if "NASA score" in d.value.columns))
    assert shown["NASA score"]["type_config"]["format"] == "%.1f"  # one format: '243' sat beside '242.7'
    assert {m.removesuffix(" (champion)") for m in models["model"]} == {"LightGBM", "sequence model", "blend"}
    assert "Lower is better for both" in captions and "8 units held out of training (5 folds" in captions
    assert len(_rul_tab(at).get("plotly_chart")) == 1  # the LightGBM model's SHAP importance
    at.file_uploader(key="maintenance.rulfile").upload("test_FD002.txt", test, "text/plain")
    at.run()
    at.button(key="maintenance.scorerul").click()
    at.run()
    assert not at.exception and not _rul_tab(at).error, _texts(_rul_tab(at).error)
    scored = next(d.value for d in at.dataframe if "rul_low" in d.value.columns)
    assert len(scored) == 3 and scored["rul"].between(0, 125).all()
    assert "Scored 3 units; " in _texts(_rul_tab(at).success) and "below the RUL alert threshold" in _texts(
        _rul_tab(at).success)
    assert at.button(key="maintenance.rulreport.create").label == "Create report"
    assert "not grouped by unit in time order" in _texts(_rul_tab(at).info)  # scoring notes are on the page
    # The plan names the run in words, shows each unit's RUL and leaves the period of an unserviced unit blank.
    run_id = at.selectbox(key="maintenance.rulrun").value.id
    plan_run = at.selectbox(key="maintenance.planrun")
    assert plan_run.options[0].startswith(f"Run {run_id} · ") and "remaining useful life" in plan_run.options[0]
    plan = next(d for d in at.tabs[2].dataframe if "action" in d.value.columns)
    assert list(plan.value.columns[:4]) == ["unit", "rul", "action", "period"]
    short = at.session_state["maintenance.rulscored"][3]  # too few readings: no estimate, '–' (it showed 9.6)
    ruls = plan.value.set_index("unit")["rul"]  # numbers, written '125 or more' and '–' by the table's format
    assert {u: "–" if pd.isna(r) else words.rul_text(r, 125.0) for u, r in ruls.items()} == {
        str(u): "–" if u in short else words.rul_text(r, 125.0) for u, r in zip(scored["unit"], scored["rul"])}
    assert ruls.dtype == float
    assert np.isinf(plan.value.loc[plan.value["action"] != "service", "period"]).all()  # written blank, sorted last
    assert set(plan.value.loc[plan.value["action"] == "service", "period"]) <= set(range(1, 15))  # numbers, sorted so
    assert "format" not in _columns_shown(plan)["period"]["type_config"]  # the table's 'day 3' written over them
    assert _columns_shown(plan)["rul"]["label"] == "RUL (cycles)"
    assert plan.proto.placeholder == "–"  # the unknown RUL, chance and saving: Streamlit drew a grey 'None'
    assert next(d for d in at.dataframe if "rul_low" in d.value.columns).proto.placeholder == "–"  # scored RULs
    # The RUL alert threshold is kept across a visit to another page, as the costs are.
    at.number_input(key=f"maintenance.rulalert.{run_id}").set_value(12.0).run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/maintenance.py").run()
    assert at.number_input(key=f"maintenance.rulalert.{run_id}").value == 12.0
    from pages import components

    components.get_job_manager().shutdown()


def test_the_failure_form_guesses_afresh_for_each_table(app_env):
    """Histories have no failure label: the form asks for one. Picking the telemetry then proposes its own
    failure column and id (the last table's empty choice used to stick, and so did its formulas)."""
    from ml.degradation_sim import simulate_fleet

    at = _page()
    _import(at, "maintenance.risk", "telemetry.csv", pd.read_csv(SAMPLE).head(100).to_csv(index=False).encode())
    telemetry = at.selectbox(key="maintenance.risk.dataset").value
    fleet = simulate_fleet(n_train=4, n_test=1, seed=1, min_life=30, max_life=40).train
    _import(at, "maintenance.risk", "fleet.csv", fleet.to_csv(index=False).encode())
    assert at.selectbox(key="maintenance.target").value is None
    assert "No column of this file is named like a failure label" in _texts(at.info) and not at.error
    at.selectbox(key="maintenance.risk.dataset").set_value(telemetry).run()
    assert at.selectbox(key="maintenance.target").value == "Machine failure" and not at.error
    assert at.selectbox(key="maintenance.id").value in ("UDI", "Product ID")
    assert "Torque [Nm]" in at.text_area(key="maintenance.formulas").value  # this table's suggestions


def test_the_run_picker_follows_a_finished_training_to_its_run(app_env):
    from pages import components

    csv = pd.read_csv(SAMPLE).head(300).to_csv(index=False).encode()
    at = _page()
    _import(at, "maintenance.risk", "telemetry.csv", csv)
    at.selectbox(key="maintenance.target").set_value("Machine failure")
    at.number_input(key="maintenance.trees").set_value(20)
    at.run()
    chosen = []
    for _ in range(2):
        at.button(key="maintenance.train").click().run()
        components.get_job_manager().wait(at.session_state["maintenance.job"], timeout=180)
        at.run()
        assert not at.exception, at.exception
        chosen.append(at.selectbox(key="maintenance.riskrun").value.id)
    from services import runs

    newest = max(r.id for r in runs.list_runs(components.get_runtime(), desk="maintenance"))
    assert chosen[0] < chosen[1] == newest
    components.get_job_manager().shutdown()


def _columns_shown(table) -> dict[str, dict]:
    """A dataframe's column settings as the browser gets them (label, number format) by the frame's column."""
    import json

    return json.loads(table.proto.columns or "{}")


def test_histories_and_telemetry_are_read_by_name_in_the_forms_and_sensor_views(app_env):
    """Settings first, unit and cycle last: the RUL form proposes engine_id and time_cycles (it took the first two
    columns). The sensor table reads in words, shows a flat sensor's spread as 0 and no 'None'; on telemetry it
    leaves out the failure label and the failure-mode flags."""
    from ml.degradation_sim import simulate_fleet

    fleet = simulate_fleet(n_train=4, n_test=1, seed=1, min_life=30, max_life=40).train
    fleet = fleet.rename(columns={"unit": "engine_id", "cycle": "time_cycles"})
    fleet = fleet[[c for c in fleet.columns if c not in ("engine_id", "time_cycles")] + ["engine_id", "time_cycles"]]
    fleet["s1"] = 516.7034  # constant: its float spread is ~1e-13, read as 0
    at = _page()
    _import(at, "maintenance.rulset", "fleet.csv", fleet.to_csv(index=False).encode())
    assert at.selectbox(key="maintenance.unit").value == "engine_id"
    assert at.selectbox(key="maintenance.time").value == "time_cycles"
    health = next(d for d in at.tabs[3].dataframe if "status" in d.value.columns)
    assert list(health.value.columns) == ["sensor", "status", "missing %", "spread (std)", "trend with time"]
    shown = health.value.set_index("sensor")
    assert shown.loc["s1", "spread (std)"] == 0 and shown.loc["s1", "trend with time"] == "—"
    assert not shown.isna().any().any()
    _import(at, "maintenance.risk", "telemetry.csv", pd.read_csv(SAMPLE).head(300).to_csv(index=False).encode())
    sensorset = at.selectbox(key="maintenance.sensorset")  # the telemetry just imported, followed without a pick
    assert sensorset.options[sensorset.index].startswith("telemetry")
    shown = next(d.value for d in at.tabs[3].dataframe if "status" in d.value.columns).set_index("sensor")
    assert {"Torque [Nm]", "Tool wear [min]"} <= set(shown.index)
    assert not {"Machine failure", "TWF", "HDF", "PWF", "OSF", "RNF", "UDI"} & set(shown.index)
    assert (shown["trend with time"] == "—").all()  # no time column: no trend, and no 'None'
    assert "Machine failure (the failure label)" in _texts(at.tabs[3].caption)


def test_a_table_imported_on_one_tab_becomes_the_other_tabs_choice_when_it_fits(app_env):
    """A retail file stored first, then histories imported on the Failure risk tab: the RUL form and the sensor views
    follow to the histories (they stayed on the retail file, guessing its 'id' as the unit and listing store_nbr
    as a sensor). A table the user picked on a tab is kept; one of another kind is not followed."""
    from ml.degradation_sim import simulate_fleet

    rng = np.random.default_rng(3)
    retail = pd.DataFrame({"id": range(120), "date": np.repeat(pd.date_range("2017-01-01", periods=40), 3).date,
                           "store_nbr": np.tile([1, 2, 3], 40), "onpromotion": rng.integers(0, 5, 120)})
    fleet = simulate_fleet(n_train=4, n_test=1, seed=1, min_life=30, max_life=40).train
    fleet = fleet.rename(columns={"unit": "unit_number", "cycle": "time_in_cycles"})
    at = _page()
    _import(at, "maintenance.risk", "retail.csv", retail.to_csv(index=False).encode())
    retail_id = at.selectbox(key="maintenance.rulset.dataset").value
    _import(at, "maintenance.risk", "histories.csv", fleet.to_csv(index=False).encode())
    histories_id = at.selectbox(key="maintenance.risk.dataset").value
    assert histories_id != retail_id
    assert at.selectbox(key="maintenance.rulset.dataset").value == histories_id
    assert at.selectbox(key="maintenance.unit").value == "unit_number"
    assert at.selectbox(key="maintenance.time").value == "time_in_cycles"
    assert at.selectbox(key="maintenance.sensorset").value == histories_id
    health = next(d.value for d in at.tabs[3].dataframe if "status" in d.value.columns)
    assert not {"store_nbr", "onpromotion", "id"} & set(health["sensor"])
    at.selectbox(key="maintenance.rulset.dataset").set_value(retail_id).run()  # the user's own choice
    _import(at, "maintenance.risk", "telemetry.csv", pd.read_csv(SAMPLE).head(100).to_csv(index=False).encode())
    telemetry_id = at.selectbox(key="maintenance.risk.dataset").value
    assert at.selectbox(key="maintenance.rulset.dataset").value == retail_id  # kept
    assert at.selectbox(key="maintenance.sensorset").value == telemetry_id  # telemetry: sensor data, followed
    _import(at, "maintenance.risk", "retail2.csv", retail.to_csv(index=False).encode())
    assert at.selectbox(key="maintenance.sensorset").value == telemetry_id  # a retail file is no sensor data


def test_the_rul_and_sensor_tabs_open_on_histories_rather_than_the_newest_table(app_env):
    from ml.degradation_sim import simulate_fleet
    from pages import components
    from services import datasets

    fleet = simulate_fleet(n_train=3, n_test=1, seed=2, min_life=30, max_life=40).train
    retail = pd.DataFrame({"id": range(60), "date": np.repeat(pd.date_range("2017-01-01", periods=20), 3).date,
                           "store_nbr": np.tile([1, 2, 3], 20), "onpromotion": np.arange(60) % 4})
    runtime = components.get_runtime()
    older = datasets.import_dataset(runtime, fleet.to_csv(index=False).encode(), filename="fleet.csv", user="t")
    datasets.import_dataset(runtime, retail.to_csv(index=False).encode(), filename="retail.csv", user="t")
    at = _page()
    assert at.selectbox(key="maintenance.rulset.dataset").value == older.id
    assert at.selectbox(key="maintenance.sensorset").value == older.id


def _one_machine(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """One compressor's readings every 10 minutes, no machine column (as MetroPT), with a failure label."""
    rng = np.random.default_rng(seed)
    failure = (np.arange(n) % 50 >= 44).astype(int)
    return pd.DataFrame({"timestamp": pd.date_range("2020-02-01", periods=n, freq="10min").astype(str),
                         "Oil_temperature": 60 + 3 * failure + rng.normal(0, 1, n),
                         "Motor_current": 4 + rng.normal(0, 0.3, n), "failure": failure})


def test_scores_shown_belong_to_the_picked_run(app_env):
    """Scores of an AI4I run, then a one-machine run picked: its page shows no scores (explaining the AI4I file
    with the one-machine run raised KeyError 'timestamp'); back on the AI4I run, its scores are shown again."""
    from pages import components
    from services import datasets, maintenance, runs

    runtime = components.get_runtime()
    made = []
    for name, frame, target in (("telemetry.csv", pd.read_csv(SAMPLE).head(300), "Machine failure"),
                                ("metropt.csv", _one_machine(), "failure")):
        info = datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=name, user="t")
        made.append(maintenance.train_failure_job(runtime, maintenance.failure_params(
            info.id, target, folds=3, n_estimators=10, use_suggestions=False), lambda *_: None))
    found = {r.id: r for r in runs.list_runs(runtime, desk="maintenance")}
    at = _page()
    at.selectbox(key="maintenance.riskrun").set_value(found[made[0]]).run()
    at.file_uploader(key="maintenance.scorefile").upload("new.csv", pd.read_csv(SAMPLE).head(50).to_csv(
        index=False).encode(), "text/csv")
    at.run()
    at.button(key="maintenance.score").click().run()
    assert "Scored 50 readings" in _texts(at.success) and len(at.tabs[0].get("plotly_chart")) == 2
    at.selectbox(key="maintenance.riskrun").set_value(found[made[1]]).run()
    assert not at.exception, at.exception
    assert not at.tabs[0].error and "Scored" not in _texts(at.tabs[0].success)
    assert not any("p_failure" in d.value.columns for d in at.tabs[0].dataframe)
    at.selectbox(key="maintenance.riskrun").set_value(found[made[0]]).run()
    assert "Scored 50 readings" in _texts(at.success) and not at.exception


def test_a_headerless_nasa_file_imported_is_followed_by_the_rul_and_sensor_tabs(app_env):
    """test_FD001.txt has no header row (stored as column_1 … column_26): the RUL and Sensors tabs stayed on the
    retail file stored before, as its names say nothing; the first two columns read as unit and cycle."""
    from ml.degradation_sim import simulate_fleet

    retail = pd.DataFrame({"id": range(60), "date": np.repeat(pd.date_range("2017-01-01", periods=20), 3).date,
                           "store_nbr": np.tile([1, 2, 3], 20), "onpromotion": np.arange(60) % 4})
    fleet = simulate_fleet(n_train=3, n_test=1, seed=2, min_life=30, max_life=40).test
    at = _page()
    _import(at, "maintenance.risk", "retail.csv", retail.to_csv(index=False).encode())
    _import(at, "maintenance.risk", "test_FD001.txt", fleet.to_csv(sep=" ", header=False, index=False).encode())
    nasa = at.selectbox(key="maintenance.risk.dataset").value
    at.run()  # the tabs drawn above the importing one follow on the next rerun
    assert at.selectbox(key="maintenance.rulset.dataset").value == nasa
    assert (at.selectbox(key="maintenance.unit").value, at.selectbox(key="maintenance.time").value) == (
        "column_1", "column_2")
    assert at.selectbox(key="maintenance.sensorset").value == nasa
    assert at.selectbox(key=f"maintenance.sensorunit.{nasa}").value == "column_1"
    assert at.selectbox(key=f"maintenance.sensortime.{nasa}").value == "column_2"
    health = next(d.value for d in at.tabs[3].dataframe if "status" in d.value.columns)
    assert not {"column_1", "column_2"} & set(health["sensor"])


def test_rul_scores_shown_belong_to_the_picked_run(app_env):
    """As failure risk's: the RUL tab showed the last scored histories under any run picked."""
    from ml.degradation_sim import simulate_fleet
    from pages import components
    from services import datasets, maintenance_rul

    runtime = components.get_runtime()
    fleet = simulate_fleet(n_train=5, n_test=1, seed=4, min_life=25, max_life=30)
    info = datasets.import_dataset(runtime, fleet.train.to_csv(index=False).encode(), filename="f.csv", user="t")
    run_id = maintenance_rul.train_rul_job(runtime, maintenance_rul.rul_params(info.id, "unit", "cycle", epochs=1),
                                           lambda *_: None)
    last = pd.DataFrame({"unit": [1, 2], "rul": [40.0, 12.0], "rul_low": [30.0, 8.0], "rul_high": [50.0, 16.0]})
    every = last.assign(time=[30, 20])
    at = _page()
    at.session_state["maintenance.rulscored"] = (last, every, (), [], run_id + 1)  # another run's scores
    at.run()
    assert not at.exception and "Scored 2 units" not in _texts(_rul_tab(at).success)
    at.session_state["maintenance.rulscored"] = (last, every, (), [], run_id)
    at.run()
    assert "Scored 2 units; 1 below the RUL alert threshold" in _texts(_rul_tab(at).success)
    # the unit to service first heads the table and the trend (they had followed the file's order)
    assert next(d.value for d in at.dataframe if "rul_low" in d.value.columns)["unit"].tolist() == [2, 1]
    assert at.selectbox(key="maintenance.trendunit").value == 2
    at.session_state["maintenance.rulscored"] = (last, every, (), [2], run_id)  # unit 2: too few readings
    at.run()
    assert next(d.value for d in at.dataframe if "rul_low" in d.value.columns)["unit"].tolist() == [1, 2]
    at.selectbox(key="maintenance.trendunit").set_value(2).run()
    assert "Unit 2 has too few readings for an estimate" in _texts(_rul_tab(at).info)
    charted = [c.key for c in _rul_tab(at).get("plotly_chart")]
    assert "maintenance.trend" not in charted  # no line drawn as if it were an estimate
    at.selectbox(key="maintenance.trendunit").set_value(1).run()
    assert [c.key for c in _rul_tab(at).get("plotly_chart")] == [*charted, "maintenance.trend"]



def test_the_same_column_as_unit_and_time_is_refused_in_words_without_a_job(app_env):
    """Battery_RUL.csv has no battery column: picking Cycle_Index twice ran a job that died in pandas' "cannot insert
    Cycle_Index, already exists"."""
    frame = pd.DataFrame({"Cycle_Index": np.tile(np.arange(1.0, 31.0), 6), "Discharge Time (s)": np.arange(180.0)})
    at = _page()
    _import(at, "maintenance.rulset", "Battery_RUL.csv", frame.to_csv(index=False).encode())
    at.selectbox(key="maintenance.unit").set_value("Cycle_Index")
    at.selectbox(key="maintenance.time").set_value("Cycle_Index")
    at.run()
    at.button(key="maintenance.trainrul").click()
    at.run()
    assert "The unit and time columns are both 'Cycle_Index'" in _texts(_rul_tab(at).error)
    assert "maintenance.ruljob" not in at.session_state


def test_the_plan_follows_a_run_trained_or_scored_and_says_its_threshold_in_percent(app_env):
    """The Plan tab's run box stayed on RUL run 1 after a failure run was trained and scored in the same session;
    its threshold read 0.003 (p_failure) beside chances in percent, and a unit not serviced read 'None'."""
    from ml.degradation_sim import simulate_fleet
    from pages import components
    from services import datasets, maintenance_rul

    runtime = components.get_runtime()
    fleet = simulate_fleet(n_train=5, n_test=1, seed=4, min_life=25, max_life=30)
    info = datasets.import_dataset(runtime, fleet.train.to_csv(index=False).encode(), filename="f.csv", user="t")
    rul_run = maintenance_rul.train_rul_job(runtime, maintenance_rul.rul_params(info.id, "unit", "cycle", epochs=1),
                                            lambda *_: None)
    at = _page()
    assert at.selectbox(key="maintenance.planrun").value.id == rul_run
    _import(at, "maintenance.risk", "telemetry.csv", pd.read_csv(SAMPLE).head(300).to_csv(index=False).encode())
    at.selectbox(key="maintenance.target").set_value("Machine failure")
    at.number_input(key="maintenance.trees").set_value(10)
    at.run()
    at.button(key="maintenance.train").click().run()
    components.get_job_manager().wait(at.session_state["maintenance.job"], timeout=180)
    at.run()
    risk_run = at.selectbox(key="maintenance.riskrun").value
    assert risk_run.id > rul_run and at.selectbox(key="maintenance.planrun").value.id == risk_run.id
    from services import runs

    at.selectbox(key="maintenance.planrun").set_value(next(r for r in runs.list_runs(runtime) if r.id == rul_run))
    at.run()  # picked by the user: kept until another run is trained or scored
    assert at.selectbox(key="maintenance.planrun").value.id == rul_run
    at.file_uploader(key="maintenance.scorefile").upload("new.csv", pd.read_csv(SAMPLE).head(40).to_csv(
        index=False).encode(), "text/csv")
    at.run()
    at.button(key="maintenance.score").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="maintenance.planrun").value.id == risk_run.id
    box = at.number_input(key=f"maintenance.riskalert.{risk_run.id}")
    assert box.label == "Risk alert threshold (chance of failure, %)"
    assert box.value == round(100 * risk_run.metrics["threshold"], 4)
    plan = next(d for d in at.tabs[2].dataframe if "action" in d.value.columns)
    assert "format" not in _columns_shown(plan)["period"].get("type_config", {})  # the table's 'day 3' or blank
    assert plan.value["period"].notna().all()
    components.get_job_manager().shutdown()


def test_the_rul_form_opens_on_the_newest_rul_runs_own_table_not_a_file_scored_since(app_env):
    """The Dataset box opened on the newest history-like table: a test file scored after training (stored three times
    when scored three times)."""
    from ml.degradation_sim import simulate_fleet
    from pages import components
    from services import datasets, maintenance_rul, maintenance_rul_scoring

    runtime = components.get_runtime()
    fleet = simulate_fleet(n_train=5, n_test=2, seed=4, min_life=25, max_life=30)
    info = datasets.import_dataset(runtime, fleet.train.to_csv(index=False).encode(), filename="train.csv", user="t")
    run_id = maintenance_rul.train_rul_job(runtime, maintenance_rul.rul_params(info.id, "unit", "cycle", epochs=1),
                                           lambda *_: None)
    test = fleet.test.to_csv(index=False).encode()
    scored = {maintenance_rul_scoring.score_rul(runtime, run_id, test, filename="test.csv", user="t").dataset_id
              for _ in range(2)}
    assert len(scored) == 1 and len(datasets.list_datasets(runtime)) == 2  # scored twice, stored once
    at = _page()
    assert at.selectbox(key="maintenance.rulset.dataset").value == info.id


def test_a_sales_table_on_the_sensors_tab_is_told_apart_not_a_traceback(app_env):
    """A daily sales file (date, store, item, units) picked on the Sensors tab: 'units' was guessed as the unit
    column, no sensor was left, and the health table raised 'Expected numeric dtype, got object'."""
    sales = pd.DataFrame({"date": np.repeat(pd.date_range("2024-01-01", periods=30), 2).date,
                          "store": ["north", "south"] * 30, "units": np.arange(60) % 7})
    at = _page()
    _import(at, "maintenance.risk", "retail_daily.csv", sales.to_csv(index=False).encode())
    at.selectbox(key="maintenance.sensorset").set_value(at.selectbox(key="maintenance.risk.dataset").value).run()
    assert not at.exception, [e.value for e in at.exception]
    unit = next(s for s in at.tabs[3].selectbox if s.label == "Unit column")
    assert unit.value != "units"
    at.tabs[3].selectbox(key=unit.key).set_value("units").run()  # chosen on purpose: nothing left to read
    assert not at.exception, [e.value for e in at.exception]
    assert any("No numeric sensor columns" in str(i.value) for i in at.tabs[3].info)
