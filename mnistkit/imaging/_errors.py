"""The error of a picture that holds no digit, apart from a file that cannot be read."""


class NoDigitError(ValueError):
    """A picture was read, and no digit is in it: blank, noise, or only specks and lines.

    A subclass of :class:`ValueError`, so code that catches ``ValueError``
    keeps working; catch this one to tell "not a digit" from a file that
    cannot be read.

    Examples
    --------
    >>> import numpy as np
    >>> from mnistkit import NoDigitError, to_mnist_format
    >>> try:
    ...     to_mnist_format(np.full((50, 50), 255))
    ... except NoDigitError as error:
    ...     print(error)
    no digit found: the image is blank (all its pixels have the same value).
    """
