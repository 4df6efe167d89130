"""Preparation of sales tables: frequency, duplicates, gaps, negatives, short series, bad horizons."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import IMPUTED, ForecastInputError, PrepOptions, detect_frequency, prepare


def sales(dates, series=(("1", "a"),), seed=0):
    rng = np.random.default_rng(seed)
    rows = [{"day": d, "store": s, "item": i, "qty": float(rng.integers(0, 20))} for s, i in series for d in dates]
    return pd.DataFrame(rows)


def options(**kw):
    return PrepOptions(**{"date": "day", "target": "qty", "series": ("store", "item"), "horizon": 4, **kw})


@pytest.mark.parametrize("dates,expected", [
    (pd.date_range("2024-01-01", periods=30, freq="D"), ("D", "D")),
    (pd.date_range("2024-01-03", periods=30, freq="W-WED"), ("W", "W-WED")),
    (pd.date_range("2024-01-07", periods=30, freq="W-SUN"), ("W", "W-SUN")),
    (pd.date_range("2020-01-01", periods=30, freq="MS"), ("M", "MS")),
    (pd.date_range("2020-01-31", periods=30, freq="ME"), ("M", "ME")),
    (pd.date_range("2015-01-01", periods=30, freq="QS"), ("Q", "QS-JAN")),
    (pd.date_range("2015-03-31", periods=30, freq="QE"), ("Q", "QE-DEC")),
    (pd.date_range("2015-02-01", periods=30, freq="QS-FEB"), ("Q", "QS-FEB")),  # a fiscal year from February
    (pd.date_range("2015-01-31", periods=30, freq="QE-OCT"), ("Q", "QE-OCT")),
    (pd.date_range("2015-01-01", periods=30, freq="QS").delete([5, 6, 17]), ("Q", "QS-JAN")),  # quarters missing
])
def test_frequency_detection(dates, expected):
    assert detect_frequency(pd.Series(dates)) == expected


@pytest.mark.parametrize("freq,name", [("YS", "yearly"), ("2W-SUN", "two-weekly"), ("4W-SUN", "four-weekly"),
                                       ("SMS", "twice-monthly")])
def test_other_periods_are_refused_with_what_they_look_like(freq, name):
    # Read as daily with gaps, or as weekly with every other week missing, they were forecast at 0.
    with pytest.raises(ForecastInputError, match=f"looks like {name} data. The desk forecasts daily, weekly, monthly "
                                                 "or quarterly"):
        detect_frequency(pd.Series(pd.date_range("2015-01-01", periods=30, freq=freq)))


@pytest.mark.parametrize("label", ["{y} Q{q}", "{y}-Q{q}", "Q{q} {y}", "{y}q{q}", "{y}Q{q}", "Q{q}-{y}"])
def test_quarters_written_as_text_are_read_as_quarter_starts(label):
    quarters = [label.format(y=y, q=q) for y in range(2015, 2022) for q in range(1, 5)]
    frame = sales(quarters, series=(("1", "a"), ("2", "b"))).sample(frac=1.0, random_state=0)
    prepared = prepare(frame, options())
    assert (prepared.freq, prepared.pandas_freq) == ("Q", "QS-JAN")
    assert list(prepared.frame.groupby("unique_id")["ds"].apply(list).iloc[0][:3]) == [
        pd.Timestamp("2015-01-01"), pd.Timestamp("2015-04-01"), pd.Timestamp("2015-07-01")]
    assert prepared.frame["ds"].max() == pd.Timestamp("2021-10-01") and len(prepared.frame) == 2 * 28
    assert prepared.notes[0] == "Frequency: quarterly (quarter start) (detected)."
    assert any("holds quarters written as text" in n for n in prepared.notes)
    frame = sales(quarters)
    frame.loc[0, "day"] = "2015-01-01"  # a column of mostly other text is still "not a date column"
    frame.loc[1:6, "day"] = "soon"
    with pytest.raises(ForecastInputError, match="is not a date column"):
        prepare(frame, options())


def test_stores_reporting_on_alternate_weeks_are_two_weekly_not_weekly_with_gaps():
    even = sales(pd.date_range("2024-01-07", periods=30, freq="2W-SUN"), series=(("1", "a"), ("2", "b")))
    odd = sales(pd.date_range("2024-01-14", periods=30, freq="2W-SUN"), series=(("3", "c"), ("4", "d")))
    with pytest.raises(ForecastInputError, match="looks like two-weekly data"):
        prepare(pd.concat([even, odd]), options())


def test_times_of_day_with_several_rows_a_day_are_summed_to_days_and_a_part_day_left_out():
    stamps = pd.date_range("2024-01-01 08:00", "2024-01-20 12:00", freq="h")
    frame = sales(stamps[(stamps.hour >= 8) & (stamps.hour <= 20)], series=(("1", "a"), ("2", "b")))
    prepared = prepare(frame, options())
    assert prepared.freq == "D" and prepared.frame["ds"].max() == pd.Timestamp("2024-01-19")  # the 20th ends at noon
    day = frame[(frame["store"] == "1") & (frame["day"].dt.date == pd.Timestamp("2024-01-05").date())]["qty"].sum()
    assert prepared.frame.set_index(["unique_id", "ds"]).loc[("store=1|item=a", "2024-01-05"), "y"] == day
    assert any("holds times of day" in n and "the horizon (4) counts days" in n for n in prepared.notes)
    assert any("The last day (2024-01-20) ends at 12:00" in n for n in prepared.notes)
    once_a_day = sales(pd.date_range("2024-01-01 06:30", periods=40, freq="D"))  # one reading a day: daily data
    assert not any("times of day" in n for n in prepare(once_a_day, options()).notes)
    two_sites = pd.concat([once_a_day, once_a_day])  # the same tanks at two sites, the site column left out
    with pytest.raises(ForecastInputError, match=r"\(series, date\) pairs appear more than once"):
        prepare(two_sites, options())
    quiet_evening = frame[frame["day"] < pd.Timestamp("2024-01-19 19:00")]  # ends at 18:00, not 20:00
    assert prepared.frame["ds"].max() == pd.Timestamp("2024-01-19") == prepare(quiet_evening, options()).frame["ds"].max()
    assert not any("repeat another row exactly" in n for n in prepared.notes)
    twice = pd.concat([frame, frame[frame["day"].dt.day == 5]])  # the 5th exported twice
    again = prepare(twice, options())
    assert any(n.startswith("26 rows repeat another row exactly, time stamp and quantity included (e.g. ")
               for n in again.notes), again.notes


def test_unsorted_rows_give_the_same_series_as_sorted_ones():
    frame = sales(pd.date_range("2024-01-01", periods=40, freq="W-WED"), series=(("1", "a"), ("2", "b")))
    shuffled = frame.sample(frac=1.0, random_state=3)
    a, b = prepare(frame, options()), prepare(shuffled, options())
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.pandas_freq == "W-WED" and a.frame["unique_id"].iloc[0] == "store=1|item=a"
    assert a.frame.groupby("unique_id")["ds"].is_monotonic_increasing.all()


def test_duplicates_stop_with_examples_or_are_summed_when_asked():
    frame = sales(pd.date_range("2024-01-01", periods=40, freq="D"))
    doubled = pd.concat([frame, frame.iloc[[5]]], ignore_index=True)
    with pytest.raises(ForecastInputError, match=r"1 \(series, date\) pairs .*store=1\|item=a on 2024-01-06"):
        prepare(doubled, options())
    summed = prepare(doubled, options(duplicates="sum"))
    assert summed.frame.loc[5, "y"] == 2 * frame.loc[5, "qty"]
    assert any("summed" in n for n in summed.notes)


def test_gaps_are_zero_or_missing_as_chosen_and_noted():
    dates = pd.date_range("2024-01-01", periods=40, freq="D").delete([10, 11])
    zero = prepare(sales(dates), options())
    assert len(zero.frame) == 40 and zero.frame.loc[10, "y"] == 0.0 and not zero.frame["imputed"].any()
    assert any("2 missing periods" in n and "0 sales" in n for n in zero.notes)
    missing = prepare(sales(dates), options(fill="missing"))
    assert missing.frame["imputed"].sum() == 2 and missing.frame["y"].notna().all()


def test_a_flag_column_with_gaps_is_filled_within_its_series_without_pandas_warnings():
    import warnings

    dates = pd.date_range("2024-01-05", periods=30, freq="W-FRI").delete([5, 6])
    data = sales(dates).assign(holiday=lambda f: f["day"].dt.month == 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' downcasting FutureWarning reached CLI users' terminals
        prepared = prepare(data, options(horizon=2))
    assert len(prepared.frame) == 30 and prepared.frame["holiday"].dtype == bool
    assert prepared.frame["holiday"].tolist()[5:7] == [False, False]  # filled from the neighbouring weeks


def test_negative_sales_are_flagged_and_kept_or_clipped():
    frame = sales(pd.date_range("2024-01-01", periods=40, freq="D"))
    frame.loc[3, "qty"] = -4.0
    kept = prepare(frame, options())
    assert kept.frame.loc[3, "y"] == -4.0 and not kept.nonnegative
    assert kept.signed == frozenset()  # one return in 40 days: a one-off, its forecast stays at 0 or above
    assert any(n.startswith("Warning: 1 negative") and "rare or small returns" in n for n in kept.notes)
    frame.loc[[5, 9, 12], "qty"] = -6.0  # below 0 on 4 of 40 days, 22 returned of about 380: returns net off demand
    netted = prepare(frame, options())
    assert netted.signed == frozenset({netted.frame.loc[3, "unique_id"]})
    assert any("may be forecast below 0" in n for n in netted.notes)
    small = frame.copy()
    small["qty"] = np.where(small["qty"] < 0, -0.01, small["qty"] * 100)  # 4 stray -0.01s in big sales: small
    assert prepare(small, options()).signed == frozenset()
    clipped = prepare(frame, options(negatives="clip"))
    assert clipped.frame.loc[3, "y"] == 0.0 and clipped.nonnegative and clipped.signed == frozenset()


def test_a_rare_return_keeps_the_log_scale_and_the_seasonal_index():
    """One return among 2,000 rows used to put the whole file on the linear scale without the seasonal index."""
    from ml import forecast_models as models

    dates = pd.date_range("2022-01-01", periods=800, freq="D")
    frame = sales(dates, series=(("1", "a"), ("2", "b"), ("3", "c")))
    frame.loc[10, "qty"] = -2.0
    rare = prepare(frame, options())
    assert not rare.nonnegative and rare.log_scale and rare.signed == frozenset()  # a one-off: stays >= 0
    config = models.feature_config("D", "D", 28, 772, static=(), n_estimators=5, log_scale=rare.log_scale)
    assert models.SEASONAL_INDEX in config.baselines and config.transform == "log1p"
    frame.loc[frame.index[:40], "qty"] = -1.0  # returns in 1.7 % of rows: demand is netted, kept linear
    netted = prepare(frame, options())
    assert not netted.log_scale
    assert models.SEASONAL_INDEX not in models.feature_config("D", "D", 28, 772, static=(),
                                                                log_scale=netted.log_scale).baselines


def test_signed_log1p_is_log1p_for_sales_and_inverts_for_returns():
    from ml.forecast_models import signed_expm1, signed_log1p

    y = np.array([-5.0, -0.5, 0.0, 3.0, 1e6])
    np.testing.assert_allclose(signed_expm1(signed_log1p(y)), y)
    np.testing.assert_allclose(signed_log1p(y[2:]), np.log1p(y[2:]))


def test_a_series_of_ten_points_is_listed_not_dropped():
    long = sales(pd.date_range("2024-01-01", periods=80, freq="D"))
    short = sales(pd.date_range("2024-03-11", periods=10, freq="D"), series=(("9", "z"),))
    prepared = prepare(pd.concat([long, short]), options())
    assert prepared.short_series == ("store=9|item=z",)
    assert prepared.frame["unique_id"].nunique() == 2
    assert any("store=9|item=z" in n and "simpler model (not LightGBM)" in n for n in prepared.notes)


def test_horizon_longer_than_history_and_mixed_date_formats_are_refused():
    frame = sales(pd.date_range("2024-01-01", periods=10, freq="D"))
    with pytest.raises(ForecastInputError, match=r"horizon .* as long as the history or longer \(10 days\)"):
        prepare(frame, options(horizon=12))  # in days, not '10 D periods'
    mixed = frame.assign(day=["2024-01-0%d" % i if i < 6 else "0%d/01/2024" % i for i in range(1, 11)])
    with pytest.raises(ForecastInputError, match="not a date column"):
        prepare(mixed, options())
    m5_days = frame.assign(day=[f"d_{i}" for i in range(1, 11)])  # M5 melted long: day numbers, not dates
    with pytest.raises(ForecastInputError, match=r"Column 'day' holds period numbers such as 'd_1', not dates"):
        prepare(m5_days, options())


def test_daily_data_can_be_summed_to_weeks_but_not_split_into_days():
    frame = sales(pd.date_range("2024-01-01", periods=70, freq="D"))
    weekly = prepare(frame, options(freq="W"))
    assert weekly.freq == "W" and len(weekly.frame) == 10
    assert weekly.frame["y"].sum() == frame["qty"].sum()
    with pytest.raises(ForecastInputError, match="cannot be forecast daily"):
        prepare(sales(pd.date_range("2024-01-01", periods=20, freq="W-MON")), options(freq="D"))


def test_a_partial_last_week_or_month_is_left_out_when_days_are_summed():
    days = pd.date_range("2024-01-01", "2024-03-20", freq="D")           # ends on a Wednesday, 20 March
    frame = pd.DataFrame({"date": days, "store": 1, "sales": 10.0})
    weekly = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=2, freq="W"))
    assert weekly.frame["ds"].max() == pd.Timestamp("2024-03-11") and (weekly.frame["y"] == 70).all()
    assert any("only 3 of its 7 days" in n for n in weekly.notes)
    monthly = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=1, freq="M"))
    assert monthly.frame["ds"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    assert any("only 20 of its 31 days" in n for n in monthly.notes)


def test_a_slow_seller_with_rows_only_on_sale_days_is_daily():
    days = pd.date_range("2023-01-01", periods=700, freq="D")
    sold = days[np.random.default_rng(0).random(700) < 0.1]          # sells on about one day in ten
    assert detect_frequency(pd.Series(sold)) == ("D", "D")


def test_a_few_weekly_rows_on_another_weekday_keep_the_files_weekday():
    dates = pd.Series(pd.date_range("2022-01-07", periods=100, freq="W-FRI"))
    frame = pd.DataFrame({"date": dates, "store": 1, "sales": 10.0})
    frame.loc[[10, 20], "date"] -= pd.Timedelta(days=1)                 # two Thursdays among Fridays
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=4))
    assert prepared.pandas_freq == "W-FRI" and set(prepared.frame["ds"].dt.dayofweek) == {4}
    assert len(prepared.frame) == 100 and any("2 rows fell on another weekday" in n for n in prepared.notes)


def test_a_slow_weekly_seller_with_rows_only_in_weeks_it_sold_is_weekly():
    weeks = pd.date_range("2022-01-02", periods=104, freq="W-SUN")
    sold = weeks[np.random.default_rng(1).random(104) < 0.25]         # median gap of two weeks or more
    assert detect_frequency(pd.Series(sold)) == ("W", "W-SUN")


def test_stray_weekly_rows_are_outvoted_by_rows_and_go_to_the_nearest_usual_weekday():
    weeks = pd.date_range("2022-01-03", periods=104, freq="W-MON")
    frame = pd.concat([pd.DataFrame({"date": weeks, "store": s, "sales": 10.0}) for s in range(30)],
                      ignore_index=True)
    strays = np.random.default_rng(2).choice(len(frame), 14, replace=False)
    frame.loc[strays, "date"] -= pd.Timedelta(days=1)                  # 14 Sundays: distinct dates, few rows
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=4))
    assert prepared.pandas_freq == "W-MON" and set(prepared.frame["ds"].dt.dayofweek) == {0}
    assert len(prepared.frame) == len(frame) and (prepared.frame["y"] == 10.0).all()   # nothing summed or zeroed
    assert not any("same period after alignment" in n for n in prepared.notes)


def test_weekly_series_on_different_weekdays_are_weekly_not_daily():
    """Half the stores label weeks by their Friday, half by their Sunday: the file's dates are 2 and 5 days
    apart, but every series steps in whole weeks."""
    frames = [pd.DataFrame({"date": pd.date_range("2022-01-07", periods=80, freq="W-FRI" if s % 2 else "W-SUN"),
                            "store": s, "sales": 10.0 + s}) for s in range(8)]
    prepared = prepare(pd.concat(frames, ignore_index=True),
                       PrepOptions(date="date", target="sales", series=("store",), horizon=4))
    assert prepared.freq == "W" and set(prepared.frame["ds"].dt.dayofweek) == {0}
    assert prepared.frame.groupby("unique_id").size().eq(80).all()  # no daily zeros put between the weeks
    assert any(n.startswith("Each series is weekly, on a weekday of its own (FRI, SUN)") for n in prepared.notes)
    assert prepared.own_days == {f"store={s}": 4 if s % 2 else 6 for s in range(8)}  # Friday 4, Sunday 6
    daily = pd.DataFrame({"date": pd.date_range("2022-01-01", periods=200, freq="D"), "store": 1, "sales": 1.0})
    assert prepare(daily, PrepOptions(date="date", target="sales", series=("store",), horizon=4)).freq == "D"


def test_a_week_no_series_has_is_bridged_not_read_as_zero_sales():
    weeks = pd.date_range("2022-01-07", periods=60, freq="W-FRI")
    frame = pd.concat([pd.DataFrame({"date": weeks, "store": s, "sales": 50.0}) for s in range(4)], ignore_index=True)
    frame = frame[frame["date"] != weeks[30]]  # the export lacks one week for everyone
    frame.loc[frame.index[5], "date"] = None  # and one row has no readable date
    for fill in ("zero", "missing"):
        prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=4, fill=fill))
        notes = " ".join(prepared.notes)
        assert f"No series has a row for 1 period(s) ({weeks[30].date()}): a closure or data missing" in notes
        lost = prepared.frame[prepared.frame["ds"] == weeks[30]]
        assert lost[IMPUTED].all() and (lost["y"] == 50.0).all()  # was trained on as 0 sales with --fill zero
    assert "1 rows without a date or series key were left out; with --fill zero" in " ".join(
        prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=4)).notes)


def test_a_time_of_day_does_not_make_a_new_period():
    weeks = pd.Series(pd.date_range("2022-01-02", periods=60, freq="W-SUN"))
    stamped = weeks + pd.to_timedelta(weeks.dt.month.isin(range(4, 10)).astype(int), unit="h")   # 01:00 in summer
    frame = pd.DataFrame({"date": stamped, "store": 1, "sales": 5.0})
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=4))
    assert prepared.pandas_freq == "W-SUN" and len(prepared.frame) == 60 and (prepared.frame["y"] == 5.0).all()


def test_true_duplicates_are_not_reported_as_an_alignment():
    frame = sales(pd.date_range("2024-01-07", periods=30, freq="W-SUN"))
    frame = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    prepared = prepare(frame, options(duplicates="sum"))
    assert any("were summed" in n for n in prepared.notes)
    assert not any("same period after alignment" in n for n in prepared.notes)


def test_weeks_summed_to_months_leave_out_a_part_month():
    weeks = pd.date_range("2022-01-02", "2023-12-03", freq="W-SUN")      # December 2023: one week of four
    frame = pd.DataFrame({"date": weeks, "store": 1, "sales": 10.0})
    monthly = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=2, freq="M"))
    assert monthly.frame["ds"].max() == pd.Timestamp("2023-11-01")
    assert any("The last month (from 2023-12-01) has data for only 9 of its 31 days" in n for n in monthly.notes)
    complete = frame[frame["date"] <= "2023-11-26"]                      # the 26th's week runs to 2 December
    kept = prepare(complete, PrepOptions(date="date", target="sales", series=("store",), horizon=2, freq="M"))
    assert kept.frame["ds"].max() == pd.Timestamp("2023-11-01")


def test_series_that_never_sold_or_whose_rows_stopped_are_named():
    dates = pd.date_range("2024-01-01", periods=120, freq="D")
    frame = sales(dates, series=(("1", "a"), ("1", "gone"), ("2", "never")), seed=1)
    frame["qty"] += 1
    frame.loc[frame["item"] == "never", "qty"] = 0.0
    frame = frame[~((frame["item"] == "gone") & (frame["day"] >= "2024-04-01"))]   # no rows for its last 30 days
    notes = prepare(frame, options(horizon=14, fill="missing")).notes
    assert "1 series have no sales recorded at all; they are forecast at 0: store=2|item=never." in notes
    assert "1 series have no rows for their last 14 days or more (left missing; do they still sell?): " \
           "store=1|item=gone." in notes
    # Filled with zeros the same gap is zero sales: the stop rule judges it after the models (services.retail).
    assert not [n for n in prepare(frame, options(horizon=14)).notes if "no rows for their last" in n]
    # A gap shorter than the window is not named.
    assert not [n for n in prepare(frame, options(horizon=45, fill="missing")).notes if "no rows for" in n]


def test_a_month_one_day_short_is_kept_where_days_without_orders_are_common():
    days = pd.date_range("2022-01-01", "2023-12-30", freq="D")            # ends on the 30th of December
    rng = np.random.default_rng(2)
    orders = pd.DataFrame({"date": days, "store": 1, "sales": 10.0})
    quiet = orders[rng.random(len(days)) > 0.1]                           # one day in ten without an order
    opts = PrepOptions(date="date", target="sales", series=("store",), horizon=2, freq="M")
    kept = prepare(quiet, opts)
    assert kept.frame["ds"].max() == pd.Timestamp("2023-12-01")
    assert not any("has data for only" in n for n in kept.notes)
    busy = prepare(orders, opts)                                         # trades every day: the 31st is missing
    assert busy.frame["ds"].max() == pd.Timestamp("2023-11-01")
    assert any("The last month (from 2023-12-01) has data for only 30 of its 31 days" in n for n in busy.notes)
    short = prepare(quiet[quiet["date"] <= "2023-12-27"], opts)          # 4 days short: not quiet days
    assert short.frame["ds"].max() == pd.Timestamp("2023-11-01")


def test_a_last_stretch_of_zeros_in_every_series_is_questioned():
    frame = sales(pd.date_range("2024-01-01", periods=60, freq="W-MON"), series=(("1", "a"), ("2", "b"), ("3", "c")))
    frame["qty"] = frame["qty"] + 1  # no zero week before
    last = frame["day"] >= frame["day"].max() - pd.Timedelta(weeks=7)
    zeros = prepare(frame.assign(qty=frame["qty"].where(~last, 0)), options())
    assert any(n.startswith("The table's last 8 date(s) (") and "hold 0 in every series" in n for n in zeros.notes)
    assert not any("hold 0 in every series" in n for n in prepare(frame, options()).notes)
    one_series_stopped = frame.assign(qty=frame["qty"].where(~(last & (frame["store"] == "1")), 0))
    assert not any("hold 0 in every series" in n for n in prepare(one_series_stopped, options()).notes)


def test_a_series_key_of_decimal_quantities_asks_for_the_table_to_be_reshaped():
    rng = np.random.default_rng(3)
    weeks = pd.date_range("2014-01-05", periods=60, freq="W-SUN")
    wide = pd.DataFrame({"datum": weeks, **{code: rng.gamma(5, 6, 60).round(2) for code in ("M01AB", "N02BA", "R03")}})
    with pytest.raises(ForecastInputError, match=r"Series key 'N02BA' holds decimal numbers that are nearly all "
                                                 r"different .* frame\.melt\(id_vars=\['datum'\]"):
        prepare(wide, PrepOptions(date="datum", target="M01AB", series=("N02BA",), horizon=4))
    stores = sales(pd.date_range("2024-01-01", periods=40, freq="D"), series=(("1", "a"), ("2", "b")))
    assert prepare(stores, options()).freq == "D"  # whole-number store codes are names


def test_a_driver_written_as_money_is_read_as_a_number_and_codes_stay_text():
    frame = sales(pd.date_range("2024-01-01", periods=40, freq="D"), series=(("1", "a"), ("2", "b")))
    frame["price"] = [f"${p:,.2f}" for p in np.linspace(2.5, 3.5, len(frame))]
    frame["code"] = [f"{i % 7:05d}" for i in range(len(frame))]
    prepared = prepare(frame, options())
    assert pd.api.types.is_numeric_dtype(prepared.frame["price"]) and prepared.frame["price"].between(2.5, 3.5).all()
    assert any(n.startswith("Column 'price' holds numbers written as text, such as '$2.50'") for n in prepared.notes)
    assert "code" not in prepared.frame.columns or not pd.api.types.is_numeric_dtype(prepared.frame["code"])


def test_monthly_or_weekly_rows_asked_as_quarters_are_summed_and_a_part_quarter_left_out():
    months = pd.date_range("2019-01-01", "2023-11-01", freq="MS")  # ends in November: Q4 2023 is two thirds there
    frame = sales(months, series=(("1", "a"), ("2", "b")))
    prepared = prepare(frame, options(freq="Q"))
    assert (prepared.freq, prepared.pandas_freq) == ("Q", "QS-JAN")
    assert prepared.frame["ds"].max() == pd.Timestamp("2023-07-01") and len(prepared.frame) == 2 * 19
    quarter = frame[(frame["store"] == "2") & frame["day"].between("2021-04-01", "2021-06-30")]["qty"].sum()
    assert prepared.frame.set_index(["unique_id", "ds"]).loc[("store=2|item=b", "2021-04-01"), "y"] == quarter
    assert "Monthly data was summed to quarterly periods as asked." in prepared.notes
    assert any(n.startswith("The last quarter (from 2023-10-01) has data for only 61 of its 92 days") for n in
               prepared.notes)
    whole = prepare(sales(pd.date_range("2019-01-31", "2023-12-31", freq="ME")), options(freq="Q"))
    assert whole.frame["ds"].max() == pd.Timestamp("2023-10-01") and len(whole.frame) == 20  # December is there
    weeks = prepare(sales(pd.date_range("2022-01-03", "2023-12-25", freq="W-MON")), options(freq="Q"))
    assert weeks.frame["ds"].max() == pd.Timestamp("2023-10-01")  # the week of 25 December covers the 31st


def test_quarter_ends_stay_quarter_ends_and_days_within_a_quarter_move_to_its_start():
    ends = prepare(sales(pd.date_range("2015-03-31", periods=24, freq="QE")), options())
    assert ends.pandas_freq == "QE-DEC" and ends.frame["ds"].dt.is_quarter_end.all()
    assert ends.notes[0] == "Frequency: quarterly (quarter end) (detected)."
    fiscal = prepare(sales(pd.date_range("2015-02-01", periods=24, freq="QS-FEB")), options())
    assert fiscal.notes[0] == "Frequency: quarterly (quarters starting Feb, May, Aug, Nov) (detected)."
    middle = prepare(sales(pd.date_range("2015-01-01", periods=24, freq="QS") + pd.Timedelta(days=44)), options())
    assert middle.pandas_freq == "QS-JAN" and middle.frame["ds"].dt.is_quarter_start.all()
    assert any("24 rows were dated within a quarter" in n for n in middle.notes)
    with pytest.raises(ForecastInputError, match="The data is quarterly; it cannot be forecast monthly"):
        prepare(sales(pd.date_range("2015-03-31", periods=24, freq="QE")), options(freq="M"))


def test_a_partial_first_week_or_month_is_left_out_when_days_are_summed():
    # The store-item sample starts on Friday 1 January 2016: its first Monday–Sunday week holds 3 days, which
    # the weekly chart drew as a dip to 3/7 of the level (and the model learnt from as a week's sales).
    days = pd.date_range("2016-01-01", "2016-03-27", freq="D")           # Friday to a Sunday
    frame = pd.DataFrame({"date": days, "store": 1, "sales": 10.0})
    weekly = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=2, freq="W"))
    assert weekly.frame["ds"].min() == pd.Timestamp("2016-01-04") and (weekly.frame["y"] == 70).all()
    assert "The first week (from 2015-12-28) has data for only 3 of its 7 days; it was left out so that a " \
           "part-period does not look like a drop in sales." in weekly.notes
    days = pd.DataFrame({"date": pd.date_range("2016-01-11", "2016-04-30", freq="D"), "store": 1, "sales": 10.0})
    monthly = prepare(days, PrepOptions(date="date", target="sales", series=("store",), horizon=1, freq="M"))
    assert monthly.frame["ds"].tolist() == [pd.Timestamp(d) for d in ("2016-02-01", "2016-03-01", "2016-04-01")]
    assert any("The first month (from 2016-01-01) has data for only 21 of its 31 days" in n for n in monthly.notes)
    # Weeks summed to months: a week dated 3 January may cover 28 December to 3 January; kept.
    weeks = pd.DataFrame({"date": pd.date_range("2022-01-03", periods=30, freq="W-MON"), "store": 1, "sales": 10.0})
    kept = prepare(weeks, PrepOptions(date="date", target="sales", series=("store",), horizon=1, freq="M"))
    assert kept.frame["ds"].min() == pd.Timestamp("2022-01-01")


def test_a_table_with_one_column_per_product_is_refused_with_the_reshape():
    """One row per date and a column per product: a series key that is not a column said how to melt the table
    (it had stopped on a KeyError), and a product's counts taken as a series key are refused (they had made 67
    'series' of counts)."""
    from services import retail
    from services.retail_future import RetailInputError

    rng = np.random.default_rng(2)
    wide = pd.DataFrame({"Date": pd.date_range("2023-01-01", periods=60, freq="D").strftime("%Y-%m-%d"),
                         **{f"SKU_{i}": rng.poisson(20, 60) for i in range(4)}})
    params = {"date": "Date", "target": "sales", "series": ["product"], "horizon": 7}
    with pytest.raises(RetailInputError, match=r"^Columns not in the table: sales, product\. The table has one row "
                       r"per date and 4 numeric columns \(SKU_0, SKU_1, SKU_2, SKU_3\): if each holds one series, "
                       r"reshape .*frame\.melt\(id_vars=\['Date'\], var_name='product', value_name='sales'\); then "
                       r"forecast with --target sales --series product\.$"):
        retail.prepare_sales(wide, params)
    with pytest.raises(RetailInputError, match=r"^Series key 'SKU_1' holds counts in a table with one row per date"
                       r".*value_name='quantity'\); then forecast with --target quantity --series series\.$"):
        retail.prepare_sales(wide, {**params, "target": "SKU_0", "series": ["SKU_1"]})
    one_store = wide.assign(store="north", SKU_1=1)  # one series: a constant key is a name
    assert retail.prepare_sales(one_store, {**params, "target": "SKU_0", "series": ["store"]}).freq == "D"
    with pytest.raises(RetailInputError, match=r"^Columns not in the table: shop\. Available: "):
        retail.prepare_sales(wide[["Date", "SKU_0", "SKU_1"]], {**params, "target": "SKU_0", "series": ["shop"]})
