"""From a grey picture to its marks: size the picture, find its ink, label the ink."""

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ._clean import block_mean, dark_ink, find_ink, grown_from
from ._enlarge import SMALL_SIDE, enlarge, is_small
from ._lines import erase_ruled_lines
from ._load import WORKING_SIDE
from ._marks import big_enough, find_marks, union
from ._sheet import cut_to_sheet

# A tiny picture enlarged by repeating its pixels has its own pixels changing
# from at least this share of lines to the next, across the digit (nearly all of
# them); a drawing of a few large rectangles, from few (3 of 11).
_DETAILED = 0.5
_FAINT = 0.05  # ink this faint still counts where it continues a stroke
_REACH = 0.03  # ... within this fraction of the picture's shorter side
# The paper beside a digit (is_shade_of_light): as far as this share of its size
# around it; where this share of that paper is as dark as the digit's ink, the
# digit is a shadow's edge.
_BESIDE = 0.08
_AS_DARK = 0.05
# A digit cut by the picture's edge is read again with a margin of paper this
# fraction of the picture's longer side around it: wider than the paper's
# estimate reaches into the picture (see _clean._PAPER_SCALE).
_MARGIN = 0.25
# On flat paper (a drawing's, a scan's, a data set's) the paper's shade is known
# from the ring and there is no shading to follow: a narrower margin reads as
# well, on fewer pixels (benchmarks/bench_other_writers.py --digits validation).
_FLAT_MARGIN = 0.15
_PLANE_SAMPLES = 5000  # paper pixels enough to fit the margin's plane of shade
# A picture whose longer side is at least twice this many pixels is glanced at,
# reduced to this many pixels or a few more, before it is read (see read_digit_page).
_GLANCE_SIDE = 96
# Paper is flat when, along each edge of the picture, this share of the paper
# pixels of the outer ring (not ink) lie within _FLAT of the picture's range from
# the ring's lightest pixel (ink dark); a photo's shading spreads them.
_FLAT = 0.04
_FLAT_SHARE = 0.5
_RING_INK = 0.5  # a ring pixel this far from the paper towards the ink is ink
_RING = 2  # pixels: the ring's width (the outermost pixels of a stroke are often grey)
# Along the ring, this fraction of the picture's longer side on either side of a
# stroke that reaches it is the stroke's soft edge, not paper: a blurred digit, or
# one enlarged from 8 x 8 pixels, fades over several pixels. Chosen on load_digits'
# even half and validation digits, enlarged and cut tight: narrower leaves soft
# edges judged as a photo's shading; wider leaves no paper to judge along a side.
_SOFT_EDGE = 0.1
# A box of a form cut out along its outer edges: lines along the whole edge, at
# most _FRAME_DEPTH of the shorter side wide (a form's lines: a wider border is a
# table or a board round the paper, which the page's marks handle). Along the
# edge, each ring of pixels of the lines is within _FRAME_TOLERANCE of the
# picture's range of the outer rings beside it (_FRAME_SHARE of its pixels); the
# paper's first ring inside them differs from it by _FRAME_STEP of the lighter
# one's light or more, as ink does from paper (see _clean._MIN_CONTRAST), beside
# each pixel: a photo's shading changes both alike.
_FRAME_SHARE = 0.9
# ... and the lines' second ring, all round (the very edge of a picture may be
# darker or lighter), is within _FRAME_EVEN of the range of its median.
_FRAME_EVEN = 0.15
_FRAME_TOLERANCE = 0.1
_FRAME_STEP = 0.2
_FRAME_DEPTH = 0.08
_FRAME_BLUR = 0.02  # of the shorter side: the frame's blurred inner edge, at most


@dataclass
class Page:
    """A picture ready to read: its ink, the labelled marks, and its scale to the source.

    The arrays may have a margin of paper around the picture (``margin``
    pixels wide on each side), added when a digit reaches the picture's edge.
    The picture may have been cut out of the working picture, at ``origin``
    (top, left): a sheet of paper out of the desk around it, a frame along the
    picture's whole edge (a box of a form) off.
    """

    grey: np.ndarray  # the picture at its working size, with the margin
    ink: object
    labels: np.ndarray
    marks: list
    scale: float  # working pixels per source pixel
    margin: int = 0
    origin: tuple = (0, 0)

    @property
    def shape(self):
        """The shape of the picture itself, without the margin."""
        rows, cols = self.labels.shape
        return rows - 2 * self.margin, cols - 2 * self.margin


def _line_changes(grey, axis):
    """The indices i where line i + 1 of a picture, along an axis, differs from line i."""
    lines = np.moveaxis(grey, axis, 0)
    return np.flatnonzero((lines[1:] != lines[:-1]).any(axis=1))


def _block_size(grey, axis):
    """The side of the blocks of equal pixels a picture's lines come in along an axis.

    A picture enlarged by repeating each pixel k times (nearest neighbour, as
    ``np.kron`` or a paint program's zoom does) changes only every k lines: k
    divides where it changes and its size. 1 when nothing repeats.
    """
    lines = np.moveaxis(grey, axis, 0)
    if len(lines) < 2 or (lines[1] != lines[0]).any():
        return 1  # its first two lines differ (a photo's noise): no blocks, at no cost
    changes = _line_changes(grey, axis) + 1
    if not changes.size:
        return 1
    return int(np.gcd.reduce(np.append(changes, len(lines))))


def native_size(grey):
    """A tiny picture enlarged by repeating its pixels, given back at its own size.

    Its staircase edges would be read as the digit's shape; its own pixels are
    enlarged smoothly instead, as any tiny picture is. Returns the picture and
    its scale: its pixels per pixel of ``grey`` (1/k, or 1 when it is not such
    a picture).
    """
    rows = _block_size(grey, 0)
    # Square blocks only: a picture stretched more one way keeps its proportions.
    block = 1 if rows == 1 else math.gcd(rows, _block_size(grey, 1))
    if block == 1 or max(grey.shape) // block >= SMALL_SIDE:
        return grey, 1.0
    native = grey[::block, ::block]
    # A drawing of a few large rectangles also comes in blocks; a tiny picture's
    # own pixels change from most lines to the next.
    if min(_changing_share(native, axis) for axis in (0, 1)) < _DETAILED:
        return grey, 1.0
    return native, 1 / block


def _changing_share(grey, axis):
    """The share of pairs of neighbouring lines that differ, between the first and last.

    Counted between the first and the last change only: the paper around a
    narrow digit (a 1) repeats, its strokes do not.
    """
    changes = _line_changes(grey, axis)
    if not changes.size:
        return 0.0
    return changes.size / (changes[-1] - changes[0] + 1)


def _working_size(grey):
    """Shrink a very large picture by averaging blocks, enlarge a tiny one smoothly."""
    grey, native = native_size(grey)
    if native != 1.0:
        working, scale = _working_size(grey)
        return working, scale * native
    longer = max(grey.shape)
    if longer > WORKING_SIDE:
        factor = -(-longer // WORKING_SIDE)
        return block_mean(grey, factor), 1 / factor
    if is_small(grey.shape):
        return enlarge(grey)
    return grey, 1.0


def read_page(grey):
    """The ink and marks of a grey picture of any size, cut to a sheet of paper on a
    desk, a frame along its edge cut off."""
    grey, scale = _working_size(grey)
    grey, (top, left) = cut_to_sheet(grey)
    frame = frame_width(grey)
    page = read_page_at(_inside(grey, frame), scale)
    page.origin = (top + frame, left + frame)
    return page


def _inside(grey, width):
    """The picture without ``width`` pixels on each side."""
    return grey[width : grey.shape[0] - width, width : grey.shape[1] - width]


def read_page_at(grey, scale, paper_shade=None):
    """The ink and marks of a grey picture already at its working size (on paper of
    ``paper_shade`` when it is known to be flat)."""
    ink = erase_ruled_lines(find_ink(grey, paper_shade))
    labels, marks = find_marks(ink.mask)
    return Page(grey=grey, ink=ink, labels=labels, marks=marks, scale=scale)


def read_digit_page(grey):
    """The page of a picture of one digit: read with a margin when the digit reaches its edge.

    A digit cropped tight (a box of a form, one digit cut out of a number, a
    data set of cropped digits) runs into the picture's edge, where the paper
    beyond it can only be guessed and a stroke along the edge is taken for
    paper. When a mark large enough to be a digit reaches the edge, the
    picture is read with a margin of its own paper around it, as if it had
    been cropped with one; marks still know which of them reach the
    picture's own border.

    A tight crop is read once, with its margin, instead of twice, when a
    cheap look tells that a digit reaches the edge: on flat paper (a
    drawing, a scan, a data set), ink on the picture's outer ring; on other
    paper, a glance at a large picture, read at a few times fewer pixels. A
    picture that looks uncut is read as it is, and read again with a margin
    only if its full reading disagrees.
    """
    grey, scale = _working_size(grey)
    grey = cut_to_sheet(grey)[0]
    grey = _inside(grey, frame_width(grey))
    ring = _flat_ring(grey)
    cut = _plane_if_cut(grey, ring)
    if cut is not None:
        page = _read_with_margin(grey, *cut, scale=scale)
        # The cheap look may see at the edge what the full reading sees inside it.
        if page is not None and _digit_at_edge(page.marks, page.shape):
            return page
    paper = None if ring is None else ring[0]
    return with_margin(read_page_at(grey, scale, paper), paper)


def frame_width(grey):
    """The width of a frame that runs along the picture's whole edge; 0 if it has none.

    A box of a form cut out along its outer edges holds its digit inside lines
    that make the whole outer ring of the picture. Taken for the paper, they
    give the page the wrong shade of paper, and dark lines the wrong polarity
    (the outer ring is mostly paper in every other picture). Such a frame is
    cut off. It is told by rings of pixels: the lines make the outer ones all
    round, corners included, of one shade; from the edge inwards, each pixel
    compared with the outer rings' beside it (a photo's shading changes both
    alike), a few rings like them, then, past the lines' blurred inner edge,
    a ring unlike them all along the edge, the paper inside, with something
    on it. A digit cut tight meets its edge only in places: its outer rings
    are ink here and paper there.
    """
    rows, cols = grey.shape
    deepest = int(_FRAME_DEPTH * min(rows, cols))
    blur = max(2, round(_FRAME_BLUR * min(rows, cols)))
    depth = deepest + blur + 2  # the rings looked at
    if deepest < 1 or 4 * depth > min(rows, cols):
        return 0
    sample = grey[::2, ::2]  # the picture's range, at a quarter of the cost of all of it
    lo, hi = float(sample.min()), float(sample.max())
    if hi <= lo:
        return 0
    black = min(lo, 0.0)  # light falls on paper and lines alike: ratios from black

    def ring(d):
        """Ring ``d``, pixel by pixel along the edge: row ``d`` of the picture's four
        sides seen from outside, their corners left out (the same positions at every
        depth)."""
        along = slice(depth, -depth)
        return np.concatenate([grey[d, along], grey[-1 - d, along], grey[along, d],
                               grey[along, -1 - d]]) - black

    # Lines go all round, corners too, in one shade (but for a photo's shading):
    # a digit cut tight meets the edge in places, here ink, there paper.
    second = np.concatenate([grey[1, 1:-1], grey[-2, 1:-1], grey[2:-2, 1], grey[2:-2, -2]])
    if np.mean(np.abs(second - np.median(second)) <= _FRAME_EVEN * (hi - lo)) < _FRAME_SHARE:
        return 0
    # The lines' shade beside each pixel: the middle of the outer three rings, as
    # the very edge of a picture may be darker or lighter (a scanner's, a resize's).
    outer = np.median([ring(0), ring(1), ring(2)], axis=0)
    tolerance = _FRAME_TOLERANCE * (hi - lo)

    @functools.cache
    def apart(d):
        """Ring ``d``, and how far each of its pixels lies from the lines' shade."""
        inner = ring(d)
        return inner, np.abs(inner - outer)

    def alike(d):
        return np.mean(apart(d)[1] <= tolerance) >= _FRAME_SHARE

    def unlike(d):
        inner, away = apart(d)
        return np.mean(away >= _FRAME_STEP * np.maximum(inner, outer)) >= _FRAME_SHARE

    if alike(depth - 1):
        return 0  # the outer rings' shade all the way in: paper, or a board
    lines = 1
    while lines <= deepest and alike(lines):
        lines += 1
    if lines > deepest:
        return 0  # wider than a form's lines: a table round the paper, left to its marks
    last = lines + blur
    for inside in range(lines, last + 1):
        if alike(inside):
            return 0  # the outer rings' shade again: no lines, but strokes or paper
        if not unlike(inside):
            continue  # the lines' blurred inner edge
        # Followed in while the blur still takes it further from the lines.
        while inside < last and unlike(inside + 1):
            if apart(inside + 1)[1].mean() <= apart(inside)[1].mean() + tolerance:
                break
            inside += 1
        paper = np.median(apart(inside)[0]) + black
        within = _inside(sample, -(-inside // 2))
        if not np.any(np.abs(within - paper) >= _FRAME_STEP * (hi - lo)):
            return 0  # nothing inside: the outline is the drawing (a square 0)
        return inside
    return 0


def _glance_at_edge(grey):
    """The paper's plane if a reduced copy of a large picture shows a digit at its edge.

    None for a picture too small to glance at, or whose glance shows no digit
    at its edge, or nothing at all (the full reading then says why).
    """
    factor = max(grey.shape) // _GLANCE_SIDE
    if factor < 2 or min(grey.shape) < 8 * factor:
        return None
    glance = block_mean(grey, factor)
    try:
        ink = find_ink(glance)
    except ValueError:
        return None
    if not _digit_at_edge(find_marks(ink.mask)[1], glance.shape):
        return None
    level, per_row, per_col = _paper_plane(glance, _paper_pixels(ink))
    # From the glance's pixels to the picture's: glance pixel i is the block
    # whose centre is picture pixel factor * i + (factor - 1) / 2.
    shift = (factor - 1) / (2 * factor)
    return level - (per_row + per_col) * shift, per_row / factor, per_col / factor


def _plane_if_cut(grey, ring):
    """(the paper's plane, the margin's fraction, whether the paper is flat) if the
    picture's digit looks cut by its edge, else None.

    Flat paper (a drawing's, a scan's, a data set's) tells at once: a digit
    at the edge is ink on the picture's outer ring, and the paper's shade is
    the ring's lightest (ink dark). Other paper, a photo's, is glanced at when
    the picture is large; a small one is read in full first (None). ``ring``
    is what :func:`_flat_ring` tells of the picture.
    """
    if ring is not None:
        paper, ink_on_ring = ring
        return _flat_paper_margin(paper) if ink_on_ring else None
    plane = _glance_at_edge(grey)
    return None if plane is None else (plane, _MARGIN, False)


def _flat_paper_margin(paper_shade):
    """(the plane, the margin's fraction, flat) of a margin of flat paper of one shade."""
    return (paper_shade, 0.0, 0.0), _FLAT_MARGIN, True


def _flat_ring(grey):
    """(the paper's shade, whether ink reaches the ring) for flat paper, else None."""
    lo, hi = float(grey.min()), float(grey.max())
    if hi <= lo or min(grey.shape) < 4 * _RING:
        return None
    # Ink lies one way from the paper (as find_ink decides), so the paper is the
    # ring's extreme the other way, where a photo's shading and noise spread it.
    # Each side on its own: shading along one edge leaves the others flat.
    dark = dark_ink(grey)
    soft_edge = max(1, round(_SOFT_EDGE * max(grey.shape)))
    depth = min(_RING + soft_edge, min(grey.shape) // 2)
    # Each side's band, as (depth from the edge, position along the side).
    bands = [grey[:depth], grey[::-1][:depth], grey.T[:depth], grey.T[::-1][:depth]]
    paper = float(max(band[:_RING].max() for band in bands) if dark
                  else min(band[:_RING].min() for band in bands))
    bands = [(paper - band if dark else band - paper) / (hi - lo) for band in bands]
    judged = False
    for towards_ink in bands:
        # A stroke's soft edge (a blurred or enlarged digit fades over several
        # pixels) is not the paper's shading: the ring's pixels near ink, in the
        # band or along the ring, are left out.
        near_ink = (towards_ink >= _RING_INK).any(axis=0)
        if near_ink.any():
            near_ink = ndimage.maximum_filter1d(near_ink, 2 * soft_edge + 1)
        if near_ink.all():
            continue  # a side all ink and soft edges tells nothing
        judged = True
        if not _flat(towards_ink[:_RING, ~near_ink]):
            return None
    # Every side all ink (a thick digit cut tight, or noise): all the ring's paper is judged.
    if not judged and not all(_flat(band[:_RING][band[:_RING] < _RING_INK]) for band in bands):
        return None
    return paper, any(np.any(band[:_RING] >= _RING_INK) for band in bands)


def _flat(towards_ink):
    """Whether most of these paper pixels lie within _FLAT of the paper's shade."""
    return np.count_nonzero(towards_ink <= _FLAT) >= _FLAT_SHARE * towards_ink.size


def with_margin(page, paper_shade=None):
    """The page read again with a margin of paper, when a digit may be cut by its edge.

    Otherwise the page is returned as it is. On flat paper of ``paper_shade``
    the margin is of that shade, as for a digit seen at the edge at first
    glance; on other paper it continues a plane fitted to the paper. See
    :func:`read_digit_page`.
    """
    if not _digit_at_edge(page.marks, page.shape):
        return page
    if paper_shade is None:
        margin = _paper_plane(page.grey, _paper_pixels(page.ink)), _MARGIN, False
    else:
        margin = _flat_paper_margin(paper_shade)
    return _read_with_margin(page.grey, *margin, scale=page.scale) or page


def _digit_at_edge(marks, shape):
    return any(mark.touches_border and big_enough(mark, shape) for mark in marks)


def _paper_pixels(ink):
    """The pixels that are paper for sure: not ink, nor even faint ink."""
    return ~ink.mask & (ink.level <= _FAINT)


def _read_with_margin(grey, plane, fraction, flat, *, scale):
    """The page of ``grey`` with a margin of the paper's ``plane`` around it, ``fraction``
    of its longer side wide; None if unread. On ``flat`` paper the plane's shade is
    the paper's everywhere."""
    margin = max(2, round(fraction * max(grey.shape)))
    padded = _with_paper_margin(grey, plane, margin)
    try:
        ink = erase_ruled_lines(find_ink(padded, plane[0] if flat else None), margin)
    except ValueError:  # read as it is, then
        return None
    labels, marks = find_marks(ink.mask, margin)
    return Page(grey=padded, ink=ink, labels=labels, marks=marks, scale=scale, margin=margin)


def _paper_plane(grey, paper):
    """The plane of shade fitted to the pixels ``paper`` marks: (level, per row, per column).

    A lighting gradient is a plane, near enough, over one picture.
    """
    rows, cols = np.nonzero(paper)
    step = max(1, rows.size // _PLANE_SAMPLES)  # a sample is enough for three numbers
    rows, cols = rows[::step], cols[::step]
    if rows.size < 3:  # no paper to fit: one shade, the median
        return float(np.median(grey)), 0.0, 0.0
    design = np.column_stack([np.ones(rows.size), rows, cols])
    coefficients, *_ = np.linalg.lstsq(design, grey[rows, cols], rcond=None)
    return tuple(float(c) for c in coefficients)


def _with_paper_margin(grey, plane, width):
    """The picture with ``width`` pixels of its paper around it.

    The margin continues the paper's shade as the fitted ``plane``: a lighting
    gradient goes on beyond the edge, while a stroke or a table that reaches
    the edge ends there, as it would on the paper around it.
    """
    level, per_row, per_col = plane
    out_rows = np.arange(-width, grey.shape[0] + width)[:, None]
    out_cols = np.arange(-width, grey.shape[1] + width)[None, :]
    padded = np.clip(level + per_row * out_rows + per_col * out_cols, grey.min(), grey.max())
    padded[width:-width, width:-width] = grey
    return padded


def is_shade_of_light(page, marks):
    """Whether the marks are no darker than the paper beside them: the soft edge of
    a shadow, not ink.

    Ink is darker than the paper all round it. A shadow over one side of a
    photo is taken out with the paper, but the bulges of its soft edge are
    left as marks, which the shadow's own paper, just beyond, matches or
    outdoes. The paper beside the marks is what is neither ink nor an erased
    ruled line in their box and :data:`_BESIDE` of their size around it;
    their ink is their darkest tenth. The picture's own grey says which is
    darker: the paper's estimate, taken out of the ink, hides it.
    """
    around = union(marks)
    reach = max(2, round(_BESIDE * max(around.height, around.width)))
    box = (slice(max(0, around.top - reach), around.bottom + reach),
           slice(max(0, around.left - reach), around.right + reach))
    own = pixels_of(page.labels[box], marks)
    grey, ink = page.grey[box], page.ink.mask[box]
    paper = ~ink
    if page.ink.erased is not None:  # the ruled lines taken out are no paper to match
        paper &= ~page.ink.erased[box]
    if not paper.any():
        return False
    # Darkness, whichever way the ink goes: its pixels are the darker or the lighter.
    dark = -grey if grey[ink].mean() < grey[paper].mean() else grey
    core = np.percentile(dark[own], 90)
    return float(np.mean(dark[paper] >= core)) >= _AS_DARK


def ink_of(page, marks, columns=None):
    """The ink of some marks only, with the grey edges of their strokes.

    The edges of a stroke, and its faint parts, are below Otsu's threshold but
    belong to it: pixels of even faint ink connected to the chosen marks are
    kept (hysteresis, as in Canny's edge detector), within a few pixels of them
    so that noisy paper cannot leak in.
    """
    chosen = pixels_of(page.labels, marks)
    if columns is not None:
        keep = np.zeros_like(chosen)
        keep[:, columns] = True
        chosen &= keep
    reach = max(2, round(_REACH * min(page.shape)))
    out = np.zeros_like(page.ink.level)
    rows, cols = np.flatnonzero(chosen.any(axis=1)), np.flatnonzero(chosen.any(axis=0))
    if rows.size == 0:
        return out
    # Nothing beyond ``reach`` of the marks is kept: work in their box and that far
    # around it, the same result at a fraction of the cost on a large page.
    box = (slice(max(0, rows[0] - reach - 1), rows[-1] + reach + 2),
           slice(max(0, cols[0] - reach - 1), cols[-1] + reach + 2))
    chosen, level = chosen[box], page.ink.level[box]
    near = ndimage.binary_dilation(chosen, iterations=reach)
    faint = near & (level > _FAINT)
    kept = grown_from(chosen, faint | chosen)
    out[box] = np.where(kept, level, 0.0)
    return out


def pixels_of(labels, marks):
    """The pixels of some marks (a mask), from the labels they were found in.

    Most digits are one mark: one comparison, where ``np.isin`` first looks
    through the labels twice for their range (a third of ``ink_of``'s time).
    """
    if len(marks) == 1:
        return labels == marks[0].label
    return np.isin(labels, [mark.label for mark in marks])
