"""Tell the small marks of a number that are not digits: a point, a comma, a colon, a dash.

"3.5" read as "35", or "12:45" with its colon read as a "3", is a wrong number
given with a digit's confidence. A mark between two digits of the row, much
smaller than they are and at least as thick as their pen, is told by where it
sits in the row and by its shape:

- a point: a dot on the line the digits stand on;
- a comma: a short stroke from there down below that line;
- a colon: two dots, one above the other, in the upper and the lower half;
- a dash: a short stroke across the middle of the row (before the first digit,
  a minus sign).

Anything else there, and anything after the last digit (the full stop of a
sentence), is left out, as specks and dust are.
"""

import numpy as np
from scipy import ndimage

_LARGEST_DOT = 0.35  # a dot's longer side, at most this fraction of the digits' height
_LARGEST_COMMA = 0.6  # a comma's longer side
_ROUND = 2.5  # a dot's longer side is at most this many times its shorter one
_DOT_LOW = 0.65  # a point's middle is this far down the row, or further
_BELOW_LINE = 0.03  # a comma reaches below the digits' line by this fraction of their height
_COMMA_HEIGHT = 0.28  # ... is this fraction of their height, or more: longer than a dot
_TALL = 1.1  # ... and a stroke down, this many times as high as wide
_COMMA_LOW = 0.5  # ... and starts in the row's lower half
_COLON_GAP = 0.25  # a colon's dots are apart by this fraction of their height, or more
_COLON_UPPER = 0.6  # a colon's upper dot's middle is this far down the row, or less
_COLON_LOWER = 0.5  # ... and its lower dot's, this far or more
_DASH_MIDDLE = (0.25, 0.7)  # a dash's middle lies within this band of the row
_DASH_LONG = 1.4  # a dash is this many times as long as it is thick, or more
_DASH_LENGTH = (0.18, 0.9)  # ... and this long against the digits' height
_DASH_THICK = 2.5  # ... and at most this many pen widths thick: a stroke, not a blob
_PEN = 0.6  # every such mark is at least this many pen widths thick: no speck
_MINUS_GAP = 0.8  # a minus sign lies this many digit heights from the first digit, or less


def is_colon(marks, height):
    """Whether two marks are a colon's dots, one above the other, not a digit.

    ``height`` is the height of the row's digits.
    """
    if len(marks) != 2:
        return False
    upper, lower = sorted(marks, key=lambda mark: mark.top)
    size = max(upper.width, lower.width)
    return (all(_dot_shaped(mark, height) for mark in marks)
            and lower.top - upper.bottom >= _COLON_GAP * min(upper.height, lower.height)
            and abs(upper.left + upper.right - lower.left - lower.right) / 2 <= size)


def _dot_shaped(mark, height):
    longer, shorter = max(mark.height, mark.width), min(mark.height, mark.width)
    return longer <= _LARGEST_DOT * height and longer <= _ROUND * max(1, shorter)


def pen_width(mask):
    """The width of the strokes in a mask of ink: twice the median depth of their ridges."""
    depth = ndimage.distance_transform_edt(mask)
    ridge = mask & (depth == ndimage.maximum_filter(depth, size=3))
    return 2.0 * float(np.median(depth[ridge])) - 1.0 if ridge.any() else 1.0


def separators(digits, others, pen, is_ink):
    """The separators of a row: a list of ``(position, character)``.

    ``digits`` are the boxes of the digits left to right (Marks, or unions of
    them); ``others`` are the marks left out of them; ``pen`` is the digits'
    stroke width in pixels; ``is_ink(mark)`` tells ink from the shade of the
    light, and is asked only of marks that could be separators by their place
    and size. ``position`` counts the digits before the separator.
    """
    between = {}
    for mark in others:
        if min(mark.height, mark.width) < _PEN * pen:  # a speck, thinner than the pen
            continue
        middle = (mark.left + mark.right) / 2
        position = sum((d.left + d.right) / 2 < middle for d in digits)
        if position == len(digits):  # after the number: a full stop, or nothing of it
            continue
        after = digits[position]
        before = digits[position - 1] if position else None
        if middle >= after.left or (before is not None and middle <= before.right):
            continue  # over a digit, not between two
        if before is None and after.left - mark.right > _MINUS_GAP * after.height:
            continue
        if is_ink(mark):
            between.setdefault(position, []).append(mark)
    found = []
    for position, marks in sorted(between.items()):
        row = digits[max(0, position - 1) : position + 1]
        top = np.mean([d.top for d in row])
        bottom = np.mean([d.bottom for d in row])
        character = _character(marks, top, bottom, pen)
        if character is not None and (position > 0 or character == "-"):
            found.append((position, character))
    return found


def _character(group, top, bottom, pen):
    """The separator some marks between two digits are, in a row from ``top`` to
    ``bottom``; or None."""
    height = bottom - top
    if len(group) == 2:
        upper, lower = sorted(group, key=lambda mark: mark.top)
        if (is_colon(group, height)
                and (upper.top + upper.bottom) / 2 - top <= _COLON_UPPER * height
                and (lower.top + lower.bottom) / 2 - top >= _COLON_LOWER * height):
            return ":"
        return None
    if len(group) != 1:
        return None
    mark = group[0]
    middle = (mark.top + mark.bottom) / 2 - top
    longer = max(mark.height, mark.width)
    if (mark.width >= _DASH_LONG * mark.height and mark.height <= _DASH_THICK * pen
            and _DASH_LENGTH[0] * height <= mark.width <= _DASH_LENGTH[1] * height
            and _DASH_MIDDLE[0] * height <= middle <= _DASH_MIDDLE[1] * height):
        return "-"
    below = mark.bottom - bottom
    if (mark.top >= top + _COMMA_LOW * height and longer <= _LARGEST_COMMA * height
            and below >= _BELOW_LINE * height and mark.height >= _COMMA_HEIGHT * height
            and mark.height >= _TALL * mark.width):
        return ","
    if _dot_shaped(mark, height) and middle >= _DOT_LOW * height:
        return "."
    return None
