"""One page for one evaluation, and every plot of an evaluation written to files."""

import os
from pathlib import Path

import numpy as np

from .. import evaluation
from . import _style
from ._confusion import ConfusionMatrixDisplay
from ._curves import PrecisionRecallDisplay, RocCurveDisplay
from ._digits import DigitGridDisplay, MisclassifiedDisplay
from ._metrics import ClassMetricsDisplay
from ._repr import DisplayMixin
from ._risk import RiskCoverageDisplay

_FORMATS = ("png", "svg", "pdf")


def _has(result, name):
    return getattr(result, name, None) is not None


def _n_mistakes(result):
    return len(result.misclassified["index"])


_PLOT_PARAMETERS = """\
fig : matplotlib.figure.Figure, default=None
    An empty figure to draw on; by default a new one of ``figsize``.
n_mistakes : int, default=12
    How many of the most confident mistakes to show.
title : str, default=None
    The page title; by default the accuracy and number of samples.
figsize : tuple of float, default=(11.0, 8.5)
    The size of a new figure, in inches."""


def _note(ax, text):
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", color="#666666",
            transform=ax.transAxes)


class DashboardDisplay(DisplayMixin):
    """One page with the confusion matrix, the curves and the worst mistakes.

    Four panels: the confusion matrix (diagonal greyed so that errors stand
    out), the ROC and precision/recall curves, and the most confident
    mistakes, each titled with how sure the model was (the score it gave the
    predicted digit: a probability, or, for a model without probabilities, a
    decision value). Without scores the curves give way to the per-digit
    precision, recall and F1; without images, the mistakes do.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`mnistkit.evaluation.evaluate`.

    Attributes
    ----------
    confusion_matrix_ : ConfusionMatrixDisplay
        The confusion matrix panel.
    roc_curve_ : RocCurveDisplay or None
        The ROC panel (None without scores).
    precision_recall_ : PrecisionRecallDisplay or None
        The precision/recall panel (None without scores).
    misclassified_ : MisclassifiedDisplay or None
        The mistakes panel (None without images or mistakes).
    class_metrics_ : ClassMetricsDisplay or None
        The per-digit scores panel (drawn only without scores).
    figure_ : matplotlib.figure.Figure
        The page; save it with :meth:`savefig`.

    See Also
    --------
    plot_dashboard : The same, as a function.
    """

    _html_width = 880

    def __init__(self, result):
        self.result = result

    def _summary(self):
        return f"accuracy {self.result.accuracy:.4f} on {self.result.n_samples:,} samples"

    def plot(self, fig=None, *, n_mistakes=12, title=None, figsize=(11.0, 8.5)):
        """Draw the page.

        Parameters
        ----------
        {plot_parameters}

        Returns
        -------
        self : DashboardDisplay
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

        self.confusion_matrix_ = ConfusionMatrixDisplay.from_evaluation(
            result, ax=top_left.subplots(), diagonal="dim", colorbar=True,
            title="Confusion matrix (errors shaded)",
        )
        self.roc_curve_ = self.precision_recall_ = None
        self.class_metrics_ = self.misclassified_ = None
        if has_scores:
            self.roc_curve_ = RocCurveDisplay.from_evaluation(
                result, ax=top_right.subplots(), title="ROC curves (one vs. rest)"
            )
            self.precision_recall_ = PrecisionRecallDisplay.from_evaluation(
                result, ax=bottom_left.subplots(), title="Precision/recall (one vs. rest)"
            )
        else:
            self.class_metrics_ = ClassMetricsDisplay.from_evaluation(
                result, ax=top_right.subplots()
            )
        mistakes_panel = bottom_right if has_scores else bottom_left
        if has_mistakes:
            n_shown = min(n_mistakes, _n_mistakes(result))
            panel_title = "Mistakes (true → predicted)"
            if has_scores:
                meaning = evaluation.CONFIDENCE_NAMES[result.score_source].meaning
                panel_title = f"Most confident mistakes (true → predicted)\nnumber: {meaning}"
            self.misclassified_ = MisclassifiedDisplay.from_evaluation(
                result, n=n_mistakes, ax=mistakes_panel.subplots(),
                n_cols=4 if n_shown > 6 else 3, title=panel_title,
            )
        elif self.class_metrics_ is None:
            self.class_metrics_ = ClassMetricsDisplay.from_evaluation(
                result, ax=mistakes_panel.subplots()
            )
        else:
            reason = "no images in this evaluation" if not _has(result, "images") else (
                "no mistakes")
            _note(mistakes_panel.subplots(), f"Mistakes: {reason}")
        if not has_scores and not bottom_right.axes:
            _note(bottom_right.subplots(),
                  "No scores in this evaluation: no ROC or\nprecision/recall curves")
        if title is None:
            n = len(np.asarray(result.y_true))
            title = f"Accuracy {result.accuracy:.2%} on {n:,} samples"
        fig.suptitle(title, fontsize="x-large", fontweight="bold")
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
    def from_evaluation(cls, result, *, fig=None, n_mistakes=12, title=None,
                        figsize=(11.0, 8.5)):
        """Draw the page of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`. Without scores the
            curves give way to the per-digit scores; without images, the
            mistakes do.
        {plot_parameters}

        Returns
        -------
        display : DashboardDisplay
            The display, drawn.
        """
        return cls(result).plot(**_style.plot_options(cls, locals(), ()))

    @classmethod
    def from_estimator(cls, estimator, X, y, *, fig=None, n_mistakes=12, title=None,
                       figsize=(11.0, 8.5)):
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
        {plot_parameters}

        Returns
        -------
        display : DashboardDisplay
            The display, drawn.

        Raises
        ------
        ValueError
            If the estimator has neither ``predict_proba`` nor
            ``decision_function``, or as :func:`mnistkit.evaluation.evaluate`.
        """
        options = _style.plot_options(cls, locals(), ())
        return cls(evaluation.evaluate(estimator, X, y)).plot(**options)

    @classmethod
    def from_predictions(cls, y_true, y_pred, y_score=None, *, labels=None, images=None,
                         score_source=None, fig=None, n_mistakes=12, title=None,
                         figsize=(11.0, 8.5)):
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
        score_source : {"predict_proba", "decision_function"}, default=None
            What the scores are; by default probabilities if every row of
            ``y_score`` lies in [0, 1] and sums to 1.
        {plot_parameters}

        Returns
        -------
        display : DashboardDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        result = evaluation.EvaluationResult.from_predictions(
            y_true, y_pred, y_score, labels=labels, images=images,
            score_source=(score_source or _style.guess_score_source(y_score)
                          if y_score is not None else None),
        )
        return cls(result).plot(**options)


_style.fill_docstrings(
    DashboardDisplay, ("plot", "from_evaluation", "from_estimator", "from_predictions"),
    plot_parameters=_PLOT_PARAMETERS,
)


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
    dashboard : DashboardDisplay
        With ``figure_`` and a :meth:`~DashboardDisplay.savefig` method.

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
    return DashboardDisplay(result).plot(fig=fig, n_mistakes=n_mistakes, title=title,
                                      figsize=figsize)


def _check_format(fmt):
    if fmt not in _FORMATS:
        msg = f"figures can be saved as 'png', 'svg' or 'pdf', got {fmt!r}."
        raise ValueError(msg)


def save_figures(result, folder, formats=("png",), *, dpi=150, prefix=""):
    """Write every plot of one evaluation result to a folder.

    The files are ``dashboard``, ``confusion_matrix``,
    ``confusion_matrix_normalized`` (both with the errors shaded),
    ``class_metrics``, and, when the result holds scores, ``roc_curves``,
    ``precision_recall`` and ``risk_coverage``, and, when it holds images,
    ``misclassified`` (the most confident mistakes) and, with scores too,
    ``least_confident`` (the right answers the model was least sure of); each
    in every format asked for.

    Parameters
    ----------
    result : EvaluationResult
        From :func:`mnistkit.evaluation.evaluate`.
    folder : str or os.PathLike
        Where to write; created if missing.
    formats : sequence of {"png", "svg", "pdf"}, default=("png",)
        The file formats to write.
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
        ("confusion_matrix",
         lambda: ConfusionMatrixDisplay.from_evaluation(result, diagonal="dim")),
        ("confusion_matrix_normalized",
         lambda: ConfusionMatrixDisplay.from_evaluation(result, normalize="true",
                                                        diagonal="dim")),
        ("class_metrics", lambda: ClassMetricsDisplay.from_evaluation(result)),
    ]
    if _has(result, "y_score"):
        makers += [
            ("roc_curves", lambda: RocCurveDisplay.from_evaluation(result)),
            ("precision_recall", lambda: PrecisionRecallDisplay.from_evaluation(result,
                                                                                iso_f1=True)),
            ("risk_coverage", lambda: RiskCoverageDisplay.from_evaluation(result)),
        ]
    if _has(result, "images"):
        if _n_mistakes(result):
            top_k = 3 if _has(result, "y_score") else None
            makers.append(("misclassified",
                           lambda: MisclassifiedDisplay.from_evaluation(result, n=18,
                                                                        top_k=top_k)))
        if _has(result, "y_score") and _n_mistakes(result) < result.n_samples:
            makers.append(("least_confident",
                           lambda: DigitGridDisplay.from_evaluation(
                               result, n=30, select="least_confident")))
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
