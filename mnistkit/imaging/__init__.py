"""Reading pictures of digits: photos, scans and drawings brought to MNIST's format.

:func:`read_digit_image` reads an image file and :func:`to_mnist_format` converts
an image already in memory; both return the 784 pixels a model trained on MNIST
expects.
"""

from ._read import read_digit_image, to_mnist_format

__all__ = ["read_digit_image", "to_mnist_format"]
