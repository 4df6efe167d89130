"""Driver columns written as text codes (Rossmann's StateHoliday 0/a/b/c, a holiday's name) drive the forecast.

They were left out as "identifiers, codes or text": a holiday on another calendar (Chinese New Year), marked in
the file for the dates to forecast, was forecast as an ordinary day.
"""
import numpy as np
import pandas as pd

from services import retail_closed_drivers as closed_drivers
from services.retail import _exogenous, prepare_sales
from services.retail_codes import codes_for, label
from services.retail_future import future_template, future_values

HORIZON = 7
PARAMS = {"date": "Date", "target": "Sales", "series": ["Store"], "horizon": HORIZON}
EASTER = pd.to_datetime(["2023-04-07", "2023-04-10", "2024-03-29", "2024-04-01"])
PUBLIC = pd.to_datetime(["2023-05-01", "2023-10-03", "2024-05-01"])


def _rossmann(stores: int = 4) -> pd.DataFrame:
    """Rows to 2024-05-31, the last 7 days with Sales blank; StateHoliday as pandas reads Rossmann's train.csv:
    the number 0 in some rows, the text '0' in others, 'a' and 'b'."""
    rng = np.random.default_rng(3)
    days = pd.date_range("2023-01-01", "2024-05-31", freq="D")
    code = np.where(days.isin(EASTER), "b", np.where(days.isin(PUBLIC), "a", "0")).astype(object)
    code[(code == "0") & (np.arange(len(days)) % 2 == 0)] = 0
    code[days == "2024-05-29"] = "b"  # a day ahead marked as a holiday the stores always closed on
    frames = []
    for store in range(1, stores + 1):
        shut = days.isin(EASTER) | (days.isin(PUBLIC) & (store > 1))
        sales = np.where(shut, 0, rng.poisson(500, len(days))).astype(float)
        frames.append(pd.DataFrame({"Store": store, "Date": days, "Sales": sales, "StateHoliday": code,
                                    "Region": "north" if store % 2 else "south", "Id": "x"}))
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["Date"] > "2024-05-24", "Sales"] = np.nan
    return frame


def test_a_text_coded_holiday_column_is_read_as_codes_and_used_as_a_driver():
    prepared = prepare_sales(_rossmann(), PARAMS)
    assert prepared.codes == {"StateHoliday": {0.0: "0", 1.0: "a", 2.0: "b"}}
    assert prepared.frame["StateHoliday"].dtype == float
    assert sorted(prepared.frame["StateHoliday"].unique()) == [0.0, 1.0, 2.0]
    assert ("Column(s) StateHoliday hold codes written as text; each code is read as a number, so the column can "
            "drive the forecast where the dates to forecast give it (StateHoliday: '0' = 0, 'a' = 1, 'b' = 2).") \
        in prepared.notes
    used, future, notes = _exogenous(None, prepared, {"horizon": HORIZON})
    assert used == ("StateHoliday",)
    assert future.loc[future["ds"] == "2024-05-29", "StateHoliday"].tolist() == [2.0] * 4
    assert future.loc[future["ds"] != "2024-05-29", "StateHoliday"].eq(0.0).all()
    # A store's region (one value per series) and an id are no drivers.
    assert notes[-1] == "Other columns left out (identifiers, codes or text, not drivers): Region, Id."


def test_a_holiday_code_that_never_sold_is_forecast_at_zero_and_named_as_written():
    prepared = prepare_sales(_rossmann(), PARAMS)
    used, future, _ = _exogenous(None, prepared, {"horizon": HORIZON})
    forecast = future[["unique_id", "ds"]].assign(yhat=500.0, p10=400.0, p50=500.0, p90=600.0, model="lightgbm")
    notes: list[str] = []
    out = closed_drivers.at_zero(prepared, forecast, future, used, notes)
    shut = out["ds"] == "2024-05-29"
    assert (out.loc[shut, ["yhat", "p10", "p50", "p90"]] == 0).all().all()
    assert (out.loc[~shut, "p50"] == 500.0).all()
    assert len(notes) == 1 and "4 forecast rows" in notes[0] and "(StateHoliday = 'b': a closed store" in notes[0]


def test_a_template_writes_the_codes_as_in_the_file_and_reads_them_back():
    prepared = prepare_sales(_rossmann(), PARAMS)
    template = future_template(prepared, HORIZON, ["StateHoliday"], "Date")
    assert template.loc[template["Date"] == "2024-05-29", "StateHoliday"].tolist() == ["b"] * 4
    assert set(template["StateHoliday"]) == {"0", "b"}
    template.loc[template["Date"] == "2024-05-30", "StateHoliday"] = "a"
    template.loc[template["Date"] == "2024-05-31", "StateHoliday"] = 1  # the code itself is read too
    values = future_values(template, prepared, PARAMS, ["StateHoliday"])
    by_day = values.groupby(values["ds"].dt.strftime("%m-%d"))["StateHoliday"].first()
    assert by_day.to_dict() == {"05-25": 0.0, "05-26": 0.0, "05-27": 0.0, "05-28": 0.0, "05-29": 2.0, "05-30": 1.0,
                                "05-31": 1.0}


def test_free_text_and_numbers_are_not_codes():
    frame = _rossmann(stores=2)
    frame["Comment"] = [f"note {i}" for i in range(len(frame))]  # free text: more than 20 values
    prepared = prepare_sales(frame, PARAMS)
    assert list(prepared.codes) == ["StateHoliday"]
    assert prepared.frame["Comment"].dtype == object


def test_one_spelling_per_code():
    assert [label(v) for v in (0, "0", " 0 ", "0.0", 0.0, np.int64(0))] == ["0"] * 6
    assert [label(v) for v in (None, np.nan, "", "  ", float("inf"))] == [None] * 5
    assert label("a") == "a" and label(2.5) == "2.5"
    assert codes_for(["0", "a", "b", "c"]) == {"0": 0.0, "a": 1.0, "b": 2.0, "c": 3.0}
    assert codes_for(["No", "Yes"]) == {"No": 0.0, "Yes": 1.0}
    assert codes_for(["Chinese New Year", "none"]) == {"Chinese New Year": 0.0, "none": 1.0}


def _with_holiday_type(ahead: str | None) -> pd.DataFrame:
    """Favorita's holidays_events.csv merged onto the sales: ``type`` blank on ordinary days."""
    frame = _rossmann(stores=3).drop(columns=["StateHoliday"])
    days = frame["Date"]
    frame["type"] = np.where(days.isin(PUBLIC) | days.isin(EASTER), "Holiday",
                             np.where(days.dt.day == 15, "Event", None)).astype(object)
    frame.loc[days > "2024-05-24", "type"] = None
    if ahead is not None:
        frame.loc[days == "2024-05-29", "type"] = ahead
    return frame


def test_blank_cells_of_a_merged_holiday_type_are_a_code_of_their_own():
    prepared = prepare_sales(_with_holiday_type("Holiday"), PARAMS)
    assert prepared.codes == {"type": {0.0: "(blank)", 1.0: "Event", 2.0: "Holiday"}}
    used, future, _ = _exogenous(None, prepared, {"horizon": HORIZON})
    assert used == ("type",)
    assert future.groupby(future["ds"].dt.day)["type"].first().to_dict() == {
        25: 0.0, 26: 0.0, 27: 0.0, 28: 0.0, 29: 2.0, 30: 0.0, 31: 0.0}


def test_a_merged_holiday_type_blank_on_every_date_to_forecast_is_not_given():
    prepared = prepare_sales(_with_holiday_type(None), PARAMS)
    used, _, notes = _exogenous(None, prepared, {"horizon": HORIZON})
    assert used == ()
    assert notes[0] == ("The table's future rows do not give type for every series and each of the 7 forecast "
                        "dates, so those columns could not be used.")
