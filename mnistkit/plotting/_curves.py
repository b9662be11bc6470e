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


def _curve_style(key, position, named):
    if key in ("micro", "macro"):
        style = {"linestyle": "--" if key == "micro" else ":", "zorder": 4,
                 "linewidth": 2.0 if key == "micro" else 2.2}
        # A named display shares its axes with other models': its averages take
        # the axes' next colour, so that each model has its own.
        if not named:
            style["color"] = _style.MICRO_COLOR if key == "micro" else _style.MACRO_COLOR
        return style
    return {"color": _style.digit_color(key, position), "linewidth": 1.1, "alpha": 0.85}


def _curve_name(key, name):
    text = f"{key}-average" if key in ("micro", "macro") else f"digit {_style.label_text(key)}"
    return text if name is None else f"{name}: {text}"


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


def _legend(ax, loc):
    # Every curve on the axes, this display's and those drawn before with name=.
    n_entries = len(ax.get_legend_handles_labels()[0])
    return ax.legend(
        loc=loc, fontsize=_style.LEGEND_SIZE if n_entries <= 6 else _style.SMALL_SIZE,
        ncols=1 if n_entries <= 6 else 2, frameon=True, framealpha=0.9,
        handlelength=1.6, columnspacing=0.8, labelspacing=0.3, borderpad=0.4,
    )


def _draw_curves(display, ax, keys, name, line_kw, xy, score_text):
    """One line per key; the averages of a named display share one colour."""
    display.lines_ = {}
    shared_color = None
    for key in keys:
        x, y, drawstyle = xy(key)
        position = display.labels.index(key) if key in display._drawn else 0
        style = _curve_style(key, position, name is not None)
        if key in ("micro", "macro") and shared_color is not None:
            style["color"] = shared_color
        kw = _style.merged({**style, "drawstyle": drawstyle,
                            "label": f"{_curve_name(key, name)} ({score_text(key)})"}, line_kw)
        (display.lines_[key],) = ax.plot(x, y, **kw)
        if key in ("micro", "macro") and shared_color is None:
            shared_color = display.lines_[key].get_color()


_COMMON_PARAMETERS = """\
name : str, default=None
    The model's name, put before each curve's name in the legend
    ("SVC: micro-average"), so that several models can share one axes:
    pass the first display's ``ax_`` as ``ax`` to the next. The averaged
    curves of a named display take the axes' next colour.
classes : bool or list of labels, default=True
    Draw every digit's curve (True), none (False), or those listed."""

_ROC_PARAMETERS = _COMMON_PARAMETERS + """
micro : bool, default=True
    Draw the micro-averaged curve (all digits' samples pooled).
macro : bool, default=True
    Draw the macro-averaged curve (the mean of the digits' curves).
chance : bool, default=True
    Draw the diagonal of a classifier that guesses.
title : str, default="ROC curves (one digit vs. rest)"
    The axes title; None for none.
legend_loc : str, default="lower right"
    Where to put the legend, as matplotlib's ``loc`` (e.g. "best");
    no legend is drawn when no curve is.
zoom : bool or "auto", default="auto"
    Show the top-left corner, where the curves of a good model are: the
    false positive rate on a log scale from 1e-4, the true positive rate
    from 0.9. "auto" zooms when every curve drawn has an AUC of at least
    0.99, where the full square shows only a right angle.
line_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.plot` for every curve, over
    mnistkit's settings (e.g. ``{"linewidth": 3}``).
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure."""

_PR_PARAMETERS = _COMMON_PARAMETERS + """
micro : bool, default=True
    Draw the micro-averaged curve (all digits' samples pooled).
macro : bool, default=True
    Draw the macro-averaged curve: at each recall, the mean over the
    digits of the best precision reached at that recall or above.
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
    precision of at least 0.95.
line_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.plot` for every curve, over
    mnistkit's settings (e.g. ``{"linewidth": 3}``).
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure."""


class RocCurveDisplay:
    """ROC curves of a multi-class classifier: one per digit, micro- and macro-average.

    Each digit's curve treats that digit as the positive class and all others
    as negative (one-vs-rest). The legend gives each curve's area under the
    curve (AUC); a dotted diagonal marks a classifier that guesses. With
    ``name=``, several models can share one axes (see the example).

    Parameters
    ----------
    curves : dict
        Label (and "micro", "macro") to ``(fpr, tpr, ...)``: the false and
        true positive rates, as in ``EvaluationResult.roc_curves``.
    roc_auc : dict
        The same keys to the area under each curve.
    labels : array-like
        The class labels, in the order in which to draw them.
    name : str, default=None
        The model's name, put before each curve's name in the legend.

    Attributes
    ----------
    lines_ : dict
        Key (label, "micro" or "macro") to the :class:`~matplotlib.lines.Line2D`
        drawn.
    chance_line_ : matplotlib.lines.Line2D or None
        The diagonal of a classifier that guesses.
    zoomed_ : bool
        Whether the axes show the top-left corner only.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    See Also
    --------
    PrecisionRecallDisplay : Precision against recall.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import RocCurveDisplay
    >>> curves = {0: ([0, 0, 1], [0, 1, 1]), 1: ([0, 0.5, 1], [0, 0.5, 1])}
    >>> display = RocCurveDisplay(curves, {0: 1.0, 1: 0.5}, labels=[0, 1]).plot()
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()]
    ['digit 0 (AUC = 1.0000)', 'digit 1 (AUC = 0.500)']

    A second model on the same axes, named in the legend:

    >>> other = RocCurveDisplay({1: ([0, 1], [0, 1])}, {1: 0.5}, labels=[1], name="guess")
    >>> other = other.plot(ax=display.ax_, chance=False)
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()][-1]
    'guess: digit 1 (AUC = 0.500)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    _averages = ("micro", "macro")

    def __init__(self, curves, roc_auc, *, labels, name=None):
        averages = [key for key in self._averages if key in curves]
        self.labels, self._drawn = _check_curves(curves, roc_auc, labels, "roc_auc", averages)
        self.curves = curves
        self.roc_auc = roc_auc
        self.name = name

    def plot(self, ax=None, *, name=None, classes=True, micro=True, macro=True, chance=True,
             title="ROC curves (one digit vs. rest)", legend_loc="lower right",
             zoom="auto", line_kw=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure. Give the ``ax_`` of
            another display, with ``name=``, to compare models.
        name : str, default=None
            The model's name in the legend; by default the display's ``name``.
        classes : bool or list of labels, default=True
            Draw every digit's curve (True), none (False), or those listed.
        micro : bool, default=True
            Draw the micro-averaged curve (all digits' samples pooled).
        macro : bool, default=True
            Draw the macro-averaged curve (the mean of the digits' curves).
        chance : bool, default=True
            Draw the diagonal of a classifier that guesses.
        title : str, default="ROC curves (one digit vs. rest)"
            The axes title; None for none.
        legend_loc : str, default="lower right"
            Where to put the legend, as matplotlib's ``loc`` (e.g. "best");
            no legend is drawn when no curve is.
        zoom : bool or "auto", default="auto"
            Show the top-left corner, where the curves of a good model are: the
            false positive rate on a log scale from 1e-4, the true positive rate
            from 0.9. "auto" zooms when every curve drawn has an AUC of at least
            0.99, where the full square shows only a right angle.
        line_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot` for every curve, over
            mnistkit's settings (e.g. ``{"linewidth": 3}``).

        Returns
        -------
        self : RocCurveDisplay
            The display, with ``lines_``, ``chance_line_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """
        name = self.name if name is None else name
        fig, ax = _style.new_axes(ax, figsize=(5.4, 5.0))
        averages = [key for key in self._averages if key in self.curves]
        keys = _keys_to_draw(self._drawn, averages, classes, {"micro": micro, "macro": macro})
        self.chance_line_ = None
        if chance:
            (self.chance_line_,) = ax.plot(
                [0, 1], [0, 1], color="#999999", linestyle=(0, (2, 3)), linewidth=1, zorder=1,
            )

        def xy(key):
            fpr, tpr = self.curves[key][:2]
            return fpr, tpr, "default"

        def score_text(key):
            return f"AUC = {_score(self.roc_auc[key])}"

        _draw_curves(self, ax, keys, name, line_kw, xy, score_text)
        self.zoomed_ = _zoom_wanted(zoom, [self.roc_auc[key] for key in keys], 0.99)
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
            _legend(ax, legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_evaluation(
        cls, result, *, name=None, classes=True, micro=True, macro=True, chance=True,
        title="ROC curves (one digit vs. rest)", legend_loc="lower right", zoom="auto",
        line_kw=None, ax=None,
    ):
        """Plot the ROC curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        {roc_parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        _style.needs_scores(result, "ROC curves")
        display = cls(result.roc_curves, result.roc_auc, labels=result.labels, name=name)
        return display.plot(
            ax=ax, classes=classes, micro=micro, macro=macro, chance=chance, title=title,
            legend_loc=legend_loc, zoom=zoom, line_kw=line_kw,
        )

    @classmethod
    def from_predictions(
        cls, y_true, y_score, *, labels=None, name=None, classes=True, micro=True,
        macro=True, chance=True, title="ROC curves (one digit vs. rest)",
        legend_loc="lower right", zoom="auto", line_kw=None, ax=None,
    ):
        """Compute and plot the ROC curves of scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_score : array-like of shape (n_samples, n_classes)
            Probabilities or decision values, one column per label.
        labels : array-like, default=None
            The label of each score column; by default the sorted labels of
            ``y_true``.
        {roc_parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        result = _result_of_scores(y_true, y_score, labels)
        return cls.from_evaluation(
            result, name=name, classes=classes, micro=micro, macro=macro, chance=chance,
            title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw, ax=ax,
        )

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, name=None, classes=True, micro=True, macro=True,
        chance=True, title="ROC curves (one digit vs. rest)", legend_loc="lower right",
        zoom="auto", line_kw=None, ax=None,
    ):
        """Score ``X`` with a fitted classifier and plot its ROC curves.

        Parameters
        ----------
        estimator : fitted classifier with predict_proba or decision_function
            The scores come from ``predict_proba`` where the classifier has
            it, else from ``decision_function``.
        X : array-like of shape (n_samples, n_features)
            The samples to score.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        {roc_parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        result = _style.evaluation().evaluate(estimator, X, y)
        return cls.from_evaluation(
            result, name=name, classes=classes, micro=micro, macro=macro, chance=chance,
            title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw, ax=ax,
        )


def _result_of_scores(y_true, y_score, labels):
    labels, y_pred = _style.predictions_from_scores(y_score, labels, y_true)
    return _style.result_from_predictions(y_true, y_pred, y_score, labels=labels)


def _score(value):
    """AUC or AP for a legend: four decimals where three would all read 1.000."""
    return f"{value:.4f}" if value >= 0.99 else f"{value:.3f}"


def _zoom_wanted(zoom, scores, threshold):
    if zoom == "auto":
        return bool(scores) and min(scores) >= threshold
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


def macro_pr_curve(curves, labels):
    """The macro-averaged precision/recall curve of the labels' curves.

    At each recall of any label's curve, the mean over labels of the
    interpolated precision: the best precision that label reaches at that
    recall or above (the usual interpolation of a precision/recall curve).

    Returns
    -------
    precision, recall : ndarray
        Recall decreasing, as :func:`sklearn.metrics.precision_recall_curve`.
    """
    per_label = [curves[label][:2] for label in labels]
    recall = np.unique(np.concatenate([np.asarray(r, dtype=float) for _, r in per_label]))
    mean = np.zeros_like(recall)
    for precision, label_recall in per_label:
        precision = np.asarray(precision, dtype=float)
        label_recall = np.asarray(label_recall, dtype=float)
        order = np.argsort(label_recall, kind="stable")
        label_recall, best = label_recall[order], np.maximum.accumulate(
            precision[order][::-1])[::-1]
        # The best precision at a recall >= r: the first point at or after r.
        at = np.searchsorted(label_recall, recall, side="left")
        mean += best[np.minimum(at, len(best) - 1)]
    return (mean / len(per_label))[::-1], recall[::-1]


class PrecisionRecallDisplay:
    """Precision/recall curves: one per digit, micro- and macro-average.

    Each digit's curve treats that digit as the positive class (one-vs-rest);
    the legend gives each curve's average precision (AP). Lines of equal F1
    score can be drawn behind the curves. With ``name=``, several models can
    share one axes, as with :class:`RocCurveDisplay`.

    Parameters
    ----------
    curves : dict
        Label (and "micro", "macro") to ``(precision, recall, ...)``, as in
        ``EvaluationResult.pr_curves``. Without a "macro" entry the
        macro-average is computed from the labels' curves (see
        :meth:`plot`'s ``macro``).
    average_precision : dict
        The same keys to the average precision.
    labels : array-like
        The class labels, in the order in which to draw them.
    name : str, default=None
        The model's name, put before each curve's name in the legend.

    Attributes
    ----------
    lines_ : dict
        Key (label, "micro" or "macro") to the
        :class:`~matplotlib.lines.Line2D` drawn.
    iso_f1_lines_ : list of matplotlib.lines.Line2D
        The lines of equal F1 score (empty unless asked for).
    zoomed_ : bool
        Whether the axes show precision and recall from 0.9 only.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    See Also
    --------
    RocCurveDisplay : True against false positive rate.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import PrecisionRecallDisplay
    >>> curves = {0: ([0.5, 1, 1], [1, 1, 0]), "micro": ([0.5, 0.75, 1], [1, 0.5, 0])}
    >>> display = PrecisionRecallDisplay(curves, {0: 1.0, "micro": 0.7}, labels=[0])
    >>> display = display.plot(iso_f1=(0.5, 0.8), macro=False)
    >>> sorted(display.lines_, key=str), len(display.iso_f1_lines_)
    ([0, 'micro'], 2)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    _averages = ("micro", "macro")

    def __init__(self, curves, average_precision, *, labels, name=None):
        curves = dict(curves)
        drawn = [label for label in labels if label in curves]
        if "macro" not in curves and drawn and "macro" in average_precision:
            curves["macro"] = macro_pr_curve(curves, drawn)
        averages = [key for key in self._averages if key in curves]
        self.labels, self._drawn = _check_curves(curves, average_precision, labels,
                                                 "average_precision", averages)
        self.curves = curves
        self.average_precision = average_precision
        self.name = name

    def plot(self, ax=None, *, name=None, classes=True, micro=True, macro=True, iso_f1=False,
             title="Precision/recall (one digit vs. rest)", legend_loc="lower left",
             zoom="auto", line_kw=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure. Give the ``ax_`` of
            another display, with ``name=``, to compare models.
        name : str, default=None
            The model's name in the legend; by default the display's ``name``.
        classes : bool or list of labels, default=True
            Draw every digit's curve (True), none (False), or those listed.
        micro : bool, default=True
            Draw the micro-averaged curve, if the data has it.
        macro : bool, default=True
            Draw the macro-averaged curve, if the data has it: at each recall,
            the mean over the digits of the best precision reached at that
            recall or above. Its AP is the mean of the digits' APs.
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
            precision of at least 0.95.
        line_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot` for every curve, over
            mnistkit's settings (e.g. ``{"linewidth": 3}``).

        Returns
        -------
        self : PrecisionRecallDisplay
            The display, with ``lines_``, ``iso_f1_lines_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """
        name = self.name if name is None else name
        fig, ax = _style.new_axes(ax, figsize=(5.4, 5.0))
        averages = [key for key in self._averages if key in self.curves]
        keys = _keys_to_draw(self._drawn, averages, classes, {"micro": micro, "macro": macro})
        if iso_f1 is True:
            iso_f1 = (0.2, 0.4, 0.6, 0.8)
        self.iso_f1_lines_ = _iso_f1_lines(ax, iso_f1) if iso_f1 else []

        def xy(key):
            precision, recall = self.curves[key][:2]
            return recall, precision, "steps-post"

        def score_text(key):
            return f"AP = {_score(self.average_precision[key])}"

        _draw_curves(self, ax, keys, name, line_kw, xy, score_text)
        # AP falls faster than AUC: at 0.95 the curves already hug the corner.
        self.zoomed_ = _zoom_wanted(zoom, [self.average_precision[key] for key in keys], 0.95)
        if self.zoomed_:
            ax.set(xlim=(0.9, 1.002), ylim=(0.9, 1.002), aspect="equal")
        else:
            ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.02), aspect="equal")
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        _style.style_axes(ax, title=title, xlabel="Recall", ylabel="Precision")
        if keys:
            _legend(ax, legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_evaluation(
        cls, result, *, name=None, classes=True, micro=True, macro=True, iso_f1=False,
        title="Precision/recall (one digit vs. rest)", legend_loc="lower left", zoom="auto",
        line_kw=None, ax=None,
    ):
        """Plot the precision/recall curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        {pr_parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        _style.needs_scores(result, "precision/recall curves")
        display = cls(result.pr_curves, result.average_precision, labels=result.labels,
                      name=name)
        return display.plot(
            ax=ax, classes=classes, micro=micro, macro=macro, iso_f1=iso_f1, title=title,
            legend_loc=legend_loc, zoom=zoom, line_kw=line_kw,
        )

    @classmethod
    def from_predictions(
        cls, y_true, y_score, *, labels=None, name=None, classes=True, micro=True,
        macro=True, iso_f1=False, title="Precision/recall (one digit vs. rest)",
        legend_loc="lower left", zoom="auto", line_kw=None, ax=None,
    ):
        """Compute and plot the precision/recall curves of scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_score : array-like of shape (n_samples, n_classes)
            Probabilities or decision values, one column per label.
        labels : array-like, default=None
            The label of each score column; by default the sorted labels of
            ``y_true``.
        {pr_parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        result = _result_of_scores(y_true, y_score, labels)
        return cls.from_evaluation(
            result, name=name, classes=classes, micro=micro, macro=macro, iso_f1=iso_f1,
            title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw, ax=ax,
        )

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, name=None, classes=True, micro=True, macro=True,
        iso_f1=False, title="Precision/recall (one digit vs. rest)", legend_loc="lower left",
        zoom="auto", line_kw=None, ax=None,
    ):
        """Score ``X`` with a fitted classifier and plot its precision/recall curves.

        Parameters
        ----------
        estimator : fitted classifier with predict_proba or decision_function
            The scores come from ``predict_proba`` where the classifier has
            it, else from ``decision_function``.
        X : array-like of shape (n_samples, n_features)
            The samples to score.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        {pr_parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        result = _style.evaluation().evaluate(estimator, X, y)
        return cls.from_evaluation(
            result, name=name, classes=classes, micro=micro, macro=macro, iso_f1=iso_f1,
            title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw, ax=ax,
        )


_CONSTRUCTORS = ("from_evaluation", "from_predictions", "from_estimator")
_style.fill_docstrings(RocCurveDisplay, _CONSTRUCTORS, roc_parameters=_ROC_PARAMETERS)
_style.fill_docstrings(PrecisionRecallDisplay, _CONSTRUCTORS, pr_parameters=_PR_PARAMETERS)
