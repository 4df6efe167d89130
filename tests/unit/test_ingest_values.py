"""Cell values that must survive reading as written: codes, ids, blanks, and dates with two readings."""
from __future__ import annotations

from pathlib import Path

from data.ingest import read_table


def read(tmp_path: Path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return read_table(path, filename=name)


def messages(result) -> list[str]:
    return [p.problem for p in result.problems]


def test_zero_padded_and_long_digit_codes_stay_text(tmp_path: Path) -> None:
    rows = "".join(f"{i:06d},{4000123412341234560 + i},0{i % 9 + 1}139,{i * 3.5}\n" for i in range(1, 40))
    result = read(tmp_path, "client,card,zip,amount\n" + rows)
    frame = result.frame
    assert frame.get_column("client")[0] == "000001" and frame.get_column("zip")[0] == "02139"
    assert frame.get_column("card")[0] == "4000123412341234561"
    assert result.schema["amount"] == "numeric"


def test_integer_ids_with_a_blank_cell_keep_every_digit(tmp_path: Path) -> None:
    rows = "".join(f"{4000123412341234560 + i},{i}\n" for i in range(30))
    result = read(tmp_path, "loan_id,amount\n" + rows + ",31\n")
    assert result.schema["loan_id"] == "identifier"
    ids = result.frame.to_pandas()["loan_id"]
    assert ids.iloc[0] == "4000123412341234560" and ids.iloc[-1] is None


def test_spaces_around_values_are_trimmed_and_blank_cells_are_missing(tmp_path: Path) -> None:
    result = read(tmp_path, 'term,flag\n" 36 months",Y\n" 60 months", \n36 months,N\n60 months,N\n')
    assert result.frame.get_column("term").to_list() == ["36 months", "60 months", "36 months", "60 months"]
    assert result.frame.get_column("flag").to_list() == [True, None, False, False]
    assert any("only spaces (rows 2)" in m for m in messages(result))


def test_month_starts_written_mm_dd_are_read_as_months(tmp_path: Path) -> None:
    rows = "".join(f"{m:02d}/01/{y},{m}\n" for y in (2019, 2020) for m in range(1, 13))
    result = read(tmp_path, "Month,Units\n" + rows)
    months = result.frame.get_column("Month").to_list()
    assert [d.isoformat() for d in months[:3]] == ["2019-01-01", "2019-02-01", "2019-03-01"]
    assert any("read as MM/DD/YYYY" in m for m in messages(result))


def test_consecutive_days_with_two_readings_stay_day_first(tmp_path: Path) -> None:
    result = read(tmp_path, "day,units\n" + "".join(f"{d:02d}/03/2020,{d}\n" for d in range(1, 13)))
    assert result.frame.get_column("day")[1].isoformat() == "2020-03-02"
    assert any("read as DD/MM/YYYY" in m for m in messages(result))


def test_month_names_with_a_year_are_dates(tmp_path: Path) -> None:
    rows = "".join(f"{m}-{y},{i}\n" for i, (m, y) in enumerate((m, y) for y in (2015, 2016) for m in ("Jan", "Dec")))
    result = read(tmp_path, "issue_d,amount\n" + rows)
    assert result.schema["issue_d"] == "datetime"
    assert [d.isoformat() for d in result.frame.get_column("issue_d")] == [
        "2015-01-01", "2015-12-01", "2016-01-01", "2016-12-01"]
    spelled = read(tmp_path, "month,units\nJanuary 2019,3\nFebruary 2019,4\nMarch 2019,5\n", "m.csv")
    assert spelled.schema["month"] == "datetime"


def test_dotted_year_first_dates_and_ims_snapshot_stamps_are_dates(tmp_path: Path) -> None:
    stamps = read(tmp_path, "snapshot,rms\n2003.10.22.12.06.24,0.1\n2003.10.22.12.16.24,0.2\n2003.11.01.00.06.24,0.3\n")
    assert stamps.schema["snapshot"] == "datetime"  # NASA's IMS bearing files are named by their time
    assert [d.isoformat() for d in stamps.frame.get_column("snapshot")] == [
        "2003-10-22T12:06:24", "2003-10-22T12:16:24", "2003-11-01T00:06:24"]
    days = read(tmp_path, "day,units\n2021.09.25,3\n2021.10.05,4\n", "d.csv")
    assert [d.isoformat() for d in days.frame.get_column("day")] == ["2021-09-25", "2021-10-05"]
    versions = read(tmp_path, "version,units\n1.2.3,3\n2.0.1,4\n", "v.csv")
    assert versions.schema["version"] != "datetime"  # a version number is no date


def test_dates_written_in_words_with_a_day_are_dates(tmp_path: Path) -> None:
    prose = read(tmp_path, 'title,date_added\nA,"September 25, 2021"\nB," August 4, 2017"\nC,"Sep 5, 2021"\nD,\n')
    assert prose.schema["date_added"] == "datetime"
    assert [d and d.isoformat() for d in prose.frame.get_column("date_added")] == [
        "2021-09-25", "2017-08-04", "2021-09-05", None]
    british = read(tmp_path, "day,units\n25 September 2021,3\n5 Oct 2021,4\n", "b.csv")
    assert british.frame.get_column("day")[1].isoformat() == "2021-10-05"
    oracle = read(tmp_path, "day,units\n25-SEP-2021,3\n01-Oct-2021,4\n", "o.csv")
    assert oracle.frame.get_column("day")[0].isoformat() == "2021-09-25"


def test_hour_ending_24_00_is_midnight_of_the_next_day(tmp_path: Path) -> None:
    rows = "".join(f"2018-01-0{d} {h:02d}:00,N,{h}\n" for d in (1, 2) for h in range(1, 25))
    result = read(tmp_path, "hour_ending,zone,load\n" + rows)
    stamps = result.frame.get_column("hour_ending").to_list()
    assert result.schema["hour_ending"] == "datetime" and len(stamps) == 48 and None not in stamps
    assert stamps[23].isoformat() == "2018-01-02T00:00:00" and stamps[47].isoformat() == "2018-01-03T00:00:00"
    assert any("2 value(s) of column 'hour_ending' are written at 24:00" in m for m in messages(result))


def test_a_two_digit_year_is_not_read_as_the_year_21(tmp_path: Path) -> None:
    result = read(tmp_path, "day,units\n25-Sep-21,3\n01-Oct-21,4\n")
    assert result.schema["day"] != "datetime" or result.frame.get_column("day")[0].year > 1000


def test_fixed_width_codes_keep_a_leading_zero_first_seen_past_the_sample(tmp_path: Path) -> None:
    # EAN-13 and ZIP codes: the first 2,000 rows have no leading zero, a later one does.
    rows = [f"{4006381333931 + i},{90210 + i % 50},{i % 7}\n" for i in range(2500)]
    rows[2400] = "0012345678905,02139,3\n"
    result = read(tmp_path, "ean,zip,qty\n" + "".join(rows))
    frame = result.frame.to_pandas()
    assert frame["ean"].iloc[2400] == "0012345678905" and frame["zip"].iloc[2400] == "02139"
    assert frame["ean"].iloc[0] == "4006381333931"
    assert result.schema["qty"] == "numeric"


def test_a_number_column_whose_first_values_share_a_width_stays_numeric(tmp_path: Path) -> None:
    rows = [f"{1000 + i},{i}\n" for i in range(2500)] + ["250,7\n"]
    result = read(tmp_path, "amount,qty\n" + "".join(rows))
    assert result.schema["amount"] == "numeric" and result.frame.get_column("amount")[-1] == 250


def test_dates_with_utc_offsets_keep_their_local_calendar_day(tmp_path: Path) -> None:
    rows = "".join(f"{d:%Y-%m-%d}T00:00:00{'+02:00' if 4 <= d.month <= 9 else '+01:00'},{i}\n"
                   for i, d in enumerate(__import__("pandas").date_range("2022-01-02", periods=60, freq="W-SUN")))
    result = read(tmp_path, "week,sales\n" + rows + "2023-03-01T13:45:00Z,5\n")
    weeks = result.frame.to_pandas()["week"]
    assert result.schema["week"] == "datetime" and weeks.dt.tz is None
    assert (weeks.iloc[:60].dt.dayofweek == 6).all() and weeks.iloc[:60].dt.hour.eq(0).all()   # Sundays, midnight
    assert str(weeks.iloc[-1]) == "2023-03-01 13:45:00"


def test_iso_week_labels_are_read_as_the_weeks_monday(tmp_path: Path) -> None:
    rows = "".join(f"2022-W{w:02d},{w}\n" for w in range(1, 53)) + "2023W01,5\n"
    result = read(tmp_path, "week,units\n" + rows)
    weeks = result.frame.to_pandas()["week"]
    assert result.schema["week"] == "datetime"
    assert str(weeks.iloc[0])[:10] == "2022-01-03" and str(weeks.iloc[-1])[:10] == "2023-01-02"
    assert (__import__("pandas").to_datetime(weeks).dt.dayofweek == 0).all()


def test_question_marks_are_missing_values_as_in_the_uci_files(tmp_path: Path) -> None:
    """crx.data and the Polish bankruptcy set write '?' for a missing number or category."""
    rows = "".join(f"{'?' if i % 12 == 0 else i * 0.37:},{'?' if i % 15 == 0 else 'abc'[i % 3]},{i % 2}\n"
                   for i in range(1, 200))
    result = read(tmp_path, "Attr1,A4,class\n" + rows)
    assert result.schema["Attr1"] == "numeric" and result.schema["A4"] == "categorical"
    frame = result.frame.to_pandas()
    assert frame["Attr1"].isna().sum() == 16 and frame["A4"].isna().sum() == 13
    assert "?" not in set(frame["A4"].dropna())
    assert any("'?'" in m and "Attr1" in m for m in messages(result))


def test_lowercase_na_is_missing_as_in_the_aps_trucks_file(tmp_path: Path) -> None:
    """The APS (Scania) failure set writes 'na': its counters must stay numbers, not become text ids."""
    rows = "".join(f"{'na' if i % 7 == 0 else i * 1013 % 997},{'na' if i % 9 == 0 else i},neg\n" for i in range(1, 300))
    result = read(tmp_path, "aj_000,ab_000,class\n" + rows)
    assert result.schema["aj_000"] == "numeric" and result.schema["ab_000"] == "numeric"
    assert result.frame.to_pandas()["aj_000"].isna().sum() == 299 // 7
