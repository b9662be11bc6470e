"""Read an image file with Pillow into a grey array, upright and of a workable size."""

import io
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
# Longer "paths" are taken for a file's contents given as text.
_LONGEST_PATH = 4096


def is_picture_file(source):
    """Whether ``source`` is a picture to decode rather than an array of pixels.

    A path, the bytes of a file (a web upload), a binary file object or a PIL
    image; anything else is taken for an array.
    """
    from PIL import Image

    return isinstance(source, (str, os.PathLike, bytes, bytearray, memoryview, Image.Image)) or (
        hasattr(source, "read") and hasattr(source, "seek"))


def picture_name(source):
    """How messages name a picture: its path, else a file object's name, else what it is."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    # An open file or a named upload has a name; an image Pillow opened, its filename.
    for attribute in ("name", "filename"):
        name = getattr(source, attribute, None)
        if isinstance(name, str) and name:
            return name
    return "the picture in memory"


def _open(source, name):
    """The image in a file, loaded, and the longer side of the file's picture."""
    from PIL import Image

    msg = (
        f"{name} is not an image file that can be read (PNG, JPEG, TIFF, BMP or "
        "another format Pillow reads expected)."
    )
    try:
        with warnings.catch_warnings():
            # The size is judged below, by a stricter rule than Pillow's warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
    except Image.DecompressionBombError as error:
        msg = f"{name} declares a picture too large to read safely: {error}"
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
        _check_size(name, image)
    except ValueError:
        image.close()
        raise
    try:
        image.load()
    except Exception as error:
        image.close()
        raise ValueError(msg) from error
    return image, longer


def _check_size(name, image):
    """Refuse a picture whose decoded pixels would take more memory than reading needs."""
    width, height = image.size  # as it will be decoded (a JPEG after draft())
    if width * height > MAX_PIXELS:
        msg = (
            f"{name} is a picture of {width} x {height} pixels once decoded "
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


def _file_like(source, name):
    """What Pillow can open: a path as it is, bytes and file objects as a file of ours.

    A caller's file object is read whole first: closing the image, as reading
    does, would otherwise close the caller's file.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if isinstance(path, str) and ("\0" in path or len(path) > _LONGEST_PATH):
            # A file's contents in a str: never echoed whole.
            msg = (f"expected the path of an image file, got a string of {len(path):,} "
                   "characters that is no file name (a file's contents? give its bytes).")
            raise ValueError(msg)
        if os.path.isdir(path):
            # A common slip on the command line: the folder instead of its files.
            msg = (f"{path} is a folder, not an image file: give the image files in it "
                   f"(for example {os.path.join(path, '*.png')}).")
            raise IsADirectoryError(msg)
        if not os.path.isfile(path):
            msg = f"no image file at {path}."
            raise FileNotFoundError(msg)
        if os.path.getsize(path) == 0:
            # A save or a download that never wrote anything: say so, not "unreadable".
            msg = f"{path} is empty (0 bytes): not an image file."
            raise ValueError(msg)
        return path
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not len(source):
            msg = f"{name} is empty (0 bytes): not an image file."
            raise ValueError(msg)
        return io.BytesIO(source)
    text = (f"{name} is open as text: open an image file in binary mode, "
            "open(path, 'rb').")
    try:
        content = source.read()
    except UnicodeDecodeError as error:
        raise TypeError(text) from error
    except ValueError as error:  # a closed file
        msg = f"{name} cannot be read: {error}."
        raise ValueError(msg) from error
    if not isinstance(content, bytes):
        raise TypeError(text)
    if not content:
        # Read from where it stands: a file already read once is at its end.
        msg = (f"{name} has nothing left to read from where it stands (read already? "
               "file.seek(0) goes back to its start).")
        raise ValueError(msg)
    return io.BytesIO(content)


def _warn_if_several(image, name):
    """Warn that only the first picture of an animation, or of a scanner's pages, is read."""
    try:
        # Whether a second picture follows (the next one's header only, not a count,
        # which would walk through every one); Pillow goes back to the first.
        several = getattr(image, "is_animated", False)
    except Exception:
        # A damaged second picture: the first, loaded already, is still read (Pillow
        # looks ahead without decoding; tests/test_imaging.py checks it).
        several = False
    if several:
        msg = (f"{name} holds several pictures (an animation or pages); only the first "
               "is read.")
        warnings.warn(msg, UserWarning, stacklevel=4)


def read_grey(source):
    """The picture in a file as a 2-D float array, turned upright by its EXIF tag.

    ``source`` is a path, a file's bytes, a binary file object or a PIL image
    (see :func:`is_picture_file`). Returns the array and its scale: its pixels
    per pixel of the file (below 1 when a large picture was read reduced).
    """
    from PIL import Image, ImageOps

    if not is_picture_file(source):
        msg = (f"expected an image file (a path, its bytes, a file object or a PIL "
               f"image), got {type(source).__name__}.")
        raise TypeError(msg)
    name = picture_name(source)
    if isinstance(source, Image.Image):
        # The caller's image: read, never closed or changed here.
        _check_size(name, source)
        try:
            source.load()
        except Exception as error:  # truncated, damaged, or closed: as a file would be
            msg = f"{name} is not an image that can be read ({error})."
            raise ValueError(msg) from error
        image, longer = source, max(source.size)
    else:
        image, longer = _open(_file_like(source, name), name)
        _warn_if_several(image, name)
    try:
        upright = ImageOps.exif_transpose(image)
        factor = max(upright.size) // WORKING_SIDE
        if factor >= 2 and upright.mode in ("L", "RGB", "RGBA", "LA", "I", "F"):
            upright = upright.reduce(factor)  # box filter, in C
        array = _as_array(upright)
    finally:
        if image is not source:
            image.close()
    return as_grey(array), max(array.shape[:2]) / longer
