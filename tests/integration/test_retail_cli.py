"""`cli.py retail forecast` end to end on tiny weekly and daily tables: exact output columns and rows,
what is stored, and clear refusals that store no run."""
import json
import re

import numpy as np
import pandas as pd
import pytest

import cli
from services import runs
from services.runtime import build_runtime
from settings import get_settings


def weekly_sales(weeks: int = 60, seed: int = 0) -> pd.DataFrame:
    """2 regions × 2 SKUs, weeks anchored on Thursday, seasonal and noisy."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-06", periods=weeks, freq="W-THU")
    rows = []
    for region in ("north", "south"):
        for sku in (101, 202):
            level = 30 + 20 * (sku == 202) + 10 * np.sin(np.arange(weeks) * 2 * np.pi / 52)
            rows.append(pd.DataFrame({"week": dates.strftime("%Y-%m-%d"), "region": region, "sku": sku,
                                      "units": rng.poisson(level).astype(int)}))
    return pd.concat(rows, ignore_index=True)


def _run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _forecast(capsys, path, out, *extra):
    return _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units", "--series",
                "region,sku", "--horizon", 4, "--out", out, "--trees", 5, "--windows", 2, *extra)


def test_plain_output_names_the_run_before_the_backtest_table(settings_env, tmp_path, capsys):
    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    weekly_sales().to_csv(path, index=False)
    code, stdout, err = _forecast(capsys, path, out)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0].startswith("run_id: ") and int(lines[0].split(": ")[1]) > 0
    assert lines[1:6] == [f"out: {out}", "rows: 16", "series: 4", "frequency: W", lines[5]]
    assert lines[5].startswith("champion: ") and "wape" in lines[6]  # then the backtest table's header


def test_weekly_forecast_writes_keys_date_and_ordered_bands(settings_env, tmp_path, capsys):
    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    weekly_sales().sample(frac=1.0, random_state=1).to_csv(path, index=False)  # unsorted on purpose
    code, stdout, err = _forecast(capsys, path, out, "--json")
    assert code == 0, err
    payload = json.loads(stdout)
    written = pd.read_csv(out)
    assert list(written.columns) == ["region", "sku", "date", "p10", "p50", "p90"]
    assert len(written) == 4 * 4 and written.groupby(["region", "sku"]).size().eq(4).all()
    assert sorted(written["date"].unique()) == ["2023-03-02", "2023-03-09", "2023-03-16", "2023-03-23"]
    assert (written["p10"] <= written["p50"]).all() and (written["p50"] <= written["p90"]).all()
    assert (written["p10"] >= 0).all()
    bands = written[["p10", "p50", "p90"]]
    assert (bands.round(2) == bands).all().all()  # hundredths: 4117.743006 was false precision; no float dust
    assert payload["frequency"] == "W" and payload["rows"] == 16 and payload["series"] == 4
    table = {row["model"]: row for row in payload["backtest"]}
    # 52 weeks before the first window, 56 before the last: the seasonal index is backtested on the last one
    assert set(table) == {"lightgbm", "seasonal_naive", "seasonal_index", "moving_average"}
    assert table[payload["champion"]]["champion"] is True
    assert all(0 <= row["coverage"] <= 100 and row["wape"] >= 0 for row in table.values())
    runtime = build_runtime(get_settings())
    run = runs.get_run(runtime, payload["run_id"])
    assert run.desk == "retail" and run.parameters["champion"] == payload["champion"]
    stored = runs.predictions_frame(runtime, run.id, kind="forecast")
    assert len(stored) == 16 and stored["record_key"].iloc[0].startswith("region=north|sku=101|2023-03-02")
    backtest = runs.predictions_frame(runtime, run.id, kind="backtest")
    windows = 1 if payload["champion"] == "seasonal_index" else 2  # it has a year before the last window only
    assert len(backtest) == windows * 4 * 4 and {"actual", "model", "p50"} <= set(backtest.columns)
    assert "Frequency: weekly (weeks labelled Thu) (detected)." in run.parameters["notes"]
    ratios = run.parameters["lead_variance_ratio"]  # how the backtest's errors add up over 1..4 weeks
    assert len(ratios) == 4 and ratios[0] == 1.0 and all(1.0 <= r <= lead for lead, r in enumerate(ratios, 1))


def test_a_row_id_as_a_series_key_is_refused_before_any_run(settings_env, tmp_path, capsys):
    """Favorita's train.csv has a row id first: keyed on it, every series was one row and the job sat in the
    backtest for minutes. The page refused it; the CLI ran it."""
    frame = weekly_sales()
    frame.insert(0, "id", range(len(frame)))
    path, out = tmp_path / "rows.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                        "--series", "id,region", "--horizon", 4, "--out", out)
    assert code == 2 and "leave 240 of 240 series with a single row" in err and "'id' has a different value" in err
    assert not out.exists() and runs.list_runs(build_runtime(get_settings()), desk="retail") == []


def test_duplicates_stop_by_default_and_sum_on_request(settings_env, tmp_path, capsys):
    frame = weekly_sales()
    path, out = tmp_path / "dup.csv", tmp_path / "f.csv"
    pd.concat([frame, frame.iloc[[3]]]).to_csv(path, index=False)
    code, _, err = _forecast(capsys, path, out)
    assert code == 2 and "error: 1 (series, date) pairs appear more than once" in err and "--duplicates sum" in err
    assert not out.exists() and runs.list_runs(build_runtime(get_settings()), desk="retail") == []
    code, _, err = _forecast(capsys, path, out, "--duplicates", "sum")
    assert code == 0 and "were summed" in err and len(pd.read_csv(out)) == 16


@pytest.mark.parametrize("mutate,message", [
    (lambda f: f.assign(week=[w if i % 2 else pd.Timestamp(w).strftime("%d/%m/%Y") for i, w in enumerate(f["week"])]),
     "format"),
    (lambda f: f[f["week"] <= "2022-01-27"], "horizon (4 periods) is as long as the history"),
])
def test_bad_dates_and_too_long_horizons_are_refused(settings_env, tmp_path, capsys, mutate, message):
    path, out = tmp_path / "bad.csv", tmp_path / "f.csv"
    mutate(weekly_sales()).to_csv(path, index=False)
    code, _, err = _forecast(capsys, path, out)
    assert code == 2 and message in err and not out.exists()
    runtime = build_runtime(get_settings())
    assert runs.list_runs(runtime, desk="retail") == []
    from services import datasets, jobs

    assert datasets.list_datasets(runtime) == [] and jobs.list_jobs(runtime) == []  # the refused file is not kept


def test_negative_sales_warn_and_a_ten_point_series_gets_a_baseline(settings_env, tmp_path, capsys):
    frame = weekly_sales()
    frame.loc[5, "units"] = -3
    short = frame[(frame["region"] == "north") & (frame["sku"] == 101)].tail(10).assign(sku=999)
    launch = frame.tail(1).assign(sku=777)  # one sale in the last week: a placeholder forecast, said so
    path, out = tmp_path / "mixed.csv", tmp_path / "f.csv"
    pd.concat([frame, short, launch]).to_csv(path, index=False)
    code, stdout, err = _forecast(capsys, path, out, "--json")
    assert code == 0, err
    assert "note: Warning: 1 negative quantities in 1 series were kept" in err
    assert "region=north|sku=999" in err and "forecast by a simpler model (not LightGBM)" in err
    assert "the baseline that did best on the other series' backtest (they are too short" in err
    assert "1 of them have fewer than 4 rows, so their forecast rests on one or a few values: region=south|sku=777 " \
           "(1 row). Treat it as a placeholder." in err and "sku=999 (" not in err
    written = pd.read_csv(out)
    assert len(written) == 6 * 4 and (written["sku"] == 999).sum() == 4
    runtime = build_runtime(get_settings())
    models = runs.predictions_frame(runtime, json.loads(stdout)["run_id"], kind="forecast")
    short_models = set(models[models["sku"] == 999]["model"])
    assert short_models <= {"seasonal_naive", "moving_average"} and len(short_models) == 1


def test_gaps_left_missing_are_forecast_and_explained(settings_env, tmp_path, capsys):
    """--fill missing weights the gap rows out of training; SHAP must not see the weight as a feature."""
    frame = weekly_sales()
    frame = frame.drop(index=frame.index[[7, 8, 30, 61]])
    path, out = tmp_path / "gaps.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, stdout, err = _forecast(capsys, path, out, "--fill", "missing", "--json")
    assert code == 0, err
    assert len(pd.read_csv(out)) == 16 and json.loads(stdout)["rows"] == 16


def test_nixtla_column_names_are_taken_or_refused_clearly_and_padded_keys_round_trip(settings_env, tmp_path, capsys):
    """ds / y as date and target work; a key called unique_id is refused with the fix; keys kept verbatim."""
    frame = weekly_sales().rename(columns={"week": "ds", "units": "y"})
    frame["store"] = frame["region"].map({"north": "007", "south": "012"})   # zero-padded numbers as keys
    frame["unique_id"] = frame["store"] + "-" + frame["sku"].astype(str)
    path, out = tmp_path / "nixtla.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "ds", "--target", "y", "--series",
                        "unique_id", "--horizon", 4, "--out", out, "--trees", 5, "--windows", 2)
    assert code == 2 and "may not be called 'unique_id'" in err and not out.exists()
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "ds", "--target", "y", "--series",
                        "store,sku", "--horizon", 4, "--out", out, "--trees", 5, "--windows", 2)
    assert code == 0, err
    written = pd.read_csv(out, dtype=str)
    assert list(written.columns) == ["store", "sku", "date", "p10", "p50", "p90"] and len(written) == 16
    assert sorted(written["store"].unique()) == ["007", "012"]
    assert "unique_id → unique_id_extra" in err


def test_key_columns_named_with_spaces_dashes_or_keywords_are_written_as_named(settings_env, tmp_path, capsys):
    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    weekly_sales().rename(columns={"region": "Store ID", "sku": "class"}).to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                        "--series", "Store ID,class", "--horizon", 2, "--out", out, "--trees", 5, "--windows", 2)
    assert code == 0, err
    written = pd.read_csv(out)
    assert list(written.columns) == ["Store ID", "class", "date", "p10", "p50", "p90"] and len(written) == 8
    assert set(written["Store ID"]) == {"north", "south"} and set(written["class"]) == {101, 202}
    from services import retail_views

    runtime = build_runtime(get_settings())
    run = retail_views.retail_run(runtime, max(r.id for r in runs.list_runs(runtime, desk="retail")))
    drivers = retail_views.drivers_for(runtime, run, "Store ID=north|class=101", written["date"].iloc[0])
    assert {"Store ID", "class"} <= set(drivers["feature"])  # the model file writes Store_ID
    frame = weekly_sales()
    frame["Region, country"] = frame["region"] + "-" + frame["sku"].astype(str)
    frame.drop(columns=["region", "sku"]).to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                        "--series", "Region, country", "--horizon", 2, "--out", out, "--trees", 5, "--windows", 2)
    assert code == 0, err  # one key column whose name holds a comma: LightGBM itself refuses such a name
    written = pd.read_csv(out)
    assert list(written.columns[:2]) == ["Region, country", "date"]
    run = retail_views.retail_run(runtime, max(r.id for r in runs.list_runs(runtime, desk="retail")))
    series = f"Region, country={written['Region, country'].iloc[0]}"
    drivers = retail_views.drivers_for(runtime, run, series, written["date"].iloc[0])
    assert "Region, country" in set(drivers["feature"])  # named as written, not with a look-alike comma


def test_a_workbook_output_has_date_cells(settings_env, tmp_path, capsys):
    from openpyxl import load_workbook

    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.xlsx"
    weekly_sales().to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                        "--series", "region,sku", "--horizon", 2, "--out", out, "--trees", 5, "--windows", 2)
    assert code == 0, err
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["region", "sku", "date"] and sheet["C2"].is_date


def test_how_the_file_was_read_is_in_the_json_notes(settings_env, tmp_path, capsys):
    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    frame = weekly_sales()
    frame["units"] = frame["units"].astype(float) + 0.5
    frame.to_csv(path, index=False, sep=";", decimal=",")
    code, stdout, err = _forecast(capsys, path, out, "--json")
    assert code == 0, err
    notes = json.loads(stdout)["notes"]
    assert any(n.startswith("Numbers are written the European way") for n in notes), notes
    assert err.count("Numbers are written the European way") == 1  # once on stderr, not twice


def test_stores_weekly_on_their_own_weekdays_get_forecasts_on_those_weekdays(settings_env, tmp_path, capsys):
    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    frame = weekly_sales()
    week = pd.to_datetime(frame["week"])
    frame["week"] = np.where(frame["region"] == "north", week + pd.Timedelta(days=1), week + pd.Timedelta(days=3))
    frame["week"] = pd.to_datetime(frame["week"]).dt.strftime("%Y-%m-%d")  # north: Fridays, south: Sundays
    frame.to_csv(path, index=False)
    code, stdout, err = _forecast(capsys, path, out, "--json")
    assert code == 0, err
    assert json.loads(stdout)["frequency"] == "W"
    written = pd.read_csv(out, parse_dates=["date"])
    weekdays = written.groupby("region")["date"].agg(lambda d: set(d.dt.day_name()))
    assert weekdays.to_dict() == {"north": {"Friday"}, "south": {"Sunday"}} and len(written) == 16
    last = pd.to_datetime(frame.groupby("region")["week"].max())
    assert (written.groupby("region")["date"].min() == last + pd.Timedelta(days=7)).all()  # the next week


def test_blank_key_cells_keep_whole_number_keys(settings_env, tmp_path, capsys):
    frame = weekly_sales()
    frame["sku"] = frame["sku"].astype("Int64")
    frame.loc[frame.index[:3], "sku"] = pd.NA
    path, out = tmp_path / "blank.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, _, err = _forecast(capsys, path, out)
    assert code == 0, err
    assert set(pd.read_csv(out, dtype=str)["sku"].dropna()) == {"101", "202"}


def test_us_month_starts_are_monthly_and_blank_quantities_are_reported(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(2)
    months = pd.date_range("2019-01-01", periods=40, freq="MS")
    frame = pd.concat([pd.DataFrame({"Month": months.strftime("%m/%d/%Y"), "Product": p,
                                     "Units": rng.poisson(50 + 10 * i, len(months)).astype(float)})
                       for i, p in enumerate(["A", "B"])], ignore_index=True)
    frame.loc[[5, 47], "Units"] = np.nan
    path, out = tmp_path / "monthly.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "Month", "--target", "Units",
                             "--series", "Product", "--horizon", 3, "--out", out, "--trees", 5, "--windows", 2, "--json")
    assert code == 0, err
    assert json.loads(stdout)["frequency"] == "M"
    assert "read as MM/DD/YYYY" in err and "2 rows had no quantity" in err
    assert sorted(pd.read_csv(out)["date"].unique()) == ["2022-05-01", "2022-06-01", "2022-07-01"]


@pytest.mark.parametrize("extra,message", [(["--trees", 0], "number of trees must be at least 1"),
                                           (["--out", "forecast.parquet"], "write a csv or txt or xlsx or xlsm file")])
def test_bad_options_are_refused_before_anything_runs(settings_env, tmp_path, capsys, extra, message):
    path = tmp_path / "weekly.csv"
    weekly_sales().to_csv(path, index=False)
    argv = ["retail", "forecast", "--data", path, "--date", "week", "--target", "units", "--series", "region,sku",
            "--horizon", 4, "--out", tmp_path / "f.csv", "--windows", 2]
    if extra[0] == "--out":
        argv[argv.index("--out") + 1] = tmp_path / extra[1]
    else:
        argv += extra
    code, _, err = _run(capsys, *argv)
    assert code == 2 and message in err
    assert runs.list_runs(build_runtime(get_settings()), desk="retail") == []


def test_too_many_windows_are_capped_and_an_out_of_season_item_still_gets_a_forecast(settings_env, tmp_path, capsys):
    """Every backtest actual 0 (a summer item in winter) leaves WAPE undefined: the champion is picked on sMAPE.
    25 windows on 60 weeks would leave the first window's model with no history: fewer are run, with a note."""
    frame = weekly_sales()
    summer = pd.to_datetime(frame["week"]).dt.month.isin([5, 6, 7, 8])
    frame["units"] = np.where(summer, frame["units"], 0)
    path, out = tmp_path / "swim.csv", tmp_path / "swim_forecast.csv"
    frame.to_csv(path, index=False)
    for windows, note in ((2, "WAPE is undefined; the champion was picked on sMAPE"),
                          (25, "25 backtest windows were asked for; the history leaves room for")):
        code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                                 "--series", "region,sku", "--horizon", 4, "--out", out, "--trees", 5,
                                 "--windows", windows, "--json")
        assert code == 0, err
        payload = json.loads(stdout)
        assert any(note in n for n in payload["notes"]), windows
        assert payload["champion_metric"] == ("smape" if windows == 2 else "wape")
        written = pd.read_csv(out)
        assert len(written) == 16 and written[["p10", "p50", "p90"]].notna().all().all()


def chain_sales(weeks: int = 160, seed: int = 4) -> pd.DataFrame:
    """8 stores × 3 SKUs of one chain: one shared month pattern, different sizes, Poisson noise."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2021-01-04", periods=weeks, freq="W-MON")
    month = np.array([0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 1.0, 0.9, 0.7])[dates.month - 1]
    rows = []
    for store in range(1, 9):
        for sku, size in ((11, 40), (22, 90), (33, 15)):
            mean = size * (0.6 + 0.1 * store) * month
            rows.append(pd.DataFrame({"week": dates.strftime("%Y-%m-%d"), "store": store, "sku": sku,
                                      "units": rng.poisson(mean)}))
    return pd.concat(rows, ignore_index=True)


def test_a_chain_with_one_seasonal_pattern_gets_the_seasonal_index_and_drivers_still_explain(settings_env, tmp_path,
                                                                                            capsys):
    from services import retail_views

    path, out = tmp_path / "chain.csv", tmp_path / "f.csv"
    chain_sales().to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                             "--series", "store,sku", "--horizon", 8, "--out", out, "--trees", 20, "--json")
    assert code == 0, err
    payload = json.loads(stdout)
    table = {row["model"]: row for row in payload["backtest"]}
    assert set(table) == {"lightgbm", "seasonal_naive", "seasonal_index", "moving_average"}
    assert payload["champion"] == "seasonal_index"
    assert table["seasonal_index"]["wape"] < min(table[m]["wape"] for m in ("lightgbm", "seasonal_naive"))
    written = pd.read_csv(out)
    assert len(written) == 24 * 8 and (written["p10"] <= written["p50"]).all() and (written["p50"] <= written["p90"]).all()
    runtime = build_runtime(get_settings())
    run = runs.get_run(runtime, payload["run_id"])
    drivers = retail_views.drivers_for(runtime, run, "store=1|sku=22", written["date"].iloc[0])
    assert len(drivers) > 3 and drivers["shap"].abs().sum() > 0  # the LightGBM forecast, explained per date
    from services import reports

    _, html = reports.export_run_report(runtime, payload["run_id"], "html", user="t")
    # the quote escaped
    assert b"Champion (lowest WAPE, also lowest in at least half the backtest windows, so its imbalance was not " \
           b"counted): seasonal index: each series&#x27; recent" in html  # its lead held in the windows
    assert b"these drivers explain the LightGBM model backtested beside it" in html
    assert b"Forecast per series over the horizon" in html and b"total p50" in html  # the stored name in words
    assert re.search(rb"Largest series by forecast volume: store \d+, sku \d+\.", html)  # not 'store=1|sku=22'
    assert b"Mean |SHAP|" not in html and b"in units scaled to each series" in html
    report = reports.build_report(runtime, payload["run_id"])
    assert report.title.endswith(", champion: seasonal index")  # the model in words
    (totals,) = [t for s in report.sections for name, t in s.tables if name.startswith("Forecast per series")]
    assert len(totals) == 24 and totals["total_p50"].is_monotonic_decreasing
    assert totals["total_p50"].sum() == pytest.approx(written["p50"].sum(), abs=0.01 * len(totals))  # rounded


def test_slow_sellers_are_not_given_a_champion_that_forecasts_almost_nothing(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(12)
    dates = pd.date_range("2023-01-01", periods=400, freq="D")
    frame = pd.concat([pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"spare-{i}",
                                     "units": rng.poisson(0.2, len(dates))}) for i in range(20)], ignore_index=True)
    path, out = tmp_path / "slow.csv", tmp_path / "f.csv"
    frame.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "day", "--target", "units",
                             "--series", "sku", "--horizon", 14, "--out", out, "--trees", 50, "--json")
    assert code == 0, err
    payload = json.loads(stdout)
    table = {row["model"]: row for row in payload["backtest"]}
    assert table["lightgbm"]["bias"] < -50 and table["lightgbm"]["wape"] < table[payload["champion"]]["wape"]
    assert abs(table[payload["champion"]]["bias"]) <= 50
    assert "lightgbm had a lower backtest WAPE but missed total demand" in err
    assert pd.read_csv(out)["p50"].sum() > 0.5 * 0.2 * 14 * 20   # the shelf is planned for the demand there is


def test_a_workbook_is_read_afresh_even_when_another_sheet_of_it_was_imported(settings_env, tmp_path, capsys):
    path, out = tmp_path / "book.xlsx", tmp_path / "f.csv"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"Info": ["exported by the ERP", "2026-11-29"]}).to_excel(book, sheet_name="Notes", index=False)
        weekly_sales().to_excel(book, sheet_name="Sales", index=False)
    assert _run(capsys, "data", "import", "--file", path, "--sheet", "Notes")[0] == 0
    code, stdout, err = _forecast(capsys, path, out, "--json")
    assert code == 0, err
    assert json.loads(stdout)["rows"] == 16


def _daily_forecast(capsys, tmp_path, rows: list[pd.DataFrame], *, trees: int) -> tuple[dict, pd.DataFrame]:
    """A daily day/sku/units table through the CLI at horizon 14: the --json payload and the written file."""
    path, out = tmp_path / "daily.csv", tmp_path / "f.csv"
    pd.concat(rows, ignore_index=True).to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "day", "--target", "units",
                             "--series", "sku", "--horizon", 14, "--out", out, "--trees", trees, "--json")
    assert code == 0, err
    return json.loads(stdout), pd.read_csv(out)


def test_an_item_that_stopped_selling_is_forecast_at_zero_and_named_whatever_the_champion(settings_env, tmp_path,
                                                                                          capsys):
    rng = np.random.default_rng(21)
    dates = pd.date_range("2025-06-01", periods=300, freq="D")
    rows = [pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"A{i}", "units": rng.poisson(20, 300)})
            for i in range(6)]
    rows.append(pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": "DELISTED",
                              "units": np.where(np.arange(300) < 260, rng.poisson(25, 300), 0)}))
    rows.append(pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": "SLOW", "units": rng.poisson(0.1, 300)}))
    payload, written = _daily_forecast(capsys, tmp_path, rows, trees=30)
    assert written.loc[written["sku"] == "DELISTED", ["p10", "p50", "p90"]].eq(0).all().all()
    assert written.loc[written["sku"] == "A0", "p50"].mean() > 10
    stop_notes = [n for n in payload["notes"] if "have stopped selling" in n]
    assert len(stop_notes) == 1 and "sku=DELISTED (last sale 2026-02-1" in stop_notes[0]
    assert "SLOW" not in stop_notes[0] and stop_notes[0].startswith("1 series")


def test_only_series_that_sold_below_zero_may_be_forecast_below_zero(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(8)
    dates = pd.date_range("2025-01-01", periods=200, freq="D").strftime("%Y-%m-%d")
    rows = [pd.DataFrame({"day": dates, "sku": f"LOW{i}", "units": rng.poisson(1.0, 200)}) for i in range(4)]
    rows.append(pd.DataFrame({"day": dates, "sku": "NETTED", "units": rng.normal(2, 6, 200).round()}))
    payload, written = _daily_forecast(capsys, tmp_path, rows, trees=20)
    assert any("may be forecast below 0: sku=NETTED" in n for n in payload["notes"])
    low = written[written["sku"] != "NETTED"]
    assert (low[["p10", "p50", "p90"]] >= 0).all().all() and (low["p90"] > 0).any()
    assert (written.loc[written["sku"] == "NETTED", "p10"] < 0).all()  # returns netted off: its band goes below 0


def test_slow_sellers_beside_fast_ones_get_a_mean_not_a_median_of_zero(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(5)
    dates = pd.date_range("2025-01-01", periods=400, freq="D")
    rows = [pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"FAST{i}", "units": rng.poisson(60, 400)})
            for i in range(4)]
    rows += [pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"SLOW{i}", "units": rng.poisson(0.3, 400)})
             for i in range(12)]
    payload, written = _daily_forecast(capsys, tmp_path, rows, trees=50)
    assert payload["champion"] == "lightgbm"                   # the fast sellers' volume decides the champion
    assert any(n.startswith("12 slow sellers") and "at their mean over the last year" in n for n in payload["notes"])
    slow = written[written["sku"].str.startswith("SLOW")]
    assert slow["p50"].mean() == pytest.approx(0.3, abs=0.1) and (slow["p90"] > slow["p50"]).all()
    assert (slow["p10"] == 0).all() and (slow["p90"] == 1).all()  # their own year's P10 and P90 (Poisson 0.3)
    runtime = build_runtime(get_settings())
    stored = runs.predictions_frame(runtime, payload["run_id"], kind="forecast")
    assert set(stored[stored["sku"].str.startswith("SLOW")]["model"]) == {"mean_last_year"}


def test_future_rows_with_prices_filled_and_quantity_blank_are_forecast_with_those_prices(settings_env, tmp_path,
                                                                                         capsys):
    """The 'test set' layout: the dates to forecast at the end, promotions filled in, quantity blank. They were
    read as zero sales, and the forecast started after them."""
    rng = np.random.default_rng(5)
    dates = pd.date_range("2025-01-01", periods=214, freq="D")
    rows = []
    for sku in ("A", "B", "C"):
        promo = (rng.random(214) < 0.2).astype(int)
        units = rng.poisson(20 + 40 * promo).astype(float)
        units[-14:] = np.nan
        rows.append(pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": sku, "units": units, "promo": promo}))
    payload, written = _daily_forecast(capsys, tmp_path, rows, trees=60)
    assert written["date"].min() == "2025-07-20" and written["date"].max() == "2025-08-02"
    assert any(n.startswith("The table's last 14 date(s) (2025-07-20 to 2025-08-02) have no quantity")
               for n in payload["notes"])
    assert "Driver column(s) promo are used, with their values from the table's future rows." in payload["notes"]
    runtime = build_runtime(get_settings())
    assert runs.get_run(runtime, payload["run_id"]).parameters["exogenous"] == ["promo"]  # the report's parameters
    future = pd.concat(rows).assign(date=lambda d: d["day"]).merge(written, on=["sku", "date"])
    assert future.groupby("promo")["p50"].mean()[1] > future.groupby("promo")["p50"].mean()[0] + 15
    rows[0].loc[rows[0].index[-3], "promo"] = np.nan  # one future cell left blank: filled, not the driver dropped
    payload, _ = _daily_forecast(capsys, tmp_path, rows, trees=30)
    assert "1 blank future value(s) of 'promo' were filled with the same series' nearest date's value." \
        in payload["notes"]
    assert "Driver column(s) promo are used, with their values from the table's future rows." in payload["notes"]


def test_a_series_without_future_rows_keeps_the_drivers_of_the_others(settings_env, tmp_path, capsys):
    """One SKU missing from the future rows took the promotion driver away from every series."""
    rng = np.random.default_rng(6)
    dates = pd.date_range("2025-01-01", periods=214, freq="D")
    rows = []
    for i in range(25):
        promo = (rng.random(214) < 0.2).astype(int)
        units = rng.poisson(20 + 40 * promo).astype(float)
        units[-14:] = np.nan
        rows.append(pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"S{i:02d}", "units": units,
                                  "promo": promo}))
    rows[7] = rows[7].iloc[:-14]  # S07 has no future rows at all
    payload, written = _daily_forecast(capsys, tmp_path, rows, trees=30)
    assert "Driver column(s) promo are used, with their values from the table's future rows." in payload["notes"]
    assert any(n.startswith("1 series with no future value of 'promo' (e.g. sku=S07) take the median of their last 8")
               for n in payload["notes"]), payload["notes"]
    assert not any("nearest date's value" in n for n in payload["notes"])  # nothing was filled that way
    assert written[written["sku"] == "S07"]["p50"].notna().all() and len(written) == 25 * 14


def test_the_reports_history_is_in_the_runs_periods_and_in_date_order(settings_env, tmp_path, capsys):
    """An hourly file forecast by day: the chart's history was the last raw hours in the file's order."""
    from services import retail_views

    rng = np.random.default_rng(8)
    hours = pd.date_range("2025-01-01", periods=24 * 70, freq="h")
    rows = pd.concat([pd.DataFrame({"ts": hours.strftime("%Y-%m-%d %H:%M"), "zone": zone,
                                    "load": rng.normal(500, 50, len(hours)).round(1)}) for zone in ("N", "S")])
    rows = rows.sample(frac=1, random_state=0)  # unsorted, as exports can be
    path, out = tmp_path / "hourly.csv", tmp_path / "f.csv"
    rows.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "ts", "--target", "load",
                             "--series", "zone", "--horizon", 7, "--out", out, "--trees", 20, "--json")
    assert code == 0, err
    runtime = build_runtime(get_settings())
    history = retail_views.history_frame(runtime, runs.get_run(runtime, json.loads(stdout)["run_id"]))
    north = history[history["zone"] == "N"]
    assert len(north) == 70 and north["date"].is_monotonic_increasing and (north["date"].dt.hour == 0).all()
    daily = rows[rows["zone"] == "N"].assign(day=lambda d: pd.to_datetime(d["ts"]).dt.normalize()).groupby("day")
    assert north["y"].to_numpy() == pytest.approx(daily["load"].sum().sort_index().to_numpy())
    from services import reports

    report = reports.build_report(runtime, json.loads(stdout)["run_id"])
    listed = report.parameters  # by label; the desk's workings stay out
    assert listed["Frequency"] == "daily" and listed["Series key columns"] == "zone"
    assert listed["Champion chosen by"].startswith("WAPE (%) + over/under imbalance")
    assert listed["Champion model"] in ("LightGBM", "seasonal naive", "moving average", "seasonal index")
    assert not {"pandas_freq", "lead_variance_ratio", "backtest_table", "keys", "freq_used"} & set(listed)
    assert "load the day before" in report.features and "lag1" not in report.features  # the target's name
    assert "WAPE (%)" in report.metrics  # each model's figures are in the backtest table, not listed again
    assert not any("naive" in name or "lightgbm" in name for name in report.metrics)


@pytest.mark.parametrize("dates, freq, first_forecast", [
    (pd.date_range("2023-01-02", "2025-03-05", freq="D"), "W", "2025-03-03"),  # ends on a Wednesday: a part week
    (pd.date_range("2021-01-31", periods=40, freq="ME"), "M", "2024-05-31"),    # month-end monthly rows
])
def test_the_reports_history_shows_the_periods_the_model_used(settings_env, tmp_path, capsys, dates, freq,
                                                               first_forecast):
    """The chart's history summed the raw file: daily rows of a weekly run stayed days, the part week the model
    left out was drawn as a collapse, and month-end months were put on month starts."""
    from services import retail_views

    rng = np.random.default_rng(13)
    rows = pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": "A", "units": rng.poisson(40, len(dates))})
    path, out = tmp_path / "sales.csv", tmp_path / "f.csv"
    rows.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "day", "--target", "units",
                             "--series", "sku", "--horizon", 2, "--freq", freq, "--out", out, "--trees", 5, "--json")
    assert code == 0, err
    assert pd.read_csv(out)["date"].iloc[0] == first_forecast
    runtime = build_runtime(get_settings())
    run = runs.get_run(runtime, json.loads(stdout)["run_id"])
    history = retail_views.history_frame(runtime, run)
    (runtime.artifacts_dir / run.artifact_dir / "history.parquet").unlink()  # as a run stored before it was kept
    pd.testing.assert_frame_equal(retail_views.history_frame(runtime, run), history)
    step = pd.Timedelta(days=7) if freq == "W" else pd.offsets.MonthEnd(1)
    assert history["date"].max() + step == pd.Timestamp(first_forecast)
    expected = pd.date_range(end=history["date"].max(), periods=len(history), freq="W-MON" if freq == "W" else "ME")
    assert list(history["date"]) == list(expected)
    assert history["y"].sum() == rows.loc[pd.to_datetime(rows["day"]) < pd.Timestamp(first_forecast), "units"].sum()


def test_reorder_writes_the_purchase_plan_of_a_forecast_run(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(9)
    dates = pd.date_range("2025-01-01", periods=200, freq="D")
    rows = [pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": sku, "units": rng.poisson(lam, 200),
                          "stock": np.r_[np.full(199, 100.0), [stock]]})
            for sku, lam, stock in (("A", 20, 5.0), ("B", 3, 500.0))]
    payload, _ = _daily_forecast(capsys, tmp_path, rows, trees=20)
    plan_path = tmp_path / "plan.csv"
    code, out, err = _run(capsys, "retail", "reorder", "--run", payload["run_id"], "--out", plan_path,
                          "--lead-time", 3, "--on-hand", "stock", "--json")
    assert code == 0, err
    plan = pd.read_csv(plan_path)
    assert list(plan.columns) == ["sku", "on_hand", "lead_time_demand", "safety_stock", "reorder_point",
                                  "order_up_to", "order_quantity"]
    a, b = plan.set_index("sku").loc["A"], plan.set_index("sku").loc["B"]
    assert a["on_hand"] == 5 and a["order_quantity"] > 0 and b["order_quantity"] == 0  # B holds 500 of ~3 a day
    assert (plan["reorder_point"] >= plan["lead_time_demand"]).all() and json.loads(out)["to_order"] == 1
    assert "stock is taken as 0" not in err
    code, _, err = _run(capsys, "retail", "reorder", "--run", payload["run_id"], "--out", tmp_path / "plan0.csv")
    assert code == 0 and "note: No on-hand column: stock is taken as 0" in err  # said, not assumed silently
    code, _, err = _run(capsys, "retail", "reorder", "--run", 999, "--out", tmp_path / "x.csv")
    assert code != 0 and "999" in err and not (tmp_path / "x.csv").exists()



def test_reorder_sums_mean_demand_not_medians_for_an_intermittent_item(settings_env, tmp_path, capsys,
                                                                         monkeypatch):
    """M5-like: 0.89 a day, no sale on about 40 % of days. LightGBM's P50 (a median) is below the mean, and 7
    daily P50s summed to 3.35 against an expected 6.2."""
    from domain import retail as rules

    monkeypatch.setattr(rules, "champion_from_table", lambda table, *windows: ("lightgbm", "wape"))
    rng = np.random.default_rng(4)
    dates = pd.date_range("2024-01-01", periods=300, freq="D")
    rows = [pd.DataFrame({"day": dates.strftime("%Y-%m-%d"), "sku": f"S{i}", "units": rng.poisson(0.89, 300)})
            for i in range(4)]
    payload, forecast = _daily_forecast(capsys, tmp_path, rows, trees=20)
    plan_path = tmp_path / "plan.csv"
    code, _, err = _run(capsys, "retail", "reorder", "--run", payload["run_id"], "--out", plan_path, "--lead-time", 7)
    assert code == 0, err
    plan = pd.read_csv(plan_path).set_index("sku")
    medians = forecast.sort_values("date").groupby("sku")["p50"].apply(lambda v: v.head(7).sum())
    rounding = 7 * 0.005  # the file's P50s are written to the hundredth
    assert (plan["lead_time_demand"] > medians.reindex(plan.index) + 0.3 - rounding).all()
    assert 0.8 * 7 * 0.89 <= plan["lead_time_demand"].mean() <= 1.2 * 7 * 0.89

def test_quarters_written_as_text_are_forecast_by_quarter_with_a_quarterly_report_and_reorder(settings_env,
                                                                                                  tmp_path, capsys):
    """Tourism-like trips per region and purpose with '1998 Q1' labels: refused before as 'quarterly data'."""
    from services import retail_views

    rng = np.random.default_rng(11)
    labels = [f"{y} Q{q}" for y in range(2012, 2018) for q in range(1, 5)]
    season = np.tile([1.3, 0.9, 0.8, 1.0], 6)
    rows = pd.concat([pd.DataFrame({"Region": region, "Purpose": purpose, "Quarter": labels, "stock": 50.0,
                                    "Trips": (level * season * rng.lognormal(0, 0.1, 24)).round(1)})
                      for region, level in (("Alpine", 80), ("Coast", 300)) for purpose in ("Holiday", "Business")])
    path, out = tmp_path / "tourism.csv", tmp_path / "f.csv"
    rows.sample(frac=1.0, random_state=2).to_csv(path, index=False)
    code, stdout, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "Quarter", "--target", "Trips",
                             "--series", "Region,Purpose", "--horizon", 4, "--out", out, "--trees", 5, "--json")
    assert code == 0, err
    payload = json.loads(stdout)
    assert payload["frequency"] == "Q" and payload["notes"][0] == "Frequency: quarterly (quarter start) (detected)."
    written = pd.read_csv(out)
    assert sorted(written["date"].unique()) == ["2018-01-01", "2018-04-01", "2018-07-01", "2018-10-01"]
    runtime = build_runtime(get_settings())
    run = runs.get_run(runtime, payload["run_id"])
    history = retail_views.history_frame(runtime, run)
    assert len(history) == 4 * 24 and history["date"].max() == pd.Timestamp("2017-10-01")
    from services import retail_report

    backtest = retail_report.report_sections(runtime, run)[0].text
    assert "windows of 4 quarters" in backtest and retail_views.forecast_title(run) == "Quarterly forecast"
    code, stdout, err = _run(capsys, "retail", "reorder", "--run", payload["run_id"], "--out", tmp_path / "p.csv",
                             "--lead-time", 1, "--on-hand", "stock", "--json")
    assert code == 0, err
    assert json.loads(stdout)["period"] == "quarter (about 91 days)"


def test_monthly_rows_asked_as_quarters_are_summed_to_quarters(settings_env, tmp_path, capsys):
    rng = np.random.default_rng(12)
    months = pd.date_range("2019-01-01", "2023-12-01", freq="MS")
    rows = pd.concat([pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "sku": sku,
                                    "units": rng.poisson(40, len(months))}) for sku in ("A", "B")])
    path, out = tmp_path / "monthly.csv", tmp_path / "f.csv"
    rows.to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "month", "--target", "units",
                        "--series", "sku", "--horizon", 2, "--out", out, "--trees", 5, "--freq", "Q", "--json")
    assert code == 0, err
    assert sorted(pd.read_csv(out)["date"].unique()) == ["2024-01-01", "2024-04-01"]
    with pytest.raises(SystemExit):
        cli.main(["retail", "forecast", "--help"])
    assert "{D,W,M,Q}" in capsys.readouterr().out


def test_gaps_left_missing_are_stored_as_blank_backtest_actuals(settings_env, tmp_path, capsys):
    """A gap left missing is bridged for the lag features and not scored; its bridged value was stored as
    the backtest's actual and read back as a sale in the views."""
    from services import retail_views

    path, out = tmp_path / "weekly.csv", tmp_path / "forecast.csv"
    sales = weekly_sales()
    gone = (sales["region"] == "north") & (sales["sku"] == 101) & sales["week"].isin(["2023-02-09", "2023-02-16"])
    sales[~gone].to_csv(path, index=False)
    code, stdout, err = _forecast(capsys, path, out, "--fill", "missing", "--json")
    assert code == 0, err
    runtime = build_runtime(get_settings())
    run = runs.get_run(runtime, json.loads(stdout)["run_id"])
    stored = retail_views.backtest_frame(runtime, run.id)
    blank = stored["actual"].isna()
    windows = stored["window"].nunique()  # 1 where the champion is the seasonal index (a year before window 2 only)
    assert len(stored) == windows * 4 * 4 and blank.sum() == 2
    assert set(stored.loc[blank, "date"]) == {"2023-02-09", "2023-02-16"} and set(stored.loc[blank, "sku"]) == {101}
    expected = stored[~blank].merge(sales, left_on=["region", "sku", "date"], right_on=["region", "sku", "week"])
    assert len(expected) == windows * 16 - 2 and (expected["actual"] == expected["units"]).all()
    view = retail_views.series_view(runtime, run, ["region", "sku"], {"region": "north", "sku": 101})["backtest"]
    assert view["actual"].isna().sum() == 2 and view["actual"].notna().sum() == windows * 4 - 2
    total = retail_views.series_view(runtime, run, [], {})["backtest"]  # the total of a date with a blank is blank
    assert total["actual"].isna().sum() == 2 and total.loc[total["actual"].notna(), "actual"].gt(0).all()


def test_one_window_asked_for_is_not_blamed_on_the_history(settings_env, tmp_path, capsys):
    """Browser QA: with --windows 1 the note said 'The history fits only one backtest window'."""
    path, out = tmp_path / "w.csv", tmp_path / "f.csv"
    weekly_sales().to_csv(path, index=False)
    code, _, err = _run(capsys, "retail", "forecast", "--data", path, "--date", "week", "--target", "units",
                        "--series", "region,sku", "--horizon", 4, "--out", out, "--trees", 5, "--windows", 1)
    assert code == 0 and "One backtest window was asked for, so the bands were learnt on the window" in err
    assert "The history fits only one" not in err
