"""Read a number: several digits in a row, each brought to MNIST's format and classified."""

import base64
import html
import io
from dataclasses import dataclass, field

import numpy as np

from .._geometry import IMAGE_SIDE
from .._predict import predict_with_confidence
from ._errors import NoDigitError, naming
from ._grey import as_grey
from ._load import is_picture_file, picture_name, read_grey
from ._mnist import to_mnist_pixels
from ._page import ink_of, read_page
from ._segment import split_row


@dataclass(repr=False)
class NumberReading:
    """The digits found in a picture of a number, left to right.

    :func:`read_number` makes it; its fields are also its attributes.

    Parameters
    ----------
    pixels : ndarray of shape (n_digits, 784), dtype uint8
        Each digit in MNIST's format, as :func:`to_mnist_format` gives it.
    boxes : list of tuple of int
        Each digit's box in the picture, ``(top, left, bottom, right)`` in
        pixels of the source (after EXIF rotation for a file).
    digits : ndarray of shape (n_digits,) or None
        The digits a model predicted, or None when no model was given.
    scores : ndarray of shape (n_digits,) or None
        The probability the model gives each predicted digit, or None without
        a model or when the model has no ``predict_proba``.
    separators : list of tuple of (int, str)
        The marks between the digits that belong to the number, each as
        ``(position, character)``: a point ``"."``, a comma ``","``, a colon
        ``":"`` or a dash ``"-"`` (before the first digit, a minus sign),
        ``position`` counting the digits before it. ``[(1, ".")]`` for a
        picture of "3.5". Empty for a number of digits only.
    """

    pixels: np.ndarray
    boxes: list
    digits: np.ndarray | None = None
    scores: np.ndarray | None = None
    separators: list = field(default_factory=list)

    def __len__(self):
        return len(self.boxes)

    @property
    def text(self):
        """The number as a string, such as ``"2026"`` or ``"3.5"`` (None without a model).

        The predicted digits, with the separators between them.
        """
        if self.digits is None:
            return None
        return join_number([str(int(digit)) for digit in self.digits], self.separators)

    def __repr__(self):
        found = f"{len(self)} digit{'s' if len(self) != 1 else ''}"
        if self.digits is None:
            return f"NumberReading({found}, not predicted; boxes={self.boxes})"
        scores = ("" if self.scores is None
                  else ", scores=[" + ", ".join(f"{s:.3f}" for s in self.scores) + "]")
        return f"NumberReading({self.text!r}, {found}{scores})"

    def _repr_html_(self):
        """The digits as the model saw them, each with its prediction and score: for notebooks."""
        cells = []
        between = dict(self.separators)
        for k, row in enumerate(self.pixels):
            if k in between:
                cells.append(f'<td style="text-align:center;font-size:200%">'
                             f"{html.escape(between[k])}</td>")
            image = _png_data_uri(row.reshape(IMAGE_SIDE, IMAGE_SIDE))
            said = "" if self.digits is None else html.escape(str(self.digits[k]))
            if self.scores is not None:
                said += f" <small>({self.scores[k]:.2f})</small>"
            # The alt text says which digit of the number, not what it was read as.
            alt = f"digit {k + 1} of {len(self.pixels)}, as the model saw it"
            cells.append(
                f'<td style="text-align:center"><img src="{image}" width="56" height="56" '
                f'style="image-rendering:pixelated" alt="{alt}"><br>{said}</td>'
            )
        title = html.escape(repr(self))
        return f"<table><caption>{title}</caption><tr>{''.join(cells)}</tr></table>"


def join_number(digits, separators):
    """The text of a number: its digits (strings), with each separator at its position."""
    between = dict(separators)
    return "".join(between.get(k, "") + digit for k, digit in enumerate(digits))


def _png_data_uri(image):
    """A grey uint8 image as a PNG ``data:`` URI, to show inline in HTML."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _read(grey, model, file_scale=1.0):
    page = read_page(grey)
    row = split_row(page)
    pieces = row.pieces
    if not pieces:
        msg = (
            "no digit found: the marks on the image are specks, lines, frames or "
            "blobs, none shaped like a digit. Crop the picture around the number."
        )
        raise NoDigitError(msg)
    pixels, boxes = [], []
    for marks, columns in pieces:
        ink = ink_of(page, marks, columns)
        pixels.append(to_mnist_pixels(ink))
        rows = np.flatnonzero(ink.any(axis=1))
        cols = np.flatnonzero(ink.any(axis=0))
        top, left = page.origin  # the desk round a sheet, a form's box, cut off: put back
        working = (rows[0] + top, cols[0] + left, rows[-1] + 1 + top, cols[-1] + 1 + left)
        scale = page.scale * file_scale  # working pixels per pixel of the source
        boxes.append(tuple(round(value / scale) for value in working))
    pixels = np.stack(pixels)
    if model is None:
        return NumberReading(pixels=pixels, boxes=boxes, separators=row.separators)
    digits, scores = predict_with_confidence(model, pixels)
    return NumberReading(pixels=pixels, boxes=boxes, digits=digits, scores=scores,
                         separators=row.separators)


def read_number(source, model=None):
    """Read the digits of a number written in a row: a house number, "2026" on a note.

    The picture is cleaned as :func:`to_mnist_format` does (lighting taken
    out, Otsu's threshold, marks that are not digits dropped). Its marks are
    grouped into digits by their columns, so that the pieces of a broken
    stroke stay together; marks no darker than the paper beside them (the
    soft edge of a shadow) are left out; a mark much wider than high is taken
    for touching digits and cut where its ink is thinnest. Each digit is
    brought to MNIST's format and, given a fitted model, classified.

    Marks much smaller than the digits are not read as digits. Between two
    digits, a dot on the digits' line is a decimal point, a short stroke down
    below it a comma, two dots one above the other a colon and a short stroke
    across the middle a dash (before the first digit, a minus sign): they are
    kept in ``separators`` and written in ``text`` (``"3.5"``, ``"12:45"``,
    ``"-7"``), so that a point is never lost from a number. Other small marks
    (specks, dust, a full stop after the number) are left out; a slash or a
    bracket, as tall as a digit, is read as one.

    Parameters
    ----------
    source : str, os.PathLike, bytes, file object, PIL.Image.Image or array-like
        An image file (its path, its bytes, an open file or an image Pillow
        has opened, as :func:`read_digit_image` takes), or the pixels of a
        picture (any array :func:`to_mnist_format` accepts).
    model : fitted classifier, default=None
        A model trained on MNIST's pixels, such as a fitted
        :class:`MNISTClassifier`. Without one, the digits are found and
        formatted but not read.

    Returns
    -------
    reading : NumberReading
        The digits left to right: ``pixels``, ``boxes``, and with a model
        ``digits``, ``scores`` and ``text``.

    Raises
    ------
    FileNotFoundError
        If ``source`` names no file.
    IsADirectoryError
        If it names a folder.
    ValueError
        If no digit is found; for a file, the message starts with its path.

    See Also
    --------
    read_digit_image : Read a picture of a single digit.

    Examples
    --------
    Three sample digits side by side on white paper:

    >>> import numpy as np
    >>> from mnistkit import load_sample, read_number
    >>> sample = load_sample(subset="test")
    >>> row = np.hstack([np.pad(image, 4) for image in sample.images[:3]])
    >>> reading = read_number(255 - np.kron(row, np.ones((4, 4), np.uint8)))
    >>> len(reading), reading.pixels.shape
    (3, (3, 784))
    >>> [box[1] < next_box[1] for box, next_box in zip(reading.boxes, reading.boxes[1:])]
    [True, True]

    A point drawn between the first two digits, on their line:

    >>> page = np.pad(row, 8)
    >>> page[31:35, 45:49] = 255
    >>> read_number(255 - np.kron(page, np.ones((4, 4), np.uint8))).separators
    [(1, '.')]
    """
    if is_picture_file(source):
        grey, file_scale = read_grey(source)
        try:
            return _read(grey, model, file_scale)
        except ValueError as error:
            raise naming(error, picture_name(source)) from error
    return _read(as_grey(source), model)
