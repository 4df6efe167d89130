"""Worklist pictures: heat colours, overlays and the files written per study."""
import numpy as np

from reports import triage_figures


def test_heat_colours_run_from_blue_to_red():
    colours = triage_figures.heat_colours(np.array([0.0, 1.0]))
    assert colours[0].tolist() == [0, 0, 128] and colours[1].tolist() == [220, 0, 0]


def test_overlay_keeps_cold_regions_and_colours_hot_ones():
    pixels = np.full((28, 28), 100, np.uint8)
    heat = np.zeros((28, 28), np.float32)
    heat[:14] = 1.0
    out = triage_figures.overlay(pixels, heat)
    assert out.shape == (256, 256, 3) and out.dtype == np.uint8
    assert out[-1, -1].tolist() == [100, 100, 100] and out[0, 0, 0] > out[0, 0, 2]


def test_study_files_and_data_uri(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 255, (600, 300), dtype=np.uint8)
    triage_figures.write_study_images(tmp_path, "st-1", pixels, np.ones((28, 28)), 512)
    triage_figures.write_study_images(tmp_path, "st-2", pixels, None, 512)
    from PIL import Image

    assert Image.open(tmp_path / "st-1.png").size == (256, 512)
    assert max(Image.open(tmp_path / "st-1.thumb.png").size) == 96
    assert (tmp_path / "st-1.cam.png").is_file() and not (tmp_path / "st-2.cam.png").exists()
    assert triage_figures.data_uri(tmp_path / "st-1.thumb.png").startswith("data:image/png;base64,")
    assert triage_figures.data_uri(tmp_path / "missing.png") is None
