"""Separate ink from paper: take out the lighting, then threshold on a principle.

A phone photo of a digit has paper that is brighter on one side than the other,
noise, and blur. Ink is what is darker (or lighter) than the paper *around it*,
so the paper is first estimated at a scale larger than a stroke and taken out;
Otsu's threshold then decides what is ink on the corrected picture, and the
grey levels of the strokes' edges, which MNIST has, are kept.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .._geometry import resample_weights
from ._enlarge import enlarge, is_small, sharpen
from ._errors import NoDigitError
from ._marks import MIN_AREA, MIN_SIDE
from ._threshold import OtsuSplit

# A structure survives the paper's estimate only if it holds a square this
# fraction of the picture's shorter side: strokes, even thick ones, do not.
_PAPER_SCALE = 0.4
_PAPER_GRID = 64  # the paper is estimated on a grid about this many pixels across
# Ink must stand out of the paper by this many of the paper's robust standard
# deviations; noise cut in two by Otsu's threshold is about 2.5 apart, a digit 6 or more.
_MIN_SEPARATION = 4.5
# More "ink" than this is a texture or noise, not a digit; a digit drawn with a
# marker and cropped to its ink covers up to about 80% of the picture.
_MAX_INK_FRACTION = 0.85
_HYSTERESIS = 0.5  # ink above this fraction of Otsu's threshold continues a stroke
# Ink takes at least this fraction of the light that falls on the paper (light ink
# adds as much): fainter "marks" are the steps of a smooth shade stored in few grey
# levels, a stain, a shadow's rim. Digits in every condition of the benchmarks take
# 37% or more (an 8x8 digit enlarged, the faintest); pencil takes about a third.
_MIN_CONTRAST = 0.15
_CLEAN_SIDE = 32  # pictures up to MNIST's size with a uniform border need no cleaning
# Where the border's median lies nearer the middle of the picture's range than this
# share of it, the polarity is judged again with the light's gradient taken out.
_UNDECIDED = 0.1


@dataclass
class Ink:
    """Ink of a picture, light on dark in [0, 1], and the pixels Otsu's threshold calls ink.

    ``level`` is scaled so that the strokes are at 1 (the darkest ink beyond);
    ``strength``, before that scaling, tells inks apart: for dark ink, the share
    of the paper's light it takes (a ballpoint about 0.9, a notebook's printed
    line about 0.25). ``faint`` holds every pixel of even faint ink (the
    hysteresis's lower level), connected to the strokes or not: a notebook's
    faint line, which Otsu's threshold breaks into pieces, runs whole there
    (None where unknown). ``erased`` holds the pixels of the ruled lines taken
    out of the ink: paper now, but as dark as the lines were (None where none
    were).
    """

    level: np.ndarray
    mask: np.ndarray
    strength: np.ndarray
    faint: np.ndarray | None = None
    erased: np.ndarray | None = None


def _block_max(image, factor):
    """The maximum of each ``factor`` x ``factor`` block (a ragged last row or column dropped).

    One elementwise maximum per position in the block, over strided views: ten
    times faster than reducing a 4-D reshape over its block axes, with the
    same result (tested).
    """
    h, w = (side // factor * factor for side in image.shape)
    whole = image[:h, :w]
    out = whole[::factor, ::factor].copy()
    for row in range(factor):
        for col in range(factor):
            np.maximum(out, whole[row::factor, col::factor], out=out)
    return out


def block_mean(image, factor):
    """The mean of each ``factor`` x ``factor`` block (a ragged last row or column dropped)."""
    h, w = (side // factor * factor for side in image.shape)
    return image[:h, :w].reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def grown_from(seeds, allowed):
    """The pixels of ``allowed`` joined to a pixel of ``seeds`` through ``allowed``.

    Four-neighbour connectivity, as ``ndimage.binary_propagation(seeds,
    mask=allowed)`` for seeds inside ``allowed`` (tested equal): labelling the
    allowed pixels once and keeping the pieces that hold a seed takes a
    fraction of the time of dilating again and again along a long thin stroke.
    """
    pieces, count = ndimage.label(allowed)
    keep = np.zeros(count + 1, dtype=bool)
    keep[pieces[seeds]] = True
    keep[0] = False
    return keep[pieces]


def _paper(image):
    """The paper's shade at each pixel, from a picture where ink is dark.

    A grey closing fills every dark structure narrower than its footprint with
    the paper around it, and keeps slow changes (a lighting gradient) exactly.
    It runs on a coarse grid, the maximum of each block, and is brought back by
    linear interpolation: lighting changes slowly.
    """
    factor = max(1, min(image.shape) // _PAPER_GRID)
    coarse = _block_max(image, factor) if factor > 1 else image
    size = max(3, round(_PAPER_SCALE * min(coarse.shape)))
    # Beyond the edges, the paper goes on as it went: a point reflection continues
    # a gradient, where repeating the edge would flatten it and leave the darker
    # side of the page standing as ink.
    padded = np.pad(coarse, size, mode="reflect", reflect_type="odd")
    closed = ndimage.grey_closing(padded, size=(size, size))
    coarse = closed[size:-size, size:-size]
    if factor == 1:
        return coarse
    # Linear interpolation between the blocks' centres as two small matrix
    # products: ndimage.zoom(order=1, grid_mode=True) to 1e-14, ten times faster.
    rows = resample_weights(coarse.shape[0], image.shape[0])
    cols = resample_weights(coarse.shape[1], image.shape[1])
    return rows @ coarse @ cols.T


def outer_ring(array):
    """The pixels of a picture's outermost ring, each once."""
    return np.concatenate([array[0], array[-1], array[1:-1, 0], array[1:-1, -1]])


def _border(shape):
    """The outer ring of a picture of ``shape`` (a mask), about 5% of its side wide."""
    width = max(1, round(0.05 * min(shape)))
    mask = np.ones(shape, dtype=bool)
    mask[width:-width, width:-width] = False
    return mask


def dark_ink(smooth):
    """Whether the ink is darker than the paper: the border is mostly paper, at the
    end of the picture's range away from the ink.

    Where the border's median lies near the middle of the range, a gradient of
    light across the page may have set the range, not the ink (a faint pencil
    in uneven light): the plane of light fitted to the border is taken out, and
    the border judged again against what is left, when that decides.
    """
    border = _border(smooth.shape)
    lo, hi = smooth.min(), smooth.max()
    lean = float(np.median(smooth[border])) - (lo + hi) / 2
    if abs(lean) >= _UNDECIDED * (hi - lo):
        return lean > 0
    flat = smooth - _plane_of_light(smooth, border)
    flat_lean = float(np.median(flat[border])) - (flat.min() + flat.max()) / 2
    # Without the light, a blank page is noise, as near its middle: left as it was.
    if abs(flat_lean) <= _UNDECIDED * (flat.max() - flat.min()):
        return lean > 0
    return flat_lean > 0


def _plane_of_light(smooth, border):
    """The plane of shade fitted to the border's pixels, those of ink on it left out:
    the quarter farthest from a first fit."""
    rows, cols = np.nonzero(border)
    design = np.stack([np.ones(rows.size), rows, cols], axis=1)
    values = smooth[border]
    coefficients = np.linalg.lstsq(design, values, rcond=None)[0]
    away = np.abs(design @ coefficients - values)
    kept = away <= np.percentile(away, 75)
    coefficients = np.linalg.lstsq(design[kept], values[kept], rcond=None)[0]
    grid_rows, grid_cols = np.indices(smooth.shape)
    return coefficients[0] + coefficients[1] * grid_rows + coefficients[2] * grid_cols


def clean_ink(grey):
    """The ink of a small picture on a perfectly uniform background, else None.

    MNIST's own images, and drawings made on a computer, have nothing to take
    out: their border is one exact shade. Read as they are, they keep every
    pixel, and take a fraction of the time of the full cleaning.

    A tiny one (an 8x8 digit with a margin, a thumbnail) is enlarged smoothly
    first, and its blurred strokes are sharpened to the grey levels of MNIST's,
    as every tiny picture's are (``_enlarge.sharpen``): on ``load_digits``'
    even-indexed half, 8 x 8 with a 2-pixel margin, the default and writers
    models read 96.3% of them this way where they read 95.0% and 95.6% with
    the full reading unsharpened, in about a third of the time
    (``benchmarks/bench_other_writers.py``), and fewer of them look unlike
    any digit to :meth:`~mnistkit.MNISTClassifier.assess`.
    """
    if max(grey.shape) > _CLEAN_SIDE:
        return None
    ring = outer_ring(grey)
    lo, hi = grey.min(), grey.max()
    if hi <= lo or ring.min() != ring.max() or ring[0] not in (lo, hi):
        return None
    level = (grey - lo) / (hi - lo)
    level = 1.0 - level if ring[0] == hi else level
    if not is_small(level.shape):
        return level
    return sharpen(enlarge(level)[0])


def _darkest_stroke(smooth_level, mask, paper):
    """The share of the paper's light that the darkest stroke of a digit's length takes.

    Most of the ink may be fainter than the digit's: the printed lines of
    squared paper, where a short thin digit is a few hundredths of what Otsu's
    threshold calls ink. A stroke as long as the smallest digit (see
    ``_marks``) is enough pixels to count, on the smoothed picture (whose
    paper is at ``paper``), where noise does not reach as far.
    """
    darkest = max(MIN_AREA, round(MIN_SIDE * min(mask.shape)))
    inked = smooth_level[mask]
    if inked.size < darkest:
        return 0.0
    return float(np.partition(inked, inked.size - darkest)[inked.size - darkest]) - paper


def find_ink(grey, paper_shade=None):
    """The ink of a grey picture: light on dark, the paper at 0 and the strokes at 1.

    ``paper_shade`` is the paper's shade, in the picture's values, when it is
    known to be flat (a tight crop of a drawing or a scan, from its ring):
    it is then used as it is. Otherwise the paper is estimated at a scale of
    the picture, which a digit filling most of a tight crop can exceed: the
    dense middle of a blurred or thick digit would be taken for darker paper.

    Raises ValueError when nothing stands out of the paper: a blank page, or
    a page of noise.
    """
    lo, hi = grey.min(), grey.max()
    if hi - lo <= 1e-12 * max(abs(hi), abs(lo), 1.0):
        msg = "no digit found: the image is blank (all its pixels have the same value)."
        raise NoDigitError(msg)
    # Light falls on the paper and the ink takes a fraction of it: keep black at 0
    # (for pictures of non-negative values) so that ratios of shades stay true.
    black = min(lo, 0.0)
    image = (grey - black) / (hi - black)
    # Noise hides the paper's shade and Otsu's split; strokes survive a little blur.
    sigma = min(image.shape) / 160
    smooth = ndimage.gaussian_filter(image, sigma) if sigma >= 0.5 else image
    known = None if paper_shade is None else (paper_shade - black) / (hi - black)
    if dark_ink(smooth):
        # Ink absorbs a fraction of the light that falls on the paper: divide.
        paper = np.maximum(_paper(smooth) if known is None else known, 0.05)
        level, smooth_level = 1.0 - image / paper, 1.0 - smooth / paper
    else:
        # Light ink (chalk, a screen, MNIST itself) adds to a dark background.
        floor = 1.0 - _paper(1.0 - smooth) if known is None else known
        level, smooth_level = image - floor, smooth - floor
    split = OtsuSplit(smooth_level)
    threshold, separation = split.threshold, split.separation
    mask = smooth_level > threshold
    fraction = mask.mean()
    if separation < _MIN_SEPARATION:
        msg = (
            "no digit found: nothing stands out of the background (ink and paper "
            f"differ by {separation:.1f} standard deviations of the paper, where a "
            f"digit differs by more than {_MIN_SEPARATION:g}: the image looks blank "
            "or like noise). Photograph the digit closer, with more contrast."
        )
        raise NoDigitError(msg)
    if fraction > _MAX_INK_FRACTION:
        msg = (
            f"no digit found: {fraction:.0%} of the image stands out of the background, "
            f"where a digit covers at most {_MAX_INK_FRACTION:.0%} of it (the image "
            "looks like a texture or noise)."
        )
        raise NoDigitError(msg)
    paper_level = float(np.median(level[~mask]))
    # The paper's smoothed pixels are Otsu's lower class, whose median it has taken.
    paper_smooth = float(split.lower_median)
    stroke_level = float(np.percentile(level[mask], 90))
    contrast = stroke_level - paper_level
    if contrast < _MIN_CONTRAST:
        contrast = max(contrast, _darkest_stroke(smooth_level, mask, paper_smooth))
    if contrast < _MIN_CONTRAST:
        msg = (
            "no digit found: the image is blank or nearly so (its darkest marks take "
            f"{max(contrast, 0.0):.1%} of the paper's light, where ink takes at least "
            f"{_MIN_CONTRAST:.0%})."
        )
        raise NoDigitError(msg)
    # Hysteresis, as in Canny's edge detector: ink half as dark as the threshold
    # still counts where it continues ink above it, so that a thin or faint stroke
    # is not broken into pieces, while paper noise, far below, stays out.
    weak = smooth_level > paper_smooth + _HYSTERESIS * (threshold - paper_smooth)
    mask = grown_from(mask, weak)
    scaled = np.clip((level - paper_level) / (stroke_level - paper_level), 0.0, 1.0)
    return Ink(level=scaled, mask=mask, strength=level, faint=weak)
