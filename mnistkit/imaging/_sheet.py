"""A sheet of paper photographed on a darker surface: the picture cut down to the sheet.

A sticky note on a desk, a page on a table: the outer ring of such a photo is
the desk, which the reading would take for the paper (the ring is mostly paper
in every other picture), so that the light sheet became the ink and the digit
a hole in it. The sheet is told on a reduced copy of the picture, where Otsu's
threshold parts light from dark: the largest light region, its holes filled,
is a sheet when

- sheet and surface are two shades apart (not the two ends of a gradient of
  light across a board), and the dark takes most of the picture's outer ring;
- it is broad and nearly fills a rectangle (paper is cut straight), not a stroke;
- it holds dark marks (the digit's strokes, its holes) thinner than its light
  is broad: paper with strokes on it, not strokes around a hole (the inside
  of a chalk 0 on a board is as broad as the 0's strokes are thin, or broader).

The picture is then cut to the sheet, less its edge, and what is left of the
surface in the cut's corners (a sheet turned a little) takes the shade of the
paper nearest to it.
"""

import numpy as np
from scipy import ndimage
from scipy.spatial import ConvexHull, QhullError

from ._clean import block_mean, outer_ring
from ._threshold import OtsuSplit

# The sheet is looked for on a copy reduced to about this many pixels a side.
_GLANCE_SIDE = 128
# The sheet takes less than this share of the picture's outer ring, the surface
# around it the rest.
_SURROUNDED = 0.5
# Otsu's threshold parts sheet and surface by at least this many robust standard
# deviations of the surface (see ``otsu_threshold``): two shades, not the two ends
# of a gradient of light across a board (about 2.5).
_SEPARATE = 3.5
# A sheet covers at least this share of the picture ...
_LEAST_AREA = 0.04
# ... and at least this share of its smallest bounding rectangle, at any angle
# (paper is cut straight; a blob of a digit, a chalk 8 whose loops closed, is round).
_RECTANGULAR = 0.85
# Its marks are at most this share as thick as its paper is broad (the largest
# circles that fit in each).
_THIN_MARKS = 0.5
# Reduced pixels of the sheet's edge left out of the cut: its blur, its shadow.
_EDGE = 2


def cut_to_sheet(grey):
    """The part of a grey picture on a sheet of paper lying on a darker surface.

    Returns ``(picture, (top, left))``: the picture cut to the sheet (the
    surface left in its corners replaced by the paper nearest to it) and
    where the cut begins in ``grey``; ``grey`` itself and ``(0, 0)`` when the
    picture shows no such sheet.
    """
    factor = max(1, max(grey.shape) // _GLANCE_SIDE)
    glance = block_mean(grey, factor) if factor > 1 else grey
    sheet, inside = _sheet(glance)
    if sheet is None:
        return grey, (0, 0)
    # Full-size pixels of the reduced pixels kept: those of the sheet less its edge.
    inner = ndimage.binary_erosion(sheet, iterations=_EDGE)
    rows, cols = np.flatnonzero(inner.any(axis=1)), np.flatnonzero(inner.any(axis=0))
    if rows.size == 0 or not inside[inner].any():
        return grey, (0, 0)
    top, bottom = rows[0] * factor, (rows[-1] + 1) * factor
    left, right = cols[0] * factor, (cols[-1] + 1) * factor
    cut = grey[top:bottom, left:right]
    paper = np.repeat(np.repeat(inner[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1],
                                factor, axis=0), factor, axis=1)[: cut.shape[0], : cut.shape[1]]
    if not paper.all():
        # The nearest pixel of the sheet for each pixel of the surface left in the cut.
        nearest = ndimage.distance_transform_edt(~paper, return_distances=False,
                                                 return_indices=True)
        cut = cut[tuple(nearest)]
    return cut, (int(top), int(left))


def _sheet(glance):
    """The sheet of a reduced picture (a mask), and the dark marks inside it; (None, None)."""
    split = OtsuSplit(glance)
    light = glance > split.threshold
    # The ring first: most pictures have paper there, and are told so before the
    # separation's medians, which take several times as long, are computed.
    if outer_ring(light).mean() >= _SURROUNDED or split.separation < _SEPARATE:
        return None, None
    labels, count = ndimage.label(ndimage.binary_fill_holes(light))
    if count == 0:
        return None, None
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    sheet = labels == np.argmax(sizes)
    marks = sheet & ~light
    if sizes.max() < _LEAST_AREA * light.size or not marks.any():
        return None, None
    broad = ndimage.distance_transform_edt(sheet & light).max()
    thick = ndimage.distance_transform_edt(marks).max()
    if thick > _THIN_MARKS * broad or _rectangularity(sheet) < _RECTANGULAR:
        return None, None
    return sheet, marks


def _rectangularity(region):
    """The share of its smallest bounding rectangle, at any angle, that a region (a
    mask) covers: a rectangle's side lies along an edge of the region's convex hull."""
    rows, cols = np.nonzero(region)
    # The pixels' corners, so that a region one pixel wide has an area.
    points = np.concatenate([np.stack([rows + dr, cols + dc], axis=1)
                             for dr in (0, 1) for dc in (0, 1)]).astype(float)
    try:
        corners = points[ConvexHull(points).vertices]
    except QhullError:
        return 0.0
    rows_by, cols_by = (np.roll(corners, -1, axis=0) - corners).T
    length = np.hypot(rows_by, cols_by)
    # Each edge's direction, and the direction square to it, as (row, column) steps.
    along = corners @ (np.stack([rows_by, cols_by]) / length)
    across = corners @ (np.stack([cols_by, -rows_by]) / length)
    areas = np.ptp(along, axis=0) * np.ptp(across, axis=0)
    return rows.size / areas.min()
