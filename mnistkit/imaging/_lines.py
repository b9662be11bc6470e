"""Ruled lines that cross a digit: found and erased before the marks are labelled.

A digit written on ruled or squared paper touches or crosses the paper's
lines. Where the lines are dark enough to count as ink, the digit and the
lines are one connected mark, which no rule about marks can take apart: it is
as wide as the picture, so it is dropped as a line, or read as a digit with a
bar through it. The lines are erased from the ink first.

A ruled line here is a thin, straight band of ink (it may be slanted: a line
is fitted to it) that runs across the picture from edge to edge, while the
rest of the ink keeps clear of those edges. That keeps the strokes of a
digit: a 7's bar or a 4's crossbar runs edge to edge only when the picture is
cut out to the digit, and then the rest of the digit reaches the edges too. A
line along the picture's top or bottom edge (which, slanted, may leave the
picture through that edge) is kept where the rest of the ink meets it (the bar
of a 7 cut out to its ink), and erased with the others where nothing touches
it. Where the pen's ink is stronger than the line's (a ballpoint on
a notebook's printed lines), only the line's weaker ink is erased, so the
strokes that cross it or run along it stay whole; where the two inks are
alike, the line goes but where a stroke crosses it.

A line is measured (its thickness, slant and place) near the picture's sides,
where a digit to be told from it keeps clear: a stroke written close beside the
line joins it in the middle only.

Lines are looked for in the faint ink as well as in what Otsu's threshold
calls ink (``Ink.faint``): a faint line near the threshold is held there in
pieces, whole only where the hysteresis followed it from a stroke it touches,
and that piece would be read as a stroke of the digit.
"""

import numpy as np
from scipy import ndimage

from ._clean import Ink
from ._marks import MIN_AREA

# A line runs along at least this share of the picture's side ...
_LENGTH = 0.5
# ... from edge to edge: its ends lie within this share of the side from the edges ...
_TO_EDGE = 0.03
# ... and beyond the rest of the ink by at least this share of the side, on both sides;
_BEYOND = 0.05
# its ink covers this share of the columns at least (a faint line may break).
_COVERED = 0.8
# A line this many pixels from the picture's top or bottom edge is on it.
_ON_EDGE = 2
# A slightly slanted line (a photo of a page) is followed this share of the
# picture's other side up or down, at least _MIN_SLACK pixels.
_SLACK = 0.02
_MIN_SLACK = 2
# Gaps of up to twice this many pixels along a line are bridged when it is looked for.
_GRAIN = 2
# A line's ink is thinner than this share of the picture's other side (the
# strokes of a digit cropped to its ink are thicker: the top of a 3 in a font).
_THIN = 0.08
# Lines are looked for in pictures at least this many pixels along them: a
# small picture is a digit cut out, whose strokes may be long and straight.
_SHORTEST = 48
# The band around a line is thinner than this share of the picture's other side
# (its slant included).
_THICKNESS = 0.1
# The pen is told from the line when the line's ink takes at most this share of
# the light the pen's takes.
_LIGHTER = 0.7
_PEN_PERCENTILE = 95
_LINE_PERCENTILE = 80
_ROW_RUN = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], dtype=bool)
_EIGHT_NEIGHBOURS = ndimage.generate_binary_structure(2, 2)


def erase_ruled_lines(ink, margin=0):
    """The ink without the ruled lines that run across the picture (an :class:`Ink`).

    ``margin`` is the width of paper added around the picture (see
    :func:`~mnistkit.imaging._page.with_margin`): lines run from edge to edge
    of the picture itself. Ink with no such line is returned as it is.
    """
    strength, mask = ink.strength, ink.mask
    # Lines are looked for in the faint ink too: where the paper's lines are
    # near Otsu's threshold, the mask holds them in pieces, and whole only where
    # the hysteresis followed them from a stroke (a line joined to the digit).
    look = mask if ink.faint is None else ink.faint | mask
    across, lines_across, edge_across = _lines_across(look, margin)
    down, lines_down, edge_down = _lines_across(look.T, margin)
    down, edge_down = down.T, edge_down.T
    if lines_across + lines_down == 0:
        return ink
    # Lines on the picture's edge are kept, and are not the rest of the ink either.
    rest = _without_specks(mask & ~across & ~down & ~edge_across & ~edge_down)
    if not rest.any():
        # A stroke written close beside a line (a 1 along one of squared paper's
        # lines down) lies within the line's band: where the pen is clearly
        # stronger than the lines, it is the rest of the ink all the same.
        rest = _without_specks(mask & _stronger_than_lines(strength, look, across, down,
                                                           margin))
    if rest.any():
        # The rest of the ink is what is on no line, either way (squared paper).
        # Its marks, joined where they cross a line, and clear of the picture's
        # border by more than a line's width (which may have cut a stroke's end
        # off), are what the lines must run beyond: a digit cut by the border
        # (cropped to its ink) is not, nor is the corner a slanted line cuts off.
        crossings = _crossings(rest, across) | _crossings(rest.T, down.T).T
        width = max(_thickness(across), _thickness(down.T))
        joined = ndimage.maximum_filter(rest | (mask & crossings), size=2 * width + 1)
        inner = _clear_of_border(joined, margin) & rest
        # A line on the picture's edge that the rest of the ink does not touch is
        # the page's, as the others are: not the bar of a 7 cut out to its ink,
        # which the rest of the digit meets.
        if edge_across.any() or edge_down.any():
            touching = ndimage.maximum_filter(rest, size=3)
            across |= _apart_from(edge_across, touching)
            down |= _apart_from(edge_down, touching)
        erased = _to_erase(strength, mask, look, across, rest, inner, margin)
        erased |= _to_erase(strength.T, mask.T, look.T, down.T, rest.T, inner.T, margin).T
    elif lines_across + lines_down >= 2:
        # Only lines: a blank page of ruled or squared paper, blank once they are
        # gone. One line alone is left to the marks (a 1 cut out along its length).
        erased = across | down | edge_across | edge_down
    else:
        return ink
    if not erased.any():
        return ink
    return Ink(level=np.where(erased, 0.0, ink.level), mask=mask & ~erased,
               strength=np.where(erased, 0.0, strength), erased=erased)


def _lines_across(mask, margin):
    """The band of the lines that run from left to right, from edge to edge (a
    mask), how many lines there are, and the band of those along the picture's top
    or bottom edge, from side to side or from one side to where they leave the
    picture: they may be the edge of what was cut out (the bar of a 7, the back of
    a 3), or a sliver that the marks drop, and are erased only when the rest of the
    ink keeps clear of them (:func:`erase_ruled_lines`)."""
    rows, cols = (side - 2 * margin for side in mask.shape)
    if rows < 4 or cols < _SHORTEST:
        return np.zeros_like(mask), 0, np.zeros_like(mask)
    slack = max(_MIN_SLACK, round(_SLACK * rows))
    band, found, on_edge, too_thick = _lines_within(mask, margin, slack)
    if too_thick and not found and slack > _MIN_SLACK:
        # Lines closer together than twice the slack run into one band, too thick
        # for a line (a photo of a whole notebook page): followed straighter.
        band, found, on_edge, _ = _lines_within(mask, margin, _MIN_SLACK)
    return band, found, on_edge


def _lines_within(mask, margin, slack):
    """:func:`_lines_across`, followed ``slack`` rows up and down; and whether some
    band was too thick for a line."""
    band = np.zeros_like(mask)
    on_edge = np.zeros_like(mask)
    found, too_thick = 0, False
    rows, cols = (side - 2 * margin for side in mask.shape)
    near_edge = max(1, round(_TO_EDGE * cols))
    # Each pixel taken ``slack`` rows up and down, so that a slanted line runs on,
    # and two columns to each side, so that a line broken by the paper's grain does.
    thick = ndimage.maximum_filter(mask, size=(2 * slack + 1, 2 * _GRAIN + 1))
    length = round(_LENGTH * cols)
    # Most pictures hold no row with that much ink: spare them the rest.
    if np.count_nonzero(thick, axis=1).max() < length:
        return band, found, on_edge, too_thick
    candidates, _ = ndimage.label(_long_runs(thick, length), structure=_EIGHT_NEIGHBOURS)
    near_sides = _near_sides(mask.shape[1], margin)
    for label, (down, across) in enumerate(ndimage.find_objects(candidates), 1):
        # A line along the top or bottom edge may leave the picture there, short of
        # a side, when the page is turned a little.
        at_edge = down.start <= margin + _ON_EDGE or down.stop >= margin + rows - _ON_EDGE
        if not at_edge and (across.start > margin + near_edge
                            or across.stop < margin + cols - near_edge):
            continue  # short of an edge: no line (and no need to fit one)
        candidate = candidates[down, across] == label
        if not at_edge:
            # A stroke close beside the line (a 1 along a line down) joins its candidate
            # in the middle only: it would make it too thick, and tilt its fit.
            candidate = _seen_alone(candidate, mask[down, across], near_sides[across])
        spanned = np.flatnonzero(candidate.any(axis=1))
        if spanned[-1] - spanned[0] + 1 > _THICKNESS * rows + 2 * slack:
            too_thick = True
            continue
        line, thickness, centre = _band_of_line(mask, candidate, down, across, slack)
        if thickness > _THIN * rows:
            continue
        covered = np.flatnonzero((mask & line).any(axis=0))
        to_left = covered[0] <= margin + near_edge
        to_right = covered[-1] >= margin + cols - 1 - near_edge
        if covered.size >= _COVERED * cols and to_left and to_right:
            # The line's ink from its top to its bottom, over the picture's width.
            top = centre[covered].min() - thickness / 2
            bottom = centre[covered].max() + thickness / 2
            if top > margin + _ON_EDGE and bottom < margin + rows - 1 - _ON_EDGE:
                band |= line
                found += 1
            else:
                on_edge |= line
        elif at_edge and (to_left or to_right) and covered[-1] - covered[0] + 1 >= length:
            # From one side to where it leaves the picture, faint where it does: on
            # the edge (erased only where the rest of the ink keeps clear of it).
            on_edge |= line
    return band, found, on_edge, too_thick


def _to_erase(strength, mask, look, band, rest, inner, margin):
    """The ink of the lines across ``band`` to erase, keeping the strokes that cross them.

    ``look`` is the ink the lines were found in (the faint ink as well): their
    own ink, where the mask may hold little more than a stroke along them.

    Nothing when the lines do not run beyond the ``inner`` ink on both sides:
    ink cut by the picture's edges (a 7 cropped to its ink, whose bar runs edge
    to edge) is no digit on ruled paper.
    """
    cols = mask.shape[1] - 2 * margin
    rest_cols = np.flatnonzero(inner.any(axis=0))
    beyond = _clear_of_sides(cols)
    # A line found in the faint ink only may hold none of the mask's: nothing to erase.
    if (not (mask & band).any() or rest_cols.size == 0 or rest_cols[0] < margin + beyond
            or rest_cols[-1] > margin + cols - 1 - beyond):
        return np.zeros_like(mask)
    # How strong the pen's ink is: the strongest of the rest of the ink, and of the
    # lines' band, where a stroke close beside a line may lie whole.
    pen = max(np.percentile(strength[rest], _PEN_PERCENTILE),
              np.percentile(strength[mask & band], _PEN_PERCENTILE))
    line = _line_strength(strength, look & band, margin)
    if line <= _LIGHTER * pen:
        # The pen's strokes are stronger than the line: they stay where they cross it.
        return band & (strength < (pen + line) / 2)
    return band & ~_crossings(rest, band)


def _band_of_line(mask, candidate, down, across, slack):
    """The pixels along the straight line through a candidate's ink, edge to edge,
    the line's thickness, and its centre's row in each column.

    The line is fitted to the ink of the candidate (the long runs found within
    the box ``down``, ``across``) in the columns that hold no more of it than
    most columns do (where no stroke crosses or follows the line), and its
    band is as wide as the line's ink there, ``slack`` more on each side for
    its grey edges.
    """
    ink_rows, ink_cols = np.nonzero(mask[down, across] & candidate)
    if ink_rows.size < 2:
        return np.zeros_like(mask), np.inf, np.zeros(mask.shape[1])
    ink_rows, ink_cols = ink_rows + down.start, ink_cols + across.start
    counts = np.bincount(ink_cols)
    thickness = float(np.median(counts[np.unique(ink_cols)]))
    # Fitted to the columns that hold no more ink than the line's: a stroke drawn
    # along the line (the base of a 2 written on it) would tilt it.
    alone = counts[ink_cols] <= thickness
    if np.unique(ink_cols[alone]).size >= 2:
        ink_rows, ink_cols = ink_rows[alone], ink_cols[alone]
    slope, intercept = np.polyfit(ink_cols, ink_rows, 1)
    centre = intercept + slope * np.arange(mask.shape[1])
    band = np.abs(np.arange(mask.shape[0])[:, None] - centre) <= thickness / 2 + slack
    return band, thickness, centre


def _line_strength(strength, ink, margin):
    """How strong the lines' ink is, on ``ink`` (the band of lines across): most of
    their ridge, the strongest pixel of each column's line, near the picture's
    sides where the lines are alone (a stroke may follow a line along most of
    the picture), and where the strokes crossing them are few. Not most of the
    band: its grey edges, which the smoothing of a large picture widens to
    several times the line's own width, would stand for it."""
    reach = 2 * _thickness(ink) + 1
    ridge = ink & (strength >= ndimage.maximum_filter(np.where(ink, strength, 0.0),
                                                        size=(reach, 1)))
    alone = ridge & _near_sides(ink.shape[1], margin)
    return float(np.percentile(strength[alone if alone.any() else ridge], _LINE_PERCENTILE))


def _stronger_than_lines(strength, look, across, down, margin):
    """The pixels of ``look`` on the lines ``across`` and ``down`` (their ink, and
    what lies along them) whose ink is a pen's: strong enough that the lines' own
    ink takes at most ``_LIGHTER`` of its light."""
    on_lines = look & (across | down)
    if not on_lines.any():
        return on_lines
    # Each way in its own frame: the ridge runs along the lines.
    line = max(_line_strength(values, ink, margin)
               for values, ink in ((strength, look & across), (strength.T, (look & down).T))
               if ink.any())
    return on_lines & (_LIGHTER * strength > line)


def _near_sides(width, margin):
    """Which of the ``width`` columns (``margin`` of them added on each side) lie near
    the picture's left or right side, or beyond it: the ink to be told from the
    lines across keeps clear of them (:func:`_to_erase`), and a line is seen there
    alone."""
    cols = np.arange(width) - margin
    clear = _clear_of_sides(width - 2 * margin)
    return (cols < clear) | (cols >= width - 2 * margin - clear)


def _clear_of_sides(cols):
    """How far the ink of a digit on ruled paper keeps from the picture's sides, in
    pixels of a picture ``cols`` wide: lines reach within ``_TO_EDGE`` of the sides,
    and run ``_BEYOND`` further than the digit."""
    return max(1, round(_TO_EDGE * cols)) + max(1, round(_BEYOND * cols))


def _seen_alone(candidate, ink, near_sides):
    """The part of a candidate line (a mask) near the picture's sides, when its
    ``ink`` covers most of the columns there on both sides (``near_sides``, one
    flag per column); otherwise all of it. A stroke written along a line (a 1
    beside one of squared paper's lines down) joins the candidate only where the
    digit is, clear of the sides."""
    covered = (candidate & ink).any(axis=0)
    left = near_sides & (np.cumsum(~near_sides) == 0)
    right = near_sides & ~left
    if not (left.any() and right.any()):
        return candidate
    if covered[left].mean() < _COVERED or covered[right].mean() < _COVERED:
        return candidate
    return candidate & near_sides


def _apart_from(band, ink):
    """The lines of ``band`` (each a connected band) that no pixel of ``ink`` lies on."""
    labels, count = ndimage.label(band)
    if count == 0:
        return band
    keep = np.ones(count + 1, dtype=bool)
    keep[labels[ink]] = False
    keep[0] = False
    return keep[labels]


def _clear_of_border(mask, margin):
    """The connected groups of the mask that do not reach the picture's border."""
    labels, count = ndimage.label(mask, structure=_EIGHT_NEIGHBOURS)
    if count == 0:
        return mask
    rows, cols = mask.shape
    inside = labels[margin : rows - margin, margin : cols - margin]
    keep = np.ones(count + 1, dtype=bool)
    keep[np.concatenate([inside[0], inside[-1], inside[:, 0], inside[:, -1]])] = False
    keep[0] = False
    return keep[labels]


def _without_specks(mask):
    """The mask without its specks (connected groups of under MIN_AREA pixels)."""
    labels, count = ndimage.label(mask, structure=_EIGHT_NEIGHBOURS)
    if count == 0:
        return mask
    keep = np.bincount(labels.ravel(), minlength=count + 1) >= MIN_AREA
    keep[0] = False
    return keep[labels]


def _long_runs(mask, length):
    """The pixels of left-to-right runs at least ``length`` long in the mask.

    Each row, with a pixel of paper after it, read as one line of pixels: a run
    starts where ink follows paper and ends where paper follows ink. Half the
    time of labelling the runs (``ndimage.label``), whose fixed cost dominates
    on a picture of a few thousand pixels, searched twice (rows and columns).
    """
    rows, cols = mask.shape
    line = np.zeros((rows, cols + 2), dtype=np.int8)
    line[:, 1:-1] = mask
    change = np.diff(line.ravel())
    starts, ends = np.flatnonzero(change == 1), np.flatnonzero(change == -1)
    long = ends - starts >= length
    # +1 where a long run starts, -1 where it ends: the running sum is 1 along it.
    steps = np.zeros(line.size, dtype=np.int8)
    steps[starts[long]] = 1
    steps[ends[long]] = -1
    return np.cumsum(steps, dtype=np.int8).reshape(rows, cols + 2)[:, :cols].astype(bool)


def _thickness(band):
    """The thickness of the thickest line of a band of lines across: its longest column."""
    runs, count = ndimage.label(band, structure=_ROW_RUN.T)
    if count == 0:
        return 0
    return max(down.stop - down.start for down, _ in ndimage.find_objects(runs))


def _crossings(rest, band):
    """The pixels of ``band`` (lines across) with ink of ``rest`` above and below
    them, as close as the band is thick and a column to either side at most:
    where a stroke crosses a line."""
    if not band.any():
        return band
    reach = 1 + _thickness(band)
    above = np.zeros((2 * reach + 1, 3), dtype=bool)
    below = above.copy()
    # A dilation moves ink by the structure's offsets: ink moved down comes from above.
    above[reach + 1 :] = True
    below[:reach] = True
    has_above = ndimage.binary_dilation(rest, structure=above)
    has_below = ndimage.binary_dilation(rest, structure=below)
    return band & has_above & has_below
