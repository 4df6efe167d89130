"""AppTest: the backtest table fits the page. Its full column labels side by side were 1,526 px wide (a frame of
904 px at a 1366 px window): the last column, the score the champion was chosen on, needed a horizontal scroll. The
page shows short headers, each full label kept as the column's help."""
from __future__ import annotations

import json

from services.retail_labels import BACKTEST_COLUMNS
from tests.app.test_retail import _page, _stored_run


def test_the_backtest_table_has_short_headers_with_the_full_labels_as_help(app_env):
    from pages import components

    _stored_run(components.get_runtime())
    at = _page()
    table = next(d for d in at.dataframe if "champion" in d.value.columns)
    config = json.loads(table.proto.columns)
    shown = {column: config.get(column, {}).get("label", column) for column in table.value.columns}
    assert shown["score: WAPE + imbalance beyond chance (lowest wins)"] == "score"
    assert config["in P10–P90 band (%, aim 80)"]["help"] == "in P10–P90 band (%, aim 80)"
    assert max(len(label) for label in shown.values()) <= 14  # the model's names are the longest cells
    assert set(BACKTEST_COLUMNS.values()) - {"model", "champion"} <= set(config)  # every figure's label kept as help
