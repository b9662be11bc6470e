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
    confidence_auroc,
    error_at_coverage,
    evaluate,
    risk_coverage_curve,
)
from .imaging import (
    NoDigitError,
    NumberReading,
    read_digit_image,
    read_number,
    to_mnist_format,
)
from .plotting import (
    ClassMetricsDisplay,
    ComparisonDisplay,
    ConfusionMatrixDisplay,
    DashboardDisplay,
    DigitGridDisplay,
    MisclassifiedDisplay,
    PrecisionRecallDisplay,
    RiskCoverageDisplay,
    RocCurveDisplay,
    plot_dashboard,
    plot_digits,
    save_figures,
)

__all__ = [
    "ClassMetricsDisplay",
    "ComparisonDisplay",
    "ConfusionMatrixDisplay",
    "DashboardDisplay",
    "DigitGridDisplay",
    "DownloadError",
    "EvaluationResult",
    "MNISTClassifier",
    "MisclassifiedDisplay",
    "ModelComparison",
    "NoDigitError",
    "NumberReading",
    "PrecisionRecallDisplay",
    "RiskCoverageDisplay",
    "RocCurveDisplay",
    "__version__",
    "compare_models",
    "confidence_auroc",
    "default_models",
    "error_at_coverage",
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
    "risk_coverage_curve",
    "save_figures",
    "to_mnist_format",
]


def __getattr__(name):
    # The plot classes' names of mnistkit 0.1 (``ConfusionMatrixPlot``...), for one
    # more release, with a FutureWarning that names the new one.
    from .plotting import deprecated_name

    return deprecated_name(__name__, name)
