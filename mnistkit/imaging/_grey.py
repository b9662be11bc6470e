"""Turn any array a user may hold (grey, RGB, RGBA, any value range) into one grey plane."""

import numpy as np


def as_grey(image):
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
    if array.ndim == 3 and array.shape[2] == 2:  # grey and alpha
        array = flatten_alpha(array[:, :, 0], array[:, :, 1])
    elif array.ndim == 3 and array.shape[2] in (3, 4):
        grey = colour_to_grey(array[:, :, :3])
        if array.shape[2] == 4:
            grey = flatten_alpha(grey, array[:, :, 3])
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


_LUMA = np.array([0.299, 0.587, 0.114])


def colour_to_grey(colour):
    """One grey plane that keeps the contrast between ink and paper, whatever their colours.

    Luminance loses the digit when the ink is as light as the paper (red ink on
    green paper); the direction in colour space along which the pixels vary most
    keeps it: ink and paper are the two colours the picture is mostly made of.
    A grey picture varies along (1, 1, 1), which gives back its luminance.
    """
    pixels = colour.reshape(-1, 3)
    step = max(1, pixels.shape[0] // 20_000)  # a sample is enough for a 3x3 covariance
    sample = pixels[::step]
    spread = np.cov(sample, rowvar=False)
    if not np.isfinite(spread).all() or np.trace(spread) <= 0:
        return colour @ _LUMA
    _, vectors = np.linalg.eigh(spread)
    direction = vectors[:, -1]
    if direction @ _LUMA < 0:  # keep light paper light, for the pictures of what was read
        direction = -direction
    grey = colour @ direction
    if (direction >= 0).all():
        # Light itself (grey, tinted paper): black stays 0, so that ink is still
        # judged by the share of the paper's light it takes.
        return grey
    # A contrast of hues (red ink on green paper): no shade is black; a
    # non-negative range reads better.
    return grey - grey.min()


def flatten_alpha(grey, alpha):
    """Put a transparent picture on a background of the opposite shade to its ink."""
    top = alpha.max()
    if top <= 0:
        return np.zeros_like(grey)
    alpha = alpha / top
    if np.ptp(alpha) == 0:
        return grey
    lo, hi = grey.min(), grey.max()
    if hi == lo:
        # One colour throughout (white strokes whose transparent pixels are
        # white too): the drawing is in the alpha channel alone. Polarity is
        # judged later, so the opacity itself is the picture.
        return alpha
    # Drawings on a transparent background carry their ink in the opaque
    # pixels: dark ink goes on the lightest shade, light ink on the darkest.
    ink = (grey * alpha).sum() / alpha.sum()
    light_ink = ink > (lo + hi) / 2
    background = lo if light_ink else hi
    return grey * alpha + background * (1 - alpha)
