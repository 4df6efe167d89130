"""The CLI's --json output is strict JSON: a metric that could not be computed is null, never NaN."""
import json

import numpy as np

from commands.common import json_text


def test_nan_and_infinities_become_null_and_numpy_numbers_plain():
    payload = {"val_auc_ovr": float("nan"), "ratio": np.float64("inf"), "n": np.int64(3),
               "per_class": [{"auc": np.float32("nan")}, (1.5, float("-inf"))], "name": "run"}
    text = json_text(payload)
    assert json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c))) == {
        "val_auc_ovr": None, "ratio": None, "n": 3, "per_class": [{"auc": None}, [1.5, None]], "name": "run"}


def test_a_refused_file_lists_its_errors_on_stderr_and_every_problem_in_json(capsys):
    import argparse

    from commands.common import fail

    problems = [{"row": None, "column": "rate", "problem": "Column 'rate' is named twice.", "severity": "error"},
                {"row": None, "column": "rate (2)", "problem": "Column 'rate (2)' is constant; it will be ignored.",
                 "severity": "info"}]
    assert fail(argparse.Namespace(json=True), "The file cannot be read.", problems) == 2
    captured = capsys.readouterr()
    assert "named twice" in captured.err and "constant" not in captured.err  # a refused file ignores nothing
    assert len(json.loads(captured.out)["problems"]) == 2


def test_column_names_typed_on_a_mac_match_the_files_composed_names():
    import unicodedata

    import cli

    typed = unicodedata.normalize("NFD", "Größe")
    args = cli.compose_column_flags(cli.build_parser().parse_args(
        ["retail", "forecast", "--data", "in.csv", "--date", "Datum", "--target", "Menge", "--series",
         f"Filiale,{typed}", "--horizon", "7", "--out", typed + ".csv"]))
    assert args.series == ["Filiale", unicodedata.normalize("NFC", "Größe")]
    assert args.out == typed + ".csv"  # a path stays as typed: the file system holds its own bytes
