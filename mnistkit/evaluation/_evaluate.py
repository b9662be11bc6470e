"""``evaluate``: run a fitted classifier on a labelled test set, for every figure of its test."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._geometry import IMAGE_SIDE, N_PIXELS
from . import _checks
from ._result import EvaluationResult


def _scores(estimator):
    """The name of the score method to use, or None: probabilities before decision values."""
    for method in ("predict_proba", "decision_function"):
        if hasattr(estimator, method):
            return method
    return None


def _as_images(X):
    if hasattr(X, "tocsr"):  # a scipy sparse matrix: not kept as images
        return None
    X = np.asarray(X)
    if X.ndim == 2 and X.shape[1] == N_PIXELS:
        return X.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    return None


def _reorder(y_score, classes, labels):
    """Put the score columns, in the order of ``classes``, in the order of ``labels``."""
    if set(labels.tolist()) != set(classes.tolist()) or len(labels) != len(classes):
        msg = (
            f"labels must hold the same labels as the model's classes_, in any order; "
            f"got {_checks.short_list(labels)} for classes_ {_checks.short_list(classes)}."
        )
        raise ValueError(msg)
    position = {label: i for i, label in enumerate(classes.tolist())}
    return y_score[:, [position[label] for label in labels.tolist()]]


def evaluate(estimator, X, y, *, labels=None, curves=True):
    """Evaluate a fitted classifier on labelled samples.

    Predicts ``X`` and scores it, and returns the result that gives
    accuracy, the confusion matrix, per-label precision, recall, F1 and
    support, and, from the model's scores, ROC and precision/recall curves
    with their areas, one-vs-rest for each label, and how well the confidence
    of the answers tells right from wrong. Each figure is computed when first
    read. The scores come from ``predict_proba`` where the model has it, else
    from ``decision_function``.

    Parameters
    ----------
    estimator : fitted classifier
        Any fitted scikit-learn-compatible classifier: an mnistkit model, a
        scikit-learn estimator or pipeline.
    X : array-like of shape (n_samples, n_features)
        The samples, for MNIST 784 pixels per image.
    y : array-like of shape (n_samples,)
        Their true labels.
    labels : array-like, default=None
        The order of the labels in the report. By default the model's
        ``classes_``; if given, it must hold the same labels. For a model
        without ``classes_``, the labels in the order of its score columns.
    curves : bool, default=True
        Compute the scores, the curves and their areas. If False, the model
        is only asked to predict: no curves, no AUC, and the confidence of
        mistakes is NaN.

    Returns
    -------
    result : EvaluationResult
        Every figure, with ``images`` set to ``X`` as 28 x 28 images when it
        has 784 features.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the model is not fitted.
    ValueError
        If ``X`` and ``y`` differ in length, if ``y`` holds fewer than two
        classes or labels the model never saw, or if ``curves`` is True and the
        model has neither ``predict_proba`` nor ``decision_function``.

    See Also
    --------
    EvaluationResult.from_predictions : Evaluate predictions made elsewhere.

    Examples
    --------
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from mnistkit import evaluate, load_sample
    >>> X, y = load_sample(return_X_y=True)
    >>> X_test, y_test = load_sample(subset="test", return_X_y=True)
    >>> model = KNeighborsClassifier().fit(X, y)
    >>> result = evaluate(model, X_test, y_test)
    >>> round(result.accuracy, 3), result.score_source
    (0.905, 'predict_proba')
    >>> round(result.roc_auc["macro"], 2)
    0.99
    >>> result.top_confusions(1)
    [(8, 3, 10)]
    """
    y, classes, labels = _checked(estimator, X, y, labels)
    method = _method(estimator, "Curves", "pass curves=False") if curves else None
    y_pred = np.asarray(estimator.predict(X))
    y_score = None if method is None else _scored(estimator, X, method, classes, labels)
    if labels is None:
        labels = classes
    elif classes is not None and y_score is None:
        # Without scores the order is free, but the labels must still be the model's.
        _reorder(np.empty((0, len(classes))), classes, labels)

    return EvaluationResult.from_predictions(
        y,
        y_pred,
        y_score,
        labels=labels,
        score_source=method,
        images=_as_images(X),
    )


def model_scores(estimator, X, y, *, what="Curves"):
    """Check a model and labelled samples as :func:`evaluate` does, and score them.

    For the plots that draw scores only (the ROC and precision/recall curves):
    the model is not asked to predict.

    Parameters
    ----------
    estimator : fitted classifier
        With ``predict_proba`` (used first) or ``decision_function``.
    X : array-like of shape (n_samples, n_features)
        The samples.
    y : array-like of shape (n_samples,)
        Their true labels.
    what : str, default="Curves"
        What needs the scores, for the error raised without them.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The true labels, checked.
    y_score : ndarray of shape (n_samples, n_labels)
        The scores, one column per label of ``labels``.
    labels : ndarray of shape (n_labels,) or None
        The model's ``classes_`` (None for a model without them).
    score_source : {"predict_proba", "decision_function"}
        Where the scores come from.
    """
    y, classes, _ = _checked(estimator, X, y, None)
    method = _method(estimator, what, "plot a model that has one of them")
    return y, _scored(estimator, X, method, classes, None), classes, method


def _checked(estimator, X, y, labels):
    """``(y, classes, labels)``, checked: the model fitted, ``y`` labels it knows."""
    check_is_fitted(estimator)
    y = _checks.check_labels_1d(y, "y")
    _checks.check_same_length(X, y, "X", "y", "images", "labels")
    _checks.check_two_classes(y, "y")
    classes = getattr(estimator, "classes_", None)
    if classes is not None:
        classes = np.asarray(classes)
        _checks.check_known(
            y, classes, "y holds labels the model never saw during fit: {unknown}. "
            "The model knows {known}."
        )
    if labels is not None:
        labels = _checks.check_labels_1d(labels, "labels")
    return y, classes, labels


def _method(estimator, what, advice):
    """The name of the model's score method, or a ``ValueError`` that says what to do."""
    method = _scores(estimator)
    if method is None:
        msg = (
            f"{what} need scores, but {type(estimator).__name__} has neither predict_proba "
            f"nor decision_function; {advice}."
        )
        raise ValueError(msg)
    return method


def _scored(estimator, X, method, classes, labels):
    """The model's scores of ``X``, one column per label, in the order of ``labels``."""
    y_score = getattr(estimator, method)(X)
    if classes is not None:
        y_score = _checks.as_score_matrix(y_score, _checks.n_rows(X), classes, method)
        if labels is not None:
            y_score = _reorder(y_score, classes, labels)
    return y_score
