"""The SQL guard and limits: one SELECT over whitelisted views, parameters, rows and seconds capped."""
import polars as pl
import pytest

from data import query
from data.query_spec import Filter, SelectSpec, render


@pytest.fixture
def views(tmp_path):
    path = tmp_path / "t.parquet"
    pl.DataFrame({"store": [1, 1, 2], "sales": [10, 20, 40], "note": ["a", "x'); DROP TABLE t; --", "c"]}
                 ).write_parquet(path)
    (tmp_path / "secret.csv").write_text("password\nhunter2\n")
    return {"sales data": path}, tmp_path


@pytest.mark.parametrize("sql", [
    "INSERT INTO t VALUES (1)", "DELETE FROM t", "ATTACH 'x.db' AS x", "COPY t TO 'out.csv'",
    "SELECT 1; SELECT 2", "SELECT * FROM read_csv('secret.csv')", "PRAGMA database_list", "DROP VIEW t",
    "SELECT * FROM 'secret.csv'", "SELECT current_setting('threads')", "CREATE TABLE x AS SELECT 1",
    "SELECT * FROM read_csv_auto ('secret.csv')", "SET threads = 1",
])
def test_guard_rejects_everything_but_one_plain_select(sql):
    with pytest.raises(query.QueryRejected):
        query.check_select(sql)


def test_files_outside_the_whitelist_cannot_be_read_even_if_the_guard_missed_it(views):
    mapping, folder = views
    with pytest.raises(query.QueryRejected):
        query.run_select(mapping, f"SELECT * FROM read_text('{folder / 'secret.csv'}')")


def test_select_runs_with_parameters_and_row_limit(views):
    mapping, _ = views
    result = query.run_select(mapping, 'SELECT sales FROM "sales data" WHERE store = ? ORDER BY sales', [1],
                              max_rows=1)
    assert result.rows == ((10,),) and result.truncated and result.columns == ("sales",)


def test_values_are_parameters_not_sql(views):
    mapping, _ = views
    spec = SelectSpec(view="sales data", agg="count", filters=(Filter("note", "=", "x'); DROP TABLE t; --"),))
    sql, params = render(spec)
    assert "DROP" not in sql and params == ["x'); DROP TABLE t; --"]
    assert query.run_select(mapping, sql, params).rows == ((1,),)


def test_blank_and_not_blank_select_missing_or_space_only_cells(tmp_path):
    path = tmp_path / "m.parquet"
    pl.DataFrame({"medal": ["Gold", None, "  ", "Silver", None], "prize": [5.0, None, 1.0, None, None]}
                 ).write_parquet(path)
    mapping = {"m": path}
    counts = {}
    for column in ("medal", "prize"):
        for op in ("is_blank", "not_blank"):
            sql, params = render(SelectSpec(view="m", agg="count", filters=(Filter(column, op),)))
            counts[column, op] = query.run_select(mapping, sql, params).rows[0][0]
    assert counts == {("medal", "is_blank"): 3, ("medal", "not_blank"): 2, ("prize", "is_blank"): 3,
                      ("prize", "not_blank"): 2}
    assert Filter("medal", "is_blank").describe() == "medal is blank"


def test_slow_query_is_interrupted(views):
    mapping, _ = views
    slow = "SELECT count(*) FROM range(100000000000) a"
    with pytest.raises(query.QueryTimeout):
        query.run_select(mapping, slow, timeout_s=0.3)


def test_render_grouped_top_k_and_text_numbers():
    spec = SelectSpec(view="v", agg="sum", measure="Goals", group_by="Team", descending=True, limit=3,
                      label="total Goals", numeric_measure_text=True,
                      filters=(Filter("Year", "between", 2000, 2005),))
    sql, params = render(spec)
    assert sql.startswith('SELECT "Team", SUM(TRY_CAST(')
    assert sql.endswith('ORDER BY "total Goals" DESC NULLS LAST, "Team" LIMIT 3')
    assert params == [2000, 2005]
    assert query.inline('SELECT 1 WHERE a = ? AND b = ?', ["it's", 3]) == "SELECT 1 WHERE a = 'it''s' AND b = 3"


def test_the_shown_query_fills_placeholders_but_not_a_question_mark_inside_quotes():
    from data.query import inline

    sql = "SELECT SUM(TRY_CAST(regexp_replace(\"amount\", '[^0-9.]*?', '') AS DOUBLE)) FROM t WHERE \"y\" = ?"
    assert inline(sql, [2023]).endswith("'[^0-9.]*?', '') AS DOUBLE)) FROM t WHERE \"y\" = 2023")
    assert inline("SELECT 'it''s?', ? FROM \"a?b\"", ["x"]) == "SELECT 'it''s?', 'x' FROM \"a?b\""


def test_distinct_values_come_back_sorted_whatever_order_the_file_holds_them_in(tmp_path):
    """A loan-status rate's note and filter list its finished values; their order followed DuckDB's threads,
    so "IN ('Charged Off', 'Fully Paid')" came out reversed on some runs."""
    path = tmp_path / "t.parquet"
    words = [f"w{i:03d}" for i in range(300)][::-1]
    pl.DataFrame({"word": words * 20, "n": list(range(300, 0, -1)) * 20}).write_parquet(path, row_group_size=500)
    values = query.distinct_values({"t": path}, "t", ["word", "n"])
    assert values["word"] == sorted(words) and values["n"] == list(range(1, 301))
