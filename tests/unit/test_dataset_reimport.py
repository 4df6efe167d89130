"""Importing the same file again under the same name uses the dataset stored before, with a note; another name keeps
a second copy. Each import had stored another copy (`data import` twice: datasets #1 and #2, both listed by every
picker)."""
from __future__ import annotations

from pathlib import Path

CSV = "id,amount,bad\n" + "".join(f"L{i},{100 + i},{i % 2}\n" for i in range(30))


def _runtime():
    from commands.common import runtime

    return runtime()


def test_same_bytes_same_name_reuse_the_stored_dataset(settings_env: Path) -> None:
    from services import datasets

    runtime = _runtime()
    first = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", user="ana")
    again = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", user="ben")
    assert again.id == first.id and again.owner == "ana"
    assert again.problems[0]["problem"].startswith(f"This file was imported before, as dataset #{first.id} 'loans'")
    assert [d.id for d in datasets.list_datasets(runtime)] == [first.id]
    assert len(list(runtime.datasets_dir.glob("*.parquet"))) == 1


def test_another_name_or_other_bytes_store_a_new_dataset(settings_env: Path) -> None:
    from services import datasets

    runtime = _runtime()
    first = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", user="ana")
    named = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", name="loans copy", user="ana")
    changed = datasets.import_dataset(runtime, (CSV + "L99,1,0\n").encode(), filename="loans.csv", user="ana")
    assert len({first.id, named.id, changed.id}) == 3
    assert not any("imported before" in p["problem"] for p in named.problems + changed.problems)


def test_a_stored_file_gone_missing_is_stored_again(settings_env: Path) -> None:
    from services import datasets

    runtime = _runtime()
    first = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", user="ana")
    for path in runtime.datasets_dir.glob("*.parquet"):
        path.unlink()
    again = datasets.import_dataset(runtime, CSV.encode(), filename="loans.csv", user="ana")
    assert again.id != first.id and datasets.load_frame(runtime, again.id).height == 30
