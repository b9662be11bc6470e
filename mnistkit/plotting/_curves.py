"""ROC and precision/recall curves: one per digit plus their averages."""

import numpy as np

from . import _style


def _check_curves(curves, summary, labels, summary_name, averages):
    """The labels that have a curve (a label absent from the test set has none)."""
    labels = list(labels)
    drawn = [label for label in labels if label in curves]
    unknown = [key for key in curves if key not in labels and key not in averages]
    if unknown or not drawn:
        msg = (
            f"curves must be keyed by the labels {labels} (and {', '.join(averages)}), "
            f"got keys {list(curves)}."
        )
        raise ValueError(msg)
    missing = [key for key in [*drawn, *averages] if key not in summary]
    if missing:
        msg = f"{summary_name} is missing for {missing}."
        raise ValueError(msg)
    for key in [*drawn, *averages]:
        x, y = (np.asarray(a, dtype=float) for a in curves[key][:2])
        if x.ndim != 1 or x.shape != y.shape:
            msg = (
                f"the curve of {key!r} must be two 1-D arrays of equal length, "
                f"got shapes {x.shape} and {y.shape}."
            )
            raise ValueError(msg)
    return labels, drawn


def _curve_style(key, position):
    if key == "micro":
        return {"color": _style.MICRO_COLOR, "linestyle": "--", "linewidth": 2.0, "zorder": 4}
    if key == "macro":
        return {"color": _style.MACRO_COLOR, "linestyle": ":", "linewidth": 2.2, "zorder": 4}
    return {"color": _style.digit_color(key, position), "linewidth": 1.1, "alpha": 0.85}


def _curve_name(key):
    if key in ("micro", "macro"):
        return f"{key}-average"
    return f"digit {_style.label_text(key)}"


def _keys_to_draw(labels, averages, classes, wanted):
    keys = []
    if classes is True:
        keys.extend(labels)
    elif classes:
        for label in classes:
            if label not in labels:
                msg = f"classes holds {label!r}, which has no curve; curves exist for {labels}."
                raise ValueError(msg)
            keys.append(label)
    keys.extend(key for key in averages if wanted[key])
    return keys


def _legend(ax, n_entries, loc):
    return ax.legend(
        loc=loc, fontsize=_style.LEGEND_SIZE if n_entries <= 6 else _style.SMALL_SIZE,
        ncols=1 if n_entries <= 6 else 2, frameon=True, framealpha=0.9,
        handlelength=1.6, columnspacing=0.8, labelspacing=0.3, borderpad=0.4,
    )


# The constructors ROC and precision/recall plots share: both compute an evaluation
# result from scores, then draw it with their own ``from_evaluation``.
def _from_predictions(cls, y_true, y_score, *, labels=None, ax=None, **kwargs):
    """Compute and plot the curves of scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_score : array-like of shape (n_samples, n_classes)
        Probabilities or decision values, one column per label; the
        predicted label of each sample is that of its highest score.
    labels : array-like, default=None
        The label of each score column; by default the sorted labels of
        ``y_true``.
    ax : matplotlib.axes.Axes, default=None
        Where to draw; by default a new figure.
    **kwargs
        Passed to :meth:`plot`.

    Returns
    -------
    display : RocCurvePlot or PrecisionRecallPlot
        The display of the class it is called on, drawn.
    """
    labels, y_pred = _style.predictions_from_scores(y_score, labels, y_true)
    result = _style.result_from_predictions(y_true, y_pred, y_score, labels=labels)
    return cls.from_evaluation(result, ax=ax, **kwargs)

def _from_estimator(cls, estimator, X, y, *, ax=None, **kwargs):
    """Evaluate a fitted classifier on ``X, y`` and plot its curves.

    Parameters
    ----------
    estimator : fitted classifier with predict_proba or decision_function
        The scores come from ``predict_proba`` where the classifier has
        it, else from ``decision_function``.
    X : array-like of shape (n_samples, n_features)
        The samples to score.
    y : array-like of shape (n_samples,)
        The true labels of ``X``.
    ax : matplotlib.axes.Axes, default=None
        Where to draw; by default a new figure.
    **kwargs
        Passed to :meth:`plot`.

    Returns
    -------
    display : RocCurvePlot or PrecisionRecallPlot
        The display of the class it is called on, drawn.
    """
    result = _style.evaluation().evaluate(estimator, X, y)
    return cls.from_evaluation(result, ax=ax, **kwargs)


class RocCurvePlot:
    """ROC curves of a multi-class classifier: one per digit, micro- and macro-average.

    Each digit's curve treats that digit as the positive class and all others
    as negative (one-vs-rest). The legend gives each curve's area under the
    curve (AUC); a dotted diagonal marks a classifier that guesses.

    Parameters
    ----------
    curves : dict
        Label (and "micro", "macro") to ``(fpr, tpr, ...)``: the false and
        true positive rates, as in ``EvaluationResult.roc_curves``.
    roc_auc : dict
        The same keys to the area under each curve.
    labels : array-like
        The class labels, in the order in which to draw them.

    Attributes
    ----------
    lines_ : dict
        Key (label, "micro" or "macro") to the :class:`~matplotlib.lines.Line2D`
        drawn.
    chance_line_ : matplotlib.lines.Line2D or None
        The diagonal of a classifier that guesses.
    ax_ : matplotlib.axes.Axes
    figure_ : matplotlib.figure.Figure

    See Also
    --------
    PrecisionRecallPlot : Precision against recall.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import RocCurvePlot
    >>> curves = {0: ([0, 0, 1], [0, 1, 1]), 1: ([0, 0.5, 1], [0, 0.5, 1])}
    >>> plot = RocCurvePlot(curves, {0: 1.0, 1: 0.5}, labels=[0, 1]).plot()
    >>> [text.get_text() for text in plot.ax_.get_legend().get_texts()]
    ['digit 0 (AUC = 1.0000)', 'digit 1 (AUC = 0.500)']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(plot.figure_)
    """

    _averages = ("micro", "macro")

    def __init__(self, curves, roc_auc, *, labels):
        averages = [key for key in self._averages if key in curves]
        self.labels, self._drawn = _check_curves(curves, roc_auc, labels, "roc_auc", averages)
        self.curves = curves
        self.roc_auc = roc_auc

    def plot(self, ax=None, *, classes=True, micro=True, macro=True, chance=True,
             title="ROC curves (one digit vs. rest)", legend_loc="lower right",
             zoom="auto"):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        classes : bool or list of labels, default=True
            Draw every digit's curve (True), none (False), or those listed.
        micro, macro : bool, default=True
            Draw the micro- and macro-averaged curves, if the data has them.
        chance : bool, default=True
            Draw the diagonal of a classifier that guesses.
        zoom : bool or "auto", default="auto"
            Show the top-left corner, where the curves of a good model are: the
            false positive rate on a log scale from 1e-4, the true positive rate
            from 0.9. "auto" zooms when every curve drawn has an AUC of at least
            0.99, where the full square shows only a right angle.
            The axes title; None for none.
        legend_loc : str, default="lower right"
            Where to put the legend, as matplotlib's ``loc`` (e.g. "best");
            no legend is drawn when no curve is.

        Returns
        -------
        self : RocCurvePlot
            The display, with ``lines_``, ``chance_line_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """
        fig, ax = _style.new_axes(ax, figsize=(5.4, 5.0))
        averages = [key for key in self._averages if key in self.curves]
        keys = _keys_to_draw(self._drawn, averages, classes, {"micro": micro, "macro": macro})
        self.chance_line_ = None
        if chance:
            (self.chance_line_,) = ax.plot(
                [0, 1], [0, 1], color="#999999", linestyle=(0, (2, 3)), linewidth=1, zorder=1,
            )
        self.lines_ = {}
        for key in keys:
            fpr, tpr = self.curves[key][:2]
            position = self.labels.index(key) if key in self._drawn else 0
            (self.lines_[key],) = ax.plot(
                fpr, tpr, label=f"{_curve_name(key)} (AUC = {_score(self.roc_auc[key])})",
                **_curve_style(key, position),
            )
        self.zoomed_ = _zoom_wanted(zoom, [self.roc_auc[key] for key in keys])
        if self.zoomed_:
            ax.set_xscale("log")
            ax.set(xlim=(1e-4, 1.0), ylim=(0.9, 1.002))
        else:
            ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), aspect="equal")
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        xlabel = "False positive rate" + (" (log scale)" if self.zoomed_ else "")
        _style.style_axes(ax, title=title, xlabel=xlabel, ylabel="True positive rate")
        if keys:
            _legend(ax, len(keys), legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    from_predictions = classmethod(_from_predictions)
    from_estimator = classmethod(_from_estimator)

    @classmethod
    def from_evaluation(cls, result, *, ax=None, **kwargs):
        """Plot the ROC curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        **kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : RocCurvePlot
            The display, drawn.
        """
        _style.needs_scores(result, "ROC curves")
        display = cls(result.roc_curves, result.roc_auc, labels=result.labels)
        return display.plot(ax=ax, **kwargs)


def _score(value):
    """AUC or AP for a legend: four decimals where three would all read 1.000."""
    return f"{value:.4f}" if value >= 0.99 else f"{value:.3f}"


def _zoom_wanted(zoom, scores):
    if zoom == "auto":
        return bool(scores) and min(scores) >= 0.99
    if not isinstance(zoom, bool):
        msg = f"zoom must be True, False or 'auto', got {zoom!r}."
        raise ValueError(msg)
    return zoom


def _iso_f1_lines(ax, values):
    lines = []
    for f1 in values:
        recall = np.linspace(f1 / (2 - f1) + 1e-6, 1, 200)
        precision = f1 * recall / (2 * recall - f1)
        keep = precision <= 1.0
        (line,) = ax.plot(recall[keep], precision[keep], color="#bbbbbb", linewidth=0.8,
                          zorder=1)
        # Labelled where the line crosses the diagonal, away from the curves.
        ax.annotate(f"F1={f1:g}", xy=(f1, f1), xytext=(3, -9), textcoords="offset points",
                    fontsize=_style.SMALL_SIZE, color="#888888")
        lines.append(line)
    return lines


class PrecisionRecallPlot:
    """Precision/recall curves: one per digit plus the micro-average.

    Each digit's curve treats that digit as the positive class (one-vs-rest);
    the legend gives each curve's average precision (AP). Lines of equal F1
    score can be drawn behind the curves.

    Parameters
    ----------
    curves : dict
        Label (and "micro") to ``(precision, recall, ...)``, as in
        ``EvaluationResult.pr_curves``.
    average_precision : dict
        The same keys to the average precision.
    labels : array-like
        The class labels, in the order in which to draw them.

    Attributes
    ----------
    lines_ : dict
        Key (label or "micro") to the :class:`~matplotlib.lines.Line2D` drawn.
    iso_f1_lines_ : list of matplotlib.lines.Line2D
        The lines of equal F1 score (empty unless asked for).
    ax_ : matplotlib.axes.Axes
    figure_ : matplotlib.figure.Figure

    See Also
    --------
    RocCurvePlot : True against false positive rate.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import PrecisionRecallPlot
    >>> curves = {0: ([0.5, 1, 1], [1, 1, 0]), "micro": ([0.5, 0.75, 1], [1, 0.5, 0])}
    >>> plot = PrecisionRecallPlot(curves, {0: 1.0, "micro": 0.7}, labels=[0])
    >>> plot = plot.plot(iso_f1=(0.5, 0.8))
    >>> sorted(plot.lines_, key=str), len(plot.iso_f1_lines_)
    ([0, 'micro'], 2)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(plot.figure_)
    """

    _averages = ("micro",)

    def __init__(self, curves, average_precision, *, labels):
        averages = [key for key in self._averages if key in curves]
        self.labels, self._drawn = _check_curves(curves, average_precision, labels,
                                                 "average_precision", averages)
        self.curves = curves
        self.average_precision = average_precision

    def plot(self, ax=None, *, classes=True, micro=True, iso_f1=False,
             title="Precision/recall (one digit vs. rest)", legend_loc="lower left",
             zoom="auto"):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        classes : bool or list of labels, default=True
            Draw every digit's curve (True), none (False), or those listed.
        micro : bool, default=True
            Draw the micro-averaged curve, if the data has it.
        iso_f1 : bool or sequence of float, default=False
            Draw lines of equal F1 score: True for 0.2, 0.4, 0.6 and 0.8, or
            the F1 values given.
        title : str, default="Precision/recall (one digit vs. rest)"
            The axes title; None for none.
        legend_loc : str, default="lower left"
            Where to put the legend, as matplotlib's ``loc`` (e.g. "best");
            no legend is drawn when no curve is.
        zoom : bool or "auto", default="auto"
            Show only precision and recall from 0.9 to 1, where the curves of a
            good model are. "auto" zooms when every curve drawn has an average
            precision of at least 0.99.

        Returns
        -------
        self : PrecisionRecallPlot
            The display, with ``lines_``, ``iso_f1_lines_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """
        fig, ax = _style.new_axes(ax, figsize=(5.4, 5.0))
        averages = [key for key in self._averages if key in self.curves]
        keys = _keys_to_draw(self._drawn, averages, classes, {"micro": micro})
        if iso_f1 is True:
            iso_f1 = (0.2, 0.4, 0.6, 0.8)
        self.iso_f1_lines_ = _iso_f1_lines(ax, iso_f1) if iso_f1 else []
        self.lines_ = {}
        for key in keys:
            precision, recall = self.curves[key][:2]
            position = self.labels.index(key) if key in self._drawn else 0
            (self.lines_[key],) = ax.plot(
                recall, precision, drawstyle="steps-post",
                label=f"{_curve_name(key)} (AP = {_score(self.average_precision[key])})",
                **_curve_style(key, position),
            )
        self.zoomed_ = _zoom_wanted(zoom, [self.average_precision[key] for key in keys])
        if self.zoomed_:
            ax.set(xlim=(0.9, 1.002), ylim=(0.9, 1.002), aspect="equal")
        else:
            ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.02), aspect="equal")
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        _style.style_axes(ax, title=title, xlabel="Recall", ylabel="Precision")
        if keys:
            _legend(ax, len(keys), legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    from_predictions = classmethod(_from_predictions)
    from_estimator = classmethod(_from_estimator)

    @classmethod
    def from_evaluation(cls, result, *, ax=None, **kwargs):
        """Plot the precision/recall curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        **kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : PrecisionRecallPlot
            The display, drawn.
        """
        _style.needs_scores(result, "precision/recall curves")
        display = cls(result.pr_curves, result.average_precision, labels=result.labels)
        return display.plot(ax=ax, **kwargs)

