"""Numbers asked in bands: "default rate by age group", "average amount by income bracket". I group by a column's
own values, so a band the data does not hold is refused with a hint, not answered by every single value (it listed
53 ages, one group each, as "age groups")."""
from __future__ import annotations

import re

from domain import assistant as rules
from services.assistant_slots import CannotAnswer, Plan
from services.assistant_table import Parsed, TableContext

BANDED = re.compile(r"\s+(?:groups?|bands?|brackets?|ranges?|buckets?|bins?|intervals?|classes)\b")
FEW_VALUES = 12  # a number with this many values or fewer is already its own bands (1 to 5 stars, 3 classes)


def refuse_unbanded(parsed: Parsed, table: TableContext, chosen: Plan) -> None:
    column = chosen.spec.group_by
    if not column or chosen.spec.grain or not table.is_number(column):
        return
    if not any(m.column == column and BANDED.match(parsed.text[m.end:]) for m in parsed.columns):
        return
    known = table.values.get(column)
    if known and len(known) <= FEW_VALUES:
        return
    count = f"{len(known)} different values" if known else "many different values"
    raise CannotAnswer(f"{rules.CANNOT}: {column} holds {count} and no column of '{table.name}' bands them into "
                       f"groups; I do not choose band edges. Ask for each band with a condition, e.g. '… for "
                       f"{column} under 30' or '… for {column} between 30 and 50', or '… by {column}' for "
                       "every value.")
