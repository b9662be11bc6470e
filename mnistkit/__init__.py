"""mnistkit: MNIST with scikit-learn, from download to plots.

The supported import path is the top level: ``from mnistkit import fetch_mnist``.
"""

from ._version import __version__
from .datasets import DownloadError, fetch_mnist, get_data_home, load_sample, read_idx

__all__ = [
    "DownloadError",
    "__version__",
    "fetch_mnist",
    "get_data_home",
    "load_sample",
    "read_idx",
]
