"""The assistant benchmark's questions over the bundled samples, each with its answer computed by pandas
(``bench/assistant_bench.py`` asks them; moved out of it to keep it under the module size)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

CANNOT = "cannot answer"


@dataclass(frozen=True)
class Question:
    dataset: str
    text: str
    expected: Callable[[dict[str, pd.DataFrame]], object]  # a number, text, list of texts, or CANNOT
    kind: str
    chain: str = ""  # questions sharing a chain are asked in one conversation (follow-ups)


def _s(f):  # sales frame helper
    return f["store_item_sales"]


def _c(f):
    return f["credit_applicants"]


def _m(f):
    return f["machine_telemetry"]


def _e(f):
    return f["engine_histories"]


def _year(f, y):
    d = _s(f)
    return d[pd.to_datetime(d["date"]).dt.year == y]


def questions() -> list[Question]:
    S, C, M = "store_item_sales", "credit_applicants", "machine_telemetry"
    q = Question
    return [
        q(S, "How many rows are there?", lambda f: len(_s(f)), "count"),
        q(S, "What is the total sales in 2017?", lambda f: _year(f, 2017).sales.sum(), "sum"),
        q(S, "What is the sum of sales for store 2?", lambda f: _s(f)[_s(f).store == 2].sales.sum(), "sum"),
        q(S, "What is the average sales for store 1?", lambda f: _s(f)[_s(f).store == 1].sales.mean(), "mean",
          chain="a"),
        q(S, "and for store 2?", lambda f: _s(f)[_s(f).store == 2].sales.mean(), "follow-up", chain="a"),
        q(S, "what about 2016?", lambda f: _year(f, 2016).query("store == 2").sales.mean(), "follow-up", chain="a"),
        q(S, "Which store has the highest average sales?",
          lambda f: str(_s(f).groupby("store").sales.mean().idxmax()), "compare"),
        q(S, "Which item has the lowest total sales?", lambda f: str(_s(f).groupby("item").sales.sum().idxmin()),
          "compare"),
        q(S, "Top 2 items by total sales", lambda f: [str(i) for i in _s(f).groupby("item").sales.sum()
                                                       .sort_values(ascending=False).index[:2]], "top-k"),
        q(S, "Compare average sales of store 1 and store 2",
          lambda f: [round(v, 2) for v in _s(f).groupby("store").sales.mean().loc[[1, 2]]], "compare"),
        q(S, "How many days had sales greater than 50?", lambda f: int((_s(f).sales > 50).sum()), "filter"),
        q(S, "How many rows have sales between 20 and 30?", lambda f: int(_s(f).sales.between(20, 30).sum()),
          "filter"),
        q(S, "What is the median sales between March and May 2016?",
          lambda f: _s(f)[pd.to_datetime(_s(f).date).between("2016-03-01", "2016-05-31")].sales.median(), "date"),
        q(S, "Total sales after 2017-06-01", lambda f: _s(f)[pd.to_datetime(_s(f).date) > "2017-06-01"].sales.sum(),
          "date"),
        q(S, "How many rows before 2016-02-01?", lambda f: int((pd.to_datetime(_s(f).date) < "2016-02-01").sum()),
          "date"),
        q(S, "What was the total sales in March 2017?",
          lambda f: _s(f)[pd.to_datetime(_s(f).date).dt.strftime("%Y-%m") == "2017-03"].sales.sum(), "date"),
        q(S, "How many different items are there?", lambda f: _s(f).item.nunique(), "distinct"),
        q(S, "What is the maximum sales of item 3 in store 2?",
          lambda f: _s(f).query("item == 3 and store == 2").sales.max(), "max"),
        q(S, "What is the minimum sales?", lambda f: _s(f).sales.min(), "min"),
        q(S, "What is the average sales per item?", lambda f: [round(v, 2) for v in _s(f).groupby("item").sales.mean()],
          "group"),
        q(S, "What is the mean sales of item 1 in 2016?", lambda f: _year(f, 2016).query("item == 1").sales.mean(),
          "mean", chain="b"),
        q(S, "and for item 2?", lambda f: _year(f, 2016).query("item == 2").sales.mean(), "follow-up", chain="b"),
        q(S, "What is the average profit?", lambda f: CANNOT, "unanswerable"),
        q(S, "What is the total sales in store 9?", lambda f: CANNOT, "unanswerable"),
        q(S, "Total sales in 2020", lambda f: CANNOT, "unanswerable"),
        q(S, "Who won the world cup in 2018?", lambda f: CANNOT, "unanswerable"),
        q(C, "How many applicants are there?", lambda f: len(_c(f)), "count"),
        q(C, "How many applicants have credit risk bad?", lambda f: int((_c(f).credit_risk == "bad").sum()), "filter"),
        q(C, "What is the average credit amount?", lambda f: _c(f).credit_amount.mean(), "mean"),
        q(C, "What is the total credit amount for purpose business?",
          lambda f: _c(f)[_c(f).purpose == "business"].credit_amount.sum(), "sum"),
        q(C, "What is the maximum duration in months?", lambda f: _c(f).duration_months.max(), "max"),
        q(C, "How many applicants are older than 60?", lambda f: int((_c(f).age_years > 60).sum()), "filter"),
        q(C, "What is the median age?", lambda f: _c(f).age_years.median(), "median"),
        q(C, "Which purpose has the highest average credit amount?",
          lambda f: _c(f).groupby("purpose").credit_amount.mean().idxmax(), "compare"),
        q(C, "Which purpose is most common?", lambda f: _c(f).purpose.value_counts().idxmax(), "mode"),
        q(C, "How many distinct purposes are there?", lambda f: _c(f).purpose.nunique(), "distinct"),
        q(C, "What is the average age of applicants with housing rent?",
          lambda f: _c(f)[_c(f).housing == "rent"].age_years.mean(), "mean", chain="c"),
        q(C, "and for own?", lambda f: _c(f)[_c(f).housing == "own"].age_years.mean(), "follow-up", chain="c"),
        q(C, "Top 3 purposes by total credit amount",
          lambda f: list(_c(f).groupby("purpose").credit_amount.sum().sort_values(ascending=False).index[:3]),
          "top-k"),
        q(C, "How many applicants with a credit amount above 10000 are bad?",
          lambda f: int(((_c(f).credit_amount > 10000) & (_c(f).credit_risk == "bad")).sum()), "filter"),
        q(C, "Compare the average duration of good and bad credit risk",
          lambda f: [round(v, 2) for v in _c(f).groupby("credit_risk").duration_months.mean()], "compare"),
        q(C, "What is the average salary?", lambda f: CANNOT, "unanswerable"),
        q(C, "How many applicants have purpose spaceship?", lambda f: CANNOT, "unanswerable"),
        q(M, "How many machines failed?", lambda f: int(_m(f)["Machine failure"].sum()), "sum"),
        q(M, "What is the average torque?", lambda f: _m(f)["Torque [Nm]"].mean(), "mean"),
        q(M, "What is the maximum tool wear for type L?", lambda f: _m(f).query("Type == 'L'")["Tool wear [min]"].max(),
          "max"),
        q(M, "How many rows have rotational speed over 2000?", lambda f: int((_m(f)["Rotational speed [rpm]"] > 2000)
                                                                              .sum()), "filter"),
        q(M, "What is the average air temperature per type?",
          lambda f: [round(v, 2) for v in _m(f).groupby("Type")["Air temperature [K]"].mean()], "group"),
        q(M, "Which type has the highest average process temperature?",
          lambda f: _m(f).groupby("Type")["Process temperature [K]"].mean().idxmax(), "compare"),
        q(M, "How many rows are of type H?", lambda f: int((_m(f).Type == "H").sum()), "filter"),
        q(M, "What is the lowest rotational speed?", lambda f: _m(f)["Rotational speed [rpm]"].min(), "min"),
        q(M, "What is the average humidity?", lambda f: CANNOT, "unanswerable"),
        q(C, "What is the 90th percentile of credit amount?", lambda f: _c(f).credit_amount.quantile(0.9),
          "percentile"),
        q(S, "Total sales of item 1 in 2016 vs 2017", lambda f: [_year(f, y).query("item == 1").sales.sum()
                                                                 for y in (2016, 2017)], "compare"),
        q(M, "What is the minimum and maximum torque?", lambda f: [_m(f)["Torque [Nm]"].min(),
                                                                   _m(f)["Torque [Nm]"].max()], "min"),
        q(C, "What percentage of applicants with duration months over 36 have credit risk bad?",
          lambda f: 100 * (_c(f).query("duration_months > 36").credit_risk == "bad").mean(), "percentage"),
        q(C, "How many missing values are in purpose?", lambda f: int(_c(f).purpose.isna().sum()), "missing"),
        q(M, "Top 3 machines by torque", lambda f: list(_m(f)["Torque [Nm]"].nlargest(3)), "top-k"),
        q(S, "What was the best month for sales?", lambda f: _s(f).groupby(pd.to_datetime(_s(f).date).dt.strftime(
            "%Y-%m")).sales.sum().idxmax(), "compare"),
        q(S, "What is the best selling item?", lambda f: str(_s(f).groupby("item").sales.sum().idxmax()), "compare"),
        q(S, "Which store had the best month?", lambda f: CANNOT, "unanswerable"),
        q(M, "How many heat dissipation failures are there?", lambda f: int(_m(f).HDF.sum()), "count"),
        q(M, "How many machines had a tool wear failure?", lambda f: int(_m(f).TWF.sum()), "count"),
        q(M, "How many failures were there?", lambda f: int(_m(f)["Machine failure"].sum()), "count"),
        q(C, "What percentage of applicants have credit risk bad among those with housing own?",
          lambda f: 100 * (_c(f).query("housing == 'own'").credit_risk == "bad").mean(), "percentage"),
        q(S, "What was the total sales last quarter?", lambda f: _s(f)[pd.to_datetime(_s(f).date) >= "2017-10-01"]
          .sales.sum(), "date"),
        q(S, "Total sales last month for store 2", lambda f: _s(f)[pd.to_datetime(_s(f).date) >= "2017-12-01"]
          .query("store == 2").sales.sum(), "date"),
        q(M, "How many machines faild?", lambda f: int(_m(f)["Machine failure"].sum()), "count"),
        q(M, "What is the avg process temp?", lambda f: _m(f)["Process temperature [K]"].mean(), "mean"),
        q(S, "What is the first date in the data?", lambda f: [_s(f).date.min(), int((_s(f).date == _s(f).date.min())
                                                                                      .sum())], "dates"),
        q(S, "Total sales for items 1 and 2 in 2017", lambda f: [int(v) for v in _year(f, 2017).query(
            "item in [1, 2]").groupby("item").sales.sum()], "filter"),
        q(C, "What percentage of loans over 10000 are bad?",
          lambda f: 100 * (_c(f).query("credit_amount > 10000").credit_risk == "bad").mean(), "percentage"),
        q(C, "What fraction of renters are bad?",
          lambda f: 100 * (_c(f).query("housing == 'rent'").credit_risk == "bad").mean(), "percentage"),
        q(C, "What fraction of homeowners are bad?",
          lambda f: 100 * (_c(f).query("housing == 'own'").credit_risk == "bad").mean(), "percentage"),
        q(C, "What percentage of foreigners are bad?",
          lambda f: 100 * (_c(f).query("foreign_worker == 'yes'").credit_risk == "bad").mean(), "percentage"),
        q("engine_histories", "How many engines are there?", lambda f: int(_e(f).unit.nunique()), "distinct"),
        q("engine_histories", "What is the average engine life in cycles?",
          lambda f: _e(f).groupby("unit").cycle.max().mean(), "mean"),
    ]
