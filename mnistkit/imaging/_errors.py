"""The error of a picture that holds no digit, apart from a file that cannot be read."""


class NoDigitError(ValueError):
    """A picture was read, and no digit is in it: blank, noise, or only specks and lines.

    A subclass of :class:`ValueError`, so code that catches ``ValueError``
    keeps working; catch this one to tell "not a digit" from a file that
    cannot be read.

    Parameters
    ----------
    message : str
        Why no digit was found, in the words of the picture.
    several : int or None, default=None
        When the picture holds several separate marks of a digit's size (a
        number, or a drawing), how many; None for any other reason.

    Attributes
    ----------
    several : int or None
        The ``several`` given: a number is read with :func:`~mnistkit.read_number`.

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

    def __init__(self, message, *, several=None):
        super().__init__(message)
        self.several = several


def naming(error, name):
    """The same error, its message starting with the picture's ``name``.

    Of the same kind, so that "no digit" stays apart from an unreadable file,
    and with what a :class:`NoDigitError` says besides its message.
    """
    msg = f"{name}: {error}"
    if isinstance(error, NoDigitError):
        return NoDigitError(msg, several=error.several)
    return type(error)(msg)
