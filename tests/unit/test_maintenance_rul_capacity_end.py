"""Battery histories without a failure mark, cycled past their end of life or stopped before it, as NASA's battery
files are (a generated copy: one cell ran on to 60 % of its first capacity, another stopped at 77 %; the failure is
70 %): every last reading was read as the failure without a word, and four cells cut at cycle 60 were told 76–88
cycles left where they had 42–61 to the limit."""
import numpy as np
import pandas as pd

from ml.rul_history import HistoryPreprocessor
from ml.rul_leaks import health_end_note


def _cells(ends: list[float], limit: float | None = None) -> pd.DataFrame:
    rng, rows = np.random.default_rng(0), []
    for i, end in enumerate(ends):
        capacity = np.linspace(1.86, 1.86 * end, 120) + rng.normal(0, 0.004, 120)
        if limit is not None:  # cut at the first reading below the limit, as the note asks
            capacity = capacity[: int(np.argmax(capacity < limit)) + 1]
        rows.append(pd.DataFrame({"battery_id": f"B{5 + i:04d}", "cycle": np.arange(1, len(capacity) + 1),
                                  "capacity": capacity.round(4),
                                  "temperature_measured_max": 38 + 6 * (1.86 - capacity)
                                  + rng.normal(0, 0.3, len(capacity))}))
    return pd.concat(rows, ignore_index=True)


def test_capacity_ending_far_apart_without_a_failure_mark_is_said():
    cells = _cells([0.60, 0.66, 0.77, 0.70, 0.63])
    said = health_end_note(cells, "battery_id", "cycle")
    assert said == ["'capacity' falls over the units' lives and ends far apart, at 61% to 77% of its first readings "
                    "(B0005, B0007), and no column marks the failures: each history's last reading is read as its "
                    "failure. If a unit fails at a limit (a cell at 70–80 % of its rated capacity), cut each history "
                    "at its first reading below it and leave out units that never reached it: a unit recorded past "
                    "the limit teaches the life to the end of its record, not to the limit."]
    prep = HistoryPreprocessor(unit="battery_id", time="cycle").fit(cells)
    assert said[0] in prep.notes_


def test_histories_cut_at_the_limit_or_marked_say_nothing():
    assert health_end_note(_cells([0.60, 0.66, 0.73, 0.70, 0.63], limit=1.3), "battery_id", "cycle") == []
    cells = _cells([0.60, 0.66, 0.77, 0.70, 0.63])
    last = ~cells["battery_id"].duplicated(keep="last")
    marked = cells.assign(status=np.where(last & (cells["battery_id"] != "B0007"), "EOL", "RUNNING"))
    prep = HistoryPreprocessor(unit="battery_id", time="cycle").fit(marked)
    assert not any("falls over the units' lives" in n for n in prep.notes_)
    assert health_end_note(cells.rename(columns={"capacity": "voltage"}), "battery_id", "cycle") == []
