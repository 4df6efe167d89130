"""Questions over generated tables shaped like public datasets, with answers computed by pandas:

- ``titanic``: the Titanic passenger list (891 rows; Survived, Pclass, Sex, Age with blanks, Fare, Cabin mostly
  blank, Embarked with 2 blanks);
- ``online_retail``: Online-Retail-shaped invoice lines (InvoiceNo repeating over lines, returns with a "C" invoice
  and a negative Quantity, InvoiceDate with times, CustomerID blank on some invoices);
- ``loans``: a Lending-Club-shaped loan book (loan_status Fully Paid, Charged Off, Current, Late (31-120 days),
  In Grace Period, Default; term " 36 months" / " 60 months");
- ``store_sales``: store-item daily sales (3 stores x 4 items a day), for averages per day;
- ``pos``: point-of-sale transactions whose one money column is named only ``amount`` ("total sales");
- ``hr``: IBM-HR-shaped employees ("share of employees by department");
- ``taxi``: NYC-taxi-shaped trips with pickup and dropoff timestamps ("how many trips on weekends").

Run with ``python -m bench.assistant_bench --generated``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bench.assistant_bench import CANNOT, Question


def _titanic(rng: np.random.Generator) -> pd.DataFrame:
    n = 891
    pclass = rng.choice([1, 2, 3], n, p=[0.24, 0.21, 0.55])
    sex = rng.choice(["male", "female"], n, p=[0.65, 0.35])
    age = np.round(rng.normal(29.7, 14.5, n).clip(1, 80)) + np.where(rng.random(n) < 0.05, 0.5, 0)
    age[rng.random(n) < 0.03] = 0.42
    age[rng.random(n) < 0.2] = np.nan
    survived = (rng.random(n) < np.where(sex == "female", 0.74, 0.19) * np.select([pclass == 1, pclass == 2],
                                                                                    [1.3, 1.0], 0.7)).astype(int)
    fare = np.round(np.select([pclass == 1, pclass == 2], [rng.gamma(2, 42, n), rng.gamma(4, 5, n)],
                              rng.gamma(3, 4.5, n)), 4)
    embarked = rng.choice(["S", "C", "Q"], n, p=[0.72, 0.19, 0.09]).astype(object)
    embarked[[61, 829]] = None
    cabin = np.array([f"{rng.choice(list('ABCDE'))}{rng.integers(1, 130)}" if rng.random() < (0.8 if p == 1 else 0.05)
                      else None for p in pclass], dtype=object)
    return pd.DataFrame({"PassengerId": np.arange(1, n + 1), "Survived": survived, "Pclass": pclass, "Sex": sex,
                         "Age": age, "SibSp": rng.choice([0, 1, 2, 3], n, p=[0.68, 0.25, 0.05, 0.02]),
                         "Fare": fare, "Cabin": cabin, "Embarked": embarked})


STOCK = {"85123A": ("WHITE HANGING HEART T-LIGHT HOLDER", 2.55), "71053": ("WHITE METAL LANTERN", 3.39),
         "22423": ("REGENCY CAKESTAND 3 TIER", 12.75), "47566": ("PARTY BUNTING", 4.95),
         "20725": ("LUNCH BAG RED RETROSPOT", 1.65), "21212": ("PACK OF 72 RETROSPOT CAKE CASES", 0.55),
         "POST": ("POSTAGE", 18.0)}


def _online_retail(rng: np.random.Generator) -> pd.DataFrame:
    m = 4000
    invoices = np.sort(rng.choice(rng.integers(536365, 540000, 600), m))
    codes = rng.choice(list(STOCK), m)
    returned = rng.random(m) < 0.03
    quantity = rng.choice([1, 2, 3, 6, 12, 24], m, p=[0.25, 0.2, 0.1, 0.2, 0.2, 0.05]) * np.where(returned, -1, 1)
    minutes = ((invoices - invoices.min()) / (invoices.max() - invoices.min()) * 373 * 24 * 60).astype(int)
    dates = (pd.Timestamp("2010-12-01 08:26") + pd.to_timedelta(minutes, unit="m")).strftime("%Y-%m-%d %H:%M")
    pool = rng.integers(12346, 18288, 300).astype(float)
    customer = {i: (np.nan if rng.random() < 0.2 else rng.choice(pool)) for i in np.unique(invoices)}
    country = {c: rng.choice(["United Kingdom", "Germany", "France", "EIRE"], p=[0.85, 0.05, 0.05, 0.05]) for c in pool}
    ids = [customer[i] for i in invoices]
    return pd.DataFrame({"InvoiceNo": [f"{'C' if r else ''}{i}" for i, r in zip(invoices, returned)],
                         "StockCode": codes, "Description": [STOCK[c][0] for c in codes], "Quantity": quantity,
                         "InvoiceDate": dates, "UnitPrice": [STOCK[c][1] for c in codes], "CustomerID": ids,
                         "Country": ["United Kingdom" if np.isnan(c) else country[c] for c in ids]})


STATUSES = ["Fully Paid", "Charged Off", "Current", "Late (31-120 days)", "In Grace Period", "Default"]


def _loans(rng: np.random.Generator) -> pd.DataFrame:
    n = 2000
    return pd.DataFrame({"id": np.arange(1_000_000, 1_000_000 + n), "loan_amnt": rng.integers(10, 400, n) * 100,
                         "term": rng.choice([" 36 months", " 60 months"], n, p=[0.7, 0.3]),
                         "int_rate": np.round(rng.uniform(5, 28, n), 2), "grade": rng.choice(list("ABCDEFG"), n),
                         "loan_status": rng.choice(STATUSES, n, p=[0.47, 0.13, 0.32, 0.04, 0.02, 0.02]),
                         "purpose": rng.choice(["debt_consolidation", "credit_card", "car"], n)})


def _store_sales(rng: np.random.Generator) -> pd.DataFrame:
    days = pd.date_range("2017-01-01", periods=90).strftime("%Y-%m-%d")
    return pd.DataFrame([{"date": d, "store": s, "item": i, "sales": int(rng.poisson(10 * s + 5 * i))}
                         for d in days for s in (1, 2, 3) for i in (1, 2, 3, 4)])


def _pos(rng: np.random.Generator) -> pd.DataFrame:
    n = 1200
    stamps = pd.Timestamp("2024-01-01 07:00") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s")
    return pd.DataFrame({"transaction_id": np.arange(1, n + 1), "timestamp": stamps.strftime("%Y-%m-%d %H:%M:%S"),
                         "store": rng.choice(["North", "South", "East"], n),
                         "amount": np.round(rng.gamma(2, 12, n), 2)})


def _hr(rng: np.random.Generator) -> pd.DataFrame:
    n = 1470
    return pd.DataFrame({"EmployeeNumber": np.arange(1, n + 1),
                         "Attrition": rng.choice(["Yes", "No"], n, p=[0.16, 0.84]),
                         "Department": rng.choice(["Research & Development", "Sales", "Human Resources"], n,
                                                  p=[0.65, 0.30, 0.05]),
                         "MonthlyIncome": rng.integers(1000, 20000, n)})


def _taxi(rng: np.random.Generator) -> pd.DataFrame:
    n = 3000
    pickup = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 31 * 86400, n), unit="s")
    return pd.DataFrame({"tpep_pickup_datetime": pickup.strftime("%Y-%m-%d %H:%M:%S"),
                         "tpep_dropoff_datetime": (pickup + pd.to_timedelta(rng.integers(3, 60, n), unit="m"))
                         .strftime("%Y-%m-%d %H:%M:%S"), "trip_distance": np.round(rng.gamma(1.5, 2, n), 2),
                         "fare_amount": np.round(rng.gamma(2, 7, n), 2)})


def frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(2026)
    return {"titanic": _titanic(rng), "online_retail": _online_retail(rng), "loans": _loans(rng),
            "store_sales": _store_sales(rng), "pos": _pos(rng), "hr": _hr(rng), "taxi": _taxi(rng)}


def _t(f):
    return f["titanic"]


def _r(f):
    return f["online_retail"].assign(day=lambda d: pd.to_datetime(d.InvoiceDate).dt.strftime("%Y-%m-%d"),
                                     month=lambda d: pd.to_datetime(d.InvoiceDate).dt.strftime("%Y-%m"))


def _finished(f):
    loans = f["loans"]
    return loans[loans.loan_status.isin(["Fully Paid", "Charged Off", "Default"])].assign(
        bad=lambda d: d.loan_status.isin(["Charged Off", "Default"]), term=lambda d: d.term.str.strip())


def _sales(f):
    return f["store_sales"]


def _r2(values) -> list[float]:
    return [round(float(v), 2) for v in values]


def _weekend(f):
    return int((pd.to_datetime(f["taxi"].tpep_pickup_datetime).dt.dayofweek >= 5).sum())


def questions() -> list[Question]:
    T, R, L, S = "titanic", "online_retail", "loans", "store_sales"
    q = Question
    return [
        q(T, "How many passengers survived?", lambda f: int(_t(f).Survived.sum()), "count"),
        q(T, "What percentage of passengers survived?", lambda f: round(100 * _t(f).Survived.mean(), 2), "share"),
        q(T, "What is the survival rate by sex?", lambda f: _r2(100 * _t(f).groupby("Sex").Survived.mean()), "share"),
        q(T, "Which Pclass has the highest survival rate?",
          lambda f: str(_t(f).groupby("Pclass").Survived.mean().idxmax()), "share"),
        q(T, "What is the average age?", lambda f: round(_t(f).Age.mean(), 2), "mean"),
        q(T, "How many passengers have no age?", lambda f: int(_t(f).Age.isna().sum()), "blank"),
        q(T, "What is the average fare by Pclass?", lambda f: _r2(_t(f).groupby("Pclass").Fare.mean()), "group"),
        q(T, "What is the average fare for Pclass 1?", lambda f: round(_t(f)[_t(f).Pclass == 1].Fare.mean(), 2),
          "mean", chain="t1"),
        q(T, "and for Pclass 3?", lambda f: round(_t(f)[_t(f).Pclass == 3].Fare.mean(), 2), "follow-up", chain="t1"),
        q(T, "How many female passengers in Pclass 1 survived?",
          lambda f: int(_t(f).query("Sex == 'female' and Pclass == 1").Survived.sum()), "filter"),
        q(T, "What is the survival rate of passengers younger than 10?",
          lambda f: round(100 * _t(f)[_t(f).Age < 10].Survived.mean(), 2), "share"),
        q(T, "How many passengers have a cabin?", lambda f: int(_t(f).Cabin.notna().sum()), "blank"),
        q(T, "What is the total fare paid?", lambda f: round(_t(f).Fare.sum(), 2), "sum"),
        q(T, "What is the average number of siblings?", lambda f: CANNOT, "unanswerable"),
        q(R, "How many invoices are there?", lambda f: _r(f).InvoiceNo.nunique(), "distinct"),
        q(R, "How many distinct customers are there?", lambda f: _r(f).CustomerID.nunique(), "distinct"),
        q(R, "How many rows have a negative quantity?", lambda f: int((_r(f).Quantity < 0).sum()), "filter"),
        q(R, "How many rows have no CustomerID?", lambda f: int(_r(f).CustomerID.isna().sum()), "blank"),
        q(R, "Which country has the most customers?",
          lambda f: _r(f).groupby("Country").CustomerID.nunique().idxmax(), "compare"),
        q(R, "Top 3 countries by total quantity",
          lambda f: list(_r(f).groupby("Country").Quantity.sum().sort_values(ascending=False).index[:3]), "top-k"),
        q(R, "What was the total quantity in March 2011?",
          lambda f: int(_r(f)[_r(f).month == "2011-03"].Quantity.sum()), "date"),
        q(R, "Which month had the highest total quantity?",
          lambda f: _r(f).groupby("month").Quantity.sum().idxmax(), "date"),
        q(R, "What is the average daily quantity?", lambda f: round(_r(f).groupby("day").Quantity.sum().mean(), 2),
          "per-day"),
        q(R, "What is the average quantity per invoice?",
          lambda f: round(_r(f).groupby("InvoiceNo").Quantity.sum().mean(), 2), "per-invoice"),
        q(R, "What is the average quantity per invoice by country?",
          lambda f: _r2(_r(f).groupby(["Country", "InvoiceNo"]).Quantity.sum().groupby("Country").mean()),
          "per-invoice"),
        q(R, "What is the average quantity per customer?",
          lambda f: round(_r(f).groupby("CustomerID").Quantity.sum().mean(), 2), "per-invoice"),
        q(R, "Which customer bought the most?",
          lambda f: str(int(_r(f).groupby("CustomerID").Quantity.sum().idxmax())), "compare"),
        q(R, "What is the total revenue?", lambda f: CANNOT, "unanswerable"),
        q(L, "What is the default rate by term?",
          lambda f: _r2(100 * _finished(f).groupby("term").bad.mean()), "loan-outcome"),
        q(L, "What is the default rate?", lambda f: round(100 * _finished(f).bad.mean(), 2), "loan-outcome"),
        q(L, "Which grade has the highest default rate?",
          lambda f: _finished(f).groupby("grade").bad.mean().idxmax(), "loan-outcome"),
        q(L, "What percentage of loans defaulted by purpose?",
          lambda f: _r2(100 * _finished(f).groupby("purpose").bad.mean()), "loan-outcome"),
        q(L, "What percentage of loans are charged off?",
          lambda f: round(100 * (_finished(f).loan_status == "Charged Off").mean(), 2), "loan-outcome"),
        q(S, "What is the average daily sales of item 2?",
          lambda f: round(_sales(f)[_sales(f).item == 2].groupby("date").sales.sum().mean(), 2), "per-day"),
        q(S, "What is the mean sales per day by store?",
          lambda f: _r2(_sales(f).groupby(["store", "date"]).sales.sum().groupby("store").mean()), "per-day"),
        q(S, "Which store has the highest average daily sales?",
          lambda f: str(_sales(f).groupby(["store", "date"]).sales.sum().groupby("store").mean().idxmax()), "per-day"),
        q(S, "What is the average daily sales for store 1 item 1?",
          lambda f: round(_sales(f).query("store == 1 and item == 1").sales.mean(), 2), "per-day"),
        q(T, "What is the survival rate by class?", lambda f: _r2(100 * _t(f).groupby("Pclass").Survived.mean()),
          "share"),
        q("pos", "What were the total sales?", lambda f: round(f["pos"].amount.sum(), 2), "sum"),
        q("hr", "What is the share of employees by department?",
          lambda f: _r2(100 * f["hr"].Department.value_counts(normalize=True)), "share"),
        q("taxi", "How many trips on weekends?", _weekend, "filter"),
    ]
