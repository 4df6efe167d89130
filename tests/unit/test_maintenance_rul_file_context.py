"""A unit's RUL features (and so its RUL) do not depend on the other units scored in the same file (#6)."""
import numpy as np
import pandas as pd

from ml.rul import rul_features
from ml.rul_shape import TIME, UNIT


def _unit(name, life: int, level: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({UNIT: name, TIME: np.arange(1, life + 1, dtype=float),
                         "s1": level + rng.normal(0, 0.3, life), "s2": -level + rng.normal(0, 0.3, life)})


def test_a_units_features_are_the_same_alone_and_after_other_units():
    # the units ahead of it run far from zero: one running total over the file carried their size into its sums
    ahead = pd.concat([_unit(u, 200, 40.0 + u, u) for u in range(5)])
    alone = _unit(9, 70, 0.5, 9)
    shared = pd.concat([ahead, alone], ignore_index=True)
    in_file = rul_features(shared, 30)[(shared[UNIT] == 9).to_numpy()].reset_index(drop=True)
    by_itself = rul_features(alone.reset_index(drop=True), 30)
    pd.testing.assert_frame_equal(in_file, by_itself, check_exact=True)
