"""Reading pictures of digits: photos, scans and drawings brought to MNIST's format.

:func:`read_digit_image` reads an image file of one digit and
:func:`to_mnist_format` converts a picture already in memory; both return the
784 pixels a model trained on MNIST expects. :func:`read_number` reads several
digits in a row and returns a :class:`NumberReading`. A picture in which no
digit is found raises :class:`NoDigitError`, a :class:`ValueError`.
"""

from ._errors import NoDigitError
from ._number import NumberReading, read_number
from ._read import read_digit_image, to_mnist_format

__all__ = ["NoDigitError", "NumberReading", "read_digit_image", "read_number", "to_mnist_format"]
