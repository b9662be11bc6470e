"""How well digits are read from the real world: photos, scans, small images, numbers.

Builds degraded pictures from MNIST's official *test* images only (the model
never saw them), writes each to a file as a user would have it, reads it back
through the v0.1.0 reading (a copy of which is kept in this script, for the
comparison) and through today's ``read_digit_image`` / ``read_number``, and
prints the accuracy per condition side by side, with the time per image
(reading and classifying). Digits rendered from the fonts installed on the
machine are added when there are any.

Usage::

    MNISTKIT_DATA_DIR=/path/to/mnist python benchmarks/bench_real_world.py
    python benchmarks/bench_real_world.py --model default.mnistkit --n 1000 --markdown
    python benchmarks/bench_real_world.py --n 20 --pictures docs/_static/real_world

To choose a setting of the reading, ``--digits validation`` draws training images
50,000 and on instead of test images (as ``bench_other_writers.py`` does), and the
default model learns from the 50,000 before; a ``--model`` given with it must have
been trained on those alone (``fit`` on the first 50,000, then ``save``).

``--model`` loads a model file (from ``mnistkit train`` or ``MNISTClassifier.save``);
without it the library's default ``MNISTClassifier(random_state=0)`` is trained
on the 60,000 training images. ``--pictures DIR`` also saves, per condition,
one picture of the input and of what the model saw (28x28).

Requirements beyond mnistkit's: scikit-image (``pip install scikit-image``), for
the skeleton along which the ballpoint digits on ruled and squared paper are
drawn.
"""

import argparse
import datetime
import itertools
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
from _other_writers_styles import require_skimage, round_brush  # beside this script
from _research import VALIDATION_FROM
from PIL import Image
from scipy import ndimage

# -- the v0.1.0 reading, kept here for the comparison ---------------------------------

_OLD_BOX, _OLD_SIDE, _OLD_INK = 20, 28, 0.15


def _old_as_grey(image):
    array = np.asarray(image).astype(np.float64)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 3 and array.shape[2] in (3, 4):
        grey = array[:, :, :3] @ np.array([0.299, 0.587, 0.114])
        if array.shape[2] == 4:
            alpha = array[:, :, 3] / max(array[:, :, 3].max(), 1e-12)
            lo, hi = grey.min(), grey.max()
            ink = (grey * alpha).sum() / alpha.sum()
            background = lo + 1.0 if hi == lo else (lo if ink > (lo + hi) / 2 else hi)
            grey = grey * alpha + background * (1 - alpha)
        array = grey
    return array


def _old_ink(array):
    lo, hi = array.min(), array.max()
    if hi - lo <= 1e-12 * max(abs(hi), abs(lo), 1.0):
        msg = "no digit found: blank"
        raise ValueError(msg)
    scaled = (array - lo) / (hi - lo)
    width = max(1, round(0.05 * min(array.shape)))
    mask = np.ones(array.shape, dtype=bool)
    mask[width:-width, width:-width] = False
    background = float(np.median(scaled[mask]))
    if background > 0.5:
        scaled, background = 1.0 - scaled, 1.0 - background
    return np.clip((scaled - background) / (1.0 - background), 0.0, 1.0)


def _old_weights(n_in, n_out):
    weights = np.zeros((n_out, n_in))
    if n_out <= n_in:
        step = n_in / n_out
        edges = np.arange(n_out + 1) * step
        for i in range(n_out):
            start, stop = edges[i], edges[i + 1]
            first, last = int(np.floor(start)), min(int(np.ceil(stop)), n_in)
            for j in range(first, last):
                weights[i, j] = min(stop, j + 1) - max(start, j)
        return weights / weights.sum(axis=1, keepdims=True)
    centres = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    np.add.at(weights, (np.arange(n_out), left), 1 - frac)
    np.add.at(weights, (np.arange(n_out), right), frac)
    return weights


def old_to_mnist_format(image):
    """v0.1.0's ``to_mnist_format``: one global background from the border's median."""
    ink = _old_ink(_old_as_grey(image))
    rows = np.flatnonzero((ink >= _OLD_INK).any(axis=1))
    cols = np.flatnonzero((ink >= _OLD_INK).any(axis=0))
    if rows.size == 0:
        msg = "no digit found: blank"
        raise ValueError(msg)
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = _OLD_BOX / max(ink.shape)
    shape = tuple(max(1, round(side * scale)) for side in ink.shape)
    digit = np.clip(
        _old_weights(ink.shape[0], shape[0]) @ ink @ _old_weights(ink.shape[1], shape[1]).T,
        0.0, 1.0,
    )
    digit = digit / digit.max()
    field = np.zeros((_OLD_SIDE, _OLD_SIDE))
    h, w = digit.shape
    mass = digit.sum()
    row = (digit.sum(axis=1) @ np.arange(h)) / mass
    col = (digit.sum(axis=0) @ np.arange(w)) / mass
    top = int(np.clip(np.round(_OLD_SIDE / 2 - row), 0, _OLD_SIDE - h))
    left = int(np.clip(np.round(_OLD_SIDE / 2 - col), 0, _OLD_SIDE - w))
    field[top : top + h, left : left + w] = digit
    return np.round(field * 255).astype(np.uint8).ravel()


def old_read_digit_image(path):
    """v0.1.0's ``read_digit_image``: matplotlib's imread, then the old format."""
    from matplotlib import image as mpimage

    return old_to_mnist_format(mpimage.imread(path))


# -- degraded pictures ----------------------------------------------------------------


def enlarge(ink, factor):
    """Smooth enlargement of ink in [0, 1] (cubic spline), as a camera sees a digit."""
    return np.clip(ndimage.zoom(ink, factor, order=3, grid_mode=True, mode="grid-constant"),
                   0, 1)


def strip_of_digits(images, rng):
    """Several 28x28 digits side by side, each cut to its ink, gaps of 0 to 6 pixels."""
    parts = []
    for k, image in enumerate(images):
        cols = np.flatnonzero(image.max(axis=0) > 0)
        parts.append(image[:, cols[0] : cols[-1] + 1] / 255.0)
        if k < len(images) - 1:
            parts.append(np.zeros((28, int(rng.integers(1, 7)))))
    return np.hstack(parts)


def on_paper(ink, rng, *, strength, side=None, rotate=8.0, noise=(2.0, 5.0),
             blur=(0.6, 1.6), shadow=False):
    """A phone photo of ``ink`` (light on dark, in [0, 1], digit-sized pixels).

    Enlarged to a picture ``side`` pixels high (200 to 400), rotated a little,
    dark ink on light paper lit from one side (``strength``: the fraction of the
    light lost across the page), blurred, with sensor noise; with ``shadow``, a
    soft shadow over one side of the page too (:func:`shadow_beside`). Returns
    0-255 floats.
    """
    side = side or int(rng.integers(200, 401))
    factor = side * rng.uniform(0.45, 0.7) / ink.shape[0]
    big = enlarge(ink, factor)
    if rotate:
        big = np.clip(ndimage.rotate(big, rng.uniform(-rotate, rotate), order=1), 0, 1)
    height = side
    width = max(side, big.shape[1] + side // 4)
    canvas = np.zeros((height, width))
    top = int(rng.integers(0, max(1, height - big.shape[0])))
    left = int(rng.integers(0, max(1, width - big.shape[1])))
    canvas[top : top + big.shape[0], left : left + big.shape[1]] = big[:height, :width]
    rows, cols = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * cols / width + np.sin(angle) * rows / height
    ramp = (ramp - ramp.min()) / np.ptp(ramp)
    light = 1.0 - strength * ramp
    if shadow:
        light = light * shadow_beside(canvas > 0.1, rng)
    paper = rng.uniform(200, 245) * light
    picture = paper * (1.0 - rng.uniform(0.75, 0.9) * canvas)
    picture = ndimage.gaussian_filter(picture, rng.uniform(*blur) * side / 300)
    picture += rng.normal(0, rng.uniform(*noise), picture.shape)
    return np.clip(picture, 0, 255)


def shadow_beside(ink, rng):
    """The light left by a soft shadow over one side of a page (a hand's, a phone's).

    From the side with the most paper between it and the ``ink`` (a mask), the
    shadow covers 50% to 90% of that paper, its inner edge wavy, blurred over
    1% to 4% of the picture's longer side; it takes 30% to 60% of the light.
    """
    height, width = ink.shape
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    room = {"top": rows[0], "bottom": height - 1 - rows[-1], "left": cols[0],
            "right": width - 1 - cols[-1]}
    side = max(room, key=room.get)
    depth = rng.uniform(0.5, 0.9) * room[side]
    across, along = np.mgrid[0:height, 0:width] if side in ("top", "bottom") else (
        np.mgrid[0:height, 0:width][::-1])
    if side in ("bottom", "right"):
        across = (height if side == "bottom" else width) - 1 - across
    extent = along.max() + 1
    wave = 0.25 * depth * np.sin(2 * np.pi * (rng.uniform(0.5, 1.5) * along / extent
                                              + rng.uniform()))
    dark = (across < depth - 0.25 * depth + wave).astype(float)
    dark = ndimage.gaussian_filter(dark, rng.uniform(0.01, 0.04) * max(height, width))
    return 1.0 - rng.uniform(0.3, 0.6) * dark


def low_resolution(image, source):
    """A digit seen at ``source`` x ``source`` pixels, then enlarged to 200, dark on light."""
    small = Image.fromarray(image).resize((source, source), Image.Resampling.BOX)
    big = small.resize((200, 200), Image.Resampling.BICUBIC)
    return 255 - np.pad(np.asarray(big), 40)


def stroke_width(image, change):
    """Thicker (grey dilation) or thinner (grey erosion) strokes, enlarged x8, dark on light."""
    filtered = (ndimage.grey_dilation if change > 0 else ndimage.grey_erosion)(
        image, size=(abs(change) + 1, abs(change) + 1)
    )
    return 255 - np.kron(np.pad(filtered, 6), np.ones((8, 8), dtype=np.uint8))


def rotated(image, rng, degrees):
    angle = rng.choice([-1, 1]) * rng.uniform(degrees - 5, degrees)
    ink = np.clip(ndimage.rotate(enlarge(image / 255.0, 8), angle, order=1), 0, 1)
    return 255 - np.pad(ink * 255, 30)


#: The ballpoint on ruled paper: a round brush of this radius along the skeleton, so
#: that a stroke is about 3 pixels wide (at 4x the digit's MNIST size).
BALLPOINT_RADIUS = 1.5
_SKIMAGE_FOR = ("The ballpoint digits on ruled and squared paper", "")

_PAPERS = [(250, 240, 170), (250, 210, 220), (200, 230, 250), (220, 245, 210)]
_INKS = [(30, 50, 170), (190, 30, 40), (20, 110, 50), (110, 40, 140)]


def on_ruled_paper(image, rng, *, squared=False):
    """A digit written with a ballpoint on ruled (or squared) paper, photographed.

    The digit is enlarged 4x and redrawn along its skeleton about 3 pixels
    wide, as a ballpoint draws it: whole, however thin its strokes were (an
    erosion to that width broke the thinnest digits into specks); the lines
    (grey 150 to 200 on paper 225 to 245, 2 pixels thick) are 0.5 to 0.9 of
    the digit's height apart, so that they touch and cross it; the page is
    turned up to 3 degrees, blurred a little and noisy. Returns 0-255 floats.
    """
    skeleton = require_skimage(_SKIMAGE_FOR)(enlarge(image / 255.0, 4) >= 0.5)
    ink = ndimage.gaussian_filter(round_brush(skeleton, BALLPOINT_RADIUS), 0.7)
    rows, cols = ink.shape
    page = np.full((rows + 120, cols + 200), rng.uniform(225, 245))
    spacing = int(rows * rng.uniform(0.5, 0.9))
    line = rng.uniform(150, 200)
    for top in range(int(rng.integers(0, spacing)), page.shape[0], spacing):
        page[top : top + 2] = line
    if squared:
        for left in range(int(rng.integers(0, spacing)), page.shape[1], spacing):
            page[:, left : left + 2] = line
    top, left = int(rng.integers(30, 90)), int(rng.integers(40, 160))
    page[top : top + rows, left : left + cols] *= 1.0 - 0.85 * np.clip(ink, 0, 1)
    page = ndimage.rotate(page, rng.uniform(-3, 3), order=1, mode="nearest")
    page = ndimage.gaussian_filter(page, 0.8) + rng.normal(0, 3, page.shape)
    return np.clip(page, 0, 255)


def in_form_box(image, rng, *, photo):
    """A digit written in a box of a form, cut out along the box's outer edges.

    The digit is enlarged 4x, with 4% to 15% of its size of paper inside the
    box's lines (2 to 5 pixels, from black to light grey: grey 20 to 170 on
    paper 235 to 250). A scan keeps it as it is; a photo enlarges it 1.5 to
    2.5 times (the lines' edges blurred), lights it unevenly and adds noise.
    Returns 0-255 floats.
    """
    ink = enlarge(image / 255.0, 4)
    gaps = (rng.uniform(0.04, 0.15, size=2) * ink.shape[0]).astype(int)
    line = int(rng.integers(2, 6))
    rows, cols = ink.shape[0] + 2 * (gaps[0] + line), ink.shape[1] + 2 * (gaps[1] + line)
    box = np.full((rows, cols), rng.uniform(235, 250))
    top, left = gaps[0] + line, gaps[1] + line
    box[top : rows - top, left : cols - left] *= 1.0 - rng.uniform(0.75, 0.9) * ink
    shade = rng.uniform(20, 170)
    box[:line], box[-line:], box[:, :line], box[:, -line:] = shade, shade, shade, shade
    if not photo:
        return box
    box = ndimage.zoom(box, rng.uniform(1.5, 2.5), order=1)
    ramp = np.linspace(0, 1, box.shape[1])[None, :]
    box = box * (1.0 - rng.uniform(0.0, 0.3) * ramp) + rng.normal(0, 3, box.shape)
    return np.clip(box, 0, 255)


def on_a_desk(image, rng):
    """A digit written on a note (a sticky note, a sheet) lying on a darker desk, photographed.

    The digit is enlarged 3 to 6 times on a note of paper (shade 200 to 250,
    white or yellowish) with a margin of 20% to 40% of the digit's size; the
    note, turned up to 8 degrees, covers 30% to 80% of the photo's height, all
    of it in the photo, on a desk of shade 30 to 120 with a grain; lit
    unevenly, blurred, noisy. Returns 0-255 floats.
    """
    ink = enlarge(image / 255.0, rng.uniform(3, 6))
    margin = int(rng.uniform(0.2, 0.4) * ink.shape[0])
    note = np.pad(1.0 - rng.uniform(0.75, 0.9) * ink, margin, constant_values=1.0)
    note = ndimage.rotate(note * rng.uniform(200, 250), rng.uniform(-8, 8), order=1, cval=-1.0)
    height = int(note.shape[0] / rng.uniform(0.3, 0.8))
    width = int(height * rng.uniform(1.2, 1.5))
    height, width = max(height, note.shape[0] + 2), max(width, note.shape[1] + 2)
    rows, cols = np.mgrid[0:height, 0:width]
    grain = 1.0 + 0.15 * np.sin(cols / rng.uniform(10, 40) + rows / rng.uniform(100, 400))
    photo = rng.uniform(30, 120) * grain
    top = int(rng.integers(0, height - note.shape[0] + 1))
    left = int(rng.integers(0, width - note.shape[1] + 1))
    under = photo[top : top + note.shape[0], left : left + note.shape[1]]
    under[:] = np.where(note >= 0, note, under)
    photo *= 1.0 - rng.uniform(0.0, 0.3) * cols / width
    photo = ndimage.gaussian_filter(photo, rng.uniform(0.6, 1.6) * height / 300)
    return np.clip(photo + rng.normal(0, rng.uniform(2.0, 5.0), photo.shape), 0, 255)


def coloured(image, rng):
    """Coloured ink on coloured paper, lit unevenly, as an RGB photo."""
    picture = on_paper(image / 255.0, rng, strength=0.3) / 255.0
    paper = np.array(_PAPERS[int(rng.integers(len(_PAPERS)))], dtype=float)
    ink = np.array(_INKS[int(rng.integers(len(_INKS)))], dtype=float)
    # on_paper's shade is light times (1 - darkness x ink): keep the light, colour the ink.
    light = ndimage.grey_closing(picture, size=(25, 25))
    amount = np.clip(1 - picture / np.maximum(light, 1e-3), 0, 1)[..., None] / 0.9
    rgb = light[..., None] * (paper * (1 - amount) + ink * amount)
    return np.clip(rgb, 0, 255)


def inverted(image, rng):
    """Light ink on a dark board, unevenly lit: chalk on a blackboard, a screen."""
    picture = on_paper(image / 255.0, rng, strength=0.4)
    return 255 - picture * 0.9


def font_digits():
    """Pictures of 0-9 from each font installed on the machine, dark on light."""
    from matplotlib import font_manager
    from PIL import ImageDraw, ImageFont

    pictures, labels, names = [], [], []
    for path in sorted(set(font_manager.findSystemFonts())):
        try:
            font = ImageFont.truetype(path, 160)
        except OSError:
            continue
        name = Path(path).stem
        if any(word in name.lower() for word in ("symbol", "math", "emoji", "dingbat")):
            continue
        for digit in range(10):
            canvas = Image.new("L", (240, 260), 255)
            ImageDraw.Draw(canvas).text((120, 130), str(digit), font=font, fill=20,
                                        anchor="mm")
            pictures.append(np.asarray(canvas))
            labels.append(digit)
        names.append(name)
    return pictures, labels, names


def fonts_condition(folder):
    """The printed digits, as one condition, or nothing (with a note) without fonts."""
    pictures, labels, fonts = font_digits()
    if not pictures:
        print("note: no fonts found on this machine; the printed-digit row is skipped")
        return
    sub = folder / "fonts"
    sub.mkdir()
    paths = [save(p, sub / f"{k:05d}.png") for k, p in enumerate(pictures)]
    yield (f"printed digits, {len(fonts)} installed fonts", paths, labels, False)


# -- reading and scoring --------------------------------------------------------------


# The marks of a number that are not digits, drawn after its second digit; "minus"
# is a dash before the first.
SEPARATORS = (".", ",", ":", "-", "minus")


def pen_strokes(width, strokes):
    """Ink (in [0, 1], 28 rows, ``width`` columns) of a round pen run along straight
    strokes, each ``((row, col), (row, col), radius)``, its edge anti-aliased."""
    rows, cols = np.mgrid[0:28, 0:width]
    ink = np.zeros((28, width))
    for (row0, col0), (row1, col1), radius in strokes:
        for t in np.linspace(0.0, 1.0, 16):
            distance = np.hypot(rows - row0 - t * (row1 - row0), cols - col0 - t * (col1 - col0))
            ink = np.maximum(ink, np.clip(radius + 0.5 - distance, 0.0, 1.0))
    return ink


def separator_ink(kind, rng):
    """A point, comma, colon or dash as a pen draws it beside MNIST's digits (20 pixels
    high, standing on row 24 or so): a dot on their line, a short stroke down below
    it, two dots, a short stroke across the middle."""
    radius = rng.uniform(0.9, 1.5)
    if kind == "-":
        length, row = rng.uniform(6, 10), rng.uniform(12, 16)
        width = int(np.ceil(length + 2 * radius + 2))
        return pen_strokes(width, [((row, radius + 1), (row + rng.uniform(-1, 1),
                                                        radius + 1 + length), radius)])
    width = int(rng.integers(5, 8))
    centre = width / 2
    if kind == ".":
        dot = (rng.uniform(21, 23.5), centre)
        return pen_strokes(width, [(dot, dot, rng.uniform(1.0, 1.8))])
    if kind == ",":
        top = rng.uniform(20.5, 22.5)
        end = (top + rng.uniform(4, 6.5), centre - rng.uniform(0.5, 2))
        return pen_strokes(width, [((top, centre + 0.5), end, radius),
                                   ((top, centre + 0.5), (top, centre + 0.5), 1.2 * radius)])
    dots = [(row, centre + rng.uniform(-0.7, 0.7))
            for row in (rng.uniform(9, 13), rng.uniform(19, 23))]
    return pen_strokes(width, [(dot, dot, rng.uniform(1.0, 1.8)) for dot in dots])


def number_with_separator(images, labels, kind, rng):
    """Digits side by side (as :func:`strip_of_digits`) with a separator after the
    second, or a minus sign before the first; and the number's text."""
    digits = "".join(str(label) for label in labels)
    if kind == "minus":
        gap = np.zeros((28, int(rng.integers(1, 4))))
        return np.hstack([separator_ink("-", rng), gap, strip_of_digits(images, rng)]), \
            "-" + digits
    gaps = [np.zeros((28, int(rng.integers(1, 3)))) for _ in range(2)]
    strip = np.hstack([strip_of_digits(images[:2], rng), gaps[0], separator_ink(kind, rng),
                       gaps[1], strip_of_digits(images[2:], rng)])
    return strip, digits[:2] + kind + digits[2:]


def save(picture, path, quality=None):
    array = np.round(picture).astype(np.uint8)
    image = Image.fromarray(array)
    if quality:
        image.save(path, quality=quality)
    else:
        image.save(path)
    return path


def score(model, paths, labels, reader):
    """Accuracy and seconds per image of reading the files, then classifying them."""
    start = time.perf_counter()
    pixels, failed = [], []
    for path in paths:
        try:
            pixels.append(reader(path))
            failed.append(False)
        except ValueError:
            pixels.append(np.zeros(784, dtype=np.uint8))
            failed.append(True)
    predicted = model.predict(np.array(pixels))
    seconds = (time.perf_counter() - start) / len(paths)
    right = (predicted == np.asarray(labels)) & ~np.array(failed)
    return right.mean(), seconds, np.array(pixels)


def score_numbers(model, paths, numbers):
    """Share of the numbers read right (their text: digits and separators), seconds per
    picture, and what the model saw of each."""
    from mnistkit import read_number

    start = time.perf_counter()
    right, seen = [], []
    for path, number in zip(paths, numbers, strict=True):
        try:
            reading = read_number(path, model=model)
            right.append(reading.text == number)
            seen.append(reading.pixels)
        except ValueError:
            right.append(False)
            seen.append(np.zeros((1, 784), np.uint8))
    return np.mean(right), (time.perf_counter() - start) / len(paths), seen


def build_conditions(images, labels, rng, folder):
    """Each condition in turn, written to files: (name, paths, labels, is_number)."""
    n = len(images)

    def write(name, pictures, quality=None, suffix="png"):
        sub = folder / name.replace(" ", "_").replace(",", "")
        sub.mkdir()
        return [save(p, sub / f"{k:05d}.{suffix}", quality) for k, p in enumerate(pictures)]

    for label, strength in (("photo-like, even light", 0.0), ("photo-like, light gradient",
                            0.35), ("photo-like, strong gradient", 0.65)):
        pictures = [on_paper(im / 255.0, rng, strength=strength) for im in images]
        qualities = rng.integers(70, 96, size=n)
        sub = folder / label.replace(" ", "_").replace(",", "")
        sub.mkdir()
        paths = [save(p, sub / f"{k:05d}.jpg", int(q))
                 for k, (p, q) in enumerate(zip(pictures, qualities, strict=True))]
        yield (label, paths, labels, False)
    for source in (8, 10, 14):
        pictures = [low_resolution(im, source) for im in images]
        yield (f"low resolution, {source}x{source} source", write(f"low{source}", pictures),
               labels, False)
    yield ("thick strokes", write("thick", [stroke_width(im, 2) for im in images]), labels,
           False)
    yield ("thin strokes", write("thin", [stroke_width(im, -1) for im in images]), labels,
           False)
    yield ("rotated 10-15 degrees", write("rot", [rotated(im, rng, 15) for im in images]),
           labels, False)
    yield ("coloured ink and paper",
           write("colour", [coloured(im, rng) for im in images], 90, "jpg"), labels, False)
    yield ("inverted (light on dark)",
           write("inverted", [inverted(im, rng) for im in images], 90, "jpg"), labels, False)
    order = rng.permutation(n)
    for count in (2, 4, 6):
        numbers, pictures = [], []
        for k in range(n):
            chosen = order[(np.arange(count) + k * count) % n]
            numbers.append("".join(str(labels[i]) for i in chosen))
            strip = strip_of_digits(images[chosen], rng)
            side = int(rng.integers(150, 251))
            pictures.append(on_paper(strip, rng, strength=0.35, side=side, rotate=3.0))
        sub = folder / f"number{count}"
        sub.mkdir()
        paths = [save(p, sub / f"{k:05d}.jpg", 90) for k, p in enumerate(pictures)]
        yield (f"{count}-digit numbers, photo-like", paths, numbers, True)
    # Last, so that the pictures of the conditions above stay as they were.
    for name, squared in (("ruled paper, ballpoint", False), ("squared paper, ballpoint", True)):
        pictures = [on_ruled_paper(im, rng, squared=squared) for im in images]
        yield (name, write(name, pictures, 90, "jpg"), labels, False)
    yield ("box of a form, scanned",
           write("form_scan", [in_form_box(im, rng, photo=False) for im in images]), labels,
           False)
    yield ("box of a form, photo-like",
           write("form_photo", [in_form_box(im, rng, photo=True) for im in images], 90,
                 "jpg"), labels, False)
    yield ("note on a desk, photo-like",
           write("desk", [on_a_desk(im, rng) for im in images], 90, "jpg"), labels, False)
    yield ("a shadow over one side, photo-like",
           write("shadow", [on_paper(im / 255.0, rng, strength=rng.uniform(0, 0.35),
                                     shadow=True) for im in images], 90, "jpg"),
           labels, False)
    numbers, pictures = [], []
    for k in range(n):
        chosen = order[(np.arange(3) + k * 3 + 1) % n]
        numbers.append("".join(str(labels[i]) for i in chosen))
        strip = strip_of_digits(images[chosen], rng)
        # Paper to one side of the number, half to once its width, where the shadow falls.
        room = int(rng.uniform(0.5, 1.0) * strip.shape[1])
        strip = np.pad(strip, ((0, 0), (room, 0) if rng.random() < 0.5 else (0, room)))
        pictures.append(on_paper(strip, rng, strength=rng.uniform(0, 0.35),
                                 side=int(rng.integers(150, 251)), rotate=3.0, shadow=True))
    yield ("3-digit numbers beside a shadow, photo-like",
           write("number_shadow", pictures, 90, "jpg"), numbers, True)
    numbers, pictures = [], []
    for k in range(n):
        chosen = rng.choice(n, size=4, replace=False)
        kind = SEPARATORS[k % len(SEPARATORS)]
        strip, text = number_with_separator(images[chosen], labels[chosen], kind, rng)
        numbers.append(text)
        pictures.append(on_paper(strip, rng, strength=0.35, side=int(rng.integers(150, 251)),
                                 rotate=3.0))
    yield ("4-digit numbers with a point, comma, colon or dash, photo-like",
           write("number_separator", pictures, 90, "jpg"), numbers, True)


def twelve_megapixel(model, image, rng, folder, repeats=3):
    """Seconds to read and classify a 4000x3000 JPEG photo of a digit (best of repeats)."""
    from mnistkit import read_digit_image

    picture = on_paper(image / 255.0, rng, strength=0.35, side=3000, rotate=5.0)
    width = picture.shape[1]
    picture = np.pad(picture, ((0, 0), (0, max(0, 4000 - width))), mode="edge")[:, :4000]
    path = save(picture, folder / "photo_12mp.jpg", 90)
    times = {}
    for name, reader in (("v0.1.0", old_read_digit_image), ("new", read_digit_image)):
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            model.predict(reader(path)[None, :])
            best = min(best, time.perf_counter() - start)
        times[name] = best
    return times


def mnist_28_timing(model, images):
    """Seconds per image to format MNIST's own 28x28 images (already in format)."""
    from mnistkit import to_mnist_format

    times = {}
    for name, fn in (("v0.1.0", old_to_mnist_format), ("new", to_mnist_format)):
        start = time.perf_counter()
        for image in images:
            fn(image)
        times[name] = (time.perf_counter() - start) / len(images)
    return times


def save_pictures(folder, name, path, seen):
    """One picture per condition: the input file and what the model saw, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seen = np.atleast_2d(seen)
    fig, axes = plt.subplots(1, 1 + len(seen), figsize=(2.0 + 1.2 * len(seen), 2.0),
                             layout="constrained",
                             gridspec_kw={"width_ratios": [2.0] + [1.0] * len(seen)})
    axes = np.atleast_1d(axes)
    picture = np.asarray(Image.open(path))
    axes[0].imshow(picture, cmap="gray" if picture.ndim == 2 else None, vmin=0, vmax=255)
    axes[0].set_title("the file", fontsize=8)
    for ax, pixels in zip(axes[1:], seen, strict=True):
        ax.imshow(pixels.reshape(28, 28), cmap="gray", vmin=0, vmax=255)
    axes[1].set_title("model saw", fontsize=8, loc="left")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("0.7")
    out = folder / (name.split(",")[0].replace(" ", "_").replace("(", "").replace(")", "")
                    + ("_" + name.split(",")[1].strip().replace(" ", "_")
                       if "," in name else "") + ".png")
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def main(argv=None):
    from mnistkit import MNISTClassifier, fetch_mnist, load_model, read_digit_image

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a model file; default: train the default model")
    parser.add_argument("--n", type=int, default=300,
                        help="images per condition (default: 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--digits", choices=("test", "validation"), default="test",
                        help="draw MNIST's test digits (default), or, to choose settings, "
                             f"training digits {VALIDATION_FROM:,} and on, the default model "
                             "then trained on the ones before (a --model must have been too)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--pictures", metavar="DIR",
                        help="save one input and what the model saw per condition")
    args = parser.parse_args(argv)
    require_skimage(_SKIMAGE_FOR)  # before minutes of work, not after

    if args.digits == "test":
        drawn = fetch_mnist(subset="test")
        drawn_images, drawn_labels = drawn.images, drawn.target
        train_images = train_labels = None
    else:
        train = fetch_mnist(subset="train")
        drawn_images, drawn_labels = train.images[VALIDATION_FROM:], train.target[VALIDATION_FROM:]
        train_images, train_labels = train.data[:VALIDATION_FROM], train.target[:VALIDATION_FROM]
    if args.model:
        model = load_model(args.model)
        model_name = args.model
    else:
        if train_images is None:
            train = fetch_mnist(subset="train")
            train_images, train_labels = train.data, train.target
        start = time.perf_counter()
        model = MNISTClassifier(random_state=0).fit(train_images, train_labels)
        model_name = f"MNISTClassifier(random_state=0), trained in " \
                     f"{time.perf_counter() - start:.0f} s"
    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(drawn_labels), size=args.n, replace=False)
    images, labels = drawn_images[chosen], drawn_labels[chosen]
    rows = []
    clean = float(np.mean(model.predict(images.reshape(len(images), -1)) == labels))
    rows.append((f"clean MNIST {args.digits} images (no reading)", len(labels), clean, clean,
                 None, None))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        conditions = itertools.chain(build_conditions(images, labels, rng, folder),
                                     fonts_condition(folder))
        picture_folder = Path(args.pictures) if args.pictures else None
        if picture_folder:
            picture_folder.mkdir(parents=True, exist_ok=True)
        for name, paths, truth, is_number in conditions:
            if is_number:
                new, new_s, seen = score_numbers(model, paths, truth)
                old, old_s = None, None
                first = seen[0]
            else:
                old, old_s, _ = score(model, paths, truth, old_read_digit_image)
                new, new_s, seen = score(model, paths, truth, read_digit_image)
                first = seen[0]
            rows.append((name, len(paths), old, new, old_s, new_s))
            print(f"  {name}: v0.1.0 {old if old is None else round(old, 4)}, "
                  f"new {new:.4f}", flush=True)
            if picture_folder:
                save_pictures(picture_folder, name, paths[0], first)
        big = twelve_megapixel(model, images[0], rng, folder)
        small = mnist_28_timing(model, images[:200])

    today = datetime.date.today().isoformat()
    header = (f"Reading digits from the real world, {today}, {platform.processor() or ''} "
              f"{platform.python_version()}; model: {model_name}; {args.n} {args.digits} images "
              "per condition (numbers: whole number right, separators too)")
    columns = ["condition", "images", "v0.1.0 accuracy", "new accuracy",
               "v0.1.0 ms/image", "new ms/image"]

    def cell(value, kind):
        if value is None:
            return "n/a"
        return f"{100 * value:.1f}%" if kind == "acc" else f"{1000 * value:.1f}"

    lines = [[name, str(n), cell(old, "acc"), cell(new, "acc"), cell(old_s, "ms"),
              cell(new_s, "ms")] for name, n, old, new, old_s, new_s in rows]
    lines.append(["12-megapixel JPEG, read and classified", "1", "", "",
                  cell(big["v0.1.0"], "ms"), cell(big["new"], "ms")])
    lines.append(["28x28 MNIST image, formatted", "200", "", "",
                  cell(small["v0.1.0"], "ms"), cell(small["new"], "ms")])
    print(header)
    if args.markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(c), *(len(line[k]) for line in lines)) for k, c in enumerate(columns)]
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
        for line in lines:
            print("  ".join(v.ljust(w) if k == 0 else v.rjust(w)
                            for k, (v, w) in enumerate(zip(line, widths, strict=True))))


if __name__ == "__main__":
    main()
