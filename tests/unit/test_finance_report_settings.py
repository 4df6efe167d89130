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
