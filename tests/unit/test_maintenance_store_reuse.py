"""A file the desk reads twice (the same test file scored twice) is stored once: it was stored as #8, #9 and #13,
three datasets of one name."""
import pandas as pd

from services import datasets
from services.maintenance_store import import_input


def _runtime():
    from commands.common import runtime

    return runtime()


def test_the_same_bytes_are_read_from_their_stored_copy(settings_env):
    runtime = _runtime()
    data = pd.DataFrame({"unit": [1, 1, 2], "cycle": [1, 2, 1], "s1": [0.5, 0.6, 0.7]}).to_csv(index=False).encode()
    first, frame = import_input(runtime, data, filename="test_FD001.csv", user="t")
    again, same = import_input(runtime, data, filename="test_FD001.csv", user="t")
    assert again.id == first.id and len(datasets.list_datasets(runtime)) == 1
    pd.testing.assert_frame_equal(same, frame)
    seen = []
    import_input(runtime, data, filename="test_FD001.csv", user="t", check=seen.append)  # still checked
    assert len(seen) == 1 and len(datasets.list_datasets(runtime)) == 1
    other, _ = import_input(runtime, data + b"3,1,0.8\n", filename="test_FD001.csv", user="t")
    assert other.id != first.id


def test_a_file_with_blank_rows_is_stored_again_as_scoring_keeps_them_and_training_drops_them(settings_env):
    runtime = _runtime()
    data = b"unit,cycle,s1\n1,1,0.5\n\n1,2,0.6\n"
    trained, frame = import_input(runtime, data, filename="f.csv", user="t")
    scored, kept = import_input(runtime, data, filename="f.csv", user="t", keep_blank_rows=True)
    assert scored.id != trained.id and (len(frame), len(kept)) == (2, 3)
