"""Model comparison: cross-validated accuracy against time."""

import numpy as np

from . import _style
from ._repr import DisplayMixin

_TIMES = {"fit_time": "Fit time per fold (s)", "predict_time": "Predict time per fold (s)"}


def _check_results(results, time):
    if not results:
        msg = "got no models to compare."
        raise ValueError(msg)
    names = []
    for k, row in enumerate(results):
        missing = [key for key in ("name", "cv_accuracy", time) if key not in row]
        if missing:
            msg = f"the result of model {k} has no {', '.join(missing)}; got keys {sorted(row)}."
            raise ValueError(msg)
        accuracy = np.atleast_1d(np.asarray(row["cv_accuracy"], dtype=float))
        times = np.atleast_1d(np.asarray(row[time], dtype=float))
        if accuracy.size == 0 or accuracy.size != times.size:
            msg = (
                f"model {row['name']!r} has {accuracy.size} fold accuracies but "
                f"{times.size} fold times."
            )
            raise ValueError(msg)
        names.append(str(row["name"]))
    if len(set(names)) != len(names):
        msg = f"model names must be unique, got {names}."
        raise ValueError(msg)


def _seconds_formatter(**kwargs):
    """A log-axis formatter: the ticks LogFormatter labels, as plain numbers ("0.2")."""
    from matplotlib.ticker import LogFormatter

    class Seconds(LogFormatter):
        def __call__(self, x, pos=None):
            return f"{x:g}" if super().__call__(x, pos) else ""

    return Seconds(**kwargs)


def _pareto_front(times, accuracy):
    """Indices of the models that no faster model beats, fastest first."""
    front, best = [], -np.inf
    for k in np.argsort(times, kind="stable"):
        if accuracy[k] > best:
            front.append(int(k))
            best = accuracy[k]
    return front


class ComparisonDisplay(DisplayMixin):
    """Cross-validated accuracy against time, one point per model.

    Each model is a point at its mean time per fold and mean accuracy, with
    bars of one standard deviation over the folds; a dashed step line joins
    the models that no faster model beats (the Pareto front), so the
    speed/accuracy trade-off is seen at a glance.

    Parameters
    ----------
    results : list of dict
        One dict per model with "name", "cv_accuracy" (per fold) and
        "fit_time" (seconds per fold), as in ``ModelComparison.results``.
        "predict_time" and "test_accuracy" are used when present.

    Attributes
    ----------
    errorbars_ : dict
        Model name to its :class:`~matplotlib.container.ErrorbarContainer`.
    annotations_ : dict
        Model name to its name label.
    front_line_ : matplotlib.lines.Line2D or None
        The Pareto front (None with a single model).
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import ComparisonDisplay
    >>> results = [
    ...     {"name": "knn", "cv_accuracy": [0.95, 0.96], "fit_time": [0.1, 0.1]},
    ...     {"name": "svm", "cv_accuracy": [0.97, 0.98], "fit_time": [2.0, 2.4]},
    ... ]
    >>> display = ComparisonDisplay(results).plot()
    >>> sorted(display.errorbars_)
    ['knn', 'svm']
    >>> display.ax_.yaxis.get_major_formatter()(0.97, 0)
    '97.0%'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, results):
        self.results = results

    def _summary(self):
        means = {r["name"]: float(np.mean(r["cv_accuracy"])) for r in self.results}
        best = max(means, key=means.get)
        return (f"{len(means)} model{'s' if len(means) > 1 else ''}, best {best} "
                f"(cross-validated accuracy {means[best]:.4f})")

    def plot(self, ax=None, *, time="fit_time", xscale="log",
             title="Accuracy against training time", errorbar_kw=None):
        """Draw the comparison.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        time : {"fit_time", "predict_time"}, default="fit_time"
            Which time to put on the x axis.
        xscale : {"log", "linear"}, default="log"
            The scale of the x axis, passed to
            :meth:`~matplotlib.axes.Axes.set_xscale`.
        title : str, default="Accuracy against training time"
            The axes title; None or "" for none.
        errorbar_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.errorbar` for every model,
            over mnistkit's settings (e.g. ``{"markersize": 10}``).

        Returns
        -------
        self : ComparisonDisplay
            The display, with ``errorbars_``, ``annotations_``,
            ``front_line_``, ``ax_`` and ``figure_`` set.
        """
        from matplotlib.ticker import PercentFormatter

        if time not in _TIMES:
            msg = f"time must be 'fit_time' or 'predict_time', got {time!r}."
            raise ValueError(msg)

        results = list(self.results)
        _check_results(results, time)
        fig, ax = _style.new_axes(ax, figsize=(6.0, 4.2))
        names = [str(row["name"]) for row in results]
        accuracy = [np.asarray(row["cv_accuracy"], dtype=float) for row in results]
        times = [np.asarray(row[time], dtype=float) for row in results]
        acc_mean = np.array([a.mean() for a in accuracy])
        acc_std = np.array([a.std() for a in accuracy])
        time_mean = np.array([t.mean() for t in times])
        time_std = np.array([t.std() for t in times])

        self.front_line_ = None
        if len(names) > 1:
            front = _pareto_front(time_mean, acc_mean)
            (self.front_line_,) = ax.plot(
                time_mean[front], acc_mean[front], drawstyle="steps-post", color="#aaaaaa",
                linestyle="--", linewidth=1, zorder=1, label="best for its time",
            )
        self.errorbars_, self.annotations_ = {}, {}
        for k, name in enumerate(names):
            color = _style.DIGIT_COLORS[k % len(_style.DIGIT_COLORS)]
            kw = _style.merged({"fmt": "o", "color": color, "markersize": 7, "capsize": 3,
                                "elinewidth": 1.2, "zorder": 3}, errorbar_kw)
            self.errorbars_[name] = ax.errorbar(
                time_mean[k:k + 1], acc_mean[k:k + 1], yerr=acc_std[k:k + 1],
                xerr=time_std[k:k + 1], **kw,
            )
            self.annotations_[name] = ax.annotate(
                name, (time_mean[k], acc_mean[k]), xytext=(7, 6), textcoords="offset points",
                fontsize=_style.TEXT_SIZE, color=color, zorder=4,
            )
            test = results[k].get("test_accuracy")
            if test is not None:
                ax.plot(time_mean[k], test, marker="x", color=color, markersize=6,
                        linestyle="none", zorder=3)
        if any(row.get("test_accuracy") is not None for row in results):
            ax.plot([], [], marker="x", color="#555555", linestyle="none",
                    label="test accuracy")
        ax.set_xscale(xscale)
        ax.margins(x=0.15, y=0.2)
        # Accuracy as a percentage; seconds as plain numbers, on the minor ticks
        # too where the axis spans few decades (not in scientific notation).
        spread = float(np.ptp(acc_mean)) + 2 * float(acc_std.max())
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0 if spread > 0.05
                                                      else 1))
        if xscale == "log":
            ax.xaxis.set_major_formatter(_seconds_formatter())
            ax.xaxis.set_minor_formatter(_seconds_formatter(minor_thresholds=(2, 0.5)))
        ax.grid(True, color="#eeeeee", linewidth=0.8, which="major")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _style.style_axes(ax, title=title, xlabel=_TIMES[time],
                          ylabel="Cross-validated accuracy (mean ± std)")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower right", fontsize=_style.LEGEND_SIZE, frameon=False)
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_comparison(cls, comparison, *, time="fit_time", xscale="log",
                        title="Accuracy against training time", errorbar_kw=None, ax=None):
        """Plot a model comparison.

        Parameters
        ----------
        comparison : ModelComparison or list of dict
            From :func:`mnistkit.evaluation.compare_models`, or its ``results``.
        time : {"fit_time", "predict_time"}, default="fit_time"
            Which time to put on the x axis.
        xscale : {"log", "linear"}, default="log"
            The scale of the x axis.
        title : str, default="Accuracy against training time"
            The axes title; None or "" for none.
        errorbar_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.errorbar` for every model.
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.

        Returns
        -------
        display : ComparisonDisplay
            The display, drawn.
        """
        results = getattr(comparison, "results", comparison)
        return cls(results).plot(ax=ax, time=time, xscale=xscale, title=title,
                                 errorbar_kw=errorbar_kw)
