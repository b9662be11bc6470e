"""Risk against coverage: the error rate among the answers a model is most sure of."""

import math

import numpy as np

from .. import evaluation
from . import _style
from ._curves import legend, score_text
from ._repr import DisplayMixin

_TITLE = "Risk-coverage (most confident answers kept)"

_PARAMETERS = """\
name : str, default=None
    The model's name in the legend, so that several models can share one
    axes: pass the first display's ``ax_`` as ``ax`` to the next.
title : str, default="Risk-coverage (most confident answers kept)"
    The axes title; None for none.
legend_loc : str, default="upper left"
    Where to put the legend, as matplotlib's ``loc`` (e.g. "best"); no
    legend is drawn when the curve has neither a name nor an AUROC.
line_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.plot`, over mnistkit's settings
    (e.g. ``{"linewidth": 3}``).
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure."""


def _check_curve(coverage, risk):
    coverage, risk = (np.asarray(a, dtype=float) for a in (coverage, risk))
    if coverage.ndim != 1 or coverage.shape != risk.shape or coverage.size == 0:
        msg = (
            f"coverage and risk must be two 1-D arrays of equal length, one point per "
            f"threshold, got shapes {coverage.shape} and {risk.shape}."
        )
        raise ValueError(msg)
    for name, values in (("coverage", coverage), ("risk", risk)):
        if not np.all((values >= 0) & (values <= 1)):
            msg = (
                f"{name} must hold shares between 0 and 1, got values from "
                f"{np.nanmin(values):g} to {np.nanmax(values):g}."
            )
            raise ValueError(msg)
    return coverage, risk


def _label(name, auroc):
    if auroc is None:
        return name
    text = "AUROC n/a" if math.isnan(auroc) else f"AUROC = {score_text(auroc)}"
    return text if name is None else f"{name} ({text})"


class RiskCoverageDisplay(DisplayMixin):
    """Risk against coverage: how the error rate grows as less sure answers are kept.

    The answers are sorted by the model's confidence, most sure first; each
    point keeps the answers down to one confidence threshold and shows the
    share kept (coverage) and the error rate among them (risk), both in
    percent. A confidence that tells right answers from wrong gives a curve
    that stays low and rises only at the right, where the doubtful answers
    come in; one that ranks no better than chance gives a flat line at the
    overall error rate. The legend gives the area under the ROC curve of the
    confidence, right against wrong (AUROC). With ``name=``, several models
    can share one axes (see the example).

    Parameters
    ----------
    coverage : array-like of shape (n_thresholds,)
        The share of answers kept at each threshold, as returned by
        :func:`~mnistkit.evaluation.risk_coverage_curve`.
    risk : array-like of shape (n_thresholds,)
        The error rate among the answers kept.
    auroc : float, default=None
        The AUROC of the confidence, right against wrong, shown in the legend
        (:func:`~mnistkit.evaluation.confidence_auroc`).
    name : str, default=None
        The model's name, shown in the legend.

    Attributes
    ----------
    line_ : matplotlib.lines.Line2D
        The curve drawn: its data are ``coverage`` and ``risk`` as shares,
        the axes label them in percent.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    See Also
    --------
    mnistkit.evaluation.risk_coverage_curve : Compute the curve.
    RocCurveDisplay : One digit against the rest, by score.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import RiskCoverageDisplay
    >>> y_true = [1, 2, 3, 4, 5, 6]
    >>> y_pred = [1, 2, 0, 4, 0, 0]
    >>> confidence = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5]
    >>> display = RiskCoverageDisplay.from_predictions(y_true, y_pred, confidence, name="A")
    >>> display.line_.get_xdata().round(3).tolist()  # coverage
    [0.167, 0.5, 0.667, 1.0]
    >>> display.line_.get_ydata().round(3).tolist()  # risk
    [0.0, 0.333, 0.25, 0.5]

    A second model on the same axes:

    >>> other = RiskCoverageDisplay.from_predictions(
    ...     y_true, y_pred, [0.9, 0.8, 0.2, 0.7, 0.3, 0.1], name="B", ax=display.ax_
    ... )
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()]
    ['A (AUROC = 0.833)', 'B (AUROC = 1.0000)']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, *, coverage, risk, auroc=None, name=None):
        self.coverage = coverage
        self.risk = risk
        self.auroc = auroc
        self.name = name

    def _summary(self):
        coverage, risk = np.asarray(self.coverage, float), np.asarray(self.risk, float)
        text = f"risk {risk[np.argmax(coverage)]:.2%} at full coverage"
        if self.auroc is not None:
            text += f", confidence AUROC {score_text(self.auroc)}"
        return (f"{self.name}: " if self.name else "") + text

    def plot(self, ax=None, *, name=None, title=_TITLE, legend_loc="upper left",
             line_kw=None):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure. Give the ``ax_`` of
            another display, with ``name=``, to compare models.
        name : str, default=None
            The model's name in the legend; by default the display's ``name``.
        title : str, default="Risk-coverage (most confident answers kept)"
            The axes title; None for none.
        legend_loc : str, default="upper left"
            Where to put the legend, as matplotlib's ``loc`` (e.g. "best"); no
            legend is drawn when no curve on the axes has a name or an AUROC.
        line_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot`, over mnistkit's
            settings (e.g. ``{"linewidth": 3}``).

        Returns
        -------
        self : RiskCoverageDisplay
            The display, with ``line_``, ``ax_`` and ``figure_`` set.
        """
        from matplotlib.ticker import PercentFormatter

        name = self.name if name is None else name
        coverage, risk = _check_curve(self.coverage, self.risk)
        auroc = None if self.auroc is None else float(self.auroc)
        fig, ax = _style.new_axes(ax, figsize=(5.4, 4.2))
        # Risk from 0 up to the highest curve on the axes, this one or those drawn before.
        top = ax.get_ylim()[1] if ax.has_data() else 0.0
        style = {"linewidth": 1.6, "label": _label(name, auroc)}
        if coverage.size == 1:  # every answer equally sure: one point
            style["marker"] = "o"
        kw = _style.merged(style, line_kw)
        (self.line_,) = ax.plot(coverage, risk, **kw)
        ax.set_xlim(0.0, 1.01)
        ax.set_ylim(0.0, max(top, 1.05 * float(risk.max()), 0.01))
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        _style.style_axes(ax, title=title, xlabel="Coverage (share of answers kept)",
                          ylabel="Risk (error rate of the answers kept)")
        if any(not text.startswith("_") for text in ax.get_legend_handles_labels()[1]):
            legend(ax, legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_evaluation(cls, result, *, name=None, title=_TITLE, legend_loc="upper left",
                        line_kw=None, ax=None):
        """Plot the risk-coverage curve of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        {parameters}

        Returns
        -------
        display : RiskCoverageDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ("ax", "name"))
        _style.needs_scores(result, "Risk-coverage curves")
        coverage, risk, _ = result.risk_coverage_curve
        display = cls(coverage=coverage, risk=risk, auroc=result.confidence_auroc, name=name)
        return display.plot(ax=ax, **options)

    @classmethod
    def from_predictions(cls, y_true, y_pred, confidence, *, name=None, title=_TITLE,
                         legend_loc="upper left", line_kw=None, ax=None):
        """Compute and plot the risk-coverage curve of answers and their confidence.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels, the answers.
        confidence : array-like of shape (n_samples,)
            How sure the model was of each answer, such as the highest
            probability of ``predict_proba``; only the order matters.
        {parameters}

        Returns
        -------
        display : RiskCoverageDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ("ax", "name"))
        coverage, risk, _ = evaluation.risk_coverage_curve(y_true, y_pred, confidence)
        auroc = evaluation.confidence_auroc(y_true, y_pred, confidence)
        display = cls(coverage=coverage, risk=risk, auroc=auroc, name=name)
        return display.plot(ax=ax, **options)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, name=None, title=_TITLE,
                       legend_loc="upper left", line_kw=None, ax=None):
        """Predict ``X`` with a fitted classifier and plot its risk-coverage curve.

        Parameters
        ----------
        estimator : fitted classifier with predict_proba or decision_function
            The confidence of each answer is the score of the predicted label
            from ``predict_proba`` where the classifier has it, else from
            ``decision_function``.
        X : array-like of shape (n_samples, n_features)
            The samples to predict.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        {parameters}

        Returns
        -------
        display : RiskCoverageDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        # The result computes, when read, the curve and its AUROC only.
        return cls.from_evaluation(evaluation.evaluate(estimator, X, y), **options)


_style.fill_docstrings(RiskCoverageDisplay, ("from_evaluation", "from_predictions",
                                             "from_estimator"), parameters=_PARAMETERS)
