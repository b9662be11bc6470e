"""A committee of classifiers whose decision values are averaged."""

import numpy as np
from joblib import parallel_config
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["Committee"]


def label_of_best_score(classes, scores):
    """The label each row of decision values points to.

    ``scores`` has one column per class (the highest wins), or is one value per
    row for two classes (positive: ``classes[1]``), as scikit-learn's
    ``decision_function`` gives them.
    """
    scores = np.asarray(scores)
    if len(classes) == 2 and (scores.ndim == 1 or scores.shape[1] == 1):
        return classes[(scores.reshape(len(scores)) > 0).astype(int)]
    return classes[np.argmax(scores, axis=1)]


class PredictsBestScore(ClassifierMixin):
    """A classifier that predicts the class of its highest decision value."""

    def predict(self, X):
        """Class with the highest decision value.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        scores = self.decision_function(X)  # checks that the model is fitted
        return label_of_best_score(self.classes_, scores)


def _fit_member(estimator, X, y):
    # parallel_config holds for the thread that enters it: a member fitted in a
    # thread of its own asks for threads inside it again.
    with parallel_config(backend="threading"):
        return clone(estimator).fit(X, y)


def _scores(member, X):
    return np.asarray(member.decision_function(X), dtype=np.float64).reshape(len(X), -1)


class Committee(PredictsBestScore, BaseEstimator):
    """Average the per-class decision values of several classifiers.

    Each member is fitted on the same data; a prediction is the class with the
    highest mean decision value over the members. Members that see the digits
    differently (another normalisation, other features) make partly different
    mistakes, so the average makes fewer than any one of them.
    :class:`~sklearn.ensemble.VotingClassifier` averages probabilities or
    counts votes; this committee averages decision values, which every SVM has
    without the cost of calibrating probabilities.

    The members' decision values should be on comparable scales: those of
    :class:`~sklearn.svm.SVC` with ``decision_function_shape="ovr"`` (the
    default) are the number of one-vs-one votes per class plus a confidence
    term smaller than one half, so SVMs on different features qualify.

    Parameters
    ----------
    estimators : list of (str, estimator)
        Named members; each must have ``decision_function`` returning
        ``(n_samples, n_classes)`` scores.
    n_jobs : int, default=None
        Members evaluated in parallel, in threads (joblib): the members share
        the data without copies, and libsvm and NumPy release Python's global
        interpreter lock while they compute. The members' own parallel work
        runs in threads as well.
    fit_at_once : bool, default=False
        Fit the members at once, each in a thread of its own, rather than one
        after the other. One after the other, each member can use every
        thread inside (its own ``n_jobs``): many small tasks keep the cores
        busy to the end. At once suits members whose own ``n_jobs`` share the
        cores between them, when one member's longest task would otherwise
        keep the others waiting. The fitted members are the same either way.

    Attributes
    ----------
    estimators_ : list of estimator
        The fitted members, in the order given.
    named_estimators_ : dict
        Name to fitted member.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from mnistkit.classifier._committee import Committee
    >>> X, y = load_iris(return_X_y=True)
    >>> model = Committee([("narrow", SVC(gamma=1.0)), ("wide", SVC(gamma=0.1))])
    >>> round(model.fit(X, y).score(X, y), 2)
    0.99
    """

    def __init__(self, estimators, n_jobs=None, fit_at_once=False):
        self.estimators = estimators
        self.n_jobs = n_jobs
        self.fit_at_once = fit_at_once

    def fit(self, X, y):
        """Fit every member on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed unchanged to every member.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : Committee
            The fitted committee.
        """
        X, y = validate_data(self, X, y)
        if not self.estimators:
            msg = "A Committee needs at least one member in estimators; got none."
            raise ValueError(msg)
        # The members are fitted in threads, and so are their own joblib calls
        # (one-vs-rest SVMs, blocks of images; see _fit_member): all share the
        # images without copies.
        at_once = len(self.estimators) if self.fit_at_once else 1
        with parallel_config(backend="threading"):
            members = Parallel(n_jobs=at_once)(
                delayed(_fit_member)(estimator, X, y) for _, estimator in self.estimators
            )
        for (name, _), member in zip(self.estimators, members, strict=True):
            if not np.array_equal(member.classes_, members[0].classes_):
                msg = f"Committee member {name!r} learned other classes than the first one."
                raise ValueError(msg)
        self.estimators_ = members
        self.named_estimators_ = {
            name: member for (name, _), member in zip(self.estimators, members, strict=True)
        }
        self.classes_ = members[0].classes_
        return self

    def decision_function(self, X):
        """Mean decision values of the members.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two classes
            The members' decision values, averaged.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        with parallel_config(backend="threading"):
            parts = Parallel(n_jobs=self.n_jobs)(
                delayed(_scores)(member, X) for member in self.estimators_
            )
        mean = np.mean(parts, axis=0)
        return mean.ravel() if mean.shape[1] == 1 else mean
