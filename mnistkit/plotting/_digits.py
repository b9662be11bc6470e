"""Grids of digit images: labelled, predicted, and the most confident mistakes."""

import math

import numpy as np

from .. import evaluation
from . import _style
from ._repr import DisplayMixin


def _as_images(images):
    images = np.asarray(images)
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            msg = (
                f"images of {images.shape[1]} pixels are not square; pass them as an "
                "(n, height, width) array."
            )
            raise ValueError(msg)
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        msg = (
            "images must be an (n, height, width) array or an (n, height * width) "
            f"array of pixels, got shape {images.shape}."
        )
        raise ValueError(msg)
    return images


def _grid_shape(n, n_cols):
    if n_cols is None:
        n_cols = min(n, 10) if n <= 40 else math.ceil(math.sqrt(n * 1.6))
    n_cols = max(1, min(int(n_cols), max(n, 1)))
    return max(1, math.ceil(n / n_cols)), n_cols


def _grid_axes(ax, n_rows, n_cols, cell_size, n_text_lines=0):
    """A (n_rows, n_cols) array of Axes: new, taken from ``ax``, or made inside ``ax``."""
    plt = _style.pyplot()
    if ax is None:
        figsize = (max(n_cols * cell_size[0], 2.0), n_rows * cell_size[1] + 0.3)
        fig, axes = plt.subplots(n_rows, n_cols, figsize=figsize, squeeze=False,
                                 layout="constrained")
        return fig, axes
    if isinstance(ax, (list, tuple, np.ndarray)):
        flat = np.asarray(ax, dtype=object).ravel()
        if flat.size < n_rows * n_cols:
            msg = f"got {flat.size} axes for a grid of {n_rows}x{n_cols} images."
            raise ValueError(msg)
        return flat[0].figure, flat[: n_rows * n_cols].reshape(n_rows, n_cols)
    # A single Axes: the grid is drawn inside it, with room for the titles
    # (and the lines of text under each image, if any).
    fig = ax.figure
    ax.set_axis_off()
    axes = np.empty((n_rows, n_cols), dtype=object)
    width, height = 1 / n_cols, 1 / n_rows
    top, bottom = 0.2, 0.06 + 0.1 * n_text_lines
    for i in range(n_rows):
        for j in range(n_cols):
            axes[i, j] = ax.inset_axes([
                (j + 0.04) * width, 1 - (i + 1 - bottom) * height,
                0.92 * width, (1 - top - bottom) * height,
            ])
    return fig, axes


def _draw_grid(display, ax, images, titles, title_colors, xlabels, mistakes, n_cols,
               cmap, title, cell_size, im_kw=None):
    n = len(images)
    if n_cols is None and isinstance(ax, (list, tuple, np.ndarray)) and np.ndim(ax) == 2:
        n_cols = np.shape(ax)[1]  # an array of Axes keeps its layout
    n_rows, n_cols = _grid_shape(n, n_cols)
    n_lines = 0 if xlabels is None else max(x.count("\n") + 1 for x in xlabels)
    fig, axes = _grid_axes(ax, n_rows, n_cols, cell_size, n_lines)
    display.images_ = []
    display.titles_ = []
    display.xlabels_ = []
    for k, cell in enumerate(axes.ravel()):
        cell.set_xticks([])
        cell.set_yticks([])
        if k >= n:
            cell.set_axis_off()
            continue
        kw = _style.merged({"cmap": cmap or _style.IMAGE_CMAP, "interpolation": "nearest"},
                           im_kw)
        display.images_.append(cell.imshow(images[k], **kw))
        if titles is not None:
            bold = mistakes is not None and mistakes[k]
            display.titles_.append(cell.set_title(
                titles[k], fontsize=_style.TEXT_SIZE, color=title_colors[k], pad=2,
                fontweight="bold" if bold else "normal",
            ))
        if xlabels is not None:
            display.xlabels_.append(cell.set_xlabel(
                xlabels[k], fontsize=_style.SMALL_SIZE, labelpad=2, linespacing=1.1,
                family="monospace",
            ))
        for spine in cell.spines.values():
            if mistakes is not None and mistakes[k]:
                spine.set_edgecolor(_style.ERROR_COLOR)
                spine.set_linewidth(1.6)
            else:
                spine.set_edgecolor("#cccccc")
                spine.set_linewidth(0.6)
    display.suptitle_ = None
    if title and ax is None:
        display.suptitle_ = fig.suptitle(title, fontsize="large")
    elif title and not isinstance(ax, (list, tuple, np.ndarray)):
        display.suptitle_ = ax.set_title(title)
    display.axes_ = axes
    display.figure_ = fig
    return display


_SELECT = ("first", "mistakes", "least_confident")


def _confidence_name(score_source):
    """What the confidence is called in titles, from evaluation's one table."""
    return evaluation.CONFIDENCE_NAMES[score_source].name


def _selected(result, select, n):
    """The rows of ``result`` to show, their confidences, and the title that says why.

    The mistakes come in the order of ``result.misclassified``; the right
    answers, least confident first, by ``result.confidence``.
    """
    confidence = result.confidence
    if select == "first":
        index = np.arange(min(n, result.n_samples))
        return index, None if confidence is None else confidence[index], "auto"
    if select == "mistakes":
        rows = result.misclassified["index"]
        what = "Mistakes" if confidence is None else "Most confident mistakes"
    else:
        if confidence is None:
            msg = (
                "select='least_confident' needs scores, but this evaluation result has "
                "none: evaluate an estimator that has predict_proba or decision_function."
            )
            raise ValueError(msg)
        right = np.flatnonzero(np.asarray(result.y_true) == np.asarray(result.y_pred))
        rows = right[np.argsort(confidence[right], kind="stable")]
        what = "Least confident right answers"
    rows = rows[:n]
    if rows.size == 0:
        msg = f"there are no {what.lower()} to show."
        raise ValueError(msg)
    suffix = "" if confidence is None else f" ({_confidence_name(result.score_source)})"
    return rows, None if confidence is None else confidence[rows], (
        f"{what}: true → predicted{suffix}")


class DigitGridDisplay(DisplayMixin):
    """A grid of digit images, titled with their labels, or labels and predictions.

    With predictions, each image is titled "true → predicted"; mistakes are
    titled in bold red and framed in red. With confidences, each title ends
    with the confidence of the prediction.

    Parameters
    ----------
    images : array-like of shape (n, 28, 28) or (n, 784)
        The images; rows of pixels are reshaped to squares.
    labels : array-like of shape (n,), default=None
        The true label of each image.
    predictions : array-like of shape (n,), default=None
        The predicted label of each image.
    confidence : array-like of shape (n,), default=None
        How sure the model was of each prediction (the score it gave the
        predicted digit: a probability, or a decision value), written after
        the title.

    Attributes
    ----------
    axes_ : ndarray of matplotlib.axes.Axes, shape (n_rows, n_cols)
        One Axes per cell; cells past the last image are switched off.
    images_ : list of matplotlib.image.AxesImage
        One per image, in order.
    titles_ : list of matplotlib.text.Text
        The title of each image (empty without labels and predictions).
    mistakes_ : ndarray of bool or None
        Which images are mistakes (None without both labels and predictions).
    suptitle_ : matplotlib.text.Text or None
        The title above the grid.
    figure_ : matplotlib.figure.Figure
        The figure holding the grid.

    See Also
    --------
    plot_digits : The same, as a function.
    MisclassifiedDisplay : The most confident mistakes of a classifier.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import DigitGridDisplay, load_sample
    >>> sample = load_sample()
    >>> display = DigitGridDisplay(sample.images[:3], labels=[0, 1, 2], predictions=[0, 7, 2])
    >>> display = display.plot()
    >>> [title.get_text() for title in display.titles_]
    ['0 → 0', '1 → 7', '2 → 2']
    >>> display.mistakes_.tolist()
    [False, True, False]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, images, *, labels=None, predictions=None, confidence=None):
        self.images = images
        self.labels = labels
        self.predictions = predictions
        self.confidence = confidence

    def _summary(self):
        n = len(self.images)
        text = f"{n:,} image{'s' if n != 1 else ''}"
        if self.labels is not None and self.predictions is not None:
            wrong = int(np.sum(np.asarray(self.labels) != np.asarray(self.predictions)))
            text += f", {wrong:,} misclassified"
        return text

    def plot(self, ax=None, *, n_cols=None, cmap=None, title="auto", im_kw=None):
        """Draw the grid.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or array of Axes, default=None
            Where to draw: None for a new figure; one Axes, whose place is
            split into the grid; or at least as many Axes as cells.
        n_cols : int, default=None
            Images per row; by default up to 10.
        cmap : str, default=None
            The colour map of the images; by default dark ink on white.
        title : str, default="auto"
            A title above the grid: the figure's suptitle, or the title of the
            Axes given. "auto" explains the titles when there are predictions.
        im_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.imshow` for every image,
            over mnistkit's settings.

        Returns
        -------
        self : DigitGridDisplay
            The display, with ``axes_``, ``images_``, ``titles_``,
            ``mistakes_``, ``suptitle_`` and ``figure_`` set.
        """
        images = _as_images(self.images)
        labels, predictions, confidence = (
            None if values is None else np.asarray(values)
            for values in (self.labels, self.predictions, self.confidence)
        )
        _style.check_same_length(images=images, labels=labels, predictions=predictions,
                                 confidences=confidence)
        if len(images) == 0:
            msg = "got no images to plot."
            raise ValueError(msg)
        titles = colors = None
        self.mistakes_ = None
        if labels is not None and predictions is not None:
            self.mistakes_ = labels != predictions
            titles = [
                f"{_style.label_text(t)} → {_style.label_text(p)}"
                for t, p in zip(labels, predictions, strict=True)
            ]
            colors = [_style.ERROR_COLOR if m else _style.CORRECT_COLOR for m in self.mistakes_]
            if title == "auto":
                title = "Digits: true → predicted, mistakes in red"
        elif labels is not None or predictions is not None:
            given = labels if labels is not None else predictions
            prefix = "" if labels is not None else "pred "
            titles = [f"{prefix}{_style.label_text(v)}" for v in given]
            colors = ["black"] * len(images)
        if titles is not None and confidence is not None:
            titles = [f"{text} ({c:.2f})" for text, c in zip(titles, confidence, strict=True)]
        if title == "auto":
            title = None
        return _draw_grid(self, ax, images, titles, colors, None, self.mistakes_,
                          n_cols, cmap, title, cell_size=(0.85, 0.95), im_kw=im_kw)

    @classmethod
    def from_evaluation(cls, result, *, n=30, select="first", n_cols=None, cmap=None,
                        title="auto", im_kw=None, ax=None):
        """Plot ``n`` images of an evaluation, with labels and predictions.

        Parameters
        ----------
        result : EvaluationResult
            It must hold the images: from :func:`mnistkit.evaluation.evaluate`
            on rows of 784 pixels, or built with ``images=``.
        n : int, default=30
            How many images to show, at most.
        select : {"first", "mistakes", "least_confident"}, default="first"
            Which images: the first ``n``; the mistakes, most confident
            first; or the right answers the model was least sure of (needs
            scores), least sure first, ranked by ``result.confidence``. With
            scores, the last two write that confidence (a probability, or a
            decision value) in each title.
        n_cols : int, default=None
            Images per row; by default up to 10.
        cmap : str, default=None
            The colour map of the images; by default dark ink on white.
        title : str, default="auto"
            A title above the grid; "auto" says what is shown.
        im_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.imshow` for every image.
        ax : matplotlib.axes.Axes or array of Axes, default=None
            Where to draw; see :meth:`plot`.

        Returns
        -------
        display : DigitGridDisplay
            The display, drawn.
        """
        _needs_images(result, "a digit grid")
        if select not in _SELECT:
            msg = f"select must be one of {', '.join(map(repr, _SELECT))}, got {select!r}."
            raise ValueError(msg)
        options = _style.plot_options(cls, locals())
        rows, confidence, auto_title = _selected(result, select, n)
        display = cls(np.asarray(result.images)[rows],
                      labels=np.asarray(result.y_true)[rows],
                      predictions=np.asarray(result.y_pred)[rows],
                      confidence=None if select == "first" else confidence)
        if title == "auto":
            options["title"] = auto_title
        return display.plot(ax=ax, **options)

    @classmethod
    def from_predictions(cls, images, y_true, y_pred, *, n=30, n_cols=None, cmap=None,
                         title="auto", im_kw=None, ax=None):
        """Plot the first ``n`` images with their true and predicted labels.

        Parameters
        ----------
        images : array-like of shape (n_samples, 28, 28) or (n_samples, 784)
            The images; rows of pixels are reshaped to squares.
        y_true : array-like of shape (n_samples,)
            The true labels of the images.
        y_pred : array-like of shape (n_samples,)
            The predicted labels of the images.
        n : int, default=30
            How many images to show, from the first on.
        n_cols : int, default=None
            Images per row; by default up to 10.
        cmap : str, default=None
            The colour map of the images; by default dark ink on white.
        title : str, default="auto"
            A title above the grid; "auto" explains the titles.
        im_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.imshow` for every image.
        ax : matplotlib.axes.Axes or array of Axes, default=None
            Where to draw; see :meth:`plot`.

        Returns
        -------
        display : DigitGridDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        images = _as_images(images)
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        _style.check_same_length(images=images, labels=y_true, predictions=y_pred)
        display = cls(images[:n], labels=y_true[:n], predictions=y_pred[:n])
        return display.plot(ax=ax, **options)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, n=30, n_cols=None, cmap=None, title="auto",
                       im_kw=None, ax=None):
        """Predict the first ``n`` rows of ``X`` and plot them with their labels.

        Parameters
        ----------
        estimator : fitted classifier
            Only its ``predict`` is used, on the first ``n`` rows.
        X : array-like of shape (n_samples, 784)
            The images, one row of pixels each.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        n : int, default=30
            How many images to predict and show, from the first on.
        n_cols : int, default=None
            Images per row; by default up to 10.
        cmap : str, default=None
            The colour map of the images; by default dark ink on white.
        title : str, default="auto"
            A title above the grid; "auto" explains the titles.
        im_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.imshow` for every image.
        ax : matplotlib.axes.Axes or array of Axes, default=None
            Where to draw; see :meth:`plot`.

        Returns
        -------
        display : DigitGridDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        X, y = np.asarray(X)[:n], np.asarray(y)[:n]
        return cls.from_predictions(X, y, estimator.predict(X), n=n, **options)


def plot_digits(images, labels=None, predictions=None, *, ax=None, n_cols=None, cmap=None,
                title="auto"):
    """Plot a grid of digit images, with their labels and predictions if given.

    Parameters
    ----------
    images : array-like of shape (n, 28, 28) or (n, 784)
        The images; rows of pixels are reshaped to squares.
    labels : array-like of shape (n,), default=None
        The true labels.
    predictions : array-like of shape (n,), default=None
        The predicted labels; mistakes are titled and framed in red.
    ax : matplotlib.axes.Axes or array of Axes, default=None
        Where to draw; see :meth:`DigitGridDisplay.plot`.
    n_cols : int, default=None
        Images per row; by default up to 10.
    cmap : str, default=None
        The colour map of the images; by default dark ink on white
        (``"gray_r"``).
    title : str, default="auto"
        See :meth:`DigitGridDisplay.plot`.

    Returns
    -------
    display : DigitGridDisplay
        The display, with ``axes_``, ``images_``, ``titles_``, ``mistakes_``
        and ``figure_`` set.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import load_sample, plot_digits
    >>> sample = load_sample()
    >>> grid = plot_digits(sample.images[:20], sample.target[:20], n_cols=5)
    >>> grid.axes_.shape, grid.titles_[3].get_text()
    ((4, 5), '3')
    >>> import matplotlib.pyplot as plt
    >>> plt.close(grid.figure_)
    """
    display = DigitGridDisplay(images, labels=labels, predictions=predictions)
    return display.plot(ax=ax, n_cols=n_cols, cmap=cmap, title=title)


def _needs_images(result, what):
    if getattr(result, "images", None) is None:
        msg = (
            f"{what} needs images, but this evaluation result has none: pass images= "
            "to EvaluationResult.from_predictions, or evaluate on rows of 784 pixels."
        )
        raise ValueError(msg)


def _top_k_text(scores, labels, k):
    order = np.argsort(scores)[::-1][:k]
    return "\n".join(f"{_style.label_text(labels[i])}: {scores[i]:.2f}" for i in order)


class MisclassifiedDisplay(DisplayMixin):
    """The mistakes of a classifier, most confident first.

    Each image is titled "true → predicted" and how sure the model was of its
    prediction: the score it gave the predicted digit, a probability when it
    has probabilities, else a decision value (``EvaluationResult.confidence``).
    The title above the grid says which. The top predicted classes and their
    scores can be written under each image.

    Parameters
    ----------
    images : array-like of shape (n, 28, 28) or (n, 784)
        The misclassified images, in the order to show them.
    y_true : array-like of shape (n,)
        Their true labels.
    y_pred : array-like of shape (n,)
        Their predicted labels.
    confidence : array-like of shape (n,), default=None
        How sure the model was of each prediction.
    y_score : array-like of shape (n, n_classes), default=None
        All scores of each image, for the top-k list.
    labels : array-like of shape (n_classes,), default=None
        The label of each score column.
    confidence_name : str, default=None
        What ``confidence`` is ("probability", "decision value", ...), said
        in the "auto" title; by default taken from ``score_source``.
    score_source : {"predict_proba", "decision_function"}, default=None
        Where the scores come from, when known: "predict_proba" names the
        confidence "probability", "decision_function" "decision value".

    Attributes
    ----------
    axes_ : ndarray of matplotlib.axes.Axes
        One Axes per cell.
    images_ : list of matplotlib.image.AxesImage
        One per image, in order.
    titles_ : list of matplotlib.text.Text
        The title of each image.
    xlabels_ : list of matplotlib.text.Text
        The top-k lists (empty unless asked for).
    suptitle_ : matplotlib.text.Text or None
        The title above the grid.
    figure_ : matplotlib.figure.Figure
        The figure holding the grid.

    See Also
    --------
    DigitGridDisplay : Any images, right or wrong.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from mnistkit import MisclassifiedDisplay, load_sample
    >>> sample = load_sample()
    >>> display = MisclassifiedDisplay(sample.images[:2], [0, 1], [6, 7], confidence=[0.9, 0.6],
    ...                                confidence_name="probability").plot()
    >>> [title.get_text() for title in display.titles_]
    ['0 → 6 (0.90)', '1 → 7 (0.60)']
    >>> display.suptitle_.get_text()
    'Most confident mistakes: true → predicted (probability)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, images, y_true, y_pred, *, confidence=None, y_score=None, labels=None,
                 confidence_name=None, score_source=None):
        self.images = images
        self.y_true = y_true
        self.y_pred = y_pred
        self.confidence = confidence
        self.y_score = y_score
        self.labels = labels
        self.confidence_name = confidence_name
        self.score_source = score_source

    def _summary(self):
        wrong = int(np.sum(np.asarray(self.y_true) != np.asarray(self.y_pred)))
        n = len(self.y_true)
        return f"{wrong:,} mistakes" + (f" among {n:,} images" if n != wrong else "")

    def plot(self, ax=None, *, top_k=None, n_cols=None, cmap=None, title="auto", im_kw=None):
        """Draw the mistakes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or array of Axes, default=None
            Where to draw; see :meth:`DigitGridDisplay.plot`.
        top_k : int, default=None
            Write the ``top_k`` highest scores under each image (needs
            ``y_score``).
        n_cols : int, default=None
            Images per row; by default up to 10 (6 with ``top_k``).
        cmap : str, default=None
            The colour map of the images; by default dark ink on white
            (``"gray_r"``).
        title : str, default="auto"
            Above the grid; "auto" says "Most confident mistakes" when there
            are confidences, else "Mistakes", and what the number in each
            title is.
        im_kw : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.imshow` for every image,
            over mnistkit's settings.

        Returns
        -------
        self : MisclassifiedDisplay
            The display, with ``axes_``, ``images_``, ``titles_``,
            ``xlabels_``, ``suptitle_`` and ``figure_`` set.
        """
        images, y_true, y_pred, confidence, y_score, labels = self._checked()
        if title == "auto":
            title = "Mistakes: true → predicted"
            if confidence is not None:
                name = self.confidence_name or (
                    None if self.score_source is None else _confidence_name(self.score_source))
                title = "Most confident " + title[0].lower() + title[1:]
                if name:
                    title += f" ({name})"
        if top_k and y_score is None:
            msg = "top_k needs the scores of each image: pass y_score= and labels=."
            raise ValueError(msg)
        if len(images) == 0:
            fig, ax = _style.new_axes(None if isinstance(ax, (list, np.ndarray)) else ax,
                                      figsize=(4, 1.5))
            ax.set_axis_off()
            ax.text(0.5, 0.5, "No mistakes", ha="center", va="center",
                    transform=ax.transAxes)
            self.axes_ = np.array([[ax]], dtype=object)
            self.images_, self.titles_, self.xlabels_ = [], [], []
            self.suptitle_ = None
            self.figure_ = fig
            return self
        titles = []
        for k, (t, p) in enumerate(zip(y_true, y_pred, strict=True)):
            text = f"{_style.label_text(t)} → {_style.label_text(p)}"
            if confidence is not None:
                text += f" ({confidence[k]:.2f})"
            titles.append(text)
        xlabels = None
        if top_k:
            xlabels = [_top_k_text(row, labels, top_k) for row in y_score]
        if n_cols is None and top_k:
            n_cols = min(len(images), 6)
        mistakes = y_true != y_pred
        colors = [_style.ERROR_COLOR if m else _style.CORRECT_COLOR for m in mistakes]
        cell = (1.05, 1.3 + 0.14 * (top_k or 0))
        return _draw_grid(self, ax, images, titles, colors, xlabels, mistakes, n_cols,
                          cmap, title, cell_size=cell, im_kw=im_kw)

    def _checked(self):
        """The data as arrays, checked: images, labels, confidences, scores and their labels."""
        images = _as_images(self.images)
        y_true, y_pred = np.asarray(self.y_true), np.asarray(self.y_pred)
        confidence = None if self.confidence is None else np.asarray(self.confidence, float)
        if confidence is not None and confidence.size and np.isnan(confidence).all():
            confidence = None  # an evaluation without scores
        y_score = None if self.y_score is None else np.asarray(self.y_score, dtype=float)
        _style.check_same_length(images=images, labels=y_true, predictions=y_pred,
                                 confidences=confidence, **{"score rows": y_score})
        labels = self.labels
        if y_score is not None:
            if labels is None or len(labels) != y_score.shape[1]:
                n_labels = None if labels is None else len(labels)
                msg = f"got {y_score.shape[1]} score columns but {n_labels} labels."
                raise ValueError(msg)
            labels = np.asarray(labels)
        return images, y_true, y_pred, confidence, y_score, labels

    @classmethod
    def from_evaluation(cls, result, *, n=12, top_k=None, n_cols=None, cmap=None,
                        title="auto", im_kw=None, ax=None):
        """Plot the ``n`` most confident mistakes of an evaluation result.

        Parameters
        ----------
        result : EvaluationResult
            It must hold the images: from :func:`mnistkit.evaluation.evaluate`
            on rows of 784 pixels, or built with ``images=``. The mistakes
            come in the order of ``result.misclassified``: by the score the
            model gave the predicted digit (a probability, or a decision
            value), highest first; without scores, in the order of the
            samples.
        {plot_parameters}

        Returns
        -------
        display : MisclassifiedDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals())
        _needs_images(result, "a plot of mistakes")
        wrong = result.misclassified
        index = wrong["index"][:n]
        y_score = result.y_score
        display = cls(
            np.asarray(result.images)[index], wrong["true"][:n], wrong["predicted"][:n],
            confidence=None if y_score is None else wrong["confidence"][:n],
            y_score=None if y_score is None else y_score[index],
            labels=None if y_score is None else result.labels,
            confidence_name=None if y_score is None else _confidence_name(result.score_source),
        )
        return display.plot(ax=ax, **options)

    @classmethod
    def from_predictions(cls, images, y_true, y_pred, y_score=None, *, labels=None,
                         score_source=None, n=12, top_k=None, n_cols=None, cmap=None,
                         title="auto", im_kw=None, ax=None):
        """Find and plot the ``n`` most confident mistakes of predictions.

        Parameters
        ----------
        images : array-like of shape (n_samples, 28, 28) or (n_samples, 784)
            The images of all samples, right or wrong.
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels.
        y_score : array-like of shape (n_samples, n_classes), default=None
            Scores that rank the mistakes; without them, mistakes come in
            the order of the samples.
        labels : array-like, default=None
            The label of each score column; by default the sorted labels
            found in ``y_true`` and ``y_pred``.
        score_source : {"predict_proba", "decision_function"}, default=None
            What the scores are, which the title says: "predict_proba" for
            probabilities, "decision_function" for decision values. By
            default, probabilities if every row of ``y_score`` lies in [0, 1]
            and sums to 1. Either way, the mistakes are ranked by the score
            of the predicted digit.
        {plot_parameters}

        Returns
        -------
        display : MisclassifiedDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        result = evaluation.EvaluationResult.from_predictions(
            y_true, y_pred, y_score, labels=labels, images=_as_images(images),
            score_source=(score_source or _style.guess_score_source(y_score)
                          if y_score is not None else None),
        )
        return cls.from_evaluation(result, n=n, **options)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, n=12, top_k=None, n_cols=None, cmap=None,
                       title="auto", im_kw=None, ax=None):
        """Evaluate a fitted classifier on ``X, y`` and plot its most confident mistakes.

        Parameters
        ----------
        estimator : fitted classifier
            With ``predict_proba`` or ``decision_function``, whose scores
            rank the mistakes (``predict_proba`` where it has both).
        X : array-like of shape (n_samples, 784)
            The images, one row of pixels each.
        y : array-like of shape (n_samples,)
            The true labels of ``X``.
        {plot_parameters}

        Returns
        -------
        display : MisclassifiedDisplay
            The display, drawn.
        """
        options = _style.plot_options(cls, locals(), ())
        # The result computes, when read, the ranking of the mistakes only.
        return cls.from_evaluation(evaluation.evaluate(estimator, X, y), n=n, **options)


_style.fill_docstrings(
    MisclassifiedDisplay, ("from_evaluation", "from_predictions", "from_estimator"),
    plot_parameters="""\
n : int, default=12
    How many mistakes to show, at most.
top_k : int, default=None
    Write the ``top_k`` highest scores under each image (needs scores).
n_cols : int, default=None
    Images per row; by default up to 10 (6 with ``top_k``).
cmap : str, default=None
    The colour map of the images; by default dark ink on white.
title : str, default="auto"
    Above the grid; "auto" says what is shown and what the number in
    each title is.
im_kw : dict, default=None
    Passed to :meth:`matplotlib.axes.Axes.imshow` for every image.
ax : matplotlib.axes.Axes or array of Axes, default=None
    Where to draw; see :meth:`plot`.""",
)
