"""AppTest: importing a file again under its name reuses the dataset stored before (services/datasets.py), and the
pages say so; they had said "Stored dataset 'loans'" for a copy they never stored."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support import classification_frame

APP = Path(__file__).resolve().parents[2] / "app.py"
GOOD = b"machine,temp,failed\n" + b"".join(f"m{i},{20 + i % 7},{i % 2}\n".encode() for i in range(30))


def _import_twice(page: str | None, key: str, name: str, content: bytes) -> list[str]:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    said = []
    for _ in range(2):
        at.file_uploader(key=f"{key}.upload").upload(name, content, "text/csv")
        at.run()
        at.button(key=f"{key}.import").click()
        at.run()
        assert not at.exception, at.exception
        said.append(" ".join(str(s.value) for s in at.success))
    return said


def test_home_says_the_dataset_imported_before_is_used(app_env):
    from pages import components
    from services import datasets

    first, again = _import_twice(None, "home", "loans.csv", classification_frame(60).to_csv(index=False).encode())
    stored = datasets.list_datasets(components.get_runtime())
    assert len(stored) == 1 and first == "Stored dataset 'loans': 60 rows × 5 columns."
    assert again == f"Using dataset #{stored[0].id} 'loans' (imported before): 60 rows × 5 columns."


def test_the_dataset_picker_says_the_dataset_imported_before_is_used(app_env):
    from pages import components
    from services import datasets

    first, again = _import_twice("retail", "retail", "machines.csv", GOOD)
    stored = datasets.list_datasets(components.get_runtime())
    assert len(stored) == 1 and first == "Stored dataset 'machines': 30 rows."
    assert again == f"Using dataset #{stored[0].id} 'machines' (imported before): 30 rows."
