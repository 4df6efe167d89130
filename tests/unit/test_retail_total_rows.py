"""'Total' rows of a report-style ERP extract are left out; a store really named 'All' stays a store."""
import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare

WEEKS = pd.date_range("2022-01-02", periods=60, freq="W-SUN")


def extract() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = pd.DataFrame([{"Week Ending": w, "Store": s, "SKU": k, "Units": float(rng.integers(20, 90))}
                         for s in ("S101", "S102") for k in ("SKU-1", "SKU-2") for w in WEEKS])
    per_store = rows.groupby(["Week Ending", "Store"], as_index=False)["Units"].sum().assign(SKU="Total")
    grand = rows.groupby("Week Ending", as_index=False)["Units"].sum().assign(Store="Grand Total", SKU="All")
    return pd.concat([rows, per_store, grand], ignore_index=True)


def options():
    return PrepOptions(date="Week Ending", target="Units", series=("Store", "SKU"), horizon=4)


def test_subtotal_and_grand_total_rows_are_not_series():
    # They were forecast as series of their own (an order for the whole chain in the purchase plan).
    prepared = prepare(extract(), options())
    assert sorted(prepared.frame["unique_id"].unique()) == [
        "Store=S101|SKU=SKU-1", "Store=S101|SKU=SKU-2", "Store=S102|SKU=SKU-1", "Store=S102|SKU=SKU-2"]
    note = next(n for n in prepared.notes if "totals of other rows" in n)
    assert note.startswith("180 rows are totals of other rows (a key reading 'All', 'Grand Total', 'Total'")


def test_a_key_named_all_that_is_no_sum_stays_a_series():
    frame = extract()
    frame = frame[~frame["SKU"].isin(["Total"])]
    frame.loc[frame["Store"] == "Grand Total", "Units"] = 55.0  # a shop called All, selling its own
    prepared = prepare(frame, options())
    assert "Store=Grand Total|SKU=All" in set(prepared.frame["unique_id"])
    assert not any("totals of other rows" in n for n in prepared.notes)
