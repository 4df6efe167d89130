"""Finance desk: the fairness check. Approval and observed default rates per group of a sensitive column,
at the run's cut-off, on the out-of-fold decisions of the training rows (each row scored by a model that
did not see it). The grouping and the four-fifths flag are rules in ``domain.fairness``."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain import fairness as rules
from domain import loan_columns
from domain.data_dictionary import Glossary
from ml.numbers import to_numeric
from services import datasets, runs
from services.errors import UserFacingError
from services.finance_prepare import MissingColumnsError, record_keys
from services.finance_scoring import finance_run
from services.results import RunInfo
from services.runtime import Runtime


MIN_GROUP = rules.MIN_FLAGGED  # smaller groups get no approval ratio: too few to read
ratio_text = rules.ratio_text  # for the page: 0.798 reads 0.79, as the warning's "under 0.80" says


@dataclass(frozen=True)
class FairnessResult:
    frame: pd.DataFrame   # group, applicants, approval_rate, default_rate, default_rate_approved, approval_ratio
    notes: tuple[str, ...]     # how the groups were formed
    warnings: tuple[str, ...] = ()  # groups approved at under four fifths of the most approved one's rate


def fairness(runtime: Runtime, run_id: int, column: str) -> FairnessResult:
    """Rates per group of a column of the training data (numbers such as age in bands), with notes: how the
    groups were formed and which groups are approved at under four fifths of the most approved one's rate."""
    run = finance_run(runtime, run_id)
    known, oof = _decisions(runtime, run)
    if column not in known.columns:
        raise MissingColumnsError(f"Column {column!r} is not in the training data.")
    return _rates(known, oof, column, Glossary.from_dict(run.parameters.get("glossary")))


def batch_fairness(runtime: Runtime, run_id: int, applicants: pd.DataFrame, decisions: list[str],
                   column: str) -> FairnessResult:
    """Approval rates per group of a scored batch (``decisions``: the batch's, row for row): whether new
    applicants of some group are declined more. Their outcomes are not known yet, so no default rates."""
    run = finance_run(runtime, run_id)
    if column not in applicants.columns:
        raise MissingColumnsError(f"Column {column!r} is not in the scored file.")
    if len(decisions) != len(applicants):
        raise UserFacingError("The decisions do not match the scored file row for row.")
    decided = pd.DataFrame({"decision": list(decisions), "default": False})
    trained = datasets.load_pandas(runtime, run.dataset_id)  # numbers are banded as in the training data
    reference = trained[column].tolist() if column in trained.columns else None
    return _rates(applicants.reset_index(drop=True), decided, column,
                  Glossary.from_dict(run.parameters.get("glossary")), outcomes=False, reference=reference)


def suggested_checks(runtime: Runtime, run: RunInfo, limit: int = 3) -> list[tuple[str, FairnessResult]]:
    """The check on the first ``limit`` columns named like a protected ground or like age (for the report)."""
    return report_checks(runtime, run, limit)[0]


def report_checks(runtime: Runtime, run: RunInfo,
                  limit: int = 3) -> tuple[list[tuple[str, FairnessResult]], list[tuple[str, FairnessResult]]]:
    """For the report: the check on the first ``limit`` columns named like a protected ground or like age, and
    on every model input the training warned about as an area proxy (SBA's State, City, Zip, BankState), the
    coarsest place first. The training rows are read once for both."""
    known, oof = _decisions(runtime, run)
    columns = [c for c in known.columns if c != run.parameters["target"]]
    glossary = Glossary.from_dict(run.parameters.get("glossary"))
    protected = suggested_columns(columns, run.parameters.get("glossary"))[:limit]
    return ([(c, _rates(known, oof, c, glossary)) for c in protected],
            [(c, _rates(known, oof, c, glossary)) for c in area_proxies(columns, run.parameters)])


def _decisions(runtime: Runtime, run: RunInfo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The training rows with a known outcome, and their stored out-of-fold decisions, row for row."""
    frame = datasets.load_pandas(runtime, run.dataset_id)
    known = frame[frame[run.parameters["target"]].notna()]
    oof = _oof_decisions(runtime, run)
    # Matched by key, not by position: loans still running (Current, Late) were left out of training.
    rows = {key: row for row, key in reversed(list(enumerate(record_keys(known, run.parameters.get("id_column")))))}
    found = [rows.get(str(key)) for key in oof["record_key"]]
    if any(row is None for row in found):
        raise UserFacingError("The stored out-of-fold predictions do not match the training data.")
    return known.iloc[found].reset_index(drop=True), oof.drop(columns="record_key")


_OOF_CACHE: dict[tuple, pd.DataFrame] = {}
OOF_CACHE_RUNS = 4  # the page redraws the fairness tab on every click: a large run's rows are read once


def _oof_decisions(runtime: Runtime, run: RunInfo) -> pd.DataFrame:
    """A run's stored out-of-fold decisions and outcomes. A run never changes once stored, so the last few
    are kept in memory (keyed by database, run and its creation time, in case an id is reused)."""
    key = (runtime.engine.url.render_as_string(hide_password=True), run.id, run.created_at)
    if key not in _OOF_CACHE:
        while len(_OOF_CACHE) >= OOF_CACHE_RUNS:
            _OOF_CACHE.pop(next(iter(_OOF_CACHE)))
        _OOF_CACHE[key] = runs.predictions_frame(runtime, run.id, kind="oof")[["record_key", "decision", "default"]]
    return _OOF_CACHE[key]


def _rates(known: pd.DataFrame, oof: pd.DataFrame, column: str, glossary: Glossary | None = None,
           outcomes: bool = True, reference: list | None = None) -> FairnessResult:
    values, name = known[column].tolist(), glossary.column(column) if glossary else None
    areas = None
    if loan_columns.is_area_proxy(column):  # a Zip of 19159 is a place, not a number to band: '19159', not '19,159'
        values, reference = [_code(v) for v in values], None
        values, areas = _post_code_areas(values, column)
    if loan_columns.is_birth_days(column) and _as_ages(known[column]) is not None:
        values, name = _as_ages(known[column]), "age in years"  # DAYS_BIRTH -12,339: 33 years old, banded
        reference = _as_ages(pd.Series(reference)) if reference is not None else None
    groups, order, how = rules.sensitive_groups(values, column, reference=reference, name=name)
    if glossary:  # coded groups read with their meaning: "A92 (female : divorced/separated/married)"
        named = {g: f"{g} ({glossary.value(column, g)})" if glossary.value(column, g) else g for g in order}
        groups, order = [named[g] for g in groups], [named[g] for g in order]
    rows = rules.group_rates(groups, order, oof["decision"].tolist(), oof["default"].astype(bool).tolist())
    warnings = []
    flagged = rules.flagged_groups(rows)
    if flagged:
        named = "; ".join(f"{r['group']} ({r['approval_rate']:.1%} approved, ratio "
                          f"{rules.ratio_text(r['approval_ratio'])})" for r in flagged)
        check = ("see whether the observed default rates justify the gap." if outcomes else "compare with the "
                 "training data's check on the Fairness tab, as these applicants' outcomes are not known yet.")
        warnings.append(f"Approved at under four fifths of the most approved group's rate: {named}. A common "
                        f"first flag for adverse impact: {check}")
    notes = tuple(n for n in (areas, how) if n)
    if rows and all(r["applicants"] < MIN_GROUP for r in rows):  # then every group gets a ratio: say how little
        notes += (f"No group has {MIN_GROUP} applicants or more, so the approval ratios compare small groups: "
                  "read them as a rough sign, not a finding.",)
    frame = pd.DataFrame(rows)
    if not outcomes:
        frame = frame.drop(columns=["default_rate", "default_rate_approved"])
    return FairnessResult(frame, notes, tuple(warnings))


def _code(value: object) -> object:
    """A place's code as text, so that it is grouped by value: 19159 and 19159.0 (a column with blanks) read '19159'."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _post_code_areas(values: list, column: str) -> tuple[list, str | None]:
    """Post codes of more than 20 values, at least 90 % of them five-digit codes (US ZIPs, '190xx' masks), grouped by
    their first three digits ('191xx'), with a note; other values are left as they are."""
    codes = [v for v in values if v is not None]
    if not loan_columns.is_post_code(column) or len(set(codes)) <= rules.MAX_CATEGORIES:
        return values, None
    areas = {code: loan_columns.post_code_area(code) for code in set(codes)}
    if sum(areas[c] is not None for c in codes) < 0.9 * len(codes):
        return values, None
    grouped = [None if v is None else areas[v] or v for v in values]
    found = len({a for a in areas.values() if a})
    example = next((c for c in sorted(areas) if areas[c] not in (None, c)), None)
    if example is None:  # already masked to three digits ('190xx'): nothing was grouped
        return grouped, None
    return grouped, (f"{column} holds {len(set(codes)):,} different codes, grouped by their first three digits "
                     f"into {found:,} areas ({example} is in {areas[example]}).")


def _as_ages(days: pd.Series) -> list | None:
    """Completed years of age from days before the application (negative), or None when they are not that."""
    numbers = to_numeric(days, errors="coerce")
    if numbers.notna().sum() == 0 or float((numbers.dropna() < 0).mean()) < 0.9:
        return None
    return [None if pd.isna(v) or v >= 0 else int(-v // 365.25) for v in numbers]


def suggested_columns(columns: list[str], glossary: dict | None = None) -> list[str]:
    """Columns named like a protected ground, then those named like age (by their own name or, with a data
    dictionary as kept with the run, by its name for them), for the fairness check's first choice."""
    named = Glossary.from_dict(glossary)
    names = {c: [n for n in (c, named.column(c)) if n] for c in columns}
    protected = [c for c in columns if any(loan_columns.is_protected(n) for n in names[c])]
    # A ground lending may not rest on (sex, marital status) comes before age, which many rules restrict rather
    # than forbid: Bondora's Age stands before its Gender, and the check had opened on age bands.
    return protected + [c for c in columns if c not in protected and any(
        loan_columns.is_age(n) or loan_columns.is_birth_days(n) for n in names[c])]


def area_proxies(columns: list[str], parameters: dict) -> list[str]:
    """Model inputs saying where the applicant (or their bank) is, which the training warns about as possible
    proxies for race or national origin, coarsest place first (``loan_columns.area_level``: State before City,
    Zip and BankState), else in column order; one also named like a protected ground is left to those."""
    suggested = set(suggested_columns(columns, parameters.get("glossary")))
    used = set(parameters.get("features") or ())
    areas = [c for c in columns if c in used and c not in suggested and loan_columns.is_area_proxy(c)]
    return sorted(areas, key=loan_columns.area_level)


def first_sensitive(columns: list[str], parameters: dict) -> str | None:
    """The column the fairness check starts on: one named like a protected ground or like age, else a model
    input saying where the applicant lives (warned as a possible proxy for race or origin; the coarsest, as its
    groups are largest: SBA's State, not City), else the first categorical model input; never a number (a loan
    amount's bands had opened the check and read as "adverse impact" on small loans) nor a loan number left out
    as an id (SBA's LoanNr_ChkDgt had opened the check). None when no column qualifies: the page asks for one."""
    suggested = suggested_columns(columns, parameters.get("glossary"))
    kinds = parameters.get("feature_kinds") or {}
    categorical = [c for c in columns if kinds.get(c) == "categorical"]
    return next(iter([*suggested, *area_proxies(columns, parameters), *categorical]), None)


def is_protected_pick(column: str | None, parameters: dict) -> bool:
    """Whether the starting column is named like a protected ground or like age (else the page says it is only a
    grouping to start from)."""
    return column is not None and column in suggested_columns([column], parameters.get("glossary"))
