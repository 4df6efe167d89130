"""What the retail page's forecast form offers and checks before a job is queued (no Streamlit here)."""
from __future__ import annotations

import hashlib
import re
from typing import Any

from services.runtime import Runtime

# Names of what was sold, and of what is on the shelf: a table with both (date, item, qty, on_hand) forecasts
# the first, and the second is the Inventory tab's stock column.
_DEMAND_WORDS = ("qty", "quantity", "quantities", "units", "sales", "sale", "demand", "sold", "volume",
                 "cnt", "count", "orders", "ordered", "revenue", "amount")
_STOCK_WORDS = ("onhand", "stock", "inventory", "available", "balance", "soh", "instock", "backlog")
_STOCK_PAIRS = (("on", "hand"), ("in", "stock"))


def _words(name: str) -> list[str]:
    """'unitsSold', 'Weekly_Sales', 'on-hand' -> their lower-case words."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(name))
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def stock_like(name: str) -> bool:
    words = _words(name)
    return (any(w in _STOCK_WORDS for w in words)
            or any(pair == tuple(words[i:i + 2]) for i in range(len(words)) for pair in _STOCK_PAIRS))


def _demand_like(name: str) -> bool:
    return any(w in _DEMAND_WORDS for w in _words(name))


def guess_quantity(numbers: list[str], roles: dict[str, str]) -> str:
    """The column to forecast: one named like what was sold (qty, units, sales…) before the profile's target guess,
    never a stock-like column (on_hand, stock, inventory…) while another is there; else the last numeric column."""
    open_cols = [c for c in numbers if roles.get(c) not in ("series", "id", "time")] or list(numbers)
    plain = [c for c in open_cols if not stock_like(c)] or open_cols
    named = [c for c in plain if _demand_like(c) and not stock_like(c)]
    profiled = [c for c in plain if roles.get(c) == "target"]
    if named or profiled:
        return (named or profiled)[0]
    return plain[-1]


def stock_columns(schema: dict[str, str], parameters: dict[str, Any]) -> list[str]:
    """Numeric columns the Inventory tab offers as on-hand stock: not the forecast's quantity, date or keys."""
    taken = {parameters.get("target"), parameters.get("date"), *parameters.get("keys", [])}
    return [c for c, kind in schema.items() if kind == "numeric" and c not in taken]


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


def check_before_run(runtime: Runtime, params: dict[str, Any]) -> None:
    """Prepares the table as the job will, so a horizon too long for the history (or another error of the table)
    is shown on the page instead of leaving a failed job; raises RetailInputError with the job's message."""
    from services import datasets, retail

    wanted = [params["date"], params["target"], *params["series"]]
    retail.prepare_sales(datasets.load_pandas(runtime, params["dataset_id"], columns=wanted), params)
