"""Which columns of a loan book a credit model may use, judged by name and by value.

Pure rules: the date of the application is no risk factor; records made after the outcome leak it;
protected grounds are warned about; numbers standing for codes (96/98, 365243) are found by value.
"""
from __future__ import annotations

import re
import unicodedata


def _snake(column: str) -> str:
    """'issueDate' → 'issue_Date', 'Foreign Worker' → 'Foreign_Worker': words become separate for the name
    patterns below. Accents are dropped ('género' → 'genero', 'État civil' → 'Etat_civil'), so a letter
    with an accent neither splits a word nor hides it."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", str(column)) if not unicodedata.combining(ch))
    return re.sub(r"[\s.\-]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", plain).strip())


# The date of the application itself (issue_d, application_date, "date"): new applicants come from a later
# period than any the model saw, and "applied on 2020-11-16" is no reason to decline anyone. Dates that
# describe the applicant (earliest_cr_line, date_of_birth) stay.
APPLICATION_DATE = re.compile(r"(?i)^(date|dt|d|day|month|time|timestamp|period|vintage)$|(^|[^a-z])(applic\w*|app|"
                              r"appl|applied|issue|issued|orig|origination|originated|decision|booking|booked|"
                              r"created|submitted|request\w*|snapshot|report|record|funded|disburse\w*|"
                              r"funding)([^a-z]|$)")


def is_application_date(column: str) -> bool:
    """'application_date', 'issue_d', 'issueDate', 'date': when the loan was asked for, not who asked."""
    return APPLICATION_DATE.search(_snake(column)) is not None


# Records written after the loan's outcome (Lending Club's total_pymnt, recoveries, last_pymnt_d …): a model that
# sees them scores the past, not the applicant.
POST_OUTCOME = re.compile(r"(?i)(^|[^a-z])(total_?pymnt\w*|total_?rec_?\w*|recover(y|ies)\w*|collection_?recovery\w*|"
                          r"last_?pymnt\w*|next_?pymnt\w*|out_?prncp\w*|last_?credit_?pull\w*|settlement\w*|"
                          r"hardship\w*|last_?fico\w*|"
                          r"amount_?repaid|repaid\w*|paid_?(principal|amount|interest|total)|"
                          r"(principal|amount|interest)_?paid)([^a-z]|$)")
# Grounds on which lending law in many countries forbids deciding (sex, race, religion …).
PROTECTED = re.compile(r"(?i)(^|[^a-z])(sex|gender|race|racial|ethnic\w*|religio\w*|nationality|national_?origin|"
                       r"pregnan\w*|disabilit\w*|sexual_?orientation|marital\w*|married|marriage|personal_?status\w*|"
                       r"family_?status|foreign_?worker|foreigner|citizenship|immigra\w*|"
                       r"famges|familienstand|geschlecht|gastarb\w*|staatsangeh\w*|"  # the South German book
                       r"sexo|sexe|sesso|genero|genre|genere|raza|raca|razza|etni\w*|ethnie|nacionalid\w*|"
                       r"nationalit\w*|nazionalit\w*|matrimon\w*|(estado|etat|stato)_?civil\w*|"
                       r"(situation|situacion)_?(familia\w*|matrimonia\w*)|discapacidad|deficiencia|handicap\w*|"
                       r"ciudadan\w*|extranjer\w*|etranger\w*)"  # Spanish, French, Portuguese, Italian
                       r"([^a-z]|$)")


# Earlier loans' records (previous_loans_repaid, num_prior_recoveries) are the applicant's history, known at
# application time.
EARLIER_LOANS = re.compile(r"(?i)(^|_)(prev|previous|prior|past|earlier|hist|historic\w*|history|num|n|nb|cnt|"
                           r"count|number)(_|$)")


def is_post_outcome(column: str) -> bool:
    """'total_pymnt', 'recoveries', 'last_pymnt_d', 'repaid_principal', 'last_fico_range_high': known only
    after the loan ended (or recorded at the last credit pull), not of earlier loans."""
    name = _snake(column)
    return POST_OUTCOME.search(name) is not None and EARLIER_LOANS.search(name) is None


AGE = re.compile(r"(?i)(^|[^a-z])(age|alter|edad|idade)([^a-z]|$)")  # 'âge' reads as 'age'


THING_AGE = re.compile(r"(?i)(^|[^a-z])(own|car|cars|vehicle|auto|account|acct|accounts|credit|loan|loans|house|"
                       r"home|property|building|trade|trades|oldest|newest|file|bureau|record|line|lines|card|cards)"
                       r"[^a-z]+(age|alter)([^a-z]|$)|"
                       r"(^|[^a-z])(edad|idade)_(del?_|d[oa]_)?(vehiculo|veiculo|auto|coche|carro|cuenta|conta|"
                       r"credito|prestamo|emprestimo|negocio|empresa|vivienda|casa|inmueble)")


def is_age(column: str) -> bool:
    """'age', 'Age', 'person_age', 'AGE_YEARS', 'applicantAge', 'alter' (the South German book): a ground
    many lending rules restrict rather than forbid, so the fairness check reads it in bands. The age of a
    thing (Home Credit's OWN_CAR_AGE, an account's age) is not the applicant's."""
    snake = _snake(column)
    return AGE.search(snake) is not None and THING_AGE.search(snake) is None


BIRTH_DAYS = re.compile(r"(?i)(^|[^a-z])(days?_?birth|birth_?days)([^a-z]|$)")


def is_birth_days(column: str) -> bool:
    """'DAYS_BIRTH' (Home Credit: days before the application, negative): the applicant's age in days."""
    return BIRTH_DAYS.search(_snake(column)) is not None


# Prosper's BorrowerState, SBA's BankState; Loan_Default.csv's Region (North, south, central, North-East); the
# Vehicle Loan book's Current_pincode_ID (an Indian PIN code); German Wohnort, Bundesland, Postleitzahl.
PROXY = re.compile(r"(?i)(^|[^a-z])(zip|zip_?code|zipcode|post_?code|postal_?code|plz|pin_?code|addr_?state|"
                   r"(?:borrower|home|bank|customer|applicant|residence)_?state|county|census_?tract|"
                   r"neighbou?rhood|wohnort|bundesland|postleitzahl)([^a-z]|$)|^city$")


# A state, region, province or county named as a whole word (SBA's State, borrower_state, region_code), unless the
# name says whose state it is that is no place (loan_state, account_state) or describes the region rather than
# says it (Home Credit's REGION_RATING_CLIENT, REGION_POPULATION_RELATIVE) or compares two (REG_REGION_NOT_LIVE_REGION).
PLACE_WORDS = frozenset({"state", "region", "province", "county"})
NOT_A_PLACE = frozenset({"loan", "account", "acct", "credit", "contract", "application", "app", "payment", "pymnt",
                         "case", "process", "employment", "job", "rating", "population", "relative",
                         # a flag comparing two places (Home Credit's REG_REGION_NOT_LIVE_REGION) says no place
                         "not", "same", "different", "differs", "mismatch", "match", "matches"})


def is_area_proxy(column: str) -> bool:
    """'zip_code', 'postcode', 'addr_state', 'State': where the applicant lives, which can stand in for race or
    origin (redlining); not forbidden as such, but worth a look before it decides. 'statement' and 'EstateValue'
    hold the word only as letters."""
    snake = _snake(column)
    if PROXY.search(snake) is not None:
        return True
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", snake.replace("_", " "))}
    return bool(words & PLACE_WORDS) and not words & NOT_A_PLACE


# The fairness check starts on the coarsest place, whose groups are fewest and largest (SBA's 51 States, not its
# thousands of Zips): the borrower's state or region, then county, then city, then post code or tract; the
# bank's place (BankState) last, as it says where the lender is, not the applicant.
COARSE_PLACE = frozenset({"state", "region", "province", "bundesland"})
FINE_PLACE = frozenset({"zip", "zipcode", "post", "postcode", "postal", "plz", "census", "tract", "neighbourhood",
                        "neighborhood", "pincode", "pin", "postleitzahl"})


def area_level(column: str) -> int:
    """0 'State', 'addr_state', 'borrower_state', 'region'; 1 'county'; 2 'City'; 3 'zip_code', 'census_tract';
    4 'BankState'. Only meaningful for a column ``is_area_proxy`` accepts."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", _snake(column).replace("_", " "))}
    if "bank" in words:
        return 4
    if words & COARSE_PLACE:
        return 0
    if "county" in words:
        return 1
    if words & {"city", "wohnort"} and not words & FINE_PLACE:
        return 2
    return 3


# A five-digit post code (US ZIP, ZIP+4, a German PLZ) read as a number loses its leading zero (02134 → 2134);
# Lending Club masks the last two digits ("190xx"). Grouped by its first three digits, a book of one zip per loan
# shows areas of many loans rather than 20 groups of one or two and an "other" of nearly all.
FIVE_DIGIT_CODE = re.compile(r"^(\d{3})(\d\d|[xX*]{2})(?:-?\d{4})?$")
POST_CODE_WORDS = frozenset({"zip", "zipcode", "post", "postcode", "postal", "plz"})


def is_post_code(column: str) -> bool:
    """'zip_code', 'Zip', 'postcode', 'PLZ' (not 'census_tract', 'City')."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", _snake(column).replace("_", " "))}
    return bool(words & POST_CODE_WORDS) and "bank" not in words


def post_code_area(code: str) -> str | None:
    """'19159', '19159-1234', '2134' (a lost leading zero) and '190xx' → their first three digits as '191xx',
    '021xx', '190xx'; None for anything else (a UK postcode, a two-digit mask '19xxx', text)."""
    text = code.strip()
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    match = FIVE_DIGIT_CODE.match(text)
    return f"{match.group(1)}xx" if match else None


# The lender's own grading of the loan (Lending Club's grade and sub_grade, credit_risk_dataset's loan_grade,
# Bondora's Rating, Prosper's ProsperRating and ProsperScore): the output of the model in use, not a fact about the
# applicant. Home Credit's REGION_RATING_CLIENT rates the region, and stays.
GRADE_WORDS = frozenset({"grade", "subgrade", "rating", "prosperscore"})
NOT_LENDER_GRADE = frozenset({"region", "bureau", "pay", "job", "employer", "employment"})


def is_lender_grade(column: str) -> bool:
    """'grade', 'sub_grade', 'loan_grade', 'Rating', 'ProsperRating (Alpha)', 'ProsperScore'; not
    'REGION_RATING_CLIENT', 'bureau_rating' or 'pay_grade'."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", _snake(column).replace("_", " "))]
    joined = {"".join(pair) for pair in zip(words, words[1:])}
    return bool((set(words) | joined) & GRADE_WORDS) and not set(words) & NOT_LENDER_GRADE


def is_protected(column: str) -> bool:
    """'SEX', 'CODE_GENDER', 'personal_status_sex', 'race': a ground lending decisions may not rest on."""
    return PROTECTED.search(_snake(column)) is not None


CODE_GAP = 3  # a code lies this many times the other values' range beyond them (96 beyond 0-13: 6.4 times)


def sentinel_codes(counts: dict[float, int], rows: int) -> list[float]:
    """Values a number column uses as codes: one to three values, on at least 3 rows, standing apart above (or
    below) the rest by more than the rest's whole range (96/98 in a count of late payments that otherwise
    runs 0-13; 365243 in days employed that otherwise run -17,912 to 0) by more than three times that range,
    on fewer than half the rows. A few plan lengths (3, 6, 9, 12 and 24 instalments) or a mostly-zero
    percentage (0 and 12 on 71 % of loans, else 25-35) have no code."""
    values = sorted(counts)
    if len(values) < 5:
        return []
    for side in (1, -1):
        ordered = values[::-1] if side == 1 else values
        for k in (1, 2, 3):
            codes, rest = ordered[:k], ordered[k:]
            spread = max(rest) - min(rest)
            gap = abs(codes[-1] - rest[0])
            coded = sum(counts[c] for c in codes)
            if len(rest) >= 3 and spread > 0 and gap > CODE_GAP * spread and 3 <= coded <= rows / 2 \
                    and all(counts[c] >= 2 for c in codes):
                return sorted(codes)
    return []


# The outcome of a loan book, by its column's name (credit_risk, default, loan_status, bad_flag, charged_off).
LOAN_OUTCOME = re.compile(r"(?i)default|risk|bad|loan|credit|status|outcome|repaid|charged|delinq")


def is_loan_outcome(column: str) -> bool:
    """'credit_risk', 'default', 'loan_status': a target named like a loan's outcome (not 'Machine failure')."""
    return LOAN_OUTCOME.search(str(column)) is not None


# A loan, account or application number (SBA's LoanNr_ChkDgt, loan_no, AcctNum, ApplicationKey): named by one of
# these words or abbreviations. Counts (NumberOfDependents, num_accounts, NoEmp) put the word first; amounts and
# measures (account_balance, AccountAge) say so by another word.
ID_WORDS = frozenset({"number", "no", "nr", "num", "nbr", "id", "key", "code", "account", "acct", "ref", "reference"})
COUNT_WORDS = frozenset({"number", "no", "nr", "num", "nbr"})
MEASURE_WORDS = frozenset({"amount", "amt", "amnt", "balance", "bal", "income", "salary", "limit", "value", "price",
                           "payment", "pymnt", "sum", "total", "age", "days", "months", "years", "rate", "ratio",
                           "score", "pct", "percent", "count", "cnt", "length", "term", "of", "dependents"})


def is_id_name(column: str) -> bool:
    """'LoanNr_ChkDgt', 'loan_no', 'AcctNum', 'ApplicationKey', 'customer_id': named like a record's number.
    Not 'NumberOfDependents', 'num_accounts', 'loan_amnt' or 'zip_code' (a place: warned about as such)."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", _snake(column).replace("_", " "))]
    if not set(words) & ID_WORDS or set(words) & MEASURE_WORDS or is_area_proxy(column):
        return False
    return not (len(words) > 1 and words[0] in COUNT_WORDS)
