"""Split a row of digits (a house number, a year on a note, a form's field) into digits.

The marks are grouped into digits by their columns: pieces of one broken
stroke lie one above the other, digits side by side. Marks much smaller than
the tallest digit (specks, dots, dust) are not digits, nor is the soft edge of
a shadow, no darker than the paper beside it. A group much wider than
high is digits that touch: it is cut where the column profile of its ink is
thinnest, near where cuts of equally wide digits would fall. The small marks
between digits that are a number's own (a point, a comma, a colon, a dash)
are told by :mod:`._separators`.
"""

import dataclasses
import itertools

import numpy as np

from ._marks import big_enough, candidate_marks, is_blob, union
from ._page import is_shade_of_light, pixels_of
from ._separators import is_colon, pen_width, separators

_SAME_DIGIT = 0.5  # marks sharing this fraction of the narrower's columns are one digit
_MIN_HEIGHT = 0.45  # a digit is at least this fraction of the tallest one's height
_BORDER_HEIGHT = 1.2  # a mark at the edge taller than this many digit heights is not one
_MIN_AREA = 0.05  # ... and has at least this fraction of the largest one's ink
_FULL_HEIGHT = 0.8  # digits this tall against the tallest say where the row is
_STARTS_BY = 0.6  # a digit starts at most this far down the row
_TOUCHING = 1.35  # a group wider than this many heights is several touching digits
_WIDER_THAN_USUAL = 1.6  # ... or this many times the median width of the digits beside it
_MIN_PAIR = 1.0  # ... and wider than high
_DIGIT_WIDTH = 0.7  # the width of a digit in heights, to count touching digits
_THIN_CUT = 0.6  # ink across a cut: at most this fraction of the group's median column
_TALL_PIECE = 0.6  # each piece of a cut is at least this fraction of the group's height
_CUT_WINDOW = 0.3  # a cut is looked for within this fraction of a digit's width


def _column_overlap(a, b):
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared / max(1, min(a.width, b.width))


def _group_by_columns(marks):
    groups = []
    for mark in sorted(marks, key=lambda m: m.left):
        for group in groups:
            if _column_overlap(union(group), mark) >= _SAME_DIGIT:
                group.append(mark)
                break
        else:
            groups.append([mark])
    return sorted(groups, key=lambda group: union(group).left)


def _cuts(profile, count):
    """Columns where ``count`` touching digits meet: the thinnest ink near even cuts."""
    width = len(profile)
    cuts = [0]
    for k in range(1, count):
        centre = round(k * width / count)
        reach = max(1, round(_CUT_WINDOW * width / count))
        window = profile[max(cuts[-1] + 1, centre - reach) : min(width - 1, centre + reach)]
        if window.size == 0:
            continue
        cuts.append(max(cuts[-1] + 1, centre - reach) + int(np.argmin(window)))
    return [*cuts, width]


@dataclasses.dataclass
class Row:
    """A number's digits and separators, as :func:`split_row` finds them.

    ``pieces`` are the digits left to right, each a ``(marks, columns)`` pair:
    ``columns`` is a slice of the page's columns the digit is cut to, or None
    when the digit is whole marks. ``separators`` are ``(position,
    character)`` pairs, ``position`` counting the digits before it.
    """

    pieces: list
    separators: list


def split_row(page):
    """The digits of a page, left to right, and the separators between them: a Row."""
    shape = page.shape
    # The soft edge of a shadow over one side of the photo, left as marks once the
    # paper's estimate took the rest of it, is no darker than the shadow beside it.
    every = _group_by_columns(candidate_marks(page.marks, shape, border=True))
    groups = [group for group in every
              if big_enough(union(group), shape) and not is_blob(union(group))
              and not is_shade_of_light(page, group)]
    # The first or last digit of a tightly framed number may touch the picture's
    # edge; a shadow or the table there is taller than the digits inside.
    inside = [union(g).height for g in groups if not union(g).touches_border]
    if inside:
        groups = [g for g in groups if not union(g).touches_border
                  or union(g).height <= _BORDER_HEIGHT * max(inside)]
    if not groups:
        return Row([], [])
    boxes = [union(group) for group in groups]
    tallest = max(box.height for box in boxes)
    largest = max(box.area for box in boxes)
    kept = [
        (group, box) for group, box in zip(groups, boxes, strict=True)
        if box.height >= _MIN_HEIGHT * tallest and box.area >= _MIN_AREA * largest
    ]
    kept = _across_the_row(kept, tallest)
    pieces = _cut_touching(page, kept)
    return Row(pieces, _separators_of(page, kept, pieces, every))


def _across_the_row(kept, tallest):
    """The groups that are digits by their place in the row: not a comma hanging
    below it, nor a colon's two dots.

    A digit reaches above the middle of the row, even a small "0" written on its
    line; a comma starts low in it and hangs below.
    """
    if not kept:
        return kept
    # The row is where the tallest of the digits kept are: the tallest mark of all
    # may have been left out (too little ink), and none kept be as tall as it.
    highest = max(box.height for _, box in kept)
    full = [box for _, box in kept if box.height >= _FULL_HEIGHT * highest]
    top, bottom = np.median([box.top for box in full]), np.median([box.bottom for box in full])
    return [(group, box) for group, box in kept
            if box.top <= top + _STARTS_BY * (bottom - top) and not is_colon(group, tallest)]


def _separators_of(page, kept, pieces, every):
    """The separators among the groups of marks that are not digits."""
    digit_labels = {mark.label for group, _ in kept for mark in group}
    others = [mark for group in every if not digit_labels & {m.label for m in group}
              for mark in group]
    if not pieces or not others:
        return []
    digits = []
    for group, columns in pieces:
        box = union(group)
        if columns is not None:
            box = dataclasses.replace(box, left=columns.start, right=columns.stop)
        digits.append(box)
    pen = np.median([pen_width(pixels_of(page.labels[box.top : box.bottom,
                                                      box.left : box.right], group))
                     for group, box in kept])
    return separators(digits, others, pen,
                      is_ink=lambda mark: not is_shade_of_light(page, [mark]))


def _cut_touching(page, kept):
    """The digits of the groups kept, with groups of touching digits cut apart."""
    # Beside other digits, a group much wider than is usual among them is two
    # digits even when it is only a little wider than high (a "2" touching a "3").
    usual = np.median([box.width for _, box in kept]) if len(kept) >= 3 else np.inf
    pieces = []
    for group, box in kept:
        touching = box.width > _TOUCHING * box.height or (
            box.width > _WIDER_THAN_USUAL * usual and box.width > _MIN_PAIR * box.height)
        if not touching:
            pieces.append((group, None))
            continue
        count = max(2, round(box.width / max(_DIGIT_WIDTH * box.height, min(usual, box.height))))
        inside = pixels_of(page.labels[box.top : box.bottom, box.left : box.right], group)
        profile = (page.ink.level[box.top : box.bottom, box.left : box.right] * inside).sum(0)
        cuts = _cuts(profile, count)
        if not _good_cuts(inside, profile, cuts):
            pieces.append((group, None))
            continue
        for start, stop in itertools.pairwise(cuts):
            pieces.append((group, slice(box.left + start, box.left + stop)))
    return pieces


def _good_cuts(inside, profile, cuts):
    """Whether cutting at ``cuts`` gives digits: thin ink at each cut, tall pieces.

    Where two digits touch, little ink crosses the cut; a wide "0" has two
    strokes across every column, and the bar of a "5" sticking out is no digit.
    """
    if any(profile[cut] > _THIN_CUT * np.median(profile) for cut in cuts[1:-1]):
        return False
    height = inside.shape[0]
    for start, stop in itertools.pairwise(cuts):
        rows = np.flatnonzero(inside[:, start:stop].any(axis=1))
        if rows.size == 0 or rows[-1] + 1 - rows[0] < _TALL_PIECE * height:
            return False
    return True
