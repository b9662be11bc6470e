"""Using every core: image transforms in blocks, and SVMs one binary problem at a time.

Both run their parts in threads (joblib): the parts share the images without
copies, and NumPy, SciPy's filters and libsvm release Python's global
interpreter lock while they compute. The results do not depend on ``n_jobs``:
the blocks and the binary problems are the same whatever the number of
threads. The binary SVMs of one classifier keep their support vectors once,
so that a prediction computes each kernel value once, in matrix products
that use every core.
"""

import numpy as np
from joblib import parallel_config
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from ._committee import PredictsBestScore
from ._working_set import WorkingSetSVC, rbf_kernel, rbf_svc

__all__ = ["OneVsOneSVC", "OneVsRestSVC", "TransformInBlocks"]

# One-vs-rest SVMs start from a working set of this many images (WorkingSetSVC);
# those on fewer than twice as many are fitted whole, as before.
FIRST_WORKING_SET = 10_000


def _transform_block(transformer, X, start, stop):
    return start, transformer.transform(X[start:stop])


class TransformInBlocks(TransformerMixin, BaseEstimator):
    """Apply a row-by-row transformer to blocks of rows in parallel.

    ``transform`` cuts ``X`` into blocks of ``block_size`` rows and transforms
    them in ``n_jobs`` threads. The transformer must treat each row on its own
    and learn nothing from the rows but their format, as mnistkit's digit
    normalisations and feature extractors do (their ``fit`` checks the input
    and fixes the intensity scale): ``fit`` fits a clone on the first block
    only. Fitting a pipeline of such steps on every row would transform every
    row once more, on one core, before the blocks start.

    Parameters
    ----------
    transformer : transformer
        Fitted on the first block of rows, then applied block by block.
    n_jobs : int, default=None
        Threads transforming blocks at once; None means 1 unless in a
        :func:`joblib.parallel_config` context, -1 means all processors.
    block_size : int, default=2048
        Rows per block. Blocks do not depend on ``n_jobs``, so neither does
        the result.

    Attributes
    ----------
    transformer_ : transformer
        The fitted clone of ``transformer``.
    n_features_in_ : int
        Number of features seen during ``fit``.

    Examples
    --------
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from mnistkit.classifier._parallel import TransformInBlocks
    >>> square = TransformInBlocks(FunctionTransformer(lambda X: X**2), block_size=2)
    >>> square.fit_transform([[1.0], [2.0], [3.0]]).ravel().tolist()
    [1.0, 4.0, 9.0]
    """

    def __init__(self, transformer, n_jobs=None, block_size=2048):
        self.transformer = transformer
        self.n_jobs = n_jobs
        self.block_size = block_size

    def fit(self, X, y=None):
        """Fit a clone of ``transformer`` on the first block of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to transform.
        y : array-like of shape (n_samples,), default=None
            Passed on to the transformer's ``fit``.

        Returns
        -------
        self : TransformInBlocks
            The fitted transformer.
        """
        X = validate_data(self, X)
        if not (isinstance(self.block_size, (int, np.integer)) and self.block_size >= 1):
            msg = f"block_size must be a positive integer, got {self.block_size!r}."
            raise ValueError(msg)
        size = int(self.block_size)
        first = None if y is None else y[:size]
        self.transformer_ = clone(self.transformer).fit(X[:size], first)
        return self

    def transform(self, X):
        """Transform ``X`` block by block, in parallel.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to transform.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_new)
            The transformed rows, in their order.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        size = int(self.block_size)
        if len(X) <= size:
            return self.transformer_.transform(X)
        starts = range(0, len(X), size)
        with threadpool_limits(limits=1, user_api="blas"):
            parts = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(_transform_block)(self.transformer_, X, start, start + size)
                for start in starts
            )
        first = parts[0][1]
        out = np.empty((len(X), *first.shape[1:]), dtype=first.dtype)
        for start, part in parts:
            out[start : start + len(part)] = part
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


def one_vs_one_scores(pair_margins, n_classes):
    """The margins of every pair as a matrix, and one score per class.

    ``pair_margins`` has one column per pair (i, j), i < j, in the order of
    ``numpy.triu_indices``, positive where class i wins (libsvm's one-vs-one
    values). Returns ``margins`` of shape (n, K, K), ``margins[:, i, j]``
    being how clearly i beats j, and the scores of shape (n, K) that
    :class:`~sklearn.svm.SVC` gives with ``decision_function_shape="ovr"``:
    each class's votes plus its summed margins scaled into (-1/3, 1/3),
    scikit-learn's documented way to break ties between votes.
    """
    first, second = np.triu_indices(n_classes, k=1)
    margins = np.zeros((len(pair_margins), n_classes, n_classes))
    margins[:, first, second] = pair_margins
    margins[:, second, first] = -pair_margins
    votes = (margins > 0).sum(axis=2).astype(np.float64)
    summed = margins.sum(axis=2)
    return margins, votes + summed / (3 * (np.abs(summed) + 1))


class _SharedSupportVectors(PredictsBestScore, BaseEstimator):
    """Binary RBF SVMs that keep each support vector once, and predict together."""

    def __init__(self, estimator=None, n_jobs=None):
        self.estimator = estimator
        self.n_jobs = n_jobs

    def _keep_support(self, X, rows, svms, gamma):
        """Keep what predictions need: ``rows[p]`` are the rows of ``X`` that are
        the support vectors of ``svms[p]``, in the order of its ``dual_coef_``."""
        support = np.unique(np.concatenate(rows))
        dual_coef = np.zeros((len(support), len(svms)))
        for p, (svm, svm_rows) in enumerate(zip(svms, rows, strict=True)):
            dual_coef[np.searchsorted(support, svm_rows), p] = svm.dual_coef_[0]
        self.support_vectors_ = X[support]
        self.dual_coef_ = dual_coef
        self.intercept_ = np.array([svm.intercept_[0] for svm in svms])
        self.gamma_ = gamma
        self.shape_fit_ = X.shape

    def _binary_values(self, X):
        """Each binary SVM's decision value, positive for its second class."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        # Kernel rows of at most about 64 MB at a time.
        rows = max(1, (1 << 23) // max(1, len(self.support_vectors_)))
        support = self.support_vectors_.astype(np.float64, copy=False)
        support_norms = np.einsum("ij,ij->i", support, support)
        out = np.empty((len(X), self.dual_coef_.shape[1]))
        for start in range(0, len(X), rows):
            block = X[start : start + rows].astype(np.float64, copy=False)
            kernel = rbf_kernel(block, support, support_norms, self.gamma_)
            out[start : start + rows] = kernel @ self.dual_coef_ + self.intercept_
        return out


class OneVsOneSVC(_SharedSupportVectors):
    """A support vector classifier whose class pairs are fitted in parallel.

    :class:`~sklearn.svm.SVC` extends itself to many classes one-vs-one, but
    libsvm fits the pairs one after the other on one core. This classifier
    fits the same pairs with :class:`~sklearn.multiclass.OneVsOneClassifier`
    in ``n_jobs`` threads, then keeps what predictions need as libsvm does:
    the support vectors of all the pairs once, and each pair's coefficients on
    them, so that a prediction computes each kernel value once (one matrix
    product for all the pairs). ``gamma="scale"`` or ``"auto"`` is worked out
    once on all the training data, as :class:`~sklearn.svm.SVC` does, not on
    each pair's subset. Decision values are the one-vs-one votes plus a
    confidence below one third, as
    :meth:`sklearn.multiclass.OneVsOneClassifier.decision_function` gives
    (the tests compare the two); the prediction is the class with the highest
    value, so a tie in votes goes to the more confident class (libsvm gives it
    to the lower label).

    Parameters
    ----------
    estimator : SVC, default=None
        The binary SVM fitted on each pair, with an RBF kernel; None means
        ``SVC()``.
    n_jobs : int, default=None
        Pairs fitted at once; None means 1 unless in a
        :func:`joblib.parallel_config` context, -1 means all processors.

    Attributes
    ----------
    support_vectors_ : ndarray of shape (n_support, n_features)
        The training images that are support vectors of at least one pair.
    dual_coef_ : ndarray of shape (n_support, n_pairs)
        Each pair's coefficient of each support vector (0 outside the pair).
    intercept_ : ndarray of shape (n_pairs,)
        Each pair's constant term.
    pairs_ : ndarray of shape (n_pairs, 2)
        Class indices (i, j), i < j, of each pair, in the order of
        ``numpy.triu_indices``; ``dual_coef_`` and ``intercept_`` are those of
        the binary SVC of classes (i, j), whose value is positive for j.
    gamma_ : float
        The RBF kernel coefficient of every pair.
    shape_fit_ : tuple of int
        Shape of the training data, as :class:`~sklearn.svm.SVC` records it.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from mnistkit.classifier._parallel import OneVsOneSVC
    >>> X, y = load_digits(return_X_y=True)
    >>> model = OneVsOneSVC(n_jobs=2).fit(X[:1000], y[:1000])
    >>> len(model.pairs_), round(model.score(X[1000:], y[1000:]), 2)
    (45, 0.96)
    """

    def fit(self, X, y):
        """Fit one SVM for each pair of classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : OneVsOneSVC
            The fitted classifier.
        """
        X, y = validate_data(self, X, y)
        pair_svc, gamma = rbf_svc(self.estimator, X)
        with parallel_config(backend="threading"):
            fitted = OneVsOneClassifier(pair_svc, n_jobs=self.n_jobs).fit(X, y)
        classes = fitted.classes_
        pairs = [(i, j) for i in range(len(classes)) for j in range(i + 1, len(classes))]
        # Each pair was fitted on the images of its two classes, in their order:
        # its support_ indexes that subset.
        rows = [np.flatnonzero((y == classes[i]) | (y == classes[j]))[svm.support_]
                for (i, j), svm in zip(pairs, fitted.estimators_, strict=True)]
        self._keep_support(X, rows, fitted.estimators_, gamma)
        self.pairs_ = np.array(pairs, dtype=np.intp).reshape(-1, 2)
        self.classes_ = classes
        return self

    def pair_margins(self, X):
        """How clearly the first class of each pair beats the second.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        margins : ndarray of shape (n_samples, n_pairs)
            For pair ``pairs_[p] = (i, j)``, positive where class ``i`` wins:
            what :class:`~sklearn.svm.SVC` gives with
            ``decision_function_shape="ovo"``, in its order of the pairs.
        """
        # A binary SVC's value is positive for its second class, j.
        return -self._binary_values(X)

    def decision_function(self, X):
        """Votes plus confidence for each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two classes
            For each class, the number of pairs it wins plus its summed
            margins scaled into (-1/3, 1/3); for two classes, the pair's
            value (positive favours ``classes_[1]``).
        """
        margins = self.pair_margins(X)
        if len(self.classes_) == 2:
            return -margins[:, 0]
        return one_vs_one_scores(margins, len(self.classes_))[1]


class OneVsRestSVC(_SharedSupportVectors):
    """A support vector classifier, one binary SVM per class, that predicts in one pass.

    Fits one RBF SVM per class against all the others with
    :class:`~sklearn.multiclass.OneVsRestClassifier`, in ``n_jobs`` threads,
    each through growing working sets
    (:class:`~mnistkit.classifier._working_set.WorkingSetSVC`) where it has
    20,000 images or more: the SVM of all of them in a fraction of libsvm's
    time on all of them. It then keeps the support vectors of all the SVMs
    once, with each SVM's coefficients on them. The SVMs of digits share
    most of their support vectors (a hard 4 serves 4-vs-rest and 9-vs-rest
    alike): a prediction computes each kernel value once, in matrix
    products, where :class:`~sklearn.multiclass.OneVsRestClassifier` asks
    libsvm for each SVM in turn, on one core. Decision values are those of
    :class:`~sklearn.multiclass.OneVsRestClassifier` (the tests compare the
    two: equal below 20,000 images, within libsvm's tolerance above), and
    ``gamma="scale"`` or ``"auto"`` is worked out once on all the training
    data, as for each of its SVMs.

    Parameters
    ----------
    estimator : SVC, default=None
        The binary SVM fitted for each class, with an RBF kernel; None means
        ``SVC()``.
    n_jobs : int, default=None
        SVMs fitted at once; None means 1 unless in a
        :func:`joblib.parallel_config` context, -1 means all processors.

    Attributes
    ----------
    support_vectors_ : ndarray of shape (n_support, n_features)
        The training images that are support vectors of at least one SVM.
    dual_coef_ : ndarray of shape (n_support, n_classes), or (n_support, 1) for two classes
        Each SVM's coefficient of each support vector (0 where it is not one
        of its own).
    intercept_ : ndarray of shape (n_classes,), or (1,) for two classes
        Each SVM's constant term.
    gamma_ : float
        The RBF kernel coefficient of every SVM.
    shape_fit_ : tuple of int
        Shape of the training data, as :class:`~sklearn.svm.SVC` records it.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from mnistkit.classifier._parallel import OneVsRestSVC
    >>> X, y = load_digits(return_X_y=True)
    >>> model = OneVsRestSVC(n_jobs=2).fit(X[:1000], y[:1000])
    >>> model.dual_coef_.shape[1], round(model.score(X[1000:], y[1000:]), 2)
    (10, 0.95)
    """

    def fit(self, X, y):
        """Fit one SVM for each class against the others.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : OneVsRestSVC
            The fitted classifier.
        """
        X, y = validate_data(self, X, y)
        class_svc, gamma = rbf_svc(self.estimator, X)
        # Each SVM checks its margins in matrix products: one BLAS thread per
        # SVM, so that n_jobs bounds the threads and the checks do not depend on it.
        with parallel_config(backend="threading"), threadpool_limits(1, user_api="blas"):
            fitted = OneVsRestClassifier(
                WorkingSetSVC(class_svc, first_size=FIRST_WORKING_SET), n_jobs=self.n_jobs
            ).fit(X, y)
        # Each SVM was fitted on every image: its support_ indexes X itself.
        self._keep_support(X, [svm.support_ for svm in fitted.estimators_],
                           fitted.estimators_, gamma)
        self.classes_ = fitted.classes_
        return self

    def decision_function(self, X):
        """Each class's SVM's decision value.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two classes
            How far each image lies on its class's side of that class's SVM;
            for two classes, the one SVM's value (positive favours
            ``classes_[1]``).
        """
        values = self._binary_values(X)
        return values[:, 0] if len(self.classes_) == 2 else values
