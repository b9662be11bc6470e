"""The shared look of every mnistkit plot, and the helpers all plots use.

One sequential colour map for matrices, one colour per digit for curves, one
colour for right and one for wrong, and a small set of font sizes. pyplot is
imported only inside functions, so importing mnistkit never selects a backend.
"""

import numpy as np

#: Sequential colour map of confusion matrices.
CMAP = "Blues"
#: Colour map of digit images: dark ink on a white page.
IMAGE_CMAP = "gray_r"
#: One colour per digit 0-9 (matplotlib's "tab10" palette).
DIGIT_COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
#: Colours of the averaged curves.
MICRO_COLOR = "#222222"
MACRO_COLOR = "#666666"
#: Colours of a right and a wrong prediction.
CORRECT_COLOR = "#1b5e20"
ERROR_COLOR = "#c62828"
#: Colours of the precision, recall and F1 bars.
METRIC_COLORS = {"precision": "#4c72b0", "recall": "#dd8452", "f1": "#55a868"}
#: Font sizes, in points.
TITLE_SIZE = 11
LABEL_SIZE = 10
TICK_SIZE = 9
LEGEND_SIZE = 8
ANNOT_SIZE = 8
SMALL_SIZE = 7

NORMALIZE_OPTIONS = ("true", "pred", "all")


def pyplot():
    """Import pyplot, lazily."""
    import matplotlib.pyplot as plt

    return plt


def new_axes(ax, figsize):
    """Return ``(figure, ax)``: the given Axes, or a new figure's only Axes."""
    if ax is None:
        fig, ax = pyplot().subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


def digit_color(label, position):
    """The colour of a class: its digit's colour for 0-9, else by position."""
    if isinstance(label, (int, np.integer)) and 0 <= int(label) <= 9:
        return DIGIT_COLORS[int(label)]
    return DIGIT_COLORS[position % len(DIGIT_COLORS)]


def text_color_on(rgba):
    """Black or white, whichever reads better on a cell of colour ``rgba``."""
    r, g, b = (np.asarray(rgba[:3], dtype=float) ** 2.2)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.3 else "white"


def style_axes(ax, *, title=None, xlabel=None, ylabel=None):
    """Apply the house fonts to ``ax`` and set its title and axis labels."""
    if title is not None:
        ax.set_title(title, fontsize=TITLE_SIZE)
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)


def label_text(label):
    """A class label as shown on a plot (numpy scalars as plain values)."""
    return str(label.item() if isinstance(label, np.generic) else label)


def check_normalize(normalize):
    if normalize is not None and normalize not in NORMALIZE_OPTIONS:
        msg = (
            "normalize must be one of 'true', 'pred', 'all' or None, "
            f"got {normalize!r}."
        )
        raise ValueError(msg)


def check_same_length(**arrays):
    """Raise if the named arrays (None skipped) differ in length."""
    named = [(name, len(a)) for name, a in arrays.items() if a is not None]
    first_name, first_len = named[0]
    for name, length in named[1:]:
        if length != first_len:
            msg = f"got {first_len} {first_name} but {length} {name}."
            raise ValueError(msg)


def labelled_predictions(y_true, y_pred, labels):
    """True and predicted labels as arrays of one length, and the classes to show.

    ``labels`` defaults to every label in either, sorted.
    """
    from sklearn.utils.multiclass import unique_labels

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    check_same_length(**{"true labels": y_true, "predictions": y_pred})
    return y_true, y_pred, unique_labels(y_true, y_pred) if labels is None else labels


def needs_scores(result, what):
    """Raise if an evaluation result holds no scores, which ``what`` needs."""
    if getattr(result, "y_score", None) is None:
        msg = (
            f"{what} need scores, but this evaluation result has none: evaluate an "
            "estimator that has predict_proba or decision_function, or pass y_score= "
            "to EvaluationResult.from_predictions."
        )
        raise ValueError(msg)


def evaluation():
    """The evaluation module, imported lazily (it never imports plotting)."""
    from .. import evaluation as module

    return module


def result_from_predictions(y_true, y_pred, y_score=None, *, labels=None, images=None):
    """An EvaluationResult built from plain predictions."""
    return evaluation().EvaluationResult.from_predictions(
        y_true, y_pred, y_score, labels=labels, images=images
    )


def predictions_from_scores(y_score, labels, y_true):
    """The predicted labels implied by a score matrix (arg-max per row)."""
    y_score = np.asarray(y_score)
    if y_score.ndim != 2:
        msg = f"y_score must be a 2-D array (n_samples, n_classes), got shape {y_score.shape}."
        raise ValueError(msg)
    if labels is None:
        labels = np.unique(y_true)
    labels = np.asarray(labels)
    if len(labels) != y_score.shape[1]:
        msg = f"got {y_score.shape[1]} score columns but {len(labels)} labels."
        raise ValueError(msg)
    return labels, labels[np.argmax(y_score, axis=1)]
