"""A classifier fitted on digit images together with distorted copies of them."""

from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from ._augment import augment_digits

__all__ = ["FitOnDistortedCopies"]


class FitOnDistortedCopies(ClassifierMixin, BaseEstimator):
    """Fit a classifier on the images plus randomly distorted copies of them.

    :meth:`fit` adds ``n_copies`` distorted copies of every training image
    (:func:`augment_digits` with ``kind``) and fits a clone of ``estimator``
    on the originals and the copies together; :meth:`predict` and
    :meth:`decision_function` pass the images to that clone unchanged. A
    scikit-learn :class:`~sklearn.pipeline.Pipeline` cannot add images on the
    way (its steps transform, one image in, one image out), hence this
    wrapper: it lets one member of ``mode="accurate"``'s committee learn from
    distorted digits while the others do not, at a fraction of the cost of
    training them all on the copies.

    Parameters
    ----------
    estimator : classifier
        Fitted on the images and their copies; must have ``decision_function``
        for :meth:`decision_function`.
    kind : {"light", "real-world"} or Distortions, default="light"
        Which distortions, how strong and how often (see :func:`augment_digits`).
    n_copies : int, default=1
        Distorted copies of each training image.
    random_state : int, RandomState instance or None, default=None
        Seed of the distortions: the same integer gives the same copies.
    n_jobs : int, default=None
        Threads making the copies (-1: all processors); the copies do not
        depend on it.

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``estimator`` fitted on the images and their copies.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit`` (784: 28 x 28 images).

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from mnistkit import load_sample
    >>> from mnistkit.classifier._distorted import FitOnDistortedCopies
    >>> X, y = load_sample(return_X_y=True)
    >>> model = FitOnDistortedCopies(SVC(), random_state=0).fit(X[:200], y[:200])
    >>> model.estimator_.shape_fit_
    (400, 784)
    """

    def __init__(self, estimator, kind="light", n_copies=1, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.kind = kind
        self.n_copies = n_copies
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X, y):
        """Fit a clone of ``estimator`` on the images and their distorted copies.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784)
            Flattened 28 x 28 digit images, light digits on a dark background.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : FitOnDistortedCopies
            The fitted wrapper.
        """
        X, y = validate_data(self, X, y)
        X_train, y_train = augment_digits(
            X, y, n_copies=self.n_copies, kind=self.kind, random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        self.estimator_ = clone(self.estimator).fit(X_train, y_train)
        self.classes_ = self.estimator_.classes_
        return self

    def decision_function(self, X):
        """Decision values of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784)
            Images.

        Returns
        -------
        scores : ndarray
            ``estimator_.decision_function(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(validate_data(self, X, reset=False))

    def predict(self, X):
        """Labels predicted by the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784)
            Images.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``estimator_.predict(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.predict(validate_data(self, X, reset=False))
