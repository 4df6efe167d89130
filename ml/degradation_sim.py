"""C-MAPSS-like run-to-failure histories, generated, for tests and the bench (no data is shipped).

Each unit has a random lifetime (120–360 cycles) and an exponential health curve with its own
rate and initial wear. Of 21 sensors, some are flat, some pure noise, and the rest drift with
degradation (either direction) on top of operating-condition offsets. With ``regimes=6`` every
cycle runs in one of six operating conditions (like FD002/FD004), which shifts all sensors far
more than degradation does: the point of per-regime normalisation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CONDITIONS = np.array([[0.0, 0.0, 100.0], [10.0, 0.25, 100.0], [20.0, 0.70, 100.0], [25.0, 0.62, 60.0],
                       [35.0, 0.84, 100.0], [42.0, 0.84, 100.0]])
N_SENSORS = 21
FLAT = (0, 4, 9, 15, 17, 18)          # constant within a condition (C-MAPSS s1, s5, s10, s16, s18, s19)
NOISE = (5, 13)                        # informative-looking but unrelated to health


@dataclass(frozen=True)
class Fleet:
    train: pd.DataFrame                # run to failure
    test: pd.DataFrame                 # truncated at a random cycle
    test_rul: pd.Series                # true RUL at the last test cycle, indexed by unit


def _sensor_profile(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    base = rng.uniform(10, 1000, size=(len(CONDITIONS), N_SENSORS))
    effect = rng.uniform(0.5, 2.5, N_SENSORS) * rng.choice([-1.0, 1.0], N_SENSORS)
    effect[list(FLAT) + list(NOISE)] = 0.0
    noise = rng.uniform(0.3, 0.6, N_SENSORS)
    noise[list(FLAT)] = 0.0
    return base, effect, noise


def _unit(rng: np.random.Generator, unit: int, life: int, regimes: int, profile) -> pd.DataFrame:
    base, effect, noise = profile
    t = np.arange(1, life + 1)
    rate = rng.uniform(1.5, 3.5)
    wear0 = rng.uniform(0.0, 0.15)
    health = wear0 + (np.exp(rate * t / life) - 1) / (np.exp(rate) - 1)
    condition = rng.integers(0, len(CONDITIONS), life) if regimes > 1 else np.zeros(life, dtype=int)
    settings = CONDITIONS[condition] + rng.normal(0, [0.002, 0.0002, 0.0], size=(life, 3))
    scale = base[condition] * 0.004                     # degradation and noise scale with the level
    sensors = base[condition] + effect * health[:, None] * scale * 1.5 + rng.normal(size=(life, N_SENSORS)) * noise * scale
    frame = pd.DataFrame(sensors.round(4), columns=[f"s{i + 1}" for i in range(N_SENSORS)])
    frame.insert(0, "setting_3", settings[:, 2].round(1))
    frame.insert(0, "setting_2", settings[:, 1].round(4))
    frame.insert(0, "setting_1", settings[:, 0].round(4))
    frame.insert(0, "cycle", t)
    frame.insert(0, "unit", unit)
    return frame


def simulate_fleet(n_train: int = 100, n_test: int = 100, *, regimes: int = 1, seed: int = 0,
                   min_life: int = 120, max_life: int = 360, max_test_rul: int = 150) -> Fleet:
    """Train units run to failure; test units are cut 5..max_test_rul cycles before failure (as in C-MAPSS)."""
    rng = np.random.default_rng(seed)
    profile = _sensor_profile(rng)
    lives = rng.integers(min_life, max_life + 1, n_train + n_test)
    units = [_unit(rng, i + 1, int(life), regimes, profile) for i, life in enumerate(lives)]
    empty = _unit(np.random.default_rng(0), 0, 0, regimes, profile)  # the columns, no rows
    train = pd.concat(units[:n_train], ignore_index=True) if n_train else empty
    cut_parts, truth = [], {}
    for offset, frame in enumerate(units[n_train:]):
        unit = n_train + offset + 1
        life = len(frame)
        cut = life - int(rng.integers(5, min(life - 3, max_test_rul) + 1))
        cut_parts.append(frame.iloc[:cut])
        truth[unit] = life - cut
    test = pd.concat(cut_parts, ignore_index=True) if cut_parts else empty
    return Fleet(train=train, test=test, test_rul=pd.Series(truth, name="rul"))
