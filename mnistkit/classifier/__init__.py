"""The MNISTClassifier estimator, its named settings, model files, and digit features.

``PRESETS`` maps the short model names used by the command line and
:func:`default_models` (``"sgd"``, ``"svc-ovr"``, ...) to MNISTClassifier
parameters; ``CLASSIC`` names the four models of the classic comparison;
:func:`model_file_options` gives what ``mnistkit train`` adds to them, and
:func:`load_default_model` the default model, trained on MNIST once and cached.

:class:`Deskew`, :class:`MomentNormalize`, :class:`HOGFeatures` and
:class:`GradientDirectionFeatures` are the scikit-learn transformers of digit
images that MNISTClassifier is built from, for pipelines of one's own.
"""

from ._default import default_model_path, load_default_model, model_file_options
from ._estimator import MNISTClassifier
from ._features import Deskew, HOGFeatures, MomentNormalize
from ._gradients import GradientDirectionFeatures
from ._persistence import load_model, read_model_header
from ._presets import CLASSIC, PRESETS, default_models

__all__ = [
    "CLASSIC",
    "PRESETS",
    "Deskew",
    "GradientDirectionFeatures",
    "HOGFeatures",
    "MNISTClassifier",
    "MomentNormalize",
    "default_model_path",
    "default_models",
    "load_default_model",
    "load_model",
    "model_file_options",
    "read_model_header",
]
