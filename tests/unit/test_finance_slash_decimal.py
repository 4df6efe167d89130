"""Numbers written with '/' for the decimal mark (Thera Bank's CCAvg '1/60' = 1.60) are numbers, not categories."""
import pandas as pd

from ml.credit_features import FeaturePlan, align, plan_features


def test_a_slash_decimal_column_reads_as_numbers_and_a_month_year_column_does_not():
    X = pd.DataFrame({"CCAvg": ["1/60", "0/50", "2/10", None, "10/00", "2/10"],
                      "card_expiry": ["01/25", "12/26", "03/27", "05/25", "06/28", "07/29"]})
    plan = plan_features(X)
    assert plan.kinds == {"CCAvg": "numeric", "card_expiry": "categorical"} and plan.slash_decimal == ["CCAvg"]
    aligned = align(X, plan)
    assert aligned["CCAvg"].tolist()[:3] == [1.6, 0.5, 2.1] and aligned["CCAvg"].isna().tolist()[3]
    again = FeaturePlan.from_json(plan.to_json())  # a scoring batch reads it the same way
    assert again.slash_decimal == ["CCAvg"]
    batch = pd.DataFrame({"CCAvg": ["3/40", "x"], "card_expiry": ["01/25", "02/25"]})
    assert align(batch, again)["CCAvg"].tolist()[0] == 3.4
