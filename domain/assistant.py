"""Pure rules of the assistant: text normalisation, the intent grammar, number formatting and the
invented-number check.

Tool choice must never depend on a small language model, so every decision that picks a tool or a
slot lives here as plain, testable rules; the model only rephrases answers these rules produced.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.assistant_dates import MONTHS

AGGREGATES: dict[str, tuple[str, ...]] = {
    "avg": ("average", "mean", "avg"),
    "median": ("median",),
    "sum": ("total", "sum", "overall", "combined", "altogether", "in all", "how much"),
    "max": ("maximum", "max", "highest", "largest", "biggest", "greatest", "most", "top", "best", "peak",
            "longest", "oldest", "latest", "newest", "deepest", "fastest", "tallest", "heaviest", "priciest", "higher",
            "more", "widest"),
    "min": ("minimum", "min", "lowest", "smallest", "least", "fewest", "bottom", "worst", "shortest",
            "youngest", "earliest", "slowest", "cheapest", "lightest", "lower", "less", "fewer",
            "narrowest", "shallowest"),
}
COUNT_WORDS = ("how many", "number of", "count", "how often", "times")
DISTINCT_WORDS = ("distinct", "different", "unique")
COMPARE_WORDS = ("compare", "versus", " vs ", "difference between", "compared")
GROUP_WORDS = ("per", "by", "for each", "each", "every")
FOLLOW_UP_PREFIXES = ("and ", "what about", "how about", "same for", "and for", "now for", "also for", "for ", "by ",
                      "per ", "broken down by ", "split by ", "of those ", "of them ", "among those ", "among them ")
COMPARATORS: tuple[tuple[str, str], ...] = (
    (r">=|at least|no less than|or more", ">="), (r"<=|at most|no more than|or less|or fewer", "<="),
    (r"older than", ">"), (r"younger than", "<"),
    (r"(?:longer|bigger|heavier|later|taller|wider) than", ">"),
    (r"(?:shorter|lighter|earlier|cheaper|narrower) than", "<"),
    (r">|greater than|more than|higher than|larger than|above|over|exceeds?|exceeding", ">"),
    (r"<|less than|fewer than|lower than|smaller than|below|under", "<"),
    (r"=|equal to|equals|exactly", "="),
)
POSTFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    (r"or more|or above|or higher|or greater|or over|and above|and over|and up|and higher|or later|and later|"
     r"or after|onwards|or newer", ">="),
    (r"or less|or fewer|or below|or lower|or under|and below|and under|and less|and lower|or earlier|"
     r"and earlier|or before|or older", "<="),
)
_NUMBER = r"-?\d+(?:[.,]\d+)*"
DOC_PATTERNS = (r"\bwhat does .+ mean\b", r"\bhow (is|are|do|does) .+ (computed|calculated|defined|work|chosen|set)",
                r"\b(explain|define|definition|meaning)\b", r"\bwhat (is|are) (a |an |the )?[a-z\- ]{2,30}\??$")
CANNOT = "I cannot answer that from the data"
# Time grains a question may group or rank by when the table has a date column ("sales by month").
GRAINS: dict[str, str] = {"year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year",
                          "quarter": "quarter", "quarters": "quarter", "quarterly": "quarter",
                          "month": "month", "months": "month", "monthly": "month",
                          "week": "week", "weeks": "week", "weekly": "week",
                          "day": "day", "days": "day", "daily": "day", "date": "day", "dates": "day",
                          "hour": "hour", "hourly": "hour",  # hour of the day, day of the week: over all dates
                          "weekday": "weekday", "day of week": "weekday", "day of the week": "weekday"}
GRAIN_ADJECTIVES = ("yearly", "annual", "annually", "quarterly", "monthly", "weekly", "daily")
SHARE_WORDS = ("percentage", "percent", "%", "share", "proportion", "fraction", "ratio", "rate")
# Words naming a level rather than an amount: adding unit prices or temperatures over rows means nothing, so
# "which product has the highest price" ranks groups by their highest price, not by a sum of prices.
LEVEL_WORDS = frozenset("price prices prix preis precio preco unitaire rate ratio percent pct percentage age "
                        "temperature temp score rating speed rpm pressure margin average avg mean interest "
                        "probability level index grade humidity voltage torque vibration wear frequency density "
                        "bmi height latitude longitude salary wage discount bounce delay delays duration length "
                        "stay los tenure depth width mass ph acidity alcohol".split())
# "time_in_hospital", "TimeOnSite", "YearsAtCompany": a time spent is a level, where "time" alone (a timestamp) is
# not; an amount per period ("MonthlyIncome", "annual_salary", "HourlyRate") is one too: a role's monthly income
_TIME_SPENT = re.compile(r"\b(?:time|years|months|days|hours) (?:in|on|to|at|with|since|spent)\b|"
                         r"\b(?:monthly|annual|yearly|weekly|daily|hourly)\b")


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: column names and questions compare equal."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    if re.match(r"\s*(what|who|where|how|that|it|there)['’]s\b", text):
        text = re.sub(r"(?<=[a-z])['’]s\b", " is", text, count=1)
    text = re.sub(r"['’](s|t|re|ve|ll|d)\b", " ", text)      # "what's" -> "what is"; "o'brien's" -> "o'brien"
    text = text.replace("%", " percent ")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 12,345 -> 12345
    text = re.sub(r"[^a-z0-9.\-<>=]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_level(column: str) -> bool:
    """A column that holds a level (price, rate, temperature), which is not summed over rows. What is sold or done
    in a period (Walmart's `Weekly_Sales`, `daily_orders`) adds up over stores and weeks, where a monthly income
    does not: "which month had the highest sales" was its highest single store-week."""
    words = normalise(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(column)))  # "DepDelay" -> "dep delay"
    words = re.sub(r"\b\d+(?:\.\d+)? percent\b", " ", words)  # "Tax 5%": a tax at 5 %, an amount
    if (set(words.split()) | {normalise(column)}) & LEVEL_WORDS or words in PRICE_BARS:  # "pH" is no "p h"
        return True
    return bool(_TIME_SPENT.search(words)) and not set(words.split()) & FLOW_WORDS


# Counts and amounts of what happens in a period: summed over rows even when named per period ("Weekly_Sales")
FLOW_WORDS = frozenset("sales sale revenue revenues orders units volume quantity qty visits visitors sessions views "
                       "downloads transactions bookings shipments trips rides rentals cases deaths admissions "
                       "sold".split())


# A price bar's columns (stock prices: Open, High, Low, Close, Adj Close) are prices: "which ticker had the
# highest close" is the average close, not the sum of its closing prices over the days.
PRICE_BARS = frozenset({"open", "high", "low", "close", "adj close", "adjusted close", "closing price", "vwap"})


def stem_phrase(text: str) -> str:
    return " ".join(singular(w) for w in text.split())


def find_phrase(haystack: str, phrase: str) -> int:
    """Index of ``phrase`` in ``haystack`` on word boundaries, or -1."""
    if not phrase:
        return -1
    match = re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", haystack)
    return match.start() if match else -1


def has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(find_phrase(text, w.strip()) >= 0 for w in words)


def aggregate_words(text: str) -> list[tuple[int, str, str]]:
    """(position, function, word) for every aggregate keyword, in question order."""
    found = []
    for func, words in AGGREGATES.items():
        for word in words:
            for match in re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text):
                before, after = text[:match.start()].rstrip(), text[match.end():].lstrip()
                if after.startswith(("than", "or more", "or less")) or before.endswith(("at", "no", "or")) \
                        or re.match(r"(?:latest|most recent) (?:day|week|month|quarter|year)s?\b", f"{word} {after}"):
                    continue  # "more than 20", "at least 3" are conditions, "the latest month" a period
                found.append((match.start(), func, word))
    return sorted(found)


def is_count_question(text: str) -> bool:
    return has_any(text, COUNT_WORDS)


def is_distinct_question(text: str) -> bool:
    return has_any(text, DISTINCT_WORDS)


# Very short questions that can only lean on the previous turn: "in 2015?", "only item 4?", "of those, how
# many failed?", "what percentage is that?".
SHORT_FOLLOW_UP = re.compile(r"^(in|only|just|of those|of them|among those|among them) |\b(that|those|them)$")
RANK_WORDS = {"best": "highest", "worst": "lowest", "biggest": "highest", "smallest": "lowest"}


def is_follow_up(text: str) -> bool:
    """Short questions that lean on the previous turn: "and for store 3?", "what about 2016?"."""
    text = normalise(text)
    if re.match(r"(?:of|among) (?:those|these|them)\b", text):
        return True  # "of those, how many are in the Central region?": never a question on its own, at any length
    return ((len(text.split()) <= 8 and text.startswith(FOLLOW_UP_PREFIXES)) or is_which_follow_up(text)
            or (len(text.split()) <= 6 and SHORT_FOLLOW_UP.search(text) is not None))


def is_which_follow_up(text: str) -> bool:
    """"which month?" or "which month was best?" after "what was the highest monthly revenue?" or "revenue
    by month": names what the earlier answer ranked or grouped."""
    return re.fullmatch(r"(which|what) (?!(is|are|was|were|does|do|did|about|percentage|percent|share|proportion|"
                        r"fraction|ratio|rate|average|mean|total|sum|median|number|count)\b)[a-z0-9_]+( [a-z0-9_]+)?"
                        r"( (is|was|were|had|has) (the )?(highest|lowest|best|worst|biggest|smallest))?",
                        text) is not None


def looks_like_doc_question(text: str) -> bool:
    """'What does PSI mean?' is about the app; 'what is the average profit?' is about the data."""
    text = normalise(text)
    if any(re.search(p, text) for p in DOC_PATTERNS[:3]):
        return True
    return bool(re.search(DOC_PATTERNS[3], text)) and not aggregate_words(text) and not is_count_question(text) \
        and not has_any(text, SHARE_WORDS)


def top_k(text: str) -> tuple[int, str] | None:
    """("top 3" / "3 highest" / "bottom 5" / "which 3 items … the most") -> (3, "desc"|"asc")."""
    match = re.search(r"\b(top|bottom|first|last|highest|lowest|largest|smallest|best|worst)\s+(\d{1,3})\b", text)
    if match and match[1] == "last" and re.match(r"\s+(?:day|week|month|quarter|year)s?\b", text[match.end():]):
        match = None  # "the last 30 days": a period counted back from the last date, not the 30 lowest
    if match:
        k, word = int(match.group(2)), match.group(1)
    else:
        match = re.search(r"\b(\d{1,3})\s+(?:[a-z]+\s+){0,2}?(highest|lowest|largest|smallest|biggest|best|worst|"
                          r"most|least|top|bottom)\b", text)
        # "which 3 items sold the most", "what 5 products had the lowest total sales": a ranking of N groups
        match = match or re.search(r"\b(?:which|what)\s+(\d{1,3})\s+(?:[a-z]+\s+){1,4}?(highest|lowest|largest|"
                                   r"smallest|biggest|best|worst|most|least)\b", text)
        if not match:
            return None
        k, word = int(match.group(1)), match.group(2)
    ascending = word in ("bottom", "lowest", "smallest", "worst", "least")
    return k, "asc" if ascending else "desc"


@dataclass(frozen=True)
class Comparison:
    op: str
    value: float
    start: int
    end: int
    upper: float | None = None  # for "between"


def comparisons(text: str) -> list[Comparison]:
    """Numeric conditions written in words: "more than 20", "between 5 and 10", ">= 3"."""
    found: list[Comparison] = []
    for match in re.finditer(rf"\bbetween ({_NUMBER}) and ({_NUMBER})\b", text):
        low, high = _to_float(match.group(1)), _to_float(match.group(2))
        if not (_is_year(low) and _is_year(high) and "between" in text and _month_near(text, match.start())):
            found.append(Comparison("between", min(low, high), match.start(), match.end(), max(low, high)))
    # "aged 30 to 40", "30-40 years": a range like "between 30 and 40" (not "top 3 to 5", not years or dates)
    for match in re.finditer(r"(?<![\w.\-])(\d+(?:\.\d+)?)\s*(?:to|-|–)\s*(\d+(?:\.\d+)?)(?![\w.\-])", text):
        low, high = _to_float(match.group(1)), _to_float(match.group(2))
        ranked = re.search(r"\b(?:top|bottom|first|last)\s+$", text[:match.start()])
        if low < high and not ranked and not (_is_year(low) and _is_year(high)) \
                and not any(c.start <= match.start() < c.end for c in found):
            found.append(Comparison("between", low, match.start(), match.end(), high))
    for pattern, op in POSTFIX_COMPARATORS:  # "5 or more", "10 and above": the bound comes first
        for match in re.finditer(rf"(?<![\w.])({_NUMBER})\s*(?:{pattern})(?![a-z])", text):
            if not any(c.start <= match.start() < c.end for c in found):
                found.append(Comparison(op, _to_float(match.group(1)), match.start(), match.end()))
    for pattern, op in COMPARATORS:
        for match in re.finditer(rf"(?<![a-z])(?:{pattern})\s*({_NUMBER})(?![\d-])", text):
            if not any(c.start <= match.start() < c.end or match.start() <= c.start < match.end() for c in found):
                found.append(Comparison(op, _to_float(match.group(1)), match.start(), match.end()))
    return sorted(found, key=lambda c: c.start)


def _to_float(token: str) -> float:
    return float(token.replace(",", ""))


def _is_year(value: float) -> bool:
    return value.is_integer() and 1800 <= value <= 2200


def _month_near(text: str, position: int) -> bool:
    return any(find_phrase(text[max(0, position - 30):position + 40], m) >= 0 for m in MONTHS if len(m) > 2)


def format_number(value: object) -> str:
    """Plain numbers: thousands separators, at most 2 decimals (4 significant digits below 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) < 1:
        return f"{value:.4g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
