"""Plots of MNIST digits and of classifier evaluations, with matplotlib.

Every plot is a Display object in the style of scikit-learn's
``ConfusionMatrixDisplay``: build it from an evaluation result, an estimator
and data, or plain predictions; ``plot(ax=None)`` draws it and returns it with
``figure_``, ``ax_`` (``axes_`` for grids) and the artists drawn. pyplot is
imported only when something is drawn, and nothing ever calls ``plt.show()``.
"""

from ._comparison import ComparisonPlot
from ._confusion import ConfusionMatrixPlot
from ._curves import PrecisionRecallPlot, RocCurvePlot
from ._dashboard import DashboardPlot, plot_dashboard, save_figures
from ._digits import DigitGridPlot, MisclassifiedPlot, plot_digits
from ._metrics import ClassMetricsPlot

__all__ = [
    "ClassMetricsPlot",
    "ComparisonPlot",
    "ConfusionMatrixPlot",
    "DashboardPlot",
    "DigitGridPlot",
    "MisclassifiedPlot",
    "PrecisionRecallPlot",
    "RocCurvePlot",
    "plot_dashboard",
    "plot_digits",
    "save_figures",
]
