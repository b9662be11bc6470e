"""Input checks shared by :func:`evaluate`, :class:`EvaluationResult` and :func:`compare_models`.

Every error names what was expected, what was received, and, where there is
one, what to do next.
"""

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

SCORE_SOURCES = ("predict_proba", "decision_function", None)


def n_rows(X):
    """Number of samples in ``X``: an array, a data frame, a sparse matrix or a list."""
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    return len(X)


def short_list(values, limit=12):
    """``[0 1 2 ... 9]``-style text for a few values, used in error messages."""
    values = list(np.asarray(values).tolist())
    if len(values) > limit:
        head = " ".join(str(v) for v in values[: limit // 2])
        tail = " ".join(str(v) for v in values[-2:])
        return f"[{head} ... {tail}]"
    return "[" + " ".join(str(v) for v in values) + "]"


def check_labels_1d(y, name):
    """Return ``y`` as a 1-D array of class labels, or raise a ``ValueError``."""
    try:
        y = column_or_1d(y)
    except ValueError as exc:
        shape = np.shape(y)
        msg = f"{name} must be a 1-D array of class labels, got an array of shape {shape}."
        raise ValueError(msg) from exc
    if y.size == 0:
        msg = f"{name} is empty: evaluation needs at least one sample of each of two classes."
        raise ValueError(msg)
    kind = type_of_target(y, input_name=name)
    if kind not in ("binary", "multiclass"):
        msg = (
            f"{name} must hold class labels (such as the digits 0 to 9), "
            f"but scikit-learn reads it as {kind!r} values."
        )
        raise ValueError(msg)
    return y


def check_same_length(first, second, first_name, second_name, first_unit, second_unit):
    """Raise ``ValueError`` unless ``first`` and ``second`` hold as many samples."""
    n_first, n_second = n_rows(first), n_rows(second)
    if n_first != n_second:
        msg = (
            f"{first_name} has {n_first} {first_unit} but {second_name} has "
            f"{n_second} {second_unit}."
        )
        raise ValueError(msg)


def check_two_classes(y, name):
    """Raise ``ValueError`` unless ``y`` holds at least two distinct classes."""
    present = np.unique(y)
    if present.size < 2:
        msg = f"Evaluation needs at least two classes in {name}, got only {short_list(present)}."
        raise ValueError(msg)
    return present


def check_known(y, labels, message):
    """Raise ``ValueError`` with ``message`` if ``y`` holds values outside ``labels``.

    ``message`` is formatted with ``unknown`` and ``known``.
    """
    unknown = np.setdiff1d(np.unique(y), labels)
    if unknown.size:
        msg = message.format(unknown=short_list(unknown), known=short_list(labels))
        raise ValueError(msg)


def check_in_labels(y, labels, name):
    """Raise ``ValueError`` if ``y`` holds labels outside ``labels``."""
    check_known(y, labels, f"{name} holds labels that are not in labels: {{unknown}}. "
                "labels is {known}.")


def check_label_list(labels):
    """Return ``labels`` as a 1-D array of distinct class labels, or raise a ``ValueError``."""
    labels = check_labels_1d(labels, "labels")
    if np.unique(labels).size != labels.size:
        msg = f"labels must not repeat a label, got {short_list(labels)}."
        raise ValueError(msg)
    return labels


def label_codes(y, labels):
    """The position in ``labels`` of each label of ``y`` (all of them in ``labels``)."""
    order = np.argsort(labels, kind="stable")
    return order[np.searchsorted(labels, y, sorter=order)]


def check_score_source(score_source):
    if score_source not in SCORE_SOURCES:
        msg = f"score_source must be one of {SCORE_SOURCES}, got {score_source!r}."
        raise ValueError(msg)


def as_score_matrix(y_score, n_samples, labels, score_source):
    """Return ``y_score`` as a float array of shape (n_samples, n_labels).

    A 1-D score in the binary case is the score of ``labels[1]``, as scikit-learn
    gives it; the score of ``labels[0]`` is then ``1 - score`` for probabilities
    and ``-score`` for decision values.
    """
    try:
        y_score = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"y_score must be an array of numbers, got {type(y_score).__name__}."
        raise ValueError(msg) from exc
    n_labels = len(labels)
    if y_score.ndim == 1 or (y_score.ndim == 2 and y_score.shape[1] == 1 and n_labels == 2):
        if n_labels != 2:
            msg = (
                f"y_score is 1-D, which only makes sense for two classes, but there are "
                f"{n_labels} labels {short_list(labels)}; pass one column of scores per label."
            )
            raise ValueError(msg)
        positive = y_score.reshape(-1)
        negative = 1.0 - positive if score_source == "predict_proba" else -positive
        y_score = np.column_stack([negative, positive])
    if y_score.ndim != 2 or y_score.shape != (n_samples, n_labels):
        msg = (
            f"y_score must have one row per sample and one column per label, that is shape "
            f"({n_samples}, {n_labels}), got shape {y_score.shape}."
        )
        raise ValueError(msg)
    if not np.all(np.isfinite(y_score)):
        msg = "y_score holds NaN or infinite values; scores must be finite numbers."
        raise ValueError(msg)
    return y_score
