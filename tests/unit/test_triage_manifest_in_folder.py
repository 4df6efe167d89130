"""A manifest lying in the images' folder (NIH's Data_Entry_2017.csv beside images/) is the table given, not a file
left out: `triage train` printed "skipped: Data_Entry_2017.csv: not an image" and counted it in skipped_images."""
from __future__ import annotations

from services import triage_layout
from tests.triage_support import png_bytes, sample_images


def test_the_manifest_given_is_not_listed_among_the_files_left_out(tmp_path):
    (tmp_path / "images").mkdir()
    for i, px in enumerate(sample_images(2)["normal"]):
        (tmp_path / "images" / f"0000000{i}_000.png").write_bytes(png_bytes(px))
    (tmp_path / "Data_Entry_2017.csv").write_text("file,label\n")
    (tmp_path / "README.txt").write_text("NIH")
    files, left_out = triage_layout.training_files(str(tmp_path), str(tmp_path / "Data_Entry_2017.csv"))
    assert len(files) == 2 and left_out == ["README.txt: not an image"]
    assert triage_layout.training_files(str(tmp_path))[1] == ["Data_Entry_2017.csv: not an image",
                                                              "README.txt: not an image"]  # no manifest: listed
