"""Split a row of digits (a house number, a year on a note, a form's field) into digits.

The marks are grouped into digits by their columns: pieces of one broken
stroke lie one above the other, digits side by side. Marks much smaller than
the tallest digit (specks, dots, dust) are not digits. A group much wider than
high is digits that touch: it is cut where the column profile of its ink is
thinnest, near where cuts of equally wide digits would fall.
"""

import itertools

import numpy as np

from ._marks import big_enough, candidate_marks, is_blob, union

_SAME_DIGIT = 0.5  # marks sharing this fraction of the narrower's columns are one digit
_MIN_HEIGHT = 0.45  # a digit is at least this fraction of the tallest one's height
_MIN_AREA = 0.05  # ... and has at least this fraction of the largest one's ink
_TOUCHING = 1.35  # a group wider than this many heights is several touching digits
_WIDER_THAN_USUAL = 1.6  # ... or this many times the median width of the digits beside it
_MIN_PAIR = 1.0  # ... and wider than high
_DIGIT_WIDTH = 0.7  # the width of a digit in heights, to count touching digits
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


def digit_pieces(page):
    """The digits of a page, left to right: a list of (marks, columns) pairs.

    ``columns`` is a slice of the page's columns the digit is cut to, or None
    when the digit is whole marks.
    """
    shape = page.shape
    groups = [
        group for group in _group_by_columns(candidate_marks(page.marks, shape))
        if big_enough(union(group), shape) and not is_blob(union(group))
    ]
    if not groups:
        return []
    boxes = [union(group) for group in groups]
    tallest = max(box.height for box in boxes)
    largest = max(box.area for box in boxes)
    kept = [
        (group, box) for group, box in zip(groups, boxes, strict=True)
        if box.height >= _MIN_HEIGHT * tallest and box.area >= _MIN_AREA * largest
    ]
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
        count = max(2, round(box.width / min(_DIGIT_WIDTH * box.height, usual)))
        inside = np.isin(page.labels[box.top : box.bottom, box.left : box.right],
                         [mark.label for mark in group])
        profile = (page.ink.level[box.top : box.bottom, box.left : box.right] * inside).sum(0)
        cuts = _cuts(profile, count)
        for start, stop in itertools.pairwise(cuts):
            pieces.append((group, slice(box.left + start, box.left + stop)))
    return pieces
