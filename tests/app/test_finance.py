"""AppTest: the finance page through the real app entry (train job → results → what-if → score)."""
from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support import classification_frame

TIMEOUT = 90
APP = Path(__file__).resolve().parents[2] / "app.py"


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/finance.py").run()
    assert not at.exception, at.exception
    return at


def _mine(at: AppTest, name: str) -> str:
    """A choice about the chosen table's columns, keyed by that table."""
    return f"finance.{name}.{at.selectbox(key='finance.dataset').value}"


def _texts(elements) -> str:
    """The elements' text as read on the page (Markdown escapes, which the page adds to plain text, removed)."""
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def _store(frame, name="loans.csv"):
    from pages import components
    from services import datasets

    return datasets.import_dataset(components.get_runtime(), frame.to_csv(index=False).encode(), filename=name,
                                   user="analyst")


def test_empty_state_asks_for_a_file(app_env):
    at = _page()
    assert at.title[0].value == "Finance risk"
    assert "Upload a file of past loans to start." in _texts(at.info)


def test_bad_target_shows_an_error_and_submits_no_job(app_env):
    frame = classification_frame(120)
    frame.loc[:9, "default"] = "fair"
    _store(frame)
    at = _page()
    at.selectbox(key=_mine(at, "target")).set_value("default")
    at.button(key="finance.train").click().run()
    assert "must have exactly two values" in _texts(at.error)
    from pages import components
    from services import jobs

    assert jobs.list_jobs(components.get_runtime()) == []


def test_train_job_then_results_what_if_and_scoring(app_env):
    _store(classification_frame(150))
    at = _page()
    assert at.selectbox(key=_mine(at, "target")).value == "default"
    assert at.selectbox(key=_mine(at, "id")).value == "applicant_id"
    at.multiselect(key=_mine(at, "exclude")).set_value(["purpose"])  # left out of the model, still in fairness
    at.button(key="finance.train").click().run()
    deadline = time.time() + 150
    while time.time() < deadline and not any("finished: run" in str(s.value) for s in at.success) and not at.error:
        time.sleep(1)
        at.run()
    assert not at.error, _texts(at.error)
    assert any("finished: run" in str(s.value) for s in at.success)
    from pages import components
    from services import runs

    components.get_job_manager().shutdown()
    run = runs.list_runs(components.get_runtime(), desk="finance")[0]
    assert run.parameters["exclude"] == ["purpose"] and "purpose" not in run.parameters.get("features", ["purpose"])
    at = _page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["OOF AUC"] == f"{run.metrics['oof_auc']:.3f}" and metrics["Grade"] in list("ABCDEFG")
    assert metrics["Decision"] in ("approve", "decline")
    from services.finance_page_words import calibration_name

    header = _texts(at.markdown)  # "calibration platt" in words; the nested figure as text, not a change arrow
    assert f"Calibration: {calibration_name(run.metrics['calibration'])}" in header
    assert "calibration platt" not in header
    cost = next(m for m in at.metric if m.label == "Cost per case")
    assert not cost.proto.delta and f"Nested CV: {run.metrics['cv_cost_per_case']:.3f}" in _texts(at.caption)
    costs = f"Costs {run.parameters['cost_bad_approved']:g} : {run.parameters['cost_good_declined']:g}"
    assert costs in _texts(at.caption)  # which costs set the cut-off (browser QA: nowhere on the page)
    assert "Out-of-fold area under the ROC curve" in next(m for m in at.metric if m.label == "OOF AUC").proto.help
    assert any(str(c.value).startswith("Raw model score ") for c in at.caption)  # the what-if's score -> PD line
    left_out = next(d.value for d in at.dataframe if "why it is not used" in d.value.columns)  # with the settings
    assert left_out["column"].tolist() == ["applicant_id", "purpose"]
    assert left_out["why it is not used"].iloc[1] == "left out as asked ('Columns to leave out' on this page)"
    table = next(d.value for d in at.dataframe if "logistic baseline" in d.value.columns)
    assert table["name"].tolist()[0] == "auc" and table["metric"].tolist()[0] == "AUC"
    assert "KS statistic" in set(table["metric"]) and table["meaning"].str.len().gt(0).all()
    from services.finance_report import champion_in_words  # the long name above the table, not in its cut header

    assert f"Champion: {champion_in_words(run.metrics)}, calibrated; the logistic baseline" in _texts(at.caption)
    assert metrics["PD"].endswith("%") and 0 <= float(metrics["PD"].rstrip("%")) <= 100  # what-if panel
    reasons = [str(m.value) for m in at.text if " the risk" in str(m.value)]  # up to three, as plain text
    assert 1 <= len(reasons) <= 3 and (len(reasons) == 3 or metrics["Decision"] == "decline")
    assert metrics["Decision"] == "approve" or all("raised the risk" in r for r in reasons)
    new = classification_frame(30, seed=9).drop(columns=["default"])
    at.file_uploader(key="finance.scoreupload").upload("new.csv", new.to_csv(index=False).encode(), "text/csv")
    at.run()
    at.button(key="finance.score").click().run()
    assert not at.exception, at.exception
    assert "Scored 30 applicants" in _texts(at.success)
    scored = next(d.value for d in at.dataframe if "reason_1" in d.value.columns)
    assert list(scored.columns)[:4] == ["applicant_id", "pd", "grade", "decision"] and len(scored) == 30
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV" in labels and "Download XLSX" in labels
    batch = next(d.value for d in at.dataframe if "approval_ratio" in d.value.columns  # this batch, by group
                 and "default_rate" not in d.value.columns)
    assert batch["applicants"].sum() == 30 and at.selectbox(key=f"finance.batchgroup.{run.id}").value == "age"
    assert at.selectbox(key=f"finance.sensitive.{run.id}").value == "age"  # the column named like a ground
    fair = next(d.value for d in at.dataframe if "default_rate" in d.value.columns)  # the training data's check
    assert fair["group"].iloc[0] == "under 25" and fair["applicants"].sum() == 150
    small = fair["applicants"] < 30  # no ratio for them, said in words rather than a bare "None"
    assert small.any() and (fair.loc[small, "approval_ratio"] == "– (under 30 applicants)").all()
    assert all(0 < float(r) <= 1 for r in fair.loc[~small, "approval_ratio"])
    assert any("age bands" in str(c.value) for c in at.caption)


def test_the_page_opens_on_a_loan_book_not_the_newest_table(app_env):
    """With the bundled machine telemetry stored last, the Train tab used to open on it (target 'Machine
    failure'); it opens on the newest table whose outcome is named like a loan's."""
    import pandas as pd

    loans = _store(classification_frame(60), name="loans.csv")
    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"
    _store(pd.read_csv(sample).head(50), name="telemetry.csv")
    at = _page()
    assert at.selectbox(key="finance.dataset").value == loans.id
    assert at.selectbox(key=_mine(at, "target")).value == "default"


def test_the_bundled_credit_sample_is_opened_with_its_outcome_and_id_guessed(app_env):
    """credit_risk (good/bad) is not guessed as a target at import: the page had opened on the telemetry."""
    import pandas as pd

    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    loans = _store(pd.read_csv(samples / "credit_applicants.csv").head(80), name="credit_applicants.csv")
    telemetry = _store(pd.read_csv(samples / "machine_telemetry.csv").head(50), name="telemetry.csv")
    at = _page()
    assert at.selectbox(key="finance.dataset").value == loans.id
    assert at.selectbox(key=_mine(at, "target")).value == "credit_risk"
    assert at.selectbox(key=_mine(at, "id")).value == "applicant_id"
    at.selectbox(key="finance.dataset").set_value(telemetry.id).run()  # another table: its own guesses
    assert at.selectbox(key=_mine(at, "id")).value == "UDI"  # its first id column: the row counter (rising 1..n)
    at.selectbox(key="finance.dataset").set_value(loans.id).run()
    assert at.selectbox(key=_mine(at, "id")).value == "applicant_id"


def test_training_choices_are_kept_across_a_visit_to_another_page(app_env):
    _store(classification_frame(60))
    at = _page()
    table = at.selectbox(key="finance.dataset").value
    at.number_input(key="finance.costbad").set_value(10.0)
    at.selectbox(key=_mine(at, "exposure")).set_value("amount")
    at.multiselect(key=_mine(at, "exclude")).set_value(["purpose"])
    at.session_state[f"finance.monotone_kept.{table}"] = {"amount": "+1"}  # as an edit in the grid leaves it
    at.run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/finance.py").run()
    assert not at.exception, at.exception
    assert at.number_input(key="finance.costbad").value == 10.0
    assert at.selectbox(key=_mine(at, "exposure")).value == "amount"
    assert at.multiselect(key=_mine(at, "exclude")).value == ["purpose"]
    grid = at.session_state[f"finance.monotone_kept.{table}"]
    assert grid == {"amount": "+1", "age": "none"}
    assert not any("default value but also" in str(w.value) for w in at.warning)


def test_a_finished_job_is_not_shown_once_another_table_is_picked(app_env):
    from pages import components
    from services import finance, jobs

    first = _store(classification_frame(60), "first.csv")
    second = _store(classification_frame(60), "second.csv")
    runtime = components.get_runtime()
    failed = jobs.run_inline(runtime, kind=finance.KIND, desk=finance.DESK, handler=finance.HANDLER, user="analyst",
                             params=finance.credit_params(first.id, "no_such_column"))
    assert failed.status == "failed"
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["finance.job"] = failed.id
    at.session_state["finance.job.dataset"] = first.id
    at.run()
    at.switch_page("pages/finance.py").run()
    at.selectbox(key="finance.dataset").set_value(first.id).run()
    assert f"Job {failed.id} failed" in _texts(at.error)
    at.selectbox(key="finance.dataset").set_value(second.id).run()
    assert not at.exception, at.exception
    assert f"Job {failed.id}" not in _texts(at.error) + _texts(at.success)


def test_a_data_dictionary_upload_is_read_checked_and_kept_with_the_run(app_env):
    from pages import components
    from services import jobs, runs

    _store(classification_frame(120))
    at = _page()
    uploader = f"finance.dictionary.{at.selectbox(key='finance.dataset').value}"
    at.file_uploader(key=uploader).upload("dictionary.csv", b"a,b\nx,y\n", "text/csv")
    at.run()
    assert "needs a column-name column" in _texts(at.error)
    at.button(key="finance.train").click().run()  # a refused dictionary is not silently dropped
    assert "The data dictionary above was refused" in _texts(at.error)
    assert jobs.list_jobs(components.get_runtime()) == []
    dictionary = (b"column,value,label\npurpose,,Loan purpose\npurpose,TV,television set\nbranch,,Branch\n"
                  b"purpose,boat,boat\n")
    at.file_uploader(key=uploader).upload("dictionary.csv", dictionary, "text/csv")
    at.run()
    assert not at.error, _texts(at.error)
    assert "2 column name(s) and 2 code(s) read." in _texts(at.success)
    assert "describes 1 column(s) not in the data, left unused: branch." in _texts(at.caption)
    assert "1 code(s) of the data dictionary match no value in the data: purpose = boat." in _texts(at.caption)
    at.button(key="finance.train").click().run()
    job_id = at.session_state["finance.job"]
    components.get_job_manager().wait(job_id, timeout=150)
    assert jobs.get_job(components.get_runtime(), job_id).status == "succeeded"
    run = runs.list_runs(components.get_runtime(), desk="finance")[0]
    at.run()
    assert at.selectbox(key="finance.run").value == run.id
    at.button(key="finance.train").click().run()  # a second training: the sidebar follows to its run
    second = at.session_state["finance.job"]
    components.get_job_manager().wait(second, timeout=150)
    at.run()
    newest = jobs.get_job(components.get_runtime(), second).run_id
    assert newest != run.id and at.selectbox(key="finance.run").value == newest
    label = at.selectbox(key="finance.run").format_func(newest)
    assert label.startswith(f"Run {newest} · ") and " · AUC " in label and label.endswith(" · default")
    assert run.parameters["glossary"] == {"columns": {"purpose": "Loan purpose"},  # as the data spells it
                                          "values": {"purpose": {"tv": "television set", "boat": "boat"}},
                                          "unseen": {"purpose": ["boat"]}}
    components.get_job_manager().shutdown()
    at = _page()  # the charts name the column as the dictionary does, with its own name beside it
    assert not at.exception, at.exception
    assert "Loan purpose (purpose)" in at.selectbox(key="finance.dependence").options
    assert "amount" in at.selectbox(key="finance.dependence").options
    at.selectbox(key=f"finance.sensitive.{newest}").set_value("purpose").run()
    fair = next(d.value for d in at.dataframe if "default_rate" in d.value.columns)
    assert "tv (television set)" in fair["group"].tolist() and "car" in fair["group"].tolist()


def test_what_if_text_fields_are_picked_from_the_trained_values_with_their_meaning():
    import pandas as pd

    from pages.finance_views import _category_pickers
    from services.results import RunInfo

    frame = pd.DataFrame({"purpose": ["A40", "A46", "A40", None], "amount": [1.0, 2.0, 3.0, 4.0],
                          "branch": [f"b{i}" for i in range(4)]})
    run = RunInfo(1, "finance", "credit_lightgbm", 1, {
        "features": ["purpose", "amount", "branch"],
        "feature_kinds": {"purpose": "categorical", "amount": "numeric", "branch": "categorical"},
        "glossary": {"columns": {}, "values": {"purpose": {"A46": "education"}}}}, {}, "succeeded", None, False, None)
    coded = frame.assign(purpose=["A42", "A410", "A41", None])
    pickers = _category_pickers(coded, run)
    assert {c for c, p in pickers.items() if "type_config" in p} == {"purpose", "branch"}  # numbers stay typed
    assert [o["value"] for o in pickers["purpose"]["type_config"]["options"]] == ["A41", "A42", "A410"]
    run.parameters["glossary"]["columns"]["amount"] = "Credit amount"
    pickers = _category_pickers(frame, run)
    assert pickers["purpose"]["type_config"]["options"] == [{"value": "A40", "label": "A40"},
                                                            {"value": "A46", "label": "A46 (education)"}]
    assert pickers["amount"]["label"] == "Credit amount (amount)"  # headers named as the dictionary names them
    assert not pickers["purpose"].get("required")
    filled = _category_pickers(frame, run, frame.iloc[[0]])  # the applicant's purpose is given: no blank choice
    assert filled["purpose"]["required"] is True
    assert not _category_pickers(frame, run, frame.iloc[[3]])["purpose"].get("required")  # purpose missing


def test_dictionary_text_is_shown_as_written_not_as_markdown():
    from pages.components import plain

    shown = plain("A11 (*overdrawn*, from $-200 to $0) and 0 <= ... < 200 DM [x](y) _z_")
    assert shown == ("A11 \\(\\*overdrawn\\*, from \\$\\-200 to \\$0\\) and 0 \\<= \\.\\.\\. \\< 200 DM "
                     "\\[x\\]\\(y\\) \\_z\\_")
