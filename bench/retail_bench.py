"""Retail bench: hold out the last 90 days of 2017 of the store-item demand set, forecast them from the rest
with the full desk pipeline (3 backtest windows, champion pick, final fit, SHAP), print sMAPE of the champion
and of seasonal naive, the whole run's time and peak memory (this process and its children).

Run: python -m bench.retail_bench [--trees 500] [--windows 3]
"""
from __future__ import annotations

import argparse
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.datasets import store_item_demand  # noqa: E402
from ml import forecast_metrics as metrics  # noqa: E402
from ml import forecast_models as models  # noqa: E402
from services import retail  # noqa: E402

HORIZON = 90


class PeakMemory(threading.Thread):
    """Samples RSS every 0.2 s; the kernel's ru_maxrss is the cross-check."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stop = False

    def run(self) -> None:
        process = psutil.Process()
        while not self.stop:
            self.peak = max(self.peak, process.memory_info().rss)
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trees", type=int, default=500)
    parser.add_argument("--windows", type=int, default=3)
    args = parser.parse_args()
    monitor = PeakMemory()
    monitor.start()
    started = time.perf_counter()
    frame = store_item_demand()
    cut = frame["date"].max() - pd.Timedelta(days=HORIZON - 1)
    train, hold = frame[frame["date"] < cut], frame[frame["date"] >= cut]
    params = retail.forecast_params(0, date="date", target="sales", series=["store", "item"], horizon=HORIZON,
                                    windows=args.windows, n_estimators=args.trees)
    prepared = retail.prepare_sales(train, params)
    result = retail.fit_and_forecast(prepared, horizon=HORIZON, windows=args.windows, n_estimators=args.trees,
                                     progress=lambda f, m: print(f"[{time.perf_counter() - started:6.0f}s] {m}",
                                                                 flush=True))
    elapsed = time.perf_counter() - started
    truth = hold.assign(unique_id="store=" + hold["store"].astype(str) + "|item=" + hold["item"].astype(str))
    truth = truth.rename(columns={"date": "ds", "sales": "y"})[["unique_id", "ds", "y"]]
    naive = models.seasonal_naive(prepared.frame, "D", "D", HORIZON)
    yearly = models.yearly_naive(prepared.frame, "D", "D", HORIZON)
    rows = []
    for name, forecast in (("champion (" + result["champion"] + ")", result["forecast"].rename(columns={"p50": "f"})),
                           ("seasonal naive (last week)", naive.rename(columns={"yhat": "f"})),
                           ("seasonal naive (364 days)", yearly.rename(columns={"yhat": "f"}))):
        merged = truth.merge(forecast[["unique_id", "ds", "f"]], on=["unique_id", "ds"])
        assert len(merged) == len(truth), "every hold-out row must be forecast"
        rows.append((name, metrics.smape(merged["y"], merged["f"])))
    band = truth.merge(result["forecast"], on=["unique_id", "ds"])
    coverage = 100 * float(((band["y"] >= band["p10"]) & (band["y"] <= band["p90"])).mean())
    monitor.stop = True
    peak_gb = max(monitor.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 1024**3
    print("\nBacktest table (rolling origin, champion by WAPE + balance beyond chance):")
    print(pd.DataFrame(result["table"]).T.round(2).to_string())
    print(f"\nHold-out {truth['ds'].min().date()} … {truth['ds'].max().date()} ({HORIZON} days, 500 series)")
    print(f"{'model':28s} {'sMAPE':>8s}")
    for name, value in rows:
        print(f"{name:28s} {value:8.3f}")
    for name, value in rows[1:]:
        print(f"improvement over {name}: {100 * (1 - rows[0][1] / value):.1f} %")
    print(f"P10–P90 coverage on the hold-out: {coverage:.1f} %")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"whole run (load, prepare, {args.windows} backtests, final fit, SHAP): {elapsed:.0f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.0f} s CPU (2 LightGBM threads; wall depends on other load)")
    print(f"peak memory: {peak_gb:.2f} GB; CPUs: {psutil.cpu_count()}; load average: {np.round(psutil.getloadavg(), 1)}")
    print(f"features: {result['fitted'].feature_names if result['fitted'] else '-'}")


if __name__ == "__main__":
    main()
