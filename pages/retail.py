"""Retail: forecast demand per series with backtests and bands, see drivers, plan purchases."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components, job_widgets, retail_stock
from reports import figures, retail_figures
from reports.exporters import export_csv
from services import (datasets, display_labels, labels, reports, retail, retail_form, retail_labels, retail_views,
                      runs)
from services.errors import UserFacingError
from services.page_words import for_page

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
components.keep_values(  # kept across visits to other pages
    "retail.pick", "retail.stockrun", "retail.lead", "retail.review", "retail.service", "retail.horizon",
    "retail.windows", "retail.freq", "retail.fill", "retail.level", "retail.choice", "retail.onhand")
runtime = components.get_runtime()
user = components.current_user()
finished = job_widgets.new_run("retail.job")
if finished is not None:  # a forecast just finished: results and inventory show its run, not the one picked before
    st.session_state["retail.pick"] = st.session_state["retail.stockrun"] = finished


def _start(key: str, default: int) -> int | str:
    """A number box's default only while nothing is kept for it: a default beside a value put back by keep_values
    made Streamlit warn that the widget had both (and a value set through session state beforehand resurfaced
    over the user's later choice after a visit to another page)."""
    return "min" if key in st.session_state else default


def _whole_file_box(info, taken: tuple[str, str]) -> bool:
    """A file without series keys (date, sales[, price, promo]) is forecast as one series: on by default when no
    text column could name series, so the page no longer stops at 'Choose at least one series key column'."""
    texts = [c for c, kind in info.schema.items() if kind not in ("datetime", "numeric") and c not in taken]
    whole = st.checkbox("Forecast the whole file as one series", value=not texts, key=f"retail.whole.{info.id}")
    if whole:
        st.caption(f"On Run, a copy of this table with a column {retail_form.one_series_key(list(info.schema))!r} = "
                   f"'{retail_form.ONE_SERIES_VALUE}' is stored as dataset '{retail_form.one_series_name(info)}' "
                   "(reused on later runs) and forecast as one series.")
    return whole


def _forecast_form(info) -> None:
    """Columns and options for one stored sales table, then the run button (nothing runs on an error)."""
    if periods := retail_form.wide_periods_message(info):  # d_1 … d_1913: no date column to choose, reshape first
        st.warning(periods)
        return
    columns = list(info.schema)
    dates = retail_form.date_choices(info.schema, info.profile)
    if not dates:
        st.warning(retail_form.no_dates_message(info.schema, info.profile))
        dates = columns
    numbers = [c for c, k in info.schema.items() if k == "numeric"] or columns
    left, middle, right = st.columns(3)
    date = left.selectbox("Date column", dates, key=f"retail.date.{info.id}")
    guess = retail_form.guess_quantity(numbers, info.roles)  # qty before on_hand; never onpromotion or an id
    target = middle.selectbox("Quantity", numbers, index=None if guess is None else numbers.index(guess),
                              key=f"retail.target.{info.id}", placeholder="Choose the quantity sold")
    keys = right.multiselect("Series keys", [c for c in columns if c not in (date, target)],
                             default=retail_form.default_keys(info, (date, target)),  # never a row id
                             key=f"retail.series.{info.id}")
    if wide := retail_form.wide_shape_message(info):  # one column per product: said before any key is chosen
        st.warning(wide)
        if not keys:
            return
    if target is None:
        st.info(retail_form.quantity_hint(numbers))
        return
    whole = not keys and _whole_file_box(info, (date, target))
    a, b, c, d = st.columns(4)
    horizon = a.number_input("Horizon (periods)", 1, 400, _start("retail.horizon", 14), key="retail.horizon")
    freq = b.selectbox("Frequency", ["auto", "D", "W", "M", "Q"], key="retail.freq",
                       help="auto: detected from the dates. D, W, M or Q (quarters): finer data is summed to it.")
    fill = c.selectbox("Missing periods are", ["zero", "missing"], key="retail.fill")
    windows = d.number_input("Backtest windows", 1, 6, _start("retail.windows", 3), key="retail.windows")
    dup_sum = st.checkbox("Sum duplicate rows (same series and date)", key="retail.dupsum")
    clip = st.checkbox("Clip negative quantities to 0", key="retail.clip")
    coded = [c for c, k in info.schema.items() if k in ("categorical", "boolean")]  # StateHoliday 0/a/b/c
    offered, stock = retail_form.driver_choices([*numbers, *coded], (date, target, *keys))
    exog = st.multiselect("Known-in-advance columns (need future values)", offered, key="retail.exog")
    if stock:  # on_hand follows sales: not known for the dates ahead
        st.caption(f"Not offered: {', '.join(stock)}. Stock on hand is not known in advance; choose it as the "
                   "on-hand stock column on the Inventory tab.")
    try:
        params = retail.forecast_params(info.id, date=date, target=target, horizon=int(horizon),
                                        series=keys or ([retail_form.one_series_key(columns)] if whole else []),
                                        freq=None if freq == "auto" else freq, fill=fill,
                                        duplicates="sum" if dup_sum else "error", negatives="clip" if clip else "keep",
                                        windows=int(windows), exogenous=exog)
    except UserFacingError as exc:
        st.error(for_page(str(exc)))
        return
    if exog:
        st.caption("Future values: taken from the table's own future rows (dates after the last sale, quantity "
                   "blank) when it has them for every series; otherwise download the template (pre-filled with "
                   "any such values), fill it and upload it. Without either, these columns are left out.")
        if st.button("Prepare future template", key="retail.template"):
            try:
                st.session_state["retail.template_csv"] = retail_views.future_template_csv(
                    runtime, retail_form.as_one_series(runtime, info, params, user=user) if whole else params, exog)
            except UserFacingError as exc:
                st.error(str(exc))
        if "retail.template_csv" in st.session_state:
            st.download_button("Download template", st.session_state["retail.template_csv"],
                               file_name="future_values.csv", mime="text/csv", key="retail.template_dl")
        future = st.file_uploader("Filled template", type=["csv", "xlsx"], key="retail.future")
        if future is not None:
            try:
                params["future_dataset_id"] = retail_form.stored_upload(runtime, future.getvalue(), future.name,
                                                                        user=user)
            except datasets.DatasetRejected as exc:
                st.error(f"Template not usable. {exc}")
    if st.button("Run forecast", key="retail.run", type="primary"):
        try:  # a horizon too long for the history is said here, not by a failed job
            if whole:
                params = retail_form.as_one_series(runtime, info, params, user=user)
                st.caption(f"Forecasting the derived dataset #{params['dataset_id']} "
                           f"'{retail_form.one_series_name(info)}' as one series.")
            retail_form.check_before_run(runtime, params)
        except UserFacingError as exc:
            st.error(for_page(str(exc)))
            return
        job_widgets.submit_job("retail.job", dataset_id=info.id, kind=retail.KIND, desk=retail.DESK,
                              handler=retail.HANDLER, params=params, user=user)


def _follow_run(run_id: int, keys: list[str]) -> None:
    """A run picked anew opens at its own series keys and first series: the level and series boxes had kept the
    previous run's choice (the chart fell to the grand total, the series box named a series of the other run)."""
    if st.session_state.get("retail.shown") != run_id or "retail.level" not in st.session_state:
        st.session_state["retail.shown"] = run_id
        st.session_state["retail.level"] = list(keys)
        st.session_state["retail.choice"] = 0


def _follow_level(level: list[str]) -> None:
    """Another key level has other series: the series box starts again at the first one."""
    if st.session_state.get("retail.shown_level") != level:
        st.session_state["retail.shown_level"] = list(level)
        st.session_state["retail.choice"] = 0


st.title("Retail — demand forecast")
st.caption("Backtested forecasts with P10/P50/P90 bands per series, drivers, and reorder suggestions.")
tab_run, tab_results, tab_stock = st.tabs(["Forecast", "Results", "Inventory"])

with tab_run:
    job_widgets.follow_job_table("retail", "retail.job", retail.KIND)  # a reload shows the running job's table
    info = components.dataset_picker(
        key="retail", upload_label="Upload sales history (CSV, TSV or Excel)",
        empty_message="Upload a long sales table: a date column, series keys (store, item, …) and a quantity.",
        prefer=retail_form.looks_like_sales)  # before any choice: the newest sales table, not a loan book
    if info is not None:
        _forecast_form(info)
    if (job_id := job_widgets.follow_job("retail.job", retail.KIND)) is not None:
        job_widgets.job_panel(job_id, key="retail.job",
                             dataset_id=info.id if info is not None else None)

with tab_results:
    retail_runs = runs.list_runs(runtime, desk="retail")
    if not retail_runs:
        st.info("No forecast yet: run one on the Forecast tab.")
    else:
        run_labels = {r.id: components.run_label(r) for r in retail_runs}
        run_id = st.selectbox("Run", list(run_labels), format_func=run_labels.get, key="retail.pick")
        run = retail_views.retail_run(runtime, run_id)
        keys = list(run.parameters["keys"])
        st.subheader(f"Backtest — champion: {retail_labels.model_label(run.parameters['champion'])}")
        described = retail_labels.describe_model(run.parameters["champion"], run.parameters.get("freq_used"))
        st.caption(f"{described[0].upper()}{described[1:]}. {retail_labels.champion_caption(run.parameters)}")
        dates = retail_views.backtest_frame(runtime, run.id)["date"].dropna().astype(str).tolist()
        if said := retail_labels.backtest_caption(run.parameters, dates):  # which windows the figures come from
            st.caption(said)
        backtest = retail_views.backtest_view(run)  # short headers, each full label as its help: fits the page
        st.dataframe(backtest, hide_index=True, key="retail.table", column_config={
            label: st.column_config.Column(short, help=label) for label, short in
            retail_labels.BACKTEST_HEADERS.items() if label in backtest.columns})
        if note := retail_labels.mase_note(retail_views.backtest_table(run)):
            st.caption(note)
        for note in retail_labels.run_notes(run.parameters):  # with 'drivers given, champion ignores them'
            (st.warning if note.startswith("Warning") else st.info)(note)  # a bare expression would be printed
        forecast = retail_views.forecast_frame(runtime, run.id)
        _follow_run(run.id, keys)
        level = st.multiselect("Show at key level (empty: grand total)", keys, key="retail.level")
        _follow_level(level)
        options = forecast[level].drop_duplicates().astype(str) if level else pd.DataFrame([{}])
        choice = st.selectbox("Series", range(len(options)), key="retail.choice",
                              format_func=lambda i: display_labels.series_words(options.iloc[i], level) or "total")
        view = retail_views.series_view(runtime, run, level, options.iloc[choice].to_dict() if level else {})
        st.plotly_chart(retail_figures.forecast_view_figure(
            view["history"], view["backtest"], view["forecast"], retail_views.forecast_title(run),
            run.parameters["target"], retail_views.run_period(run).split(" ")[0]), key="retail.fan")
        if level != keys:  # a sum of series: each series' P10 and P90 added up
            st.caption("At this level the P10–P90 band adds up the series' bands, so it is wider than a band of the "
                       "total itself would be: series seldom all run high, or all low, in the same period.")
        ranked = retail_views.ranked_series(runtime, run)
        if len(ranked):
            ranked["series"] = [display_labels.series_id_words(i, keys) for i in ranked["unique_id"]]
            st.plotly_chart(retail_figures.error_ranking_figure(ranked, "series"), key="retail.rank")
        drivers = retail_views.global_drivers(runtime, run)
        if drivers:
            names, values = zip(*sorted(drivers.items(), key=lambda kv: -kv[1]))
            plain = [labels.feature_label(n, run.parameters.get("freq_used")) for n in names]
            st.plotly_chart(figures.feature_importance_figure(plain, list(values), "Drivers (SHAP)"),
                            key="retail.drivers")
            if level == keys:
                day = st.selectbox("Drivers for date", sorted(view["forecast"]["date"].dt.strftime("%Y-%m-%d")),
                                   key="retail.day")
                if run.parameters.get("champion") != "lightgbm":
                    st.caption(f"These drivers explain the LightGBM forecast; the forecast written is the champion's "
                               f"({retail_labels.model_label(run.parameters.get('champion'))}).")
                try:
                    rows = retail_views.drivers_for(runtime, run, retail_views.series_label(options.iloc[choice], keys),
                                                    day).head(10)
                    plain_rows = labels.with_plain_features(rows, run.parameters.get("freq_used"))
                    st.dataframe(plain_rows.drop(columns="feature").rename(columns=retail_labels.ROW_DRIVERS),
                                 hide_index=True, key="retail.rowdrivers")  # the words, not the code name
                    st.caption(retail_labels.ROW_DRIVERS_NOTE)
                except UserFacingError as exc:
                    st.info(str(exc))
        st.download_button("Download forecast (CSV)", export_csv(forecast, excel=True),
                           file_name=f"forecast-{run.id}.csv", mime="text/csv", key="retail.download")
        left, right = st.columns([1, 3])  # browser QA: the report was reachable from Home only, unlike other desks
        fmt = left.selectbox("Report format", list(reports.FORMATS), key="retail.report.fmt", format_func=str.upper)
        components.report_download(run.id, fmt, key="retail.report", user=components.current_user(),
                                   file_name=f"retail-run-{run.id}.{fmt}", where=right)

with tab_stock:
    retail_stock.stock_tab(runtime)
