"""A batch's PSI is judged against what its size gives by chance: a small batch drawn like the training rows had read
"watch" or "shifted" on many columns (a 60-row Taiwan-card batch: LIMIT_BAL 0.281, shifted)."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from domain.finance import psi_band, psi_noise
from ml.credit_eval import reference_bins
from services.finance_scoring import _psi_table


def test_the_chance_level_is_the_chi_square_percentile_scaled_by_both_sizes():
    assert abs(psi_noise(10, 500, 500) / (21.666 * (1 / 500 + 1 / 500)) - 1) < 0.005  # chi-square 99 %, 9 df
    assert abs(psi_noise(5, 7000, 60) / (13.277 * (1 / 7000 + 1 / 60)) - 1) < 0.01  # 4 df
    assert psi_noise(10, 0, 60) == 0.0
    assert psi_band(0.28, 60, noise=0.39) == "stable" and psi_band(0.28, 500, noise=0.09) == "shifted"
    assert psi_band(0.12, 500) == "watch" and psi_band(0.12, 40, noise=0.0) == "too few rows"


def _loaded(rng: np.random.Generator) -> tuple[SimpleNamespace, pd.Series]:
    limit = pd.Series(rng.lognormal(11.8, 0.8, 7000))
    scores = pd.Series(rng.beta(2, 8, 7000))
    reference = {"LIMIT_BAL": reference_bins(limit, "numeric"), "__score__": reference_bins(scores, "numeric")}
    return SimpleNamespace(reference=reference), scores


def test_small_batches_drawn_like_the_training_rows_read_stable_and_a_shift_still_reads_shifted():
    rng = np.random.default_rng(0)
    loaded, scores = _loaded(rng)
    flagged = 0
    for _ in range(40):
        X = pd.DataFrame({"LIMIT_BAL": rng.lognormal(11.8, 0.8, 60)})
        table = _psi_table(loaded, X, pd.Series(rng.beta(2, 8, 60)))
        flagged += int((table["band"] != "stable").sum())
    assert flagged <= 2  # of 80 PSIs; on their bands alone about half had read watch or shifted
    moved = pd.DataFrame({"LIMIT_BAL": rng.lognormal(12.8, 0.8, 60)})
    table = _psi_table(loaded, moved, pd.Series(rng.beta(4, 6, 60))).set_index("feature")
    assert table.loc["LIMIT_BAL", "band"] == "shifted" and table.loc["(score)", "band"] == "shifted"
