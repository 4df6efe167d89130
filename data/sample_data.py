"""Sample datasets bundled with the app (see data/samples/README.md)."""
from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
SAMPLES = {
    "credit_applicants.csv": "Sample: credit applicants",
    "store_item_sales.csv": "Sample: store item sales",
    "engine_histories.csv": "Sample: engine histories",  # stored before the telemetry, which stays the newest
    "machine_telemetry.csv": "Sample: machine telemetry",
}


def sample_files() -> list[tuple[Path, str]]:
    """(path, dataset name) for each bundled sample that exists."""
    return [(SAMPLES_DIR / name, title) for name, title in SAMPLES.items() if (SAMPLES_DIR / name).is_file()]
