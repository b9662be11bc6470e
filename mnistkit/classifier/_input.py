"""Turning what users pass as images into the (n, 784) float arrays models use."""

import numpy as np

from .._shape import IMAGE_SIDE, N_PIXELS


def flatten_images(X):
    """Return ``X`` with (n, 28, 28) images flattened to (n, 784); 2-D input is kept.

    Only the layout is handled here; values are checked by ``validate_data``.
    """
    # Lists and other array-likes: look at their shape without forcing a dtype.
    array = X if hasattr(X, "ndim") and hasattr(X, "shape") else np.asarray(X)
    if array.ndim == 3:
        if array.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            msg = (
                f"expected images of {N_PIXELS} pixels or {IMAGE_SIDE}x{IMAGE_SIDE}, "
                f"got shape {tuple(array.shape)}"
            )
            raise ValueError(msg)
        return np.asarray(array).reshape(len(array), N_PIXELS)
    if array.ndim > 3:
        msg = (
            f"expected images of {N_PIXELS} pixels or {IMAGE_SIDE}x{IMAGE_SIDE}, "
            f"got an array of {array.ndim} dimensions with shape {tuple(array.shape)}"
        )
        raise ValueError(msg)
    return X


def require_image_width(n_features, what):
    """Raise unless rows of ``n_features`` values can be 28x28 images."""
    if n_features != N_PIXELS:
        msg = (
            f"{what} needs images: expected images of {N_PIXELS} pixels or "
            f"{IMAGE_SIDE}x{IMAGE_SIDE}, got {n_features} features per sample. "
            "Use features='pixels' for data that are not MNIST-sized images."
        )
        raise ValueError(msg)


def check_pixel_values(X, pixel_scale=None):
    """Refuse negative pixels, and pixels above the scale the model was fitted on."""
    low = float(X.min()) if X.size else 0.0
    if low < 0:
        msg = (
            "Negative values in data: pixel values must be non-negative "
            f"(0 is background); got a minimum of {low:g}"
        )
        raise ValueError(msg)
    if pixel_scale == 1.0 and X.size and float(X.max()) > 1.0:
        msg = (
            "the model was fitted on pixels in [0, 1] but got values up to "
            f"{float(X.max()):g}; pass images on the scale used in fit"
        )
        raise ValueError(msg)


def detect_pixel_scale(X):
    """255 if any pixel is above 1 (integers 0-255), else 1 (floats in [0, 1])."""
    return 255.0 if X.size and float(X.max()) > 1.0 else 1.0
