"""`cli.py finance train` arguments reach the finance service as given."""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import pytest

from commands import finance as finance_command


def _parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    finance_command.register(parser.add_subparsers(dest="desk"))
    return parser.parse_args(["finance", "train", "--data", "loans.csv", "--target", "LoanStatus", *argv])


@pytest.fixture
def captured(monkeypatch):
    from services import finance

    seen = {}

    def train_from_file(runtime, data, **options):
        seen.update(options)
        run = SimpleNamespace(id=1, dataset_id=1, metrics={"oof_auc": 0.7}, parameters={})
        return SimpleNamespace(id=1), run

    monkeypatch.setattr(finance, "train_from_file", train_from_file)
    monkeypatch.setattr(finance_command, "runtime", lambda: None)
    monkeypatch.setattr(finance_command, "user", lambda: "tester")
    return seen


@pytest.mark.parametrize("argv, positive", [
    (("--positive", "Chargedoff", "--positive", "Defaulted"), "Chargedoff,Defaulted"),  # Prosper: both defaults
    (("--positive", "Chargedoff,Defaulted"), "Chargedoff,Defaulted"),
    (("--positive", "Charged Off"), "Charged Off"),
    ((), None),
])
def test_every_positive_value_given_is_passed_on(captured, capsys, argv, positive):
    args = _parsed("--json", *argv)
    assert args.func(args) == 0
    assert captured["positive"] == positive
    assert '"run_id": 1' in capsys.readouterr().out
