"""The MNISTClassifier estimator, its named settings, and model files.

``PRESETS`` maps the short model names used by the command line and
:func:`default_models` (``"sgd"``, ``"svc-ovr"``, ...) to MNISTClassifier
parameters; ``CLASSIC`` names the four models of the classic comparison.
"""

from ._estimator import MNISTClassifier
from ._persistence import load_model, read_model_header
from ._presets import CLASSIC, PRESETS, default_models

__all__ = [
    "CLASSIC",
    "PRESETS",
    "MNISTClassifier",
    "default_models",
    "load_model",
    "read_model_header",
]
