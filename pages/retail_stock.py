"""The retail page's Inventory tab: a purchase plan from a forecast run, and its downloads (UI only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from reports.exporters import export_csv, export_frame_xlsx
from services import datasets, retail_form, retail_plan, retail_views, runs
from services.errors import UserFacingError

PLAN_FIGURES = ("on_hand", "lead_time_demand", "safety_stock", "reorder_point", "order_up_to", "order_quantity")


def stock_tab(runtime) -> None:
    retail_runs = runs.list_runs(runtime, desk="retail")
    if retail_runs:
        run_labels = {r.id: components.run_label(r) for r in retail_runs}
        run = retail_views.retail_run(runtime, st.selectbox("Run", list(run_labels), format_func=run_labels.get,
                                                            key="retail.stockrun"))
        st.caption("Lead time and review period count the run's periods: one period is a "
                   f"{retail_views.run_period(run)}.")
        a, b, c = st.columns(3)
        lead = a.number_input("Lead time (periods)", 1, 365, 2, key="retail.lead")
        review = b.number_input("Review period (periods)", 0, 365, 1, key="retail.review")
        service = c.slider("Service level", 0.5, 0.995, 0.95, key="retail.service")
        dataset = datasets.get_dataset(runtime, run.dataset_id)
        stock_col = st.selectbox("On-hand stock column (optional)", ["(none)"] + retail_form.stock_columns(
            dataset.schema, run.parameters), key="retail.onhand")  # not the forecast's own quantity
        try:
            on_hand = None if stock_col == "(none)" else retail_views.on_hand_stock(runtime, run, stock_col)
            plan = retail_plan.run_purchase_plan(runtime, run, lead_time=int(lead), review_period=int(review),
                                                 service_level=service, on_hand=on_hand)
        except UserFacingError as exc:
            st.error(str(exc))
        else:
            for note in retail_plan.stock_notes(plan, None if stock_col == "(none)" else stock_col):
                st.info(note)  # stock taken as 0 is said, not assumed silently
            if stock_col == "(none)":  # a column of blanks read 'None' in every row
                plan = plan.drop(columns="on_hand")
            _plan_table(plan)
            about = {"Forecast run": run.id, "Forecast made": f"{run.created_at:%Y-%m-%d %H:%M}",
                     "One period is a": retail_views.run_period(run), "Lead time (periods)": int(lead),
                     "Review period (periods)": int(review), "Service level": float(service),
                     "On-hand stock column": stock_col}
            worded = plan.rename(columns=retail_plan.PLAN_HEADERS)  # the page's words; the CLI keeps its names
            st.download_button("Download purchase plan (XLSX)", export_frame_xlsx(worded, "purchase plan", about=about),
                               file_name=f"purchase-plan-run{run.id}.xlsx", key="retail.plandl")
            st.download_button("Download purchase plan (CSV)", export_csv(worded, excel=True),
                               file_name=f"purchase-plan-run{run.id}.csv", key="retail.plancsv")
    else:  # the tab was blank
        st.info("No forecast yet: run one on the Forecast tab; the purchase plan is made from it.")


def _plan_table(plan: pd.DataFrame) -> None:
    st.caption("Policy: at each review, order up to the order-up-to level (demand over lead time and review period, "
               "plus safety stock) less the stock on hand, so an order can be suggested while the stock is still "
               "above the reorder point. The safety stock covers lead time + review period, the time until the next "
               "order arrives; the reorder point (lead time demand plus a buffer for the lead time alone) is where a "
               "continuously watched stock would be reordered.")
    st.dataframe(_shown(plan), hide_index=True, key="retail.plan", column_config={
        name: st.column_config.NumberColumn(retail_plan.PLAN_HEADERS[name], format=_number_format(plan, name))
        for name in PLAN_FIGURES if name in plan.columns})


def _shown(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan as the page shows it: a column mixing whole items and goods by weight is written as it is ('plain'),
    so its float dust showed (383.20000000000005 for 383.2): each float is rounded to 6 decimals here, the
    downloads keep the plan itself."""
    out = plan.copy()
    for name in PLAN_FIGURES:
        if name in out.columns and out[name].dtype.kind == "O":
            out[name] = pd.Series([round(v, 6) if isinstance(v, float) else v for v in out[name]], index=out.index,
                                  dtype=object)
    return out


def _number_format(plan: pd.DataFrame, name: str) -> str:
    """Whole counts as whole numbers (129); orders mixing whole items and goods by weight each as they are (129
    beside 106.41, where '%.2f' wrote 129.00); the rest to two decimals."""
    kind = plan[name].dtype.kind if name in plan.columns else "f"
    return "%d" if kind in "iu" else "plain" if kind == "O" else "%.2f"
