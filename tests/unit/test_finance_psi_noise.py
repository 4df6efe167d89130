"""A batch's PSI is judged against what its size gives by chance: a small batch drawn like the training rows had read
"watch" or "shifted" on many columns (a 60-row Taiwan-card batch: LIMIT_BAL 0.281, shifted), and, with a chi-square
level, a 60-row German batch lacking a 5 % category still did (60 % of batches drawn from the training rows)."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from domain.finance import psi_band
from ml.credit_eval import psi_chance, reference_bins
from services.finance_psi import psi_table


def test_the_chance_level_is_simulated_from_the_reference_and_bands_use_it():
    german_like = [586, 274, 63, 49, 28, 0]  # a column with two rare categories (5 % and 3 %), no 'other', no gaps
    small, large = psi_chance(german_like, 60), psi_chance(german_like, 600)
    assert small > 0.3 > 0.1 > large > 0  # a 60-row batch lacking the 5 % category alone reads 0.32
    assert psi_chance(german_like, 60) == small  # seeded: the same batch size reads the same level
    assert psi_chance(german_like, 60, level=0.999) > small and psi_chance([0, 0], 60) == 0.0
    assert psi_band(0.28, 60, noise=0.39) == "stable" and psi_band(0.28, 500, noise=0.09) == "shifted"
    assert psi_band(0.12, 500) == "watch" and psi_band(0.12, 40, noise=0.0) == "too few rows"


def test_a_60_row_batch_of_training_rows_rarely_flags_any_column():
    rng = np.random.default_rng(3)
    shares = np.array([586, 274, 63, 49, 28]) / 1000
    codes = pd.Series(rng.choice(list("abcde"), 1000, p=shares))
    reference = {"status": reference_bins(codes, "categorical"), "__score__": reference_bins(
        pd.Series(rng.beta(2, 5, 1000)), "numeric")}
    loaded = SimpleNamespace(reference=reference)
    batches = (pd.DataFrame({"status": codes.sample(60, random_state=i).to_numpy()}) for i in range(100))
    flagged = sum(int((psi_table(loaded.reference, X, pd.Series(rng.beta(2, 5, 60)))["band"] != "stable").any())
                  for X in batches)
    assert flagged <= 5  # of 100 batches; at the chi-square level about 20


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
        table = psi_table(loaded.reference, X, pd.Series(rng.beta(2, 8, 60)))
        flagged += int((table["band"] != "stable").sum())
    assert flagged <= 2  # of 80 PSIs; on their bands alone about half had read watch or shifted
    moved = pd.DataFrame({"LIMIT_BAL": rng.lognormal(12.8, 0.8, 60)})
    table = psi_table(loaded.reference, moved, pd.Series(rng.beta(4, 6, 60))).set_index("feature")
    assert table.loc["LIMIT_BAL", "band"] == "shifted" and table.loc["(score)", "band"] == "shifted"
