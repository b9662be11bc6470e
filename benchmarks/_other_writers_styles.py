"""Digits by other writers, as picture files would hold them: for ``bench_other_writers.py``.

Every generator returns *paper*: a uint8 array, dark digit (0) on white paper
(255), the way a user's scan, drawing or screenshot is stored. Nothing here is
random: the same digits give the same pictures, byte for byte.

- :func:`sklearn_digits` -- scikit-learn's 8x8 ``load_digits`` enlarged to 64x64;
- :func:`font_digits` -- 0-9 typeset from the TrueType fonts installed on the machine;
- :func:`plain`, :func:`thick_marker`, :func:`thin_pen`, :func:`one_pixel_line`,
  :func:`polyline` -- an MNIST digit redrawn with another pen;
- :func:`tight` and :func:`with_margin` -- the two framings.

The MNIST styles need scikit-image (``skimage.morphology.skeletonize``), imported
only where a skeleton is taken; :func:`require_skimage` says so in plain words.
"""

import heapq
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

#: How load_digits' 8x8 images are enlarged to 64x64 (and MNIST's 28x28 to 112x112).
RESAMPLE = Image.Resampling.BICUBIC
#: White margin around the 64x64 load_digits enlargement, in pixels.
DIGITS_MARGIN = 16
#: White margin of the other "margin" framings, as a fraction of the digit's longer side.
MARGIN_FRACTION = 0.25
#: Font sizes (pixels per em) at which the digits are typeset.
FONT_SIZES = (24, 48, 96)
#: Enlargement of an MNIST digit before it is redrawn (28 -> 112 pixels).
FACTOR = 4
#: The marker's stroke, as a multiple of the digit's own MNIST stroke.
MARKER_TIMES = 3.0
#: The polylines' side of the drawing pad, and the longer side of the digit drawn on it.
PAD_SIDE, PAD_DIGIT = 280, 200
#: Pen widths in pad pixels, taken in turn digit after digit.
CANVAS_WIDTHS = (12, 16, 20)
TABLET_WIDTHS = (1.5, 2.0, 3.0)
#: Fewest and most points of a digit's polyline, all strokes together.
FEWEST_POINTS, MOST_POINTS = 6, 12
#: Deviation (in MNIST pixels) under which a polyline needs no more points.
POLYLINE_TOLERANCE = 1.0


_WITHOUT_SKIMAGE = ("The redrawn MNIST styles (thin pen, one-pixel line, polyline, thick "
                    "marker)", "or run only the other conditions with --conditions "
                    "'load_digits*' 'fonts*' 'MNIST plain*'")


def require_skimage(needed_by=_WITHOUT_SKIMAGE):
    """Import ``skimage.morphology.skeletonize``, or stop with what to do.

    ``needed_by`` is what needs it and what can be run without it (or ""),
    for the message: by default, this module's redrawn MNIST styles.
    """
    try:
        from skimage.morphology import skeletonize
    except ImportError:
        what, instead = needed_by
        msg = (
            f"{what} need scikit-image for the digits' skeletons, and it is not installed. "
            "Install it with `pip install scikit-image`" + (f", {instead}." if instead else ".")
        )
        raise SystemExit(msg) from None
    return skeletonize


# -- framing --------------------------------------------------------------------------


def to_paper(ink):
    """Ink in [0, 1] (1 = full ink) as a uint8 picture, dark on white."""
    return np.round(255 * (1.0 - np.clip(ink, 0.0, 1.0))).astype(np.uint8)


def tight(paper):
    """The picture cropped to its ink: every one of the four edges holds ink (a value < 255)."""
    rows = np.flatnonzero((paper < 255).any(axis=1))
    cols = np.flatnonzero((paper < 255).any(axis=0))
    if rows.size == 0:
        msg = "the picture holds no ink to crop to (it is white all over)"
        raise ValueError(msg)
    return paper[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def with_margin(paper, width=None):
    """The picture cropped to its ink, then a white margin around it.

    ``width`` pixels, or by default a quarter of the digit's longer side.
    """
    paper = tight(paper)
    if width is None:
        width = round(MARGIN_FRACTION * max(paper.shape))
    return np.pad(paper, width, constant_values=255)


# -- scikit-learn's load_digits -------------------------------------------------------


def sklearn_digits(resample=RESAMPLE, side=64):
    """scikit-learn's 1,797 ``load_digits`` images, enlarged 8x8 -> 64x64, dark on white.

    The values 0-16 (light on dark) are scaled to 0-255, enlarged with Pillow's
    ``resample`` filter (by default bicubic, :data:`RESAMPLE`) to ``side``
    pixels (8: as they are) and inverted. Returns (pictures, labels).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    pictures = []
    for image in digits.images:
        light = Image.fromarray(np.round(image * 255 / 16).astype(np.uint8))
        pictures.append(255 - np.asarray(light.resize((side, side), resample)))
    return pictures, digits.target.astype(int)


# -- fonts ----------------------------------------------------------------------------

_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts",
                 "~/.local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
_NOT_DIGITS = ("symbol", "math", "emoji", "dingbat", "wingding", "webdings")


def font_files():
    """The TrueType/OpenType font files installed, as ``fc-list`` lists them, sorted."""
    paths = set()
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True,
                                 text=True, check=False).stdout
        paths.update(line.strip() for line in listing.splitlines() if line.strip())
    else:
        for folder in _FONT_FOLDERS:
            for pattern in ("*.ttf", "*.otf"):
                paths.update(str(p) for p in Path(folder).expanduser().rglob(pattern))
    return sorted(p for p in paths if Path(p).suffix.lower() in (".ttf", ".otf")
                  and not any(word in Path(p).stem.lower() for word in _NOT_DIGITS))


def font_weight(style):
    """``light``, ``book`` or ``bold``, from a font's style name ("Condensed Bold Oblique")."""
    style = style.lower()
    if any(word in style for word in ("light", "thin", "hairline")):
        return "light"
    if any(word in style for word in ("bold", "black", "heavy", "semibold", "demi")):
        return "bold"
    return "book"


def font_digits():
    """0-9 typeset from every installed font at each of :data:`FONT_SIZES`, black on white.

    Pillow draws each digit (anti-aliased, its own hinting) on a white square
    three ems wide. Returns ``{weight: (pictures, labels, names)}`` with names
    like ``"DejaVu Sans Bold, 48 px"``, and the list of fonts used.
    """
    groups = {"light": ([], [], []), "book": ([], [], []), "bold": ([], [], [])}
    used = []
    for path in font_files():
        try:
            family, style = ImageFont.truetype(path, 10).getname()
        except OSError:
            continue
        used.append(f"{family} {style}")
        pictures, labels, names = groups[font_weight(style or "")]
        for size in FONT_SIZES:
            font = ImageFont.truetype(path, size)
            for digit in range(10):
                canvas = Image.new("L", (3 * size, 3 * size), 255)
                ImageDraw.Draw(canvas).text((1.5 * size, 1.5 * size), str(digit), font=font,
                                            fill=0, anchor="mm")
                pictures.append(np.asarray(canvas))
                labels.append(digit)
                names.append(f"{family} {style}, {size} px")
    return groups, used


# -- MNIST digits redrawn -------------------------------------------------------------


def enlarge(image, factor=FACTOR):
    """A 28x28 MNIST image (light on dark, uint8) enlarged ``factor`` times, as ink in [0, 1]."""
    side = image.shape[0] * factor
    big = Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((side, side), RESAMPLE)
    return np.asarray(big) / 255.0


def plain(image):
    """The MNIST digit itself, enlarged 4x (bicubic) and inverted: the control."""
    return to_paper(enlarge(image))


def stroke_width(binary):
    """A digit's stroke width in pixels: twice the median distance from skeleton to paper, - 1."""
    skeleton = require_skimage()(binary)
    if not skeleton.any():
        return 1.0
    distance = ndimage.distance_transform_edt(binary)
    return max(1.0, 2.0 * float(np.median(distance[skeleton])) - 1.0)


def round_brush(centre_line, radius):
    """Ink of a round brush of ``radius`` pixels run along a mask, edges anti-aliased."""
    distance = ndimage.distance_transform_edt(~centre_line)
    return np.clip(radius + 0.5 - distance, 0.0, 1.0)


def thick_marker(image):
    """A felt marker: the digit 4x enlarged, thresholded, its strokes :data:`MARKER_TIMES` wide.

    The 112x112 enlargement is thresholded at half ink; its stroke width ``w``
    is measured (:func:`stroke_width`, about 10 pixels at this size) and the
    shape dilated by a round brush of radius ``(MARKER_TIMES - 1) * w / 2`` on
    every side, so that a stroke becomes about three times as wide; the
    brush's edge is anti-aliased. Holes (of 0, 6, 8, 9) may close, as with a
    fat marker on a small piece of paper.
    """
    binary = enlarge(image) >= 0.5
    radius = (MARKER_TIMES - 1.0) * stroke_width(binary) / 2.0
    pad = int(np.ceil(radius)) + 2
    return to_paper(round_brush(np.pad(binary, pad), radius))


def thin_pen(image):
    """A ballpoint: the skeleton of the 4x enlargement (112x112), drawn about 2 pixels wide.

    The skeleton (one pixel wide, 8-connected) is inked with a round brush
    of radius 1 (anti-aliased): a solid pixel on the line, half ink either side.
    """
    skeleton = require_skimage()(enlarge(image) >= 0.5)
    return to_paper(round_brush(skeleton, 1.0))


def one_pixel_line(image):
    """A one-pixel mouse line: the skeleton of the 8x enlargement (224x224), not smoothed."""
    skeleton = require_skimage()(enlarge(image, 2 * FACTOR) >= 0.5)
    return to_paper(skeleton.astype(float))


# -- polylines: skeleton -> strokes -> few points ---------------------------------------

_STEPS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


def skeleton_graph(skeleton):
    """The skeleton's pixels, each with its 8-neighbours on the skeleton.

    A diagonal step is left out when a pixel at the corner it cuts is on the
    skeleton too (the two 4-steps through it already join the pair), so that a
    staircase is a chain and not a row of triangles.
    """
    pixels = {(int(r), int(c)) for r, c in zip(*np.nonzero(skeleton), strict=True)}
    graph = {}
    for r, c in pixels:
        neighbours = set()
        for dr, dc in _STEPS:
            other = (r + dr, c + dc)
            if other not in pixels:
                continue
            if dr and dc and ((r + dr, c) in pixels or (r, c + dc) in pixels):
                continue
            neighbours.add(other)
        graph[(r, c)] = neighbours
    return graph


def trace_strokes(skeleton):
    """The skeleton walked into strokes: lists of (row, col) points, in drawing order.

    Pixels with other than two neighbours are the strokes' ends: pen ends (one
    neighbour) and junctions (three or more). Junction pixels that touch form
    one junction, whose centre every stroke meeting there ends on. From each
    end, every step not yet walked is followed along two-neighbour pixels to
    the next end; what is left after that are closed loops without ends (an
    ``0``), walked round from their first pixel. Returns ``(strokes, ends)``:
    the strokes as float arrays of shape (k, 2), and for each its two ends, a
    junction's number or ``None`` for a pen end.
    """
    graph = skeleton_graph(skeleton)
    junctions = {p for p, near in graph.items() if len(near) >= 3}
    junction_of, centres = {}, []
    for start in sorted(junctions):
        if start in junction_of:
            continue
        junction_of[start] = len(centres)
        members, stack = [], [start]
        while stack:
            pixel = stack.pop()
            members.append(pixel)
            for other in graph[pixel]:
                if other in junctions and other not in junction_of:
                    junction_of[other] = len(centres)
                    stack.append(other)
        centres.append(np.mean(members, axis=0))

    walked = set()

    def walk(first, second):
        path = [first, second]
        walked.add(frozenset((first, second)))
        previous, current = first, second
        while current not in junctions and len(graph[current]) == 2:
            (following,) = graph[current] - {previous}
            if frozenset((current, following)) in walked:
                break
            walked.add(frozenset((current, following)))
            path.append(following)
            previous, current = current, following
        return path

    paths = []
    for pixel in sorted(p for p, near in graph.items() if len(near) != 2):
        for other in sorted(graph[pixel]):
            if frozenset((pixel, other)) in walked:
                continue
            if junction_of.get(pixel, -1) == junction_of.get(other, -2):
                walked.add(frozenset((pixel, other)))  # a step inside one junction
                continue
            paths.append(walk(pixel, other))
    for pixel in sorted(graph):
        for other in sorted(graph[pixel]):
            if frozenset((pixel, other)) not in walked:
                paths.append(walk(pixel, other))

    strokes, ends = [], []
    for path in paths:
        points = np.array(path, dtype=float)
        stroke_ends = []
        for index in (0, -1):
            junction = junction_of.get(path[index])
            if junction is not None:
                points[index] = centres[junction]
            stroke_ends.append(junction)
        strokes.append(points)
        ends.append(stroke_ends)
    return strokes, ends


def _length(points):
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())


def prune_spurs(strokes, ends, shortest):
    """Drop the skeleton's spurs: strokes under ``shortest`` pixels with a free pen end.

    One at a time, shortest first, the count of strokes at each junction taken
    again after each (a junction left with one stroke is a pen end). A short
    stroke free at both ends (a speck) goes too, so long as others are left.
    """
    strokes, ends = list(strokes), [list(e) for e in ends]
    while len(strokes) > 1:
        meeting = {}
        for stroke_ends in ends:
            for junction in stroke_ends:
                if junction is not None:
                    meeting[junction] = meeting.get(junction, 0) + 1
        free = [[j is None or meeting[j] == 1 for j in e] for e in ends]
        spurs = [(_length(s), k) for k, s in enumerate(strokes)
                 if any(free[k]) and _length(s) < shortest]
        if not spurs:
            break
        _, k = min(spurs)
        del strokes[k], ends[k]
    return strokes, ends


def _farthest(points, first, last):
    """The point between ``first`` and ``last`` farthest from the chord joining them."""
    inner = points[first + 1 : last]
    if len(inner) == 0:
        return 0.0, None
    start, chord = points[first], points[last] - points[first]
    squared = float(chord @ chord)
    if squared == 0.0:
        distance = np.linalg.norm(inner - start, axis=1)
    else:
        along = np.clip((inner - start) @ chord / squared, 0.0, 1.0)
        distance = np.linalg.norm(inner - (start + along[:, None] * chord), axis=1)
    k = int(np.argmax(distance))
    return float(distance[k]), first + 1 + k


def simplify(strokes, tolerance, fewest=FEWEST_POINTS, most=MOST_POINTS):
    """Strokes cut down to polylines of ``fewest`` to ``most`` points in all (RDP).

    The greedy, whole-digit form of Ramer-Douglas-Peucker: each stroke starts
    as its two ends; then, over all strokes at once, the point farthest from
    the polyline so far is added, again and again, until the farthest is
    within ``tolerance`` pixels and there are at least ``fewest`` points, or
    there are ``most``. Points are counted once where strokes share them (a
    junction, a loop's start). If the ends alone are more than ``most``, the
    shortest strokes are left out first. Returns a list of (k, 2) arrays.
    """
    strokes = sorted(strokes, key=_length, reverse=True)

    def ends_count(chosen):
        return len({tuple(np.round(p, 3)) for s in chosen for p in (s[0], s[-1])})

    while len(strokes) > 1 and ends_count(strokes) > most:
        strokes = strokes[:-1]
    kept = [{0, len(s) - 1} for s in strokes]
    seen = {tuple(np.round(p, 3)) for s in strokes for p in (s[0], s[-1])}
    queue = []
    for k, stroke in enumerate(strokes):
        distance, index = _farthest(stroke, 0, len(stroke) - 1)
        if index is not None:
            heapq.heappush(queue, (-distance, k, 0, len(stroke) - 1, index))
    while queue and len(seen) < most:
        distance = -queue[0][0]
        if distance <= tolerance and len(seen) >= fewest:
            break
        _, k, first, last, index = heapq.heappop(queue)
        kept[k].add(index)
        seen.add(tuple(np.round(strokes[k][index], 3)))
        for a, b in ((first, index), (index, last)):
            distance, inner = _farthest(strokes[k], a, b)
            if inner is not None:
                heapq.heappush(queue, (-distance, k, a, b, inner))
    return [stroke[sorted(indices)] for stroke, indices in zip(strokes, kept, strict=True)]


def digit_polyline(image):
    """An MNIST digit as a few-point polyline, in the coordinates of its 4x enlargement.

    The 112x112 enlargement is thresholded at half ink and skeletonized; the
    skeleton is traced into strokes (:func:`trace_strokes`), its spurs shorter
    than the stroke width are dropped (:func:`prune_spurs`), and the strokes are
    simplified to :data:`FEWEST_POINTS`-:data:`MOST_POINTS` points in all
    (:func:`simplify`, tolerance :data:`POLYLINE_TOLERANCE` MNIST pixels).
    """
    binary = enlarge(image) >= 0.5
    skeleton = require_skimage()(binary)
    strokes, ends = trace_strokes(skeleton)
    strokes, _ = prune_spurs(strokes, ends, shortest=stroke_width(binary))
    return simplify(strokes, tolerance=POLYLINE_TOLERANCE * FACTOR)


def draw_polyline(polylines, width, side=PAD_SIDE, digit=PAD_DIGIT, supersample=4):
    """Polylines drawn with ``ImageDraw.line`` on a white pad, black, round pen, anti-aliased.

    The points are scaled so that the digit's longer side is ``digit`` pixels
    and centred on a ``side`` x ``side`` pad. Pillow draws the lines (round
    joints, a disc at every point for round ends) ``supersample`` times larger,
    and the picture is reduced by box averaging: that is the anti-aliasing.
    """
    points = np.vstack(polylines)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = digit / max(float((high - low).max()), 1.0)
    middle = (low + high) / 2
    big = side * supersample
    canvas = Image.new("L", (big, big), 255)
    draw = ImageDraw.Draw(canvas)
    pen = max(1, round(width * supersample))
    for line in polylines:
        xy = [(float((c - middle[1]) * scale + side / 2) * supersample,
               float((r - middle[0]) * scale + side / 2) * supersample) for r, c in line]
        draw.line(xy, fill=0, width=pen, joint="curve")
        for x, y in xy:
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    return np.asarray(canvas.reduce(supersample))


def polyline(image, width):
    """An MNIST digit as a drawing-pad user would draw it: few straight lines, ``width`` wide."""
    return draw_polyline(digit_polyline(image), width)


#: The redrawn styles that the exploration scripts read validation digits in, by name
#: (the thick marker apart): each polyline with the middle one of its pen widths.
VALIDATION_STYLES = {
    "plain": plain,
    "thin pen": thin_pen,
    "one-pixel line": one_pixel_line,
    "polyline tablet": lambda image: polyline(image, TABLET_WIDTHS[1]),
    "polyline canvas": lambda image: polyline(image, CANVAS_WIDTHS[1]),
}
