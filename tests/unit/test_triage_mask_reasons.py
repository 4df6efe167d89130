"""A mask left out of a worklist beside the image it outlines is named as a mask even when its name was scrubbed: a
CBIS-DDSM series number equal to a patient's number reads '[removed]', and the mask had been "not an image"."""
from __future__ import annotations

from services import triage_inputs

MASK = "a segmentation mask, beside the image it outlines, which is ranked"


def test_a_scrubbed_mask_name_still_reads_as_a_mask():
    scrubbed = "[removed]_LEFT_CC_1/07-[removed]-2016-DDSM-[removed]/1.000000-ROI mask images-[removed]/1-1.dcm"
    assert triage_inputs.left_out_reason(scrubbed) == MASK
    assert triage_inputs.left_out_reason("Normal/masks/Normal-1.png") == MASK
    assert triage_inputs.left_out_reason("masks/README.txt") == "not an image"
    assert triage_inputs.left_out_reason(".hidden/x_mask.png") == "hidden file or folder"
