"""From a grey picture to its marks: size the picture, find its ink, label the ink."""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ._clean import find_ink
from ._load import WORKING_SIDE
from ._marks import big_enough, find_marks

# Sources smaller than this (a thumbnail, a 10x10 icon) are enlarged smoothly
# first: thresholding a handful of pixels would lose the strokes' shape.
_SMALL_SIDE = 20
_ENLARGED_SIDE = 64
_FAINT = 0.05  # ink this faint still counts where it continues a stroke
_REACH = 0.03  # ... within this fraction of the picture's shorter side
# A digit cut by the picture's edge is read again with a margin of paper this
# fraction of the picture's longer side around it: wider than the paper's
# estimate reaches into the picture (see _clean._PAPER_SCALE).
_MARGIN = 0.25
_PLANE_SAMPLES = 5000  # paper pixels enough to fit the margin's plane of shade


@dataclass
class Page:
    """A picture ready to read: its ink, the labelled marks, and its scale to the source.

    The arrays may have a margin of paper around the picture (``margin``
    pixels wide on each side), added when a digit reaches the picture's edge.
    """

    grey: np.ndarray  # the picture at its working size, with the margin
    ink: object
    labels: np.ndarray
    marks: list
    scale: float  # working pixels per source pixel
    margin: int = 0

    @property
    def shape(self):
        """The shape of the picture itself, without the margin."""
        rows, cols = self.labels.shape
        return rows - 2 * self.margin, cols - 2 * self.margin


def _working_size(grey):
    """Shrink a very large picture by averaging blocks, enlarge a tiny one smoothly."""
    longer, shorter = max(grey.shape), min(grey.shape)
    if longer > WORKING_SIDE:
        factor = -(-longer // WORKING_SIDE)
        h, w = (side // factor * factor for side in grey.shape)
        blocks = grey[:h, :w].reshape(h // factor, factor, w // factor, factor)
        return blocks.mean(axis=(1, 3)), 1 / factor
    if shorter < _SMALL_SIDE and longer > 1:
        factor = min(_ENLARGED_SIDE / shorter, WORKING_SIDE / longer)
        enlarged = ndimage.zoom(grey, factor, order=3, mode="nearest", grid_mode=True)
        return np.clip(enlarged, grey.min(), grey.max()), enlarged.shape[0] / grey.shape[0]
    return grey, 1.0


def read_page(grey):
    """The ink and marks of a grey picture of any size."""
    grey, scale = _working_size(grey)
    ink = find_ink(grey)
    labels, marks = find_marks(ink.mask)
    return Page(grey=grey, ink=ink, labels=labels, marks=marks, scale=scale)


def with_margin(page):
    """The page read again with a margin of paper, when a digit may be cut by its edge.

    A digit cropped tight (a box of a form, one digit cut out of a number, a
    data set of cropped digits) runs into the picture's edge, where the paper
    beyond it can only be guessed and a stroke along the edge is taken for
    paper. When a mark large enough to be a digit reaches the edge, the
    picture is read again with a margin of its own paper around it, as if it
    had been cropped with one; marks still know which of them reach the
    picture's own border. Otherwise the page is returned as it is.
    """
    if not any(mark.touches_border and big_enough(mark, page.shape) for mark in page.marks):
        return page
    margin = max(2, round(_MARGIN * max(page.shape)))
    padded = _with_paper_margin(page.grey, ~page.ink.mask & (page.ink.level <= _FAINT), margin)
    try:
        ink = find_ink(padded)
    except ValueError:  # read as it is, then
        return page
    labels, marks = find_marks(ink.mask, margin)
    return Page(grey=padded, ink=ink, labels=labels, marks=marks, scale=page.scale,
                margin=margin)


def _with_paper_margin(grey, paper, width):
    """The picture with ``width`` pixels of its paper around it.

    The margin continues the paper's shade as a plane fitted to the pixels
    ``paper`` marks: a lighting gradient goes on beyond the edge, while a
    stroke or a table that reaches the edge ends there, as it would on the
    paper around it.
    """
    rows, cols = np.nonzero(paper)
    step = max(1, rows.size // _PLANE_SAMPLES)  # a sample is enough for three numbers
    rows, cols = rows[::step], cols[::step]
    if rows.size >= 3:
        design = np.column_stack([np.ones(rows.size), rows, cols])
        (level, per_row, per_col), *_ = np.linalg.lstsq(design, grey[rows, cols], rcond=None)
    else:  # no paper to fit: one shade, the median
        level, per_row, per_col = float(np.median(grey)), 0.0, 0.0
    out_rows, out_cols = np.indices((grey.shape[0] + 2 * width, grey.shape[1] + 2 * width))
    plane = level + per_row * (out_rows - width) + per_col * (out_cols - width)
    padded = np.clip(plane, grey.min(), grey.max())
    padded[width:-width, width:-width] = grey
    return padded


def ink_of(page, marks, columns=None):
    """The ink of some marks only, with the grey edges of their strokes.

    The edges of a stroke, and its faint parts, are below Otsu's threshold but
    belong to it: pixels of even faint ink connected to the chosen marks are
    kept (hysteresis, as in Canny's edge detector), within a few pixels of them
    so that noisy paper cannot leak in.
    """
    chosen = np.isin(page.labels, [mark.label for mark in marks])
    if columns is not None:
        keep = np.zeros_like(chosen)
        keep[:, columns] = True
        chosen &= keep
    reach = max(2, round(_REACH * min(page.shape)))
    near = ndimage.binary_dilation(chosen, iterations=reach)
    faint = near & (page.ink.level > _FAINT)
    kept = ndimage.binary_propagation(chosen, mask=faint | chosen)
    return np.where(kept, page.ink.level, 0.0)
