"""Research helpers of the benchmarks: validation splits, name patterns, feature pipelines, image
shifts and rotations, and virtual support vectors.

They served the search for ``mode="accurate"`` (``search_accurate.py``,
``search_accurate_members.py``, ``search_accurate_multiclass.py``,
``explore_accurate_levers.py``, ``explore_accurate_views.py``,
``search_accurate_copies.py``, ``tune_svc.py``), all on the same validation
splits, and are not part of the library.

Virtual support vectors (DeCoste & Schoelkopf, 2002): an RBF SVM is trained
once; its support vectors are the only training images that shape the decision
boundary, so only they are augmented with translated or rotated copies and the
SVM is retrained on the support vectors plus their copies. This buys most of
the accuracy of training on a fully augmented set at a fraction of the cost.
"""

import argparse
import fnmatch
import math
from pathlib import Path

import numpy as np
from scipy import ndimage
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC
from sklearn.utils.validation import check_is_fitted, validate_data

from mnistkit import fetch_mnist
from mnistkit.classifier import Deskew, HOGFeatures

VALIDATION_SIZE = 10_000  # training images each split holds out
# The reading benchmarks' validation digits (--digits validation): training images
# from here on are redrawn, and a model learns from the ones before.
VALIDATION_FROM = 50_000


def name_matches(name, patterns):
    """Whether a row's or condition's name matches any of the patterns given on the
    command line: shell-style or a substring, case ignored."""
    name = name.lower()
    return any(fnmatch.fnmatch(name, p.lower()) or p.lower() in name for p in patterns)


def split_arguments(description):
    """A parser with the options of the searches on validation splits:
    ``--splits`` (seeds), ``--cache`` (a folder of saved results), ``--n-jobs``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--n-jobs", type=int, default=2)
    return parser


def training_images():
    """MNIST's 60,000 training images as floats in [0, 1] (what ``MNISTClassifier``'s
    pixel scaler passes on), and their labels. The test set is never read."""
    X, y = fetch_mnist(subset="train", return_X_y=True)
    return np.asarray(X, dtype=np.float64) / 255, y


def validation_split(y, seed):
    """Rows to train on, and a stratified ``VALIDATION_SIZE`` held out, drawn by ``seed``."""
    return train_test_split(np.arange(len(y)), test_size=VALIDATION_SIZE, stratify=y,
                            random_state=seed)


def _image_side(n_features):
    side = math.isqrt(n_features)
    if side * side != n_features:
        msg = f"expected flattened square images, got {n_features} features per row."
        raise ValueError(msg)
    return side


def make_features(n_components=60, deskew=True, **hog_params):
    """Build the unfitted feature pipeline used by the SVM recipes.

    ``Deskew -> HOGFeatures -> PCA(n_components)``.  PCA keeps the RBF kernel
    cheap (kernel cost is linear in the feature dimension) without hurting
    accuracy.

    Parameters
    ----------
    n_components : int or None, default=60
        PCA components; None skips PCA.
    deskew : bool, default=True
        Whether to deskew the images first.
    **hog_params
        Passed to :class:`HOGFeatures`.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Unfitted pipeline mapping (n, 784) pixels to (n, n_components) float32
        features.

    Examples
    --------
    >>> from _research import make_features
    >>> [name for name, _ in make_features().steps]
    ['deskew', 'hog', 'pca']
    """
    steps = []
    if deskew:
        steps.append(("deskew", Deskew()))
    steps.append(("hog", HOGFeatures(**hog_params)))
    if n_components is not None:
        steps.append(("pca", PCA(n_components=n_components, random_state=0)))
    return Pipeline(steps)


def shift_images(X, dy, dx):
    """Translate flattened square images by whole pixels, filling with zeros.

    Parameters
    ----------
    X : ndarray of shape (n_samples, side * side)
        Flattened square images.
    dy, dx : int
        Shift down (positive ``dy``) and right (positive ``dx``), in pixels.

    Returns
    -------
    X_shifted : ndarray of shape (n_samples, side * side)
        Shifted copies, same dtype as ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from _research import shift_images
    >>> x = np.zeros((1, 16)); x[0, 5] = 1  # pixel (1, 1) of a 4 x 4 image
    >>> int(np.flatnonzero(shift_images(x, 1, 0))[0])  # moves to (2, 1)
    9
    """
    X = np.asarray(X)
    side = _image_side(X.shape[1])
    imgs = X.reshape(-1, side, side)
    out = np.zeros_like(imgs)
    dst_y = slice(max(dy, 0), side + min(dy, 0))
    src_y = slice(max(-dy, 0), side + min(-dy, 0))
    dst_x = slice(max(dx, 0), side + min(dx, 0))
    src_x = slice(max(-dx, 0), side + min(-dx, 0))
    out[:, dst_y, dst_x] = imgs[:, src_y, src_x]
    return out.reshape(X.shape)


def rotate_images(X, angle):
    """Rotate flattened square images about their centre, filling with zeros.

    A thin wrapper of :func:`scipy.ndimage.rotate` (bilinear, same image size)
    that rotates every image of the batch in one call.

    Parameters
    ----------
    X : ndarray of shape (n_samples, side * side)
        Flattened square images.
    angle : float
        Rotation in degrees, counter-clockwise as the image is displayed (row 0
        at the top).

    Returns
    -------
    X_rotated : ndarray of shape (n_samples, side * side)
        Rotated copies, same dtype as ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from _research import rotate_images
    >>> x = np.zeros((1, 9)); x[0, 5] = 1  # pixel (1, 2) of a 3 x 3 image: right
    >>> int(np.flatnonzero(rotate_images(x, 90))[0])  # goes to (0, 1): top
    1
    """
    X = np.asarray(X)
    side = _image_side(X.shape[1])
    imgs = X.reshape(-1, side, side)
    # axes=(2, 1) is the 2-D default (1, 0) of every image in the stack.
    out = ndimage.rotate(imgs, angle, axes=(2, 1), reshape=False, order=1, mode="constant")
    return out.reshape(X.shape)

_FOUR_NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


class VirtualSVC(ClassifierMixin, BaseEstimator):
    """RBF SVM retrained on its support vectors plus shifted or rotated copies of them.

    The input is images (flattened, square).  ``features`` maps images to the
    SVM's feature space; it is fitted once on the original training images
    and then also applied to the shifted copies.  Shifts are applied to the
    images *as given*, so put ``Deskew`` in front
    of this estimator (in a Pipeline), not inside ``features``: deskewing
    re-centres each image and would undo the shift.

    Parameters
    ----------
    features : transformer or None, default=None
        Feature extractor applied to the images. ``None`` means
        ``make_features(n_components=80, deskew=False)`` (HOG + PCA(80)).
    C : float, default=10.0
        SVM regularisation.
    gamma : float or "scale", default="scale"
        RBF width. ``"scale"`` is resolved on the first SVM's training features
        and the same value is reused for the retraining.
    shifts : sequence of (int, int), default=((1, 0), (-1, 0), (0, 1), (0, -1))
        ``(dy, dx)`` translations used to make virtual support vectors.
    rotations : sequence of float, default=()
        Rotations in degrees (counter-clockwise, see
        :func:`rotate_images`) used to make
        further virtual support vectors. With no shifts and no rotations the
        model is a plain SVM.
    cache_size : float, default=1000
        libsvm kernel cache in MB; a large cache is the cheapest speed-up.

    Attributes
    ----------
    features_ : transformer
        The fitted feature extractor.
    svc_ : sklearn.svm.SVC
        The final SVM (trained on support vectors + virtual support vectors).
    gamma_ : float
        The RBF width actually used.
    n_virtual_ : int
        Number of training rows of the final SVM.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of pixels per image seen during ``fit``.

    Notes
    -----
    On gradient features of normalised MNIST digits, neither shifted nor
    rotated copies gave a gain that held on two validation splits of the
    training set (``benchmarks/search_accurate.py`` prints the figures), at
    about twice the support vectors, so twice the prediction time. The pooling
    of gradient features already gives most of the invariance to small shifts
    that virtual examples add; expect a real gain only on less invariant
    features such as raw pixels.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from _research import VirtualSVC
    >>> from mnistkit.classifier import Deskew
    >>> model = make_pipeline(Deskew(), VirtualSVC(C=10))  # doctest: +SKIP
    >>> model.fit(X_train, y_train).score(X_test, y_test)  # doctest: +SKIP
    """

    def __init__(
        self,
        features=None,
        C=10.0,
        gamma="scale",
        shifts=_FOUR_NEIGHBOURS,
        rotations=(),
        cache_size=1000,
    ):
        self.features = features
        self.C = C
        self.gamma = gamma
        self.shifts = shifts
        self.rotations = rotations
        self.cache_size = cache_size

    def fit(self, X, y):
        """Fit the features, a first SVM, then the SVM on real + virtual SVs.

        Parameters
        ----------
        X : array-like of shape (n_samples, side * side)
            Flattened square images (deskewed if wanted).
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : VirtualSVC
            The fitted classifier.
        """
        X, y = validate_data(self, X, y, dtype=np.float32)
        features = make_features(80, deskew=False) if self.features is None else self.features
        self.features_ = clone(features).fit(X, y)
        Z = np.asarray(self.features_.transform(X), dtype=np.float32)
        if self.gamma == "scale":
            self.gamma_ = 1.0 / (Z.shape[1] * float(Z.var()))
        else:
            self.gamma_ = float(self.gamma)
        svc = SVC(C=self.C, gamma=self.gamma_, cache_size=self.cache_size).fit(Z, y)
        copies = [(shift_images, (dy, dx)) for dy, dx in self.shifts]
        copies += [(rotate_images, (angle,)) for angle in self.rotations]
        if copies:
            sv = svc.support_
            X_sv = X[sv]
            # Features of the copies; the SVs' own features are reused.
            Z_parts = [Z[sv]] + [
                np.asarray(self.features_.transform(move(X_sv, *how)), np.float32)
                for move, how in copies
            ]
            Z_all = np.vstack(Z_parts)
            y_all = np.tile(y[sv], len(Z_parts))
            svc = SVC(C=self.C, gamma=self.gamma_, cache_size=self.cache_size).fit(Z_all, y_all)
            self.n_virtual_ = len(Z_all)
        else:
            self.n_virtual_ = len(Z)
        self.svc_ = svc
        self.classes_ = svc.classes_
        return self

    def _features(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float32, reset=False)
        return np.asarray(self.features_.transform(X), dtype=np.float32)

    def decision_function(self, X):
        """Decision values of the final SVM, in scikit-learn's one-vs-rest shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, side * side)
            Flattened square images.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two classes
            As :meth:`sklearn.svm.SVC.decision_function` with its default
            ``decision_function_shape="ovr"``: the one-vs-one votes turned into
            one column per class; with two classes, one column of the positive
            class's values, flattened.
        """
        return self.svc_.decision_function(self._features(X))

    def predict(self, X):
        """Predict labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, side * side)
            Flattened square images.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        return self.svc_.predict(self._features(X))
