"""The last step of reading: a digit's ink in MNIST's frame, as 784 bytes.

A digit drawn with a thin pen, a one-pixel line or a tablet's polyline is much
thinner, against its size, than MNIST's digits: shrunk into MNIST's 20-pixel
box it becomes a faint thread, which a model trained on MNIST reads less well.
Such a digit's strokes are first widened to a width usual in MNIST.
"""

import numpy as np
from scipy import ndimage

from .._geometry import INK_THRESHOLD, frame_digits, stroke_width
from ._errors import NoDigitError

# Stroke width over the digit's longer side (the ink at half its peak; the width is
# twice the median distance to the paper along the strokes' middle, minus one). On
# MNIST training images 50,000-51,999 enlarged four times (validation images, never
# the test set; benchmarks/explore_stroke_width.py) the 1st percentile is 0.062, the
# 5th 0.078 and the 75th 0.138 (_WIDE). Validation digits redrawn with a thin pen, a
# one-pixel line or a tablet's polyline read at 0.005-0.017, as this module measures
# the reading's ink; a digit stretched 7x4 (tests/test_imaging.py's "stretched")
# reads at 0.05 and more, and widened it is read worse, so _THIN lies between, well
# under MNIST's 1st percentile. A thinner digit is widened to _WIDE, as that
# benchmark's "widened" pictures are.
_THIN = 0.04
_WIDE = 0.138
# Widening by less than this many pixels on each side of a stroke is not done: on a
# digit a few tens of pixels high the width is measured to a pixel at best.
_MIN_RADIUS = 1.0
# A digit's strokes run at most this many times its longer side in all (an 8's two
# loops, about three).
_LENGTH = 5
# A stroke's soft edge lies within this many pixels of its ink at half the peak;
# fainter ink farther out, more than this share of the ink, is drawn apart from
# the strokes. Thin digits redrawn from validation images have none; a ruled page
# whose margin line is the strongest ink has about 0.8.
_EDGE = 2.0
_FAINT_APART = 0.25


def _thin_strokes(ink):
    """How much a digit's strokes are to be widened, with what widening them needs.

    Returns the radius (0 when they stay as they are), the digit's box with room
    around it for the widening, and the distance of its pixels to the strokes
    (None, None when the radius is 0).
    """
    peak = ink.max(initial=0.0)
    if peak <= 0:
        return 0.0, None, None
    # The digit's box, its faint edges included.
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    box = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    strokes = box >= 0.5 * peak
    rows, cols = np.flatnonzero(strokes.any(axis=1)), np.flatnonzero(strokes.any(axis=0))
    longer = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
    # Strokes are at least a pixel wide, so the radius below is at most this: a
    # digit too small to be widened by _MIN_RADIUS (MNIST's own, 20 pixels high)
    # is left as it is without measuring its strokes.
    if (_WIDE * longer - 1.0) / 2.0 < _MIN_RADIUS:
        return 0.0, None, None
    # Strokes thinner than _THIN of the longer side, _LENGTH times it long in all,
    # cover less than this much of its square: more ink is not thin, and its width
    # need not be measured.
    if strokes.sum() >= _THIN * _LENGTH * longer**2:
        return 0.0, None, None
    width = stroke_width(strokes[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    if width >= _THIN * longer:
        return 0.0, None, None
    radius = (_WIDE * longer - max(width, 1.0)) / 2.0
    if radius < _MIN_RADIUS:
        return 0.0, None, None
    box = np.pad(box, int(np.ceil(radius)) + 1)
    distance = ndimage.distance_transform_edt(box < 0.5 * peak)
    inked = box >= INK_THRESHOLD * peak
    if (inked & (distance > _EDGE)).sum() > _FAINT_APART * inked.sum():
        return 0.0, None, None
    return radius, box, distance


def widening_radius(ink):
    """How many pixels :func:`widen_thin_strokes` widens each side of a digit's
    strokes; 0 when it leaves them as they are.

    The strokes are the ink at half its peak or more. They are widened when
    their width is under ``_THIN`` of the digit's longer side, by at least
    ``_MIN_RADIUS``, and when the fainter ink lies along them (their soft
    edges): fainter ink apart from them (a light second stroke, the ruled
    lines of the paper joined to a pen's line) would stay thin beside widened
    strokes, and the picture would change its look.
    """
    return _thin_strokes(ink)[0]


def widen_thin_strokes(ink):
    """The ink with its strokes widened to MNIST's usual width when they are much thinner.

    A digit whose strokes :func:`widening_radius` finds thin has a round brush
    of that radius run along them (a grey dilation by a disc, its edge
    anti-aliased, computed from the distance to the strokes: the same at any
    radius, at the cost of one distance transform). Other digits are returned
    as they are. The result may be larger than ``ink`` (the digit's box and the
    widening around it).
    """
    radius, box, distance = _thin_strokes(ink)
    if radius == 0:
        return ink
    brush = box.max() * np.clip(radius + 0.5 - distance, 0.0, 1.0)
    return np.maximum(box, brush)


def to_mnist_pixels(ink):
    """784 uint8 pixels from a picture of one digit's ink, light on dark in [0, 1].

    A digit much thinner than MNIST's is widened first (:func:`widen_thin_strokes`);
    MNIST's own images, 20 pixels high, are never: their strokes cannot be
    widened by a whole pixel (``_MIN_RADIUS``).
    """
    ink = widen_thin_strokes(ink)
    frame = frame_digits(ink[None])[0]
    if not frame.any():
        msg = "no digit found: the image is blank (no stroke stands out of the background)."
        raise NoDigitError(msg)
    return np.round(frame * 255).astype(np.uint8).ravel()
