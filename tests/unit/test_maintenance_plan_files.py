"""A plan over several scored files says when units of an earlier file stay beside the latest file's: plant A's 50
pumps scored, then plant B's 30 under the same ids P-01 … P-30, were planned as one fleet of 50 without a word (A's
P-27, alerted at 98 %, replaced by B's healthy P-27)."""
import io
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from services import maintenance_plan
from services import maintenance_plan_notes as notes

RISK = SimpleNamespace(id=1, task=notes.FAILURE_TASK)


@pytest.fixture
def stored(monkeypatch):
    def setup(frame: pd.DataFrame) -> None:
        monkeypatch.setattr(notes.runs, "predictions_frame", lambda runtime, run_id, kind: frame)
        monkeypatch.setattr(notes.datasets, "get_dataset", lambda runtime, dataset_id: SimpleNamespace(
            name={7: "plantA", 9: "plantB"}[dataset_id]))
    return setup


def _scored(dataset_id: int, units: range) -> pd.DataFrame:
    return pd.DataFrame({"record_key": [f"P-{u:02d}" for u in units], "dataset_id": dataset_id, "p_failure": 0.1})


def test_units_left_from_an_earlier_file_and_those_it_replaced_are_named(stored):
    stored(pd.concat([_scored(7, range(1, 51)), _scored(9, range(1, 31))], ignore_index=True))
    said = notes.scored_files_note(None, RISK, {"id_column": "pump_id"})
    assert said == ["The plan mixes 2 scored files: 30 unit(s) from the latest, 'plantB', and 20 from 'plantA', "
                    "absent from the latest, planned on their older score. 30 unit(s) of the latest file were scored "
                    "before too (P-01, P-02, P-03, P-04, P-05 and 25 more): the plan reads their latest score only. "
                    "If the files are of different sites whose unit ids repeat, give each site's units ids of their "
                    "own (the site in the id), or train a run per site."]


def test_a_file_rescoring_every_unit_or_numbered_rows_say_nothing(stored):
    stored(pd.concat([_scored(7, range(1, 31)), _scored(9, range(1, 31))], ignore_index=True))
    assert notes.scored_files_note(None, RISK, {"id_column": "pump_id"}) == []  # today's readings of the same fleet
    stored(pd.concat([_scored(7, range(1, 51)), _scored(9, range(1, 31))], ignore_index=True))
    assert notes.scored_files_note(None, RISK, {}) == []  # rows numbered: the plan reads the latest file alone


def test_an_rul_run_counts_units_of_an_earlier_file_without_repeats(stored):
    stored(pd.concat([_scored(7, range(1, 13)), _scored(9, range(20, 30))], ignore_index=True))
    said = notes.scored_files_note(None, SimpleNamespace(id=2, task="rul"), {})[0]
    assert said.startswith("The plan mixes 2 scored files: 10 unit(s) from the latest, 'plantB', and 12 from "
                           "'plantA', absent from the latest, planned on their older score. If the files")


def test_the_xlsx_plan_carries_its_notes_on_a_sheet_of_their_own():
    """The downloaded plan lacked the note the page showed beside it; a CSV keeps the table alone."""
    table = pd.DataFrame({"unit": ["P-01", "P-02"], "p_failure": [0.9, 0.1], "action": ["service", "monitor"]})
    said = ("The plan mixes 2 scored files: 30 unit(s) from the latest, 'plantB', and 20 from 'plantA' …",
            "p_failure is read as each unit's chance of failing within one day …")
    book = openpyxl.load_workbook(io.BytesIO(maintenance_plan.export_plan(table, "xlsx", notes=said)))
    assert book.sheetnames == ["plan", "about"]
    assert [[c.value for c in row] for row in book["plan"].iter_rows()][1] == ["P-01", 0.9, "service"]
    assert [c.value for c in book["about"]["B"] if c.value] == list(said)
    assert maintenance_plan.export_plan(table, "csv", notes=said) == maintenance_plan.export_plan(table, "csv")
    assert openpyxl.load_workbook(io.BytesIO(maintenance_plan.export_plan(table, "xlsx"))).sheetnames == ["plan"]


def test_the_exported_plan_writes_savings_in_cents():
    """An Azure-shaped plan's CSV read 25931.118411217278 as a unit's expected saving."""
    fleet = pd.DataFrame({"unit": ["40", "16", "7"], "p_failure": [0.0665377, 0.0374896, 0.001]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=14, risk_threshold=0.5)
    raw = result.frame.set_index("unit")["expected_saving"]
    assert raw["40"] != round(raw["40"], 2)  # the plan's own number, unrounded
    table = maintenance_plan.plan_export(result, fleet).set_index("unit")
    assert table["expected_saving"].to_dict() == {u: round(v, 2) for u, v in raw.items()}
    written = maintenance_plan.export_plan(table.reset_index(), "csv").decode()
    assert f",{round(raw['40'], 2)}," in written and str(raw["40"]) not in written


def test_the_xlsx_plan_says_what_it_rests_on_before_its_notes():
    """A forwarded plan carried its notes only: not the run, costs, capacity, horizon, threshold or expected costs."""
    fleet = pd.DataFrame({"unit": ["40", "16"], "p_failure": [0.2, 0.01]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=7, risk_threshold=0.1)
    inputs = maintenance_plan.plan_inputs(4, result, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                          capacity_per_period=1, period="week", horizon_periods=7, risk_threshold=0.1)
    book = openpyxl.load_workbook(io.BytesIO(maintenance_plan.export_plan(
        maintenance_plan.plan_export(result, fleet), "xlsx", notes=["A note."], inputs=inputs)))
    about = [(a.value, b.value) for a, b in book["about"].iter_rows() if a.value]
    assert about[:5] == [("Run", "4"), ("Unplanned failure cost", "50,000.00"),
                         ("Planned maintenance cost", "5,000.00"), ("Capacity", "1 per week"), ("Horizon", "7 week(s)")]
    assert ("Risk alert threshold", "10.0000%") in about and about[-1] == ("Note 1", "A note.")
    assert dict(about)["Expected cost with the plan"] == f"{result.expected_cost_plan:,.2f}"


def test_whole_number_units_are_numbers_in_the_xlsx_and_codes_stay_text():
    """NASA's engines came out as text cells ('34'), which Excel sorts 1, 10, 100, 11; the CSV is unchanged."""
    def first_column(units):
        table = pd.DataFrame({"unit": units, "rul": [5.1, 9.8, 12.0]})
        book = openpyxl.load_workbook(io.BytesIO(maintenance_plan.export_plan(table, "xlsx")))
        return [row[0].value for row in book["plan"].iter_rows(min_row=2)]

    assert first_column(["34", "100", "7"]) == [34, 100, 7]
    assert first_column(["0042", "100", "7"]) == ["0042", "100", "7"]
    assert first_column(["P-01", "100", "7"]) == ["P-01", "100", "7"]
    table = pd.DataFrame({"unit": ["34", "100"], "rul": [5.1, 9.8]})
    assert maintenance_plan.export_plan(table, "csv").decode().splitlines()[1].startswith("34,")

