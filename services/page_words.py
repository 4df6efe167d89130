"""Notes as a page shows them: a note names the CLI flag and the page's control side by side ("leave it out
(--exclude COLUMN; 'Columns to leave out' on the page)"); on the page the flag is noise, so only the control is
named. The CLI and the reports keep the notes as written. Every desk's page reads its notes through ``for_page``."""
from __future__ import annotations

import re

# "(--exclude COLUMN; 'Columns to leave out' on the page)", "(--keep; …)", "(--id loan_id; 'Applicant id column' …)"
_BRACKETED = re.compile(r"\(--[\w-]+(?: [^;()']+)?; ('[^']+') on the page\)")
# "keep it with --keep loan_status ('Columns to keep' on the page)", "with --positive ('Value(s) meaning default' …)"
_WITH_FLAG = re.compile(r"--[\w-]+(?: [^(']+?)? \(('[^']+') on the page\)")
# "train with --id (the machine's id; 'Id column' on the page)": the words kept, the flag dropped
_FLAG_SAID = re.compile(r"--[\w-]+ \(([^;()]+); ('[^']+') on the page\)")


# "--positive '2' is not a value of 'credit_risk' …": the value the control was given, without the flag
_LEADING_FLAG = re.compile(r"^--[\w-]+ (?=['\"])")


def for_page(line: str) -> str:
    """A note with its CLI flags replaced by the page control named beside them."""
    if "on the page" in line:  # the control is named further on
        line = _LEADING_FLAG.sub("", line)
    line = _BRACKETED.sub(lambda m: f"({m.group(1)} on this page)", line)
    line = _FLAG_SAID.sub(lambda m: f"{m.group(1)} ({m.group(2)} on this page)", line)
    return _WITH_FLAG.sub(lambda m: f"{m.group(1)} on this page", line)
