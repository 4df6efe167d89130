"""A loan-status column with more than two values (Lending Club's "Fully Paid", "Charged Off", "Current",
"Late (31-120 days)" …) read as default, repaid, or still running.

A running loan's outcome is not known yet: counting it as repaid would teach the model that young loans
are safe, so such rows are left out of training. Every grouping is said in a note, never silent.
"""
from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass, field

from domain.finance import DecisionRuleError
from domain.loan_labels import POSITIVE_FIELD, label_text, match_label

DEFAULT = "default"
REPAID = "repaid"
RUNNING = "running"

DEFAULT_PHRASES = ("charged off", "charge off", "chargedoff", "written off", "write off", "writeoff",
                   "wrote off")
# Spanish, French, Portuguese and German statuses too, read without accents (Impago, Castigado, Défaut, Ausgefallen;
# Pagado, Cancelado, Remboursé, Zurückgezahlt; Vigente, En mora, Al día, En cours, Laufend).
DEFAULT_WORDS = ("default", "defaulted", "bad", "delinquent", "fraud", "foreclosed", "repossessed", "impago",
                 "impagado", "castigado", "incobrable", "moroso", "defaut", "impaye", "inadimplente", "ausgefallen",
                 "ausfall", "zahlungsausfall", "abgeschrieben", "uneinbringlich", "notleidend")
REPAID_PHRASES = ("fully paid", "paid off", "paid in full", "repaid", "prepaid")
REPAID_WORDS = ("paid", "good", "closed", "matured", "completed", "performing", "pagado", "cancelado", "liquidado",
                "saldado", "rembourse", "solde", "quitado", "zuruckgezahlt", "zurueckgezahlt", "getilgt", "bezahlt",
                "abbezahlt")
RUNNING_WORDS = ("current", "issued", "grace", "late", "open", "active", "ongoing", "running", "past", "overdue",
                 "arrears", "finalpaymentinprogress",  # Prosper's "Past Due (>120 days)", "FinalPaymentInProgress"
                 "vigente", "activo", "atrasado", "laufend", "aktiv", "offen")
RUNNING_PHRASES = ("in progress", "past due", "al dia", "en mora", "en curso", "en cours", "em dia", "em atraso",
                   "im verzug", "in verzug")
DEFAULT_DAYS_LATE = 90
# An outcome written as not known (yet): such a row is left out like a running loan, never read as repaid.
# Compared whole, after the last colon, without case, accents or punctuation ("N/A", "Status: Unknown").
UNKNOWN_OUTCOMES = frozenset({"unknown", "unk", "n a", "na", "pending", "tbd", "to be determined", "undetermined",
                              "not known", "not known yet", "unknown yet", "not yet known", "desconocido",
                              "pendiente", "inconnu", "en attente", "desconhecido", "pendente", "unbekannt"})


def outcome_kind(value: object) -> str | None:
    """default, repaid or running for a loan status, None when its words do not say. Only the part after
    the last colon is read ("Does not meet the credit policy. Status:Charged Off" is a charge-off)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", str(value)) if not unicodedata.combining(ch))
    text = re.sub(r"[-_]+", " ", plain.strip().lower().rsplit(":", 1)[-1]).strip()  # Charged-Off, write_off
    words = re.findall(r"[a-z]+", text)
    if not words:
        return None
    negated = any(w in ("no", "not", "non", "never", "nicht", "kein", "keine") for w in words)
    default = any(p in text for p in DEFAULT_PHRASES) or any(w in DEFAULT_WORDS for w in words)
    repaid = any(p in text for p in REPAID_PHRASES) or any(w in REPAID_WORDS for w in words)
    if negated:  # "non-default" was repaid, "Not Paid" and "Non-performing" were not
        return REPAID if default and not repaid else DEFAULT if repaid and not default else None
    if default:
        return DEFAULT
    if words[0] in RUNNING_WORDS or "grace" in words or any(p in text for p in RUNNING_PHRASES):
        days = [int(n) for n in re.findall(r"\d+", text)]
        # 90 days or more past due is a default (the Basel definition): "Late 90+", "Past Due (>120 days)";
        # "Late (31-120 days)" may still be cured and runs on.
        return DEFAULT if days and min(days) >= DEFAULT_DAYS_LATE and len(days) <= 2 else RUNNING
    return REPAID if repaid else None


def is_unknown_outcome(value: object) -> bool:
    """Whether an outcome value says the outcome is not known ("unknown", "unk", "pending", "n/a", "?")."""
    if value is None or isinstance(value, (bool, int, float)) or type(value).__name__ == "bool_":
        return False
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", str(value)) if not unicodedata.combining(ch))
    text = plain.strip().lower().rsplit(":", 1)[-1]
    if text.strip() and not re.sub(r"[?\s]+", "", text):  # "?", "??"
        return True
    return " ".join(re.findall(r"[a-z]+", text)) in UNKNOWN_OUTCOMES


def unknown_outcomes(counts: dict[object, int], column: str, positive: str | None = None) -> tuple[list, str]:
    """The values of an outcome column saying the outcome is not known yet, and the note that leaves their
    rows out (empty when none). A value ``positive`` names is a default, whatever it reads like."""
    named = set()
    if positive is not None and str(positive).strip():
        named = {match_label(part, counts) for part in [str(positive), *str(positive).split(",")] if part.strip()}
    unknown = [v for v in counts if v not in named and is_unknown_outcome(v)]
    if not unknown:
        return [], ""
    shown = ", ".join(f"{label_text(v)} ({counts[v]:,})" for v in unknown)
    return unknown, (f"{sum(counts[v] for v in unknown):,} loans whose outcome is not known in {column!r} ({shown}) "
                     "were left out, as running loans are: counting them as no default would teach the model "
                     "from outcomes nobody has seen.")


@dataclass
class OutcomeGroups:
    defaults: list[object]
    repaid: list[object]
    running: list[object] = field(default_factory=list)
    rule: str = ""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # values that read like defaults counted as repaid


def group_outcomes(counts: dict[object, int], column: str, positive: str | None = None) -> OutcomeGroups:
    """Defaults, repaid and running values of a target with more than two values. ``positive`` (the user's
    default value, or several joined by commas) decides the defaults; else every value must read as a
    default, a repaid or a running loan. Raises DecisionRuleError when that cannot be told."""
    kinds = {value: outcome_kind(value) for value in counts}
    if positive is not None and str(positive).strip():
        defaults = _given(counts, column, str(positive))
        running = [v for v in counts if v not in defaults and kinds[v] == RUNNING]
        repaid = [v for v in counts if v not in defaults and v not in running]
        left_out = f"; running loans ({', '.join(map(label_text, running))}) are left out" if running else ""
        rule = (f"given by the user ({', '.join(label_text(v) for v in defaults)}){left_out}; every other value "
                "counts as no default")
        groups = OutcomeGroups(defaults, repaid, running, rule)
        unread = [v for v in repaid if kinds[v] is None]
        if unread:
            shown = ", ".join(f"{label_text(v)} ({counts[v]:,})" for v in unread)
            groups.notes.append(f"{shown} in {column!r} count as no default: every value --positive does not name "
                                "does.")
        missed = [v for v in repaid if kinds[v] == DEFAULT]
        if missed:
            shown = ", ".join(f"{label_text(v)} ({counts[v]:,})" for v in missed)
            groups.warnings.append(f"{shown} in {column!r} read like a default but count as repaid: --positive named "
                                f"only {', '.join(label_text(v) for v in defaults)}. Name them all, separated by "
                                "commas, to count them as defaults.")
    else:
        unknown = [v for v in counts if kinds[v] is None]
        groups = OutcomeGroups([v for v in counts if kinds[v] == DEFAULT], [v for v in counts if kinds[v] == REPAID],
                               [v for v in counts if kinds[v] == RUNNING])
        if not unknown and not groups.defaults and groups.repaid:
            raise DecisionRuleError(
                f"No ended loan in {column!r} is a default ({', '.join(map(label_text, groups.repaid))} read as repaid"
                + (f"; {', '.join(map(label_text, groups.running))} are still running" if groups.running else "")
                + "): a default model needs defaults too. If a value means default, name it with --positive "
                f"({POSITIVE_FIELD}).{_late_hint(groups.running)}")
        if unknown or not groups.defaults or not groups.repaid:
            listed = ", ".join(f"{label_text(v)} ({n:,})" for v, n in list(counts.items())[:10])
            more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
            raise DecisionRuleError(
                f"Target {column!r} must have exactly two values (default / no default); it has {len(counts)}: "
                f"{listed}{more}.{_unread(unknown, counts, groups.defaults)} Map it to two values first, or give "
                f"the value(s) meaning default with --positive ({POSITIVE_FIELD}); every other value then counts "
                f"as no default.{_days_past_due_hint(column, counts)}")
        left_out = f"; running loans ({', '.join(map(label_text, groups.running))}) are left out" \
            if groups.running else ""
        groups.rule = (f"{', '.join(map(label_text, groups.defaults))} read as default and "
                       f"{', '.join(map(label_text, groups.repaid))} as repaid{left_out}")
    if not groups.repaid:
        raise DecisionRuleError(f"Every ended loan in {column!r} is a default; a default model needs repaid loans too.")
    if groups.running:
        shown = ", ".join(f"{label_text(v)} ({counts[v]:,})" for v in groups.running)
        groups.notes.insert(0, f"{sum(counts[v] for v in groups.running):,} loans still running in {column!r} ({shown}) "
                               "were left out: their outcome is not known yet.")
    return groups


def _unread(unknown: list[object], counts: dict[object, int], defaults: list[object]) -> str:
    """What kept a status column from being read on its own: Prosper's 3 'Cancelled' loans, among 8 statuses
    that all read as default, repaid or running, and the --positive that names its defaults."""
    if not unknown or len(unknown) == len(counts):  # none read: the values listed say it all
        return ""
    shown = ", ".join(f"{label_text(v)} ({counts[v]:,})" for v in unknown[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    verb = "reads" if len(unknown) == 1 else "read"
    text = f" {shown}{more} {verb} as neither a default, a repaid nor a running loan."
    if defaults and not any("," in label_text(v) for v in defaults):
        text += f" The values that read as a default: --positive \"{','.join(map(label_text, defaults))}\"."
    return text


def _given(counts: dict[object, int], column: str, positive: str) -> list[object]:
    whole = match_label(positive, counts)
    if whole is not None:
        return [whole]
    parts = [p.strip() for p in positive.split(",") if p.strip()]
    found = [match_label(p, counts) for p in parts]
    wrong = [p for p, f in zip(parts, found) if f is None]
    if wrong or not found:
        shown = ", ".join(f"{label_text(v)} ({n:,})" for v, n in counts.items())
        raise DecisionRuleError(f"--positive {', '.join(map(repr, wrong or [positive]))} is not a value of "
                                f"{column!r}; its values are {shown}. Give one or more of them with --positive "
                                f"({POSITIVE_FIELD}).")
    return list(dict.fromkeys(found))


LATE_WORDS = ("late", "past", "overdue", "arrears", "atrasado", "mora")


def _late_hint(running: list) -> str:
    """A book whose only bad outcome is a late status (Bondora's Status: Repaid, Current, Late) is told which value
    to name, rather than left to guess that 'Late' was read as a loan still running."""
    late = [label_text(v) for v in running if set(re.findall(r"[a-z]+", str(v).lower())) & set(LATE_WORDS)]
    if not late:
        return ""
    return (f" {', '.join(late)} {'is' if len(late) == 1 else 'are'} read as still running (a late loan may yet be "
            f"cured); if such loans count as defaults in this book, give --positive {','.join(late)}.")



_DAYS_PAST_DUE = re.compile(r"(?i)(^|[^a-z])(dpd|days?_?past_?due|days?_?late|days?_?in_?arrears|days?_?overdue|"
                            r"days?_?delinquent)([^a-z]|$)")
_LISTED_DAYS = 12  # past this many values of 90 days or more, a 0/1 column is easier than a list


def _days_past_due_hint(column: str, counts: dict[object, int]) -> str:
    """A label counted in days past due (max_dpd_next_12m: 0, 30, 90, 180) is told the usual rule, default at 90
    days or more, and how to give it: the refusal had only said to map it to two values."""
    days = sorted(float(v) for v in counts if isinstance(v, numbers.Real) and not isinstance(v, bool))
    if not _DAYS_PAST_DUE.search(re.sub(r"([a-z])([A-Z])", r"\1_\2", column)) or len(days) < len(counts) \
            or min(days, default=-1) < 0:
        return ""
    late = [label_text(int(d) if d.is_integer() else d) for d in days if d >= DEFAULT_DAYS_LATE]
    if not late or len(late) == len(days):
        return ""
    rule = f"--positive {','.join(late)}" if len(late) <= _LISTED_DAYS else (
        f"a 0/1 column that is 1 where {column!r} is {DEFAULT_DAYS_LATE} or more, as --target")
    return (f" {column!r} counts days past due: the usual default is {DEFAULT_DAYS_LATE} days or more (Basel's "
            f"definition); to train on it, give {rule}.")
