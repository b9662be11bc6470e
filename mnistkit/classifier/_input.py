"""Turning what users pass as images into the (n, 784) float arrays models use."""

import os

import numpy as np

from .._geometry import IMAGE_SIDE, N_PIXELS


def flatten_images(X):
    """Return ``X`` with (n, 28, 28) images flattened to (n, 784); 2-D input is kept.

    Only the layout is handled here; values are checked by ``validate_data``.
    """
    # Lists and other array-likes: look at their shape without forcing a dtype.
    array = X if hasattr(X, "ndim") and hasattr(X, "shape") else np.asarray(X)
    refuse_file_names(X, array)
    if array.ndim == 3:
        if array.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            msg = (
                f"expected images of {N_PIXELS} pixels or {IMAGE_SIDE}x{IMAGE_SIDE}, "
                f"got shape {tuple(array.shape)}"
            )
            raise ValueError(msg)
        return np.asarray(array).reshape(len(array), N_PIXELS)
    if array.ndim == 1 and array.shape[0] == N_PIXELS:
        # One image, as read_digit_image returns it: scikit-learn wants a table.
        msg = (
            f"expected a 2-D array of images, (n_images, {N_PIXELS}), got one image of "
            f"shape {tuple(array.shape)}: pass X.reshape(1, -1) (or [X]) for a single image."
        )
        raise ValueError(msg)
    if array.ndim > 3:
        msg = (
            f"expected images of {N_PIXELS} pixels or {IMAGE_SIDE}x{IMAGE_SIDE}, "
            f"got an array of {array.ndim} dimensions with shape {tuple(array.shape)}"
        )
        raise ValueError(msg)
    return X


def _picture_given(X, array):
    """How to name ``X`` if it is a picture or its name rather than pixels, else None."""
    if isinstance(X, (bytes, bytearray, memoryview)):
        return "the bytes of a file"
    if hasattr(X, "read") or type(X).__module__.startswith("PIL."):
        return f"a picture ({type(X).__name__})"
    if isinstance(X, (str, os.PathLike)):
        return f"a file name ({os.fspath(X)[:80]!r})"
    kind = getattr(getattr(array, "dtype", None), "kind", "")
    if kind not in ("U", "S", "O") or not isinstance(array, np.ndarray) or not array.size:
        return None  # numbers, or not a NumPy array (sparse, a data frame): not names
    first = array.flat[0]
    if kind in "US" or isinstance(first, (str, bytes, os.PathLike)):
        return f"file names ({str(first)[:80]!r}, ...)"
    return None


def refuse_file_names(X, array):
    """Refuse pictures, or their file names, given where their pixels are expected."""
    given = _picture_given(X, array)
    if given is not None:
        msg = (
            f"expected images as pixel values, got {given}: read pictures first, for "
            "instance model.predict([read_digit_image(path) for path in paths]) "
            "(read_digit_image, in mnistkit, takes paths, bytes, open files and PIL "
            "images)."
        )
        raise TypeError(msg)


def refuse_single_image(X):
    """Refuse one 28x28 image given where a stack of images is expected.

    Called at predict time by models that learnt from 784 pixels: a (28, 28)
    array there can only be one image, which would be read as 28 rows of 28.
    """
    if getattr(X, "ndim", None) == 2 and tuple(X.shape) == (IMAGE_SIDE, IMAGE_SIDE):
        msg = (
            f"expected images as (n_images, {N_PIXELS}) or (n_images, {IMAGE_SIDE}, "
            f"{IMAGE_SIDE}), got one {IMAGE_SIDE}x{IMAGE_SIDE} image: pass X[None] (or "
            "X.reshape(1, -1)) for a single image."
        )
        raise ValueError(msg)


def require_image_width(n_features, what):
    """Raise unless rows of ``n_features`` values can be 28x28 images."""
    if n_features != N_PIXELS:
        msg = (
            f"{what} needs images: expected images of {N_PIXELS} pixels or "
            f"{IMAGE_SIDE}x{IMAGE_SIDE}, got {n_features} features per sample. "
            "Use features='pixels' for data that are not MNIST-sized images."
        )
        raise ValueError(msg)


def _first_image(rows):
    """The index of the first True row, for error messages."""
    return int(np.flatnonzero(rows)[0])


def check_pixel_values(X):
    """Refuse what cannot be a pixel: NaN, infinity, negative values, values above 255.

    ``X`` is the validated float array. Two reductions find out whether anything
    is wrong; only then is the first offending image looked for.
    """
    if not X.size:
        return
    low, high = float(X.min()), float(X.max())
    if np.isnan(low) or np.isnan(high):
        image = _first_image(np.isnan(X).any(axis=1))
        msg = (
            f"Input X contains NaN (first in image {image}): pixels must be numbers, "
            "integers 0-255 or floats in [0, 1]. Replace missing pixels by 0, the background."
        )
        raise ValueError(msg)
    if np.isinf(low) or np.isinf(high):
        image = _first_image(np.isinf(X).any(axis=1))
        msg = (
            f"Input X contains infinity (first in image {image}): pixels must be "
            "integers 0-255 or floats in [0, 1]."
        )
        raise ValueError(msg)
    if low < 0:
        image = _first_image((X < 0).any(axis=1))
        msg = (
            "Negative values in data: pixel values must be non-negative (0 is background); "
            f"got a minimum of {low:g} (first in image {image})."
        )
        raise ValueError(msg)
    if high > 255:
        image = _first_image((X > 255).any(axis=1))
        msg = (
            "Pixel values must be integers 0-255 or floats in [0, 1]; got a maximum of "
            f"{high:g} (first in image {image}). Clip or rescale the images to 0-255."
        )
        raise ValueError(msg)


def _holds_integers(source):
    """Whether the data as the user passed them are of an integer type."""
    dtypes = getattr(source, "dtypes", None)  # a data frame: one dtype per column
    if dtypes is not None:
        return all(getattr(dtype, "kind", None) in ("i", "u") for dtype in dtypes)
    dtype = getattr(source, "dtype", None)
    if dtype is None:
        dtype = np.asarray(source).dtype  # a list: small, a copy is cheap enough
    return getattr(dtype, "kind", None) in ("i", "u")


def pixel_scale_of(source, X):
    """255 for pixels 0-255, 1 for pixels in [0, 1], decided from the data of one call.

    Integers are 0-255 whatever their values; floats are 0-255 if any is above 1,
    and in [0, 1] otherwise. ``source`` is the data as passed (its dtype tells
    integers from floats), ``X`` the validated float array.
    """
    if _holds_integers(source):
        return 255.0
    return 255.0 if X.size and float(X.max()) > 1.0 else 1.0
