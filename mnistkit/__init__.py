"""mnistkit: MNIST with scikit-learn, from download to plots.

Download MNIST with verified checksums, train a digit classifier with a
scikit-learn API, evaluate and draw it, and read people's own pictures of
digits, saying when a picture is not a digit or a reading is unsure.

The parts, all importable from the top level (``from mnistkit import ...``):

- data: :func:`fetch_mnist`, :func:`load_sample` (3,000 images shipped,
  offline), :func:`read_idx`;
- the model: :class:`MNISTClassifier` (SVM by default, also SGD and random
  forests), :func:`load_model`, :func:`default_models`, and
  :func:`load_default_model` (trained on MNIST once, then cached);
- evaluation: :func:`evaluate` (an :class:`EvaluationResult`),
  :func:`compare_models`, :func:`risk_coverage_curve`;
- plots: the Display classes (:class:`ConfusionMatrixDisplay`,
  :class:`RiskCoverageDisplay`, ...), :func:`plot_dashboard`;
- pictures: :func:`read_digit_image`, :func:`to_mnist_format`,
  :func:`read_number`.

Example::

    from mnistkit import MNISTClassifier, evaluate, fetch_mnist, read_digit_image

    X, y = fetch_mnist(subset="train", return_X_y=True)
    clf = MNISTClassifier(probability="fast").fit(X, y)      # 99.50% on the test set
    X_test, y_test = fetch_mnist(subset="test", return_X_y=True)
    print(evaluate(clf, X_test, y_test))
    print(clf.assess(read_digit_image("digit.png").reshape(1, -1)).verdict)

The ``mnistkit`` command does the same from a terminal (``mnistkit --help``),
and ``mnistkit demo`` serves a page to draw digits on and see them read.
Documentation: https://mnistkit.readthedocs.io
"""

from ._version import __version__
from .classifier import MNISTClassifier, default_models, load_default_model, load_model
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
    "load_default_model",
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
