"""The page lists scored RULs lowest first and units without an estimate last (it had kept the file's order)."""
import pandas as pd

from services.maintenance_results import urgent_first


def test_lowest_rul_first_ties_in_file_order_units_without_an_estimate_last():
    last = pd.DataFrame({"unit": ["a", "b", "c", "d"], "rul": [125.0, 30.0, 9.0, 30.0]})
    assert urgent_first(last, [])["unit"].tolist() == ["c", "b", "d", "a"]
    assert urgent_first(last, ["c"])["unit"].tolist() == ["b", "d", "a", "c"]
    with_blank = last.assign(rul=[125.0, None, 9.0, 30.0])
    assert urgent_first(with_blank, [])["unit"].tolist() == ["c", "d", "a", "b"]
