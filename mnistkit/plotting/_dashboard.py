"""One page for one evaluation, and every plot of an evaluation written to files."""

import os
from pathlib import Path

import numpy as np

from . import _style
from ._confusion import ConfusionMatrixPlot
from ._curves import PrecisionRecallPlot, RocCurvePlot
from ._digits import DigitGridPlot, MisclassifiedPlot
from ._metrics import ClassMetricsPlot

_FORMATS = ("png", "svg", "pdf")
_PAGE_TITLE_SIZE = _style.TITLE_SIZE + 2


def _has(result, name):
    return getattr(result, name, None) is not None


def _n_mistakes(result):
    return len(result.misclassified["index"])


class DashboardPlot:
    """One page with the confusion matrix, the curves and the worst mistakes.

    Four panels: the confusion matrix (diagonal dimmed so that errors stand
    out), the ROC and precision/recall curves, and the most confident mistakes.
    Without scores the curves give way to the per-digit precision, recall and
    F1; without images, the mistakes do.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`mnistkit.evaluation.evaluate`.

    Attributes
    ----------
    confusion_matrix_ : ConfusionMatrixPlot
    roc_curve_ : RocCurvePlot or None
    precision_recall_ : PrecisionRecallPlot or None
    misclassified_ : MisclassifiedPlot or None
    class_metrics_ : ClassMetricsPlot or None
    figure_ : matplotlib.figure.Figure
        The page; save it with :meth:`savefig`.

    See Also
    --------
    plot_dashboard : The same, as a function.
    """

    def __init__(self, result):
        self.result = result

    def plot(self, fig=None, *, n_mistakes=12, title=None, figsize=(11.0, 8.5)):
        """Draw the page.

        Parameters
        ----------
        fig : matplotlib.figure.Figure, default=None
            An empty figure to draw on; by default a new one of ``figsize``.
        n_mistakes : int, default=12
            How many of the most confident mistakes to show.
        title : str, default=None
            The page title; by default the accuracy and number of samples.
        figsize : tuple of float, default=(11.0, 8.5)
            The size of a new figure, in inches.

        Returns
        -------
        self : DashboardPlot
            The display, with ``figure_`` and the panels' displays set (None
            for the panels not drawn).
        """
        result = self.result
        if fig is None:
            fig = _style.pyplot().figure(figsize=figsize, layout="constrained")
        has_scores = _has(result, "y_score")
        has_mistakes = _has(result, "images") and _n_mistakes(result) > 0
        top, bottom = fig.subfigures(2, 1, height_ratios=[1.0, 1.0], hspace=0.02)
        top_left, top_right = top.subfigures(1, 2, width_ratios=[1.0, 1.0], wspace=0.02)
        bottom_left, bottom_right = bottom.subfigures(1, 2, width_ratios=[1.0, 1.0],
                                                      wspace=0.02)

        self.confusion_matrix_ = ConfusionMatrixPlot.from_evaluation(
            result, ax=top_left.subplots(), diagonal="dim", colorbar=True,
            title="Confusion matrix (diagonal greyed)",
        )
        self.roc_curve_ = self.precision_recall_ = None
        self.class_metrics_ = self.misclassified_ = None
        if has_scores:
            self.roc_curve_ = RocCurvePlot.from_evaluation(
                result, ax=top_right.subplots(), title="ROC curves (one vs. rest)"
            )
            self.precision_recall_ = PrecisionRecallPlot.from_evaluation(
                result, ax=bottom_left.subplots(), title="Precision/recall (one vs. rest)"
            )
        else:
            self.class_metrics_ = ClassMetricsPlot.from_evaluation(
                result, ax=top_right.subplots()
            )
        mistakes_panel = bottom_right if has_scores else bottom_left
        if has_mistakes:
            n_shown = min(n_mistakes, _n_mistakes(result))
            # Decision values are not probabilities: call them scores.
            score_name = ("score" if getattr(result, "score_source", None) == "decision_function"
                          else "confidence")
            self.misclassified_ = MisclassifiedPlot.from_evaluation(
                result, n=n_mistakes, ax=mistakes_panel.subplots(),
                n_cols=4 if n_shown > 6 else 3,
                title=(f"Most confident mistakes (true → predicted, {score_name})" if has_scores
                       else "Mistakes (true → predicted)"),
            )
        elif self.class_metrics_ is None:
            self.class_metrics_ = ClassMetricsPlot.from_evaluation(
                result, ax=mistakes_panel.subplots()
            )
        else:
            ax = mistakes_panel.subplots()
            ax.set_axis_off()
            reason = "no images in this evaluation" if not _has(result, "images") else (
                "no mistakes")
            ax.text(0.5, 0.5, f"Mistakes: {reason}", ha="center", va="center",
                    fontsize=_style.LABEL_SIZE, color="#666666", transform=ax.transAxes)
        if not has_scores:
            for panel in (bottom_right,):
                if not panel.axes:
                    ax = panel.subplots()
                    ax.set_axis_off()
                    ax.text(0.5, 0.5, "No scores in this evaluation: no ROC or\n"
                            "precision/recall curves", ha="center", va="center",
                            fontsize=_style.LABEL_SIZE, color="#666666",
                            transform=ax.transAxes)
        if title is None:
            n = len(np.asarray(result.y_true))
            title = f"Accuracy {result.accuracy:.2%} on {n:,} samples"
        fig.suptitle(title, fontsize=_PAGE_TITLE_SIZE, fontweight="bold")
        self.figure_ = fig
        return self

    def savefig(self, path, **kwargs):
        """Save the page; the format follows the suffix (.png, .svg, .pdf).

        Parameters
        ----------
        path : str or os.PathLike
            The file to write; its suffix, in any case, must be .png, .svg
            or .pdf. An existing file is overwritten.
        **kwargs
            Passed to :meth:`matplotlib.figure.Figure.savefig` (``dpi``, ...).

        Returns
        -------
        path : pathlib.Path
            The file written.

        Raises
        ------
        ValueError
            If the suffix is not .png, .svg or .pdf.
        """
        path = Path(path)
        _check_format(path.suffix.lstrip(".").lower())
        self.figure_.savefig(path, **kwargs)
        return path

    @classmethod
    def from_evaluation(cls, result, **kwargs):
        """Draw the page of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`. Without scores the
            curves give way to the per-digit scores; without images, the
            mistakes do.
        **kwargs
            Passed to :meth:`plot` (``fig``, ``n_mistakes``, ``title``,
            ``figsize``).

        Returns
        -------
        display : DashboardPlot
            The display, drawn.
        """
        return cls(result).plot(**kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, **kwargs):
        """Evaluate a fitted classifier on ``X, y`` and draw its page.

        Parameters
        ----------
        estimator : fitted classifier
            With ``predict_proba`` or ``decision_function``, whose scores
            give the curves and rank the mistakes.
        X : array-like of shape (n_samples, n_features)
            The samples; with 784 features they are also kept as 28 x 28
            images, for the panel of mistakes.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        **kwargs
            Passed to :meth:`plot` (``fig``, ``n_mistakes``, ``title``,
            ``figsize``).

        Returns
        -------
        display : DashboardPlot
            The display, drawn.

        Raises
        ------
        ValueError
            If the estimator has neither ``predict_proba`` nor
            ``decision_function``, or as :func:`mnistkit.evaluation.evaluate`.
        """
        result = _style.evaluation().evaluate(estimator, X, y)
        return cls(result).plot(**kwargs)

    @classmethod
    def from_predictions(cls, y_true, y_pred, y_score=None, *, labels=None, images=None,
                         **kwargs):
        """Evaluate plain predictions and draw their page.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels.
        y_score : array-like of shape (n_samples, n_classes), default=None
            The score of each label, columns in the order of ``labels``; they
            give the curves and rank the mistakes. Without them the curves
            give way to the per-digit scores.
        labels : array-like, default=None
            The label of each score column; by default the sorted labels
            found in ``y_true`` and ``y_pred``.
        images : array-like of shape (n_samples, 28, 28) or (n_samples, 784), default=None
            The samples as images, for the panel of mistakes; without them
            no mistakes are shown.
        **kwargs
            Passed to :meth:`plot` (``fig``, ``n_mistakes``, ``title``,
            ``figsize``).

        Returns
        -------
        display : DashboardPlot
            The display, drawn.
        """
        result = _style.result_from_predictions(y_true, y_pred, y_score, labels=labels,
                                                images=images)
        return cls(result).plot(**kwargs)


def plot_dashboard(result, *, fig=None, n_mistakes=12, title=None, figsize=(11.0, 8.5)):
    """Draw one page summing up an evaluation: confusion matrix, curves, mistakes.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`mnistkit.evaluation.evaluate`.
    fig : matplotlib.figure.Figure, default=None
        An empty figure to draw on; by default a new one.
    n_mistakes : int, default=12
        How many of the most confident mistakes to show.
    title : str, default=None
        The page title; by default the accuracy and number of samples.
    figsize : tuple of float, default=(11.0, 8.5)
        The size of a new figure, in inches.

    Returns
    -------
    dashboard : DashboardPlot
        With ``figure_`` and a :meth:`~DashboardPlot.savefig` method.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import EvaluationResult, plot_dashboard
    >>> result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    >>> dashboard = plot_dashboard(result)
    >>> dashboard.confusion_matrix_.text_[1, 0].get_text()
    '1'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(dashboard.figure_)
    """
    return DashboardPlot(result).plot(fig=fig, n_mistakes=n_mistakes, title=title,
                                      figsize=figsize)


def _check_format(fmt):
    if fmt not in _FORMATS:
        msg = f"figures can be saved as 'png', 'svg' or 'pdf', got {fmt!r}."
        raise ValueError(msg)


def save_figures(result, folder, formats=("png",), *, dpi=150, prefix=""):
    """Write every plot of one evaluation result to a folder.

    The files are ``dashboard``, ``confusion_matrix``,
    ``confusion_matrix_normalized``, ``class_metrics``, and, when the result
    holds scores, ``roc_curves`` and ``precision_recall``, and, when it holds
    images, ``misclassified`` and ``digits``; each in every format asked for.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`mnistkit.evaluation.evaluate`.
    folder : str or os.PathLike
        Where to write; created if missing.
    formats : sequence of {"png", "svg", "pdf"}, default=("png",)
    dpi : float, default=150
        Resolution of PNG files.
    prefix : str, default=""
        Put before every file name.

    Returns
    -------
    paths : list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tempfile
    >>> from mnistkit import EvaluationResult, save_figures
    >>> result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in save_figures(result, folder)]
    ['dashboard.png', 'confusion_matrix.png', 'confusion_matrix_normalized.png', 'class_metrics.png']
    """  # noqa: E501
    if isinstance(formats, str):
        formats = (formats,)
    formats = [str(fmt).lower().lstrip(".") for fmt in formats]
    for fmt in formats:
        _check_format(fmt)
    folder = Path(os.fspath(folder))
    folder.mkdir(parents=True, exist_ok=True)
    plt = _style.pyplot()

    makers = [
        ("dashboard", lambda: plot_dashboard(result)),
        ("confusion_matrix", lambda: ConfusionMatrixPlot.from_evaluation(result)),
        ("confusion_matrix_normalized",
         lambda: ConfusionMatrixPlot.from_evaluation(result, normalize="true",
                                                     diagonal="dim")),
        ("class_metrics", lambda: ClassMetricsPlot.from_evaluation(result)),
    ]
    if _has(result, "y_score"):
        makers += [
            ("roc_curves", lambda: RocCurvePlot.from_evaluation(result)),
            ("precision_recall", lambda: PrecisionRecallPlot.from_evaluation(result,
                                                                             iso_f1=True)),
        ]
    if _has(result, "images"):
        makers.append(("digits", lambda: DigitGridPlot.from_evaluation(result, n=30)))
        if _n_mistakes(result):
            top_k = 3 if _has(result, "y_score") else None
            makers.append(("misclassified",
                           lambda: MisclassifiedPlot.from_evaluation(result, n=18,
                                                                     top_k=top_k)))
    paths = []
    for name, make in makers:
        figure = make().figure_
        try:
            for fmt in formats:
                path = folder / f"{prefix}{name}.{fmt}"
                figure.savefig(path, dpi=dpi if fmt == "png" else "figure")
                paths.append(path)
        finally:
            plt.close(figure)
    return paths
