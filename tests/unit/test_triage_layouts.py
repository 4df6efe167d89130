"""Training-set layouts and sizes met in public sets: Kaggle's train/<class>/ beside an unlabelled test/, full-size
films kept small while decoded, and file names a Mac stores decomposed found when typed composed."""
from __future__ import annotations

import io
import unicodedata

import numpy as np
import pandas as pd
import pytest

from data import image_decode, images
from data.records import RunRecord
from ml import images as imaging
from services import triage, triage_inputs, triage_review, triage_training
from tests.support import make_runtime
from tests.triage_support import dicom_bytes, png_bytes, sample_images


def _quiet(fraction, message):
    return None


def _class_files(per_class: int = 8) -> list[images.InputFile]:
    return [images.InputFile(f"chest/train/{label}/{i}.png", png_bytes(px))
            for label, arrays in sample_images(per_class).items() for i, px in enumerate(arrays)]


def test_an_unlabelled_test_folder_beside_class_folders_is_left_out_with_a_note():
    """Kaggle's layout (train/NORMAL, train/PNEUMONIA, test/*.png) was refused whole: '12 images are not inside a
    class folder (e.g. chest/test/0.png)'."""
    loose = [images.InputFile(f"chest/test/{i}.png", png_bytes(px))
             for i, px in enumerate(sample_images(6, split="test")["normal"] + sample_images(6)["pneumonia"])]
    labelled = triage_training.load_labelled(_class_files() + loose, None, _quiet)
    assert labelled.counts == {"normal": 8, "pneumonia": 8} and labelled.test is None
    assert ("12 image(s) in chest/test/ lie in no class folder (e.g. chest/test/0.png): unlabelled, so they were "
            "left out of training and validation. To rank them, rank that folder on the Worklist tab (or with "
            "`triage score`).") \
        in labelled.notes
    assert not any("not inside a class folder" in s for s in labelled.skipped)


def test_loose_images_outside_a_test_folder_are_still_refused():
    loose = [images.InputFile(f"chest/{i}.png", png_bytes(px)) for i, px in enumerate(sample_images(6)["normal"])]
    with pytest.raises(triage_training.TrainingSetError, match="6 images are not inside a class folder"):
        triage_training.load_labelled(_class_files() + loose, None, _quiet)
    only_test = [images.InputFile(f"test/{i}.png", png_bytes(px)) for i, px in enumerate(sample_images(6)["normal"])]
    with pytest.raises(triage_training.TrainingSetError, match="6 images are not inside a class folder"):
        triage_training.load_labelled(only_test, None, _quiet)


def test_large_training_images_are_kept_at_a_working_size_not_at_full_size():
    """300 films of about 2000 × 1700 px were all held decoded at full size until resized to 28 px: 2.0 GB peak."""
    rng = np.random.default_rng(0)
    blocks = [np.kron(rng.integers(0, 256, (110, 90), dtype=np.uint8), np.ones((10, 10), np.uint8))
              for _ in range(12)]
    files = [images.InputFile(f"{label}/{i}.png", png_bytes(blocks[6 * k + i]))
             for k, label in enumerate(("normal", "pneumonia")) for i in range(6)]
    labelled = triage_training.load_labelled(files, None, _quiet, size=28)
    frame = pd.concat([labelled.train, labelled.valid]) if labelled.valid is not None else labelled.train
    assert {image.shape for image in frame["image"]} == {(256, 209)}


def test_shrink_keeps_aspect_channels_and_what_the_network_sees():
    rng = np.random.default_rng(1)
    grey = np.clip(rng.normal(128, 40, (1000, 700)), 0, 255).astype(np.uint8)
    colour = np.stack([grey, grey // 2, 255 - grey], axis=-1)
    assert imaging.shrink(grey, 256).shape == (256, 179) and imaging.shrink(colour, 256).shape == (256, 179, 3)
    assert imaging.shrink(grey, 2000) is grey
    for size in (28, 64):
        direct = imaging.to_tensor([grey], size, 1).numpy().astype(int)
        shrunk = imaging.to_tensor([imaging.shrink(grey, 4 * size)], size, 1).numpy().astype(int)
        assert np.abs(direct - shrunk).max() <= 1


def test_a_file_name_stored_decomposed_is_found_when_typed_composed(tmp_path):
    """A Mac's ZIP stores 'Röntgen_1.png' as o + U+0308: typed on a keyboard it read 'No study … in worklist'."""
    runtime = make_runtime(tmp_path / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={},
                                     parameters={"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia",
                                                 "normal_class": "normal", "review_threshold": 0.4,
                                                 "urgent_threshold": 0.8}, status="succeeded"))
        uow.commit()
        run_id = run.id
    stored = unicodedata.normalize("NFD", "chest/Röntgen_1.png")
    frame = pd.DataFrame({"record_key": ["st-aaaa", "st-bbbb"], "file": [stored, "b.png"], "p_abnormal": [0.9, 0.1],
                          "priority": ["urgent", "routine"], "predicted_class": ["pneumonia", "normal"],
                          "rank": [1, 2], "reason": ["", ""]})
    pictures = sample_images(1, split="test")
    triage._store_worklist(runtime, run_id, "c0c0c0", frame, {"st-aaaa": pictures["normal"][0],
                                                              "st-bbbb": pictures["pneumonia"][0]},
                           {}, ("normal", "pneumonia"), user="ana")
    typed = unicodedata.normalize("NFC", "chest/Röntgen_1.png")
    assert typed != stored
    assert triage_review.find_study(runtime, run_id, typed) == ("c0c0c0", "st-aaaa")
    assert triage_review.find_study(runtime, run_id, stored) == ("c0c0c0", "st-aaaa")


def test_a_class_folder_that_copies_another_is_refused_with_a_message_not_a_traceback():
    """pneumonia/ holding the same files as normal/ left no image to train on: KeyError 'side' from pandas."""
    files = [images.InputFile(f"{label}/{i}.png", png_bytes(px)) for label in ("normal", "pneumonia")
             for i, px in enumerate(sample_images(4)["normal"])]
    with pytest.raises(triage_training.TrainingSetError) as error:
        triage_training.load_labelled(files, None, _quiet)
    assert str(error.value).startswith("Once byte-identical copies filed under different labels are left out, no "
                                       "class has images left: a classifier needs two or more classes. 4 image(s) "
                                       "are stored byte-identical under different labels")
    files += [images.InputFile(f"normal/own{i}.png", png_bytes(px))
              for i, px in enumerate(sample_images(8)["normal"][4:])]
    with pytest.raises(triage_training.TrainingSetError, match="left out, only 'normal' has images left"):
        triage_training.load_labelled(files, None, _quiet)


def test_a_cd_export_s_dicomdir_is_left_out_as_its_index_not_ranked_as_a_study(tmp_path):
    """A CD/DVD export (DICOMDIR beside PT000000/ST000000/…/IM000000) put DICOMDIR at the top of the worklist as
    'needs manual read: DICOMDIR: the DICOM file has no pixel data … open it in a DICOM viewer'."""
    import pydicom
    from pydicom.fileset import FileSet

    export = FileSet()
    for i, pixels in enumerate(sample_images(2, split="test")["normal"]):
        ds = pydicom.dcmread(io.BytesIO(dicom_bytes(pixels)))
        ds.StudyInstanceUID, ds.SeriesInstanceUID = pydicom.uid.generate_uid(), pydicom.uid.generate_uid()
        ds.StudyDate, ds.StudyTime, ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = "20240101", "1200", "1", 1, i + 1
        export.add(ds)
    export.write(tmp_path / "cd")
    ignored: list[str] = []
    files = triage_inputs.read_files(str(tmp_path / "cd"), ignored)
    assert ignored == ["DICOMDIR"] and len(files) == 2
    assert all(f.name.startswith("PT000000/") and image_decode.decode(f.payload, f.name).kind == "dicom"
               for f in files)
    assert triage_inputs.left_out_reason("cd/DICOMDIR") == ("a DICOM directory, the index of a CD/DVD export: its "
                                                            "images are read from their own files")


def test_a_study_to_rank_is_kept_at_the_stored_picture_s_size_not_at_full_size():
    """300 films of about 2000 × 1700 px were held at full size while ranked: 1.9 GB peak (0.83 GB kept small)."""
    film = np.kron(np.random.default_rng(2).integers(0, 256, (120, 100), dtype=np.uint8), np.ones((10, 10), np.uint8))
    entry = triage._read_entry(b"salt", images.InputFile("film.png", png_bytes(film)), {}, {"size": 28})
    assert entry["pixels"].shape == (512, 427) and entry["reason"] == ""
    wide = triage._read_entry(b"salt", images.InputFile("f2.png", png_bytes(film)), {}, {"size": 224})
    assert wide["pixels"].shape == (896, 747)
    strip = np.tile(np.arange(0, 250, 10, dtype=np.uint8), (20, 120))  # 20 × 3000: a caution from its own size
    small = triage._read_entry(b"salt", images.InputFile("strip.png", png_bytes(strip)), {}, {"size": 28})
    assert small["pixels"].shape == (3, 512) and "only 3000 × 20 pixels" in small["reason"]
