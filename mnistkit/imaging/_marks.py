"""Tell the digit from the rest: specks, dust, ruled lines, frames, things at the border.

Each connected group of ink pixels is a *mark*. A digit is one mark, or a few
close together (a stroke broken by a light pen); what is not a digit has a
recognisable shape: too small (dust, JPEG speckle), long and thin across the
page (a ruled line), long and thin along one edge of the picture (the
shadow of the paper's edge, the rim of a table), enclosing the others (a
frame), or cut by the picture's edge (a shadow, the table under the paper, a
neighbouring digit).
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import ndimage

from ._errors import NoDigitError
from ._mnist import widening_radius

_EIGHT_NEIGHBOURS = np.ones((3, 3), dtype=bool)
MIN_SIDE = 0.04  # a digit spans at least this fraction of the picture's shorter side
MIN_AREA = 6  # pixels: smaller is a speck at any size
_SPECK = 0.02  # a mark under this fraction of the digit's area is dust, wherever it is
# Two more marks at least this fraction of the digit's area, apart from it,
# make the picture several things (the eyes and mouth inside a drawn face), not
# one digit; a single one may be a piece of a digit broken by a light pen.
_RIVAL = 0.5
_RIVALS = 2
# A single such mark beside the digit, of about its height and level with it,
# is the next digit of a number ("02"), not a piece of this one: pieces of a
# broken stroke lie close (_NEAR) or are much shorter.
_LEVEL = 0.5  # the two share at least this fraction of the shorter one's rows
_AS_TALL = 0.6  # the shorter is at least this fraction of the taller one's height
_NEXT_DIGIT = 0.2  # of the digit's area at least: a thin 1 beside a 0 has a quarter
# Inside a frame drawn round it, a digit stands alone: two more marks there of
# this fraction of its area make the frame the outline of a drawing (a face).
_FRAMED_RIVAL = 0.2
# Two marks inside the digit's outline make it a drawing's (a face with its eyes):
# a digit's loops hold nothing, or one dot (a dotted zero).
_ENCLOSED = 2
_NEAR = 0.3  # pieces of a digit lie within this fraction of its size of each other
_FILLS = 0.98  # a mark this much of the picture's height and width is what it was cropped to
# A sliver along an edge: at least this fraction of the edge long, at most this
# fraction of the picture's other side thick.
_SLIVER_LENGTH = 0.4
_SLIVER_WIDTH = 0.1
# Marks within this share of the picture of a side are the page's (spiral holes)
# when at least _ALONG_PIECES of them run along it.
_ALONG_BAND = 0.15
_ALONG_PIECES = 2
# A shade along an edge: ink over at least this share of the edge's pixels (a
# shadow's dark side, a table's edge), reaching at most this share of the way
# across. A digit cut out to its ink may line an edge too (the bar of a 2), but
# reaches across the picture.
_LINES_EDGE = 0.9
_SHADE_DEPTH = 2 / 3
_LINE_WIDTH = 0.25  # a ruled line down a picture is thinner than this share of its width
# Pieces beside a line down, the stubs of the lines that cross it (_trunk_width): at
# least this many, none taller than this share of the line; a digit's are fewer or taller.
_STUBS = 4
_STUB_HEIGHT = 0.1
# A mark of a digit's size whose ink is paler than this share of the darkest
# digit-like mark's, fades into the paper more slowly, and is half as large as
# it (_RIVAL) or more, is the light's, not the pen's: a bulge of a shadow's soft
# edge that the paper's estimate leaves beside the digit.
_PALE = 0.7
_ALL_EDGES = frozenset({"top", "left", "bottom", "right"})


@dataclass
class Mark:
    """One connected group of ink pixels."""

    label: int
    top: int
    left: int
    bottom: int
    right: int
    area: int
    edges: frozenset = frozenset()  # the picture's edges it reaches: "top", "left", ...
    lines: frozenset = frozenset()  # the edges it covers nearly all along (_LINES_EDGE)
    fills_picture: bool = False  # its box is the whole picture: what it was cropped to
    # The label image it was found in, to look at its shape; None for a mark
    # known by its box alone (then it holds whatever its box holds).
    labels: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def touches_border(self):
        """Whether it reaches an edge of the picture (its own, not a re-read's margin)."""
        return bool(self.edges)

    @property
    def height(self):
        return self.bottom - self.top

    @property
    def width(self):
        return self.right - self.left

    @property
    def fill(self):
        return self.area / (self.height * self.width)

    def holds(self, other):
        """Whether the middle of ``other``'s box lies in a hole of this mark: inside a
        closed outline of it (a box drawn round a digit), not merely inside its box
        (the broken-off piece of a thin 0 or 8). A mark cut by the picture's edge
        may be an outline the crop opened (a ruled line meeting the table's edge),
        and holds whatever its box holds; but not the mark the picture was cropped
        to, which is whole (a thin pen's digit cut out to its ink, whose own
        broken-off piece lies inside its box)."""
        cut_open = self.touches_border and not self.fills_picture
        return self.labels is None or cut_open or self.closes_round(other)

    def closes_round(self, other):
        """Whether the middle of ``other``'s box lies in a hole of this mark's own
        outline, wherever the mark is (known by its box alone, it closes round nothing)."""
        row = (other.top + other.bottom) // 2 - self.top
        col = (other.left + other.right) // 2 - self.left
        if self.labels is None or not (0 <= row < self.height and 0 <= col < self.width):
            return False
        return bool(self._holes[row, col])

    @cached_property
    def _holes(self):
        """The pixels of its box that its outline closes round (once per mark: a
        picture's marks are asked about again by each step that drops frames)."""
        own = self.labels[self.top : self.bottom, self.left : self.right] == self.label
        return ndimage.binary_fill_holes(own) & ~own


def find_marks(mask, margin=0):
    """Label the ink; return the label image and its marks, specks left out.

    ``margin`` is the width of paper added around the picture (see
    :func:`~mnistkit.imaging._page.with_margin`): a mark that reaches into it
    touches the picture's own border.
    """
    labels, count = ndimage.label(mask, structure=_EIGHT_NEIGHBOURS)
    if count == 0:
        return labels, []
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    rows, cols = mask.shape
    lining = _edges_lined(labels, count, margin)
    marks = []
    for label, (box, area) in enumerate(zip(ndimage.find_objects(labels), areas, strict=True), 1):
        if area < MIN_AREA:
            continue
        # The box within the picture: ink in the margin is the margin's paper
        # not quite matching the picture's, and a mark all in it is none.
        top, bottom = max(box[0].start, margin), min(box[0].stop, rows - margin)
        left, right = max(box[1].start, margin), min(box[1].stop, cols - margin)
        if top >= bottom or left >= right:
            continue
        edges = frozenset(name for name, reached in (
            ("top", top <= margin), ("left", left <= margin),
            ("bottom", bottom >= rows - margin), ("right", right >= cols - margin),
        ) if reached)
        # Within a pixel or two of the edges (enlarging a tiny picture blurs them).
        fills = (bottom - top >= _FILLS * (rows - 2 * margin)
                 and right - left >= _FILLS * (cols - 2 * margin))
        lines = frozenset(side for side, lined in lining.items() if lined[label])
        marks.append(Mark(label, top, left, bottom, right, int(area), edges, lines, fills,
                          labels))
    return labels, marks


def _edges_lined(labels, count, margin):
    """For each edge of the picture (within the margin), which labels cover at least
    :data:`_LINES_EDGE` of its pixels: a boolean array by label, per edge's name."""
    inner = labels[margin : labels.shape[0] - margin, margin : labels.shape[1] - margin]
    sides = {"top": inner[0], "bottom": inner[-1], "left": inner[:, 0], "right": inner[:, -1]}
    return {name: np.bincount(side, minlength=count + 1) >= _LINES_EDGE * side.size
            for name, side in sides.items()}


def _is_line(mark, shape):
    """A ruled line: much longer than thick, and long against the picture.

    A mark that fills the whole picture is what the picture was cropped to (a
    "1" cut out tight), not a line across it; so is a mark down the picture
    that is thick against its width (a "1" cut out tight whose faint ends,
    enlarged from a small picture, fall short of the edges). A line down the
    page is measured by its trunk when the fainter lines that cross it left
    their stubs on it (:func:`_trunk_width`).
    """
    if mark.fills_picture:
        return False
    rows, cols = shape
    across = mark.width >= 5 * mark.height and mark.width >= 0.5 * cols
    if across or mark.height < 0.9 * rows:
        return across

    def thin(width):
        return mark.height >= 8 * width and width < _LINE_WIDTH * cols

    return thin(mark.width) or thin(_trunk_width(mark))


def _trunk_width(mark):
    """The width of a mark down the picture without the stubs of the lines that cross
    it; its box's width if it has none.

    A notebook's margin line, darker than the ruled lines across the page,
    holds a few pixels of each where they cross it: the threshold follows them
    from the margin line's ink a little way. Its box is then as wide as those
    stubs, and wider still when the photo is turned a little and the line
    leans. Its trunk is the columns it inks over at least half its height, or
    when it leans, the straight band through the middle of its ink row by row,
    as wide as most of its rows are inked; the stubs are short pieces beside
    it, at least :data:`_STUBS` of them, where a "1" has its flag and its
    foot, and another digit (a 0, a 4) leaves tall loops and bars beside it.
    """
    if mark.labels is None:  # known by its box alone
        return mark.width
    own = mark.labels[mark.top : mark.bottom, mark.left : mark.right] == mark.label
    trunk = np.flatnonzero(np.count_nonzero(own, axis=0) >= mark.height / 2)
    if trunk.size:
        beside = own.copy()
        beside[:, trunk[0] : trunk[-1] + 1] = False
        if _stubs_only(beside, mark.height):
            return int(trunk[-1] - trunk[0] + 1)
    inked = np.count_nonzero(own, axis=1)
    width = float(np.median(inked))
    # The rows the stubs cross pull the middle of the ink their way: leave them out.
    rows = np.flatnonzero((inked > 0) & (inked <= 2 * width))
    if rows.size < 2:
        return mark.width
    columns = np.arange(own.shape[1])
    middles = (own[rows] * columns).sum(axis=1) / inked[rows]
    slope, intercept = np.polyfit(rows, middles, 1)
    along = slope * np.arange(own.shape[0])[:, None] + intercept
    # A pixel of slack each side: the edge of a leaning line steps from row to row.
    if _stubs_only(own & (np.abs(columns[None, :] - along) > width / 2 + 1), mark.height):
        return round(width)
    return mark.width


def _stubs_only(beside, height):
    """Whether the ink beside a line's trunk is stubs: at least :data:`_STUBS` pieces,
    each short against the line's ``height``."""
    pieces, count = ndimage.label(beside, structure=_EIGHT_NEIGHBOURS)
    tallest = max((rows.stop - rows.start for rows, _ in ndimage.find_objects(pieces)),
                  default=0)
    return count >= _STUBS and tallest <= _STUB_HEIGHT * height


def _is_edge_sliver(mark, shape):
    """A mark along one edge of the picture and not across it: a shadow or a rim.

    Photos of paper show the shadow of the paper's edge or the table beyond
    it as a band along one side: thin, or up to two thirds of the way across
    when it covers that side nearly all along (a hand's shadow over one side
    of the page). A digit cropped tight reaches the opposite side too, or
    runs across the picture rather than along its edge; one that reaches an
    edge only meets it where its strokes do.
    """
    rows, cols = shape
    for side in mark.lines:
        depth = mark.height / rows if side in ("top", "bottom") else mark.width / cols
        if depth <= _SHADE_DEPTH:
            return True
    for side, opposite, length, thickness, along, across in (
        ("left", "right", mark.height, mark.width, rows, cols),
        ("right", "left", mark.height, mark.width, rows, cols),
        ("top", "bottom", mark.width, mark.height, cols, rows),
        ("bottom", "top", mark.width, mark.height, cols, rows),
    ):
        if (side in mark.edges and opposite not in mark.edges
                and length >= _SLIVER_LENGTH * along
                and thickness <= _SLIVER_WIDTH * across):
            return True
    return False


def _along_an_edge(marks, shape):
    """Marks that together run along one side of the picture, close to it: a
    notebook's spiral holes, or the edge of the paper broken into pieces.

    Each lies within :data:`_ALONG_BAND` of the picture's width from its left
    or right side (of its height from the top or bottom); there are at least
    :data:`_ALONG_PIECES` of them, and together they run
    :data:`_SLIVER_LENGTH` of the side's length or more. They are dropped as
    slivers are, only where nothing else could be a digit: a digit written
    close to a side, on a picture that holds nothing else, is read all the
    same.
    """
    rows, cols = shape
    if not marks:
        return []
    # The marks' boxes are in the frame of their labels, which a margin may surround.
    margin = 0 if marks[0].labels is None else (marks[0].labels.shape[0] - rows) // 2
    found = []
    for near, length, along in (
        (lambda m: m.right - margin <= _ALONG_BAND * cols, lambda m: m.height, rows),
        (lambda m: m.left - margin >= (1 - _ALONG_BAND) * cols, lambda m: m.height, rows),
        (lambda m: m.bottom - margin <= _ALONG_BAND * rows, lambda m: m.width, cols),
        (lambda m: m.top - margin >= (1 - _ALONG_BAND) * rows, lambda m: m.width, cols),
    ):
        pieces = [mark for mark in marks if near(mark)]
        if len(pieces) >= _ALONG_PIECES and length(union(pieces)) >= _SLIVER_LENGTH * along:
            found += pieces
    return found


def _encloses(outer, inner):
    return (outer.top <= inner.top and outer.left <= inner.left
            and outer.bottom >= inner.bottom and outer.right >= inner.right)


def _is_frame(mark, marks):
    """A thin outline around other marks: a box drawn round the digit, a form's field.

    What a frame holds lies strictly inside its box, clear of its stroke, and in
    the hole its outline closes: a mark that reaches as far as a thin mark's box
    is beside it (the piece of a one-pixel line that a tight crop cuts off is not
    framed by the rest of it), and so is the piece a thin pen's line broke off a
    0 or an 8, whose box the rest's box holds but whose outline is open there.
    """
    return mark.fill < 0.25 and any(
        other is not mark and _strictly_inside(mark, other) and other.area >= 0.05 * mark.area
        and mark.holds(other)
        for other in marks
    )


def _strictly_inside(outer, inner):
    return (outer.top < inner.top and outer.left < inner.left
            and outer.bottom > inner.bottom and outer.right > inner.right)


def big_enough(mark, shape):
    """Whether a mark is large enough against the picture to be a digit, not a speck."""
    return max(mark.height, mark.width) >= MIN_SIDE * min(shape)


def is_blob(mark):
    """A solid block (a dark square, a sticker) is not a digit; a "1" is solid but thin.

    Digits written with a thick pen fill up to about 94% of their box, so only
    a nearly full box is taken for a block.
    """
    return mark.fill > 0.96 and min(mark.height, mark.width) > 0.5 * max(
        mark.height, mark.width)


def digit_like(mark, shape):
    """Whether a mark (or a group of them) could be one digit by its size and shape."""
    return big_enough(mark, shape) and mark.width <= 2.5 * mark.height and not is_blob(mark)


def candidate_marks(marks, shape, *, border=False):
    """The marks that may be part of digits: no lines, slivers or frames, nothing at the border.

    Marks cut by the border are kept only when nothing else is left (a digit
    drawn edge to edge on a small canvas), or with ``border=True``, for the
    caller to judge.
    """
    marks = [mark for mark in marks if not _is_line(mark, shape)]
    # Where nothing but slivers along the edges could be a digit (a shadow on
    # blank paper), they go; beside a digit they stay, for a piece of it cut by
    # a tight crop (the bar of a 5) is thin and along the edge too.
    along_edges = _along_an_edge(marks, shape)
    others = [mark for mark in marks
              if not _is_edge_sliver(mark, shape) and not any(mark is m for m in along_edges)]
    if not any(digit_like(mark, shape) for mark in others):
        marks = others
    marks = [mark for mark in marks if not _is_frame(mark, marks)]
    if border:
        return marks
    inside = [mark for mark in marks if not mark.touches_border]
    if any(digit_like(mark, shape) for mark in inside):
        return inside
    return marks


def union(marks):
    """The box around several marks, as a Mark of their total area."""
    return Mark(
        label=0,
        top=min(m.top for m in marks), left=min(m.left for m in marks),
        bottom=max(m.bottom for m in marks), right=max(m.right for m in marks),
        area=sum(m.area for m in marks),
        edges=frozenset().union(*(m.edges for m in marks)),
    )


def _ink_and_edge(mark, level):
    """How dark a mark's ink is (the 90th percentile of its ``level``), and how many
    pixels it takes to fade into the paper at its outline (that darkness over the
    median steepness of the level there)."""
    box = (slice(max(mark.top - 1, 0), mark.bottom + 1),
           slice(max(mark.left - 1, 0), mark.right + 1))
    own = mark.labels[box] == mark.label
    ink = level[box]
    dark = float(np.percentile(ink[own], 90))
    outline = own & ~ndimage.binary_erosion(own)
    steepness = float(np.median(np.hypot(*np.gradient(ink))[outline]))
    return dark, dark / max(steepness, 1e-9)


def _without_pale_marks(marks, shape, level):
    """The marks but those of a digit's size that are paler and softer than the
    darkest digit-like one.

    A shadow over one side of a photo leaves the bulges of its soft edge beside
    the digit once the paper's estimate has taken the rest of it: as large as a
    digit, they would be taken for the next digit, joined to the digit, or read
    instead of it. They take about half the light the pen does, fade into the
    paper more slowly than its strokes, and are about as large as the digit;
    the faint pieces of a broken thin stroke are pale too, but smaller, or as
    sharp as the rest of it.
    """
    if any(mark.labels is None for mark in marks):
        return marks
    large = [mark for mark in marks if big_enough(mark, shape)]
    if len(large) < 2:  # no rival to be paler than the digit
        return marks
    sized = {mark.label: _ink_and_edge(mark, level) for mark in large}
    digits = [(*sized[mark.label], mark.area) for mark in marks
              if mark.label in sized and digit_like(mark, shape)]
    if not digits:
        return marks
    darkest, its_edge, its_area = max(digits)

    def the_lights(mark):
        dark, edge = sized[mark.label]
        return dark < _PALE * darkest and edge > its_edge and mark.area >= _RIVAL * its_area

    return [mark for mark in marks if mark.label not in sized or not the_lights(mark)]


def _gap(a, b):
    """The distance between two boxes, 0 when they overlap."""
    rows = max(0, max(a.top, b.top) - min(a.bottom, b.bottom))
    cols = max(0, max(a.left, b.left) - min(a.right, b.right))
    return max(rows, cols)


def _side_by_side(a, b):
    """Whether two marks stand level and apart in a row, of about the same height."""
    shared_rows = min(a.bottom, b.bottom) - max(a.top, b.top)
    shorter, taller = sorted((a.height, b.height))
    apart = a.right <= b.left or b.right <= a.left
    return apart and shared_rows >= _LEVEL * shorter and shorter >= _AS_TALL * taller


def _widening(mark, level):
    """How far :func:`~mnistkit.imaging._mnist.widen_thin_strokes` would widen
    each side of a mark's strokes, were it a digit alone (its ink's ``level``,
    not its mask, which holds the faint edges of the strokes); 0 if not at all."""
    if mark.labels is None or level is None:
        return 0.0
    box = (slice(mark.top, mark.bottom), slice(mark.left, mark.right))
    own = np.where(mark.labels[box] == mark.label, level[box], 0.0)
    return widening_radius(own)


def single_digit(marks, shape, level=None):
    """The marks that make the one digit of a picture: the largest digit-like mark
    and the pieces close to it. With the ink's ``level`` (the page's, as the marks'
    labels), the pieces of a digit whose strokes will be widened are judged as
    close as they will be then.

    Raises NoDigitError when there is none, or when two more marks stand
    apart from it, half as large (three digits side by side, a face's eyes
    and mouth), or one such mark as tall as it and level with it (the next
    digit of a number), or two a fifth as large within a frame drawn round
    it (the outline of a face), or two of its pieces inside its outline (a
    face drawn with a thin pen, its eyes small).
    """
    # In a picture cropped to its ink, the digit itself reaches every edge: its
    # pieces cut by the edges (a light pen's broken stroke) count as inner ones do.
    cropped_to_ink = frozenset().union(*(mark.edges for mark in marks)) == _ALL_EDGES
    candidates = sorted(candidate_marks(marks, shape, border=cropped_to_ink),
                        key=lambda m: m.area, reverse=True)
    if level is not None:
        candidates = _without_pale_marks(candidates, shape, level)
    main = next((mark for mark in candidates if digit_like(mark, shape)), None)
    if main is None:
        msg = (
            "no digit found: the marks on the image are specks, lines, frames or "
            "blobs, none shaped like a digit. Crop the picture around the digit."
        )
        raise NoDigitError(msg)
    chosen = [main]
    grow = None  # how much closer a thin digit's pieces will be once widened
    joined = True
    while joined:  # until no piece joins: a piece may come near once others have joined
        joined = False
        for mark in candidates:
            if mark in chosen or mark.area < _SPECK * main.area:
                continue
            box = union(chosen)
            size, gap = max(box.height, box.width), _gap(box, mark)
            if gap > _NEAR * size:
                # A thin digit's strokes are widened before it is framed
                # (to_mnist_pixels): its pieces are judged as close as they will be then.
                if grow is None:
                    grow = 2 * _widening(main, level)
                if gap - grow > _NEAR * (size + grow):
                    continue
            if digit_like(union([*chosen, mark]), shape):
                chosen.append(mark)
                joined = True
    # A digit's loops are empty: marks inside the outline of the largest one are
    # a drawing's (the eyes of a face), though close enough to be its pieces.
    enclosed = sum(main.closes_round(mark) for mark in chosen[1:])
    if enclosed >= _ENCLOSED:
        msg = (
            f"no digit found: the largest mark closes round {enclosed} others, as a "
            "drawing's outline does (the eyes of a face), not one digit."
        )
        raise NoDigitError(msg)
    rivals = [mark for mark in candidates if mark not in chosen
              and mark.area >= _RIVAL * main.area and big_enough(mark, shape)
              and not mark.touches_border]
    frames = [mark for mark in marks if _encloses(mark, main) and mark not in candidates
              and _is_frame(mark, marks)]
    rivals += [mark for mark in candidates if mark not in chosen and mark not in rivals
               and mark.area >= _FRAMED_RIVAL * main.area
               and any(_encloses(frame, mark) for frame in frames)]
    # Every digit-like mark apart from the digit, a thin 1 included.
    apart = [mark for mark in candidates if mark not in chosen and digit_like(mark, shape)
             and not mark.touches_border]
    next_digit = any(mark.area >= _NEXT_DIGIT * main.area and _side_by_side(main, mark)
                     for mark in apart)
    if len(rivals) >= _RIVALS or next_digit:
        # Digits close beside the largest may have joined it as its pieces: counted
        # as those apart from it are.
        joined_digits = [mark for mark in chosen[1:] if digit_like(mark, shape)
                         and not mark.touches_border]
        count = 1 + len(joined_digits) + max(len(rivals), len(apart))
        msg = (
            f"no digit found: the picture holds {count} separate marks of a digit's size, "
            "not one digit (a drawing, or several digits: read a number with read_number "
            "or mnistkit predict --number)."
        )
        raise NoDigitError(msg, several=count)
    return chosen
