"""ROC and precision/recall curves: one per digit plus their averages.

Evaluation computes the curves and their areas (``EvaluationResult.roc_curves``,
``pr_curves``, or, for scores alone, the curves of one kind); the two displays
draw them. What they share, from the checks to the legend and the three
constructors, is :class:`_OneVsRestCurveDisplay`, as scikit-learn's curve
displays share a mixin.
"""

import numpy as np

from .. import evaluation
from . import _style
from ._repr import DisplayMixin

_AVERAGES = ("micro", "macro")


def _check_curves(curves, areas, labels, areas_name):
    """The labels, those with a curve (an absent label has none), and the averages given."""
    labels = list(np.asarray(labels).tolist())
    drawn = [label for label in labels if label in curves]
    averages = [key for key in _AVERAGES if key in curves]
    unknown = [key for key in curves if key not in labels and key not in _AVERAGES]
    if unknown or not drawn:
        msg = (
            f"curves must be keyed by the labels {labels} (and {', '.join(_AVERAGES)}), "
            f"got keys {list(curves)}."
        )
        raise ValueError(msg)
    missing = [key for key in [*drawn, *averages] if key not in areas]
    if missing:
        msg = f"{areas_name} is missing for {missing}."
        raise ValueError(msg)
    for key in [*drawn, *averages]:
        x, y = (np.asarray(a, dtype=float) for a in curves[key][:2])
        if x.ndim != 1 or x.shape != y.shape:
            msg = (
                f"the curve of {key!r} must be two 1-D arrays of equal length, "
                f"got shapes {x.shape} and {y.shape}."
            )
            raise ValueError(msg)
    return labels, drawn, averages


def _keys_to_draw(drawn, averages, classes, wanted):
    keys = []
    if classes is True:
        keys.extend(drawn)
    elif classes:
        for label in classes:
            if label not in drawn:
                msg = f"classes holds {label!r}, which has no curve; curves exist for {drawn}."
                raise ValueError(msg)
            keys.append(label)
    keys.extend(key for key in averages if wanted[key])
    return keys


def _curve_style(key, position, named):
    if key in _AVERAGES:
        style = {"linestyle": "--" if key == "micro" else ":", "zorder": 4,
                 "linewidth": 2.0 if key == "micro" else 2.2}
        # A named display shares its axes with other models': its averages take
        # the axes' next colour, so that each model has its own.
        if not named:
            style["color"] = _style.MICRO_COLOR if key == "micro" else _style.MACRO_COLOR
        return style
    return {"color": _style.digit_color(key, position), "linewidth": 1.1, "alpha": 0.85}


def _curve_name(key, name):
    text = f"{key}-average" if key in _AVERAGES else f"digit {_style.label_text(key)}"
    return text if name is None else f"{name}: {text}"


def legend(ax, loc):
    """The legend of every curve on ``ax``, this display's and those drawn before."""
    n_entries = len(ax.get_legend_handles_labels()[0])
    return ax.legend(
        loc=loc, fontsize=_style.LEGEND_SIZE if n_entries <= 6 else _style.SMALL_SIZE,
        ncols=1 if n_entries <= 6 else 2, frameon=True, framealpha=0.9,
        handlelength=1.6, columnspacing=0.8, labelspacing=0.3, borderpad=0.4,
    )


def score_text(value):
    """AUC or AP for a legend: four decimals where three would all read 1.000."""
    return f"{value:.4f}" if value >= 0.99 else f"{value:.3f}"


def _zoom_wanted(zoom, scores, threshold):
    if zoom == "auto":
        return bool(scores) and min(scores) >= threshold
    if not isinstance(zoom, bool):
        msg = f"zoom must be True, False or 'auto', got {zoom!r}."
        raise ValueError(msg)
    return zoom


class _OneVsRestCurveDisplay(DisplayMixin):
    """What the ROC and precision/recall displays share.

    A subclass stores its data in ``__init__`` (``curves``, its areas under
    the name ``_areas_name``, ``labels``, ``name``), draws what goes behind
    the curves in ``plot``, and says which curves it is: ``_kind`` (as
    evaluation names them), ``_what`` (for errors), ``_result_names`` (the
    attributes of :class:`~mnistkit.EvaluationResult` that hold them),
    ``_area_label``, ``_zoom_from`` (the smallest area of a zoomed plot) and
    ``_xy`` (the items of a curve on x and y, and how they are joined);
    ``_set_axes`` sets the axes' limits.
    """

    _curve_figsize = (5.4, 5.0)

    def _summary(self):
        """"AUC micro-average 0.9990, macro-average 0.9987, 10 classes", after the name."""
        areas = getattr(self, self._areas_name)
        averages = ", ".join(f"{key}-average {score_text(areas[key])}"
                             for key in _AVERAGES if key in areas)
        text = f"{self._area_label} {averages}, " if averages else ""
        return (f"{self.name}: " if self.name else "") + f"{text}{len(self.labels)} classes"

    def _draw(self, ax, *, name, classes, micro, macro, title, legend_loc, zoom, line_kw,
              behind):
        """Check the data, draw what goes ``behind`` (a function of the axes), then the curves."""
        name = self.name if name is None else name
        areas = getattr(self, self._areas_name)
        labels, drawn, averages = _check_curves(self.curves, areas, self.labels,
                                                self._areas_name)
        keys = _keys_to_draw(drawn, averages, classes, {"micro": micro, "macro": macro})
        fig, ax = _style.new_axes(ax, figsize=self._curve_figsize)
        behind(ax)
        self.lines_ = {}
        shared_color = None  # the averages of a named display share one colour
        for key in keys:
            x, y, drawstyle = self._xy
            style = _curve_style(key, labels.index(key) if key in drawn else 0, name is not None)
            if key in _AVERAGES and shared_color is not None:
                style["color"] = shared_color
            label = f"{_curve_name(key, name)} ({self._area_label} = {score_text(areas[key])})"
            kw = _style.merged({**style, "drawstyle": drawstyle, "label": label}, line_kw)
            (self.lines_[key],) = ax.plot(self.curves[key][x], self.curves[key][y], **kw)
            if key in _AVERAGES and shared_color is None:
                shared_color = self.lines_[key].get_color()
        self.zoomed_ = _zoom_wanted(zoom, [areas[key] for key in keys], self._zoom_from)
        xlabel, ylabel = self._set_axes(ax, self.zoomed_)
        ax.grid(True, color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        _style.style_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        if keys:
            legend(ax, legend_loc)
        self.ax_ = ax
        self.figure_ = fig
        return self

    # The constructors: ``arguments`` are the constructor's own (its ``locals()``).

    @classmethod
    def _drawn(cls, curves, areas, labels, arguments):
        options = _style.plot_options(cls, arguments, besides=("ax", "name"))
        display = cls(curves, areas, labels=labels, name=arguments["name"])
        return display.plot(ax=arguments["ax"], **options)

    @classmethod
    def _from_result(cls, result, arguments):
        _style.needs_scores(result, cls._what)
        curves, areas = (getattr(result, attribute) for attribute in cls._result_names)
        return cls._drawn(curves, areas, result.labels, arguments)

    @classmethod
    def _from_scores(cls, y_true, y_score, labels, arguments, score_source=None):
        curves, areas, labels = evaluation.one_vs_rest_curves(
            y_true, y_score, cls._kind, labels=labels, score_source=score_source
        )
        return cls._drawn(curves, areas, labels, arguments)

    @classmethod
    def _from_estimator(cls, estimator, X, y, arguments):
        # The scores only: the model is not asked to predict.
        y, y_score, labels, source = evaluation.model_scores(estimator, X, y, what=cls._what)
        return cls._from_scores(y, y_score, labels, arguments, score_source=source)


_NAME = """\
name : str, default=None
    The model's name, put before each curve's name in the legend
    ("SVC: micro-average"), so that several models can share one axes:
    pass the first display's ``ax_`` as ``ax`` to the next. The averaged
    curves of a named display take the axes' next colour."""

_AX = """
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure."""

_CLASSES = """\
classes : bool or list of labels, default=True
    Draw every digit's curve (True), none (False), or those listed.
micro : bool, default=True
    Draw the micro-averaged curve (all digits' samples pooled), if the
    data has it."""

_LINE_KW = """
line_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.plot` for every curve, over
    mnistkit's settings (e.g. ``{"linewidth": 3}``)."""

_ROC_TITLE = "ROC curves (one digit vs. rest)"
_ROC_OPTIONS = _CLASSES + """
macro : bool, default=True
    Draw the macro-averaged curve (the mean true positive rate of the
    digits' curves), if the data has it.
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
    0.99, where the full square shows only a right angle.""" + _LINE_KW

_PR_TITLE = "Precision/recall (one digit vs. rest)"
_PR_OPTIONS = _CLASSES + """
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
    precision of at least 0.95.""" + _LINE_KW

_PLOT_NAME = """\
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure. Give the ``ax_`` of
    another display, with ``name=``, to compare models.
name : str, default=None
    The model's name in the legend; by default the display's ``name``."""

_SCORES = """\
y_true : array-like of shape (n_samples,)
    The true labels.
y_score : array-like of shape (n_samples, n_classes)
    Probabilities or decision values, one column per label.
labels : array-like, default=None
    The label of each score column; by default the sorted labels of
    ``y_true``."""

_ESTIMATOR = """\
estimator : fitted classifier with predict_proba or decision_function
    The scores come from ``predict_proba`` where the classifier has
    it, else from ``decision_function``; the classifier is not asked
    to predict.
X : array-like of shape (n_samples, n_features)
    The samples to score.
y : array-like of shape (n_samples,)
    The true labels of ``X``."""


class RocCurveDisplay(_OneVsRestCurveDisplay):
    """ROC curves of a multi-class classifier: one per digit, micro- and macro-average.

    Each digit's curve treats that digit as the positive class and all others
    as negative (one-vs-rest). The legend gives each curve's area under the
    curve (AUC); a dotted diagonal marks a classifier that guesses. With
    ``name=``, several models can share one axes (see the example).

    Parameters
    ----------
    curves : dict
        Label (and "micro", "macro") to ``(fpr, tpr, ...)``: the false and
        true positive rates, as in ``EvaluationResult.roc_curves``. An
        average missing from ``curves`` is not drawn.
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

    _kind = "roc"
    _what = "ROC curves"
    _result_names = ("roc_curves", "roc_auc")
    _areas_name = "roc_auc"
    _area_label = "AUC"
    _xy = (0, 1, "default")  # fpr on x, tpr on y, joined by straight lines
    _zoom_from = 0.99

    def __init__(self, curves, roc_auc, *, labels, name=None):
        self.curves = curves
        self.roc_auc = roc_auc
        self.labels = labels
        self.name = name

    @staticmethod
    def _set_axes(ax, zoomed):
        if zoomed:
            ax.set_xscale("log")
            ax.set(xlim=(1e-4, 1.0), ylim=(0.9, 1.002))
        else:
            ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), aspect="equal")
        return "False positive rate" + (" (log scale)" if zoomed else ""), "True positive rate"

    def plot(self, ax=None, *, name=None, classes=True, micro=True, macro=True, chance=True,
             title=_ROC_TITLE, legend_loc="lower right", zoom="auto", line_kw=None):
        """Draw the curves.

        Parameters
        ----------
        {plot_name}
        {options}

        Returns
        -------
        self : RocCurveDisplay
            The display, with ``lines_``, ``chance_line_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """

        def behind(ax):
            self.chance_line_ = None
            if chance:
                (self.chance_line_,) = ax.plot([0, 1], [0, 1], color="#999999",
                                               linestyle=(0, (2, 3)), linewidth=1, zorder=1)

        return self._draw(ax, name=name, classes=classes, micro=micro, macro=macro,
                          title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw,
                          behind=behind)

    @classmethod
    def from_evaluation(cls, result, *, name=None, classes=True, micro=True, macro=True,
                        chance=True, title=_ROC_TITLE, legend_loc="lower right", zoom="auto",
                        line_kw=None, ax=None):
        """Plot the ROC curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        {parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        return cls._from_result(result, locals())

    @classmethod
    def from_predictions(cls, y_true, y_score, *, labels=None, name=None, classes=True,
                         micro=True, macro=True, chance=True, title=_ROC_TITLE,
                         legend_loc="lower right", zoom="auto", line_kw=None, ax=None):
        """Compute and plot the ROC curves of scores.

        Parameters
        ----------
        {scores}
        {parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        return cls._from_scores(y_true, y_score, labels, locals())

    @classmethod
    def from_estimator(cls, estimator, X, y, *, name=None, classes=True, micro=True,
                       macro=True, chance=True, title=_ROC_TITLE, legend_loc="lower right",
                       zoom="auto", line_kw=None, ax=None):
        """Score ``X`` with a fitted classifier and plot its ROC curves.

        Parameters
        ----------
        {estimator}
        {parameters}

        Returns
        -------
        display : RocCurveDisplay
            The display, drawn.
        """
        return cls._from_estimator(estimator, X, y, locals())


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


class PrecisionRecallDisplay(_OneVsRestCurveDisplay):
    """Precision/recall curves: one per digit, micro- and macro-average.

    Each digit's curve treats that digit as the positive class (one-vs-rest);
    the legend gives each curve's average precision (AP). Lines of equal F1
    score can be drawn behind the curves. With ``name=``, several models can
    share one axes, as with :class:`RocCurveDisplay`.

    Parameters
    ----------
    curves : dict
        Label (and "micro", "macro") to ``(precision, recall, ...)``, as in
        ``EvaluationResult.pr_curves``. An average missing from ``curves`` is
        not drawn.
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
    >>> display = display.plot(iso_f1=(0.5, 0.8))
    >>> sorted(display.lines_, key=str), len(display.iso_f1_lines_)
    ([0, 'micro'], 2)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    _kind = "precision_recall"
    _what = "precision/recall curves"
    _result_names = ("pr_curves", "average_precision")
    _areas_name = "average_precision"
    _area_label = "AP"
    _xy = (1, 0, "steps-post")  # recall on x, precision on y, in steps
    # AP falls faster than AUC: at 0.95 the curves already hug the corner.
    _zoom_from = 0.95

    def __init__(self, curves, average_precision, *, labels, name=None):
        self.curves = curves
        self.average_precision = average_precision
        self.labels = labels
        self.name = name

    @staticmethod
    def _set_axes(ax, zoomed):
        if zoomed:
            ax.set(xlim=(0.9, 1.002), ylim=(0.9, 1.002), aspect="equal")
        else:
            ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.02), aspect="equal")
        return "Recall", "Precision"

    def plot(self, ax=None, *, name=None, classes=True, micro=True, macro=True, iso_f1=False,
             title=_PR_TITLE, legend_loc="lower left", zoom="auto", line_kw=None):
        """Draw the curves.

        Parameters
        ----------
        {plot_name}
        {options}

        Returns
        -------
        self : PrecisionRecallDisplay
            The display, with ``lines_``, ``iso_f1_lines_``, ``zoomed_``,
            ``ax_`` and ``figure_`` set.
        """

        def behind(ax):
            values = (0.2, 0.4, 0.6, 0.8) if iso_f1 is True else iso_f1
            self.iso_f1_lines_ = _iso_f1_lines(ax, values) if values else []

        return self._draw(ax, name=name, classes=classes, micro=micro, macro=macro,
                          title=title, legend_loc=legend_loc, zoom=zoom, line_kw=line_kw,
                          behind=behind)

    @classmethod
    def from_evaluation(cls, result, *, name=None, classes=True, micro=True, macro=True,
                        iso_f1=False, title=_PR_TITLE, legend_loc="lower left", zoom="auto",
                        line_kw=None, ax=None):
        """Plot the precision/recall curves of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; it must hold scores.
        {parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        return cls._from_result(result, locals())

    @classmethod
    def from_predictions(cls, y_true, y_score, *, labels=None, name=None, classes=True,
                         micro=True, macro=True, iso_f1=False, title=_PR_TITLE,
                         legend_loc="lower left", zoom="auto", line_kw=None, ax=None):
        """Compute and plot the precision/recall curves of scores.

        Parameters
        ----------
        {scores}
        {parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        return cls._from_scores(y_true, y_score, labels, locals())

    @classmethod
    def from_estimator(cls, estimator, X, y, *, name=None, classes=True, micro=True,
                       macro=True, iso_f1=False, title=_PR_TITLE, legend_loc="lower left",
                       zoom="auto", line_kw=None, ax=None):
        """Score ``X`` with a fitted classifier and plot its precision/recall curves.

        Parameters
        ----------
        {estimator}
        {parameters}

        Returns
        -------
        display : PrecisionRecallDisplay
            The display, drawn.
        """
        return cls._from_estimator(estimator, X, y, locals())


for _display, _options in ((RocCurveDisplay, _ROC_OPTIONS), (PrecisionRecallDisplay, _PR_OPTIONS)):
    _style.fill_docstrings(
        _display, ("plot", "from_evaluation", "from_predictions", "from_estimator"),
        plot_name=_PLOT_NAME, options=_options, parameters=_NAME + "\n" + _options + _AX,
        scores=_SCORES, estimator=_ESTIMATOR,
    )
