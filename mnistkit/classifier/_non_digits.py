"""Drawings that are not digits, in MNIST's format: what novelty learns to stay away from.

A model learns from digits only, so the distance to the nearest training
digits is all it has to tell a letter from a 4; letters, symbols and
scribbles can lie as close to some digit as an unusual digit does. Knowing
where some non-digits lie sharpens that: an image nearer to drawn non-digits
than to digits is not a digit. The drawings are made at fit time, in the
strokes of a pen: capital and small letters and symbols in matplotlib's
DejaVu fonts (shipped with matplotlib, so always there), short words, pen
scribbles, outlined or filled shapes, smileys, and the soft shadows a photo
of blank paper shows. Shapes a digit is written with are
left out: letters people write like a digit (O, I, l, Z, S, B, ...), plain
circles and ellipses (a 0), single straight strokes (a 1).

``benchmarks/bench_confidence.py`` measures rejection on non-digits drawn by
different code (``benchmarks/_non_digits.py``), as photos and scans.
"""

import functools
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .._geometry import IMAGE_SIDE, frame_digits

_CANVAS = 96  # pixels of the drawing before it is framed like a digit
# Letters and signs that people write as, or like, a digit.
_LIKE_DIGITS = set("OoDQIlijJZzSsbGgqBTtyY|/-_")
LETTERS = "".join(
    c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in _LIKE_DIGITS
)
SYMBOLS = "+\u00d7=#%&@?!*$€£<>~^¶§"  # brackets left out: a bracket is a 1
_KINDS = ("letter", "word", "symbol", "scribble", "shape", "face", "shade")
_SHARES = (0.25, 0.1, 0.15, 0.15, 0.15, 0.1, 0.1)


@functools.cache
def _fonts():
    """The DejaVu fonts matplotlib ships: sans, serif and mono, upright and slanted."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    # The "Display" faces hold a few glyphs only.
    return tuple(sorted(str(path) for path in folder.glob("DejaVu*.ttf")
                        if "Display" not in path.name))


@functools.cache
def _font(path, size):
    return ImageFont.truetype(path, size)


def _text(draw, rng, text):
    fonts = _fonts()
    size = int(rng.integers(40, 70)) if len(text) == 1 else int(rng.integers(22, 34))
    font = _font(fonts[rng.integers(len(fonts))], size)
    # The stroke's width varies as a pen's does: a bold outline thickens it.
    draw.text((_CANVAS / 2, _CANVAS / 2), text, font=font, fill=255, anchor="mm",
              stroke_width=int(rng.integers(0, 3)), stroke_fill=255)


def _scribble(draw, rng):
    for _ in range(rng.integers(2, 6)):
        steps = rng.normal(0, 14, size=(rng.integers(4, 12), 2))
        points = np.clip(np.cumsum(steps, axis=0) + rng.uniform(25, 70, 2), 2, _CANVAS - 3)
        draw.line([tuple(p) for p in points], fill=255, width=int(rng.integers(2, 9)),
                  joint="curve")


def _polygon(rng, corners, inner=None):
    centre, radius = rng.uniform(40, 56, 2), rng.uniform(22, 40)
    angles = rng.uniform(0, 2 * np.pi) + np.linspace(0, 2 * np.pi, corners, endpoint=False)
    if inner is not None:  # a star: every other corner pulled in
        radii = np.where(np.arange(corners) % 2, radius * inner, radius)
    else:
        radii = np.full(corners, radius)
    return [tuple(centre + r * np.array([np.cos(a), np.sin(a)])) for r, a in
            zip(radii, angles, strict=True)]


def _shape(draw, rng):
    kind = rng.integers(5)
    width = int(rng.integers(2, 8))
    if kind == 0:  # triangle, square, pentagon, hexagon
        points = _polygon(rng, int(rng.integers(3, 7)))
    elif kind == 1:  # a star
        points = _polygon(rng, 2 * int(rng.integers(4, 7)), inner=rng.uniform(0.35, 0.6))
    elif kind == 2:  # a cross or an asterisk of several strokes
        centre, radius = rng.uniform(40, 56, 2), rng.uniform(22, 40)
        for angle in rng.uniform(0, np.pi) + np.linspace(0, np.pi, rng.integers(2, 5),
                                                         endpoint=False):
            offset = radius * np.array([np.cos(angle), np.sin(angle)])
            draw.line([tuple(centre - offset), tuple(centre + offset)], fill=255, width=width)
        return
    elif kind == 3:  # hatching: parallel strokes
        angle, gap = rng.uniform(0, np.pi), rng.uniform(8, 16)
        direction = np.array([np.cos(angle), np.sin(angle)])
        across = np.array([-direction[1], direction[0]])
        for k in range(-int(rng.integers(2, 4)), int(rng.integers(2, 4)) + 1):
            middle = _CANVAS / 2 + k * gap * across
            draw.line([tuple(middle - 35 * direction), tuple(middle + 35 * direction)],
                      fill=255, width=width)
        return
    else:  # a blot: a filled irregular shape
        corners = int(rng.integers(5, 10))
        points = _polygon(rng, corners, inner=None)
        points = [tuple(np.array(p) + rng.normal(0, 8, 2)) for p in points]
        draw.polygon(points, fill=255)
        return
    if rng.random() < 0.3:
        draw.polygon(points, fill=255)
    else:
        draw.polygon(points, outline=255, width=width)


def _face(draw, rng):
    """A smiley: a head, two eyes and a mouth (without them it would be a 0)."""
    centre, radius = rng.uniform(44, 52, 2), rng.uniform(30, 42)
    width = int(rng.integers(2, 6))
    box = [*(centre - radius), *(centre + radius)]
    draw.ellipse(box, outline=255, width=width)
    for side in (-1, 1):
        eye = centre + radius * np.array([0.38 * side, -0.3])
        r = rng.uniform(0.06, 0.14) * radius
        draw.ellipse([*(eye - r), *(eye + r)], fill=255)
    mouth = radius * rng.uniform(0.45, 0.65)
    start = rng.uniform(10, 40)
    draw.arc([*(centre - mouth), *(centre + mouth)], start, 180 - start, fill=255,
             width=width)


def _shade(rng):
    """A soft shadow: a blurred blob or a ramp from an edge, as on a photo of blank paper."""
    rows, cols = np.mgrid[:_CANVAS, :_CANVAS] / _CANVAS
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * np.pi)
        along = np.cos(angle) * (cols - 0.5) + np.sin(angle) * (rows - 0.5)
        return 255 / (1 + np.exp(-(along - rng.uniform(0.1, 0.4)) / rng.uniform(0.03, 0.12)))
    centre, spread = rng.uniform(0, 1, 2), rng.uniform(0.15, 0.4)
    return 255 * np.exp(-((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2)
                        / (2 * spread**2))


def make_non_digits(n, random_state):
    """``n`` drawings of letters, words, symbols, scribbles and shapes, framed as MNIST digits.

    Returns uint8 pixels of shape (n, 784), light on dark as MNIST's; fewer
    rows if some drawing came out blank.
    """
    rng = np.random.default_rng(random_state)
    canvases = np.zeros((n, _CANVAS, _CANVAS), dtype=np.float64)
    for i, kind in enumerate(rng.choice(_KINDS, size=n, p=_SHARES)):
        if kind == "shade":
            canvases[i] = _shade(rng)
            continue
        picture = Image.new("L", (_CANVAS, _CANVAS), 0)
        draw = ImageDraw.Draw(picture)
        if kind == "letter":
            _text(draw, rng, LETTERS[rng.integers(len(LETTERS))])
        elif kind == "word":
            _text(draw, rng, "".join(rng.choice(list(LETTERS), size=rng.integers(2, 4))))
        elif kind == "symbol":
            _text(draw, rng, SYMBOLS[rng.integers(len(SYMBOLS))])
        elif kind == "scribble":
            _scribble(draw, rng)
        elif kind == "face":
            _face(draw, rng)
        else:
            _shape(draw, rng)
        angle = rng.normal(0, 10)
        canvases[i] = np.asarray(picture.rotate(angle, resample=Image.Resampling.BILINEAR))
    framed = np.round(255 * frame_digits(canvases)).astype(np.uint8)
    return framed[framed.max(axis=(1, 2)) > 0].reshape(-1, IMAGE_SIDE * IMAGE_SIDE)
