"""The assistant's view of one table, and the words it reads around column names and values.

``TableContext`` is what the router knows about a dataset; ``Mention`` is a column named in a question;
``Parsed`` is everything the router found before an intent is chosen. The word lists say which words
are grammar, never values or columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules

STOPWORDS = frozenset("a an the of in on at to for by per and or is are was were be what which who whom whose how "
                      "many much do does did has have had with from than that this there their its it as all any "
                      "each every number total value values row rows record records data table".split())
NUMERIC_KINDS = ("numeric",)
NOT_VALUES = frozenset("is are was were has have had be been being equal equals not no than over under above below "
                       "between after before since during until within per each among across like only when where "
                       "whose who which what did does do can could should would will dataset datasets file sheet "
                       "spreadsheet table category categories type types kind kinds group groups class "
                       "segment".split())  # "which BusinessTravel category …": the column's values, not a value
# Words that stand for a column ("which class", "by category"): never a value, but where no column is named so,
# grouping by them or asking "which" of them names nothing in the table.
GROUP_NOUNS = frozenset("category categories type types kind kinds group groups class segment".split())
TEXT_KINDS = ("categorical", "text", "identifier", "boolean")
NUMBER_TEXT = re.compile(r"^\s*[-+]?\s*[$€£¥]?\s*-?\d[\d,.]*\s*"   # "$1,200.50", "12,5 km (2 laps)", "1.200,50 €"
                         r"(?:%|[$€£¥]|[a-zA-Z]{1,6}\.?)?\s*(?:\([^)]*\))?\s*$")
BOOLEAN_WORDS = {True: ("true", "yes", "y"), False: ("false", "no", "n")}
VERB_NOUNS = {"sold": "sale", "sell": "sale", "sells": "sale", "selling": "sale", "failed": "failure",
              "fail": "failure", "fails": "failure", "returned": "return", "defaulted": "default",
              # "resolution rate" for a yes/no column "resolved", "readmission rate" for "readmitted" …
              "resolution": "resolved", "survival": "survived", "cancellation": "cancelled", "completion": "completed",
              "conversion": "converted", "approval": "approved", "rejection": "rejected", "renewal": "renewed",
              "delivery": "delivered", "admission": "admitted", "readmission": "readmitted",
              # "rated R", "aged 30 to 40", "who directed"
              "rated": "rating", "aged": "age", "directed": "director", "managed": "manager", "owned": "owner"}
# What a table's rows stand for: "how many machines are in the data" counts rows, even where a column is
# called "Machine failure"; right after "how many" such a word never names a column.
ROW_NOUNS = frozenset("customer client applicant borrower loan account machine unit product order transaction item "
                      "people person employee patient player team country case observation reading sample line "
                      "record row entry data point measurement application deal opportunity flight encounter "
                      "visit trip ticket invoice booking claim shipment listing property game".split())


@dataclass(frozen=True)
class TableContext:
    """What the router knows about one dataset: columns, kinds, DuckDB types and small value sets."""
    name: str
    view: str
    path: Path
    rows: int
    columns: tuple[str, ...]
    kinds: dict[str, str]
    types: dict[str, str]
    values: dict[str, list[Any]]
    unique: dict[str, bool]
    missing: dict[str, float] = field(default_factory=dict)  # % of rows with no value, from the profile
    words: dict[str, tuple[str, str]] = field(default_factory=dict)  # a yes/no column's (yes, no) as in the file

    def is_numeric(self, column: str) -> bool:
        kind = self.types.get(column, "").upper()
        return any(t in kind for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL")) and "[]" not in kind

    def is_date(self, column: str) -> bool:
        return any(t in self.types.get(column, "").upper() for t in ("DATE", "TIMESTAMP"))

    def is_number(self, column: str) -> bool:
        """Numbers, stored as numbers or as text with one number a cell ("$12,345.67"): measures either way.
        Text of digits named as a code ("Opportunity ID", "zip") holds labels, not amounts."""
        labels = set(column_words(column).split()) & {"id", "code", "zip", "phone", "sku", "isbn", "number", "no"}
        return self.is_numeric(column) or (not labels and self.numbers_in_text(column))

    def numbers_in_text(self, column: str) -> bool:
        """A text column whose values are mostly one number each ("3", "1,204", "$4,268.40", "12 km (2 laps)").
        Times ("1:30") and scores ("35–4") are not: their first number is not their value."""
        sample = [str(v) for v in self.values.get(column, [])[:200]]
        return bool(sample) and sum(bool(NUMBER_TEXT.match(s)) for s in sample) >= 0.8 * len(sample)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    column: str


@dataclass(frozen=True)
class Parsed:
    """Everything found in the question, before an intent is chosen."""
    text: str
    columns: tuple[Mention, ...]
    filters: tuple[Filter, ...]
    filter_columns: tuple[str, ...]
    notes: tuple[str, ...]
    problems: tuple[str, ...]
    used: tuple[tuple[int, int], ...] = field(default=())
    filter_starts: tuple[int, ...] = field(default=())  # where each filter was written, in filter order
    proper: tuple[str, ...] = field(default=())  # words written capitalised after the first: names, maybe values

    @property
    def free(self) -> list[Mention]:
        """Columns named outside the values and conditions already taken ("store 1" is a value)."""
        return [m for m in self.columns if not any(s <= m.start < e for s, e in self.used)]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def column_words(column: str) -> str:
    """A column's name as words: "MonthlyIncome" -> "monthly income", "HTTPStatus" -> "http status"."""
    return rules.normalise(_CAMEL.sub(" ", str(column)))


def is_code(column: str) -> bool:
    """A column of ids or codes ("FLIGHT_NUMBER", "patient_nbr", "Zip code"), never an amount."""
    return column_words(column).split()[-1:] in (["id"], ["code"], ["number"], ["no"], ["nbr"], ["num"])


def measure_names(table: TableContext) -> str:
    """The numeric columns a refusal offers as measures: ids and codes ("patient_nbr") are left out."""
    return ", ".join(c for c in table.columns if table.is_number(c) and not is_code(c)) or "none"


def column_aliases(column: str) -> list[str]:
    """Ways a question may name a column: "Air temperature [K]" -> "air temperature k", "air temperature";
    "MonthlyIncome" -> "monthlyincome", "monthly income"."""
    full = rules.normalise(column)
    bare = rules.normalise(re.sub(r"[\[(].*?[\])]", " ", column))
    split = column_words(re.sub(r"[\[(].*?[\])]", " ", column))
    aliases = {full, bare, split, rules.stem_phrase(full), rules.stem_phrase(bare), rules.stem_phrase(split)}
    # "avg_session_duration" is asked about as "average session duration" or "session duration"
    short = re.sub(r"^(?:avg|average|mean|total|num|number of)\s+", "", bare)
    if short != bare and " " in short:
        aliases |= {short, rules.stem_phrase(short)}
    aliases |= set(PRICE_ALIASES.get(split, ()))
    return sorted((a for a in aliases if a), key=len, reverse=True)


# A price bar's columns as analysts name them: "the closing price of AAPL" is Close.
PRICE_ALIASES = {"close": ("closing price", "close price", "closing prices"),
                 "open": ("opening price", "open price", "opening prices"),
                 "adj close": ("adjusted close", "adjusted closing price", "adj close price")}


# Abbreviations in column names, written out in questions: ARR_DELAY is asked about as "arrival delay",
# qty as "quantity", dept as "department". "no" is a number only as the last word ("Invoice No").
ABBREVIATIONS = {"arr": "arrival", "dep": "departure", "dest": "destination", "orig": "origin", "qty": "quantity",
                 "amt": "amount", "num": "number", "nbr": "number", "nr": "number", "avg": "average", "pct": "percent",
                 "perc": "percent", "dt": "date", "cust": "customer", "emp": "employee", "empl": "employee",
                 "dept": "department", "mgr": "manager", "desc": "description", "cat": "category", "yr": "year",
                 "yrs": "years", "mo": "month", "mth": "month", "fl": "flight", "flt": "flight", "dist": "distance",
                 "cnt": "count", "tot": "total", "acct": "account", "addr": "address", "prod": "product",
                 "wk": "week", "temp": "temperature", "sched": "scheduled", "txn": "transaction",
                 "trans": "transaction", "pmt": "payment", "bal": "balance", "inv": "invoice", "loc": "location",
                 "hrs": "hours"}
# Columns holding a hospital stay's length, asked about as "stay", "length of stay" or "los".
STAY_COLUMNS = frozenset({"time in hospital", "length of stay", "los", "days in hospital", "hospital days",
                          "stay length", "lengthofstay"})
STAY_ALIASES = (["stay"], ["length", "of", "stay"], ["los"], ["hospital", "stay"])
SIDE_CODES = {"pu": "pickup", "do": "dropoff"}
UNITS = frozenset("mm cm km g kg mg lb lbs oz ft usd eur gbp sec ms kwh mph kmh".split())
# Leading codes a name may carry ("OP_CARRIER": the operating carrier is asked about as "carrier").
NAME_PREFIXES = frozenset({"op"})


def expanded_words(column: str) -> list[list[str]]:
    """The column's words with abbreviations written out and a leading code dropped, each way it may be
    asked: "OP_CARRIER_FL_NUM" -> ["carrier", "flight", "number"], ["op", "carrier", "flight", "number"] …"""
    words = column_words(re.sub(r"[\[(].*?[\])]", " ", column)).split()
    full = [ABBREVIATIONS.get(w, w) if w != "no" else ("number" if i == len(words) - 1 and i else w)
            for i, w in enumerate(words)]
    if len(words) > 1 and words[0] in SIDE_CODES:  # NYC taxi trips: PULocationID is the pickup location
        full = [SIDE_CODES[words[0]], *full[1:]]
    variants = [full, words]
    # "pickup location" of PULocationID: a place's id column is asked about by the place
    variants += [full[:-1]] if len(full) > 2 and full[-1] == "id" and full[-2] in PLACES else []
    variants += [v[1:] for v in (full, words) if len(v) > 1 and v[0] in NAME_PREFIXES]
    variants += [["number", "of", *v[1:]] for v in list(variants) if len(v) > 1 and v[0] == "number"]
    # "admission_type_id" is asked about as "admission type": a code column of a named kind, not a bare "id"
    variants += [v[:-1] for v in (full, words) if len(v) > 2 and v[-1] in ("id", "code") and v[-2] == "type"]
    # "bill length" of bill_length_mm, "body mass" of body_mass_g: a measurement named without its unit
    variants += [v[:-1] for v in (full, words) if len(v) > 1 and v[-1] in UNITS]
    if words == ["close"]:  # a price bar's close is "the price" where no column is named so (stock prices)
        variants += [["price"], ["stock", "price"], ["share", "price"]]
    if " ".join(words) in STAY_COLUMNS:
        variants += [list(a) for a in STAY_ALIASES]
    return [v for v in variants if v]


# Place columns that come in pairs (ORIGIN_AIRPORT and DESTINATION_AIRPORT): "airports" alone is the origin,
# unless the question says where things arrive ("destination", "arriving", "inbound").
PLACES = frozenset("airport city state country station port location zip region stop terminal address".split())
SIDES = (frozenset("origin from source departure pickup start".split()),
         frozenset("destination to arrival dropoff end".split()))
ARRIVING = re.compile(r"\b(destinations?|dest|arriving|arrivals?|arrive[sd]?|inbound|landing|landed)\b")


def one_side(word: str, columns: set[str], text: str) -> set[str]:
    """"which 3 airports" where ORIGIN_AIRPORT and DESTINATION_AIRPORT both hold airports: the origin column, or
    the destination where the question says arriving; the reply names the column used. Other pairs stay."""
    if word not in PLACES or len(columns) != 2:
        return columns
    sides = [[c for c in columns if set(next(iter(expanded_words(c)), [])) & side] for side in SIDES]
    if any(len(side) != 1 for side in sides) or sides[0] == sides[1]:
        return columns
    return set(sides[1] if ARRIVING.search(text) else sides[0])


def derived_aliases(column: str) -> list[str]:
    """Aliases from ``expanded_words`` that ``column_aliases`` does not already hold ("arrival delay")."""
    own = set(column_aliases(column))
    found = {form for v in expanded_words(column) for form in (" ".join(v), rules.stem_phrase(" ".join(v)))
             if not rules.aggregate_words(v[0])}  # "average speed" of avg_speed asks for an average of "speed"
    return sorted(found - own, key=len, reverse=True)


INFLECTIONS = ("ing", "ings", "ers", "ion", "ions", "ies", "ied", "ment", "ments", "ness", "ed", "es", "est")


def _shortened(short: str, word: str, alone: bool) -> bool:
    """'amnt' of 'amount', 'pymnt' of 'payment' (its letters in order, no vowel after the first), 'util' of
    'utilization', 'int' of 'interest' beside another word (a prefix of 3 letters, 4 for a name of one word,
    with 3 letters or more after it and no inflection: 'released' is no written-out 'release')."""
    if not short.isalpha() or len(short) < 3 or len(word) <= len(short) or short[0] != word[0]:
        return False
    if word.startswith(short):
        rest = word[len(short):]
        return len(short) >= (4 if alone else 3) and len(rest) >= 3 and rest not in INFLECTIONS
    letters = iter(word)
    return not re.search(r"[aeiou]", short[1:]) and all(ch in letters for ch in short)


def abbreviated_spans(text: str, column: str) -> list[tuple[int, int]]:
    """Where the question writes out a column name's shortened words: "loan amount" for loan_amnt, "total
    payment" for total_pymnt (one word at least written out; the others as in the name)."""
    words = column_words(re.sub(r"[\[(].*?[\])]", " ", column)).split()
    said = list(re.finditer(r"[a-z][a-z0-9]*", text))
    found = []
    for i in range(len(said) - len(words) + 1):
        pairs = list(zip(words, (m.group(0) for m in said[i:i + len(words)])))
        same = [w == q or rules.singular(q) == w or ABBREVIATIONS.get(w) == q for w, q in pairs]
        short = [not same_word and _shortened(w, q, len(words) == 1) for same_word, (w, q) in zip(same, pairs)]
        if all(a or b for a, b in zip(same, short)) and any(short):
            found.append((said[i].start(), said[i + len(words) - 1].end()))
    return found


def abbreviated_mentions(text: str, columns, taken: list[tuple[int, int]]) -> list[Mention]:
    """Columns named by written-out words (``abbreviated_spans``) where no other name took the words; words two
    columns' names share name neither. ``taken`` grows with the spans used."""
    shortened: dict[tuple[int, int], list[str]] = {}
    for column in columns:
        for span in abbreviated_spans(text, column):
            shortened.setdefault(span, []).append(column)
    found = []
    for span, named in shortened.items():
        if len(named) == 1 and not any(s < span[1] and span[0] < e for s, e in taken):
            taken.append(span)
            found.append(Mention(span[0], span[1], named[0]))
    return found


ID_WORDS = frozenset("nbr num number no id code".split())


def key_names(name: str) -> list[str]:
    """Ways a question names a series key: "store_nbr" as "store nbr", "store number" or "store" (an id-like
    last word dropped), longest first."""
    words = [" ".join(variant) for variant in expanded_words(name)]
    bare = column_words(name).split()
    if len(bare) > 1 and bare[-1] in ID_WORDS:
        words.append(" ".join(bare[:-1]))
    return sorted({rules.normalise(name), *words}, key=len, reverse=True)
