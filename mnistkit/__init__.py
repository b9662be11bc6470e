"""mnistkit: MNIST with scikit-learn, from download to plots.

The supported import path is the top level: ``from mnistkit import fetch_mnist``.
"""

from ._version import __version__
from .classifier import MNISTClassifier, default_models, load_model
from .datasets import DownloadError, fetch_mnist, get_data_home, load_sample, read_idx
from .evaluation import (
    EvaluationResult,
    ModelComparison,
    compare_models,
    evaluate,
)
from .imaging import NumberReading, read_digit_image, read_number, to_mnist_format
from .plotting import (
    ClassMetricsPlot,
    ComparisonPlot,
    ConfusionMatrixPlot,
    DashboardPlot,
    DigitGridPlot,
    MisclassifiedPlot,
    PrecisionRecallPlot,
    RocCurvePlot,
    plot_dashboard,
    plot_digits,
    save_figures,
)

__all__ = [
    "ClassMetricsPlot",
    "ComparisonPlot",
    "ConfusionMatrixPlot",
    "DashboardPlot",
    "DigitGridPlot",
    "DownloadError",
    "EvaluationResult",
    "MNISTClassifier",
    "MisclassifiedPlot",
    "ModelComparison",
    "NumberReading",
    "PrecisionRecallPlot",
    "RocCurvePlot",
    "__version__",
    "compare_models",
    "default_models",
    "evaluate",
    "fetch_mnist",
    "get_data_home",
    "load_model",
    "load_sample",
    "plot_dashboard",
    "plot_digits",
    "read_digit_image",
    "read_idx",
    "read_number",
    "save_figures",
    "to_mnist_format",
]
