"""The loan's size per unit of its term: the instalment an underwriter reads next to the amount and the term.

Pure rules on column names and values. A book with a loan amount and a term (German credit's credit_amount and
duration_months, Loan Prediction's LoanAmount and Loan_Amount_Term) gets their ratio as one more model input:
trees need many splits to draw a ratio and a logistic model cannot draw one at all. Books that carry the
instalment itself (Lending Club's installment, Home Credit's AMT_ANNUITY) already have it and get nothing.
Explanations give the ratio's effect back to the two columns, half each.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

AMOUNT_WORDS = frozenset({"amount", "amt", "amnt", "principal", "hoehe", "betrag", "kreditbetrag", "monto",
                          "importe", "montant"})
# Every word of an amount's name is one of these (AMT_REQ_CREDIT_BUREAU_YEAR, funded_amnt_inv, total_pymnt_amount
# and annuity_amount are not the loan's size).
AMOUNT_NAME = AMOUNT_WORDS | {"loan", "credit", "funded", "requested", "original", "orig", "disbursed", "gross",
                              "approved", "of", "the", "prestamo", "kredit", "pret"}
TERM_WORDS = frozenset({"term", "duration", "tenor", "laufzeit", "plazo", "prazo", "duree"})
TERM_NAME = TERM_WORDS | {"loan", "credit", "amount", "in", "of", "months", "month", "mths", "mos", "monate",
                          "meses", "mois", "length", "the"}
# An instalment written as money, every word of its name one of these (not installment_rate_pct, a share of
# income, nor other_installment_plans, a category).
INSTALMENT_WORDS = frozenset({"installment", "instalment", "annuity", "emi"})
INSTALMENT_NAME = INSTALMENT_WORDS | {"amt", "amount", "amnt", "monthly", "payment", "pmt", "loan", "credit", "of",
                                      "the", "est", "estimated", "due"}
POSITIVE_SHARE = 0.95  # of the present values: a term or amount of 0 or below is a code, not a loan


def words(column: str) -> list[str]:
    """'LoanAmount' → ['loan', 'amount'], 'AMT_CREDIT' → ['amt', 'credit'], 'Duration in month' → [...]."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", str(column)) if not unicodedata.combining(ch))
    split = re.sub(r"([a-z])([A-Z])", r"\1 \2", plain)
    return [w for w in re.split(r"[^a-z0-9]+", split.lower()) if w]


def is_amount(column: str) -> bool:
    found = set(words(column))
    return column.strip().lower() == "loan" or (bool(found & AMOUNT_WORDS) and found <= AMOUNT_NAME)


def is_term(column: str) -> bool:
    found = set(words(column))
    return bool(found & TERM_WORDS) and found <= TERM_NAME


def is_instalment(column: str) -> bool:
    """'installment', 'MonthlyLoanPayment', 'AMT_ANNUITY', 'EMI': money paid per period."""
    found = set(words(column))
    return bool(found & INSTALMENT_WORDS or {"monthly", "payment"} <= found) and found <= INSTALMENT_NAME


def ratio_pair(numeric: Sequence[str], columns: Iterable[str]) -> tuple[str, str] | None:
    """(amount, term) among the numeric columns, or None. Names with 'loan' or 'credit' are preferred for the
    amount (loan_amnt before funded_amnt); none when any column already holds the instalment."""
    if any(is_instalment(str(c)) for c in columns):
        return None
    amounts = sorted((c for c in numeric if is_amount(c)),
                     key=lambda c: not {"loan", "credit"} & set(words(c)))
    terms = [c for c in numeric if is_term(c) and c not in amounts]
    return (amounts[0], terms[0]) if amounts and terms else None


def usable_values(amounts: Sequence[float], terms: Sequence[float]) -> bool:
    """Both mostly above zero where given (a term of 0 or -1 is a code), with at least two terms."""
    def positive(values: Sequence[float]) -> bool:
        present = [v for v in values if v == v]
        return bool(present) and sum(v > 0 for v in present) >= POSITIVE_SHARE * len(present)
    return positive(amounts) and positive(terms) and len({v for v in terms if v == v}) >= 2


def ratio_name(amount: str, term: str, taken: Iterable[str]) -> str:
    name, taken = f"{amount} per {term}", set(taken)
    while name in taken:
        name += "_"
    return name


def ratio_note(name: str, amount: str, term: str) -> str:
    return (f"The model also reads {name!r} ({amount} ÷ {term}, the loan's size per unit of its term, as an "
            f"instalment is); reasons and SHAP charts give its effect to {amount!r} and {term!r}, half each.")


def monotone_note(amount: str, term: str) -> str:
    return (f"The model does not read {amount!r} ÷ {term!r} (the loan's size per unit of its term): a monotone "
            f"constraint holds {amount!r} or {term!r}, and the ratio, which moves with both, would let the PD move "
            "against it.")
