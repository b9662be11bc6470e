"""Bring any picture of one digit to MNIST's own format: 28x28, light on dark, centred."""

from ._clean import clean_ink
from ._enlarge import sharpen
from ._errors import NoDigitError, naming
from ._grey import as_grey
from ._load import picture_name, read_grey
from ._marks import single_digit
from ._mnist import to_mnist_pixels
from ._page import ink_of, is_shade_of_light, native_size, read_digit_page


def _digit_pixels(grey):
    grey, _ = native_size(grey)  # before the shortcut for small clean pictures
    ink = clean_ink(grey)
    if ink is not None:
        return to_mnist_pixels(ink)
    page = read_digit_page(grey)
    marks = single_digit(page.marks, page.shape, page.ink.level)
    if is_shade_of_light(page, marks):
        msg = ("no digit found: the mark taken for the digit is no darker than the paper "
               "beside it (the soft edge of a shadow, not ink).")
        raise NoDigitError(msg)
    ink = ink_of(page, marks)
    # A picture enlarged smoothly to be read (a tiny one) has blurred strokes.
    return to_mnist_pixels(sharpen(ink) if page.scale > 1 else ink)


def to_mnist_format(image):
    """Bring a picture of one digit to MNIST's format: 784 pixels, light on dark, centred.

    The picture is turned to grey (for colour, along the colour direction that
    separates ink from paper), and very large pictures are reduced and very small
    ones enlarged smoothly (a small picture enlarged by repeating its pixels, as a
    paint program's zoom does, is first taken back to its own pixels; the blurred
    strokes of a small one are sharpened to MNIST's grey levels once its digit is
    found). A box of a form cut out along its lines, which then run along the
    picture's whole edge, has them cut off. The paper is estimated at a scale larger
    than a stroke and taken out, which removes the shading of a photo; Otsu's
    threshold decides what is ink. The lines of ruled or squared paper that run
    across the picture are erased, the pen's strokes that cross them kept. A digit
    that reaches the picture's edge (a tight crop) is read with a margin of its
    paper around it, as if it had been cropped with one. Of the connected marks of
    ink, specks, ruled lines, frames and, when a digit is left inside, marks cut by
    the picture's edge are dropped, and the largest digit-shaped mark is kept with
    the pieces close to it; a mark with two or more inside its outline is a drawing
    (a face), not a digit, and one no darker than the paper beside it is the soft
    edge of a shadow. A digit drawn much thinner than MNIST's (a thin pen, a
    one-pixel line, a tablet's polyline) has its strokes widened to MNIST's usual
    width, as a round brush would draw them. The digit is then brought to MNIST's
    format as MNIST's images were made: cropped to its ink, scaled to fit a 20x20
    box keeping its aspect ratio (anti-aliased, the grey edges of the strokes kept),
    and placed in a 28x28 field with its centre of mass at the centre (row and
    column 14). The paper becomes 0 and the strokes 255. A picture of at most 32x32
    pixels on an exactly uniform background, such as MNIST's own images or a data
    set's 8x8 digits, needs no cleaning: it only goes through this last step
    (enlarged smoothly first when it is tiny).

    Parameters
    ----------
    image : array-like of shape (height, width), (height, width, 3) or (height, width, 4)
        A greyscale, RGB or RGBA picture of one digit, of any size and any
        numeric value range (integers 0-255 or 0-65535, floats in [0, 1], ...).
        Either polarity: dark ink on light paper, or light ink on a dark
        background. Transparent pixels of an RGBA picture count as background.

    Returns
    -------
    pixels : ndarray of shape (784,), dtype uint8
        The digit as MNIST stores it, row by row; ``pixels.reshape(28, 28)``
        gives the image.

    Raises
    ------
    ValueError
        If no digit is found (a blank picture, noise, or marks of which none
        is shaped like a digit), or the image is not a 2-D greyscale or 3-D
        colour array of numbers.

    See Also
    --------
    read_digit_image : Read an image file and apply this function.
    read_number : Read several digits in a row.

    Examples
    --------
    A digit from the sample, inverted to black on white, padded and enlarged,
    comes back close to the original:

    >>> import numpy as np
    >>> from mnistkit import load_sample, to_mnist_format
    >>> digit = load_sample().images[0]
    >>> paper = np.full((200, 150), 255, dtype=np.uint8)
    >>> paper[30:170, 20:132] = 255 - np.kron(digit, np.ones((5, 4), np.uint8))
    >>> pixels = to_mnist_format(paper)
    >>> pixels.shape, pixels.dtype, int(pixels.max())
    ((784,), dtype('uint8'), 255)
    >>> image = pixels.reshape(28, 28).astype(float)
    >>> rows, cols = np.indices(image.shape)
    >>> [round(float((image * c).sum() / image.sum())) for c in (rows, cols)]
    [14, 14]
    """
    return _digit_pixels(as_grey(image))


def read_digit_image(source):
    """Read a picture of one digit (a photo, a scan, a drawing) in MNIST's format.

    The file is read with Pillow and turned upright by its EXIF orientation
    tag (phone photos); a large photo is decoded at a reduced scale. Any mode
    Pillow reads is accepted: grey, colour, palette, 16-bit, with or without
    transparency. A file of several pictures (an animated GIF, a TIFF of
    several pages) is read from its first, with a warning. The picture then
    goes through :func:`to_mnist_format`.

    Parameters
    ----------
    source : str, os.PathLike, bytes, binary file object or PIL.Image.Image
        The image file: PNG, JPEG, TIFF, BMP, ..., any size, dark digit on
        light paper or light on dark. Its path, or the file in memory: its
        bytes (a web upload), an open file, or an image Pillow has opened.

    Returns
    -------
    pixels : ndarray of shape (784,), dtype uint8
        The digit as MNIST stores it.

    Raises
    ------
    FileNotFoundError
        If there is no file at the path.
    IsADirectoryError
        If it names a folder.
    ValueError
        If the file is not an image that can be read, or no digit is found in
        it; the message starts with the file's path (or its name, for an
        open file).
    TypeError
        If ``source`` is none of these (an array goes to
        :func:`to_mnist_format`).

    See Also
    --------
    to_mnist_format : The same, from an array.
    read_number : Read several digits in a row.

    Examples
    --------
    >>> import os, tempfile
    >>> import matplotlib.pyplot as plt
    >>> from mnistkit import load_sample, read_digit_image
    >>> digit = load_sample().images[1]
    >>> path = os.path.join(tempfile.mkdtemp(), "digit.png")
    >>> plt.imsave(path, 255 - digit, cmap="gray")  # black on white
    >>> pixels = read_digit_image(path)
    >>> pixels.shape, int(abs(pixels.astype(int) - digit.ravel()).mean()) < 20
    ((784,), True)

    The same file as a web upload gives it, in memory:

    >>> with open(path, "rb") as file:
    ...     upload = file.read()
    >>> bool((read_digit_image(upload) == pixels).all())
    True
    """
    grey, _ = read_grey(source)
    try:
        return _digit_pixels(grey)
    except ValueError as error:
        raise naming(error, picture_name(source)) from error
