"""Which value of a loan book's outcome column means default, and how the user may name it.

The rule is always reported with the label it picked (``positive_label_rule``): a Statlog 1/2 code, a
name like a default, a name like a repaid loan, a default-like word, else the minority class.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from domain.finance import DecisionRuleError

# The page field that takes what the CLI's --positive does: every message naming the flag names it too.
POSITIVE_FIELD = "'Value(s) meaning default' on the page"
# Label spellings that mean "the bad outcome" (compared trimmed and lower-cased).
# SBA's MIS_Status: CHGOFF and 'P I F' (paid in full).
POSITIVE_NAMES = ("bad", "default", "defaulted", "charged off", "charged-off", "chargedoff", "charge off",
                  "delinquent", "1", "yes", "true", "y", "fraud", "bad loan", "written off", "write-off", "chgoff")
NEGATIVE_NAMES = ("good", "paid", "fully paid", "current", "0", "no", "false", "n", "non-default",
                  "not default", "no default", "good loan", "performing", "repaid", "p i f", "paid in full")


def is_flag(value: object) -> bool:
    """A yes/no value as the reader stores it: a boolean (numpy's too)."""
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def label_text(value: object) -> str:
    """A label as the user reads it: a yes/no column (stored as booleans by the reader) says yes or no."""
    if is_flag(value):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():  # a 0/1 column with a blank was read as 1.0
        return str(int(value))
    return str(value)


# A 0/1 (yes/no) outcome column's name may say which way round it is: "SeriousDlqin2yrs", "not.fully.paid"
# and "default.payment.next.month" name the default; "Creditability" and "good_loan" name the good outcome.
# Spanish, French, Portuguese and German names too (accents dropped): impago, impagado, incumplimiento, moroso,
# défaut, impayé, inadimplente, Ausfall, Zahlungsausfall; pagado, remboursé, adimplente, getilgt, zurückgezahlt.
DEFAULT_NAME_PARTS = ("default", "dlq", "delinq", "bad", "charg", "writeoff", "writtenoff", "fraud", "arrear",
                      "unpaid", "overdue", "pastdue", "impag", "incumpl", "moros", "defaut", "impaye", "inadimpl",
                      "bankrupt", "insolv",  # Taiwan's 'Bankrupt?'; 'insolvent' before GOOD's 'solvent'
                      "ausfall", "ausgefall", "notleid", "uneinbring")
GOOD_NAME_PARTS = ("good", "paid", "creditworth", "creditab", "approv", "perform", "solvent", "pagad", "rembours",
                   "adimpl", "getilgt", "zuruckgezahlt", "zurueckgezahlt")
# Yes/no in English, Spanish (sí/no, S/N), French (oui/non), Portuguese (sim/não) and German (ja/nein).
TRUE_FLAGS = ("1", "yes", "true", "y", "t", "si", "s", "oui", "sim", "ja")
FALSE_FLAGS = ("0", "no", "false", "n", "f", "non", "nao", "nein")


def column_meaning(column: str | None) -> str | None:
    """"default" when the outcome column's name says 1 (yes) is a default, "good" when it says 1 is a good
    loan, None when the name does not say."""
    if not column:
        return None
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", _plain(str(column))).lower())
    joined = "".join(words)
    negated = any(w in ("not", "no", "non", "never", "nicht", "kein")  # no_default, nicht_getilgt
                  or w.startswith("non") for w in words)
    if any(part in joined for part in DEFAULT_NAME_PARTS):
        return "good" if negated else "default"
    if any(part in joined for part in GOOD_NAME_PARTS):
        return "default" if negated else "good"
    return None


def infer_positive_label(counts: dict[object, int], column: str | None = None) -> tuple[object, str]:
    """Which of two label values means default, and why (the rule is shown to the user, never silent)."""
    if len(counts) != 2:
        raise DecisionRuleError("Exactly two label values are needed.")
    values = list(counts)
    normal = {value: _normal(value) for value in values}
    if set(normal.values()) == {"1", "2"}:
        two = next(v for v in values if normal[v] == "2")
        return two, "labels 1/2: Statlog convention, 2 = bad"
    flags = _flag_pair(values, normal)
    if flags is not None:
        return _flag_default(flags, counts, column)
    named = [v for v in values if normal[v] in POSITIVE_NAMES]
    if len(named) == 1:
        return named[0], f"label {label_text(named[0])} is named like a default"
    unnamed = [v for v in values if normal[v] in NEGATIVE_NAMES]
    if len(unnamed) == 1:
        other = next(v for v in values if v != unnamed[0])
        return other, (f"label {label_text(unnamed[0])} is named like a repaid loan, so {label_text(other)} "
                       "is the default")
    worded = [v for v in values if _has_positive_word(normal[v])]
    if len(worded) == 1:
        return worded[0], f"label {label_text(worded[0])} contains a default-like word"
    minority = min(values, key=lambda v: (counts[v], str(v)))
    return minority, f"no label is named like a default: the minority class {label_text(minority)} is taken as default"


FEW_LOANS = 200  # fewer loans with a known outcome make every figure a rough guess
NEAR_EVEN = 0.4  # a default label picked as the smaller class, on at least this share of loans, is a coin toss


def chosen_by_share(rule: str) -> bool:
    """Whether ``infer_positive_label`` took the default as the smaller class (nothing named it)."""
    return "minority" in rule


def outcome_warnings(defaults: int, rows: int, label: object, column: str, given: bool,
                     other: object = None, rule: str = "") -> list[str]:
    """What is odd about the outcome as read: defaults on most loans, a --positive the column's name
    contradicts, a default taken as the smaller of two nearly even classes (``other``: the label read as
    repaid; ``rule``: why ``label`` was taken), or few loans to learn from."""
    warnings = []
    meaning, shown = column_meaning(column), label_text(label)
    if not given and chosen_by_share(rule) and NEAR_EVEN * rows <= defaults <= rows / 2:
        # UCI's crx.data (+ / -) and Statlog Australian (1 / 0) mark the approved applications as + and 1 (44 %)
        warnings.append(f"{column!r} = {shown} is read as the default only because it is the smaller class, and the "
                        f"two are nearly even ({100 * defaults / rows:.0f} % against {100 - 100 * defaults / rows:.0f} "
                        f"%): nothing in the file says which value is the bad outcome. If it is {label_text(other)} "
                        f"(a declined or bad application), give --positive {label_text(other)} ({POSITIVE_FIELD}).")
    if given and meaning == "good" and _normal(label) in TRUE_FLAGS:
        warnings.append(f"--positive {shown} counts {column!r} = {shown} as a default, but the column's name says "
                        f"{shown} is the good outcome. Check --positive ({POSITIVE_FIELD}).")
    elif given and meaning == "default" and _normal(label) in FALSE_FLAGS:  # 'defaulted' = N read as the default
        warnings.append(f"--positive {shown} counts {column!r} = {shown} as a default, but the column's name says "
                        f"{shown} is no default. Check --positive ({POSITIVE_FIELD}).")
    elif defaults * 2 > rows:
        warnings.append(f"{defaults:,} of {rows:,} loans ({100 * defaults / rows:.0f} %) are read as defaults "
                        f"({column!r} = {shown}); defaults are usually the minority of a loan book. Check which "
                        f"value means default (--positive; {POSITIVE_FIELD}).")
    if rows < FEW_LOANS:
        warnings.append(f"Only {rows:,} loans with a known outcome: every figure is a rough guess, and the cut-off "
                        "and grades may move a lot with more data.")
    if other is not None and is_decision(column, label, other):
        warnings.append(f"{column!r} looks like the lender's decision on the application ({shown} / "
                        f"{label_text(other)}), not how the loan ended: a model trained on it learns past approvals, "
                        f"not default risk, and here {column!r} = {shown} counts as a default. Train on a repaid-or-"
                        "defaulted outcome if the book has one.")
    return warnings


# An outcome that records the decision on the application rather than the loan's result: Kaggle's Loan Prediction
# file ('Loan_Status' Y/N: approved or not), 'loan_approved', 'application_decision', Approved / Rejected.
DECISION_NAME_PARTS = ("approv", "accept", "reject", "declin", "decision", "sanction", "granted", "refus")
DECISION_LABELS = ("approved", "accepted", "rejected", "declined", "denied", "refused", "sanctioned")
OUTCOME_NAME_PARTS = ("good", "paid", "perform", "solvent", "repay", "pagad", "rembours", "adimpl")
WORD_FLAGS = tuple(f for f in (*TRUE_FLAGS, *FALSE_FLAGS, "true", "false") if not f.isdigit())


def is_decision(column: str, label: object, other: object) -> bool:
    """Whether the outcome column reads as the lender's decision: named like one, holding approved/rejected, or a
    status written yes/no (a loan's status is a word such as Fully Paid; 0/1, as credit_risk_dataset's
    loan_status, stays a default flag)."""
    joined = re.sub(r"[^a-z]", "", _plain(str(column)).lower())
    if any(part in joined for part in (*DEFAULT_NAME_PARTS, *OUTCOME_NAME_PARTS)):
        return False  # 'default_status' yes/no, 'paid_back' Y/N: how the loan ended
    normals = {_normal(label), _normal(other)}
    if any(part in joined for part in DECISION_NAME_PARTS) or normals & set(DECISION_LABELS):
        return True
    return "status" in joined and normals <= set(WORD_FLAGS)


def _flag_pair(values: list, normal: dict) -> tuple[object, object] | None:
    """(true, false) when the two labels are a flag pair such as 1/0, yes/no or Y/N."""
    true = [v for v in values if normal[v] in TRUE_FLAGS]
    false = [v for v in values if normal[v] in FALSE_FLAGS]
    if len(true) == 1 and len(false) == 1:
        return true[0], false[0]
    return None


def _flag_default(flags: tuple[object, object], counts: dict[object, int], column: str | None) -> tuple[object, str]:
    """For a flag outcome the column's name decides; a name that does not say leaves 1 (yes) as default
    unless most loans carry it, since defaults are the minority in a loan book."""
    true, false = flags
    said, shown = column_meaning(column), label_text(true)
    if said == "good":
        return false, f"column {column!r} names the good outcome, so {label_text(false)} is the default"
    if said == "default":
        return true, f"column {column!r} names the default, so {shown} is the default"
    total = sum(counts.values())
    exact = 100 * counts[true] / total
    share = f"{exact:.2g}" if exact < 1 else round(exact)  # "0.2 %" for a rare-fraud book, not "0 %"
    if counts[true] * 2 > total:
        return false, (f"label {shown} is on most loans ({share} %) and the column's name does not say it is the "
                       f"default, so the minority {label_text(false)} is taken as default (give --positive {shown} "
                       f"({POSITIVE_FIELD}) if it is not)")
    where = f"column {column!r}" if column else "the column's name"
    return true, (f"{where} does not say which way round it is; {shown} is the minority ({share} %), so it is "
                  "taken as the default")


def _has_positive_word(text: str) -> bool:
    words = text.replace("-", " ").replace("_", " ").split()
    negated = any(w in ("no", "not", "non", "never") for w in words)
    return not negated and any(w in ("bad", "default", "defaulted", "delinquent", "fraud", "charged") for w in words)


BYTES_TEXT = re.compile(r"""^b(['"])(.*)\1$""")  # b'1': a bytes label written out as Python shows it


def _normal(value: object) -> str:
    """A label compared trimmed and lower-cased; 1.0 as 1, and b'1' (the Polish bankruptcy ARFF files read with
    scipy and written to CSV) as 1."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _plain(str(value)).strip()
    written = BYTES_TEXT.match(text)
    return (written.group(2) if written else text).strip().lower()


def _plain(text: str) -> str:
    """Without accents: 'Sí' → 'Si', 'não' → 'nao', 'défaut' → 'defaut'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


# How a yes/no column may be spelled in the file; it arrives as True/False once read.
TRUTHY_WORDS = frozenset({"true", "yes", "y", "t"})
FALSY_WORDS = frozenset({"false", "no", "n", "f"})


def match_label(wanted: str, values: Iterable[object]) -> object | None:
    """The label value the user meant by ``wanted`` (trimmed, case-insensitive, 1 == 1.0, and Y/N,
    yes/no for a column the file wrote as yes/no and the reader turned into True/False)."""
    target = _normal(wanted)
    values = list(values)
    for value in values:
        if _normal(value) == target:
            return value
    truth = "true" if target in TRUTHY_WORDS else "false" if target in FALSY_WORDS else None
    for value in values:
        if truth is not None and _normal(value) == truth:
            return value
    return None
