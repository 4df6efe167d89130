"""The validation images a triage model holds out: per class, and by patient where a group is known."""
from __future__ import annotations

import numpy as np
import pandas as pd

VAL_FRACTION = 0.15  # of each class held out for validation when no split is given


def stratified_split(labels: pd.Series, fraction: float, seed: int,
                     groups: pd.Series | None = None) -> tuple[list[int], list[int]]:
    """Per class, ``fraction`` (at least one image) to validation; classes need two images or more. With
    ``groups`` (a patient's folder), whole groups go to one side: at least one, and at least one stays."""
    rng = np.random.default_rng(seed)
    labels = labels.reset_index(drop=True)
    groups = pd.Series(np.arange(len(labels))) if groups is None else groups.reset_index(drop=True)
    train, valid = [], []
    for label, members in labels.groupby(labels, sort=True):
        index = members.index.to_numpy()
        if len(index) < 2:
            raise ValueError(f"class {label!r} has only {len(index)} image; at least 2 per class are needed "
                             "to hold some out for validation.")
        names = groups.iloc[index].to_numpy()
        order = rng.permutation(pd.unique(names))
        wanted = min(len(index) - 1, max(1, round(fraction * len(index))))
        held, count = set(), 0
        for name in order[:-1] if len(order) > 1 else order:
            if count >= wanted:
                break
            held.add(name)
            count += int((names == name).sum())
        in_valid = np.isin(names, list(held))
        if in_valid.all():  # one group holding the whole class: hold out single images instead
            in_valid = np.zeros(len(index), bool)
            in_valid[rng.permutation(len(index))[:wanted]] = True
        valid.extend(index[in_valid].tolist())
        train.extend(index[~in_valid].tolist())
    return sorted(train), sorted(valid)
