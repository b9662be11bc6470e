"""Pictures that are not digits, as users would hand them to a digit reader: for the benchmarks.

:func:`make_non_digits` writes PNG and JPEG files of things that are clearly
not one digit, dark marks on light paper as a scan, a drawing app or a phone
would store them, 32 to 800 pixels a side, and returns ``(path, kind)`` pairs.
Everything is drawn with numpy, ``scipy.ndimage`` and Pillow, and is decided by
``random_state``: the same call writes the same files, byte for byte (on one
machine: the letters come from its fonts). Each picture draws from its own
generator, seeded by (``random_state``, kind, number), so asking for more
pictures per kind keeps the first ones.

The kinds (:data:`KINDS`):

``letter``
    One Latin letter typeset from a font installed on the machine (as
    ``bench_other_writers.py`` finds them; matplotlib's DejaVu Sans when there
    are none), rotated up to 20 degrees, sheared and stretched a little. The
    letters written like a digit are left out (:data:`LOOK_LIKE_DIGITS`): O o
    D Q (a closed loop: 0), I l i j J (a bar, with or without a dot or hook:
    1), Z z (2), S s (5), b G (6), g q (9) and B (8). A reader that calls these
    digits is doing what a person would. T and L stay: a 7 has no stroke left
    of its stem and an L is no digit's shape.
``word``
    Two to five letters side by side: short words and random strings, made
    of the letters above only, so that a reader that picks out one letter
    still holds no digit.
``symbol``
    One typeset sign: ``+ - = ~ # % & @ ? * $ < > [ ] { } ^``, the
    multiplication and division signs, ``± € ¥ ¶`` and, from fonts that
    have them, ``← → ✓ ✗ ♥ ★ ♪``. Left out: single
    strokes, which read as a 1 (``| / \\ ( ) !`` and quotes), dots and commas
    (too small to be a mark), ``∞`` (an 8 on its side), ``§``, ``£`` and
    ``¢`` (an S, a 2 or a crossed 0 to a reader). ``-`` stays, with ``=`` and
    ``~``: a horizontal bar is no digit (MNIST's framing keeps the aspect
    ratio, so it stays a bar); ``_`` is the same mark once cropped.
``shape``
    Triangles, squares, diamonds, wide rectangles, stars, plus signs and
    crosses, hearts, block and line arrows, spirals of 2.5 to 4 turns,
    houses and suns, filled or outlined, any size, often rotated. Left out:
    a plain circle or ellipse (a 0, filled or not: a fat marker closes a
    0's hole), a single straight line (a 1), a rectangle taller than wide (a
    seven-segment 0), an arrow pointing up or down (a 1 with a flag),
    spirals of under two turns (a 6 or a 9).
``face``
    Smiley faces: a round head with eyes (dots, rings, closed or winking),
    a mouth (smile, frown, straight, open) and sometimes a nose, hair or
    ears.
``scribble``
    Several random pen strokes that wander over an area, hatching and
    cross-hatching, a scratched-out zigzag, a row of cursive loops.
``blank``
    Blank paper: pure white, tinted, a photo of a sheet (sensor noise, a
    little shading, JPEG), ruled and squared paper (a reader is meant to drop
    ruled lines).
``shaded``
    Blank paper with a soft shadow along an edge or in a corner (a phone or
    a hand over the page), a lighting gradient, or vignetting.
``noise``
    Uniform noise, Gaussian noise, salt and pepper on paper, blotchy
    (smoothed) noise, in grey or colour.
``texture``
    Photo-like surfaces made procedurally: wood grain, woven fabric,
    gravel and speckled stone, a brick wall.

The marks (letter, word, symbol, shape, face, scribble) go onto paper in one
of four looks, chosen at random: *drawn* (black on white, PNG, like a drawing
app), *scan* (grey paper, soft edges, a little noise, PNG or JPEG), *photo*
(the phone photo of ``bench_real_world.py``'s ``on_paper``: lighting
gradient, blur, sensor noise, then JPEG) and *colour* (its ``coloured``:
coloured ink on coloured paper, JPEG). Digits and non-digits are photographed
by the same code, so a reader cannot tell them apart by the look alone. The
mark takes 30% to 90% of the picture's shorter side, anywhere in it.

:func:`contact_sheet` draws many of the pictures on one PNG, to look at them;
``python benchmarks/_non_digits.py DIR`` writes a set and its sheet.
"""

import argparse
import csv
import functools
import string
from pathlib import Path

import _other_writers_styles as styles  # beside this script: the installed fonts
import bench_real_world  # beside this script: the phone-photo look of its digits
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

#: The kinds of non-digit, in the order they are written.
KINDS = ("letter", "word", "symbol", "shape", "face", "scribble", "blank", "shaded", "noise",
         "texture")
#: Kinds that are a mark put on paper (the others are whole pictures).
MARK_KINDS = ("letter", "word", "symbol", "shape", "face", "scribble")

#: Letters left out, with the digit each is written like.
LOOK_LIKE_DIGITS = {
    "O": "0", "o": "0", "D": "0", "Q": "0",
    "I": "1", "l": "1", "i": "1", "j": "1", "J": "1",
    "Z": "2", "z": "2",
    "S": "5", "s": "5",
    "b": "6", "G": "6",
    "g": "9", "q": "9",
    "B": "8",
}
#: The letters drawn.
LETTERS = "".join(c for c in string.ascii_letters if c not in LOOK_LIKE_DIGITS)
#: The signs drawn (a font without a sign's glyph is not used for it).
SYMBOLS = ("+", "-", "\u00d7", "\u00f7", "=", "±", "~", "#", "%", "&", "@", "?", "*", "$", "€", "¥",
           "¶", "<", ">", "[", "]", "{", "}", "^", "←", "→", "✓", "✗", "♥", "★", "♪")
_WORDS = ("cat", "hat", "ant", "art", "car", "fun", "hey", "why", "the", "and", "end", "run",
          "new", "wax", "tea", "eat", "ear", "arm", "her", "ah", "eh", "ha", "er", "km", "cm",
          "mm", "kW", "nm", "AM", "PM", "Hm", "Ma", "Pa", "Mar", "Feb", "Apr", "Tue", "Wed",
          "Fax", "MAX", "NEW", "YEN", "RAM", "CAT", "Next", "Mark", "Face", "Warm", "Cake",
          "Hen", "Fern", "Pear", "Yam", "Elk", "Wren", "cure", "near", "fact", "Text", "Kate")
#: The words drawn: those of :data:`_WORDS` made of :data:`LETTERS` only.
WORDS = tuple(w for w in _WORDS if all(c in LETTERS for c in w))

#: The looks of a mark on paper, and how often each is chosen.
LOOKS = {"drawn": 0.35, "scan": 0.25, "photo": 0.25, "colour": 0.15}
#: Smallest and largest side of a picture, in pixels.
SMALLEST, LARGEST = 32, 800
#: Side of the square pad the marks are drawn on, and the supersampling.
_PAD, _SUPER = 256, 4
#: The installed fonts' files, found once.
_FONTS = []


# -- where the pictures go ------------------------------------------------------------


def make_non_digits(folder, *, n_per_kind=20, kinds=KINDS, random_state=0):
    """Write pictures that are not digits to ``folder``; return ``[(path, kind), ...]``.

    Parameters
    ----------
    folder : str or Path
        Where the files go (created if missing). A ``non_digits.csv`` there
        lists every file with its kind, what it shows and its look.
    n_per_kind : int, default=20
        Pictures of each kind.
    kinds : sequence of str, default=KINDS
        Which kinds to write.
    random_state : int, default=0
        Decides everything drawn.

    Returns
    -------
    pictures : list of (Path, str)
        Each file and its kind, kind after kind.

    Examples
    --------
    >>> pictures = make_non_digits("non_digits", n_per_kind=5)  # doctest: +SKIP
    >>> pictures[0]  # doctest: +SKIP
    (PosixPath('non_digits/letter_0000.png'), 'letter')
    """
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        msg = f"Unknown kinds of non-digit {unknown}; the kinds are {list(KINDS)}."
        raise ValueError(msg)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pictures, rows = [], []
    for kind in kinds:
        for k in range(n_per_kind):
            rng = np.random.default_rng([random_state, KINDS.index(kind), k])
            if kind in MARK_KINDS:
                ink, what = _MARKS[kind](rng)
                picture, look, quality = _on_paper(ink, rng)
            else:
                picture, what = _WHOLE[kind](rng)
                picture, look, quality = _finish(picture, rng)
            path = folder / f"{kind}_{k:04d}.{'jpg' if quality else 'png'}"
            _save(picture, path, quality)
            pictures.append((path, kind))
            rows.append({"file": path.name, "kind": kind, "what": what, "look": look,
                         "width": picture.shape[1], "height": picture.shape[0]})
    with open(folder / "non_digits.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    return pictures


def read_index(folder):
    """The rows of a folder's ``non_digits.csv``: dicts of file, kind, what, look, size."""
    with open(Path(folder) / "non_digits.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _save(picture, path, quality):
    image = Image.fromarray(np.round(np.clip(picture, 0, 255)).astype(np.uint8))
    if quality:
        image.save(path, quality=int(quality))
    else:
        image.save(path)


def _picture_size(rng):
    """Height and width: the shorter side log-uniform in [32, 800], the other up to 1.5x."""
    side = np.exp(rng.uniform(np.log(SMALLEST), np.log(LARGEST)))
    other = min(LARGEST, side * rng.uniform(1.0, 1.5))
    sides = (round(side), round(other))
    return sides if rng.random() < 0.5 else sides[::-1]


# -- a mark on paper ------------------------------------------------------------------


def _resize(ink, shape):
    """Ink in [0, 1] resized to ``shape`` (rows, columns), anti-aliased when reduced."""
    image = Image.fromarray(np.round(255 * np.clip(ink, 0, 1)).astype(np.uint8))
    size = (max(1, shape[1]), max(1, shape[0]))
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS), dtype=float) / 255.0


def _scaled_to(ink, longer):
    scale = longer / max(ink.shape)
    return _resize(ink, (round(ink.shape[0] * scale), round(ink.shape[1] * scale)))


def _on_paper(ink, rng):
    """A mark (ink in [0, 1], 1 = ink) on paper in one of :data:`LOOKS`.

    Returns the picture (0-255, grey or RGB), the look and the JPEG quality
    (None for PNG).
    """
    look = str(rng.choice(list(LOOKS), p=list(LOOKS.values())))
    if look == "photo":
        # on_paper makes the mark's height 45-70% of ``side`` and the picture at
        # least as wide as the mark and a quarter of ``side``: keep it under 800.
        aspect = ink.shape[1] / ink.shape[0]
        top = max(SMALLEST, LARGEST / max(1.0, 0.7 * aspect + 0.25))
        side = round(np.exp(rng.uniform(np.log(SMALLEST), np.log(top))))
        small = _scaled_to(ink, max(4, round(0.6 * side * max(1.0, aspect))))
        picture = bench_real_world.on_paper(small, rng, strength=rng.uniform(0.0, 0.6),
                                            side=side, rotate=0.0)
        return picture, look, int(rng.integers(60, 96))
    if look == "colour":
        # coloured() photographs the mark at 200-400 pixels: bring it near that first.
        small = _scaled_to(ink, 150)
        return bench_real_world.coloured(255 * small, rng), look, int(rng.integers(70, 96))
    height, width = _picture_size(rng)
    longer = max(4, round(rng.uniform(0.3, 0.9) * min(height, width)))
    mark = _scaled_to(ink, longer)
    mark = mark[: height, : width]
    canvas = np.zeros((height, width))
    top = int(rng.integers(0, height - mark.shape[0] + 1))
    left = int(rng.integers(0, width - mark.shape[1] + 1))
    canvas[top : top + mark.shape[0], left : left + mark.shape[1]] = mark
    if look == "drawn":
        paper, dark = 255.0, rng.uniform(0, 40)
        return paper - (paper - dark) * canvas, look, None
    paper, dark = rng.uniform(215, 250), rng.uniform(10, 80)
    picture = paper - (paper - dark) * canvas
    picture = ndimage.gaussian_filter(picture, rng.uniform(0.3, 1.0) * max(1.0, height / 300))
    picture += rng.normal(0, rng.uniform(1, 4), picture.shape)
    return picture, look, (int(rng.integers(80, 96)) if rng.random() < 0.5 else None)


def _transform(ink, *, rotate=0.0, shear=0.0, stretch=0.0):
    """Ink rotated (degrees), sheared and stretched (log of the x/y ratio), all of it kept."""
    angle = np.deg2rad(rotate)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    # (row, column) coordinates: shear moves columns with rows; stretch scales columns.
    forward = rotation @ np.array([[1.0, 0.0], [shear, 1.0]]) @ np.diag(
        [np.exp(-stretch / 2), np.exp(stretch / 2)])
    corners = np.array([[0, 0], [0, ink.shape[1]], [ink.shape[0], 0], ink.shape], float)
    moved = corners @ forward.T
    low, high = moved.min(axis=0), moved.max(axis=0)
    shape = tuple(int(np.ceil(v)) + 2 for v in high - low)
    inverse = np.linalg.inv(forward)
    offset = inverse @ (low - 1)
    out = ndimage.affine_transform(ink, inverse, offset=offset, output_shape=shape, order=1)
    return _crop(out)


def _crop(ink, level=0.02):
    rows = np.flatnonzero((ink > level).any(axis=1))
    cols = np.flatnonzero((ink > level).any(axis=0))
    if rows.size == 0:
        return ink
    return np.pad(ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], 2)


class _Pad:
    """A square drawing pad in unit coordinates ([-1, 1] both ways, y down), anti-aliased.

    Drawn :data:`_SUPER` times larger and reduced by averaging. ``margin`` is
    kept free round the unit square, for the pen's width.
    """

    def __init__(self, margin=0.12):
        self.size = _PAD * _SUPER
        self.image = Image.new("L", (self.size, self.size), 0)
        self.draw = ImageDraw.Draw(self.image)
        self.half = self.size / 2 / (1 + margin)

    def xy(self, points):
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        return [(float(x), float(y)) for x, y in self.size / 2 + self.half * points]

    def pen(self, width):
        """A pen ``width`` wide in unit coordinates, in the pad's pixels."""
        return max(1, round(width * self.half))

    def line(self, points, width, closed=False):
        xy = self.xy(points)
        if closed:
            xy = [*xy, xy[0], xy[1]] if len(xy) > 1 else xy
        pen = self.pen(width)
        self.draw.line(xy, fill=255, width=pen, joint="curve")
        if not closed:
            for x, y in (xy[0], xy[-1]):
                self.draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)

    def polygon(self, points, width=None):
        """Filled when ``width`` is None, else its outline ``width`` wide."""
        if width is None:
            self.draw.polygon(self.xy(points), fill=255)
        else:
            self.line(points, width, closed=True)

    def ellipse(self, centre, radii, width=None, fill=False):
        (x0, y0), (x1, y1) = self.xy([np.subtract(centre, radii), np.add(centre, radii)])
        if fill or width is None:
            self.draw.ellipse((x0, y0, x1, y1), fill=255)
        else:
            self.draw.ellipse((x0, y0, x1, y1), outline=255, width=self.pen(width))

    def arc(self, centre, radii, start, end, width):
        """An arc of an ellipse from ``start`` to ``end`` degrees (clockwise from 3 o'clock)."""
        (x0, y0), (x1, y1) = self.xy([np.subtract(centre, radii), np.add(centre, radii)])
        self.draw.arc((x0, y0, x1, y1), start, end, fill=255, width=self.pen(width))

    def ink(self):
        return _crop(np.asarray(self.image.reduce(_SUPER), dtype=float) / 255.0)


def _rotated(points, degrees):
    angle = np.deg2rad(degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return np.asarray(points, dtype=float) @ rotation.T


def _fit(*point_sets):
    """Point sets moved and scaled together to fill the unit square (keeping their shape)."""
    every = np.vstack([np.asarray(p, dtype=float).reshape(-1, 2) for p in point_sets])
    low, high = every.min(axis=0), every.max(axis=0)
    scale = 2.0 / max(float((high - low).max()), 1e-9)
    middle = (low + high) / 2
    return [(np.asarray(p, dtype=float) - middle) * scale for p in point_sets]


# -- typeset marks --------------------------------------------------------------------


def _font_files():
    if not _FONTS:
        found = styles.font_files()
        if not found:
            import matplotlib

            folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
            found = sorted(str(p) for p in folder.glob("DejaVu*.ttf"))
        _FONTS.extend(found)
    return _FONTS


@functools.cache
def _has_glyph(path, text):
    """Whether the font draws every character of ``text`` (not its missing-glyph box)."""
    font = ImageFont.truetype(path, 40)
    missing = font.getmask("\U000f0000")
    for char in text:
        mask = font.getmask(char)
        if mask.size == (0, 0) or mask.getbbox() is None:
            return False
        if mask.size == missing.size and bytes(mask) == bytes(missing):
            return False
    return True


def _typeset(text, rng, *, rotate, fonts=None):
    """``text`` typeset from a random installed font, then rotated, sheared, stretched."""
    fonts = fonts or _font_files()
    if fonts:
        path = fonts[int(rng.integers(len(fonts)))]
        font = ImageFont.truetype(path, 160)
        name = "{} {}".format(*font.getname())
    else:
        font, name = ImageFont.load_default(size=160), "Pillow's default"
    left, top, right, bottom = font.getbbox(text)
    canvas = Image.new("L", (right - left + 20, bottom - top + 20), 0)
    ImageDraw.Draw(canvas).text((10 - left, 10 - top), text, font=font, fill=255)
    ink = _crop(np.asarray(canvas, dtype=float) / 255.0)
    ink = _transform(ink, rotate=rng.uniform(-rotate, rotate), shear=rng.uniform(-0.2, 0.2),
                     stretch=rng.uniform(-0.3, 0.3))
    return ink, name


def _letter(rng):
    letter = LETTERS[int(rng.integers(len(LETTERS)))]
    ink, font = _typeset(letter, rng, rotate=20)
    return ink, f"letter {letter} ({font})"


def _word(rng):
    if rng.random() < 0.6:
        word = WORDS[int(rng.integers(len(WORDS)))]
    else:
        word = "".join(rng.choice(list(LETTERS), size=int(rng.integers(2, 6))))
    ink, font = _typeset(word, rng, rotate=10)
    return ink, f"word {word} ({font})"


def _symbol(rng):
    symbol = SYMBOLS[int(rng.integers(len(SYMBOLS)))]
    fonts = [p for p in _font_files() if _has_glyph(p, symbol)]
    if not fonts:  # no installed font draws it: a plus sign instead
        symbol, fonts = "+", [p for p in _font_files() if _has_glyph(p, "+")]
    ink, font = _typeset(symbol, rng, rotate=15, fonts=fonts)
    return ink, f"symbol {symbol} ({font})"


# -- drawn marks ----------------------------------------------------------------------


def _outline(rng):
    """None (filled) or an outline's width in unit coordinates."""
    return None if rng.random() < 0.5 else float(rng.uniform(0.03, 0.14))


def _star_points(n, inner):
    angles = np.pi * np.arange(2 * n) / n - np.pi / 2
    radii = np.where(np.arange(2 * n) % 2 == 0, 1.0, inner)
    return np.column_stack([radii * np.cos(angles), radii * np.sin(angles)])


def _shape(rng):
    name = str(rng.choice(["triangle", "square", "rectangle", "star", "plus", "heart",
                           "block arrow", "line arrow", "spiral", "house", "sun"]))
    pad, width = _Pad(), _outline(rng)
    pen = float(rng.uniform(0.04, 0.12))
    if name == "triangle":
        first = rng.uniform(0, 2 * np.pi)
        angles = first + np.cumsum([0.0, rng.uniform(1.7, 2.5), rng.uniform(1.7, 2.5)])
        pad.polygon(_fit(np.column_stack([np.cos(angles), np.sin(angles)]))[0], width)
    elif name == "square":
        corners = _rotated([[-1, -1], [1, -1], [1, 1], [-1, 1]], rng.uniform(0, 90))
        pad.polygon(_fit(corners)[0], width)
    elif name == "rectangle":  # wider than tall: a tall outlined one is a 0
        ratio = rng.uniform(1.5, 2.5)
        corners = _rotated([[-ratio, -1], [ratio, -1], [ratio, 1], [-ratio, 1]],
                           rng.uniform(-20, 20))
        pad.polygon(_fit(corners)[0], width)
    elif name == "star":
        points = _star_points(int(rng.choice([5, 6, 7, 8])), rng.uniform(0.38, 0.55))
        pad.polygon(_fit(_rotated(points, rng.uniform(-30, 30)))[0], width)
    elif name == "plus":  # a plus sign, or turned 45 degrees, a cross
        arm = rng.uniform(0.22, 0.42)
        quarter = [[arm, -1], [arm, -arm], [1, -arm]]
        points = np.vstack([_rotated(quarter, 90 * k) for k in range(4)])
        turn = 45 if rng.random() < 0.4 else 0
        pad.polygon(_fit(_rotated(points, turn + rng.uniform(-15, 15)))[0], width)
    elif name == "heart":
        t = np.linspace(0, 2 * np.pi, 200, endpoint=False)
        x = 16 * np.sin(t) ** 3
        y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        pad.polygon(_fit(_rotated(np.column_stack([x, y]), rng.uniform(-25, 25)))[0], width)
    elif name == "block arrow":
        shaft, head, neck = rng.uniform(0.12, 0.3), rng.uniform(0.4, 0.7), rng.uniform(0, 0.4)
        points = [[-1, -shaft], [neck, -shaft], [neck, -head], [1, 0], [neck, head],
                  [neck, shaft], [-1, shaft]]
        pad.polygon(_fit(_rotated(points, rng.uniform(0, 360)))[0], width)
    elif name == "line arrow":  # pointing left or right: up or down it is a 1 with a flag
        turn = rng.uniform(-40, 40) + (180 if rng.random() < 0.5 else 0)
        barb = rng.uniform(0.25, 0.5)
        shaft, left, right = _fit(*(_rotated(p, turn) for p in (
            [[-1, 0], [1, 0]], [[1 - barb, -barb], [1, 0]], [[1 - barb, barb], [1, 0]])))
        for stroke in (shaft, left, right):
            pad.line(stroke, pen)
    elif name == "spiral":  # two turns or more: fewer is a 6 or a 9
        turns = rng.uniform(2.5, 4.0)
        theta = np.linspace(0, 2 * np.pi * turns, 400)
        direction = 1 if rng.random() < 0.5 else -1
        points = np.column_stack([theta * np.cos(direction * theta),
                                  theta * np.sin(direction * theta)])
        pad.line(_fit(_rotated(points, rng.uniform(0, 360)))[0], min(pen, 0.06))
    elif name == "house":
        body = [[-1, 0], [1, 0], [1, 1.6], [-1, 1.6]]
        roof = [[-1.2, 0], [0, -rng.uniform(0.8, 1.3)], [1.2, 0]]
        door = [[-0.25, 1.6], [-0.25, 0.8], [0.25, 0.8], [0.25, 1.6]]
        turn = rng.uniform(-10, 10)
        body, roof, door = _fit(*(_rotated(p, turn) for p in (body, roof, door)))
        pad.polygon(body, pen)
        pad.polygon(roof, pen)
        pad.line(door, pen * 0.8)
    else:  # a sun: a disc with rays
        rays = int(rng.integers(7, 13))
        angles = 2 * np.pi * (np.arange(rays) / rays + rng.uniform(0, 1))
        start, end = rng.uniform(0.45, 0.6), rng.uniform(0.85, 1.0)
        pad.ellipse((0, 0), (0.35, 0.35), width=None if width is None else pen)
        for angle in angles:
            direction = np.array([np.cos(angle), np.sin(angle)])
            pad.line([start * direction, end * direction], pen)
    kind = "" if name in ("line arrow", "spiral", "house") else (
        " (filled)" if width is None else " (outline)")
    if name == "sun":
        kind = " (filled)" if width is None else " (outline)"
    return pad.ink(), f"shape {name}{kind}"


def _face(rng):
    pad = _Pad(margin=0.2)
    pen = float(rng.uniform(0.03, 0.09))
    radii = (rng.uniform(0.8, 1.0), rng.uniform(0.8, 1.0))
    pad.ellipse((0, 0), radii, width=pen)
    eyes = str(rng.choice(["dots", "rings", "closed", "wink"]))
    apart, high = rng.uniform(0.28, 0.42), rng.uniform(-0.4, -0.2)
    size = rng.uniform(0.07, 0.13)
    for side in (-1, 1):
        centre = (side * apart, high)
        if eyes == "dots" or (eyes == "wink" and side < 0):
            pad.ellipse(centre, (size, size * rng.uniform(1.0, 1.5)), fill=True)
        elif eyes == "rings":
            pad.ellipse(centre, (size * 1.3, size * 1.3), width=pen * 0.7)
        else:
            pad.arc(centre, (size * 1.5, size), 180, 360, pen * 0.8)
    mouth = str(rng.choice(["smile", "grin", "frown", "straight", "open"]))
    if mouth in ("smile", "grin"):
        spread = rng.uniform(0.35, 0.6)
        pad.arc((0, 0.05), (spread, rng.uniform(0.3, 0.5)), 20, 160, pen)
        if mouth == "grin":
            pad.line([(-spread * 0.9, 0.2), (spread * 0.9, 0.2)], pen * 0.8)
    elif mouth == "frown":
        pad.arc((0, 0.75), (rng.uniform(0.3, 0.5), 0.3), 200, 340, pen)
    elif mouth == "straight":
        spread = rng.uniform(0.2, 0.45)
        pad.line([(-spread, 0.45), (spread, 0.45)], pen)
    else:
        pad.ellipse((0, 0.45), (rng.uniform(0.1, 0.2), rng.uniform(0.1, 0.2)), width=pen)
    if rng.random() < 0.4:
        pad.line([(0, -0.05), (rng.uniform(-0.1, 0.1), 0.15)], pen * 0.8)
    if rng.random() < 0.35:  # hair
        for x in np.linspace(-0.4, 0.4, int(rng.integers(3, 7))):
            top = -radii[1] * np.sqrt(max(0.0, 1 - (x / radii[0]) ** 2))
            pad.line([(x, top), (x * 1.3, top - rng.uniform(0.15, 0.25))], pen * 0.8)
    if rng.random() < 0.3:  # ears
        for side in (-1, 1):
            pad.arc((side * radii[0], 0), (0.15, 0.2), 270 if side > 0 else 90,
                    90 if side > 0 else 270, pen)
    ink = _transform(pad.ink(), rotate=rng.uniform(-20, 20))
    return ink, f"face, {eyes} eyes, {mouth} mouth"


def _wander(rng, steps, box=0.9):
    """A smooth random pen path inside the square ``[-box, box]``: it turns back at the edge."""
    position = rng.uniform(-box * 0.7, box * 0.7, 2)
    heading, turning, speed = rng.uniform(0, 2 * np.pi), 0.0, rng.uniform(0.02, 0.05)
    points = [position.copy()]
    for _ in range(steps):
        turning = 0.85 * turning + rng.normal(0, 0.12)
        heading += turning
        step = speed * np.array([np.cos(heading), np.sin(heading)])
        if np.any(np.abs(position + step) > box):  # head back towards the middle
            heading = np.arctan2(-position[1], -position[0]) + rng.normal(0, 0.5)
            step = speed * np.array([np.cos(heading), np.sin(heading)])
        position = position + step
        points.append(position.copy())
    return np.array(points)


def _scribble(rng):
    pad = _Pad()
    pen = float(rng.uniform(0.015, 0.07))
    name = str(rng.choice(["strokes", "hatching", "cross-hatching", "scratched out",
                           "loops"]))
    if name == "strokes":  # long enough to cross each other: no stroke stands alone
        count = int(rng.integers(3, 8))
        for _ in range(count):
            pad.line(_wander(rng, int(rng.integers(80, 160))), pen)
        name = f"{count} random strokes"
    elif name in ("hatching", "cross-hatching"):
        families = 2 if name == "cross-hatching" else 1
        first = rng.uniform(0, 180)
        for family in range(families):
            angle = np.deg2rad(first + family * rng.uniform(60, 120))
            along = np.array([np.cos(angle), np.sin(angle)])
            across = np.array([-along[1], along[0]])
            count = int(rng.integers(6, 16))
            for offset in np.linspace(-0.85, 0.85, count):
                half = np.sqrt(max(0.05, 0.9 - offset**2)) * rng.uniform(0.7, 1.0)
                shift = rng.normal(0, 0.03)
                ends = [offset * across + (shift - half) * along,
                        offset * across + (shift + half) * along]
                pad.line(np.array(ends) + rng.normal(0, 0.02, (2, 2)), pen)
    elif name == "scratched out":
        zigs = int(rng.integers(10, 26))
        x = np.linspace(-0.9, 0.9, zigs) + rng.normal(0, 0.03, zigs)
        y = np.where(np.arange(zigs) % 2 == 0, -1, 1) * rng.uniform(0.5, 0.9, zigs)
        points = _rotated(np.column_stack([x, y]), rng.uniform(-30, 30))
        pad.line(points, max(pen, 0.04))
        if rng.random() < 0.5:
            pad.line(_rotated(points[::-1], rng.uniform(-20, 20)) * 0.9, max(pen, 0.04))
    else:  # a row of cursive loops, like a line of e's or l's
        loops = int(rng.integers(4, 9))
        t = np.linspace(0, 2 * np.pi * loops, 60 * loops)
        radius = rng.uniform(0.5, 1.0)
        points = np.column_stack([t / np.pi * 0.4 - radius * np.sin(t), -radius * np.cos(t)])
        rows = int(rng.integers(1, 3))
        strokes = [np.add(points, [0, 3.0 * row]) for row in range(rows)]
        turn = rng.uniform(-15, 15)
        for stroke in _fit(*(_rotated(s, turn) for s in strokes)):
            pad.line(stroke, pen)
        name = f"{rows} row(s) of {loops} loops"
    return pad.ink(), f"scribble, {name}"


_MARKS = {"letter": _letter, "word": _word, "symbol": _symbol, "shape": _shape,
          "face": _face, "scribble": _scribble}


# -- whole pictures -------------------------------------------------------------------


def _grid(height, width):
    rows, cols = np.mgrid[0:height, 0:width].astype(float)
    return rows / max(height, width), cols / max(height, width)


def _smooth_noise(rng, shape, sigma):
    """Noise smoothed at ``sigma`` pixels, scaled to [-1, 1]."""
    field = ndimage.gaussian_filter(rng.normal(size=shape), sigma, mode="wrap")
    return field / max(float(np.abs(field).max()), 1e-12)


def _paper_colour(rng):
    """An RGB paper: white, grey, cream, or a pale colour."""
    kind = rng.choice(["white", "grey", "cream", "tint"])
    level = rng.uniform(215, 252)
    if kind in ("white", "grey"):
        return np.full(3, level if kind == "white" else rng.uniform(170, 230))
    if kind == "cream":
        return np.array([level, level * 0.97, level * 0.86])
    return level * rng.uniform(0.85, 1.0, 3)


def _gradient(rng, shape, strength):
    """Light across the picture: 1 on its bright side, ``1 - strength`` on the dark one."""
    rows, cols = _grid(*shape)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * cols + np.sin(angle) * rows
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-12)
    return 1.0 - strength * ramp


def _vignette(shape, strength):
    rows, cols = _grid(*shape)
    middle = (rows.max() / 2, cols.max() / 2)
    distance = np.hypot(rows - middle[0], cols - middle[1]) / np.hypot(*middle)
    return 1.0 - strength * distance**2


def _as_picture(light, paper):
    """A paper colour (RGB) under light (2-D): an RGB picture."""
    return light[..., None] * paper[None, None, :]


def _blank(rng):
    height, width = _picture_size(rng)
    name = str(rng.choice(["white", "tinted", "photo", "ruled", "squared"]))
    if name == "white":
        return np.full((height, width), 255.0), "blank, pure white"
    paper = _paper_colour(rng)
    light = np.ones((height, width))
    if name == "tinted":
        return _as_picture(light, paper), "blank, tinted paper"
    light = _gradient(rng, (height, width), rng.uniform(0.0, 0.25))
    picture = _as_picture(light, paper)
    if name in ("ruled", "squared"):
        spacing = max(4, round(max(height, width) / rng.uniform(8, 20)))
        thickness = max(1, round(spacing / 12))
        line = np.array(rng.choice([[150, 170, 220], [170, 170, 170], [120, 180, 200]]),
                        dtype=float)
        rows, cols = np.mgrid[0:height, 0:width]
        lines = (rows + int(rng.integers(spacing))) % spacing < thickness
        if name == "squared":
            lines |= (cols + int(rng.integers(spacing))) % spacing < thickness
        strength = rng.uniform(0.4, 0.9)
        picture = np.where(lines[..., None], picture * (1 - strength) + strength * line * light[
            ..., None] * paper / 255, picture)
        if name == "ruled" and rng.random() < 0.5:  # the red margin line
            margin = int(rng.uniform(0.1, 0.2) * width)
            picture[:, margin : margin + thickness + 1] = [220, 90, 90]
        name = f"{name} paper"
    else:
        name = "photo of blank paper"
    return picture, f"blank, {name}"


def _shaded(rng):
    height, width = _picture_size(rng)
    name = str(rng.choice(["edge shadow", "corner shadow", "gradient", "vignette"]))
    paper = _paper_colour(rng)
    side = max(height, width)
    if name in ("edge shadow", "corner shadow"):
        mask = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(mask)
        depth = rng.uniform(0.15, 0.5)
        if name == "edge shadow":  # a band along one edge, its inner side wavy
            edge = int(rng.integers(4))
            along = np.linspace(0, 1, 12)
            reach = depth + 0.08 * np.sin(2 * np.pi * (along * rng.uniform(0.5, 1.5)
                                                       + rng.uniform(0, 1)))
            inner = {0: [(a * width, r * height) for a, r in zip(along, reach, strict=True)],
                     1: [(a * width, (1 - r) * height) for a, r in zip(along, reach, strict=True)],
                     2: [(r * width, a * height) for a, r in zip(along, reach, strict=True)],
                     3: [((1 - r) * width, a * height) for a, r in zip(along, reach, strict=True)]}
            outer = {0: [(width, -side), (0, -side)], 1: [(width, 2 * side), (0, 2 * side)],
                     2: [(-side, height), (-side, 0)], 3: [(2 * side, height), (2 * side, 0)]}
            draw.polygon(inner[edge] + outer[edge], fill=255)
        else:  # a rounded blob over one corner: a hand, a phone
            corner = (width * int(rng.integers(2)), height * int(rng.integers(2)))
            radii = (rng.uniform(0.3, 0.8) * width, rng.uniform(0.3, 0.8) * height)
            draw.ellipse((corner[0] - radii[0], corner[1] - radii[1], corner[0] + radii[0],
                          corner[1] + radii[1]), fill=255)
        shadow = ndimage.gaussian_filter(np.asarray(mask, dtype=float) / 255,
                                         rng.uniform(0.03, 0.12) * side)
        light = (1 - rng.uniform(0.25, 0.6) * shadow) * _gradient(
            rng, (height, width), rng.uniform(0, 0.2))
    elif name == "gradient":
        light = _gradient(rng, (height, width), rng.uniform(0.3, 0.7))
    else:
        light = _vignette((height, width), rng.uniform(0.3, 0.7))
    picture = _as_picture(light, paper)
    picture += rng.normal(0, rng.uniform(0.5, 4), picture.shape)
    if rng.random() < 0.5:
        picture = picture.mean(axis=2)
    return picture, f"shaded, {name}"


def _noise(rng):
    height, width = _picture_size(rng)
    colour = rng.random() < 0.3
    shape = (height, width, 3) if colour else (height, width)
    name = str(rng.choice(["uniform", "gaussian", "salt and pepper", "blotches"]))
    if name == "uniform":
        picture = rng.uniform(0, 256, shape)
    elif name == "gaussian":
        picture = rng.normal(rng.uniform(80, 180), rng.uniform(20, 80), shape)
    elif name == "salt and pepper":
        density = rng.uniform(0.005, 0.2)
        picture = np.full((height, width), rng.uniform(200, 255))
        draw = rng.random((height, width))
        picture[draw < density / 2] = 0
        picture[(draw >= density / 2) & (draw < density)] = 255
        if colour:
            picture = np.repeat(picture[..., None], 3, axis=2)
        name = f"salt and pepper ({density:.0%})"
    else:
        sigma = rng.uniform(0.01, 0.06) * max(height, width)
        field = _smooth_noise(rng, shape[:2], sigma)
        picture = 128 + rng.uniform(40, 120) * field
        if colour:
            picture = picture[..., None] * rng.uniform(0.6, 1.0, 3)
    return picture, f"noise, {name}{' (colour)' if colour else ''}"


def _texture(rng):
    height, width = _picture_size(rng)
    name = str(rng.choice(["wood", "fabric", "gravel", "speckled stone", "brick"]))
    rows, cols = np.mgrid[0:height, 0:width].astype(float)
    side = max(height, width)
    if name == "wood":
        # Grain along the columns: bands bent by smooth noise, fine streaks on top.
        along, across = (cols, rows) if rng.random() < 0.5 else (rows, cols)
        bend = _smooth_noise(rng, (height, width), side / 6) * rng.uniform(2, 6)
        period = side / rng.uniform(6, 20)
        bands = 0.5 + 0.5 * np.sin(2 * np.pi * (across / period + bend
                                               + 0.2 * np.sin(along / side * 3)))
        streaks = ndimage.gaussian_filter(
            rng.normal(size=(height, width)),
            (side / 40, 0.7) if across is rows else (0.7, side / 40))
        value = 0.65 + 0.25 * bands**3 + 0.1 * streaks / max(float(np.abs(streaks).max()), 1e-9)
        base = np.array([rng.uniform(150, 210), rng.uniform(100, 145), rng.uniform(55, 90)])
        picture = value[..., None] * base
    elif name == "fabric":
        period = rng.uniform(4, 14) * max(1.0, side / 400)
        u, v = cols / period, rows / period
        warp = np.sin(np.pi * (u % 1)) ** 0.6  # round threads
        weft = np.sin(np.pi * (v % 1)) ** 0.6
        step = 2 if rng.random() < 0.5 else 3  # plain weave or twill
        over = ((np.floor(u) + np.floor(v)) % step) == 0
        value = np.where(over, 0.55 + 0.45 * warp, 0.45 + 0.45 * weft)
        value = value * (1 + 0.08 * rng.normal(size=value.shape))
        base = np.array(rng.choice([[60, 80, 130], [150, 150, 150], [160, 60, 60],
                                    [200, 190, 160], [90, 120, 80]]), dtype=float)
        picture = value[..., None] * base
        picture = ndimage.rotate(picture, rng.uniform(-30, 30), axes=(1, 0), reshape=False,
                                 order=1, mode="reflect")
        name = "fabric, " + ("plain weave" if step == 2 else "twill")
    elif name in ("gravel", "speckled stone"):
        canvas = Image.new("L", (width, height), int(rng.uniform(40, 90)))
        draw = ImageDraw.Draw(canvas)
        radius = rng.uniform(0.02, 0.06) * side if name == "gravel" else max(
            1.0, rng.uniform(0.003, 0.01) * side)
        count = int(1.5 * height * width / (np.pi * radius**2))
        if name == "speckled stone":
            canvas = Image.new("L", (width, height), int(rng.uniform(150, 210)))
            draw = ImageDraw.Draw(canvas)
            count //= 6
        for _ in range(min(count, 40_000)):
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            rx, ry = radius * rng.uniform(0.5, 1.3), radius * rng.uniform(0.5, 1.3)
            draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=int(rng.uniform(60, 220)))
        value = ndimage.gaussian_filter(np.asarray(canvas, dtype=float), 0.8)
        value += rng.normal(0, 8, value.shape)
        tint = rng.uniform(0.85, 1.0, 3)
        picture = value[..., None] * tint
    else:  # brick
        brick = rng.uniform(0.06, 0.15) * side
        length = brick * rng.uniform(2.0, 3.0)
        mortar = max(1.0, brick * rng.uniform(0.08, 0.15))
        row = np.floor(rows / brick)
        shifted = cols + (row % 2) * length / 2
        column = np.floor(shifted / length)
        joint = ((rows % brick) < mortar) | ((shifted % length) < mortar)
        colours = rng.uniform(0.75, 1.1, (int(row.max()) + 2, int(column.max()) + 2))
        base = np.array([rng.uniform(140, 190), rng.uniform(60, 90), rng.uniform(40, 70)])
        shade = colours[row.astype(int), column.astype(int)]
        value = shade * (1 + 0.1 * _smooth_noise(rng, (height, width), 1.5))
        picture = np.where(joint[..., None], rng.uniform(170, 210),
                           value[..., None] * base)
        picture = ndimage.gaussian_filter(picture, (0.7, 0.7, 0))
    light = _gradient(rng, (height, width), rng.uniform(0, 0.4))
    return picture * light[..., None], f"texture, {name}"


_WHOLE = {"blank": _blank, "shaded": _shaded, "noise": _noise, "texture": _texture}


def _finish(picture, rng):
    """A whole picture as a file would hold it: now and then grey, blurred, as a JPEG.

    Returns the picture, its look and the JPEG quality (None for PNG). Pure
    white paper stays exact (a PNG from a drawing app).
    """
    if np.ptp(picture) == 0:
        return picture, "drawn", None
    if picture.ndim == 3 and rng.random() < 0.3:
        picture = picture.mean(axis=2)
    if rng.random() < 0.5:
        sigma = rng.uniform(0.3, 1.2)
        picture = ndimage.gaussian_filter(picture, (sigma, sigma, 0)[: picture.ndim])
        return picture, "photo", int(rng.integers(60, 96))
    return picture, "drawn", None


# -- looking at them ------------------------------------------------------------------


def fit_in(path, side):
    """A picture file shrunk (or enlarged) to fit a ``side`` square, centred on grey, RGB."""
    image = Image.open(path).convert("RGB")
    scale = side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS if scale < 1
                         else Image.Resampling.NEAREST)
    cell = Image.new("RGB", (side, side), (128, 128, 128))
    cell.paste(image, ((side - size[0]) // 2, (side - size[1]) // 2))
    return cell


def contact_sheet(paths, out, *, captions=None, colours=None, columns=10, cell=110):
    """Many pictures on one PNG, each fitted into a square on grey, a caption below it.

    ``colours`` (RGB tuples or None, one per picture) frame the pictures.
    Returns the path written.
    """
    fonts = [p for p in _font_files() if Path(p).stem == "DejaVuSans"]
    font = ImageFont.truetype(fonts[0], 11) if fonts else ImageFont.load_default(size=11)
    captions = captions or [Path(p).name for p in paths]
    count = len(paths)
    height = cell + 30
    sheet = Image.new("RGB", (columns * (cell + 8), max(1, -(-count // columns)) * height),
                      (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for k, path in enumerate(paths):
        left, top = (k % columns) * (cell + 8) + 4, (k // columns) * height + 4
        sheet.paste(fit_in(path, cell), (left, top))
        if colours and colours[k]:
            draw.rectangle((left - 3, top - 3, left + cell + 2, top + cell + 2),
                           outline=colours[k], width=3)
        text = captions[k]
        lines = [text[:20], text[20:40]] if len(text) > 20 else [text]
        draw.multiline_text((left, top + cell + 2), "\n".join(lines), fill=(0, 0, 0),
                            font=font, spacing=1)
    sheet.save(out)
    return Path(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where the pictures go")
    parser.add_argument("--n-per-kind", type=int, default=20,
                        help="pictures of each kind (default: 20)")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    pictures = make_non_digits(args.folder, n_per_kind=args.n_per_kind, kinds=args.kinds,
                               random_state=args.seed)
    rows = {row["file"]: row for row in read_index(args.folder)}
    captions = [f"{rows[p.name]['what'].split(' (')[0]}, {rows[p.name]['look']}"
                for p, _ in pictures]
    sheet = contact_sheet([p for p, _ in pictures], Path(args.folder) / "contact_sheet.png",
                          captions=captions)
    print(f"{len(pictures)} pictures in {args.folder}; contact sheet: {sheet}")


if __name__ == "__main__":
    main()
