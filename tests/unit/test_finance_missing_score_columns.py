"""A scoring file that lacks a model column names the file's unused columns, where a renamed one would be."""
from services.finance_scoring import _missing_columns


def test_a_renamed_column_is_shown_beside_the_one_missing():
    needed = ["ID", "LIMIT_BAL", "PAY_0", "PAY_2"]
    error = _missing_columns(["ID", "LIMIT_BAL", "PAY_1", "PAY_2", "default payment next month"], ["PAY_0"], needed)
    assert str(error) == ("The scoring file lacks column(s) the model needs: 'PAY_0'. The file's columns the model does "
                          "not use: PAY_1, default payment next month; if one of them is 'PAY_0' under another name, "
                          "rename it to 'PAY_0'.")


def test_without_unused_columns_the_message_is_as_before():
    error = _missing_columns(["applicant_id", "income"], ["age"], ["applicant_id", "income", "age"])
    assert str(error) == "The scoring file lacks column(s) the model needs: 'age'."
