"""The finance desk's notes as the page shows them: a note names the CLI flag and the page's control side by side
("leave it out (--exclude COLUMN; 'Columns to leave out' on the page)"); on the page the flag is noise, so only
the control is named. The CLI and the report keep the notes as written. Also the run header's plain words."""
from __future__ import annotations

import math
import re

# "(--exclude COLUMN; 'Columns to leave out' on the page)", "(--keep; …)", "(--id loan_id; 'Applicant id column' …)"
_BRACKETED = re.compile(r"\(--[\w-]+(?: [^;()']+)?; ('[^']+') on the page\)")
# "keep it with --keep loan_status ('Columns to keep' on the page)", "with --positive ('Value(s) meaning default' …)"
_WITH_FLAG = re.compile(r"--[\w-]+(?: [^(']+?)? \(('[^']+') on the page\)")
CALIBRATIONS = {"platt": "Platt scaling", "isotonic": "isotonic regression", "none": "none (raw scores)"}


def for_page(line: str) -> str:
    """A note with its CLI flags replaced by the page control named beside them."""
    line = _BRACKETED.sub(lambda m: f"({m.group(1)} on this page)", line)
    return _WITH_FLAG.sub(lambda m: f"{m.group(1)} on this page", line)


def calibration_name(method: object) -> str:
    """'platt' as 'Platt scaling'; an unknown method as written."""
    return CALIBRATIONS.get(str(method), str(method))


def what_if_sentence(score: float, pd_value: float) -> str:
    """The what-if's link from the model's raw score to the calibrated PD, in an analyst's words."""
    raw = 1 / (1 + math.exp(-min(max(score, -700.0), 700.0)))
    return (f"Raw model score {raw:.1%} (log-odds {score:.3f}, before calibration), calibrated to a PD of "
            f"{pd_value:.1%} by the calibration fitted on out-of-fold predictions.")
