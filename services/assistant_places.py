"""Places in a table: the column a row word ("country", "nation", "city") names where no column is called so, and
the summary rows of tables that hold aggregates beside their parts.

Our World in Data files hold World, Europe, Asia, European Union, High income … beside the countries (an
``OWID_`` code, a blank ``continent``): "total new cases" counted each case two or three times, "which location
has the most cases" answered World, and "total deaths by continent" put the aggregates in a "no continent" group.
Summed or ranked across locations, those rows are left out and the reply says so; a question naming a location
("location World") or a group ("continent Europe") reads its own rows as before.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from data import query as sql
from data import query_probes as probes
from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_areas import larger_areas
from services.assistant_slots import Plan
from services.assistant_table import TableContext, column_words, is_code

# A row word and the words of column names that can hold such names: "country" finds `location` or `entity`
# when no column is called country; several candidates name none.
PLACE_WORDS = {"country": "country nation", "nation": "country nation", "city": "city town",
               "state": "state province", "province": "state province"}
PLACE_HOLDERS = frozenset("location place area entity geo geography locality".split())
TOTAL_NAMES = frozenset("world total all global overall".split())
SHOWN_NAMES = 4
# Summary rows are a few names beside many parts; "names" that are also on rows with a group and make up this share
# of the column's values are its ordinary values (leaving them out left no row at all)
MOST_NAMES = 0.5
# A value named as a total ("TotalUS", "World", "Grand Total") is a summary row where the column holds at least this
# many values and at most this many such names
MANY_PARTS, NAMED_TOTALS = 5, 2


@dataclass(frozen=True)
class Aggregates:
    """Rows that sum others: their names in ``entity``; ``group`` is blank on them (and only on them) if set."""
    entity: str
    names: tuple[str, ...]
    group: str | None = None
    code: str | None = None

    def filters(self) -> tuple[Filter, ...]:
        if self.group:
            return (Filter(self.group, "not_blank"),)
        return tuple(Filter(self.entity, "!=", name) for name in self.names)


def place_column(table: TableContext, word: str) -> str | None:
    """The one text column that can hold the names a place word asks for, where no column is named by it."""
    wanted = set(PLACE_WORDS.get(word, "").split())
    if not wanted:
        return None
    texts = [c for c in table.columns if not table.is_numeric(c) and not table.is_date(c) and not is_code(c)]
    named = [c for c in texts if set(column_words(c).split()) & wanted]
    if named:
        return named[0] if len(named) == 1 else None
    holders = [c for c in texts if set(column_words(c).split()) & PLACE_HOLDERS]
    return holders[0] if len(holders) == 1 else None


def aggregates(table: TableContext) -> Aggregates | None:
    """The summary rows of the table, if it holds any (read once per stored file)."""
    texts = tuple(c for c in table.columns if "VARCHAR" in table.types.get(c, "").upper()
                  and not table.unique.get(c))
    blanks = tuple(c for c in texts if 0 < table.missing.get(c, 0) < 50 and c in table.values)  # few values
    if not Path(table.path).is_file():  # a table known only by its columns (no stored file): nothing to read
        return None
    # amounts that add up over areas (`Total Volume` before `AveragePrice`), and the keys they add up on
    measures = tuple(sorted((c for c in table.columns if table.is_numeric(c) and not is_code(c)
                             and not rules.is_level(c)),
                            key=lambda c: not set(column_words(c).split()) & rules.FLOW_WORDS))
    keys = tuple(c for c in table.columns if table.is_date(c)) + tuple(c for c in texts if c not in blanks)
    try:
        return _aggregates(table.view, str(table.path), texts, blanks, measures, keys)
    except (sql.QueryRejected, sql.QueryTimeout):  # a probe that fails leaves the table as it is
        return None


@lru_cache(maxsize=64)
def _aggregates(view: str, path: str, texts: tuple[str, ...], blanks: tuple[str, ...], measures: tuple[str, ...] = (),
                keys: tuple[str, ...] = ()) -> Aggregates | None:
    views = {view: Path(path)}
    code = probes.owid_code_column(views, view, texts)
    owid = probes.owid_clause(code) if code else ""
    for group in blanks:
        blank = probes.blank_clause(group)
        groups = {str(v).strip().lower() for v in probes.distinct_where(views, view, group, probes.not_clause(blank))}
        found = [(entity, probes.distinct_where(views, view, entity, probes.all_of(blank, owid)))
                 for entity in texts if entity not in (group, code)]
        # the column naming the aggregates holds a group's name (Europe) or World; with OWID codes, the first one
        named = [(e, n) for e, n in found if {str(v).strip().lower() for v in n} & (groups | TOTAL_NAMES)]
        entity, names = next(iter(named or [(e, n) for e, n in found if n and code]), (None, []))
        if entity is not None:
            mixed = probes.all_of(probes.not_clause(blank), probes.in_clause(entity, len(names)))
            clean = not probes.has_row(views, view, mixed, names)
            every = probes.distinct_where(views, view, entity, probes.not_clause(probes.blank_clause(entity)))
            if not clean and len(names) >= MOST_NAMES * len(every):
                continue  # Pokémon's Type 1 where Type 2 is blank (Water, Fire …): ordinary rows, not summaries
            return Aggregates(entity, _ordered(names), group if clean else None, code)
    if code:
        entity = next((c for c in texts if c != code), None)
        names = probes.distinct_where(views, view, entity, owid) if entity else []
        return Aggregates(entity, _ordered(names), None, code) if names else None
    return _named_totals(views, view, texts, measures, keys)


def _named_totals(views: dict[str, Path], view: str, texts: tuple[str, ...], measures: tuple[str, ...],
                  keys: tuple[str, ...]) -> Aggregates | None:
    """A total named so among many parts, with no blank group or code to mark it: the avocado prices' region
    TotalUS beside 53 regions ("which region sold the most avocados" answered TotalUS), a "Total" or "World" row;
    with it the larger areas that add up others of the column (West, California beside LosAngeles)."""
    for entity in texts:
        every = [str(v) for v in probes.distinct_where(views, view, entity, "TRUE")]
        names = [v for v in every if _total_name(v)]
        if len(every) >= MANY_PARTS and 0 < len(names) <= NAMED_TOTALS and _holds_most(views, view, entity, names,
                                                                                       measures):
            areas = larger_areas(views, view, entity, tuple(names), measures, keys)
            return Aggregates(entity, _ordered(names) + tuple(sorted(areas)))
    return None


def _holds_most(views: dict[str, Path], view: str, entity: str, names: list[str], measures: tuple[str, ...]) -> bool:
    """A named total sums its parts, so it holds the largest amount of the column's values on the first measure
    (TotalUS beside the regions); German credit's credit_history "all paid here" (49 of 1,000 applicants) is an
    ordinary value that was left out of every sum as an aggregate. True where there is no measure to tell."""
    if not measures:
        return True
    amount = f"SUM({sql.quote_identifier(measures[0])})"
    text = (f"SELECT CAST({sql.quote_identifier(entity)} AS VARCHAR) AS v FROM {sql.quote_identifier(view)} "
            f"GROUP BY 1 ORDER BY {amount} DESC NULLS LAST LIMIT 1")
    return str(next(iter(sql.run_select(views, text, []).records()), {}).get("v")) in names


def _total_name(value: str) -> bool:
    words = column_words(value).split()
    return 0 < len(words) <= 3 and (words[0] in TOTAL_NAMES or words[-1] == "total")


def _ordered(names: list) -> tuple[str, ...]:
    """World (or another total) first, then by name."""
    return tuple(sorted((str(n) for n in names), key=lambda n: (n.strip().lower() not in TOTAL_NAMES, n)))


def without_aggregates(table: TableContext, chosen: Plan) -> Plan:
    """A statistic summed, averaged or ranked across the table leaves the summary rows out; a question whose
    conditions name a location, a code or a group ("location World", "continent Europe") is left as it is."""
    spec = chosen.spec
    if spec.agg is None or (spec.agg == "count" and not spec.measure and not spec.group_by):
        return chosen
    found = aggregates(table)
    if found is None:
        return chosen
    named = {found.entity, found.group, found.code} - {None}
    if any(f.column in named for f in spec.filters):  # a share's counted rows ("from France") are not the whole
        return chosen
    extra = {**spec.extra, "aggregates": found}
    return replace(chosen, spec=replace(spec, filters=spec.filters + found.filters(), extra=extra))


def group_reading(table: TableContext, hits: list[tuple[str, object]]) -> tuple[str, object] | None:
    """"New cases in Europe", where Europe is both a location (its summary rows) and a continent: the continent's
    rows (its countries) are read, and the reply checks them against the summary rows (see ``region_check``)."""
    found = aggregates(table) if len({c for c, _ in hits}) == 2 else None
    if found is None or not found.group or {c for c, _ in hits} != {found.entity, found.group}:
        return None
    group = next(h for h in hits if h[0] == found.group)
    return group if any(str(n).strip().lower() == str(group[1]).strip().lower() for n in found.names) else None


def region_swap(table: TableContext, chosen: Plan) -> tuple[Plan, str, str] | None:
    """The plan over a summary row ("location = Europe") in place of its group ("continent = Europe"), with both
    conditions as written, for a single figure whose group is also a summary row's name; None otherwise."""
    if chosen.intent != "aggregate" or chosen.spec.agg not in ("sum", "count"):
        return None
    found = aggregates(table)
    groups = [f for f in chosen.spec.filters if found and found.group and f.column == found.group and f.op == "="]
    if len(groups) != 1 or not any(str(n).strip().lower() == str(groups[0].value).strip().lower()
                                   for n in found.names):
        return None
    said = next(n for n in found.names if str(n).strip().lower() == str(groups[0].value).strip().lower())
    own = Filter(found.entity, "=", said)
    filters = tuple(own if f is groups[0] else f for f in chosen.spec.filters)
    notes = tuple(own.describe() if n == groups[0].describe() else n for n in chosen.notes)
    return replace(chosen, spec=replace(chosen.spec, filters=filters), notes=notes), groups[0].describe(), \
        own.describe()


def region_sentence(group: str, own: str, value: object, other: object) -> str:
    """What the figure is summed over, and whether the summary row agrees."""
    said = f" These are the rows of {group} (its members), not the summary rows of {own}"
    if other is None:
        return said + ", which have no value to check it against."
    if value == other or (isinstance(value, (int, float)) and isinstance(other, (int, float))
                          and abs(value - other) <= 1e-9 * max(1.0, abs(value))):
        return said + f", which give the same: {rules.format_number(other)}."
    return said + f", which give {rules.format_number(other)} (the source sums its summary rows its own way)."


def aggregates_note(chosen: Plan) -> str:
    """The sentence the reply ends with when summary rows were left out."""
    found = chosen.spec.extra.get("aggregates")
    if not found:
        return ""
    names = ", ".join(found.names[:SHOWN_NAMES]) + (" …" if len(found.names) > SHOWN_NAMES else "")
    where = f", where {found.group} is blank" if found.group else ""
    return (f" The rows of aggregates ({found.entity} {names}{where}) are left out, since they add up other rows "
            f"again; ask for '{found.entity} {found.names[0]}' to read one.")
