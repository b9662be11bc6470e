"""Precision, recall and F1 per digit as grouped bars."""

import numpy as np

from .. import evaluation
from . import _style
from ._repr import DisplayMixin

_METRICS = ("precision", "recall", "f1")
_METRIC_NAMES = {"precision": "Precision", "recall": "Recall", "f1": "F1"}


class ClassMetricsDisplay(DisplayMixin):
    """Precision, recall and F1 of each digit, as grouped bars.

    Parameters
    ----------
    precision : array-like of shape (n_classes,)
        The precision of each class, between 0 and 1.
    recall : array-like of shape (n_classes,)
        The recall of each class, between 0 and 1.
    f1 : array-like of shape (n_classes,)
        The F1 score of each class, between 0 and 1.
    labels : array-like of shape (n_classes,)
        The class labels.
    support : array-like of shape (n_classes,), default=None
        The number of true samples of each class, written under its label.

    Attributes
    ----------
    bars_ : dict
        "precision", "recall" and "f1" to their
        :class:`~matplotlib.container.BarContainer`.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    See Also
    --------
    ConfusionMatrixDisplay : Where the errors go.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import ClassMetricsDisplay
    >>> display = ClassMetricsDisplay.from_predictions([0, 0, 1, 1], [0, 1, 1, 1])
    >>> [float(bar.get_height()) for bar in display.bars_["recall"]]
    [0.5, 1.0]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, precision, recall, f1, *, labels, support=None):
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.labels = labels
        self.support = support

    def _summary(self):
        f1 = np.asarray(self.f1, dtype=float)
        worst = int(np.argmin(f1))
        return (f"{len(f1)} classes, mean F1 {f1.mean():.4f}, lowest "
                f"{_style.label_text(np.asarray(self.labels)[worst])} ({f1[worst]:.4f})")

    def _checked(self):
        """The three scores as arrays, by name, after checking them against the labels."""
        values = {name: np.asarray(getattr(self, name), dtype=float) for name in _METRICS}
        _style.check_same_length(labels=self.labels, **values,
                                 **{"support counts": self.support})
        for name, v in values.items():
            if v.ndim != 1 or np.any((v < 0) | (v > 1)):
                msg = f"{name} must be a 1-D array of scores between 0 and 1."
                raise ValueError(msg)
        return values

    def plot(self, ax=None, *, ymin="auto", title="Precision, recall and F1 per digit",
             bar_kw=None):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        ymin : float or "auto", default="auto"
            The bottom of the y axis. "auto" zooms in on the scores (down to
            the tenth below the lowest), so that differences between digits
            show; 0 shows whole bars.
        title : str, default="Precision, recall and F1 per digit"
            The axes title, at the left; None or "" for none.
        bar_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.bar` for every group of bars,
            over mnistkit's settings (e.g. ``{"edgecolor": "black"}``).

        Returns
        -------
        self : ClassMetricsDisplay
            The display, with ``bars_``, ``ax_`` and ``figure_`` set.
        """
        values = self._checked()
        n = len(self.labels)
        fig, ax = _style.new_axes(ax, figsize=(max(5.0, 0.55 * n + 1.5), 3.6))
        x = np.arange(n)
        width = 0.27
        self.bars_ = {}
        for k, name in enumerate(_METRICS):
            kw = _style.merged({"label": _METRIC_NAMES[name],
                                "color": _style.METRIC_COLORS[name],
                                "edgecolor": "white", "linewidth": 0.5}, bar_kw)
            self.bars_[name] = ax.bar(x + (k - 1) * width, values[name], width, **kw)
        if ymin == "auto":
            lowest = min(float(np.min(values[name])) for name in _METRICS)
            ymin = max(0.0, np.floor(lowest * 10 - 0.5) / 10)
        ax.set_ylim(ymin, 1.0)
        labels = [_style.label_text(label) for label in self.labels]
        if self.support is not None:
            labels = [f"{label}\n(n={s})" for label, s in zip(labels, self.support, strict=True)]
        ax.set_xticks(x, labels=labels)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, n - 0.4)
        ax.grid(True, axis="y", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _style.style_axes(ax, xlabel="Digit", ylabel="Score")
        if title:
            ax.set_title(title, loc="left")
        if self.support is not None:
            ax.tick_params(axis="x", labelsize=_style.TEXT_SIZE)
        # The legend sits on the title's line, at the right, clear of the bars.
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, frameon=False,
                  fontsize=_style.LEGEND_SIZE, borderaxespad=0.1, handlelength=1.2,
                  columnspacing=1.0)
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_evaluation(cls, result, *, ymin="auto", title="Precision, recall and F1 per digit",
                        bar_kw=None, ax=None):
        """Plot the per-class scores of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; its ``support`` is
            written under each label.
        {plot_parameters}

        Returns
        -------
        display : ClassMetricsDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        display = cls(result.precision, result.recall, result.f1, labels=result.labels,
                      support=result.support)
        return display.plot(ax=ax, **options)

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, labels=None, ymin="auto",
                         title="Precision, recall and F1 per digit", bar_kw=None, ax=None):
        """Compute and plot the per-class scores of predictions.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels.
        labels : array-like, default=None
            The classes, in the order of the bars; by default every label in
            ``y_true`` or ``y_pred``, sorted.
        {plot_parameters}

        Returns
        -------
        display : ClassMetricsDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        result = evaluation.EvaluationResult.from_predictions(y_true, y_pred, labels=labels)
        return cls.from_evaluation(result, **options)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, labels=None, ymin="auto",
                       title="Precision, recall and F1 per digit", bar_kw=None, ax=None):
        """Predict ``X`` with a fitted estimator and plot the per-class scores.

        Parameters
        ----------
        estimator : fitted classifier
            Only its ``predict`` is used.
        X : array-like of shape (n_samples, n_features)
            The samples to predict.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        labels : array-like, default=None
            The classes, in the order of the bars; by default the
            estimator's ``classes_`` (if it has none, every label in ``y``
            or the predictions, sorted).
        {plot_parameters}

        Returns
        -------
        display : ClassMetricsDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        if labels is None:
            labels = getattr(estimator, "classes_", None)
        return cls.from_predictions(y, estimator.predict(X), labels=labels, **options)


_style.fill_docstrings(
    ClassMetricsDisplay, ("from_evaluation", "from_predictions", "from_estimator"),
    plot_parameters="""\
ymin : float or "auto", default="auto"
    The bottom of the y axis. "auto" zooms in on the scores (down to
    the tenth below the lowest), so that differences between digits
    show; 0 shows whole bars.
title : str, default="Precision, recall and F1 per digit"
    The axes title, at the left; None or "" for none.
bar_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.bar` for every group of bars,
    over mnistkit's settings.
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure.""",
)
