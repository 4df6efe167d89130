"""The sample store_item_sales.csv with its dates saved as Excel serial days (42370 … 43100): the form said "No column
of this table reads as dates", left the series keys empty and ticked "one series", though the run reads such dates."""
from datetime import datetime

from services.results import DatasetInfo
from services.retail_form import date_choices, default_keys, looks_like_sales, no_dates_message


def _profile(name, distinct, low, high):
    return {"name": name, "kind": "numeric", "missing_pct": 0.0, "distinct": distinct, "min": low, "max": high}


def _info(date_name="date", low="42370", high="43100"):
    schema = {date_name: "numeric", "store": "numeric", "item": "numeric", "sales": "numeric"}
    profile = [_profile(date_name, 731, low, high), _profile("store", 2, "1", "2"), _profile("item", 3, "1", "3"),
               _profile("sales", 147, "7", "171")]
    roles = {date_name: "feature", "store": "feature", "item": "feature", "sales": "target"}  # the import's roles
    return DatasetInfo(1, "serial", "serial.csv", "", 0, 4386, 4, schema, roles, profile, [], {}, datetime(2026, 1, 1),
                       "qa")


def test_excel_serial_days_are_offered_as_the_date_and_the_keys_default_as_beside_dates():
    info = _info()
    assert default_keys(info, ("date", "sales")) == ["store", "item"]  # was []: six series summed as one
    assert looks_like_sales(info)  # the Retail page opens on it
    assert date_choices(info.schema, info.profile) == ["date"] and no_dates_message(info.schema, info.profile) is None


def test_unix_milliseconds_alike_and_plain_numbers_not():
    unix = _info("timestamp", "1433221332117", "1442545187788")  # Retail Rocket's events.csv
    assert default_keys(unix, ("timestamp", "sales")) == ["store", "item"]
    assert date_choices(unix.schema, unix.profile) == ["timestamp"]
    counts = _info("DAY", "1", "711")  # Dunnhumby's day numbers: refused by the run, not offered
    assert date_choices(counts.schema, counts.profile) == [] and default_keys(counts, ("DAY", "sales")) == []
    assert date_choices(_info().schema) == []  # without the profile: the kinds alone, as before
