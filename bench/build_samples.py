"""Rebuild the small sample datasets bundled in data/samples from ../shared/data (run by hand)."""
from __future__ import annotations

from pathlib import Path

from bench import datasets

OUT = Path(__file__).resolve().parents[1] / "data" / "samples"


def synthetic_sales(seed: int = 7):
    """Daily sales for 2 stores x 3 items over two years, with weekly and yearly seasonality and a trend.

    Synthetic (the Kaggle store-item file carries no open licence, so it is not bundled).
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    dates = pd.date_range("2016-01-01", "2017-12-31", freq="D")
    t = np.arange(len(dates))
    weekly = np.array([0.85, 0.9, 0.95, 1.0, 1.1, 1.25, 1.2])[dates.dayofweek]
    yearly = 1 + 0.25 * np.sin(2 * np.pi * (dates.dayofyear - 80) / 365.25)
    frames = []
    for store in (1, 2):
        for item in (1, 2, 3):
            level = 20 * item * (1.3 if store == 2 else 1.0)
            mean = level * weekly * yearly * (1 + 0.0004 * t)
            frames.append(pd.DataFrame({"date": dates, "store": store, "item": item,
                                        "sales": rng.poisson(mean)}))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    datasets.german_credit().to_csv(OUT / "credit_applicants.csv", index=False)
    synthetic_sales().to_csv(OUT / "store_item_sales.csv", index=False, date_format="%Y-%m-%d")
    datasets.ai4i().sample(2000, random_state=0).sort_values("UDI").to_csv(OUT / "machine_telemetry.csv", index=False)
    for path in sorted(OUT.glob("*.csv")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
