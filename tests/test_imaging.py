"""Tests of to_mnist_format and read_digit_image: MNIST's own preprocessing, repeated."""

import io
import warnings

import matplotlib
import numpy as np
import pytest
from scipy import ndimage

from mnistkit import NoDigitError, load_sample
from mnistkit.imaging import read_digit_image, to_mnist_format

from .test_imaging_real import drawn

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def digits():
    sample = load_sample(subset="test")
    return sample.images[:60], sample.target[:60]


@pytest.fixture(scope="module")
def classifier(fitted_on_sample):
    return fitted_on_sample(backend="svc")


def centre_of_mass(pixels):
    image = pixels.reshape(28, 28).astype(float)
    rows, cols = np.indices(image.shape)
    return (image * rows).sum() / image.sum(), (image * cols).sum() / image.sum()


def bounding_box(pixels, threshold=0):
    ink = pixels.reshape(28, 28) > threshold
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def enlarge(image, factor_rows, factor_cols):
    return np.kron(image, np.ones((factor_rows, factor_cols), dtype=image.dtype))


# Each transformation gives a picture of the same digit, as a user might have it.
TRANSFORMS = {
    "as is": lambda im: im,
    "inverted": lambda im: 255 - im,
    "padded off-centre": lambda im: np.pad(im, ((3, 40), (25, 2))),
    "inverted, padded, enlarged x5": lambda im: np.pad(
        255 - enlarge(im, 5, 5), ((20, 60), (10, 30)), constant_values=255
    ),
    "stretched, floats in [0, 1]": lambda im: enlarge(im, 7, 4) / 255.0,
    "shrunk to 14x14": lambda im: im[::2, ::2],
    "RGB, dark on light": lambda im: np.stack([255 - im] * 3, axis=-1),
    "RGBA, ink on transparent": lambda im: np.dstack(
        [np.zeros((*im.shape, 3), dtype=np.uint8), im]
    ),
    # A drawing app's dark canvas saved transparent: white strokes, white
    # transparent pixels, the digit only in the alpha channel.
    "RGBA, white ink on transparent white": lambda im: np.dstack(
        [np.full((*im.shape, 3), 255, dtype=np.uint8), im]
    ),
    "grey paper, grey ink, 16-bit": lambda im: (
        (50000 - im.astype(np.uint16) * 120).astype(np.uint16)
    ),
}


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transformed_digits_are_recognised(name, digits, classifier):
    images, labels = digits
    pixels = np.array([to_mnist_format(TRANSFORMS[name](image)) for image in images])
    assert pixels.shape == (len(images), 784)
    assert pixels.dtype == np.uint8
    reference = classifier.score(images.reshape(len(images), -1), labels)
    assert classifier.score(pixels, labels) >= reference - 0.05


@pytest.mark.parametrize("name", ["as is", "inverted", "padded off-centre",
                                  "inverted, padded, enlarged x5", "RGB, dark on light"])
def test_exact_transformations_give_back_the_original(name, digits):
    # Padding, inverting and enlarging by a whole factor lose nothing, and MNIST's
    # digits are already in MNIST's format: the pixels come back almost unchanged.
    images, _ = digits
    for image in images[:20]:
        pixels = to_mnist_format(TRANSFORMS[name](image))
        difference = np.abs(pixels.astype(int) - image.ravel().astype(int))
        assert difference.mean() < 3


def test_centre_of_mass_box_and_range(digits):
    images, _ = digits
    for image in images:
        paper = np.full((300, 200), 240.0)
        paper[40:40 + 28 * 6, 30:30 + 28 * 5] -= enlarge(image.astype(float), 6, 5) * 0.8
        pixels = to_mnist_format(paper)
        row, col = centre_of_mass(pixels)
        assert abs(row - 14) <= 0.5 + 1e-9
        assert abs(col - 14) <= 0.5 + 1e-9
        top, bottom, left, right = bounding_box(pixels)
        assert max(bottom - top, right - left) <= 20
        assert pixels.max() == 255


@pytest.mark.parametrize("factor", [3, 6])
def test_a_tiny_picture_enlarged_by_repeating_pixels_reads_as_itself(digits, factor):
    # A paint program's zoom, or np.kron, repeats each pixel: the reading sees the
    # picture's own pixels, not the staircases of their blocks.
    from PIL import Image

    images, _ = digits
    for image in images[:10]:
        small = 255 - np.asarray(Image.fromarray(image).resize((10, 10), Image.Resampling.BOX))
        np.testing.assert_array_equal(to_mnist_format(enlarge(small, factor, factor)),
                                      to_mnist_format(small))
    # Blocks of another size in each direction, or a whole picture that only looks
    # blocky, are read as they are (no error, no change of proportions).
    assert to_mnist_format(enlarge(small, 4, 2)).any()


def test_larger_side_fills_the_20_pixel_box():
    # A wide hook, 200 pixels wide and 100 high: 20 pixels wide once scaled, 10 high.
    image = np.zeros((300, 400))
    image[100:120, 100:300] = 1.0
    image[100:200, 280:300] = 1.0
    pixels = to_mnist_format(image).reshape(28, 28)
    top, bottom, left, right = bounding_box(pixels.ravel(), threshold=127)
    assert right - left == 20
    assert 9 <= bottom - top <= 11
    assert centre_of_mass(pixels.ravel()) == pytest.approx((14, 14), abs=0.5)


def test_polarity_from_the_border():
    # The same shape drawn both ways gives the same MNIST image.
    shape = np.zeros((60, 40))
    shape[10:50, 15:25] = 1.0
    light_on_dark = to_mnist_format(shape)
    dark_on_light = to_mnist_format(1.0 - shape)
    np.testing.assert_array_equal(light_on_dark, dark_on_light)
    assert light_on_dark.reshape(28, 28)[0, 0] == 0


@pytest.mark.parametrize(
    "image",
    [np.zeros((28, 28)), np.full((50, 30), 255, dtype=np.uint8), np.ones((5, 5, 3))],
    ids=["black", "white", "grey RGB"],
)
def test_blank_image(image):
    with pytest.raises(ValueError, match="no digit found: the image is blank"):
        to_mnist_format(image)


@pytest.mark.parametrize(
    ("image", "match"),
    [
        (np.zeros((2, 3, 5)), "2-D greyscale array or a 3-D RGB or RGBA"),
        (np.zeros(10), "2-D greyscale array or a 3-D RGB or RGBA"),
        (np.array([["a", "b"]]), "must hold numbers"),
        (np.array([[0.0, np.nan]]), "NaN or infinite"),
    ],
)
def test_invalid_arrays(image, match):
    with pytest.raises(ValueError, match=match):
        to_mnist_format(image)


def test_read_png_and_jpeg(tmp_path, digits, classifier):
    import matplotlib.pyplot as plt
    from PIL import Image

    images, labels = digits
    read = []
    for k, image in enumerate(images[:20]):
        picture = 255 - enlarge(image, 8, 8)
        if k % 2:
            path = tmp_path / f"{k}.jpg"
            Image.fromarray(picture).save(path, quality=90)
        else:
            path = tmp_path / f"{k}.png"
            plt.imsave(path, picture, cmap="gray", vmin=0, vmax=255)
        read.append(read_digit_image(path))
    assert classifier.score(np.array(read), labels[:20]) >= 0.9


def test_a_file_in_memory_reads_as_its_path(tmp_path, digits):
    from PIL import Image

    path = tmp_path / "digit.png"
    Image.fromarray(255 - enlarge(digits[0][3], 4, 4)).quantize(8).save(path)  # palette
    expected = read_digit_image(path)
    with Image.open(path) as opened:
        assert opened.mode == "P"
        sources = {"bytes": path.read_bytes(), "bytearray": bytearray(path.read_bytes()),
                   "BytesIO": io.BytesIO(path.read_bytes()), "PIL image": opened}
        with path.open("rb") as file:
            sources["open file"] = file
            for name, source in sources.items():
                np.testing.assert_array_equal(read_digit_image(source), expected, err_msg=name)
            assert not file.closed
        opened.getpixel((0, 0))  # the caller's image is left open
    blank = io.BytesIO()
    Image.new("L", (30, 30), 255).save(blank, format="PNG")
    with pytest.raises(NoDigitError, match=r"^the picture in memory: no digit found"):
        read_digit_image(blank.getvalue())
    with Image.open(blank) as image, pytest.raises(NoDigitError, match=r"^the picture in "
                                                   r"memory: no digit"):
        read_digit_image(image)
    # A file read once is at its end; a text-mode file, a closed one, a damaged image
    # and a file's contents in a str get short errors in the words of files.
    with path.open("rb") as file:
        read_digit_image(file)
        with pytest.raises(ValueError, match=r"digit\.png has nothing left to read .*seek\(0\)"):
            read_digit_image(file)
    with path.open() as text, pytest.raises(TypeError, match=r"is open as text"):
        read_digit_image(text)
    with pytest.raises(ValueError, match=r"digit\.png cannot be read: .*closed file"):
        read_digit_image(file)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with Image.open(truncated) as damaged, pytest.raises(
            ValueError, match=r"truncated\.png is not an image that can be read"):
        read_digit_image(damaged)
    with pytest.raises(ValueError, match=r"got a string of [\d,]+ characters that is no file "
                       r"name") as caught:
        read_digit_image(path.read_bytes().decode("latin-1"))
    assert len(str(caught.value)) < 200
    # An image Pillow opened from a file is named by the file.
    blank_file = tmp_path / "blank.png"
    blank_file.write_bytes(blank.getvalue())
    with Image.open(blank_file) as image, pytest.raises(NoDigitError, match=r"blank\.png: no"):
        read_digit_image(image)


def test_a_file_of_several_pictures_is_read_from_its_first(tmp_path):
    from PIL import Image

    images, _ = load_sample(return_X_y=True)
    frames = [Image.fromarray(255 - image.reshape(28, 28)).resize((84, 84))
              for image in images[:3]]
    path = tmp_path / "pages.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    with pytest.warns(UserWarning, match=r"pages\.tiff holds several pictures .* only the first"):
        pixels = read_digit_image(path)
    assert (pixels == read_digit_image(_png_bytes(frames[0]))).all()
    assert (pixels != read_digit_image(_png_bytes(frames[1]))).any()


def test_a_damaged_second_picture_leaves_the_first_read():
    from PIL import Image

    images, _ = load_sample(return_X_y=True)
    frames = [Image.fromarray(255 - image.reshape(28, 28)).resize((84, 84))
              for image in images[:2]]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    animation = buffer.getvalue()
    first = read_digit_image(_png_bytes(frames[0]))
    # The animation cut short at many places: where the first picture is whole and
    # the second damaged, Pillow's look ahead for a second picture fails; the first
    # is still read, as it is. Elsewhere the file is read whole or refused as damaged.
    damaged_second = 0
    for end in range(len(animation) - 1, 0, -17):
        cut = animation[:end]
        try:
            with warnings.catch_warnings():
                # A whole animation is read with a warning that only its first
                # picture is (the test above).
                warnings.filterwarnings("ignore", ".* holds several pictures")
                pixels = read_digit_image(cut)
        except ValueError:
            continue  # the first picture damaged: refused, in the domain's words
        with Image.open(io.BytesIO(cut)) as image:
            try:
                image.is_animated  # noqa: B018 -- the look ahead itself
            except Exception:
                damaged_second += 1
        assert (pixels == first).all()
    assert damaged_second > 0


def _png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_read_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no image file at"):
        read_digit_image(tmp_path / "missing.png")
    with pytest.raises(IsADirectoryError, match=r"is a folder, not an image file: give "
                       r"the image files in it \(for example .*\*\.png\)"):
        read_digit_image(tmp_path)
    # Damaged bytes, as a web upload may give them: a short error, not the bytes echoed.
    for in_memory in (b"\xff\xd8" + bytes(100_000), io.BytesIO(b"\x89PNG")):
        with pytest.raises(ValueError, match=r"^the picture in memory is not an image "
                           r"file that can be read") as caught:
            read_digit_image(in_memory)
        assert len(str(caught.value)) < 300
    with pytest.raises(TypeError, match=r"expected an image file .* got list"):
        read_digit_image([[0, 255], [255, 0]])
    (tmp_path / "notes.txt").write_text("a digit")
    with (tmp_path / "notes.txt").open() as text, pytest.raises(
            TypeError, match=r"notes\.txt is open as text: open an image file in binary"):
        read_digit_image(text)
    # A save or a download that wrote nothing: said so, not "cannot be read".
    (tmp_path / "unsaved.png").write_bytes(b"")
    for empty, name in ((tmp_path / "unsaved.png", "unsaved.png"), (b"", "the picture in memory")):
        with pytest.raises(ValueError, match=rf"{name}\b.* is empty \(0 bytes\): not an image"):
            read_digit_image(empty)
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("not an image")
    with pytest.raises(ValueError, match=r"notes\.png is not an image file"):
        read_digit_image(not_an_image)
    blank = tmp_path / "blank.png"
    import matplotlib.pyplot as plt

    plt.imsave(blank, np.ones((20, 20)), cmap="gray")
    with pytest.raises(ValueError, match=r"blank\.png: no digit found"):
        read_digit_image(blank)


# -- slivers along an edge, and the margin of a re-read ------------------------------


def _mask_with(*boxes, shape=(100, 120)):
    mask = np.zeros(shape, dtype=bool)
    for top, bottom, left, right in boxes:
        mask[top:bottom, left:right] = True
    return mask


def test_a_line_down_the_page_with_the_stubs_of_lines_across_is_a_line():
    from mnistkit.imaging._marks import candidate_marks, find_marks

    # A notebook's margin line, with a few pixels of each fainter ruled line that
    # crosses it: its box is as wide as the stubs, its trunk a ruled line's.
    shape = (200, 160)
    stubs = [(top, top + 2, 12 + 10 * (top % 3 == 0), 58 - 10 * (top % 7 == 0)) for top in
             range(10, 200, 20)]
    _, marks = find_marks(_mask_with((0, 200, 30, 36), *stubs, shape=shape))
    assert len(marks) == 1
    assert marks[0].width > 0.25 * shape[1]
    assert candidate_marks(marks, shape) == []
    # A "1" down the picture with a flag and a foot keeps its box: it is no line;
    # nor is a mark whose pieces beside its trunk are tall (a digit's loops and
    # bars beside the side of a 0 cut out tight).
    one = ((0, 200, 30, 42), (0, 12, 12, 30), (188, 200, 14, 60))
    teeth = ((0, 200, 30, 36), *((top, top + 22, 36, 72) for top in range(0, 200, 50)))
    for boxes in (one, teeth):
        _, marks = find_marks(_mask_with(*boxes, shape=shape))
        assert candidate_marks(marks, shape) == marks


def test_a_sliver_along_an_edge_alone_is_no_digit():
    from mnistkit.imaging._marks import candidate_marks, find_marks, single_digit

    # A dark band down the left edge, as the shadow of the paper's edge (too
    # short for a ruled line).
    _, marks = find_marks(_mask_with((0, 80, 0, 10)))
    assert marks[0].edges == {"top", "left"}
    assert candidate_marks(marks, (100, 120)) == []
    with pytest.raises(ValueError, match="no digit found"):
        single_digit(marks, (100, 120))
    # A stroke of the same size across the middle is a 1.
    _, marks = find_marks(_mask_with((0, 80, 56, 66)))
    assert [mark.label for mark in single_digit(marks, (100, 120))] == [1]


def test_a_band_all_along_an_edge_alone_is_no_digit():
    from mnistkit.imaging._marks import candidate_marks, find_marks

    # A shadow over the right third of the picture, top to bottom: thicker than
    # a sliver, but dark all along that edge and not across the picture.
    _, marks = find_marks(_mask_with((0, 100, 80, 120)))
    assert marks[0].lines == {"right"}
    assert candidate_marks(marks, (100, 120)) == []
    # A 1 cut out to its ink lines every edge, and reaches the opposite ones.
    _, marks = find_marks(_mask_with((0, 100, 0, 20), shape=(100, 20)))
    assert marks[0].lines == {"top", "bottom", "left", "right"}
    assert candidate_marks(marks, (100, 20)) == marks
    # A typeset 2 cut out to its ink: its bar lines the bottom edge, and its faint
    # top falls a pixel short of the top one; it reaches across all the same.
    _, marks = find_marks(_mask_with((88, 100, 0, 120), (1, 88, 50, 70)))
    assert marks[0].lines == {"bottom"}
    assert "top" not in marks[0].edges
    assert candidate_marks(marks, (100, 120)) == marks


def _pale_and_soft_beside_a_stroke(piece):
    """A mask and ink level: a dark, sharp stroke, and beside it a pale mark of a
    digit's size, ``"soft"`` (a shadow's bulge) or ``"sharp"`` (a faint piece of pen)."""
    level = np.zeros((100, 120))
    level[30:70, 20:40] = 1.0
    if piece == "soft":
        disk = np.hypot(*np.mgrid[-50:50, -60:60]) < 18
        level += 0.5 * ndimage.gaussian_filter(np.roll(disk, 30, axis=1).astype(float), 5)
    else:
        level[35:65, 75:95] = 0.5
    return level > 0.2, level


@pytest.mark.parametrize(("piece", "kept"), [("soft", 1), ("sharp", 2)])
def test_a_pale_soft_mark_beside_the_digit_is_the_lights(piece, kept):
    from mnistkit.imaging._marks import _without_pale_marks, find_marks

    mask, level = _pale_and_soft_beside_a_stroke(piece)
    _, marks = find_marks(mask)
    assert len(marks) == 2
    assert len(_without_pale_marks(marks, mask.shape, level)) == kept


def test_a_sliver_beside_a_digit_stays_a_candidate():
    from mnistkit.imaging._marks import candidate_marks, find_marks

    # The bar of a 5 cut off by a tight crop, along the top edge, and the rest of it.
    body = [(20, 30, 20, 100), (20, 60, 20, 30), (50, 60, 20, 100), (50, 100, 90, 100),
            (90, 100, 20, 100)]
    _, marks = find_marks(_mask_with((0, 6, 20, 70), *body))
    assert len(candidate_marks(marks, (100, 120))) == 2


def test_ink_in_the_margin_is_not_in_the_picture():
    from mnistkit.imaging._marks import find_marks

    # A 10-pixel margin: one mark wholly in it, one reaching into it from the picture.
    mask = _mask_with((0, 5, 30, 60), (8, 40, 50, 70), shape=(120, 140))
    _, marks = find_marks(mask, margin=10)
    assert len(marks) == 1
    (mark,) = marks
    assert (mark.top, mark.bottom, mark.left, mark.right) == (10, 40, 50, 70)
    assert mark.edges == {"top"}


# Faces drawn with a pen 6 pixels wide on a 300x300 page: their outline, then
# the features inside it, as ImageDraw calls (name, box, extra arguments).
FACES = {
    # The outline goes as a frame: two eyes and a mouth stay, apart, each the
    # size of a digit.
    "ring eyes, arc mouth": [("ellipse", [30, 30, 270, 270], {}),
                             ("ellipse", [90, 70, 130, 110], {}),
                             ("ellipse", [170, 70, 210, 110], {}),
                             ("arc", [110, 120, 190, 220], {"start": 0, "end": 180})],
    # A dot, a wink and a small mouth: each under half the size of the largest
    # feature, but two of them inside the frame.
    "small features": [("ellipse", [40, 30, 260, 280], {}),
                       ("dot", [100, 100, 118, 118], {}),
                       ("arc", [170, 95, 205, 125], {"start": 200, "end": 340}),
                       ("ellipse", [130, 180, 160, 225], {})],
    # Eyes shaped like a 0, and a mouth too wide to be a digit: a mark apart
    # all the same.
    "zero eyes, wide mouth": [("ellipse", [40, 20, 260, 290], {}),
                              ("ellipse", [85, 90, 125, 140], {}),
                              ("ellipse", [175, 90, 215, 140], {}),
                              ("arc", [80, 150, 220, 220], {"start": 20, "end": 160})],
}


def _face(path, strokes):
    from PIL import Image, ImageDraw

    picture = Image.new("L", (300, 300), 255)
    draw = ImageDraw.Draw(picture)
    for name, box, extra in strokes:
        if name == "dot":
            draw.ellipse(box, fill=0)
        elif name == "arc":
            draw.arc(box, fill=0, width=6, **extra)
        else:
            draw.ellipse(box, outline=0, width=6)
    picture.save(path)
    return path


@pytest.mark.parametrize("face", list(FACES))
def test_a_drawn_face_is_no_digit(face, tmp_path):
    from mnistkit import NoDigitError

    with pytest.raises(NoDigitError, match="separate marks"):
        read_digit_image(_face(tmp_path / "face.png", FACES[face]))


def _ring_with_dots(path, dots, width=3):
    """A ring drawn with a thin pen on a 300x300 page, small dots inside it."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (300, 300), 255)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([60, 40, 240, 260], outline=0, width=width)
    for row, col in dots:
        draw.ellipse([col - 4, row - 4, col + 4, row + 4], fill=0)
    picture.save(path)
    return path


def test_marks_inside_the_outline_of_the_largest_make_a_drawing(tmp_path):
    # Eyes too small to be a digit's rivals, inside a head drawn with a thin pen:
    # near enough to be its pieces, but a digit's loops hold nothing.
    with pytest.raises(NoDigitError, match="closes round 2 others"):
        read_digit_image(_ring_with_dots(tmp_path / "face.png", [(110, 115), (110, 185)]))
    # One dot inside is a dotted zero.
    pixels = read_digit_image(_ring_with_dots(tmp_path / "zero.png", [(150, 150)]))
    assert pixels.reshape(28, 28)[14, 14] > 64  # the dot kept


def test_a_digit_in_a_box_with_a_stray_mark_is_still_read():
    from mnistkit.imaging._marks import find_marks, single_digit

    # A form's box, a 1 in it and one stroke apart (a slip of the pen): one rival
    # is not a drawing.
    box = [(5, 8, 5, 115), (92, 95, 5, 115), (5, 95, 5, 8), (5, 95, 112, 115)]
    _, marks = find_marks(_mask_with(*box, (20, 80, 50, 58), (70, 80, 90, 100)))
    assert len(single_digit(marks, (100, 120))) == 1


def test_a_digit_and_one_piece_apart_is_still_read():
    from mnistkit.imaging._marks import find_marks, single_digit

    # One more mark apart, much shorter or not level with it: perhaps a piece of
    # the digit; read as before.
    for piece in ((20, 45, 60, 70), (70, 95, 60, 100)):
        _, marks = find_marks(_mask_with((20, 80, 20, 30), piece))
        assert len(single_digit(marks, (100, 120))) == 1, piece


@pytest.mark.parametrize("second", [(20, 80, 80, 90), (25, 75, 80, 84), (22, 78, 60, 66)])
def test_two_digits_side_by_side_are_not_one(second):
    from mnistkit.imaging._marks import find_marks, single_digit

    # A mark level with the digit and about as tall, apart from it, is the next
    # digit of a number ("11", a thin "1" beside a "0", "02"), not a piece of it.
    _, marks = find_marks(_mask_with((20, 80, 20, 30), second))
    with pytest.raises(ValueError, match=r"holds 2 separate marks.*mnistkit predict --number"):
        single_digit(marks, (100, 120))
    _, marks = find_marks(_mask_with((20, 80, 10, 18), (20, 80, 56, 64), (20, 80, 100, 108)))
    with pytest.raises(ValueError, match="separate marks"):
        single_digit(marks, (100, 120))


def test_the_error_of_several_digits_says_how_many(tmp_path):
    from PIL import Image, ImageDraw

    picture = Image.new("L", (400, 200), 255)
    pen = ImageDraw.Draw(picture)
    pen.ellipse((40, 40, 140, 170), outline=0, width=10)
    pen.line([(260, 40), (260, 170)], fill=0, width=10)
    picture.save(tmp_path / "10.png")
    for read, source in ((to_mnist_format, np.asarray(picture)),
                         (read_digit_image, tmp_path / "10.png")):
        with pytest.raises(NoDigitError, match="holds 2 separate marks") as caught:
            read(source)
        assert caught.value.several == 2
    with pytest.raises(NoDigitError) as caught:
        to_mnist_format(np.full((50, 50), 255))
    assert caught.value.several is None


def test_digits_close_together_are_all_counted():
    # "1010" written tight: the digits beside the largest join it as its pieces (the
    # union is still shaped like a digit), and were left out of the count (2, not 4).
    from PIL import Image, ImageDraw

    picture = Image.new("L", (420, 200), 255)
    pen = ImageDraw.Draw(picture)
    for left in (30, 220):
        pen.line([(left, 35), (left, 165)], fill=0, width=10)
        pen.ellipse((left + 30, 35, left + 130, 165), outline=0, width=10)
    with pytest.raises(NoDigitError, match="holds 4 separate marks") as caught:
        to_mnist_format(np.asarray(picture))
    assert caught.value.several == 4


def test_a_piece_that_comes_near_once_others_joined_joins_too():
    from PIL import Image, ImageDraw

    from mnistkit.imaging._marks import find_marks, single_digit

    # A "%": the upper ring is too far from the lower (the largest mark) to join it,
    # but the slash joins the lower ring, and then the upper one is near. Read whole,
    # the novelty can tell it is no digit; read as a ring and the slash, it was a 6.
    picture = Image.new("1", (300, 300), 0)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((65, 70, 135, 151), outline=1, width=14)
    draw.ellipse((165, 142, 235, 223), outline=1, width=16)
    draw.line([(105, 223), (197, 70)], fill=1, width=12)
    _, marks = find_marks(np.asarray(picture, dtype=bool))
    assert len(marks) == 3
    assert len(single_digit(marks, (300, 300))) == 3


def _one_pixel_strokes(shape, *strokes):
    """A mask of one-pixel lines, each from (row, col) to (row, col)."""
    from PIL import Image, ImageDraw

    picture = Image.new("1", shape[::-1], 0)
    draw = ImageDraw.Draw(picture)
    for (row0, col0), (row1, col1) in strokes:
        draw.line([(col0, row0), (col1, row1)], fill=1, width=1)
    return np.asarray(picture, dtype=bool)


def test_a_one_pixel_digit_cropped_to_its_ink_is_no_frame_round_its_own_piece():
    from mnistkit.imaging._marks import find_marks, single_digit

    # A 2 drawn with a one-pixel line, its first stroke broken off at the top-left
    # corner: cropped to the ink, the rest's box is the picture's, and holds the piece.
    mask = _one_pixel_strokes((100, 90), ((0, 0), (15, 0)), ((0, 0), (0, 20)),
                              ((0, 30), (0, 89)), ((0, 89), (50, 89)),
                              ((50, 89), (99, 0)), ((99, 0), (99, 89)))
    _, marks = find_marks(mask)
    assert len(marks) == 2
    assert len(single_digit(marks, mask.shape)) == 2


def test_the_piece_a_thin_pen_broke_off_a_0_is_not_framed_by_the_rest():
    from mnistkit.imaging._marks import find_marks, single_digit

    # An octagonal 0 drawn with a one-pixel line on a page, broken twice on its
    # lower right: the piece between the breaks lies inside the box of the rest,
    # but not inside its outline, which the breaks opened. Both are the digit.
    rest = (((72, 87), (70, 89)), ((70, 89), (30, 89)), ((30, 89), (0, 60)),
            ((0, 60), (0, 30)), ((0, 30), (30, 0)), ((30, 0), (70, 0)),
            ((70, 0), (99, 30)), ((99, 30), (99, 60)), ((99, 60), (96, 63)))
    piece = (((76, 83), (93, 66)),)
    mask = np.pad(_one_pixel_strokes((100, 90), *rest, *piece), 30)
    _, marks = find_marks(mask)
    assert len(marks) == 2
    assert sorted(mark.area for mark in single_digit(marks, mask.shape)) == sorted(
        mark.area for mark in marks)


def test_a_thin_digit_cut_out_to_its_ink_is_no_frame_round_its_broken_off_piece():
    from mnistkit.imaging._marks import find_marks, single_digit

    # A 3 drawn with a thin pen, the end of its lower curve broken off just short
    # of the edges: cropped to the ink, the rest reaches all four edges and its
    # box holds the piece. The picture is cut to that mark, which the crop did
    # not open: it frames nothing (it did, and no digit was found).
    rest = (((0, 0), (0, 79)), ((0, 79), (45, 30)), ((45, 30), (60, 79)),
            ((60, 79), (99, 50)))
    piece = (((90, 10), (97, 40)),)
    mask = _one_pixel_strokes((100, 80), *rest, *piece)
    _, marks = find_marks(mask)
    assert len(marks) == 2
    assert sorted(mark.area for mark in single_digit(marks, mask.shape)) == sorted(
        mark.area for mark in marks)


def test_pieces_of_a_digit_cropped_to_its_ink_join_the_piece_inside():
    from mnistkit.imaging._marks import find_marks, single_digit

    # An 8 broken in three by a light pen and cropped to its ink: the middle
    # loop alone is inside the picture, the top and bottom reach its edges.
    top = (((30, 0), (0, 0)), ((0, 0), (0, 59)), ((0, 59), (30, 59)))
    middle = (((35, 10), (35, 50)), ((35, 50), (65, 50)), ((65, 50), (65, 10)),
              ((65, 10), (35, 10)))
    bottom = (((70, 0), (99, 0)), ((99, 0), (99, 59)), ((99, 59), (70, 59)))
    mask = _one_pixel_strokes((100, 60), *top, *middle, *bottom)
    _, marks = find_marks(mask)
    assert len(marks) == 3
    assert len(single_digit(marks, mask.shape)) == 3
    # With a margin round it, the same three pieces.
    _, marks = find_marks(np.pad(mask, 20))
    assert len(single_digit(marks, (140, 100))) == 3


def test_a_box_cropped_to_its_edges_is_still_a_frame():
    from mnistkit.imaging._marks import find_marks, single_digit

    # A form's box cut out along its outer edges, and a 1 inside it.
    box = [(0, 3, 0, 120), (97, 100, 0, 120), (0, 100, 0, 3), (0, 100, 117, 120)]
    _, marks = find_marks(_mask_with(*box, (20, 80, 50, 58)))
    (digit,) = single_digit(marks, (100, 120))
    assert (digit.top, digit.left, digit.bottom, digit.right) == (20, 50, 80, 58)


def test_a_number_reading_shows_its_digits(fitted_on_sample):
    import base64
    import io
    import re

    from PIL import Image

    from mnistkit import read_number

    clf = fitted_on_sample(probability="fast")
    test = load_sample(subset="test")
    strip = 255 - np.hstack([np.pad(image, 8) for image in test.images[:3]])
    reading = read_number(np.kron(strip, np.ones((4, 4), np.uint8)), model=clf)
    assert repr(reading).startswith(f"NumberReading({reading.text!r}, 3 digits, scores=[")
    page = reading._repr_html_()
    # One inline picture per digit: the very pixels the model saw.
    pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(pictures) == 3
    for encoded, pixels in zip(pictures, reading.pixels, strict=True):
        with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
            np.testing.assert_array_equal(np.asarray(image).ravel(), pixels)
    assert re.findall(r'alt="([^"]+)"', page) == [
        f"digit {k} of 3, as the model saw it" for k in (1, 2, 3)]
    unread = read_number(np.kron(strip, np.ones((4, 4), np.uint8)))
    assert repr(unread).startswith("NumberReading(3 digits, not predicted; boxes=[")


# A 7 drawn as a polyline on a 280-pixel page (test_imaging_real's drawn), 190 pixels high.
SEVEN = [(10, 5), (90, 5), (40, 100)]


@pytest.mark.parametrize("width", [1, 2, 4])
def test_a_digit_drawn_thin_is_read_with_mnist_strokes(width):
    # A pen 26 pixels wide is 0.138 of this 7's height: MNIST's usual stroke, which
    # thin strokes are widened to; unwidened, a one-pixel line shrunk into the
    # 20-pixel box is a faint thread.
    thin = to_mnist_format(drawn(SEVEN, width)).reshape(28, 28) > 127
    wide = to_mnist_format(drawn(SEVEN, 26)).reshape(28, 28) > 127
    assert thin.sum() >= 0.8 * wide.sum()
    assert (thin & wide).sum() >= 0.7 * wide.sum()


def test_a_digit_drawn_with_mnists_pen_is_not_widened():
    from mnistkit.imaging._mnist import widening_radius

    page = 1.0 - drawn(SEVEN, 26) / 255.0
    assert widening_radius(page) == 0
    assert widening_radius(1.0 - drawn(SEVEN, 2) / 255.0) > 5


def test_faint_ink_apart_from_thin_strokes_keeps_them_thin():
    from mnistkit.imaging._mnist import widening_radius

    # A ruled page's margin line, the strongest ink, joined to the faint ruled
    # lines: widening the margin line alone would make a 1 of it.
    page = np.zeros((200, 140))
    page[:, 20:22] = 1.0
    page[10::20, :] = 0.3
    assert widening_radius(page) == 0
    page[10::20, :] = 0.0
    assert widening_radius(page) > 0


def test_pieces_of_a_thin_digit_join_as_close_as_once_widened():
    from mnistkit.imaging._marks import find_marks, single_digit

    # A 7 drawn with a one-pixel line on a page, its stem broken 30 pixels below
    # the rest: farther than a digit's pieces lie (0.3 of the rest's 80 pixels),
    # as close as they will be once both are widened to MNIST's stroke.
    mask = np.pad(_one_pixel_strokes((120, 80), ((0, 0), (0, 79)), ((0, 79), (40, 60)),
                                     ((70, 48), (119, 30))), 40)
    _, marks = find_marks(mask)
    assert len(marks) == 2
    assert len(single_digit(marks, mask.shape)) == 1
    assert len(single_digit(marks, mask.shape, mask.astype(float))) == 2
