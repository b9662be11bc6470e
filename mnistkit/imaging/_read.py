"""Bring any picture of a digit to MNIST's own format: 28x28, light on dark, centred.

MNIST's images were made from scanned digits in three steps: each digit was
scaled, keeping its aspect ratio, to fit a 20x20 box (anti-aliased, hence grey
levels), then put in a 28x28 field with its centre of mass at the centre. The
functions here repeat those steps on a photo or a drawing of any size, either
polarity, greyscale or colour, so that a model trained on MNIST sees what it
was trained on.
"""

import os

import numpy as np

from .._shape import IMAGE_SIDE

_BOX = 20  # the digit's larger side, in pixels
# The centre of mass of MNIST's digits, row and column, in 0-based pixel indices:
# an integer shift puts it within half a pixel of (14, 14).
_CENTRE = IMAGE_SIDE / 2
_INK_THRESHOLD = 0.15  # fraction of the full contrast that counts as ink


def _as_grey(image):
    """A 2-D float array from a greyscale, RGB or RGBA array of any value type."""
    array = np.asarray(image)
    if array.dtype == bool:
        array = array.astype(np.float64)
    if not (np.issubdtype(array.dtype, np.number)) or np.iscomplexobj(array):
        msg = f"image must hold numbers, got an array of {array.dtype}."
        raise ValueError(msg)
    array = array.astype(np.float64)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 3 and array.shape[2] in (3, 4):
        colour = array[:, :, :3]
        grey = colour @ np.array([0.299, 0.587, 0.114])
        if array.shape[2] == 4:
            grey = _flatten_alpha(grey, array[:, :, 3])
        array = grey
    if array.ndim != 2:
        msg = (
            "image must be a 2-D greyscale array or a 3-D RGB or RGBA array, "
            f"got an array of shape {array.shape}."
        )
        raise ValueError(msg)
    if min(array.shape) < 1:
        msg = f"image must have at least one pixel, got shape {array.shape}."
        raise ValueError(msg)
    if not np.isfinite(array).all():
        msg = "image holds NaN or infinite values."
        raise ValueError(msg)
    return array


def _flatten_alpha(grey, alpha):
    """Put a transparent picture on a background of the opposite shade to its ink."""
    top = alpha.max()
    if top <= 0:
        return np.zeros_like(grey)
    alpha = alpha / top
    if np.ptp(alpha) == 0:
        return grey
    # Drawings on a transparent background carry their ink in the opaque
    # pixels: dark ink goes on the lightest shade, light ink on the darkest.
    # Of a single colour, any other shade will do: polarity is judged later.
    lo, hi = grey.min(), grey.max()
    ink = (grey * alpha).sum() / alpha.sum()
    light_ink = ink > (lo + hi) / 2
    background = lo + 1.0 if hi == lo else (lo if light_ink else hi)
    return grey * alpha + background * (1 - alpha)


def _border(array):
    """The pixels of the outer ring, about 5% of the image's side wide."""
    width = max(1, round(0.05 * min(array.shape)))
    mask = np.ones(array.shape, dtype=bool)
    mask[width:-width, width:-width] = False
    return array[mask]


def _ink(array):
    """Ink in [0, 1], light on dark, from an image of either polarity."""
    lo, hi = array.min(), array.max()
    if hi - lo <= 1e-12 * max(abs(hi), abs(lo), 1.0):
        msg = "no digit found: the image is blank (all its pixels have the same value)."
        raise ValueError(msg)
    scaled = (array - lo) / (hi - lo)
    background = float(np.median(_border(scaled)))
    if background > 0.5:  # dark ink on a light background
        scaled = 1.0 - scaled
        background = 1.0 - background
    # Whatever is not brighter than the background (paper texture, shading) is 0.
    return np.clip((scaled - background) / (1.0 - background), 0.0, 1.0)


def _bounding_box(ink):
    rows = np.flatnonzero((ink >= _INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink >= _INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        msg = "no digit found: the image is blank (no stroke stands out of the background)."
        raise ValueError(msg)
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _resample_weights(n_in, n_out):
    """Matrix (n_out, n_in) that resamples a line of n_in pixels to n_out.

    Shrinking averages the input pixels each output pixel covers, weighted by
    the overlap (area resampling, which anti-aliases); enlarging interpolates
    linearly between pixel centres.
    """
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
    centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    centres = np.clip(centres, 0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    rows = np.arange(n_out)
    np.add.at(weights, (rows, left), 1 - frac)
    np.add.at(weights, (rows, right), frac)
    return weights


def _resize(ink, shape):
    return _resample_weights(ink.shape[0], shape[0]) @ ink @ _resample_weights(
        ink.shape[1], shape[1]
    ).T


def _centre_in_field(digit):
    """Place the digit in a 28x28 field with its centre of mass near (14, 14)."""
    field = np.zeros((IMAGE_SIDE, IMAGE_SIDE))
    h, w = digit.shape
    mass = digit.sum()
    row = (digit.sum(axis=1) @ np.arange(h)) / mass
    col = (digit.sum(axis=0) @ np.arange(w)) / mass
    # Integer shifts, as MNIST's own: no blur. A lopsided digit stays in the field.
    top = int(np.clip(np.round(_CENTRE - row), 0, IMAGE_SIDE - h))
    left = int(np.clip(np.round(_CENTRE - col), 0, IMAGE_SIDE - w))
    field[top : top + h, left : left + w] = digit
    return field


def to_mnist_format(image):
    """Bring a picture of one digit to MNIST's format: 784 pixels, light on dark, centred.

    The steps are those MNIST's images were made with: the picture is turned
    to grey, inverted if the digit is dark on a light background (judged from
    the border pixels), cropped to the bounding box of its ink, scaled to fit
    a 20x20 box keeping its aspect ratio (anti-aliased), and placed in a 28x28
    field with its centre of mass at the centre (row and column 14). The
    darkest background becomes 0 and the strongest stroke 255.

    Parameters
    ----------
    image : array-like of shape (height, width), (height, width, 3) or (height, width, 4)
        A greyscale, RGB or RGBA picture of one digit, of any size and any
        numeric value range (integers 0-255, floats in [0, 1], ...). Either
        polarity: dark ink on light paper, or light ink on a dark background.
        Transparent pixels of an RGBA picture count as background.

    Returns
    -------
    pixels : ndarray of shape (784,), dtype uint8
        The digit as MNIST stores it, row by row; ``pixels.reshape(28, 28)``
        gives the image.

    Raises
    ------
    ValueError
        If the image is blank (no digit found), or is not a 2-D greyscale or
        3-D colour array of numbers.

    See Also
    --------
    read_digit_image : Read a PNG or JPEG file and apply this function.

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
    ink = _ink(_as_grey(image))
    ink = ink[_bounding_box(ink)]
    scale = _BOX / max(ink.shape)
    shape = tuple(max(1, round(side * scale)) for side in ink.shape)
    digit = np.clip(_resize(ink, shape), 0.0, 1.0)
    peak = digit.max()
    if peak <= 0:
        msg = "no digit found: the image is blank."
        raise ValueError(msg)
    field = _centre_in_field(digit / peak)
    return np.round(field * 255).astype(np.uint8).ravel()


def read_digit_image(path):
    """Read a picture of one digit (PNG, JPEG, ...) and bring it to MNIST's format.

    The file is read with :func:`matplotlib.image.imread` (Pillow reads JPEG
    and the other formats), then passed to :func:`to_mnist_format`.

    Parameters
    ----------
    path : str or os.PathLike
        The image file: PNG or JPEG, any size, greyscale or colour, dark digit
        on light paper or light on dark.

    Returns
    -------
    pixels : ndarray of shape (784,), dtype uint8
        The digit as MNIST stores it.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not an image that can be read, or the image is blank.

    See Also
    --------
    to_mnist_format : The same, from an array.

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
    """
    from matplotlib import image as mpimage
    from PIL import UnidentifiedImageError

    path = os.fspath(path)
    if not os.path.isfile(path):
        msg = f"No image file at {path}."
        raise FileNotFoundError(msg)
    try:
        array = mpimage.imread(path)
    except (UnidentifiedImageError, ValueError, SyntaxError, OSError) as error:
        msg = f"{path} is not an image file that can be read (PNG or JPEG expected)."
        raise ValueError(msg) from error
    try:
        return to_mnist_format(array)
    except ValueError as error:
        msg = f"{path}: {error}"
        raise ValueError(msg) from error
