"""What the retail page's forecast form offers and checks before a job is queued (no Streamlit here)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import pandas as pd

from data.profile import PERIOD_NAME
from ml.forecast_shape import wide_table_message
from services.results import DatasetInfo
from services.retail_numdates import dated_columns, dated_roles
from services.runtime import Runtime

# Names of what was sold, and of what is on the shelf: a table with both (date, item, qty, on_hand) forecasts
# the first, and the second is the Inventory tab's stock column.
_DEMAND_WORDS = ("qty", "quantity", "quantities", "units", "sales", "sale", "demand", "sold", "volume",
                 "cnt", "count", "orders", "ordered", "revenue", "amount",
                 # German, French, Spanish, Italian, Dutch (accents folded: quantité is quantite)
                 "menge", "absatz", "verkauf", "verkaufe", "umsatz", "stuck", "stueck", "anzahl", "quantite", "qte",
                 "ventes", "cantidad", "ventas", "unidades", "quantita", "vendite", "aantal", "verkoop")
_STOCK_WORDS = ("onhand", "stock", "inventory", "available", "balance", "soh", "instock", "backlog",
                "bestand", "lagerbestand", "inventaire", "existencias", "giacenza", "voorraad")
_STOCK_PAIRS = (("on", "hand"), ("in", "stock"))
# A stock word beside one of these names an article, not a count on the shelf: Online Retail's StockCode, Wide World
# Importers' StockItemID. StockCode had been called stock on hand, to pick with `retail reorder --on-hand`.
_ARTICLE_WORDS = ("code", "id", "key", "no", "nbr", "num", "number", "sku", "name", "desc", "description",
                  "ref", "type", "group", "class", "category")


def _words(name: str) -> list[str]:
    """'unitsSold', 'Weekly_Sales', 'on-hand' -> their lower-case words."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(name))
    spaced = "".join(c for c in unicodedata.normalize("NFKD", spaced) if not unicodedata.combining(c))
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def stock_like(name: str) -> bool:
    words = _words(name)
    if any(w in _ARTICLE_WORDS for w in words):
        return False
    return (any(w in _STOCK_WORDS for w in words)
            or any(pair == tuple(words[i:i + 2]) for i in range(len(words)) for pair in _STOCK_PAIRS))


def _demand_like(name: str) -> bool:
    return any(w in _DEMAND_WORDS for w in _words(name))


# Never the quantity sold: promotions, prices, flags, holidays (inside a word too: onpromotion, IsHoliday), and,
# unless named like a quantity, ids and codes (store_nbr), yes/no flags (is_open) and calendar parts (DayOfWeek).
_NOT_QUANTITY_PARTS = ("promo", "price", "holiday", "discount", "markdown",
                       "preis", "prix", "precio", "prezzo", "prijs", "rabatt", "remise", "descuento", "feiertag")
_NOT_QUANTITY_WORDS = ("id", "key", "code", "nbr", "no", "num", "uuid", "index", "idx", "ean", "upc", "gtin", "zip",
                       "is", "has", "flag", "open", "closed", "day", "week", "month", "year", "weekday", "dow",
                       "quarter", "hour", "lat", "lon", "latitude", "longitude")


def never_quantity(name: str) -> bool:
    """A column the form never guesses as the quantity: Favorita's onpromotion had been taken for it."""
    if any(part in str(name).lower() for part in _NOT_QUANTITY_PARTS):
        return True
    return not _demand_like(name) and any(w in _NOT_QUANTITY_WORDS for w in _words(name))


_SOLD_WORDS = {"qty", "quantity", "units", "sales", "sale", "demand", "sold", "volume", "orders",  # not 'amount'
               "menge", "absatz", "verkauf", "stuck", "stueck", "quantite", "qte", "ventes", "cantidad", "ventas",
               "unidades", "quantita", "vendite", "aantal", "verkoop"}  # German, French, Spanish, Italian, Dutch


def looks_like_sales(info: DatasetInfo) -> bool:
    """A table the Retail page opens on before any choice: dates and a number column named like what was sold
    (sales, units, qty …), or dates, series keys and a number target. A loan book with an issue date (and
    'recoveries' guessed as the quantity) or a timestamped sensor log with a failure flag is not one."""
    if "datetime" not in info.schema.values() and not date_choices(info.schema, info.profile):  # or weeks, 42370
        return False
    numbers = [c for c, kind in info.schema.items() if kind == "numeric"]
    if any(set(_words(c)) & _SOLD_WORDS and not never_quantity(c) for c in numbers):
        return True
    return "series" in info.roles.values() and any(info.roles.get(c) == "target" for c in numbers)


def guess_quantity(numbers: list[str], roles: dict[str, str]) -> str | None:
    """The column to forecast: one named like what was sold (qty, units, sales…) before the profile's target guess,
    never a stock-like column (on_hand, stock, inventory…) while another is there; else the last numeric column.
    Never a promotion, price, flag, holiday, id or calendar column: None when only those are left (the user picks)."""
    open_cols = [c for c in numbers if roles.get(c) not in ("series", "id", "time")] or list(numbers)
    open_cols = [c for c in open_cols if not never_quantity(c)]
    if not open_cols:
        return None
    plain = [c for c in open_cols if not stock_like(c)] or open_cols
    named = [c for c in plain if _demand_like(c) and not stock_like(c)]
    profiled = [c for c in plain if roles.get(c) == "target"]
    if named or profiled:
        return (named or profiled)[0]
    return plain[-1]


def quantity_hint(numbers: list[str]) -> str:
    """What the page says when no column was guessed as the quantity."""
    return (f"No numeric column reads as the quantity sold ({', '.join(map(str, numbers)) or 'none'}): promotions, "
            "prices, flags, holidays, ids and calendar parts are never taken for it. Choose the column to forecast.")


# A key column is offered by default only with this many rows per value on average (the profile's series rule):
# a row id ('id', unique on every row) made every row a series of its own.
ROWS_PER_KEY_VALUE = 5


# Quarters and weeks written as text ('1998 Q1', 'Wk 7 2023') stay text in the file; the forecast reads them as
# dates (ml.forecast_periods), so a text column named like one (data.profile.PERIOD_NAME) is offered as the date too.


def date_choices(schema: dict[str, str], profile: list[dict[str, Any]] = ()) -> list[str]:
    """The columns the page offers as the date: dates, text columns named like quarters or weeks, and with the
    profile, number columns the forecast reads as dates (Excel serial days, Unix times: retail_numdates) and text
    columns of dates with two-digit years ('04-30-22')."""
    numbered = dated_columns(schema, list(profile))
    return [c for c, kind in schema.items() if kind == "datetime" or c in numbered
            or (kind != "numeric" and PERIOD_NAME.search(str(c)) is not None)]


def no_dates_message(schema: dict[str, str], profile: list[dict[str, Any]] = ()) -> str | None:
    """What the page says first when no column reads as dates (it had picked 'store' as the date in silence, and
    said so only after Run); None when one does."""
    if date_choices(schema, profile):
        return None
    text = [str(c) for c, kind in schema.items() if kind != "numeric"]
    where = (f" Its text columns ({', '.join(map(repr, text[:6]))}{' …' if len(text) > 6 else ''}) may be picked "
             "below: a column that cannot be read as dates is refused when the forecast runs.") if text else ""
    return ("No column of this table reads as dates: a forecast needs each row's date (such as 2024-01-31), week "
            f"('2023-W07', 'Wk 7 2023') or quarter ('1998 Q1').{where}")


def default_keys(info: DatasetInfo, taken: tuple[str, ...]) -> list[str]:
    """The series keys the form starts with: the profile's series and id columns other than ``taken`` (date,
    quantity), leaving out any whose distinct values leave fewer than ROWS_PER_KEY_VALUE rows each. A date column
    of numbers (Excel serial days) gives the roles the import would have given beside a date column."""
    distinct = {p.get("name"): p.get("distinct") for p in info.profile if isinstance(p, dict)}
    roles = info.roles
    if taken and taken[0] in dated_columns(info.schema, info.profile):
        roles = dated_roles(info.schema, info.profile, info.rows, taken[0])
    return [c for c, role in roles.items() if role in ("series", "id") and c not in taken
            and (distinct.get(c) is None or distinct[c] * ROWS_PER_KEY_VALUE <= info.rows)]


def driver_choices(columns: list[str], taken: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The known-in-advance columns the form offers, and the stock columns it leaves out: stock on hand follows
    sales and is not known for the dates ahead (the Inventory tab takes it as the on-hand stock column)."""
    free = [c for c in dict.fromkeys(columns) if c not in taken]
    stock = [c for c in free if stock_like(c)]
    return [c for c in free if c not in stock], stock


def stock_columns(schema: dict[str, str], parameters: dict[str, Any]) -> list[str]:
    """Numeric columns the Inventory tab offers as on-hand stock: not the forecast's quantity, date or keys, and
    never a price, promotion, id or calendar part (it had offered `Preis` and `price`); stock-named ones first."""
    taken = {parameters.get("target"), parameters.get("date"), *parameters.get("keys", [])}
    free = [c for c, kind in schema.items() if kind == "numeric" and c not in taken]
    stock = [c for c in free if stock_like(c)]
    return stock + [c for c in free if c not in stock and not never_quantity(c)]


def stored_upload(runtime: Runtime, content: bytes, filename: str, *, user: str) -> int:
    """The dataset id of an uploaded file: the stored copy with the same bytes when there is one (the page runs
    again on every click while the file stays in its box, and each run had stored it once more)."""
    from services import datasets

    digest = hashlib.sha256(content).hexdigest()
    excel = filename.lower().endswith((".xlsx", ".xls", ".xlsm"))  # a stored import may hold another sheet
    same = [d for d in datasets.list_datasets(runtime) if d.sha256 == digest] if not excel else []
    if same:
        return same[-1].id
    return datasets.import_dataset(runtime, content, filename=filename, user=user).id


ONE_SERIES_VALUE = "all"  # the constant key of a file forecast as one series


def one_series_key(columns: list[str]) -> str:
    """The constant key column's name: 'series', or 'series_2', 'series_3' … when the table has one of that name."""
    taken, name, n = {str(c) for c in columns}, "series", 1
    while name in taken:
        n += 1
        name = f"series_{n}"
    return name


def one_series_name(info: DatasetInfo) -> str:
    return f"{info.name}-one-series"


def as_one_series(runtime: Runtime, info: DatasetInfo, params: dict[str, Any], *, user: str) -> dict[str, Any]:
    """The job parameters on a derived copy of the table with a constant key column (value 'all'), so a file
    without series keys (date, sales) is forecast as one series by the usual pipeline; the copy with the same
    bytes is reused (stored_upload), not stored again on every run. Raises DatasetRejected like an import."""
    from services import datasets

    frame = datasets.load_pandas(runtime, info.id)
    key = one_series_key(list(frame.columns))
    frame[key] = ONE_SERIES_VALUE
    derived = stored_upload(runtime, frame.to_csv(index=False).encode(), f"{one_series_name(info)}.csv", user=user)
    return {**params, "dataset_id": derived, "series": [key]}


def check_before_run(runtime: Runtime, params: dict[str, Any]) -> None:
    """Prepares the table as the job will, so a horizon too long for the history (or another error of the table)
    is shown on the page instead of leaving a failed job; raises RetailInputError with the job's message."""
    from services import datasets, retail

    from services.retail_future import RetailInputError

    wanted = [params["date"], params["target"], *params["series"]]
    # A table with a column per product is read whole: the reshape advice had named 2 of its 6 product columns
    info = datasets.get_dataset(runtime, params["dataset_id"])
    whole = wide_shape_message(info) is not None or wide_periods_message(info) is not None
    frame = datasets.load_pandas(runtime, params["dataset_id"], columns=None if whole else wanted)
    try:
        retail.prepare_sales(frame, params)  # checks the keys first (check_keys)
    except RetailInputError as exc:
        raise RetailInputError(in_page_words(str(exc))) from exc


_CLI_CHOICE = re.compile(r"then forecast with --target (\S+) --series (\S+?)\.")
# the wide-table advice: "… and forecast with --date date --target quantity --series id (the columns that name …)."
_CLI_WIDE = re.compile(r"forecast with --date (\S+) --target (\S+) --series (\S+) \(the columns that name a series\)")


def in_page_words(message: str) -> str:
    """A preparation message as the page says it: the form's boxes, not the CLI's flags (the CLI keeps them)."""
    message = _CLI_WIDE.sub(r"import it and choose Date column: \1, Quantity: \2 and Series keys: \3 (the columns "
                            r"that name a series)", message)
    return _CLI_CHOICE.sub(r"then import it and choose Quantity: \1 and Series keys: \2.", message)


SHOWN_COLUMNS = 8  # product columns named in the wide-table advice


def wide_periods_message(info: DatasetInfo) -> str | None:
    """A table with a column per period (M5's d_1 … d_1913, an ERP export with a date per column), said on the page
    before any box is filled: the form had opened on Date column 'id' and refused the keys as row numbers."""
    said = wide_table_message(pd.DataFrame(columns=[str(c) for c in info.schema]))
    return in_page_words(said) if said else None


def wide_shape_message(info: DatasetInfo) -> str | None:
    """A table with one row per date and a numeric column per product (date, apples, bananas, … flour), and no
    text column to name series by: the page said only 'Choose at least one series key column' and guessed the
    last product as the quantity. The reshape, in the form's words, or None."""
    dates = [c for c, kind in info.schema.items() if kind == "datetime"]
    numbers = [str(c) for c, kind in info.schema.items() if kind == "numeric"]
    distinct = {p.get("name"): p.get("distinct") for p in info.profile if isinstance(p, dict)}
    others = [c for c, kind in info.schema.items() if kind not in ("datetime", "numeric")]
    if len(dates) != 1 or others or len(numbers) < 2 or info.rows < 10 or distinct.get(dates[0]) != info.rows:
        return None
    if sum(bool(set(_words(c)) & _SOLD_WORDS) and not never_quantity(c) for c in numbers) == 1:
        return None  # one series with its drivers (date, sales, price, promo), not a column per product
    shown = ", ".join(numbers[:SHOWN_COLUMNS]) + (" …" if len(numbers) > SHOWN_COLUMNS else "")
    return (f"The table has one row per date and {len(numbers)} numeric columns ({shown}): if each holds the sales "
            "of one product, the desk needs it long, one row per date and product. Reshape it first, e.g. in "
            f"pandas: frame.melt(id_vars=[{dates[0]!r}], var_name='series', value_name='quantity'); then import it "
            "and choose Quantity: quantity and Series keys: series.")


# Most series one row long: the keys name rows, not series (Favorita's row 'id' with store_nbr: 8,880 series of one
# row each, and a job stuck for minutes in the backtest).
MOST_SERIES = 0.5


def check_keys(frame: pd.DataFrame, keys: list[str]) -> None:
    """Refuses series keys that leave most series with a single row because a key column is (nearly) unique on
    every row (a row id), naming it. A catalogue whose items are mostly new, each sold once, passes: its keys are
    right and its series short."""
    from services.retail_future import RetailInputError

    if not keys or frame.empty or not set(keys) <= set(frame.columns):  # a missing column: said by the preparation
        return
    sizes = frame.groupby(keys, dropna=False, sort=False).size()
    single = int((sizes == 1).sum())
    if single <= MOST_SERIES * len(sizes):
        return
    if wide := wide_table_message(frame):  # M5's d_1 … d_1913: a row per item, not a row id (said as 'leave it out')
        raise RetailInputError(wide)
    unique = [k for k in keys if frame[k].nunique(dropna=False) * ROWS_PER_KEY_VALUE > len(frame)]
    if not unique:  # keys that name products, most of them new (sold once so far): short series, not row ids
        return
    named = (f" {', '.join(repr(k) for k in unique)} {'has' if len(unique) == 1 else 'have'} a different value on "
             "(nearly) every row, like a row number: leave it out.")
    raise RetailInputError(
        f"The series keys ({', '.join(keys)}) leave {single:,} of {len(sizes):,} series with a single row, so there "
        f"is no history to forecast from.{named} Choose the columns that name what is sold where (store, item, "
        "family…).")
