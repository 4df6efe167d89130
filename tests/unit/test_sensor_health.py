"""Sensor health on the maintenance page: missing, flat, drifting and ok sensors, per unit over time."""
import numpy as np
import pandas as pd
import pytest

from services.maintenance_sensors import sensor_health


def test_each_status_is_told_apart():
    rng = np.random.default_rng(0)
    n = 60
    time = np.tile(np.arange(30), 2)
    gappy = rng.normal(size=n)
    gappy[::3] = np.nan  # a third of the readings empty
    frame = pd.DataFrame({"unit": np.repeat([1, 2], 30), "cycle": time, "wear": time * 0.1 + rng.normal(0, 0.1, n),
                          "flat": np.full(n, 5.0), "noise": rng.normal(size=n), "gappy": gappy,
                          "empty": np.full(n, np.nan), "label": ["a"] * n})
    health = sensor_health(frame, unit="unit", time="cycle").set_index("sensor")
    assert health["status"].to_dict() == {"wear": "drifting", "flat": "flat", "noise": "ok", "gappy": "missing",
                                          "empty": "missing"}
    assert health.loc["gappy", "missing_pct"] == pytest.approx(100 / 3) and health.loc["empty", "missing_pct"] == 100
    assert health.loc["wear", "drift_correlation"] > 0.9
    # a few gaps are only counted, not a status
    frame.loc[:4, "noise"] = np.nan
    assert sensor_health(frame, unit="unit", time="cycle").set_index("sensor").loc["noise", "status"] == "ok"
