"""Enlarge a tiny picture smoothly before it is read, and sharpen its digit's strokes after.

Thresholding a handful of pixels (a thumbnail, an 8x8 digit, a 10x10 icon)
would lose the strokes' shape; a picture shorter than ``SMALL_SIDE`` is first
enlarged by cubic-spline interpolation, as ``scipy.ndimage.zoom`` with
``order=3`` does. The interpolation is linear in the pixels and acts on rows
and columns apart, so for a small picture it is two small matrix products
with matrices made once per size: the same values as ``ndimage.zoom`` (to
1e-12, tested), in a fraction of its time on pictures this small.
"""

from functools import lru_cache

import numpy as np
from scipy import ndimage

# Pictures with a side shorter than this are enlarged ...
SMALL_SIDE = 20
# ... so that their shorter side is this many pixels ...
_ENLARGED_SIDE = 64
# ... but a narrow picture is not a small one: a 1 cut out to its ink, 72 x 7
# pixels, would be enlarged to over 600 pixels tall and read slowly. Its longer
# side is enlarged to at most this many pixels.
_ENLARGED_LONGER = 128
# An enlarged picture's strokes are blurred, where MNIST's have solid cores and steep
# edges: of the ink of MNIST's digits (training images 50,000 to 51,999), 72% is at
# half its peak or more and 47% at 90% or more; of 8x8 digits enlarged, 54% and 17%
# (benchmarks/explore_tiny_pictures.py). Their levels are stretched so that ink at
# _PAPER of the peak or less becomes paper, and ink at the _STROKES percentile of the
# strokes (the ink above half the peak) or more becomes the peak: 73% and 50% then on
# load_digits' even half with a margin, 76% and 55% for its 8x8 arrays as given (a
# paper level of 0.4 gives about the same shares and reads them less well). Sharpening
# every reading's strokes, not only those of tiny pictures, was tried:
# docs/reading_history.rst.
_PAPER = 0.3
_STROKES = 25


def is_small(shape):
    """Whether a picture of this shape is enlarged before it is read."""
    return min(shape) < SMALL_SIDE and max(shape) > 1


@lru_cache(maxsize=256)
def _spline_weights(n_in, n_out):
    """Matrix (n_out, n_in) that enlarges a line of ``n_in`` pixels to ``n_out``.

    It is ``ndimage.zoom`` applied to each unit line (the columns of the
    identity), so that ``rows @ picture @ cols.T`` is the zoom of the picture.
    Cached: do not modify it.
    """
    weights = ndimage.zoom(np.eye(n_in), (n_out / n_in, 1.0), order=3, mode="nearest",
                           grid_mode=True)
    weights.flags.writeable = False
    return weights


def enlarge(grey):
    """A small picture enlarged smoothly, within its own range of values; and the scale.

    The shorter side becomes ``_ENLARGED_SIDE`` pixels, or the longer side
    ``_ENLARGED_LONGER`` when that is less. Cubic interpolation overshoots
    beside sharp edges: the result is clipped to the picture's own range.
    Returns the enlarged picture and its pixels per pixel of ``grey``.
    """
    factor = min(_ENLARGED_SIDE / min(grey.shape), _ENLARGED_LONGER / max(grey.shape))
    # ndimage.zoom's output shape for this factor (Python's rounding, as SciPy's).
    rows = _spline_weights(grey.shape[0], round(grey.shape[0] * factor))
    cols = _spline_weights(grey.shape[1], round(grey.shape[1] * factor))
    enlarged = np.clip(rows @ grey @ cols.T, grey.min(), grey.max())
    return enlarged, enlarged.shape[0] / grey.shape[0]


def sharpen(ink):
    """The ink of a digit enlarged from a tiny picture, its strokes sharpened as MNIST's.

    ``ink`` is light on dark, paper at 0; the result is in [0, 1].
    """
    peak = ink.max(initial=0.0)
    if peak <= 0:
        return ink
    level = ink / peak
    strokes = float(np.percentile(level[level > 0.5], _STROKES))
    return np.clip((level - _PAPER) / (strokes - _PAPER), 0.0, 1.0)
