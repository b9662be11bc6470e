"""Otsu's threshold: the split of a histogram into two classes as different as possible."""

from functools import cached_property

import numpy as np


def otsu_threshold(values, bins=256):
    """The value that splits ``values`` in two classes of maximal between-class variance.

    Returns ``(threshold, separation)``: values above the threshold form the
    upper class; ``separation`` is the distance between the two classes'
    medians in robust standard deviations of the lower class (the paper: 1.4826
    times its median absolute deviation), which tells a digit that stands out
    (6 and more) from noise cut in two (about 2.5). Medians, not means: the
    soft edges of the strokes fall in the lower class, and where the digit
    fills most of the picture (a tight crop) they would inflate its standard
    deviation until a clear digit looked like noise.
    """
    split = OtsuSplit(values, bins)
    return split.threshold, split.separation


class OtsuSplit:
    """Otsu's split of some values: its threshold at once, the rest when asked for.

    The threshold takes a histogram; the separation (see :func:`otsu_threshold`)
    takes three medians, several times as long, which a caller that may decide
    without it (a test on the threshold first) need not compute. The lower
    class's median, a part of it, is kept for a caller that needs it too.
    """

    def __init__(self, values, bins=256):
        self.values = np.asarray(values, dtype=np.float64).ravel()
        self.lo, self.hi = float(self.values.min()), float(self.values.max())
        self.threshold = self.hi if self.hi <= self.lo else _otsu_level(
            self.values, self.lo, self.hi, bins)

    @cached_property
    def lower_median(self):
        """The median of the values at or below the threshold (the lower class)."""
        return np.median(self._lower)

    @cached_property
    def separation(self):
        """The classes' medians apart, in robust standard deviations of the lower class."""
        if self.hi <= self.lo:
            return 0.0
        high = self.values[self.values > self.threshold]
        if high.size == 0 or self._lower.size == 0:
            return 0.0
        paper = self.lower_median
        spread = 1.4826 * np.median(np.abs(self._lower - paper))
        separation = (np.median(high) - paper) / max(spread, 1e-12 * (self.hi - self.lo))
        return float(separation)

    @cached_property
    def _lower(self):
        return self.values[self.values <= self.threshold]


def _otsu_level(values, lo, hi, bins):
    """Otsu's threshold of ``values``, ranging from ``lo`` to ``hi`` (``lo < hi``)."""
    counts = _uniform_histogram(values, lo, hi, bins)
    edges = np.linspace(lo, hi, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    weight_low = np.cumsum(counts)[:-1]
    weight_high = values.size - weight_low
    mass_low = np.cumsum(counts * centres)[:-1]
    mean_low = mass_low / np.maximum(weight_low, 1)
    mean_high = (mass_low[-1] + counts[-1] * centres[-1] - mass_low) / np.maximum(weight_high, 1)
    between = weight_low * weight_high * (mean_high - mean_low) ** 2
    between[(weight_low == 0) | (weight_high == 0)] = -1.0
    return float(edges[int(np.argmax(between)) + 1])


def _uniform_histogram(values, lo, hi, bins):
    """Counts of ``values`` in ``bins`` equal bins from ``lo`` to ``hi`` (the last closed).

    ``np.histogram(values, bins, range=(lo, hi))[0]`` up to a value rounded
    across a bin edge, at a fifth of its time: one multiplication and a
    ``bincount``.
    """
    index = ((values - lo) * (bins / (hi - lo))).astype(np.intp)
    return np.bincount(np.minimum(index, bins - 1), minlength=bins)
