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


def test_study_pictures_are_compressed_at_the_fast_level_losslessly(tmp_path):
    """Pillow's default level 6 spent about 36 ms a study on its three pictures (a third of ranking 200 studies)."""
    from PIL import Image

    pixels = np.random.default_rng(1).integers(0, 255, (64, 80), dtype=np.uint8)
    triage_figures.write_study_images(tmp_path, "st-1", pixels, np.ones((4, 4)), 512)
    data = (tmp_path / "st-1.png").read_bytes()
    idat = data.index(b"IDAT") + 4
    assert data[idat:idat + 2] == b"\x78\x01"  # zlib header of the fastest level (level 6 writes 78 9c)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "st-1.png")), pixels)


def test_the_overlay_reads_the_ramp_from_a_table_with_the_same_colours():
    pixels = np.random.default_rng(2).integers(0, 255, (40, 30), dtype=np.uint8)
    heat = np.random.default_rng(3).random((7, 7))
    from PIL import Image

    base = np.asarray(triage_figures._resized(triage_figures._rgb(pixels), 256, enlarge=True), dtype=np.float64)
    levels = np.asarray(Image.fromarray((heat * 255).astype(np.uint8)).resize((base.shape[1], base.shape[0]),
                                                                              Image.Resampling.BILINEAR))
    weights = levels[..., None] / 255.0
    ramp = triage_figures.heat_colours(weights[..., 0]).astype(np.float64)  # the ramp computed pixel by pixel
    expected = (base * (1 - 0.45 * weights) + ramp * (0.45 * weights)).clip(0, 255).astype(np.uint8)
    assert np.array_equal(triage_figures.overlay(pixels, heat), expected)
