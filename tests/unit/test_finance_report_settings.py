"""The finance report's model settings read in words: monotone constraints as arrows, not a stored mapping."""
from datetime import datetime, timezone

from services import finance_report, reports
from services.results import RunInfo


def _run(parameters: dict) -> RunInfo:
    return RunInfo(1, "finance", "credit_lightgbm", 1, parameters, {}, "succeeded", None, False,
                   datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_monotone_constraints_read_as_arrows_and_model_settings_in_words():
    monotone = {"Duration": 1, "Age": -1}
    run = _run({"monotone": monotone, "model": {"positive": "bad", "seed": 0, "monotone_constraints": monotone,
                                                "device": "cpu"}})
    section = finance_report.settings_section(run)
    assert section.heading == "Model settings"
    assert section.text == ("Monotone constraints: Duration ↑ (increasing), Age ↓ (decreasing): the PD never falls "
                            "as an increasing column rises, and never rises as a decreasing one does. Other settings: "
                            "default label bad, random seed 0, device cpu.")
    assert "monotone_constraints" not in section.text and "Duration: 1" not in section.text


def test_no_constraints_read_none_and_a_dictionary_names_the_column():
    assert finance_report.settings_section(_run({"monotone": {}, "model": {"monotone_constraints": None}})).text \
        == "Monotone constraints: none."
    glossary = {"columns": {"laufzeit": "Duration in months"}}
    assert finance_report.monotone_in_words({"laufzeit": 1, "hoehe": 0}, glossary) == \
        "Duration in months (laufzeit) ↑ (increasing)"


def test_the_stored_mappings_are_not_listed_among_the_parameters():
    assert {"model", "monotone"} <= set(reports.HIDDEN_PARAMETERS["finance"])


def test_a_blend_is_named_with_its_shares_and_the_unset_positive_value_is_not_listed():
    metrics = {"champion": "blend", "blend_weight": 0.6, "forest_weight": 0.3, "logistic_weight": 0.1}
    assert finance_report.champion_in_words(metrics) == \
        "blend of LightGBM 60 %, random forest 30 %, logistic regression 10 %"
    assert finance_report.champion_in_words({"champion": "forest", "forest_weight": 1.0}) == "random forest"
    run = RunInfo(1, "finance", "credit_lightgbm", 1, {"monotone": {}}, metrics, "succeeded", None, False,
                  datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert finance_report.settings_section(run).text.startswith(
        "Champion: blend of LightGBM 60 %, random forest 30 %, logistic regression 10 %. Monotone constraints: none.")
    assert "champion (blend of LightGBM 60 %, random forest 30 %, logistic regression 10 %, calibrated)" in \
        finance_report.metrics_table(run).columns
    assert "positive" in reports.HIDDEN_PARAMETERS["finance"]


def test_the_report_grades_read_in_percent_with_a_dash_for_an_empty_grade():
    table = finance_report.grades_table([
        {"grade": "A", "pd_from": 0.0, "pd_to": 0.02, "applicants": 0, "share": 0.0, "mean_pd": None,
         "observed_default_rate": None},
        {"grade": "B", "pd_from": 0.02, "pd_to": 0.05, "applicants": 5, "share": 0.004167, "mean_pd": 0.031,
         "observed_default_rate": 0.2}])
    assert table["share of applicants (%)"].tolist() == ["0.0", "0.4"]
    assert table["mean PD (%)"].tolist() == ["–", "3.1"] and table["observed default rate (%)"].tolist() == ["–", "20.0"]


def test_the_shap_section_does_not_repeat_the_documents_explanations_heading():
    shap = {"features": ["amount", "age"], "values": [[0.2, -0.1], [-0.3, 0.05]],
            "data": {"amount": [1000, 5000], "age": [30, 50]}}
    section = finance_report._shap_section(shap)
    assert section.heading == "What drives the PD (SHAP)" and section.heading != "Explanations"
