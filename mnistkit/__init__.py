"""mnistkit: MNIST with scikit-learn, from download to plots.

The supported import path is the top level: ``from mnistkit import fetch_mnist``.
"""

from ._version import __version__
from .classifier import MNISTClassifier, load_model
from .datasets import DownloadError, fetch_mnist, get_data_home, load_sample, read_idx
from .evaluation import (
    EvaluationResult,
    ModelComparison,
    compare_models,
    default_models,
    evaluate,
)

__all__ = [
    "DownloadError",
    "EvaluationResult",
    "MNISTClassifier",
    "ModelComparison",
    "__version__",
    "compare_models",
    "default_models",
    "evaluate",
    "fetch_mnist",
    "get_data_home",
    "load_model",
    "load_sample",
    "read_idx",
]
