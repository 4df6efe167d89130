"""Images given that no manifest row names are left out of training with a note: a CheXpert-shaped folder holding
valid/ beside the train/ rows of its table had lost those images without a word."""
from __future__ import annotations

from data import images
from services import triage_layout
from tests.triage_support import png_bytes, sample_images


def test_images_without_a_row_are_counted_in_a_note_and_masks_are_not(tmp_path):
    pictures = sample_images(4)
    files = [images.InputFile(f"train/patient{i:05d}/study1/view1_frontal.jpg", png_bytes(px))
             for i, px in enumerate(pictures["normal"] + pictures["pneumonia"])]
    rows = "".join(f"CheXpert-v1.0-small/{f.name},{i // 4}\n" for i, f in enumerate(files))
    files += [images.InputFile("valid/patient00101/study1/view1_frontal.jpg", png_bytes(pictures["normal"][0])),
              images.InputFile("valid/patient00102/study1/view1_frontal.jpg", png_bytes(pictures["normal"][1])),
              images.InputFile("train/patient00000/study1/masks/view1_frontal.png", png_bytes(pictures["normal"][2]))]
    manifest = tmp_path / "labels.csv"
    manifest.write_text("Path,label\n" + rows)
    layout = triage_layout.read_layout(files, str(manifest), [])
    assert len(layout.labels) == 8
    assert "2 image(s) given have no row in the manifest and were left out of training and validation (e.g. " \
        "valid/patient00101/study1/view1_frontal.jpg): give each a row (its file and class) to train on it." \
        in layout.notes
