"""Percentages answerable from one table that were refused: "survival rate by class" where the class is Titanic's
`Pclass` ("no column matches 'class'"), and "share of employees by department", each group's part of all the rows
("I could not tell which rows the percentage should count")."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(7)
N = 400
TITANIC = pd.DataFrame({"PassengerId": np.arange(1, N + 1), "Survived": rng.choice([0, 1], N, p=[0.6, 0.4]),
                        "Pclass": rng.choice([1, 2, 3], N, p=[0.25, 0.2, 0.55]),
                        "Sex": rng.choice(["male", "female"], N), "Fare": np.round(rng.gamma(2, 15, N), 4)})
HR = pd.DataFrame({"EmployeeNumber": np.arange(1, N + 1), "Attrition": rng.choice(["Yes", "No"], N, p=[0.2, 0.8]),
                   "Department": rng.choice(["Research & Development", "Sales", "Human Resources"], N,
                                            p=[0.6, 0.3, 0.1]),
                   "JobRole": rng.choice(["Sales Executive", "Research Scientist"], N)})
SHOP = pd.DataFrame({"store": rng.choice(["North", "South"], 50), "sales": np.round(rng.gamma(2, 10, 50), 2)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("shares") / "var", {"titanic": TITANIC, "hr": HR,
                                                                           "shop": SHOP})


def test_class_is_the_glued_pclass_column(rt):
    rates = (100 * TITANIC.groupby("Pclass").Survived.mean()).round(2)
    reply = asked(rt, "survival rate by class", "titanic")
    assert {r["Pclass"]: round(r["% Survived = 1"], 2) for r in reply.rows} == rates.to_dict(), reply.answer
    assert reply.answer.startswith("Share with Survived = 1 (%), by Pclass: "), reply.answer
    asked(rt, "how many passengers in first class", "titanic", refused=True)  # an ordinal is still no value


def test_share_of_rows_by_group_adds_up_to_one_hundred(rt):
    shares = (100 * HR.Department.value_counts(normalize=True)).round(2)
    for question in ("share of employees by department", "share by department",
                     "what percentage of employees are in each department"):
        reply = asked(rt, question, "hr")
        assert {r["Department"]: round(r["% of rows"], 2) for r in reply.rows} == shares.to_dict(), reply.answer
        assert all(r["rows in all"] == N for r in reply.rows)
        assert reply.answer.startswith("Share of all rows (%), by Department: "), reply.answer
    reply = asked(rt, "which department has the largest share of employees", "hr")
    assert [r["Department"] for r in reply.rows] == list(shares.sort_values(ascending=False).index), reply.answer
    rates = (100 * (HR.Attrition == "Yes").groupby(HR.Department).mean()).round(2)  # a rate stays a rate
    reply = asked(rt, "attrition rate by department", "hr")
    assert {r["Department"]: round(r[next(k for k in r if k.startswith("% "))], 2) for r in reply.rows} == \
        rates.to_dict(), reply.answer


def test_share_of_an_amount_by_group_is_its_part_of_the_total(rt):
    shares = (100 * SHOP.groupby("store").sales.sum() / SHOP.sales.sum()).round(2)
    reply = asked(rt, "share of sales by store", "shop")
    assert {r["store"]: round(r["% of total sales"], 2) for r in reply.rows} == shares.to_dict(), reply.answer
