"""Population stability of a scored batch against training: each column's PSI and band, judged against what a batch
of its size drawn like the training rows reaches by chance, and the notes on small batches."""
from __future__ import annotations

from typing import Any

import pandas as pd

from domain import finance as rules
from ml import credit_eval as evaluation

PSI_FALSE_ALARMS = 0.01  # batches drawn like the training rows that may read a column watch or shifted
CHANCE_ROWS = 500  # batches this large are judged on the bands alone (a 10-bin PSI's chance level is about 0.03)


def psi_table(reference: dict[str, Any], X: pd.DataFrame, pds: pd.Series) -> pd.DataFrame:
    """Each column's PSI and band; a PSI within what a batch of this size drawn like the training rows reaches by
    chance reads stable. The chance is taken for the table as a whole (once in a hundred batches shared over its
    columns): per column, twenty columns had flagged about one batch in five with no drift at all."""
    inputs = [(c, reference[c]) for c in X.columns if c in reference]  # the ratios have none
    columns = [("(score)", reference["__score__"]), *inputs]
    level = 1 - PSI_FALSE_ALARMS / len(columns)
    rows = []
    for column, spec in columns:
        values = pds if column == "(score)" else X[column]
        value = rules.population_stability(spec["counts"], evaluation.bin_counts(values, spec), rules.PSI_FLOOR)
        noise = evaluation.psi_chance(spec["counts"], len(X), level=level, floor=rules.PSI_FLOOR) \
            if rules.MIN_PSI_ROWS <= len(X) < CHANCE_ROWS else 0.0  # from 500 rows chance stays far under 0.1
        rows.append({"feature": column, "psi": round(value, 4), "band": rules.psi_band(value, len(X), noise)})
    return pd.DataFrame(rows)


def size_notes(score_counts: list[int], rows: int) -> list[str]:
    """What a batch's size does to its PSI: not judged under MIN_PSI_ROWS rows, noisy under CHANCE_ROWS."""
    if rows < rules.MIN_PSI_ROWS:
        return [f"Population stability (PSI) is not judged on {rows} row(s): it compares the shares of ten bands "
                f"with training's, and on fewer than {rules.MIN_PSI_ROWS} rows those shares are mostly chance. Its "
                "values are listed without a band."]
    if rows >= CHANCE_ROWS:
        return []
    chance = evaluation.psi_chance(score_counts, rows, floor=rules.PSI_FLOOR)
    return [f"PSI on {rows} rows is noisy: a column reads watch or shifted only where its PSI is above what {rows} "
            f"rows drawn like the training rows reach by chance (the score's PSI reaches {chance:.2f} once in a "
            "hundred such batches; the columns together flag one batch in a hundred)."]
