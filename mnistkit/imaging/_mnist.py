"""The last step of reading: a digit's ink in MNIST's frame, as 784 bytes."""

import numpy as np

from .._geometry import frame_digits
from ._errors import NoDigitError


def to_mnist_pixels(ink):
    """784 uint8 pixels from a picture of one digit's ink, light on dark in [0, 1]."""
    frame = frame_digits(ink[None])[0]
    if not frame.any():
        msg = "no digit found: the image is blank (no stroke stands out of the background)."
        raise NoDigitError(msg)
    return np.round(frame * 255).astype(np.uint8).ravel()
