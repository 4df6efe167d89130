"""Grad-CAM heat maps through captum's LayerGradCam (a maintained implementation, not our own hooks).

Heat maps are computed once, when a worklist is scored, and drawn elsewhere (reports/triage_figures).
"""
from __future__ import annotations

import numpy as np


def grad_cam(model, layer, batch, targets: list[int], size: int) -> np.ndarray:
    """(N, size, size) heat maps in [0, 1] for each image's target class (0 everywhere when flat).

    ``batch`` is the normalised float input on the model's device; gradients flow only here.
    """
    import torch
    from captum.attr import LayerAttribution, LayerGradCam

    model.eval()
    cam = LayerGradCam(model, layer)
    with torch.enable_grad():
        attributions = cam.attribute(batch.float().requires_grad_(True), target=[int(t) for t in targets],
                                     relu_attributions=True)
    upsampled = LayerAttribution.interpolate(attributions.detach(), (size, size), interpolate_mode="bilinear")
    maps = upsampled.squeeze(1).float().cpu().numpy()
    peaks = maps.reshape(len(maps), -1).max(axis=1).reshape(-1, 1, 1)
    return np.where(peaks > 0, np.clip(maps, 0, None) / np.maximum(peaks, 1e-12), 0.0).astype(np.float32)
