"""Reading digits as people have them: photos, scans, small images, numbers, odd files.

Each picture is made here from the shipped sample's test digits, so the
expected digit is known exactly; a small model fitted on the sample reads them.
Only digits that model reads right when clean are used: what is tested is the
reading, not the model.
"""

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage

from mnistkit import NoDigitError, load_sample, read_digit_image, read_number
from mnistkit.imaging import _page, to_mnist_format
from mnistkit.imaging._clean import _block_max, _border, _paper, dark_ink, find_ink, grown_from
from mnistkit.imaging._enlarge import enlarge
from mnistkit.imaging._lines import _long_runs, erase_ruled_lines
from mnistkit.imaging._sheet import cut_to_sheet
from mnistkit.imaging._threshold import OtsuSplit, _uniform_histogram, otsu_threshold


@pytest.fixture(scope="module")
def model(fitted_on_sample):
    return fitted_on_sample()


@pytest.fixture(scope="module")
def digits(model):
    """Eight test digits of the sample the model reads right when clean."""
    sample = load_sample(subset="test")
    right = model.predict(sample.data[:80]) == sample.target[:80]
    chosen = np.flatnonzero(right)[:8]
    return sample.images[chosen], sample.target[chosen]


def photo(ink, rng, *, strength=0.6, side=300, rotate=6.0, noise=4.0):
    """A phone photo of light-on-dark ink in [0, 1]: dark ink, paper lit from one side."""
    big = np.clip(ndimage.zoom(ink, side * 0.6 / ink.shape[0], order=3), 0, 1)
    big = np.clip(ndimage.rotate(big, rng.uniform(-rotate, rotate), order=1), 0, 1)
    height, width = side, max(side, big.shape[1] + side // 4)
    canvas = np.zeros((height, width))
    top, left = (height - big.shape[0]) // 3, (width - big.shape[1]) // 2
    canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
    rows, cols = np.mgrid[0:height, 0:width]
    light = 1.0 - strength * (rows / height + cols / width) / 2
    picture = 230 * light * (1 - 0.8 * canvas)
    picture = ndimage.gaussian_filter(picture, 1.2) + rng.normal(0, noise, picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


def save(array, path, **options):
    Image.fromarray(array).save(path, **options)
    return path


def read_all(paths):
    return np.array([read_digit_image(path) for path in paths])


# -- Otsu's threshold -------------------------------------------------------------------


def brute_force_otsu(values):
    """The integer threshold t maximising the between-class variance of values <= t, > t."""
    best, best_t = -1.0, None
    for t in np.unique(values)[:-1]:
        low, high = values[values <= t], values[values > t]
        between = low.size * high.size * (low.mean() - high.mean()) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


@pytest.mark.parametrize("seed", range(4))
def test_otsu_matches_a_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(60, 15, 3000), rng.normal(170, 25, 800 * (seed + 1))])
    values = np.clip(np.round(values), 0, 255)
    values[:2] = 0, 255  # 256 bins of the full range: one integer per bin
    threshold, separation = otsu_threshold(values)
    expected = brute_force_otsu(values)
    np.testing.assert_array_equal(values <= threshold, values <= expected)
    assert separation > 4


def test_otsu_separation_tells_digits_from_noise():
    rng = np.random.default_rng(0)
    assert otsu_threshold(rng.normal(0, 1, 10_000))[1] < 3.5
    assert otsu_threshold(rng.uniform(0, 1, 10_000))[1] < 3.6


@pytest.mark.parametrize("values", [np.r_[np.full(50, 3.0), np.full(20, 9.0)],
                                    np.arange(1000.0) ** 2, np.full(10, 4.0)])
def test_otsu_split_gives_its_threshold_first_and_the_lower_class_median_as_asked(values):
    rng = np.random.default_rng(0)
    values = rng.permutation(values).reshape(-1, 5)  # any shape, any order
    split = OtsuSplit(values)
    assert split.__dict__.keys().isdisjoint({"separation", "lower_median"})  # not yet
    flat = values.ravel()
    low, high = flat[flat <= split.threshold], flat[flat > split.threshold]
    assert split.lower_median == np.median(low)
    spread = max(1.4826 * np.median(np.abs(low - np.median(low))), 1e-12 * np.ptp(flat))
    expected = (np.median(high) - np.median(low)) / spread if high.size else 0.0
    assert split.separation == expected
    assert (split.threshold, split.separation) == otsu_threshold(values)


def test_otsu_histogram_counts_as_numpy_does():
    rng = np.random.default_rng(0)
    for values in (rng.normal(0, 1, 5000), rng.uniform(0, 1, 5000) ** 3, np.arange(256.0)):
        lo, hi = values.min(), values.max()
        np.testing.assert_array_equal(_uniform_histogram(values, lo, hi, 256),
                                      np.histogram(values, bins=256, range=(lo, hi))[0])


# -- the paper's estimate ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(9, 12), (64, 70), (203, 166)])
@pytest.mark.parametrize("factor", [2, 3, 4])
def test_block_maximum_is_the_maximum_of_each_block(shape, factor):
    image = np.random.default_rng(factor).random(shape)
    h, w = (side // factor * factor for side in shape)
    expected = image[:h, :w].reshape(h // factor, factor, w // factor, factor).max(axis=(1, 3))
    np.testing.assert_array_equal(_block_max(image, factor), expected)


@pytest.mark.parametrize("shape", [(130, 128), (288, 325), (801, 611)])
def test_the_papers_shade_is_brought_back_as_zoom_would(shape):
    cols = np.arange(shape[1])[None, :]
    rng = np.random.default_rng(0)
    image = 0.8 - 0.3 * cols / shape[1] + 0.05 * rng.random(shape)
    estimate = _paper(image)
    # The same coarse estimate, enlarged by ndimage.zoom as before.
    factor = min(shape) // 64
    h, w = (side // factor * factor for side in shape)
    coarse = image[:h, :w].reshape(h // factor, factor, w // factor, factor).max(axis=(1, 3))
    size = max(3, round(0.4 * min(coarse.shape)))
    padded = np.pad(coarse, size, mode="reflect", reflect_type="odd")
    closed = ndimage.grey_closing(padded, size=(size, size))[size:-size, size:-size]
    zoom = (shape[0] / closed.shape[0], shape[1] / closed.shape[1])
    expected = ndimage.zoom(closed, zoom, order=1, mode="nearest", grid_mode=True)
    np.testing.assert_allclose(estimate, expected, atol=1e-12)


@pytest.mark.parametrize("shape", [(8, 8), (12, 12), (1, 15), (19, 7), (72, 7), (15, 40)])
def test_a_small_picture_is_enlarged_as_zoom_would(shape):
    image = 255 * np.random.default_rng(sum(shape)).random(shape)
    enlarged, scale = enlarge(image)
    factor = min(64 / min(shape), 128 / max(shape))
    expected = ndimage.zoom(image, factor, order=3, mode="nearest", grid_mode=True)
    np.testing.assert_allclose(enlarged, np.clip(expected, image.min(), image.max()),
                               atol=1e-9)
    assert scale == expected.shape[0] / shape[0]


@pytest.mark.parametrize("density", [0.3, 0.55, 0.7])
def test_ink_grows_from_its_seeds_as_binary_propagation_would(density):
    rng = np.random.default_rng(int(density * 100))
    allowed = rng.random((90, 70)) < density  # pieces of every size, round and thin
    seeds = allowed & (rng.random(allowed.shape) < 0.01)
    expected = ndimage.binary_propagation(seeds, mask=allowed)
    assert 0 < expected.sum() < allowed.sum()  # some pieces kept, some left out
    np.testing.assert_array_equal(grown_from(seeds, allowed), expected)


def test_a_blank_page_in_uneven_light_keeps_the_borders_polarity():
    # Its border's median lies near the middle of its range, where the polarity is
    # judged again without the light's gradient; but a blank page is then noise, as
    # undecided as before: the border's first judgement stands (before, the noise
    # chose, and a small blank page under a gradient could read as light ink).
    rows, cols = np.mgrid[0:60, 0:80]
    for seed in range(40):
        rng = np.random.default_rng(seed)
        angle = rng.uniform(0, 2 * np.pi)
        page = 0.8 + 0.2 * (np.cos(angle) * cols / 80 + np.sin(angle) * rows / 60)
        page += rng.normal(0, 0.003, page.shape)
        middle = (page.min() + page.max()) / 2
        assert dark_ink(page) == (np.median(page[_border(page.shape)]) > middle)


# -- conditions ---------------------------------------------------------------------------


def low_resolution(image, source):
    small = Image.fromarray(image).resize((source, source), Image.Resampling.BOX)
    return 255 - np.pad(np.asarray(small.resize((160, 160), Image.Resampling.BICUBIC)), 30)


def coloured(image, rng):
    grey = photo(image / 255.0, rng, strength=0.3).astype(float) / 255
    paper, ink = np.array([250, 235, 160.0]), np.array([40, 60, 180.0])
    amount = np.clip((grey.max() - grey) / np.ptp(grey), 0, 1)[..., None]
    return np.round(paper * (1 - amount) + ink * amount).astype(np.uint8)


CONDITIONS = {
    "photo, strong light gradient, JPEG": lambda im, rng: (photo(im / 255.0, rng), "jpg"),
    "photo, mild light gradient, JPEG": lambda im, rng: (
        photo(im / 255.0, rng, strength=0.2), "jpg"),
    # The gradient, not the faint ink, sets the picture's range: the border's median
    # lies near its middle, where it was taken for light ink on a dark board.
    "faint pencil, strong light gradient, JPEG": lambda im, rng: (
        photo(0.4 * im / 255.0, rng, strength=0.65), "jpg"),
    "10x10 source, enlarged": lambda im, rng: (low_resolution(im, 10), "png"),
    "8x8 source, as it is": lambda im, rng: (
        255 - np.asarray(Image.fromarray(im).resize((8, 8), Image.Resampling.BOX)), "png"),
    "thick strokes": lambda im, rng: (
        255 - np.kron(ndimage.grey_dilation(np.pad(im, 4), size=(3, 3)),
                      np.ones((8, 8), np.uint8)), "png"),
    "thin strokes": lambda im, rng: (
        255 - np.kron(ndimage.grey_erosion(np.pad(im, 4), size=(2, 2)),
                      np.ones((8, 8), np.uint8)), "png"),
    "rotated 12 degrees": lambda im, rng: (
        255 - np.clip(ndimage.rotate(np.kron(np.pad(im, 4), np.ones((6, 6))), 12, order=1),
                      0, 255).astype(np.uint8), "png"),
    "blue ink on yellow paper": lambda im, rng: (coloured(im, rng), "jpg"),
    "light on a dark board": lambda im, rng: (255 - photo(im / 255.0, rng) // 2, "jpg"),
}


@pytest.mark.parametrize("name", list(CONDITIONS))
def test_each_condition_is_read_right(name, digits, model, tmp_path):
    images, labels = digits
    rng = np.random.default_rng(1)
    paths = []
    for k, image in enumerate(images):
        picture, suffix = CONDITIONS[name](image, rng)
        paths.append(save(picture, tmp_path / f"{k}.{suffix}", **(
            {"quality": 85} if suffix == "jpg" else {})))
    np.testing.assert_array_equal(model.predict(read_all(paths)), labels)


def test_large_photo_is_reduced_and_read(digits, model, tmp_path):
    images, labels = digits
    picture = photo(images[0] / 255.0, np.random.default_rng(2), side=3000, rotate=0)
    path = save(picture, tmp_path / "big.jpg", quality=90)
    assert model.predict(read_digit_image(path)[None])[0] == labels[0]
    assert model.predict(to_mnist_format(picture)[None])[0] == labels[0]


# -- files -------------------------------------------------------------------------------


def test_exif_orientation_is_applied(digits, tmp_path):
    images, _ = digits
    upright = 255 - np.kron(images[0], np.ones((6, 6), np.uint8))
    reference = read_digit_image(save(upright, tmp_path / "upright.jpg", quality=95))
    # A phone stores the sensor's pixels and tags how to turn them: 6 means the
    # picture must be turned 90 degrees clockwise to be upright.
    sideways = Image.fromarray(np.rot90(upright))  # as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    sideways.save(path, quality=95, exif=exif)
    pixels = read_digit_image(path)
    assert np.abs(pixels.astype(int) - reference.astype(int)).mean() < 3
    # Without the tag, the same pixels read as a different picture.
    unturned = read_digit_image(save(np.rot90(upright), tmp_path / "untagged.jpg", quality=95))
    assert np.abs(unturned.astype(int) - reference.astype(int)).mean() > 20


def _modes(image, tmp_path):
    """The same dark-on-light digit in several file formats and modes."""
    paper = 255 - np.kron(np.pad(image, 4), np.ones((5, 5), np.uint8))
    files = {"8-bit grey PNG": save(paper, tmp_path / "grey.png")}
    wide = (paper.astype(np.uint16) * 257).astype(np.uint16)
    files["16-bit PNG"] = save(wide, tmp_path / "wide.png")
    files["16-bit TIFF"] = save(wide, tmp_path / "wide.tif")
    rgb = np.stack([paper, paper, paper], axis=-1)
    files["palette PNG"] = tmp_path / "palette.png"
    Image.fromarray(rgb).quantize(16).save(files["palette PNG"])
    transparent = np.zeros((*paper.shape, 4), np.uint8)
    transparent[..., 3] = 255 - paper  # black ink, opaque where the digit is
    files["transparent PNG"] = save(transparent, tmp_path / "transparent.png")
    return files


def test_file_modes_read_alike(digits, model, tmp_path):
    images, labels = digits
    files = _modes(images[1], tmp_path)
    expected = {"16-bit PNG": "I", "16-bit TIFF": "I;16", "palette PNG": "P",
                "transparent PNG": "RGBA"}
    for name, mode in expected.items():
        with Image.open(files[name]) as image:
            assert image.mode.startswith(mode), (name, image.mode)
    reference = read_digit_image(files["8-bit grey PNG"]).astype(int)
    for name, path in files.items():
        pixels = read_digit_image(path)
        assert np.abs(pixels.astype(int) - reference).mean() < 4, name
        assert model.predict(pixels[None])[0] == labels[1], name


# -- numbers -----------------------------------------------------------------------------


def strip(images, gaps):
    """Digits side by side, each cut to its ink, with the given gaps (negative: overlap)."""
    out = np.zeros((28, 0))
    for image, gap in zip(images, [0, *gaps], strict=True):
        cols = np.flatnonzero(image.max(axis=0))
        part = image[:, cols[0] : cols[-1] + 1] / 255.0
        start = out.shape[1] + gap
        grown = np.zeros((28, max(out.shape[1], start + part.shape[1])))
        grown[:, : out.shape[1]] = out
        grown[:, start : start + part.shape[1]] = np.maximum(
            grown[:, start : start + part.shape[1]], part)
        out = grown
    return out


def test_a_number_is_read_in_order(digits, model, tmp_path):
    images, labels = digits
    picture = photo(strip(images[:4], [4, 3, 5]), np.random.default_rng(3), rotate=2)
    reading = read_number(save(picture, tmp_path / "number.jpg", quality=90), model=model)
    assert len(reading) == 4
    np.testing.assert_array_equal(reading.digits, labels[:4])
    assert reading.text == "".join(str(d) for d in labels[:4])
    lefts = [box[1] for box in reading.boxes]
    assert lefts == sorted(lefts)
    assert reading.pixels.shape == (4, 784)
    assert reading.scores is None  # the default model gives no probabilities


def test_touching_digits_are_split(digits, model):
    # Two wide digits whose strokes touch: one mark, wider than high, cut in two.
    images, labels = digits
    pair = [3, 4]
    ink = strip(images[pair], [-2])
    picture = 255 - np.round(np.kron(np.pad(ink, 4), np.ones((6, 6))) * 255).astype(np.uint8)
    assert ndimage.label(picture < 128)[1] == 1  # one connected mark
    reading = read_number(picture, model=model)
    np.testing.assert_array_equal(reading.digits, labels[pair])


def test_a_narrow_pair_of_touching_digits_is_split_beside_others(digits, model):
    # A "2" and a "3" touching are no wider than high, but twice as wide as the
    # digits beside them.
    images, labels = digits
    order = [1, 2, 3, 4]
    ink = strip(images[order], [5, -2, 5])
    picture = 255 - np.round(np.kron(np.pad(ink, 4), np.ones((6, 6))) * 255).astype(np.uint8)
    assert ndimage.label(picture < 128)[1] == 3
    reading = read_number(picture, model=model)
    np.testing.assert_array_equal(reading.digits, labels[order])


def test_broken_digit_and_specks_are_one_digit(digits, model):
    images, labels = digits
    image = np.pad(images[2], 6).astype(float)
    rows = np.flatnonzero(image.max(axis=1))
    image[(rows[0] + rows[-1]) // 2, :] = 0  # a gap across the digit: two pieces
    picture = 255 - np.kron(image, np.ones((8, 8))).astype(np.uint8)
    rng = np.random.default_rng(0)
    for row, col in rng.integers(0, picture.shape[0] - 3, size=(12, 2)):
        picture[row : row + 3, col : col + 3] = 0  # dust
    reading = read_number(picture, model=model)
    assert len(reading) == 1
    assert reading.digits[0] == labels[2]


def pen_marks(width, *points, radius=1.3):
    """A strip ``width`` columns wide of MNIST's height, with a round pen drawn along
    the straight strokes between each pair of ``points`` given as (row, col)."""
    rows, cols = np.mgrid[0:28, 0:width]
    ink = np.zeros((28, width))
    for (row0, col0), (row1, col1) in zip(points[::2], points[1::2], strict=True):
        for t in np.linspace(0, 1, 12):
            centre = (row0 + t * (row1 - row0), col0 + t * (col1 - col0))
            ink[np.hypot(rows - centre[0], cols - centre[1]) <= radius] = 1.0
    return ink


SEPARATORS = {
    ".": pen_marks(6, (22.5, 3), (22.5, 3), radius=1.5),
    ",": pen_marks(6, (21.5, 3.5), (27, 2)),
    ":": pen_marks(6, (11, 3), (11, 3), (22, 3), (22, 3), radius=1.5),
    "-": pen_marks(11, (14, 2), (14.5, 9)),
}


def number_with(images, separator, after):
    """The digits side by side with ``separator`` drawn after the first ``after`` of
    them (before the first for 0), as ink on black."""
    parts = [strip(images[:after], [4] * (after - 1))] if after else []
    parts += [np.zeros((28, 2)), SEPARATORS[separator], np.zeros((28, 2))]
    parts.append(strip(images[after:], [4] * (len(images) - after - 1)))
    return np.hstack(parts)


@pytest.mark.parametrize("separator", [".", ",", ":", "-"])
def test_a_separator_between_digits_is_kept_in_the_number(digits, model, tmp_path,
                                                           separator):
    # "3.5" read as "35" would be a wrong number given with a digit's confidence.
    images, labels = digits
    picture = photo(number_with(images[:4], separator, 2), np.random.default_rng(5), rotate=2)
    reading = read_number(save(picture, tmp_path / "number.jpg", quality=90), model=model)
    assert reading.separators == [(2, separator)]
    np.testing.assert_array_equal(reading.digits, labels[:4])
    digits_text = "".join(str(d) for d in labels[:4])
    assert reading.text == digits_text[:2] + separator + digits_text[2:]
    assert separator in repr(reading)


def test_a_dash_before_the_first_digit_is_a_minus_sign(digits, model):
    images, labels = digits
    picture = photo(number_with(images[:3], "-", 0), np.random.default_rng(6), rotate=2)
    reading = read_number(picture, model=model)
    assert reading.separators == [(0, "-")]
    assert reading.text == "-" + "".join(str(d) for d in labels[:3])


def test_the_row_is_placed_by_the_digits_kept():
    # The tallest mark of a picture may be left out of the digits (too little ink):
    # a digit half its height is still placed in a row of its own, and kept.
    from mnistkit.imaging._marks import Mark
    from mnistkit.imaging._segment import _across_the_row

    digit = Mark(label=1, top=10, left=0, bottom=60, right=30, area=600)
    assert _across_the_row([([digit], digit)], tallest=100) == [([digit], digit)]
    assert _across_the_row([], tallest=100) == []


def test_specks_and_a_full_stop_are_no_separators(digits, model):
    images, labels = digits
    ink = np.hstack([strip(images[:3], [5, 5]), np.zeros((28, 2)), SEPARATORS["."]])
    picture = 255 - np.round(np.kron(np.pad(ink, 4), np.ones((6, 6))) * 255).astype(np.uint8)
    # Dust between the digits: a few pixels, far thinner than the pen.
    lefts = [box[1] for box in read_number(picture).boxes]
    for left in lefts[1:]:
        picture[150:153, left - 15 : left - 12] = 0
        picture[90:93, left - 18 : left - 15] = 0
    reading = read_number(picture, model=model)
    assert reading.separators == []
    assert reading.text == "".join(str(d) for d in labels[:3])


def test_a_colon_is_not_read_as_a_digit(digits, model):
    images, labels = digits
    ink = number_with(images[:4], ":", 2)
    picture = 255 - np.round(np.kron(np.pad(ink, 4), np.ones((6, 6))) * 255).astype(np.uint8)
    reading = read_number(picture, model=model)
    assert len(reading) == 4
    np.testing.assert_array_equal(reading.digits, labels[:4])
    assert reading.separators == [(2, ":")]


def test_scores_come_from_predict_proba(digits, fitted_on_sample):
    model = fitted_on_sample(backend="rf")
    images, _ = digits
    reading = read_number(255 - np.kron(images[0], np.ones((4, 4), np.uint8)), model=model)
    expected = model.predict_proba(reading.pixels).max(axis=1)
    np.testing.assert_allclose(reading.scores, expected)


# -- nothing to read -----------------------------------------------------------------------


def paper_with(rng, *, marks=()):
    """Unevenly lit paper, noise, and optional marks (row, col, height, width) of dark ink."""
    cols = np.arange(400)[None, :]
    picture = 220 * (1 - 0.5 * cols / 400) + rng.normal(0, 3, (300, 400))
    for top, left, height, width in marks:
        picture[top : top + height, left : left + width] = 40
    return np.clip(ndimage.gaussian_filter(picture, 1), 0, 255).astype(np.uint8)


NOTHING = {
    "blank page": lambda rng: np.full((300, 400), 210, np.uint8),
    "shaded blank page": lambda rng: paper_with(rng),
    "page of noise": lambda rng: rng.integers(0, 256, (300, 400)).astype(np.uint8),
    "no digit-like object": lambda rng: paper_with(rng, marks=[
        (40, 20, 3, 360),  # a ruled line
        (120, 150, 90, 90),  # a solid square
        (250, 60, 2, 2), (80, 320, 3, 2), (200, 30, 2, 3),  # dust
        (0, 380, 300, 20),  # the table's edge
    ]),
}


def test_a_nearly_blank_page_is_no_digit():
    # A smooth shade stored in a few grey levels: its steps are not ink.
    rows, cols = np.mgrid[0:132, 0:104]
    for down, across in [(1, 1), (1, 2), (3, 1)]:
        shade = (down * rows + across * cols) / (down * 131 + across * 103)
        page = np.round(221 - 8 * shade).astype(np.uint8)
        with pytest.raises(ValueError, match="the image is blank or nearly so"):
            to_mnist_format(page)


def test_a_nearly_blank_page_in_colour_is_no_digit():
    # The same smooth shade on tinted paper, stored in colour: its grey keeps the
    # paper's light, so that its steps still take too little of it to be ink.
    rows, cols = np.mgrid[0:132, 0:104]
    shade = (rows + 2 * cols) / (131 + 2 * 103)
    light = 221 - 8 * shade
    page = np.round(light[..., None] * np.array([1.0, 0.97, 0.86])).astype(np.uint8)
    with pytest.raises(NoDigitError, match="no digit found"):
        to_mnist_format(page)


def shadow_over_one_side(side=(120, 100), depth=0.3, blur=3.0):
    """Paper with a soft shadow over its right side, its inner edge wavy (a hand's)."""
    rows, cols = side
    along = np.arange(rows)[:, None]
    inner = cols * (1 - depth) + 0.08 * cols * np.sin(2 * np.pi * along / rows)
    dark = (np.arange(cols)[None, :] >= inner).astype(float)
    light = 225 * (1 - 0.45 * ndimage.gaussian_filter(dark, blur, mode="nearest"))
    return light + np.random.default_rng(0).normal(0, 1.5, side)


def test_a_shadow_over_one_side_of_the_page_is_no_digit():
    # Dark all along one side and not across the picture: no digit cut by the edge.
    for depth in (0.2, 0.35, 0.5):
        with pytest.raises(NoDigitError, match="no digit found"):
            to_mnist_format(np.clip(shadow_over_one_side(depth=depth), 0, 255).astype(np.uint8))


def blank_notebook_page(rows, cols, spacing, strength, seed, turn=0.0, holes=None):
    """A colour photo of a blank notebook page: pale blue lines across, ``strength``
    of the way from the paper's colour to theirs, and a red margin line down; the
    page turned by ``turn`` degrees. ``holes``, ``(spacing, radius, inset)``: the
    dark round holes of a spiral binding down its left side, ``inset`` pixels in."""
    paper = np.array([235.0, 230.0, 215.0])
    page = np.tile(paper, (rows, cols, 1))
    page[np.arange(rows) % spacing < 2] = (1 - strength) * paper + strength * np.array(
        [120.0, 180.0, 200.0])
    page[:, cols // 7 : cols // 7 + 3] = [220.0, 90.0, 90.0]
    if holes is not None:
        apart, radius, inset = holes
        row, col = np.mgrid[0:rows, 0:cols]
        for centre in np.arange(apart / 2, rows, apart):
            page[np.hypot(row - centre, col - inset - radius) <= radius] = 60.0
    if turn:
        page = ndimage.rotate(page, turn, axes=(1, 0), reshape=False, order=1, mode="nearest")
    page = ndimage.gaussian_filter(page, (1.0, 1.0, 0))
    page += np.random.default_rng(seed).normal(0, 3, page.shape)
    saved = io.BytesIO()
    Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).save(saved, "JPEG", quality=85)
    return np.asarray(Image.open(saved))


@pytest.mark.parametrize(("rows", "cols", "spacing", "strength", "turn"), [
    (300, 220, 30, 0.6, 0.0),  # the stubs of the lines across make the margin line wide
    (110, 100, 7, 0.6, 0.0),
    (300, 220, 16, 0.8, 0.0),  # lines closer than a slanted line's slack: one band
    (500, 400, 27, 0.6, 0.0),
    (517, 605, 50, 0.5, 0.85),  # the margin line leans: no column holds it all along
    (400, 300, 40, 0.6, -0.6),
])
def test_a_photo_of_a_blank_notebook_page_is_no_digit(rows, cols, spacing, strength, turn):
    for seed in (1, 2, 3):
        with pytest.raises(NoDigitError, match="no digit found"):
            to_mnist_format(blank_notebook_page(rows, cols, spacing, strength, seed, turn))


@pytest.mark.parametrize(("rows", "cols", "spacing", "radius", "inset"), [
    (200, 141, 20, 6, 0),  # some further in than a tenth of the width
    (300, 424, 24, 4, 6),
    (300, 424, 22, 5, -2),  # cut by the edge
])
def test_a_blank_notebook_page_with_spiral_holes_is_no_digit(rows, cols, spacing, radius,
                                                              inset):
    for seed in (1, 2):
        page = blank_notebook_page(rows, cols, 30, 0.6, seed, holes=(spacing, radius, inset))
        with pytest.raises(NoDigitError, match="no digit found"):
            to_mnist_format(page)


def test_a_digit_beside_spiral_holes_is_read(digits):
    images, _labels = digits
    page = blank_notebook_page(300, 300, 30, 0.6, 1, holes=(20, 5, 2)).copy()
    digit = 255 - np.kron(images[0], np.ones((4, 4), np.uint8))  # 112 x 112, dark on light
    page[90:202, 120:232] = np.minimum(page[90:202, 120:232], digit[..., None])
    pixels = to_mnist_format(page)
    # The model's input holds the digit alone: none of the holes came with it.
    assert np.corrcoef(pixels.astype(float), to_mnist_format(digit).astype(float))[0, 1] > 0.9


def test_a_digit_close_to_the_side_of_a_blank_page_is_still_read(digits):
    # A "1" near the left side, alone on its page, is the digit, not the page's edge.
    images, labels = digits
    one = images[labels == 1][0]
    page = np.full((160, 600), 235, np.uint8)
    page[20:132, 8:120] = 255 - np.kron(one, np.ones((4, 4), np.uint8))
    to_mnist_format(page)  # no NoDigitError


def soft_edged_shadow(rows, cols, depth, wave, sigma, darkness):
    """Paper under a shadow over its left side, ``darkness`` of the light deep, its
    edge a wave (``depth`` and ``wave`` of the width) blurred over ``sigma`` pixels."""
    row, col = np.mgrid[0:rows, 0:cols]
    edge = cols * (depth + wave * np.sin(np.pi * row / rows) ** 2)
    shade = ndimage.gaussian_filter((col < edge).astype(float), sigma)
    page = 230.0 * (1 - darkness * shade) + np.random.default_rng(0).normal(0, 2, (rows, cols))
    return np.clip(page, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("shadow", [
    (258, 312, 0.05, 0.2, 12, 0.6),
    (258, 312, 0.15, 0.1, 12, 0.4),
    (400, 380, 0.05, 0.2, 6, 0.4),
])
def test_the_soft_edge_of_a_shadow_alone_is_no_digit(shadow):
    # Taken out with the paper, the shadow leaves the bulge of its soft edge, of a
    # digit's size: no darker than the shadow's own paper beside it.
    with pytest.raises(NoDigitError, match="no darker than the paper beside it"):
        to_mnist_format(soft_edged_shadow(*shadow))


@pytest.mark.parametrize("shadow", [
    (260, 520, 0.05, 0.1, 6, 0.5),
    (260, 520, 0.15, 0.1, 8, 0.6),
    (260, 520, 0.2, 0.1, 12, 0.6),
])
def test_a_number_beside_the_soft_edge_of_a_shadow_has_its_digits_only(shadow, digits,
                                                                        model):
    # Read as a number, the bulge of the shadow's edge was one more digit, a 1.
    images, labels = digits
    page = soft_edged_shadow(*shadow).astype(float)
    for k, image in enumerate(images[:3]):
        ink = np.kron(image, np.ones((4, 4))) / 255
        page[74:186, 170 + 100 * k : 282 + 100 * k] *= 1 - 0.85 * ink
    reading = read_number(np.clip(page, 0, 255).astype(np.uint8), model=model)
    np.testing.assert_array_equal(reading.digits, labels[:3])


def soft_bulge_of_a_shadow():
    """What the paper's estimate leaves of a shadow's wavy edge: a pale blob of a
    digit's size, fading into the paper over several pixels."""
    rows, cols = np.mgrid[0:160, 0:220]
    bulge = ndimage.gaussian_filter((np.hypot(rows - 80, cols - 165) < 30).astype(float), 6)
    return 225 * (1 - 0.45 * bulge)


@pytest.mark.parametrize(("paper", "left"), [
    (lambda: shadow_over_one_side(side=(160, 200)), 30),
    (soft_bulge_of_a_shadow, 20),
], ids=["shadow over one side", "soft bulge of a shadow"])
def test_a_digit_beside_a_shadow_is_read(paper, left, digits, model):
    images, labels = digits
    for image, label in zip(images, labels, strict=True):
        picture = paper()
        ink = np.kron(image / 255.0, np.ones((3, 3)))
        picture[38:122, left : left + 84] *= 1 - 0.8 * ink
        pixels = to_mnist_format(np.clip(picture, 0, 255).astype(np.uint8))
        assert model.predict(pixels[None])[0] == label


def test_a_faint_pencil_digit_is_read(digits, model):
    images, labels = digits
    rng = np.random.default_rng(0)
    for image, label in zip(images, labels, strict=True):
        ink = np.kron(image / 255, np.ones((6, 6)))
        # The pencil takes 30% of the light, on slightly noisy paper.
        page = np.pad(235 * (1 - 0.3 * ink), 40, constant_values=235)
        page = np.clip(page + rng.normal(0, 2, page.shape), 0, 255).astype(np.uint8)
        assert model.predict(to_mnist_format(page)[None])[0] == label


@pytest.mark.parametrize("name", list(NOTHING))
def test_nothing_to_read_names_the_file(name, tmp_path):
    path = save(NOTHING[name](np.random.default_rng(0)), tmp_path / "nothing.png")
    with pytest.raises(ValueError, match=r"nothing\.png: no digit found"):
        read_digit_image(path)
    with pytest.raises(ValueError, match=r"nothing\.png: no digit found"):
        read_number(path)


def test_a_digit_among_the_clutter_is_found(digits, model):
    # The same clutter as "no digit-like object", with a digit: the digit is read.
    images, labels = digits
    picture = NOTHING["no digit-like object"](np.random.default_rng(0))
    ink = np.kron(images[3], np.ones((3, 3))) / 255.0
    picture[212:296, 252:336] = (picture[212:296, 252:336] * (1 - 0.8 * ink)).astype(np.uint8)
    assert model.predict(to_mnist_format(picture)[None])[0] == labels[3]


def test_ink_as_light_as_the_paper_is_read_by_its_colour(digits, model):
    # Red ink on green paper of about the same luminance: grey by luminance would
    # lose the digit; the colour that separates ink from paper keeps it.
    images, labels = digits
    paper, ink = np.array([60.0, 140, 16]), np.array([200.0, 60, 60])
    assert abs((paper - ink) @ [0.299, 0.587, 0.114]) < 1
    rng = np.random.default_rng(0)
    for image, label in zip(images[:4], labels[:4], strict=True):
        amount = np.kron(np.pad(image, 4), np.ones((6, 6)))[..., None] / 255.0
        rgb = paper * (1 - amount) + ink * amount + rng.normal(0, 4, (*amount.shape[:2], 3))
        rgb = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
        assert model.predict(to_mnist_format(rgb)[None])[0] == label


def test_a_frame_around_the_digit_is_dropped(digits, model):
    images, labels = digits
    for image, label in zip(images[:4], labels[:4], strict=True):
        picture = np.full((300, 300), 235, np.uint8)
        picture[20:280, 20:280] = 30  # a box drawn round the digit, 4 pixels thick
        picture[24:276, 24:276] = 235
        ink = np.kron(image, np.ones((6, 6))) / 255.0
        picture[66:234, 66:234] = np.round(235 * (1 - 0.85 * ink)).astype(np.uint8)
        assert model.predict(to_mnist_format(picture)[None])[0] == label


def in_a_form_box(ink, *, line, shade, gap=(30, 20)):
    """Dark ink in [0, 1] on white, in a box of ``line``-pixel lines of ``shade`` cut
    out along their outer edges, ``gap`` (rows, columns) of paper inside the lines."""
    height, width = ink.shape[0] + 2 * (gap[0] + line), ink.shape[1] + 2 * (gap[1] + line)
    picture = np.full((height, width), 250.0)
    picture[line + gap[0] : height - line - gap[0], line + gap[1] : width - line - gap[1]] *= (
        1 - 0.9 * ink)
    picture[:line], picture[-line:], picture[:, :line], picture[:, -line:] = (shade,) * 4
    return np.round(picture).astype(np.uint8)


@pytest.mark.parametrize(("line", "shade"), [(3, 40), (6, 90), (4, 170)],
                         ids=["dark lines", "thick lines", "light lines"])
def test_a_box_of_a_form_cut_along_its_lines_is_read_as_without_it(line, shade, digits, model):
    # Its lines make the picture's whole outer ring: once taken for the paper,
    # dark lines turned the polarity, light ones the paper's shade.
    images, labels = digits
    for image, label in zip(images, labels, strict=True):
        ink = np.kron(image, np.ones((4, 4))) / 255.0
        boxed = in_a_form_box(ink, line=line, shade=shade)
        unboxed = boxed.copy()
        unboxed[:line], unboxed[-line:], unboxed[:, :line], unboxed[:, -line:] = 250, 250, 250, 250
        seen = to_mnist_format(boxed)
        assert model.predict(seen[None])[0] == label
        assert np.abs(seen.astype(int) - to_mnist_format(unboxed)).max() <= 1


def test_a_photo_of_a_box_of_a_form_is_read_as_its_digit(digits, model):
    rng = np.random.default_rng(5)
    images, labels = digits
    for image, label in zip(images, labels, strict=True):
        # The digit near its box, whose lines are then most of the picture's outer ring.
        boxed = in_a_form_box(np.kron(image, np.ones((3, 3))) / 255.0, line=3, shade=50,
                              gap=(6, 4))
        big = ndimage.zoom(boxed.astype(float), 3, order=1)  # the lines' edges blurred
        cols = np.arange(big.shape[1])[None, :]
        lit = big * (1 - 0.15 * cols / big.shape[1]) + rng.normal(0, 4, big.shape)
        assert model.predict(to_mnist_format(np.clip(lit, 0, 255))[None])[0] == label


def test_a_number_in_a_box_of_a_form_is_read_and_boxed_in_the_files_pixels(digits, model):
    images, _ = digits
    ink = strip(images[:3], [4, 4])
    boxed = in_a_form_box(np.kron(ink, np.ones((3, 3))), line=4, shade=40, gap=(15, 15))
    unboxed = boxed.copy()
    unboxed[:4], unboxed[-4:], unboxed[:, :4], unboxed[:, -4:] = 250, 250, 250, 250
    reading, without = read_number(boxed, model=model), read_number(unboxed, model=model)
    assert reading.text == without.text
    assert len(reading.text) == 3
    np.testing.assert_allclose(reading.boxes, without.boxes, atol=1)


def test_only_a_frame_along_the_whole_edge_is_cut_off():
    from mnistkit.imaging._page import frame_width

    paper = np.full((120, 100), 240.0)
    paper[30:90, 45:55] = 20  # a 1
    framed = paper.copy()
    framed[:4], framed[-4:], framed[:, :4], framed[:, -4:] = 60, 60, 60, 60
    assert frame_width(framed) == 4
    assert frame_width(paper) == 0
    # A dark board's chalk digit; a table along one side of the paper.
    assert frame_width(255 - paper) == 0
    table = paper.copy()
    table[:, :30] = 90
    assert frame_width(table) == 0
    # A thick 0 cut to its ink: its strokes make no ring of one shade all round.
    rows, cols = np.mgrid[0:100, 0:80]
    ellipse = ((rows - 49.5) / 50) ** 2 + ((cols - 39.5) / 40) ** 2
    zero = np.where((ellipse <= 1) & (ellipse >= 0.3), 10.0, 240.0)
    assert frame_width(zero) == 0
    assert frame_width(255 - zero) == 0
    # Small bold digits cut to their ink: their strokes run along the middle of
    # each side as lines would, but not round the corners.
    import matplotlib
    from PIL import ImageFont

    bold = ImageFont.truetype(
        str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"), 48)
    for digit in "0689":
        canvas = Image.new("L", (80, 80), 255)
        ImageDraw.Draw(canvas).text((10, 5), digit, font=bold, fill=0)
        glyph = np.asarray(canvas, dtype=float)
        rows = np.flatnonzero(glyph.min(axis=1) < 255)
        cols = np.flatnonzero(glyph.min(axis=0) < 255)
        assert frame_width(glyph[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]) == 0, digit
    # A square 0 drawn with thin lines and cut to its ink holds nothing.
    square = np.full((100, 80), 240.0)
    square[:5], square[-5:], square[:, :5], square[:, -5:] = 10, 10, 10, 10
    assert frame_width(square) == 0
    # A light frame drawn a little inside a light-on-dark picture: the dark
    # outer ring is the picture's paper, not a frame round a light one.
    board = 255 - paper
    board[5:9, 5:-5], board[-9:-5, 5:-5], board[5:-5, 5:9], board[5:-5, -9:-5] = (200,) * 4
    assert frame_width(board) == 0


def test_boxes_are_in_pixels_of_the_file_however_large(digits, tmp_path):
    images, _ = digits
    picture = Image.fromarray(photo(strip(images[:3], [6, 6]), np.random.default_rng(4)))
    small = tmp_path / "small.jpg"
    picture.save(small, quality=90)
    large = tmp_path / "large.jpg"
    picture.resize((picture.width * 8, picture.height * 8), Image.Resampling.BICUBIC).save(
        large, quality=90)
    boxes_small = np.array(read_number(small).boxes, dtype=float)
    boxes_large = np.array(read_number(large).boxes, dtype=float)
    assert boxes_small.shape == boxes_large.shape == (3, 4)
    np.testing.assert_allclose(boxes_large / 8, boxes_small, atol=0.03 * picture.width)


def test_a_truncated_file_is_not_an_image(digits, tmp_path):
    images, _ = digits
    path = save(255 - np.kron(images[0], np.ones((8, 8), np.uint8)), tmp_path / "cut.png")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match=r"cut\.png is not an image file"):
        read_digit_image(path)


# -- digits cropped tight --------------------------------------------------------------------


def on_paper(image, factor=4):
    """A sample digit enlarged, dark on white, cropped to its ink."""
    paper = 255 - np.kron(image, np.ones((factor, factor), np.uint8))
    rows = np.flatnonzero((paper < 200).any(axis=1))
    cols = np.flatnonzero((paper < 200).any(axis=0))
    return paper[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


TOUCHING = {  # margins (top, bottom, left, right) left around the ink
    "one edge": (0, 20, 20, 20),
    "two edges": (0, 20, 0, 20),
    "four edges": (0, 0, 0, 0),
}


def shaded(picture, seed=0):
    """The picture on paper lit from one side, with noise: not flat paper."""
    cols = np.arange(picture.shape[1])[None, :]
    light = 1.0 - 0.25 * cols / picture.shape[1]
    noise = np.random.default_rng(seed).normal(0, 3, picture.shape)
    return np.clip(picture * light + noise, 0, 255).astype(np.uint8)


PAPERS = {"flat": lambda picture: picture, "shaded": shaded}


@pytest.mark.parametrize("factor", [4, 10])
@pytest.mark.parametrize("edges", list(TOUCHING))
def test_a_digit_touching_the_edges_reads_as_with_a_margin(edges, factor, digits, model):
    images, labels = digits
    top, bottom, left, right = TOUCHING[edges]
    for image, label in zip(images, labels, strict=True):
        ink = on_paper(image, factor)
        margin = to_mnist_format(np.pad(ink, 20, constant_values=255))
        cropped = to_mnist_format(
            np.pad(ink, ((top, bottom), (left, right)), constant_values=255))
        assert model.predict(cropped[None])[0] == label
        # The same picture, not merely the same answer: a stroke at the edge is kept.
        assert np.abs(cropped.astype(int) - margin).mean() < 8


@pytest.mark.parametrize("reading", ["photo", "tight crop"])
def test_ink_of_the_digit_is_worked_out_in_its_box_as_on_the_whole_page(reading, digits):
    from mnistkit.imaging._marks import single_digit

    images, _ = digits
    rng = np.random.default_rng(0)
    for image in images[:4]:
        picture = photo(image / 255, rng) if reading == "photo" else on_paper(image, 10)
        page = _page.read_digit_page(picture.astype(float))
        marks = single_digit(page.marks, page.shape)
        chosen = np.isin(page.labels, [mark.label for mark in marks])
        reach = max(2, round(0.03 * min(page.shape)))
        near = ndimage.binary_dilation(chosen, iterations=reach)
        faint = near & (page.ink.level > 0.05)
        kept = ndimage.binary_propagation(chosen, mask=faint | chosen)
        np.testing.assert_array_equal(_page.ink_of(page, marks),
                                      np.where(kept, page.ink.level, 0.0))


def test_the_pixels_of_marks_are_those_of_their_labels():
    from mnistkit.imaging._marks import find_marks

    rng = np.random.default_rng(0)
    labels, marks = find_marks(ndimage.binary_opening(rng.random((60, 50)) < 0.6))
    assert len(marks) >= 3
    for chosen in ([], marks[:1], marks[1:2], marks[:3:2], marks):
        np.testing.assert_array_equal(_page.pixels_of(labels, chosen),
                                      np.isin(labels, [mark.label for mark in chosen]))


def reads_of_the_whole_picture(monkeypatch, picture):
    """The shapes of the pictures find_ink is given at the picture's size or larger."""
    shapes = []
    real = _page.find_ink

    def counted(grey, *args):
        shapes.append(grey.shape)
        return real(grey, *args)

    monkeypatch.setattr(_page, "find_ink", counted)
    to_mnist_format(picture)
    return [shape for shape in shapes if min(shape) >= min(picture.shape)]


# On flat paper, a tight crop shows ink on its outer ring; on shaded paper, a large
# one is glanced at, read at a few times fewer pixels (a small one is read twice).
@pytest.mark.parametrize(("paper", "factor"), [("flat", 4), ("flat", 10), ("shaded", 10)])
def test_a_tight_crop_is_read_once_with_its_margin(paper, factor, digits, monkeypatch):
    images, _ = digits
    tight = PAPERS[paper](on_paper(images[0], factor))
    reads = reads_of_the_whole_picture(monkeypatch, tight)
    assert len(reads) == 1
    # Flat paper's shade is known from the ring: a narrower margin does.
    margin = round((0.15 if paper == "flat" else 0.25) * max(tight.shape))
    assert reads[0] == (tight.shape[0] + 2 * margin, tight.shape[1] + 2 * margin)
    # With a margin of its own, it is read once, as it is.
    framed = PAPERS[paper](np.pad(on_paper(images[0], factor), 60, constant_values=255))
    assert reads_of_the_whole_picture(monkeypatch, framed) == [framed.shape]


def blurred_digit_cut_tight(index):
    """load_digits' digit ``index`` enlarged 8 times (bicubic), dark on white, cut to its ink.

    Its strokes fade into the paper over several pixels, along the picture's edges too.
    """
    from sklearn.datasets import load_digits

    image = load_digits().images[index]
    small = Image.fromarray((image * 255 / 16).astype(np.uint8))
    paper = 255 - np.asarray(small.resize((64, 64), Image.Resampling.BICUBIC))
    ink = paper < 255
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return paper[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


# Digits whose soft edges fill most of the ring along an edge: once taken for a
# photo's shading, they were read twice, the second time with a margin shaded by a
# plane fitted to the edge's ink.
@pytest.mark.parametrize("index", [5, 6, 7, 12])
def test_a_blurred_digit_cut_tight_is_read_once_on_flat_paper(index, monkeypatch):
    tight = blurred_digit_cut_tight(index)
    margin = round(0.15 * max(tight.shape))
    reads = reads_of_the_whole_picture(monkeypatch, tight)
    assert reads == [(tight.shape[0] + 2 * margin, tight.shape[1] + 2 * margin)]


def test_a_blob_that_fills_flat_paper_is_ink_where_the_paper_is_known():
    # A dark disc filling most of its picture: the paper's estimate, at a scale of
    # the picture, takes its middle for darker paper; the ring's known shade does not.
    rows, cols = np.mgrid[:70, :70]
    picture = np.where((rows - 35) ** 2 + (cols - 35) ** 2 <= 30**2, 30.0, 255.0)
    assert find_ink(picture).level[35, 35] < 0.5
    ink = find_ink(picture, 255.0)
    assert ink.level[35, 35] == 1.0
    assert ink.mask[35, 35]
    assert not ink.mask[0, 0]


# Flat paper's shade is the ring's: the paper is not estimated at a scale of a
# picture that the digit nearly fills. Estimated, many of these 40 differed by
# more than 40 grey levels somewhere with a narrow margin (before 2026-12-06's
# change; the assertions below failed then). A pixel's shift by the centring still may.
@pytest.mark.parametrize("margin", [0, 2, 6])
def test_blurred_digits_on_flat_paper_read_the_same_with_any_margin(margin):
    differences = []
    for index in range(40):
        tight = blurred_digit_cut_tight(index)
        narrow = np.pad(tight, margin, constant_values=255)
        wide = np.pad(tight, 64, constant_values=255)
        difference = np.abs(to_mnist_format(narrow).astype(int) - to_mnist_format(wide))
        differences.append(difference.max())
    assert np.count_nonzero(np.array(differences) > 40) <= 3
    assert np.median(differences) <= 18


# A dense digit whose faint soft edge (a third of the ink's strength at most) reaches
# the picture's edge: the ring looks uncut, the marks reach the edge, and the picture
# is read again with a margin. Before 2026-12-06's change that margin was shaded by a
# fitted plane and the paper estimated at a scale of the picture: the disc differed
# by 117 grey levels from the same with a wide margin, the thick 0 by 28.
@pytest.mark.parametrize("shape", ["disc", "thick zero"])
def test_a_dense_digit_whose_soft_edge_reaches_flat_paper_reads_as_with_a_margin(shape):
    rows, cols = np.mgrid[:90, :90]
    if shape == "disc":
        drawn = (rows - 45) ** 2 + (cols - 45) ** 2 <= 42**2
    else:
        squared = (rows - 45) ** 2 + ((cols - 45) * 1.25) ** 2
        drawn = (squared <= 41**2) & (squared > 10**2)
    ink = ndimage.gaussian_filter(drawn.astype(float), 4.0)
    picture = 255 - 225 * ink
    assert 0.1 < max(ink[0].max(), ink[:, 0].max()) < 0.4  # faint ink at the edge
    paper, ink_on_ring = _page._flat_ring(picture)
    assert paper == pytest.approx(255)
    assert not ink_on_ring  # the ring looks uncut
    wide = np.pad(picture, 60, constant_values=255)
    difference = np.abs(to_mnist_format(picture).astype(int) - to_mnist_format(wide))
    assert difference.max() <= 12


def thin_one_cut_out_tight():
    """A 1 enlarged 4 times (bicubic), dark on white, cropped to every pixel of its ink."""
    sample = load_sample(subset="test")
    assert sample.target[251] == 1
    big = np.asarray(Image.fromarray(sample.images[251]).resize(
        (112, 112), Image.Resampling.BICUBIC))
    paper = 255 - big
    ink = paper < 255
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return paper[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def test_a_thin_one_cut_out_tight_is_no_ruled_line(model):
    # Under 20 pixels wide, it is enlarged again to be read, and its faint ends
    # stop short of the edges, where a ruled line down the picture would not.
    tight = thin_one_cut_out_tight()
    assert tight.shape[1] < 20
    assert model.predict(to_mnist_format(tight)[None])[0] == 1


def test_a_narrow_picture_is_not_enlarged_as_a_small_one(monkeypatch):
    # The same 1, narrow but not small: enlarged until its shorter side reached 64,
    # it was read 448 pixels tall. Its longer side goes to 128 at most, then its
    # margin of paper.
    tight = thin_one_cut_out_tight()
    assert max(tight.shape) > 64
    reads = reads_of_the_whole_picture(monkeypatch, tight)
    assert reads
    assert max(max(shape) for shape in reads) <= 128 + 2 * round(0.15 * 128)


def test_paper_shaded_along_one_edge_is_no_digit_at_the_edge():
    # A photo of blank paper, darker towards the top in even steps, stored in
    # colour: flat along its bottom edge, and no digit cut by its top edge.
    rows = np.linspace(194, 230, 300)[:, None] + np.zeros((1, 270))
    page = np.repeat(np.round(rows).astype(np.uint8)[..., None], 3, axis=2)
    with pytest.raises(NoDigitError, match="no digit found"):
        to_mnist_format(page)


@pytest.mark.parametrize("polarity", ["dark on light", "light on dark"])
def test_a_digit_filling_most_of_its_frame_is_told_from_its_paper(polarity, digits, model):
    images, labels = digits
    for image, label in zip(images, labels, strict=True):
        ink = on_paper(image)
        # The digit's box spans 90% of the picture's height.
        pad = round(ink.shape[0] / 0.9 - ink.shape[0]) // 2
        picture = np.pad(ink, pad, constant_values=255)
        if polarity == "light on dark":
            picture = 255 - picture
        assert model.predict(to_mnist_format(picture)[None])[0] == label


def full_reading(grey):
    """The pixels of the whole page's reading, which a picture on a uniform ring skips."""
    from mnistkit.imaging._marks import single_digit
    from mnistkit.imaging._mnist import to_mnist_pixels

    page = _page.read_digit_page(grey)
    return to_mnist_pixels(_page.ink_of(page, single_digit(page.marks, page.shape,
                                                           page.ink.level)))


def ink_shares(pixels):
    """Of the ink of some digits (uint8 pixels), the shares at half the peak or more
    and at 90% or more."""
    pixels = np.asarray(pixels, dtype=float) / 255
    ink = pixels[pixels > 0.05]
    return np.mean(ink >= 0.5), np.mean(ink >= 0.9)


def test_a_tiny_picture_on_uniform_paper_has_its_strokes_sharpened_as_mnists():
    from sklearn.datasets import load_digits

    from mnistkit.imaging._clean import clean_ink

    # 8 x 8, 0 to 16, dark on white with a 2-pixel margin
    pictures = [255 - np.pad(image * 15, 2) for image in load_digits().images[:40]]
    assert all(clean_ink(picture.astype(float)).shape == (64, 64) for picture in pictures)
    short = np.array([to_mnist_format(picture) for picture in pictures])
    full = np.array([full_reading(picture) for picture in pictures])
    # MNIST's ink: 72% at half the peak or more, 47% at 90% or more. Enlarged and
    # only scaled, as the full reading leaves them, 54% and 17% (measured).
    at_half, at_peak = ink_shares(short)
    assert at_half > 0.65
    assert at_peak > 0.4
    assert ink_shares(full)[1] < 0.25
    # The same digits in the same places: light on dark alike, and near the full
    # reading (10 grey levels apart on average, measured; a digit misplaced or
    # inverted is about a hundred).
    inverted = np.array([to_mnist_format(255 - picture) for picture in pictures])
    np.testing.assert_array_equal(inverted, short)
    assert np.abs(short.astype(int) - full).mean() < 20


def test_tiny_digits_that_touch_their_edges_are_sharpened_too():
    from sklearn.datasets import load_digits

    # The 8x8 arrays as load_digits gives them: ink on the ring, so the page is read.
    pictures = [255 - image * 15 for image in load_digits().images[:40]]
    at_half, at_peak = ink_shares([to_mnist_format(picture) for picture in pictures])
    assert at_half > 0.65
    assert at_peak > 0.4


# Seven of scikit-learn's 8x8 digits, enlarged to 64x64 as they are (light on dark,
# touching their frame), that the reading of 2026-12-03 found no digit in.
RAISED = [459, 786, 1025, 1082, 1487, 1493, 1667]


def test_load_digits_that_touch_their_frame_are_read():
    from sklearn.datasets import load_digits

    images = load_digits().images[RAISED]
    for image in images:
        small = Image.fromarray((image * 255 / 16).astype(np.uint8))
        big = np.asarray(small.resize((64, 64), Image.BILINEAR))
        tight = to_mnist_format(big).reshape(28, 28)
        margin = to_mnist_format(np.pad(big, 16)).reshape(28, 28)
        rows = np.flatnonzero(tight.max(axis=1) >= 0.15 * 255)
        cols = np.flatnonzero(tight.max(axis=0) >= 0.15 * 255)
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 >= 19  # the whole box
        assert np.abs(tight.astype(int) - margin).mean() < 12


def test_no_digit_messages_read_right():
    with pytest.raises(ValueError, match=r"the image is blank \(all its pixels have the same"):
        to_mnist_format(np.full((60, 60), 200, np.uint8))
    noise = np.random.default_rng(0).integers(0, 256, (120, 120)).astype(np.uint8)
    with pytest.raises(ValueError, match="no digit found") as caught:
        to_mnist_format(noise)
    # The figure it gives is below the bar it names, never above.
    figures = re.findall(r"differ by ([\d.]+).*more than ([\d.]+)", str(caught.value))
    found, needed = (float(x) for x in figures[0])
    assert found < needed


# -- other pens and other hands ----------------------------------------------------------


@pytest.fixture(scope="module")
def writers_model(fitted_on_sample):
    """The SVM that ``mnistkit train`` makes, fitted on the sample."""
    return fitted_on_sample(augment="writers")


# Digits as a drawing pad or a tablet records them: a few straight strokes, in a
# 100 x 100 box (x, y).
POLYLINES = {
    0: [(50, 5), (78, 15), (90, 50), (78, 85), (50, 95), (22, 85), (10, 50), (22, 15), (50, 5)],
    1: [(35, 20), (55, 5), (55, 95)],
    2: [(15, 25), (35, 6), (65, 6), (82, 26), (72, 50), (15, 94), (88, 94)],
    3: [(15, 12), (75, 10), (45, 45), (80, 65), (70, 90), (15, 92)],
    4: [(65, 95), (65, 5), (10, 65), (88, 65)],
    7: [(10, 8), (88, 8), (40, 95)],
}


def drawn(points, width, side=280, box=200):
    """A polyline drawn black on a white pad, anti-aliased (drawn 4x and reduced)."""
    pad = Image.new("L", (4 * side, 4 * side), 255)
    offset = (side - box) / 2
    scaled = [(4 * (offset + x * box / 100), 4 * (offset + y * box / 100)) for x, y in points]
    ImageDraw.Draw(pad).line(scaled, fill=0, width=4 * width, joint="curve")
    return np.asarray(pad.reduce(4))


def cropped_tight(picture):
    ink = picture < 250
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return picture[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


@pytest.mark.parametrize("width", [1, 3, 16])
@pytest.mark.parametrize("crop", ["margin", "tight"])
def test_digits_drawn_with_a_few_strokes_are_read(width, crop, writers_model):
    # A one-pixel mouse line, a ballpoint, a finger on a drawing pad.
    wrong = []
    for label, points in POLYLINES.items():
        picture = drawn(points, width)
        if crop == "tight":
            picture = cropped_tight(picture)
        predicted = writers_model.predict(to_mnist_format(picture)[None])[0]
        if predicted != label:
            wrong.append((label, int(predicted)))
    # Drawn with a finger, the one with its flag lies on the border of the sevens
    # for a model of the 2,000-image sample: which side depends on the random
    # copies (read as 7 with random_state 0 and 1, as 1 with 2 and 3). Thinner
    # lines are widened to MNIST's stroke, and read as the finger's is.
    allowed = [(1, 7)]
    assert set(wrong) <= set(allowed), wrong


def test_digits_written_with_a_marker_are_read(digits, writers_model):
    # Strokes about three times MNIST's width, cropped tight.
    images, labels = digits
    radius = 6  # pixels of the 4x enlargement: 1.5 of MNIST's on each side
    rows, cols = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    pen = rows * rows + cols * cols <= radius * radius
    right = 0
    for image, label in zip(images, labels, strict=True):
        ink = ndimage.binary_dilation(np.kron(image, np.ones((4, 4))) >= 128, pen)
        picture = cropped_tight(np.where(ink, 0, 255).astype(np.uint8))
        right += writers_model.predict(to_mnist_format(picture)[None])[0] == label
    assert right >= 7  # of 8


# -- ruled and squared paper -----------------------------------------------------------


# -- a sheet of paper on a desk ---------------------------------------------------------


def on_a_desk(picture, *, share=0.5, sheet=245.0, desk=70.0, angle=0.0, off_edge=False,
              seed=0):
    """A dark-on-white picture as a sheet of paper of shade ``sheet``, ``share`` of the
    photo's height, lying on a desk of shade ``desk`` with a grain, turned ``angle``
    degrees, in the middle of the photo or running off its right edge; a photo's blur
    and noise."""
    paper = picture / 255.0 * sheet
    turned = ndimage.rotate(paper, angle, order=1, cval=-1.0)
    on_sheet = turned >= 0
    height = round(paper.shape[0] / share)
    width = round(height * 4 / 3)
    rows, cols = np.mgrid[0:height, 0:width]
    photo = desk * (1 + 0.15 * np.sin(cols / 23 + rows / 300))
    top = (height - turned.shape[0]) // 2
    # Off the edge: an eighth of the sheet, short of the digit.
    left = width - 7 * turned.shape[1] // 8 if off_edge else (width - turned.shape[1]) // 2
    seen = photo[top : top + turned.shape[0], left:]
    shown = (slice(0, seen.shape[0]), slice(0, min(seen.shape[1], turned.shape[1])))
    seen[shown] = np.where(on_sheet[shown], turned[shown], seen[shown])
    photo = ndimage.gaussian_filter(photo, 1.0)
    photo += np.random.default_rng(seed).normal(0, 4, photo.shape)
    return np.clip(photo, 0, 255).astype(np.uint8)


ON_A_DESK = {
    "a white sheet": {},
    "a small yellow note, turned": {"share": 0.3, "sheet": 225.0, "desk": 90.0, "angle": 7.0},
    "a sheet filling most of the photo": {"share": 0.85, "angle": -4.0},
    "a sheet running off the photo": {"off_edge": True},
}


@pytest.mark.parametrize("desk", ON_A_DESK)
def test_a_digit_on_a_sheet_lying_on_a_desk_is_read(desk, model):
    # The photo's outer ring is the desk, which was taken for the paper: the light
    # sheet was read as the ink, the digit as a hole in it (a square with a digit in
    # it). The picture is cut to the sheet.
    kind = ON_A_DESK[desk]
    written = [drawn(points, 3) for points in POLYLINES.values()]
    # The same sheet, turned as it lies, alone.
    plain = np.array([to_mnist_format(ndimage.rotate(w, kind.get("angle", 0.0), order=1,
                                                     cval=255.0)) for w in written])
    desk = np.array([to_mnist_format(on_a_desk(w, **kind)) for w in written])
    assert (np.abs(desk - plain.astype(float)) / 255).mean() < 0.05
    np.testing.assert_array_equal(model.predict(desk), model.predict(plain))


# Chalk digits, light on a dark board: (the polyline, the stroke's width).
CHALK = {label: (points, 24) for label, points in POLYLINES.items()}
# Its loop a small hole in broad strokes, as thin as a sheet's marks: told by its
# outline, far from a sheet's straight edges.
CHALK["9, its loop nearly closed"] = ([(72, 32), (50, 12), (28, 32), (50, 52), (72, 32),
                                       (72, 95)], 40)


@pytest.mark.parametrize("digit", CHALK)
def test_light_strokes_on_a_dark_board_are_no_sheet(digit):
    # Chalk: the light is the digit, its loops dark holes as broad as its strokes or
    # broader, or no holes at all; a thick stroke is broad, but not as a sheet is.
    chalk = 255 - drawn(*CHALK[digit])
    picture, origin = cut_to_sheet(chalk.astype(float))
    assert origin == (0, 0)
    assert picture.shape == chalk.shape


def test_light_on_a_board_lit_from_one_side_is_no_sheet():
    # The lit half of the board is a broad light region, all but rectangular (the
    # picture's edges cut it), holding the digit's strokes: told from paper by its
    # shades, which run from the board's dark to its light, where a desk and a sheet
    # are two shades apart.
    images = load_sample(subset="test").images[:60]
    rows, cols = np.mgrid[0:300, 0:300] / 300
    found = []
    for k, image in enumerate(images):
        ink = np.zeros((300, 300))
        ink[66:234, 66:234] = np.clip(ndimage.zoom(image / 255.0, 6, order=3), 0, 1)
        for angle in (0.0, np.pi / 2, np.pi / 4, 1.0):
            ramp = np.cos(angle) * cols + np.sin(angle) * rows
            light = 1 - 0.65 * (ramp - ramp.min()) / np.ptp(ramp)
            paper = ndimage.gaussian_filter(230 * light * (1 - 0.85 * ink), 1.0)
            paper += np.random.default_rng(k).normal(0, 3, paper.shape)
            board = 255 - 0.9 * np.clip(paper, 0, 255)
            if cut_to_sheet(board)[1] != (0, 0):
                found.append((k, angle))
    assert found == []


def test_a_number_on_a_note_is_boxed_where_it_is_in_the_photo(digits, model):
    images, labels = digits
    ink = np.pad(strip(images[:3], [4, 4]), 12)
    note = 255 - np.round(np.kron(ink, np.ones((6, 6))) * 255).astype(np.uint8)
    photo = on_a_desk(note, share=0.4, desk=60.0)
    reading = read_number(photo, model=model)
    np.testing.assert_array_equal(reading.digits, labels[:3])
    # Each box holds the dark ink of its digit in the photo, the desk's grain aside.
    for top, left, bottom, right in reading.boxes:
        assert photo[top:bottom, left:right].min() < 80
        assert top > 0.2 * photo.shape[0]
        assert bottom < 0.8 * photo.shape[0]


def on_ruled_paper(picture, *, line=180, spacing=70, offset=35, angle=0.0, down=(),
                   seed=0, photo=False):
    """A dark-on-white picture written on ruled paper: lines ``line`` grey, 2 pixels
    thick, every ``spacing`` rows (and down at the columns ``down``), the page
    turned ``angle`` degrees, 40 pixels of it above and below the picture and 80
    beside it, a photo's noise; with ``photo``, blurred a little first and saved
    as a JPEG, which leaves a faint line's ink near Otsu's threshold."""
    rows, cols = picture.shape
    page = np.full((rows + 80, cols + 160), 240.0)
    for top in range(offset, page.shape[0], spacing):
        page[top : top + 2] = line
    for left in down:
        page[:, left : left + 2] = line
    if angle:
        page = ndimage.rotate(page, angle, reshape=False, order=1, mode="nearest")
    ink = 1.0 - picture / 255.0
    page[40 : 40 + rows, 80 : 80 + cols] *= 1.0 - 0.88 * ink  # the pen over the lines
    if photo:
        page = ndimage.gaussian_filter(page, 0.8)
    page += np.random.default_rng(seed).normal(0.0, 3.0, page.shape)
    page = np.clip(page, 0, 255).astype(np.uint8)
    if photo:
        saved = io.BytesIO()
        Image.fromarray(page).save(saved, "JPEG", quality=90)
        page = np.asarray(Image.open(saved))
    return page


RULED = {
    "notebook": {},
    "lines through the middle": {"offset": 85},
    "turned 2 degrees": {"angle": 2.0},
    "turned -3 degrees": {"angle": -3.0},
    "margin line": {"down": (30,)},
    "squared": {"down": (20, 90, 160, 230)},
}


@pytest.mark.parametrize("paper", RULED)
def test_a_digit_on_ruled_paper_is_read_as_on_plain_paper(paper, model):
    # Written with a ballpoint, the lines touch and cross the digit: erased, the digit
    # the model sees is the one on plain paper, a pixel's shift aside (before, it was
    # one mark with the lines, dropped as a line or read with a bar through it).
    written = [cropped_tight(drawn(points, 2)) for points in POLYLINES.values()]
    plain = np.array([to_mnist_format(on_ruled_paper(w, line=240)) for w in written])
    ruled = np.array([to_mnist_format(on_ruled_paper(w, **RULED[paper])) for w in written])
    assert (np.abs(ruled - plain.astype(float)) / 255).mean() < 0.06
    np.testing.assert_array_equal(model.predict(ruled), model.predict(plain))


# A page photographed a little turned, cut so that a line runs along the picture's
# top edge: slanted, it leaves the picture through that edge, and the squared
# paper's lines down cut it into dashes as wide as a digit, if it stays.
LINE_ALONG_THE_TOP = {
    "on the edge, turned 1.5 degrees": {"offset": 1, "angle": 1.5},
    "on the edge, turned -3 degrees": {"offset": 1, "angle": -3.0},
    "3 pixels from the edge, turned 3 degrees": {"offset": 3, "angle": 3.0},
    "3 pixels from the edge, straight": {"offset": 3},
}


@pytest.mark.parametrize("paper", LINE_ALONG_THE_TOP)
def test_a_line_along_the_edge_of_squared_paper_is_erased(paper, model):
    # Before, such a line was kept as the bar of a 7 cut out to its ink is: its
    # dashes made a grid of the lines, read as the digit, or too many marks to read.
    written = [cropped_tight(drawn(points, 2)) for points in POLYLINES.values()]
    plain = np.array([to_mnist_format(on_ruled_paper(w, line=240)) for w in written])
    squared = np.array([to_mnist_format(on_ruled_paper(w, down=(20, 90, 160, 230),
                                                       **LINE_ALONG_THE_TOP[paper]))
                        for w in written])
    assert (np.abs(squared - plain.astype(float)) / 255).mean(axis=1).max() < 0.1
    np.testing.assert_array_equal(model.predict(squared), model.predict(plain))


# A stroke written along one of the lines: the lines are still found (before, the
# stroke's ink tilted the line fitted to them, whose band then missed the line).
ALONG_A_LINE = {
    "a 4's crossbar, squared paper turned 3 degrees": (4, {"offset": 5, "angle": 3.0,
                                                          "down": (20, 90, 160, 230)}),
    "a 7's bar, ruled paper turned 2 degrees": (7, {"offset": 45, "angle": 2.0}),
}


@pytest.mark.parametrize("case", ALONG_A_LINE)
def test_a_stroke_along_a_line_leaves_the_lines_found(case, model):
    label, paper = ALONG_A_LINE[case]
    written = cropped_tight(drawn(POLYLINES[label], 2))
    plain = to_mnist_format(on_ruled_paper(written, line=240))
    ruled = to_mnist_format(on_ruled_paper(written, **paper))
    assert (np.abs(ruled - plain.astype(float)) / 255).mean() < 0.1
    assert model.predict(ruled[None])[0] == model.predict(plain[None])[0]


@pytest.mark.parametrize(("label", "offset"), [(1, 60), (3, 60), (7, 35), (7, 60)])
def test_a_faint_line_joined_to_a_stroke_is_erased(label, offset, model):
    # Photographed, a faint line's ink lies near Otsu's threshold: the mask holds it
    # in pieces, and whole only where the hysteresis followed it from a stroke that
    # touches it. The lines are found in the faint ink (before, none ran edge to
    # edge, and the piece joined to the digit was read as a stroke of it).
    written = cropped_tight(drawn(POLYLINES[label], 3))
    plain = to_mnist_format(on_ruled_paper(written, line=240, photo=True))
    ruled = to_mnist_format(on_ruled_paper(written, offset=offset, photo=True))
    assert (np.abs(ruled - plain.astype(float)) / 255).mean() < 0.03
    assert model.predict(ruled[None])[0] == model.predict(plain[None])[0]


# A 1 written ``gap`` pixels beside one of squared paper's lines down, on a page
# turned ``angle`` degrees, photographed or not.
BESIDE_A_LINE = {
    "1 pixel": (1, 0.0, False),
    "3 pixels": (3, 0.0, False),
    "2 pixels, turned 2 degrees": (2, 2.0, False),
    "8 pixels, turned -3 degrees": (8, -3.0, False),
    "6 pixels, photographed": (6, 0.0, True),
    "3 pixels, photographed, turned 2 degrees": (3, 2.0, True),
}


@pytest.mark.parametrize("case", BESIDE_A_LINE)
def test_a_stroke_close_beside_a_line_down_is_kept(case, model):
    # The 1 runs along most of the line: where they lie close, they are one candidate
    # line, too thick for one, and the line's band and strength take in the stroke.
    # The line is seen near the picture's sides, where the digit keeps clear
    # (before, close beside it, the 1 was erased with the line or broken at the
    # lines across; further, the line was not found and the grid was read).
    gap, angle, photo = BESIDE_A_LINE[case]
    written = cropped_tight(drawn([(55, 5), (55, 95)], 2))
    beside = 80 + written.shape[1] + gap  # the page's column just right of the 1
    plain = to_mnist_format(on_ruled_paper(written, line=240, photo=photo))
    squared = to_mnist_format(on_ruled_paper(written, angle=angle, photo=photo,
                                             down=(20, beside, beside + 70)))
    # The stroke whole: where the line's band reaches it, its grey edge may go.
    assert (np.abs(squared - plain.astype(float)) / 255).mean() < 0.035
    assert model.predict(squared[None])[0] == model.predict(plain[None])[0]


def photographed_on_grey_lines(label, top, line):
    """A digit drawn 2 pixels wide with a pencil's grey (60) on a page of grey ruled
    lines ``line`` 40 pixels apart, ``top`` pixels down, a little blurred, as a JPEG."""
    ink = 1.0 - drawn(POLYLINES[label], 2, side=200, box=150) / 255.0
    page = 250.0 + np.random.default_rng(0).normal(0.0, 3.0, (360, 420))
    for row in range(15, 360, 40):
        page[row : row + 2] = line
    written = page[60 + top : 260 + top, 110:310]
    written[:] = written * (1.0 - 0.95 * ink) + 60 * 0.95 * ink
    photo = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(0.6))
    saved = io.BytesIO()
    photo.save(saved, "JPEG", quality=88)
    return np.asarray(Image.open(saved))


# Lines as strong as the pencil are one ink with it (the strokes along them go too),
# lighter ones are told from it: how many of the 24 pictures are read at least, and
# read as on plain paper.
GREY_LINES = {120: (20, 12), 150: (24, 22)}


@pytest.mark.parametrize("line", GREY_LINES)
def test_pencil_on_grey_lines_in_a_large_photo_is_read(line, model):
    # The picture's smoothing widens the lines' mask to several times their width:
    # their strength is measured on their ridge, not on most of their band, whose
    # grey edges stood for it (before, lines nearly as strong as the pencil were taken
    # for far weaker ones, kept where the pen's ink was, and the picture was refused).
    read = same = 0
    for label in POLYLINES:
        for top in (0, 10, 20, 30):
            plain = to_mnist_format(photographed_on_grey_lines(label, top, 250))
            try:
                ruled = to_mnist_format(photographed_on_grey_lines(label, top, line))
            except NoDigitError:
                continue
            read += 1
            same += model.predict(ruled[None])[0] == model.predict(plain[None])[0]
    least_read, least_same = GREY_LINES[line]
    assert read >= least_read
    assert same >= least_same


def test_lines_as_dark_as_the_pen_are_erased_but_where_strokes_cross(model):
    # Pen and line are one ink: a stroke that runs along a line goes with it (the bar
    # of a 7 drawn on the line), but the strokes that cross the lines stay.
    written = [cropped_tight(drawn(points, 2)) for points in POLYLINES.values()]
    plain = model.predict([to_mnist_format(on_ruled_paper(w, line=240)) for w in written])
    dark = model.predict([to_mnist_format(on_ruled_paper(w, line=40)) for w in written])
    assert (dark == plain).sum() >= 4  # of 6


@pytest.mark.parametrize("down", [(), (60, 150)], ids=["ruled", "squared"])
def test_a_digit_among_lines_as_dark_as_the_pen_is_no_shadow(down):
    # The lines erased round the digit are as dark as its ink, but no paper: the
    # digit is not taken for the soft edge of a shadow that its paper matches.
    X, _ = load_sample(return_X_y=True)
    for k in (4, 8, 20, 29):
        big = ndimage.zoom(X[k].reshape(28, 28).astype(float), 4, order=1)
        written = (255 - np.clip(big, 0, 255)).astype(np.uint8)
        for line, spacing in ((40, 40), (40, 30), (80, 25)):
            to_mnist_format(on_ruled_paper(written, line=line, spacing=spacing,
                                           offset=spacing // 2, down=down))


def test_a_small_digit_on_faint_squared_paper_is_no_blank_page(model):
    # Most of the ink is the grid's, which takes about 13% of the paper's light: a
    # page of it alone is blank, but a 1 written on it with a ballpoint taking half
    # the light is not (before, the grid's faint ink stood for all of the picture's,
    # and the 1 was turned down with the page).
    written = cropped_tight(drawn(POLYLINES[1], 2, side=70, box=50))
    written = np.round(255 - 0.6 * (255 - written.astype(float))).astype(np.uint8)
    plain = to_mnist_format(on_ruled_paper(written, line=240))
    grid = {"line": 212, "spacing": 20, "offset": 7, "down": range(0, 300, 20)}
    squared = to_mnist_format(on_ruled_paper(written, **grid))
    assert (np.abs(squared - plain.astype(float)) / 255).mean() < 0.06
    assert model.predict(squared[None])[0] == model.predict(plain[None])[0]
    with pytest.raises(NoDigitError, match="blank or nearly so"):
        to_mnist_format(on_ruled_paper(np.full(written.shape, 255, np.uint8), **grid))


@pytest.mark.parametrize("length", [1, 3, 8])
def test_long_runs_are_the_runs_of_a_row_at_least_so_long(length):
    rng = np.random.default_rng(length)
    mask = rng.random((40, 30)) < 0.8  # runs of every length, some along a whole row
    mask[5] = True
    expected = np.zeros_like(mask)
    for row, values in enumerate(mask):
        start = None
        for col, value in enumerate([*values, False]):
            if value and start is None:
                start = col
            elif not value and start is not None:
                expected[row, start:col] = col - start >= length
                start = None
    assert 0 < expected.sum() < mask.sum() or length == 1
    np.testing.assert_array_equal(_long_runs(mask, length), expected)
    assert not _long_runs(np.zeros((4, 5), bool), length).any()


def test_ruled_paper_without_a_digit_is_no_digit():
    with pytest.raises(NoDigitError, match="none shaped like a digit"):
        to_mnist_format(on_ruled_paper(np.full((110, 80), 255, np.uint8), down=(30,)))


def test_a_digit_on_ruled_paper_cropped_to_it_keeps_its_strokes():
    # Cut out to the digit, the lines run no further than its strokes, which reach the
    # edges as the lines do: no line is told from a stroke, none is erased.
    for label in (1, 4, 7):
        written = cropped_tight(drawn(POLYLINES[label], 2))
        rows, cols = written.shape
        for offset in range(0, 70, 10):
            picture = on_ruled_paper(written, offset=offset)[40 : 40 + rows, 80 : 80 + cols]
            ink = _page.find_ink(picture.astype(float))
            assert erase_ruled_lines(ink) is ink, (label, offset)


@pytest.mark.parametrize("label", [4, 7])
def test_straight_strokes_cropped_to_the_digit_are_no_ruled_lines(label):
    # A 7's bar and a 4's crossbar run edge to edge of a picture cropped to them,
    # as a ruled line does: they are the digit's, whatever the pen.
    for width in (3, 12):
        picture = cropped_tight(drawn(POLYLINES[label], width))
        ink = _page.find_ink(picture.astype(float))
        assert erase_ruled_lines(ink) is ink
