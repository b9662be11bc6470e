"""The confusion matrix as an annotated heat map."""

import numpy as np

from .. import evaluation
from . import _style
from ._repr import DisplayMixin

_DIAGONAL_OPTIONS = ("dim", "show", "mask")


def _check_matrix(matrix, display_labels):
    """The counts as an array, and the labels of its rows; or a ``ValueError``."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        msg = f"confusion matrix must be square, got shape {matrix.shape}."
        raise ValueError(msg)
    if matrix.size == 0:
        msg = "confusion matrix is empty."
        raise ValueError(msg)
    if not np.issubdtype(matrix.dtype, np.number) or np.any(matrix < 0):
        msg = "confusion matrix must hold non-negative counts."
        raise ValueError(msg)
    if display_labels is None:
        display_labels = np.arange(matrix.shape[0])
    if len(display_labels) != matrix.shape[0]:
        msg = (
            f"got a {matrix.shape[0]}x{matrix.shape[1]} confusion matrix "
            f"but {len(display_labels)} display labels."
        )
        raise ValueError(msg)
    return matrix, np.asarray(display_labels)


def _decimals(values):
    """Two decimals, or three when the smallest non-zero proportion needs them."""
    nonzero = values[values > 0]
    return 3 if nonzero.size and nonzero.min() < 0.0095 else 2


def _format_cell(value, values_format, is_count, decimals=2):
    if values_format is not None:
        return format(value, values_format)
    if value == 0:
        return "0"
    if is_count:
        value = int(np.rint(value))
        if value >= 10_000:
            return f"{value / 1000:.0f}k"
        return f"{value:d}"
    text = f"{value:.{decimals}f}"
    return "1" if float(text) == 1 else text.lstrip("0")


_OPTIONS = """\
normalize : {"true", "pred", "all"}, default=None
    Show proportions of each true digit (rows sum to 1), of each
    predicted digit (columns sum to 1) or of all samples; None shows
    counts.
include_values : bool, default=True
    Write the value in each cell.
values_format : str, default=None
    A format spec for the cell texts (e.g. ``".1%"``). By default counts
    are written in full (``"12k"`` from 10,000), proportions with two
    decimals (three when a proportion is below 0.01) without the
    leading zero, and zeros as ``"0"``.
diagonal : {"dim", "show", "mask"}, default="dim"
    "dim" greys out the diagonal (the right predictions) and scales the
    colours to the errors only, so that they show; "show" colours every
    cell on one scale, as scikit-learn does; "mask" also leaves the
    diagonal's cells empty.
cmap : str or matplotlib.colors.Colormap, default=None
    The colour map; by default the mnistkit one ("Blues").
colorbar : bool, default=True
    Draw a colour bar.
title : str, default=None
    The axes title; by default one that says what is shown.
im_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.imshow`, over mnistkit's settings.
text_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.text` for every cell, over
    mnistkit's settings (e.g. ``{"fontsize": "large"}``)."""



class ConfusionMatrixDisplay(DisplayMixin):
    """Confusion matrix heat map, with one annotated cell per (true, predicted) pair.

    Rows are the true digits, columns the predicted digits. Cells can show
    counts or proportions (normalised over the true digit, the predicted digit
    or all samples); the text of each cell turns white on dark cells. By
    default the diagonal is greyed out and the colours span the errors only,
    so that, for a model right 99% of the time, the mistakes still show.

    Build it with :meth:`from_evaluation`, :meth:`from_estimator` or
    :meth:`from_predictions`, or from a matrix of counts; then call :meth:`plot`.

    Parameters
    ----------
    confusion_matrix : array-like of shape (n_classes, n_classes)
        Counts: ``confusion_matrix[i, j]`` samples of class ``i`` predicted as
        class ``j``. Checked when drawn.
    display_labels : array-like of shape (n_classes,), default=None
        The class labels on the axes; by default ``0 .. n_classes - 1``.

    Attributes
    ----------
    values_ : ndarray of shape (n_classes, n_classes)
        The values drawn: counts, or proportions when normalised (from a
        result, its :meth:`~mnistkit.EvaluationResult.normalized_confusion_matrix`).
    im_ : matplotlib.image.AxesImage
        The heat map.
    text_ : ndarray of shape (n_classes, n_classes), dtype=object
        The :class:`~matplotlib.text.Text` of each cell; None where no text
        is drawn (masked diagonal, or ``include_values=False``).
    colorbar_ : matplotlib.colorbar.Colorbar or None
        The colour bar.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure holding ``ax_``.

    See Also
    --------
    ClassMetricsDisplay : Precision, recall and F1 per digit.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import ConfusionMatrixDisplay
    >>> display = ConfusionMatrixDisplay.from_predictions([0, 1, 1, 2], [0, 1, 2, 2])
    >>> display.values_.tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    >>> display.text_[1, 2].get_text()
    '1'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, confusion_matrix, *, display_labels=None):
        self.confusion_matrix = confusion_matrix
        self.display_labels = display_labels

    def _summary(self):
        counts = np.asarray(self.confusion_matrix)
        errors = counts.sum() - np.trace(counts)
        return (f"{len(counts)} classes, {counts.sum():,.0f} samples, {errors:,.0f} "
                f"misclassified")

    def plot(
        self,
        ax=None,
        *,
        normalize=None,
        include_values=True,
        values_format=None,
        diagonal="dim",
        cmap=None,
        colorbar=True,
        title=None,
        im_kw=None,
        text_kw=None,
    ):
        """Draw the heat map.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; by default a new figure.
        {options}

        Returns
        -------
        self : ConfusionMatrixDisplay
            The display, with ``values_``, ``im_``, ``text_``, ``colorbar_``,
            ``ax_`` and ``figure_`` set.
        """
        import matplotlib as mpl

        counts, display_labels = _check_matrix(self.confusion_matrix, self.display_labels)
        # Evaluation divides the counts, as EvaluationResult.normalized_confusion_matrix.
        values = evaluation.normalize_confusion_matrix(counts, normalize)
        if diagonal not in _DIAGONAL_OPTIONS:
            msg = f"diagonal must be one of 'dim', 'show', 'mask', got {diagonal!r}."
            raise ValueError(msg)
        fig, ax = _style.new_axes(ax, figsize=(5.6, 4.8))
        n = values.shape[0]
        on_diagonal = np.eye(n, dtype=bool)
        shown = np.ma.masked_array(values, mask=on_diagonal if diagonal != "show" else None)

        colormap = cmap if isinstance(cmap, mpl.colors.Colormap) else mpl.colormaps[
            cmap or _style.CMAP]
        colormap = colormap.with_extremes(bad="#e6e6e6")
        vmax = shown.max() if shown.count() and shown.max() > 0 else 1.0
        norm = mpl.colors.Normalize(vmin=0, vmax=vmax)
        im_kw = _style.merged({"cmap": colormap, "norm": norm, "interpolation": "nearest"},
                              im_kw)
        self.im_ = ax.imshow(shown, **im_kw)

        self.text_ = np.full((n, n), None, dtype=object)
        if include_values:
            is_count = normalize is None and np.allclose(values, np.round(values))
            size = _style.TEXT_SIZE if n <= 12 else _style.SMALL_SIZE
            decimals = _decimals(values)
            cell_colormap, cell_norm = self.im_.get_cmap(), self.im_.norm
            for i in range(n):
                for j in range(n):
                    if diagonal == "mask" and i == j:
                        continue
                    if diagonal == "dim" and i == j:
                        color = "#555555"
                    elif values[i, j] == 0:
                        color = "#b0b0b0"
                    else:
                        color = _style.text_color_on(cell_colormap(cell_norm(values[i, j])))
                    kw = _style.merged({"ha": "center", "va": "center", "color": color,
                                        "fontsize": size}, text_kw)
                    self.text_[i, j] = ax.text(
                        j, i, _format_cell(values[i, j], values_format, is_count, decimals),
                        **kw,
                    )

        labels = [_style.label_text(label) for label in display_labels]
        ax.set_xticks(np.arange(n), labels=labels)
        ax.set_yticks(np.arange(n), labels=labels)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if title is None:
            title = {
                None: "Confusion matrix",
                "true": "Confusion matrix (share of each true digit)",
                "pred": "Confusion matrix (share of each predicted digit)",
                "all": "Confusion matrix (share of all samples)",
            }[normalize]
            if diagonal != "show":
                title += ", errors shaded"
        _style.style_axes(ax, title=title, xlabel="Predicted digit", ylabel="True digit")

        self.colorbar_ = None
        if colorbar:
            self.colorbar_ = fig.colorbar(self.im_, ax=ax, shrink=0.85, pad=0.03)
            self.colorbar_.ax.tick_params(labelsize=_style.SMALL_SIZE)
            if normalize is None:
                # Counts: whole numbers on the scale, not 0.5 steps.
                from matplotlib.ticker import MaxNLocator

                self.colorbar_.locator = MaxNLocator(integer=True)
                self.colorbar_.update_ticks()
            self.colorbar_.outline.set_visible(False)
            if diagonal != "show":
                self.colorbar_.set_label("errors only (diagonal in grey)",
                                         fontsize=_style.SMALL_SIZE)
        self.values_ = values
        self.ax_ = ax
        self.figure_ = fig
        return self

    @classmethod
    def from_evaluation(
        cls, result, *, normalize=None, include_values=True, values_format=None,
        diagonal="dim", cmap=None, colorbar=True, title=None, im_kw=None, text_kw=None,
        ax=None,
    ):
        """Plot the confusion matrix of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            From :func:`mnistkit.evaluation.evaluate`; with ``normalize``,
            the cells show its :meth:`~mnistkit.EvaluationResult.normalized_confusion_matrix`.
        {plot_parameters}

        Returns
        -------
        display : ConfusionMatrixDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        display = cls(result.confusion_matrix, display_labels=result.labels)
        return display.plot(ax=ax, **options)

    @classmethod
    def from_predictions(
        cls, y_true, y_pred, *, labels=None, normalize=None, include_values=True,
        values_format=None, diagonal="dim", cmap=None, colorbar=True, title=None,
        im_kw=None, text_kw=None, ax=None,
    ):
        """Count and plot the confusion matrix of predictions.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels.
        labels : array-like, default=None
            The classes, in the order of the rows; by default every label
            found in ``y_true`` or ``y_pred``, sorted.
        {plot_parameters}

        Returns
        -------
        display : ConfusionMatrixDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        result = evaluation.EvaluationResult.from_predictions(y_true, y_pred, labels=labels)
        return cls.from_evaluation(result, ax=ax, **options)

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, labels=None, normalize=None, include_values=True,
        values_format=None, diagonal="dim", cmap=None, colorbar=True, title=None,
        im_kw=None, text_kw=None, ax=None,
    ):
        """Predict ``X`` with a fitted estimator and plot the confusion matrix.

        Parameters
        ----------
        estimator : fitted classifier
            Only its ``predict`` is used.
        X : array-like of shape (n_samples, n_features)
            The samples to predict.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        labels : array-like, default=None
            The classes; by default the estimator's ``classes_``.
        {plot_parameters}

        Returns
        -------
        display : ConfusionMatrixDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        if labels is None:
            labels = getattr(estimator, "classes_", None)
        return cls.from_predictions(y, estimator.predict(X), labels=labels, ax=ax, **options)


_style.fill_docstrings(
    ConfusionMatrixDisplay, ("plot", "from_evaluation", "from_predictions", "from_estimator"),
    options=_OPTIONS, plot_parameters=_OPTIONS + """
ax : matplotlib.axes.Axes, default=None
    Where to draw; by default a new figure.""",
)
