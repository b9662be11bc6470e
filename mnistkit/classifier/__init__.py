"""The MNISTClassifier estimator, its named settings, and model files.

``PRESETS`` maps the short model names used by the command line and
:func:`default_models` (``"sgd"``, ``"svc-ovr"``, ...) to MNISTClassifier
parameters; ``CLASSIC`` names the four models of the classic comparison;
:func:`model_file_options` gives what ``mnistkit train`` adds to them, and
:func:`load_default_model` the default model, trained on MNIST once and cached.
"""

from ._default import default_model_path, load_default_model, model_file_options
from ._estimator import MNISTClassifier
from ._persistence import load_model, read_model_header
from ._presets import CLASSIC, PRESETS, default_models

__all__ = [
    "CLASSIC",
    "PRESETS",
    "MNISTClassifier",
    "default_model_path",
    "default_models",
    "load_default_model",
    "load_model",
    "model_file_options",
    "read_model_header",
]
