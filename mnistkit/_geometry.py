"""MNIST's geometry, defined once: the field, the box, the centre and the ink that counts.

MNIST's images were made from scanned digits in two steps: each digit was
scaled, keeping its aspect ratio, to fit a 20x20 box (anti-aliased, hence grey
levels), then put in a 28x28 field with its centre of mass at the centre.
Reading a picture (:mod:`mnistkit.imaging`), distorting training copies
(augmentation) and the moment-based features all use the definitions and the
two operations here, so that what the model learns from and what it is shown
are made the same way:

- :func:`frame_digits` crops each digit to its ink, scales it into the box and
  centres it by mass in the field;
- :func:`moments` gives the centre of mass and second moments of a digit's ink;
- :func:`stroke_width` measures how wide a digit's strokes are.
"""

from functools import lru_cache

import numpy as np
from scipy import ndimage

IMAGE_SIDE = 28  # pixels on each side of an MNIST image
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784: the length of one flattened image
BOX = 20  # a digit's longer side, in pixels, once framed
# The centre of mass of a framed digit, row and column, in 0-based pixel indices:
# MNIST shifts by whole pixels, which puts it within half a pixel of (14, 14).
CENTRE = IMAGE_SIDE / 2
# The box is the extent of the pixels at least this fraction of the digit's peak:
# fainter pixels (a stroke's soft edge, a little noise) do not widen it.
INK_THRESHOLD = 0.15


@lru_cache(maxsize=1024)
def resample_weights(n_in, n_out):
    """Matrix (n_out, n_in) that resamples a line of ``n_in`` pixels to ``n_out``.

    Shrinking averages the input pixels each output pixel covers, weighted by
    the overlap (area resampling, which anti-aliases, as Pillow's ``reduce``);
    enlarging interpolates linearly between pixel centres. Each row sums to 1,
    so a constant line stays constant. A 2-D image is resampled as
    ``rows @ image @ cols.T``. The matrix is cached: do not modify it.
    """
    if n_out <= n_in:
        edges = np.arange(n_out + 1) * (n_in / n_out)
        pixel = np.arange(n_in)
        # Overlap of output pixel i, [edges[i], edges[i+1]), with input pixel j, [j, j+1).
        overlap = np.minimum(edges[1:, None], pixel + 1) - np.maximum(edges[:-1, None], pixel)
        weights = np.clip(overlap, 0.0, None)
        weights /= weights.sum(axis=1, keepdims=True)
    else:
        centres = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        weights = np.clip(1 - np.abs(centres[:, None] - np.arange(n_in)[None, :]), 0.0, None)
    weights.flags.writeable = False
    return weights


def moments(stack):
    """Centre of mass, variances and covariance of the ink of each image of a stack.

    Parameters
    ----------
    stack : ndarray of shape (n, height, width)
        Non-negative ink, light on dark; the result has the stack's float type.

    Returns
    -------
    cy, cx, mu02, mu20, mu11 : ndarrays of shape (n,)
        Row and column of the centre of mass, the variance along rows (y) and
        along columns (x), and the covariance, in pixels. Blank images get a
        unit mass, so nothing divides by zero.
    """
    _, height, width = stack.shape
    dtype = stack.dtype.type if np.issubdtype(stack.dtype, np.floating) else np.float64
    ys = np.arange(height, dtype=dtype)
    xs = np.arange(width, dtype=dtype)
    mass = stack.sum(axis=(1, 2))
    mass = np.where(mass > 0, mass, dtype(1))
    # Row and column profiles: cheap matrix-vector products.
    rows = stack.sum(axis=2)
    cols = stack.sum(axis=1)
    cy = rows @ ys / mass
    cx = cols @ xs / mass
    mu02 = rows @ (ys * ys) / mass - cy * cy
    mu20 = cols @ (xs * xs) / mass - cx * cx
    mu11 = (stack @ xs) @ ys / mass - cx * cy
    return cy, cx, mu02, mu20, mu11


def stroke_width(strokes):
    """The width, in pixels, of a digit's strokes (a 2-D boolean mask with some ink).

    Twice the median distance to the paper along the strokes' middle (the ridge
    of the distance transform), minus one, to a pixel (an even width, with no
    middle pixel, reads one less): 1 for a one-pixel line; 9 for the
    median of MNIST's training images 50,000-51,999 enlarged four times
    (linearly) and cut at half their peak.
    """
    # A pixel of paper around them, so that a stroke at the edge ends there.
    distance = ndimage.distance_transform_edt(np.pad(strokes, 1))
    ridge = (distance > 0) & (distance == ndimage.maximum_filter(distance, size=3))
    return 2.0 * float(np.median(distance[ridge])) - 1.0


def _ink_extent(present):
    """First index and length of the run from the first to the last True of each row."""
    first = np.argmax(present, axis=1)
    last = present.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
    return first, np.where(present.any(axis=1), last - first + 1, 0)


def frame_digits(stack):
    """Put each digit of a stack in MNIST's frame, as MNIST's images were made.

    Each digit is cropped to its ink (the pixels at least ``INK_THRESHOLD`` of
    its peak), scaled keeping its aspect ratio so that its longer side is
    ``BOX`` pixels (:func:`resample_weights`: area averaging when shrinking,
    linear when enlarging), and shifted by whole pixels so that its centre of
    mass is as close to (``CENTRE``, ``CENTRE``) as the field allows.

    Parameters
    ----------
    stack : array-like of shape (n, height, width)
        Non-negative ink, light on dark, of any size and scale.

    Returns
    -------
    frames : ndarray of shape (n, 28, 28), dtype float64
        The framed digits, each scaled so that its brightest pixel is 1; a
        blank image stays all 0.
    """
    stack = np.asarray(stack, dtype=np.float64)
    n, height, width = stack.shape
    peaks = stack.reshape(n, -1).max(axis=1, initial=0.0)
    ink = stack >= (INK_THRESHOLD * peaks)[:, None, None]
    ink &= (peaks > 0)[:, None, None]
    top, heights = _ink_extent(ink.any(axis=2))
    left, widths = _ink_extent(ink.any(axis=1))
    scale = BOX / np.maximum(np.maximum(heights, widths), 1)
    out_heights = np.maximum(1, np.round(heights * scale)).astype(int)
    out_widths = np.maximum(1, np.round(widths * scale)).astype(int)
    # One resampling matrix per image and axis, from the ink's box to the scaled
    # digit at the field's top-left corner: the whole stack is then two batched
    # matrix products.
    rows = np.zeros((n, IMAGE_SIDE, height))
    cols = np.zeros((n, IMAGE_SIDE, width))
    for i in np.flatnonzero(heights > 0):
        t, h, oh = top[i], heights[i], out_heights[i]
        c, w, ow = left[i], widths[i], out_widths[i]
        rows[i, :oh, t : t + h] = resample_weights(h, oh)
        cols[i, :ow, c : c + w] = resample_weights(w, ow)
    digits = rows @ stack @ cols.transpose(0, 2, 1)
    digit_peaks = digits.reshape(n, -1).max(axis=1)
    digits /= np.where(digit_peaks > 0, digit_peaks, 1.0)[:, None, None]
    # Whole-pixel shifts, as MNIST's own: no blur. A lopsided digit stays in the field.
    cy, cx, *_ = moments(digits)
    down = np.clip(np.round(CENTRE - cy), 0, IMAGE_SIDE - out_heights).astype(int)
    right = np.clip(np.round(CENTRE - cx), 0, IMAGE_SIDE - out_widths).astype(int)
    source = np.arange(IMAGE_SIDE)
    source_rows = np.clip(source[None, :] - down[:, None], 0, IMAGE_SIDE - 1)
    source_cols = np.clip(source[None, :] - right[:, None], 0, IMAGE_SIDE - 1)
    frames = np.take_along_axis(digits, source_rows[:, :, None], axis=1)
    frames = np.take_along_axis(frames, source_cols[:, None, :], axis=2)
    # Rows and columns shifted in from beyond the digit's corner hold nothing.
    frames *= (source[None, :] >= down[:, None])[:, :, None]
    frames *= (source[None, :] >= right[:, None])[:, None, :]
    return frames
