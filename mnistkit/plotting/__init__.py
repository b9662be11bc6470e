"""Plots of MNIST digits and of classifier evaluations, with matplotlib.

Every plot is a Display object in the style of scikit-learn's
``ConfusionMatrixDisplay``: build it with ``from_evaluation``,
``from_estimator`` or ``from_predictions`` (``ax=`` to draw on your own axes,
``name=`` to put several models on one), or from the numbers themselves, then
``plot(ax=None)``; it returns itself with ``figure_``, ``ax_`` (``axes_`` for
grids) and the artists drawn (``im_``, ``text_``, ``lines_``...). The numbers
come from :mod:`mnistkit.evaluation`: a display's ``__init__`` only stores
them, ``plot`` checks and draws them, and ``from_estimator`` computes only
what it draws. Font sizes follow rcParams and style sheets. pyplot is
imported only when something is drawn, and nothing ever calls ``plt.show()``.
In a notebook, a display's repr names what matters, and it shows its plot.
"""

import warnings

from ._comparison import ComparisonDisplay
from ._confusion import ConfusionMatrixDisplay
from ._curves import PrecisionRecallDisplay, RocCurveDisplay
from ._dashboard import DashboardDisplay, plot_dashboard, save_figures
from ._digits import DigitGridDisplay, MisclassifiedDisplay, plot_digits
from ._metrics import ClassMetricsDisplay
from ._risk import RiskCoverageDisplay

__all__ = [
    "ClassMetricsDisplay",
    "ComparisonDisplay",
    "ConfusionMatrixDisplay",
    "DashboardDisplay",
    "DigitGridDisplay",
    "MisclassifiedDisplay",
    "PrecisionRecallDisplay",
    "RiskCoverageDisplay",
    "RocCurveDisplay",
    "plot_dashboard",
    "plot_digits",
    "save_figures",
]

# The names of mnistkit 0.1, kept for one release: old name -> new name. (Displays
# added since have no old name.)
DEPRECATED_NAMES = {
    name.replace("Display", "Plot"): name
    for name in (
        "ClassMetricsDisplay", "ComparisonDisplay", "ConfusionMatrixDisplay",
        "DashboardDisplay", "DigitGridDisplay", "MisclassifiedDisplay",
        "PrecisionRecallDisplay", "RocCurveDisplay",
    )
}


def deprecated_name(module, name):
    """The class an old ``...Plot`` name stands for, with a FutureWarning naming the new one."""
    new = DEPRECATED_NAMES.get(name)
    if new is None:
        msg = f"module {module!r} has no attribute {name!r}"
        raise AttributeError(msg)
    warnings.warn(
        f"{name} is deprecated since mnistkit 0.2 and will be removed in 0.3; "
        f"use {new} instead.",
        FutureWarning,
        stacklevel=3,
    )
    return globals()[new]


def __getattr__(name):
    return deprecated_name(__name__, name)
