"""Read an image file with Pillow into a grey array, upright and of a workable size."""

import os
import warnings

import numpy as np

from ._grey import as_grey

# Pictures are read at no more than about this many pixels on their longer side:
# a digit needs a few dozen, and a 12-megapixel photo would take seconds to clean.
WORKING_SIDE = 800
# Pictures larger than this once decoded are refused: a 40-megapixel colour
# picture takes 120 MB to decode, and a small compressed file can declare far
# more (a "decompression bomb"). A JPEG is decoded reduced, so only its reduced
# size counts.
MAX_PIXELS = 40_000_000


def _open(path):
    """The image in a file, loaded, and the longer side of the file's picture."""
    from PIL import Image

    msg = (
        f"{path} is not an image file that can be read (PNG, JPEG, TIFF, BMP or "
        "another format Pillow reads expected)."
    )
    try:
        with warnings.catch_warnings():
            # The size is judged below, by a stricter rule than Pillow's warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError as error:
        msg = f"{path} declares a picture too large to read safely: {error}"
        raise ValueError(msg) from error
    except Exception as error:
        # A damaged or hostile file can make a decoder fail in any way; each is
        # the same answer: not an image that can be read.
        raise ValueError(msg) from error
    longer = max(image.size)  # before draft() changes it
    try:
        if longer > WORKING_SIDE:  # JPEG: decode at a reduced scale, in the decoder
            image.draft(None, tuple(-(-side * WORKING_SIDE // longer) for side in image.size))
    except Exception as error:
        image.close()
        raise ValueError(msg) from error
    try:
        _check_size(path, image)
    except ValueError:
        image.close()
        raise
    try:
        image.load()
    except Exception as error:
        image.close()
        raise ValueError(msg) from error
    return image, longer


def _check_size(path, image):
    """Refuse a picture whose decoded pixels would take more memory than reading needs."""
    width, height = image.size  # as it will be decoded (a JPEG after draft())
    if width * height > MAX_PIXELS:
        msg = (
            f"{path} is a picture of {width} x {height} pixels once decoded "
            f"({width * height / 1e6:.0f} megapixels); mnistkit reads pictures of up to "
            f"{MAX_PIXELS / 1e6:.0f} megapixels (a digit needs a few hundred pixels "
            "across): shrink it, or save it as a JPEG, which is decoded reduced."
        )
        raise ValueError(msg)


def _as_array(image):
    """A numpy array of the picture: grey (8, 16 or 32 bits), grey and alpha, RGB or RGBA."""
    if image.mode == "P":  # a palette: its colours, and transparency if it has any
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("1", "CMYK", "YCbCr", "LAB", "HSV", "PA", "La", "RGBa", "RGBX"):
        image = image.convert("RGBA" if image.mode in ("PA", "La", "RGBa") else "RGB")
    return np.asarray(image)


def read_grey(path):
    """The picture in a file as a 2-D float array, turned upright by its EXIF tag.

    Returns the array and its scale: its pixels per pixel of the file (below 1
    when a large picture was read reduced).
    """
    from PIL import ImageOps

    if not isinstance(path, (str, os.PathLike)):
        # Bytes of an upload would otherwise be taken for a path, and echoed whole.
        msg = (f"expected the path of an image file, got {type(path).__name__}: for a "
               "picture in memory (bytes, a file object, a PIL image), open it with "
               "PIL.Image.open and pass numpy.asarray(image) to to_mnist_format.")
        raise TypeError(msg)
    path = os.fspath(path)
    if os.path.isdir(path):
        # A common slip on the command line: the folder instead of its files.
        msg = (f"{path} is a folder, not an image file: give the image files in it "
               f"(for example {os.path.join(path, '*.png')}).")
        raise IsADirectoryError(msg)
    if not os.path.isfile(path):
        msg = f"No image file at {path}."
        raise FileNotFoundError(msg)
    image, longer = _open(path)
    with image:
        upright = ImageOps.exif_transpose(image)
        factor = max(upright.size) // WORKING_SIDE
        if factor >= 2 and upright.mode in ("L", "RGB", "RGBA", "LA", "I", "F"):
            upright = upright.reduce(factor)  # box filter, in C
        array = _as_array(upright)
    return as_grey(array), max(array.shape[:2]) / longer
