"""Training notes in training's words: copies counted in plain English, and a file left out of training said to be
unusable for training (it had read '… cannot be scored — open it in a DICOM viewer', the words for a worklist)."""
from __future__ import annotations

from data import images
from services import triage_inputs, triage_training
from tests.triage_support import DICOM_SAMPLES, png_bytes, sample_images


def _files(copies: int) -> list[images.InputFile]:
    files = [images.InputFile(f"{label}/{i}.png", png_bytes(pixels))
             for label, arrays in sample_images(6).items() for i, pixels in enumerate(arrays)]
    files += [images.InputFile(f"normal/copy{i}.png", files[0].payload) for i in range(copies)]
    return files + [images.InputFile("pneumonia/plan.dcm", (DICOM_SAMPLES / "rtplan.dcm").read_bytes())]


def test_copies_are_counted_in_plain_words_and_a_pixel_less_dicom_cannot_be_used_for_training():
    one = triage_training.load_labelled(_files(1), None, lambda f, m: None)
    assert "1 byte-identical copy left out (see skipped): each image counts once." in one.notes  # 'copie(s)'
    two = triage_training.load_labelled(_files(2), None, lambda f, m: None)
    assert "2 byte-identical copies left out (see skipped): each image counts once." in two.notes
    plan = next(line for line in one.skipped if line.startswith("pneumonia/plan.dcm"))
    assert plan.endswith("it holds no image (an RTPLAN object; a report or other non-image DICOM), so it cannot be "
                         "used for training."), plan
    assert "scored" not in " ".join(one.skipped)


def test_a_dicom_video_is_said_in_words_of_training():
    assert triage_inputs.training_reason("v.dcm: It is a video: export a frame as an image in a DICOM viewer to rank "
                                         "it.") == ("v.dcm: It is a video: export a frame as an image in a DICOM viewer"
                                                    " to train on it.")
