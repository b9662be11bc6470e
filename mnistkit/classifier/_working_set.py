"""A binary RBF SVM fitted on a working set of images, grown until every image keeps its margin.

libsvm's time grows faster than the number of images, while an SVM of digits
rests on a small share of them, its support vectors. Fitted on a sample,
then on its support vectors plus the images that the sample's SVM gets wrong
or too close, and so on, the SVM reaches the solution of the whole problem
(the same support vectors but for ones on the margin's edge, decision values
within libsvm's tolerance) in a few small fits and a few passes of kernel
values over all the images. This is the decomposition that SVM solvers are
built on (Osuna, Freund and Girosi, 1997), with libsvm solving each working
set."""

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.svm import SVC
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import check_is_fitted, validate_data

from ._committee import PredictsBestScore

__all__ = ["WorkingSetSVC", "rbf_gamma", "rbf_kernel", "rbf_svc"]

# After a check of every image, the images that kept their margin by less than
# this much (y f(x) < 1 + WATCH_MARGIN) are checked again after each refit; the
# others only once the watched ones all keep theirs. On accurate mode's largest
# SVMs this left two or three checks of every image, where checking them all
# after each refit took most of the time.
WATCH_MARGIN = 1.0
# Past this many refits the problem is fitted whole: never worse than libsvm.
MAX_ROUNDS = 50
# Kernel values are computed this many at a time: 2 MB of float32, so that a
# block stays in the cache between the matrix product and the exp. With 64 MB
# blocks, two SVMs checked at once waited on each other's memory traffic:
# accurate mode with n_jobs=2 fitted in 73.1 s and 2.01 GB at its peak, against
# 63.0 s and 1.45 GB with 2 MB (benchmarks/bench_classifier.py, two cores,
# 2026-12-06).
_BLOCK_VALUES = 1 << 19


def rbf_gamma(gamma, X):
    """The RBF kernel coefficient that :class:`~sklearn.svm.SVC` would use on ``X``.

    Parameters
    ----------
    gamma : {"scale", "auto"} or float
        An SVC's ``gamma`` parameter.
    X : ndarray of shape (n_samples, n_features)
        The training data.

    Returns
    -------
    gamma : float
        ``1 / (n_features * X.var())`` for "scale" (1 where ``X`` is
        constant), ``1 / n_features`` for "auto", else ``gamma``.

    Examples
    --------
    >>> import numpy as np
    >>> rbf_gamma("auto", np.zeros((3, 4)))
    0.25
    """
    if gamma == "scale":
        variance = X.var()
        return 1.0 / (X.shape[1] * variance) if variance != 0 else 1.0
    if gamma == "auto":
        return 1.0 / X.shape[1]
    return float(gamma)


def rbf_svc(estimator, X):
    """The SVC to fit on ``X`` or its subsets, with its kernel coefficient fixed.

    ``gamma="scale"`` or ``"auto"`` is worked out once on all of ``X``, as
    :class:`~sklearn.svm.SVC` does, not on each binary problem's subset or
    working set.

    Parameters
    ----------
    estimator : SVC or None
        An SVC with an RBF kernel; None means ``SVC()``.
    X : ndarray of shape (n_samples, n_features)
        All the training data.

    Returns
    -------
    svc : SVC
        An unfitted clone of ``estimator`` with ``gamma`` set to a number.
    gamma : float
        That number.

    Examples
    --------
    >>> import numpy as np
    >>> rbf_svc(None, np.zeros((3, 4)))[1]
    1.0
    """
    svc = SVC() if estimator is None else estimator
    if not isinstance(svc, SVC) or svc.kernel != "rbf":
        msg = f"estimator must be an sklearn.svm.SVC with kernel='rbf', got {svc!r}."
        raise TypeError(msg)
    gamma = rbf_gamma(svc.gamma, X)
    return clone(svc).set_params(gamma=gamma), gamma


def rbf_kernel(X, support, support_norms, gamma):
    """exp(-gamma |x - s|^2) for every row x of X and s of support.

    :func:`sklearn.metrics.pairwise.rbf_kernel` gives the same values (the
    tests compare them) but checks the support vectors again at every call:
    a one-image prediction took 8 ms with it and 1 ms without. Computed in
    the dtype of ``X`` and ``support``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The rows to compare.
    support : ndarray of shape (n_support, n_features)
        The support vectors.
    support_norms : ndarray of shape (n_support,)
        Squared norms of the support vectors.
    gamma : float
        The kernel coefficient.

    Returns
    -------
    kernel : ndarray of shape (n_samples, n_support)
        Kernel values.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.array([[0.0, 1.0]])
    >>> rbf_kernel(np.array([[0.0, 0.0]]), s, np.array([1.0]), 0.5).round(3)
    array([[0.607]])
    """
    distances = np.einsum("ij,ij->i", X, X)[:, None] + support_norms[None, :]
    distances -= 2 * (X @ support.T)
    np.maximum(distances, 0, out=distances)
    distances *= -gamma
    return np.exp(distances, out=distances)


class _MarginCheck:
    """y f(x) of chosen training images under a fitted binary SVM, in float32.

    float32 halves the time of the kernel values; their error (about 1e-5 of a
    decision value) only decides whether an image within that much of libsvm's
    tolerance joins the working set.
    """

    def __init__(self, X, signs, gamma):
        self.X = X.astype(np.float32)
        self.norms = np.einsum("ij,ij->i", self.X, self.X)
        self.signs = signs
        self.gamma = np.float32(gamma)

    def __call__(self, rows, svm, working):
        support = working[svm.support_]
        coef = svm.dual_coef_[0].astype(np.float32)
        vectors, norms = self.X[support], self.norms[support]
        step = max(1, _BLOCK_VALUES // len(support))
        out = np.empty(len(rows))
        for start in range(0, len(rows), step):
            kernel = rbf_kernel(self.X[rows[start : start + step]], vectors, norms, self.gamma)
            out[start : start + step] = kernel @ coef
        out += svm.intercept_[0]
        return self.signs[rows] * out


class WorkingSetSVC(PredictsBestScore, BaseEstimator):
    """A binary RBF SVM fitted on a working set that grows until no image breaks the margin.

    The SVM is fitted (by ``estimator``, libsvm) on ``first_size`` images drawn
    at random, then every other image is checked: one on the wrong side of
    the margin, ``y f(x) < 1 - tol``, would have a non-zero coefficient in
    the SVM of all the images. The next working set is the support vectors
    found so far plus those images, and so on until none is left. The result
    is the SVM of all the images, up to libsvm's own tolerance ``tol``: the
    same support vectors but for ones on the margin's edge, and decision
    values within about ``tol`` of :class:`~sklearn.svm.SVC`'s on all of them
    (the tests compare the two). Between full checks, only the images that
    kept their margin by less than 1 are checked again.

    Parameters
    ----------
    estimator : SVC, default=None
        The binary SVM with an RBF kernel, fitted on each working set; None
        means ``SVC()``. ``gamma="scale"`` or ``"auto"`` and
        ``class_weight="balanced"`` are worked out on all the images.
    first_size : int, default=10000
        Images in the first working set. Problems with fewer than twice as
        many images are fitted whole.
    random_state : int, RandomState instance or None, default=0
        Draws the first working set.

    Attributes
    ----------
    support_ : ndarray of shape (n_support,)
        Rows of the training data that are support vectors.
    support_vectors_ : ndarray of shape (n_support, n_features)
        The support vectors.
    dual_coef_ : ndarray of shape (1, n_support)
        Each support vector's coefficient, positive for ``classes_[1]``.
    intercept_ : ndarray of shape (1,)
        The constant term.
    gamma_ : float
        The RBF kernel coefficient.
    n_rounds_ : int
        Fits of libsvm, the last one included.
    classes_ : ndarray of shape (2,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from mnistkit.classifier._working_set import WorkingSetSVC
    >>> X, y = load_digits(return_X_y=True)
    >>> model = WorkingSetSVC(first_size=200).fit(X[:1500], y[:1500] == 8)
    >>> model.n_rounds_ > 1, round(model.score(X[1500:], y[1500:] == 8), 2)
    (True, 0.97)
    """

    def __init__(self, estimator=None, first_size=10000, random_state=0):
        self.estimator = estimator
        self.first_size = first_size
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the SVM of all the images through growing working sets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Labels of two classes.

        Returns
        -------
        self : WorkingSetSVC
            The fitted classifier.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        self.classes_, labels = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            msg = f"WorkingSetSVC fits two classes; got {len(self.classes_)}."
            raise ValueError(msg)
        svm, self.gamma_ = rbf_svc(self.estimator, X)
        # Fitted on labels 0 and 1; "balanced" weighs the classes as in all the images.
        if isinstance(svm.class_weight, str):
            weights = compute_class_weight(svm.class_weight, classes=np.arange(2), y=labels)
            svm.set_params(class_weight=dict(enumerate(weights)))
        elif svm.class_weight is not None:
            svm.set_params(class_weight={index: svm.class_weight.get(label, 1.0)
                                         for index, label in enumerate(self.classes_)})
        if len(X) < 2 * self.first_size:
            working = np.arange(len(X))
            svm.fit(X, labels)
            self.n_rounds_ = 1
        else:
            svm, working = self._grow(svm, X, labels)
        self.support_ = working[svm.support_]
        self.support_vectors_ = X[self.support_]
        self.dual_coef_ = svm.dual_coef_
        self.intercept_ = svm.intercept_
        return self

    def _grow(self, svm, X, labels):
        n = len(X)
        rng = check_random_state(self.random_state)
        working = np.sort(rng.choice(n, self.first_size, replace=False))
        # Both classes from the start: libsvm needs them.
        firsts = [np.flatnonzero(labels == label)[0] for label in (0, 1)]
        working = np.union1d(working, firsts)
        check = _MarginCheck(X, np.where(labels == 1, 1.0, -1.0), self.gamma_)
        least = 1 - svm.tol
        watched = np.ones(n, dtype=bool)  # the first check takes every image
        for rounds in range(1, MAX_ROUNDS + 1):
            fitted = clone(svm).fit(X[working], labels[working])
            outside = np.ones(n, dtype=bool)
            outside[working] = False
            every = watched[outside].all()
            rows = np.flatnonzero(outside & watched)
            margins = check(rows, fitted, working)
            if not every and margins.min(initial=np.inf) >= least:
                # The watched images keep their margin: check the others too.
                rest = np.flatnonzero(outside & ~watched)
                rows = np.concatenate([rows, rest])
                margins = np.concatenate([margins, check(rest, fitted, working)])
                every = True
            if every:
                watched = np.zeros(n, dtype=bool)
                watched[rows[margins < 1 + WATCH_MARGIN]] = True
            breaking = rows[margins < least]
            if not len(breaking):
                self.n_rounds_ = rounds
                return fitted, working
            support = working[fitted.support_]
            # Images that leave the working set may break the margin later.
            watched[np.setdiff1d(working, support, assume_unique=True)] = True
            working = np.union1d(support, breaking)
        self.n_rounds_ = MAX_ROUNDS + 1
        return clone(svm).fit(X, labels), np.arange(n)

    def decision_function(self, X):
        """Signed distance to the SVM's boundary, positive for ``classes_[1]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        values : ndarray of shape (n_samples,)
            Decision values.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        norms = np.einsum("ij,ij->i", self.support_vectors_, self.support_vectors_)
        kernel = rbf_kernel(X, self.support_vectors_, norms, self.gamma_)
        return kernel @ self.dual_coef_[0] + self.intercept_[0]
