"""A wide book's random forest: each tree draws its own subset of columns, so its cost stops growing with the width."""
import math

from ml.credit_forest import TREE_COLUMNS, ForestScorer


def test_normal_width_forest_keeps_its_settings():
    params = ForestScorer()._params(columns=60, rows=800, factor=1.0)
    assert params["feature_fraction"] == 1.0
    assert params["feature_fraction_bynode"] == math.sqrt(60) / 60


def test_wide_forest_trees_use_a_subset_and_splits_keep_their_share():
    columns = 8 * TREE_COLUMNS
    params = ForestScorer()._params(columns=columns, rows=300, factor=2.0)
    assert params["feature_fraction"] == TREE_COLUMNS / columns
    node_share = params["feature_fraction"] * params["feature_fraction_bynode"]
    assert math.isclose(node_share, 2 * math.sqrt(columns) / columns)

