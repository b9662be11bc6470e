"""The MNISTClassifier estimator and model files."""

from ._estimator import MNISTClassifier
from ._persistence import load_model

__all__ = ["MNISTClassifier", "load_model"]
