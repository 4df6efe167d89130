"""The results' grade table: percent with one decimal, and "–" where a grade has no applicants."""
from pages.finance_views import grade_view


def test_a_grade_without_applicants_reads_a_dash_not_none():
    rows = [{"grade": "A", "pd_from": 0.0, "pd_to": 0.02, "applicants": 0, "share": 0.0, "mean_pd": None,
             "observed_default_rate": None},
            {"grade": "B", "pd_from": 0.02, "pd_to": 0.05, "applicants": 240, "share": 0.004167, "mean_pd": 0.0351,
             "observed_default_rate": 0.0125}]
    shown = grade_view(rows)
    assert shown["mean_pd"].tolist() == ["–", "3.5"]
    assert shown["observed_default_rate"].tolist() == ["–", "1.2"]
    assert shown["share"].tolist() == ["0.0", "0.4"] and shown["pd_to"].tolist() == ["2.0", "5.0"]
    assert shown["applicants"].tolist() == [0, 240]
