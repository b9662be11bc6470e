"""Put a digit's ink in MNIST's format: a 20x20 box, centred by mass in 28x28 pixels.

MNIST's images were made from scanned digits in two steps: each digit was
scaled, keeping its aspect ratio, to fit a 20x20 box (anti-aliased, hence grey
levels), then put in a 28x28 field with its centre of mass at the centre.
"""

from functools import lru_cache

import numpy as np

from .._shape import IMAGE_SIDE

_BOX = 20  # the digit's larger side, in pixels
# The centre of mass of MNIST's digits, row and column, in 0-based pixel indices:
# an integer shift puts it within half a pixel of (14, 14).
_CENTRE = IMAGE_SIDE / 2
_INK_THRESHOLD = 0.15  # fraction of the full contrast that counts as ink for the box


@lru_cache(maxsize=256)
def _resample_weights(n_in, n_out):
    """Matrix (n_out, n_in) that resamples a line of n_in pixels to n_out.

    Shrinking averages the input pixels each output pixel covers, weighted by
    the overlap (area resampling, which anti-aliases); enlarging interpolates
    linearly between pixel centres.
    """
    if n_out <= n_in:
        edges = np.arange(n_out + 1) * (n_in / n_out)
        pixel = np.arange(n_in)
        # Overlap of output pixel i, [edges[i], edges[i+1]), with input pixel j, [j, j+1).
        overlap = np.minimum(edges[1:, None], pixel + 1) - np.maximum(edges[:-1, None], pixel)
        weights = np.clip(overlap, 0.0, None)
        return weights / weights.sum(axis=1, keepdims=True)
    weights = np.zeros((n_out, n_in))
    centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    centres = np.clip(centres, 0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    rows = np.arange(n_out)
    np.add.at(weights, (rows, left), 1 - frac)
    np.add.at(weights, (rows, right), frac)
    return weights


def _resize(ink, shape):
    return _resample_weights(ink.shape[0], shape[0]) @ ink @ _resample_weights(
        ink.shape[1], shape[1]
    ).T


def _centre_in_field(digit):
    """Place the digit in a 28x28 field with its centre of mass near (14, 14)."""
    field = np.zeros((IMAGE_SIDE, IMAGE_SIDE))
    h, w = digit.shape
    mass = digit.sum()
    row = (digit.sum(axis=1) @ np.arange(h)) / mass
    col = (digit.sum(axis=0) @ np.arange(w)) / mass
    # Integer shifts, as MNIST's own: no blur. A lopsided digit stays in the field.
    top = int(np.clip(np.round(_CENTRE - row), 0, IMAGE_SIDE - h))
    left = int(np.clip(np.round(_CENTRE - col), 0, IMAGE_SIDE - w))
    field[top : top + h, left : left + w] = digit
    return field


def to_mnist_pixels(ink):
    """784 uint8 pixels from a picture of one digit's ink, light on dark in [0, 1]."""
    rows = np.flatnonzero((ink >= _INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink >= _INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        msg = "no digit found: the image is blank (no stroke stands out of the background)."
        raise ValueError(msg)
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = _BOX / max(ink.shape)
    shape = tuple(max(1, round(side * scale)) for side in ink.shape)
    digit = np.clip(_resize(ink, shape), 0.0, 1.0)
    peak = digit.max()
    if peak <= 0:
        msg = "no digit found: the image is blank."
        raise ValueError(msg)
    field = _centre_in_field(digit / peak)
    return np.round(field * 255).astype(np.uint8).ravel()
