"""From a grey picture to its marks: size the picture, find its ink, label the ink."""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ._clean import find_ink
from ._load import WORKING_SIDE
from ._marks import find_marks

# Sources smaller than this (a thumbnail, a 10x10 icon) are enlarged smoothly
# first: thresholding a handful of pixels would lose the strokes' shape.
_SMALL_SIDE = 20
_ENLARGED_SIDE = 64
_FAINT = 0.05  # ink this faint still counts where it continues a stroke
_REACH = 0.03  # ... within this fraction of the picture's shorter side


@dataclass
class Page:
    """A picture ready to read: its ink, the labelled marks, and its scale to the source."""

    ink: object
    labels: np.ndarray
    marks: list
    scale: float  # working pixels per source pixel

    @property
    def shape(self):
        return self.labels.shape

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
    return Page(ink=ink, labels=labels, marks=marks, scale=scale)


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
