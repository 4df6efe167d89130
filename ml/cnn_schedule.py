"""How long the image classifier trains and at what learning rate: batches and passes per epoch for small sets,
a clock of progress by steps or by a time budget, and the one-cycle learning-rate shape that follows it."""
from __future__ import annotations

import math
import time

MIN_EPOCH_IMAGES = 1024  # an epoch shows at least this many images: a small set is passed over again
MIN_BATCH = 16
EARLY_STOP_FROM = 0.5  # of the schedule: before it the learning rate is high and validation loss swings


class TrainingClock:
    """Training progress in [0, 1]: by steps, or by time when a budget is set (whichever is further).

    The learning-rate schedule follows it, so a time-limited run still finishes its cosine decay.
    """

    def __init__(self, total_steps: int, max_minutes: float | None) -> None:
        self.total, self.done, self.started = max(total_steps, 1), 0, time.monotonic()
        self.budget_s = 60.0 * float(max_minutes) if max_minutes else None

    def step(self) -> None:
        self.done += 1

    def fraction(self) -> float:
        by_steps = self.done / self.total
        by_time = (time.monotonic() - self.started) / self.budget_s if self.budget_s else 0.0
        return min(1.0, max(by_steps, by_time))


def training_plan(images: int, batch_size: int) -> tuple[int, int]:
    """(batch size, passes over the training images per epoch). At 64 images a batch and one pass an epoch,
    300 images made 4 steps an epoch and 40 in all: the network had not left its starting point (training loss
    still 0.68, validation AUC 0.69 where a logistic regression on the pixels got 1.00). A small set gets
    smaller batches (down to 16: one step per 16 images) and is passed over again, freshly shuffled and
    augmented each time, until an epoch shows ``MIN_EPOCH_IMAGES``; a large set trains as asked."""
    batch = max(1, min(int(batch_size), max(MIN_BATCH, images // 16)))
    return batch, max(1, -(-MIN_EPOCH_IMAGES // max(images, 1)))


def lr_factor(fraction: float, warmup: float = 0.1) -> float:
    """Linear warm-up to the peak, then cosine decay to 2 % of it (one-cycle shape)."""
    f = min(max(fraction, 0.0), 1.0)
    if f < warmup:
        return 0.1 + 0.9 * f / warmup
    return 0.02 + 0.98 * 0.5 * (1.0 + math.cos(math.pi * (f - warmup) / (1.0 - warmup)))
