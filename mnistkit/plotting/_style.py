"""The shared look of every mnistkit plot, and the helpers all plots use.

One sequential colour map for matrices, one colour per digit for curves, one
colour for right and one for wrong. Font sizes are relative ("small"), so
rcParams and style sheets decide them. pyplot is imported only inside
functions, so importing mnistkit never selects a backend.
"""

import inspect

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
#: Font sizes, relative to ``rcParams["font.size"]``, so that a style sheet or
#: ``plt.rc_context`` scales every text of every plot. Titles, axis labels and
#: tick labels are left to their own rcParams.
TEXT_SIZE = "small"
SMALL_SIZE = "x-small"
LEGEND_SIZE = "small"


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
    """Set the title and axis labels of ``ax``; their sizes are the rcParams'."""
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)


def merged(defaults, overrides):
    """``defaults`` updated with a user's ``*_kw`` dict (None for none)."""
    return {**defaults, **(overrides or {})}


def label_text(label):
    """A class label as shown on a plot (numpy scalars as plain values)."""
    return str(label.item() if isinstance(label, np.generic) else label)


def check_same_length(**arrays):
    """Raise if the named arrays (None skipped) differ in length."""
    named = [(name, len(a)) for name, a in arrays.items() if a is not None]
    first_name, first_len = named[0]
    for name, length in named[1:]:
        if length != first_len:
            msg = f"got {first_len} {first_name} but {length} {name}."
            raise ValueError(msg)


def plot_options(cls, arguments, besides=("ax",)):
    """The arguments of a constructor of ``cls`` that go on to its ``plot`` as they are.

    ``arguments`` is the constructor's ``locals()``, taken first thing: each
    constructor keeps its explicit signature without naming every option of
    ``plot`` twice.
    """
    names = set(inspect.signature(cls.plot).parameters) - {"self", *besides}
    return {key: value for key, value in arguments.items() if key in names}


def needs_scores(result, what):
    """Raise if an evaluation result holds no scores, which ``what`` needs."""
    if getattr(result, "y_score", None) is None:
        msg = (
            f"{what} need scores, but this evaluation result has none: evaluate an "
            "estimator that has predict_proba or decision_function, or pass y_score= "
            "to EvaluationResult.from_predictions."
        )
        raise ValueError(msg)


def fill_docstrings(cls, methods, **sections):
    """Put shared parameter descriptions into the docstrings of ``cls``'s methods.

    Each ``{name}`` placeholder, alone on its line, is replaced by the text of
    ``sections[name]``, indented as the placeholder is, so that the parameters
    every constructor passes on to ``plot`` are described once.
    """
    for method in methods:
        function = getattr(getattr(cls, method), "__func__", getattr(cls, method))
        if function.__doc__ is None:  # python -OO strips docstrings
            continue
        lines = []
        for line in function.__doc__.splitlines():
            key = line.strip()[1:-1] if line.strip().startswith("{") else None
            if key in sections:
                indent = line[: len(line) - len(line.lstrip())]
                lines.extend(indent + part if part else "" for part in
                             sections[key].splitlines())
            else:
                lines.append(line)
        function.__doc__ = "\n".join(lines)


def guess_score_source(y_score):
    """"predict_proba" for rows of probabilities (in [0, 1], summing to 1), else None."""
    if y_score is None:
        return None
    y_score = np.asarray(y_score, dtype=float)
    if y_score.ndim == 2 and y_score.size and np.all((y_score >= 0) & (y_score <= 1)) and (
        np.allclose(y_score.sum(axis=1), 1.0, atol=1e-6)
    ):
        return "predict_proba"
    return None
