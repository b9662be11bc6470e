"""MNISTClassifier: a scaler, optional digit features and a selectable backend."""

import math

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data

from .._geometry import N_PIXELS
from . import _backends
from ._augment import augment_digits, check_augment
from ._calibration import can_calibrate_fast, fit_temperature, side_size
from ._confidence import UNSURE_BELOW, scores_and_ranking
from ._features import PixelInput
from ._input import (
    check_pixel_values,
    flatten_images,
    pixel_scale_of,
    refuse_file_names,
    refuse_single_image,
    require_image_width,
)
from ._non_digits import make_non_digits
from ._persistence import load_model, save_model
from ._pipeline import make_pipeline
from ._validation import validate_parameters

# Integer pixels become float32, exact for 0-255 and half the memory of float64;
# float64 input stays float64.
_FLOAT_DTYPES = [np.float32, np.float64]
# Drawn non-digits that novelty learns to stay away from (see _confidence).
N_NON_DIGITS = 1000


def _native_proba(estimator):
    # A forest, a logistic regression and a network's softmax give probabilities of
    # their own, unless split into one-vs-one pairs (which the network refuses).
    return estimator.backend in ("rf", "logistic", "cnn") and estimator.multiclass != "ovo"


def _below(confidence, threshold):
    """Why a reading is unsure, its confidence rounded down so that it shows below the threshold.

    Rounded to nearest, a confidence of 0.99996 under a threshold of 0.9999 would
    read "100.0% likely to be right, below 99.99%".
    """
    limit = f"{threshold * 100:.10g}"
    decimals = max(1, len(limit.partition(".")[2]))
    shown = math.floor(confidence * 100 * 10**decimals) / 10**decimals
    while shown >= float(limit) and decimals < 12:  # equal to this many decimals: one more
        decimals += 1
        shown = math.floor(confidence * 100 * 10**decimals) / 10**decimals
    return f"{shown:.{decimals}f}% likely to be right, below {limit}%"


def _has_predict_proba(estimator):
    return _native_proba(estimator) or bool(estimator.probability)


def _scale_pixels(X, source, scaler, pixel_scale):
    """Pixels as floats, divided by ``pixel_scale`` when the scaler scales pixels.

    ``X`` is divided in place only when validation made it a fresh copy of
    ``source`` (integer pixels always are): that saves a pass over the whole data
    set and its memory, and a user's own array or data frame is never modified.
    """
    if scaler not in ("pixel", "standard") or pixel_scale == 1.0:
        return X
    scale = X.dtype.type(pixel_scale)
    shares = isinstance(source, np.ndarray) and np.shares_memory(X, source)
    if X.base is None and not shares:
        X /= scale
        return X
    return X / scale


class MNISTClassifier(PixelInput, ClassifierMixin, BaseEstimator):
    """Classify handwritten digits with a scikit-learn pipeline tuned for MNIST.

    A digit-image front end (pixel scaling, optional deskewing and gradient
    features, PCA) followed by one of five classical models, or a
    convolutional network:

    =========================================  ===================================
    ``backend="svc"`` (default)                RBF SVM, one-vs-one (libsvm's own
                                               multiclass scheme)
    ``backend="svc", multiclass="ovr"``        ten binary RBF SVMs, one per digit,
                                               trained in parallel with ``n_jobs``
    ``backend="sgd"``                          linear model trained by stochastic
                                               gradient descent (hinge loss)
    ``backend="rf"``                           random forest
    ``backend="logistic"``                     multinomial logistic regression
                                               (scikit-learn's lbfgs), with
                                               probabilities of its own
    ``backend="cnn"``                          a compact convolutional network on
                                               the pixels, trained with PyTorch
                                               and skorch (``pip install
                                               "mnistkit[torch]"``), on a GPU
                                               when there is one
    =========================================  ===================================

    ``backend="cnn"`` is two convolution blocks (two 3x3 convolutions with
    batch norm and ReLU, then 2x2 max-pooling; 24 then 48 channels) and a dense
    head (128 units, dropout), trained with AdamW and a one-cycle learning rate
    for ``epochs`` passes, each training image randomly shifted (up to 2
    pixels), rotated and scaled on every pass; its softmax gives
    :meth:`predict_proba`. The user guide describes it layer by layer.

    ``mode="accurate"`` (SVC only) averages the decision values of three SVMs
    that see the digits differently: Sobel gradient directions (Liu et al.,
    2003) of the moment-normalised digit (centred, straightened and resized by
    the moments of its ink) enlarged twice, learnt from the training images
    and one lightly distorted copy of each (drawn from ``random_state``);
    histograms of gradient orientations of the deskewed digit; and gradient
    directions of the moment-normalised digit. The three make partly
    different mistakes. Each is ten one-vs-rest SVMs unless ``multiclass``
    says otherwise. Chosen on five validation splits of the training set; see
    the performance page for its accuracy and cost.

    Every parameter is checked at the start of :meth:`fit`; a value of the
    wrong type or out of range raises a ``ValueError`` (also a ``TypeError``)
    that names the parameter, what it accepts and the value received.

    Parameters
    ----------
    backend : {"svc", "sgd", "rf", "logistic", "cnn"}, default="svc"
        The model behind the features. "cnn" needs PyTorch and skorch
        (``pip install "mnistkit[torch]"``); without them, :meth:`fit` raises
        an ``ImportError`` that says so.
    multiclass : {None, "ovo", "ovr"}, default=None
        How ten digits are split into binary problems. None uses the backend's
        own scheme (one-vs-one for SVC, one-vs-rest for SGD, native multiclass
        trees for random forests, multinomial for logistic regression and the
        network); "ovr" and "ovo" wrap the backend in
        :class:`~sklearn.multiclass.OneVsRestClassifier` or
        :class:`~sklearn.multiclass.OneVsOneClassifier` when that differs (for
        the RBF SVM, classifiers that give the same decision values and keep
        each support vector once, so that they predict several times faster).
        ``backend="cnn"`` takes None only: one network learns all the classes.
    mode : {"fast", "accurate"}, default="fast"
        "accurate" averages three SVMs on different normalisations and
        gradient features, each one-vs-rest unless ``multiclass`` is given
        (see above). Only for ``backend="svc"`` with
        ``features="auto"``.
    features : {"auto", "pixels", "deskew", "hog"}, default="auto"
        What the model sees. "pixels": the pixels as given (works on any
        number of features, not only images). "deskew": each digit
        straightened by its second-order moments and centred by its centre of
        mass. "hog": histograms of gradient orientations of the deskewed digit.
        "auto" uses "hog" for the classical backends: on a validation split of
        the training set it gave the best accuracy for all three (the SVM's
        error falls from 1.5% on deskewed pixels to 0.6%); and "pixels" for
        "cnn", which learns its own features from the image (other features
        reach it as a square of values, without its random shifts).
    scaler : {"auto", "pixel", "standard", "none"}, default="auto"
        "pixel" divides by 255 when the pixels are 0-255 (the scale is
        detected in each call: integers, or floats of which any is above 1,
        are 0-255; other floats are in [0, 1]); "standard" centres and scales
        each feature; "none" passes values unchanged. "auto" uses "pixel" for
        every backend (the network too: it refuses "standard", as its shifted
        images are filled with 0, the background): an RBF kernel on [0, 1]
        pixels keeps stroke intensity comparable across
        images, where standard scaling blows up the near-empty border pixels;
        the gradient features are normalised per cell already, so SGD needs no
        further scaling either; trees ignore the scale.
    n_components : int, None or "auto", default="auto"
        PCA components before the model. "auto": 60 for SVC (in accurate
        mode, 80 for the HOG and 100 for the gradient-direction SVMs; the
        kernel's cost is linear in the number of features, and 60
        components of the 324 gradient features keep its accuracy), none for
        the others (the network too) and none with ``features="pixels"``.
        "auto" is capped at
        what PCA can keep (the number of images or features); an explicit
        number above that is an error.
    C : float, default=None
        Regularisation of the SVM and the logistic regression, above 0 (the
        inverse of its strength); None means 10 for the SVM and 1 for the
        logistic regression (the better of 1 and 10 on a validation split).
        With another backend a value other than None is ignored with a warning
        (as are ``gamma``, ``alpha`` and ``n_estimators`` with a backend that
        does not use them), so that a grid search over backends still runs.
    gamma : float, "scale" or "auto", default=None
        RBF kernel width, above 0; None means "scale",
        ``1 / (n_features * X.var())``; "auto" means ``1 / n_features``. SVC only.
    alpha : float, default=None
        SGD regularisation, above 0; None means 1e-5. SGD makes 15 passes over
        the data (``max_iter=15, tol=None``, overridable through
        ``backend_params``).
    n_estimators : int, default=100
        Number of trees of the random forest. Each tree is grown on a bootstrap
        sample of 30% of the images when there are at least 1,000
        (``max_samples=0.3``, overridable through ``backend_params``): three
        times faster to fit and a smaller model file, for the same accuracy on a
        validation split.
    epochs : int, default=None
        Passes of the network over the training images, ``backend="cnn"``
        only; None means 10. More passes fit proportionally longer and, to a
        point, read better; the user guide's longer setting is ``epochs=30``.
        ``backend_params={"epochs": ...}`` wins over it.
    probability : bool or "fast", default=False
        Make :meth:`predict_proba` available for SVC and SGD. With True,
        :class:`~sklearn.calibration.CalibratedClassifierCV` (isotonic, 3
        folds): three models, each fitted on two thirds of the images and
        calibrated on the last third, their probabilities averaged; fitting
        costs about three more fits on two thirds of the data, and predictions
        (which follow the probabilities) about three times as long. With
        "fast", the model is fitted exactly as without probabilities, and a
        second model fitted on a quarter of the images calibrates a temperature
        on its scores of up to 10,000 images it never saw
        (:class:`~sklearn.calibration.CalibratedClassifierCV` with
        ``method="temperature"``) that shares the probability among the
        digits. The top probability of each image is the chance that its
        prediction is right, fitted on the second model's answers to two
        scores that rank right above wrong answers (the model's margin, for
        the SVM the weakest of the predicted digit's one-vs-one wins, and the
        share of the image's five nearest training digits, among a quarter of
        them, labelled with the predicted digit); "fast" also learns the novelty
        :meth:`assess` needs to say "not a digit". On a validation split:
        about a fifth more fit time than without probabilities, the predict
        time of the model without them and nearly its predictions (they
        follow the probabilities: for an SVC, a near-tie of its one-vs-one
        votes can go the other way), and a log loss of 0.018 against True's
        0.025 (``benchmarks/bench_probability.py``).
        With two classes, or fewer than 20 images of some class, "fast" falls
        back to True. The deprecated ``SVC(probability=True)`` is not used.
        Random forests, logistic regressions and the network always have
        :meth:`predict_proba`, their own, whatever this parameter says (and
        so no :meth:`assess`).
    n_jobs : int, default=None
        Parallel jobs for one-vs-rest SVMs, random forests, SGD and the SVMs
        of accurate mode; for the network, torch's CPU threads while it fits
        and predicts (-1: every processor; restored afterwards; None leaves
        torch's own setting, one thread per core).
    random_state : int, RandomState instance or None, default=None
        Seed for the backend, PCA and the calibration folds; for the network,
        its weights, the order of its batches, dropout and the random
        shifts: on the CPU, the same seed gives the same network.
    backend_params : dict, default=None
        Other parameters passed to the backend's scikit-learn estimator
        (:class:`~sklearn.svm.SVC`, :class:`~sklearn.linear_model.SGDClassifier`
        or :class:`~sklearn.ensemble.RandomForestClassifier`). For
        ``backend="cnn"``, the network's settings, each checked in :meth:`fit`:
        ``device`` ("auto": a CUDA GPU when torch sees one, else the CPU;
        "cpu", "cuda", "cuda:1", ...), ``epochs``, ``batch_size`` (128),
        ``lr`` (the peak learning rate, 3e-3), ``weight_decay`` (AdamW's,
        1e-2), ``channels`` ((24, 48), one convolution block each),
        ``convolutions`` (2 in each block), ``kernel`` (3, odd), ``hidden``
        (128), ``dropout`` (0.25), ``shift`` (pixels, 2.0), ``rotation``
        (degrees, 10.0), ``zoom`` (0.1), and ``verbose`` (1 prints each
        epoch's loss and time as it ends).
    augment : None, str, int or dict, default=None
        Train on randomly distorted copies of the images as well, in ``fit``
        only (prediction is unchanged), for a model that reads digits unlike
        MNIST's own: from photos, other pens, small images. A name: "light",
        "real-world", "writers" or "broad-marker". "light": one
        copy of each image, slightly rotated, sheared and bent. "real-world":
        one copy, rotated up to 15 degrees, sheared, bent, and some with
        thicker or thinner strokes, blur, or a round trip through 8-14 pixels.
        "writers": copies of 30% of the images, two in three redrawn with a
        felt marker (strokes up to three times MNIST's width), one in three
        "real-world"; it reads other people's handwriting best (the model
        ``mnistkit train`` writes uses it), at 1.7 times the fit time and
        99.48% on MNIST's test set against 99.50% without. "broad-marker":
        one copy of each image redrawn with a broad felt marker, its strokes
        2 to 3.4 times as wide as the digit's own.
        An integer: that many "real-world" copies. A dict: ``kind``,
        ``n_copies``, ``fraction`` (the share of the images copied), and
        strengths to override: ``rotation`` (degrees), ``shear``, ``aspect``
        (log-ratio), ``elastic`` (pixels), ``elastic_smoothness`` (pixels),
        the probabilities ``thicker``, ``thinner``, ``marker``,
        ``broad_marker``, ``blur``,
        ``low_res``, and
        ``low_res_sides`` (smallest and largest side).
        Copies go through MNIST's framing again (20x20 box, centre of mass
        centred) and are drawn from ``random_state``. Needs 28x28 images. Fit
        time grows faster than the number of images for SVC; see the user
        guide for the measured cost and gain. Probabilities
        (``probability=True``) are calibrated on the original images only.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features (784 for MNIST images) seen during fit.
    pixel_scale_ : float
        255.0 if the training pixels were 0-255, 1.0 if in [0, 1]. Each call
        of ``predict`` decides the scale of its own images the same way, so
        either form can be given whatever ``fit`` saw.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted features and model.
    scaler_ : str
        The scaler used: "pixel", "standard" or "none".
    calibrator_ : CalibratedClassifierCV or None
        Gives the probabilities when ``probability`` is set: three calibrated
        models (True), or a temperature on the decision values of
        ``pipeline_`` ("fast").

    See Also
    --------
    mnistkit.load_model : Load a model saved with :meth:`save`.

    Examples
    --------
    >>> from mnistkit import MNISTClassifier, load_sample
    >>> X, y = load_sample(return_X_y=True)
    >>> X_test, y_test = load_sample(subset="test", return_X_y=True)
    >>> clf = MNISTClassifier().fit(X, y)
    >>> clf.predict(X_test[:10]).tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> round(clf.score(X_test, y_test), 2) > 0.9
    True
    """

    def __init__(
        self,
        backend="svc",
        *,
        multiclass=None,
        mode="fast",
        features="auto",
        scaler="auto",
        n_components="auto",
        C=None,
        gamma=None,
        alpha=None,
        n_estimators=100,
        epochs=None,
        probability=False,
        n_jobs=None,
        random_state=None,
        backend_params=None,
        augment=None,
    ):
        self.backend = backend
        self.multiclass = multiclass
        self.mode = mode
        self.features = features
        self.scaler = scaler
        self.n_components = n_components
        self.C = C
        self.gamma = gamma
        self.alpha = alpha
        self.n_estimators = n_estimators
        self.epochs = epochs
        self.probability = probability
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.backend_params = backend_params
        self.augment = augment

    # Parameters and input -------------------------------------------------------------

    def _check_params(self):
        # Each parameter on its own (types, ranges, options), from one table; then
        # the combinations the table cannot express.
        validate_parameters(self)
        if self.mode == "accurate" and self.backend != "svc":
            msg = f"mode='accurate' is for backend='svc' only; got backend={self.backend!r}."
            raise ValueError(msg)
        if self.mode == "accurate" and self.scaler == "standard":
            # Shifted copies are filled with 0, which is background only for pixels.
            msg = "mode='accurate' shifts images, so it needs scaler='pixel' or 'none'."
            raise ValueError(msg)
        if self.backend == "cnn":
            self._check_cnn()

    def _check_cnn(self):
        """The settings the network cannot use; then torch, before any work is done."""
        if self.multiclass is not None:
            msg = (
                "backend='cnn' is one network with a softmax over all the classes; "
                f"multiclass must be None, got {self.multiclass!r}."
            )
            raise ValueError(msg)
        if self.scaler == "standard":
            # Distorted images are filled with 0, which is background only for pixels.
            msg = "backend='cnn' shifts images, so it needs scaler='pixel' or 'none'."
            raise ValueError(msg)
        _backends.import_torch()

    def _validated(self, X):
        """Validate X at predict time and bring it to the model's input.

        The pixel scale is read from these data, not from those of ``fit``: a
        model fitted on 0-255 integers reads floats in [0, 1] right, and the
        other way round.
        """
        check_is_fitted(self)
        if self.n_features_in_ == N_PIXELS:
            array = X if hasattr(X, "shape") else np.asarray(X)
            refuse_file_names(X, array)  # a 28x28 PIL image is a picture, not one image
            refuse_single_image(array)
        source = flatten_images(X)
        X = validate_data(self, source, reset=False, dtype=_FLOAT_DTYPES,
                          ensure_all_finite=False)
        check_pixel_values(X)
        return _scale_pixels(X, source, self.scaler_, pixel_scale_of(source, X))

    # Fitting ---------------------------------------------------------------------------

    def fit(self, X, y):
        """Fit the features and the model on images and their labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
            Images, pixels as integers 0-255 or floats in [0, 1], 0 for the
            background. With ``features="pixels"`` any number of features is
            accepted.
        y : array-like of shape (n_samples,)
            Labels, of any type scikit-learn accepts.

        Returns
        -------
        self : MNISTClassifier
            The fitted classifier.
        """
        self._check_params()
        # Everything is checked before any attribute is set, so that a failed
        # fit leaves a fitted estimator as it was.
        X_flat = flatten_images(X)
        # NaN and infinity are refused by check_pixel_values, in a pixel's words.
        X_checked, y_checked = check_X_y(X_flat, y, dtype=_FLOAT_DTYPES,
                                         ensure_all_finite=False)
        check_classification_targets(y_checked)
        present = np.unique(y_checked)
        if len(present) < 2:
            msg = (
                "MNISTClassifier needs at least two classes to learn from; "
                f"y holds only one class: {present.tolist()}."
            )
            raise ValueError(msg)
        check_pixel_values(X_checked)
        features, scaler, _ = _backends.resolve(self, *X_checked.shape)
        if features != "pixels":
            require_image_width(X_checked.shape[1], f"features={features!r}")
        if self.mode == "accurate":
            require_image_width(X_checked.shape[1], "mode='accurate'")
        augment = check_augment(self.augment)
        if augment is not None:
            require_image_width(X_checked.shape[1], "augment")
        calibrate = bool(self.probability) and not _native_proba(self)
        if calibrate and np.unique(y_checked, return_counts=True)[1].min() < 2:
            msg = (
                f"probability={self.probability!r} needs at least two images of every "
                "class in y."
            )
            raise ValueError(msg)

        # Everything is fitted into local names and stored at the end, so that a
        # fit that fails on the way leaves a fitted estimator as it was.
        pixel_scale = pixel_scale_of(X_flat, X_checked)
        X_model = _scale_pixels(X_checked, X_flat, scaler, pixel_scale)
        X_train, y_train = X_model, y_checked
        if augment is not None:
            X_train, y_train = augment_digits(
                X_model, y_checked, random_state=self.random_state, kind=augment["distortions"],
                n_copies=augment["n_copies"], fraction=augment["fraction"], n_jobs=self.n_jobs)
        pipeline = make_pipeline(self, *X_train.shape)
        calibrator = confidence = None
        if calibrate and self.probability == "fast" and can_calibrate_fast(y_checked):
            # The feature steps, then the model, as Pipeline.fit does; the features
            # are kept so that the second model of the calibration reuses them. It
            # sees the original images only (they come first in X_train): a copy
            # and its original never land on both sides of the calibration.
            front = X_train
            if len(pipeline) > 1:
                front = pipeline[:-1].fit_transform(X_train, y_train)
            pipeline[-1].fit(front, y_train)
            side_model = pipeline[-1]
            if self.mode == "accurate":
                # Its members' PCAs keep as many components as all the images allow;
                # the second model sees fewer (a quarter of the originals).
                side_model = make_pipeline(self, side_size(len(y_checked)), X_train.shape[1])[-1]
            calibrator, confidence = fit_temperature(
                side_model, front[: len(y_checked)], y_checked, self.random_state,
                self._non_digit_features(pipeline, X_model, scaler, pixel_scale),
            )
        else:
            pipeline.fit(X_train, y_train)
            if calibrate:
                calibrator = self._fit_calibrator(X_model, y_checked)
        # Records n_features_in_ (and the column names of a data frame) without a
        # copy: the data were converted by check_X_y already.
        source = X_flat if hasattr(X_flat, "columns") else X_checked
        validate_data(self, source, y_checked, dtype=_FLOAT_DTYPES, ensure_all_finite=False)
        self.pixel_scale_ = pixel_scale
        self.scaler_ = scaler
        self.pipeline_ = pipeline
        self.calibrator_ = calibrator
        self.confidence_model_ = confidence
        self.classes_ = pipeline.classes_
        return self

    def _non_digit_features(self, pipeline, X_model, scaler, pixel_scale):
        """What the model step sees of drawn non-digits; None unless images are 28x28."""
        if X_model.shape[1] != N_PIXELS:
            return None
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        # On the scale of the training pixels as the model step's input has them.
        top = 1.0 if scaler in ("pixel", "standard") else pixel_scale
        drawn = make_non_digits(N_NON_DIGITS, seed).astype(X_model.dtype) * (top / 255)
        return pipeline[:-1].transform(drawn) if len(pipeline) > 1 else drawn

    def _fit_calibrator(self, X, y):
        # scikit-learn's CalibratedClassifierCV: three models, each fitted on two
        # thirds of the images and calibrated (isotonic) on the last third, their
        # probabilities averaged. On a validation split it beat the logistic
        # regression on out-of-fold scores of mnistkit 0.1 in log loss (0.025
        # against 0.031), for the same fit time (benchmarks/bench_probability.py).
        counts = np.unique(y, return_counts=True)[1]
        n_splits = min(3, int(counts.min()))
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
        # Their PCA keeps no more components than the fewest images a fold leaves
        # allow: a fold takes at most the rounded-up share of each class.
        fewest = len(y) - int(np.ceil(counts / n_splits).sum())
        calibrated = CalibratedClassifierCV(
            make_pipeline(self, fewest, X.shape[1]), method="isotonic", cv=folds,
            ensemble=True, n_jobs=self.n_jobs,
        )
        return calibrated.fit(X, y)

    def _calibrated_proba(self, X):
        """Probabilities from the calibrator, given the model's input ``X``."""
        if isinstance(self.calibrator_.estimator, FrozenEstimator):
            # probability="fast": a temperature on the model's own decision values
            # shares the digits; the top is the chance of being right.
            return self._fast_proba(self._front(X))
        # probability=True: calibrated models of its own.
        return self.calibrator_.predict_proba(X)

    def _front(self, X):
        """What the model step sees: the output of the feature steps."""
        return self.pipeline_[:-1].transform(X) if len(self.pipeline_) > 1 else X

    def _fast_proba(self, front, neighbours=None):
        """Probabilities of probability="fast"; ``neighbours`` of ``front`` if known."""
        scores, ranking = scores_and_ranking(self.pipeline_[-1], front)
        proba = self.calibrator_.predict_proba(scores)
        confidence = getattr(self, "confidence_model_", None)
        if confidence is None:  # a model of mnistkit 0.x
            return proba
        agreement = None
        if confidence.reference_labels is not None:
            if neighbours is None:
                neighbours = confidence.neighbours(front)
            agreement = confidence.agreement(neighbours, np.argmax(proba, axis=1))
        return confidence.proba(proba, ranking, agreement)

    # Predicting ------------------------------------------------------------------------

    def predict(self, X):
        """Predict the digit of each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
            Images, pixels as integers 0-255 or floats in [0, 1], whatever
            ``fit`` saw.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        X = self._validated(X)
        if self.calibrator_ is not None:
            # Predictions follow the probabilities, so the two never disagree.
            proba = self._calibrated_proba(X)
            return self.classes_[np.argmax(proba, axis=1)]
        return self.pipeline_.predict(X)

    def decision_function(self, X):
        """Confidence scores per class; cheap, and enough for ROC and PR curves.

        For SVC, SGD and logistic regression, the model's decision values
        (with ``probability=True``, the calibrated log-odds); for the network,
        its logits; for random forests, which have none, the
        class probabilities averaged over the trees.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
            Images.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            One column per class in ``classes_``; for two classes, one value per
            image, positive for ``classes_[1]``.
        """
        X = self._validated(X)
        if self.calibrator_ is not None and not isinstance(self.calibrator_.estimator,
                                                           FrozenEstimator):
            # probability=True: the calibrated log-odds, which rank as the probabilities.
            log_proba = np.log(np.clip(self.calibrator_.predict_proba(X), 1e-12, None))
            if log_proba.shape[1] == 2:
                return log_proba[:, 1] - log_proba[:, 0]
            return log_proba
        if hasattr(self.pipeline_[-1], "decision_function"):
            return self.pipeline_.decision_function(X)
        proba = self.pipeline_.predict_proba(X)
        # Binary: positive for classes_[1], as scikit-learn's convention wants.
        return proba[:, 1] - proba[:, 0] if proba.shape[1] == 2 else proba

    @available_if(_has_predict_proba)
    def predict_proba(self, X):
        """Probability of each class.

        Available for random forests, logistic regressions and the network
        (the softmax of its logits), and for SVC and SGD with ``probability``
        set (see that parameter for how they are made).

        Parameters
        ----------
        X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
            Images.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to one; columns follow ``classes_``.
        """
        X = self._validated(X)
        if self.calibrator_ is None:
            return self.pipeline_.predict_proba(X)
        return self._calibrated_proba(X)

    def _has_assess(self):
        if self.probability == "fast" and not _native_proba(self):
            return True
        # scikit-learn's "has no attribute 'assess'" then names this as its cause.
        msg = (
            "assess needs the SVM or SGD backend fitted with probability='fast' (what "
            "`mnistkit train` and load_default_model() make), got "
            f"backend={self.backend!r}, probability={self.probability!r}"
        )
        raise AttributeError(msg)

    @available_if(_has_assess)
    def assess(self, X, *, min_confidence=UNSURE_BELOW, max_novelty=1.0):
        """Predict each digit, say how sure the reading is, and whether it is a digit at all.

        Available with ``probability="fast"`` (what ``mnistkit train`` uses).
        Each image gets one of three verdicts:

        - ``"not a digit"`` when its *novelty* is above ``max_novelty``: the
          image lies farther from the training digits, in the model's feature
          space, than all but 0.5% of digits the model never saw (a letter, a
          symbol, a scribble);
        - ``"unsure"`` when its *confidence*, the chance that the predicted
          digit is right, is below ``min_confidence``;
        - ``"digit"`` otherwise.

        :meth:`predict` is unchanged: it always answers with a digit.

        Parameters
        ----------
        X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
            Images.
        min_confidence : float, default=0.8
            Readings less likely than this to be right are "unsure"; 0 turns
            the verdict off.
        max_novelty : float, default=1.0
            Images more novel than this are "not a digit"; ``inf`` turns the
            verdict off. 1 rejects about 0.5% of MNIST's digits; higher
            values reject fewer digits and fewer non-digits.

        Returns
        -------
        assessment : sklearn.utils.Bunch
            With arrays of one value per image: ``prediction`` (as
            :meth:`predict`), ``confidence`` (the top of :meth:`predict_proba`),
            ``novelty``, ``verdict`` (``"digit"``, ``"unsure"`` or
            ``"not a digit"``) and ``reason`` (empty for a digit, else why).

        Raises
        ------
        ValueError
            If ``min_confidence`` is not in [0, 1] or ``max_novelty`` is not
            above 0, or if the model fell back to ``probability=True``'s
            calibration (two classes, or under 20 images of some class), which
            learns no novelty.

        Examples
        --------
        >>> import numpy as np
        >>> from mnistkit import MNISTClassifier, load_sample
        >>> X, y = load_sample(return_X_y=True)
        >>> clf = MNISTClassifier(probability="fast", random_state=0).fit(X, y)
        >>> noise = np.random.default_rng(0).integers(0, 256, size=(1, 784))
        >>> result = clf.assess(np.vstack([X[:1], noise]))
        >>> result.verdict.tolist()
        ['digit', 'not a digit']
        """
        if not 0.0 <= min_confidence <= 1.0:
            msg = f"min_confidence must be a probability in [0, 1]; got {min_confidence!r}."
            raise ValueError(msg)
        if not max_novelty > 0:
            msg = f"max_novelty must be above 0; got {max_novelty!r}."
            raise ValueError(msg)
        X = self._validated(X)
        if getattr(self, "confidence_model_", None) is None:
            msg = (
                "This model learnt no novelty: probability='fast' fell back to the "
                "calibration of probability=True (two classes, or fewer than 20 images "
                "of some class), so assess() cannot tell digits from other things."
            )
            raise ValueError(msg)
        front = self._front(X)
        neighbours = self.confidence_model_.neighbours(front)  # one search for both numbers
        proba = self._fast_proba(front, neighbours)
        best = np.argmax(proba, axis=1)
        confidence = proba[np.arange(len(best)), best]
        novelty = self.confidence_model_.novelty(neighbours)
        novel = novelty > max_novelty
        unsure = ~novel & (confidence < min_confidence)
        verdict = np.where(novel, "not a digit", np.where(unsure, "unsure", "digit"))
        reason = np.full(len(best), "", dtype=object)
        for i in np.flatnonzero(novel):
            reason[i] = (f"unlike the digits the model learnt from (novelty "
                         f"{novelty[i]:.2f}, above {max_novelty:g})")
        for i in np.flatnonzero(unsure):
            reason[i] = _below(confidence[i], min_confidence)
        return Bunch(prediction=self.classes_[best], confidence=confidence,
                     novelty=novelty, verdict=verdict.astype(object), reason=reason)

    def save(self, path, *, training=None):
        """Save the fitted model to a file (skops, compressed).

        The file records the mnistkit, scikit-learn and skops versions it was
        made with; :func:`mnistkit.load_model` refuses files from incompatible
        versions. It holds the model's parameters and arrays, not a pickle:
        loading it never runs code from the file.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write; an existing file is replaced only once the new one
            is complete.
        training : dict, default=None
            How the model was trained (for instance the data set, split, seed
            and number of training images), stored in the file's header as
            plain JSON and read back by
            :func:`mnistkit.classifier.read_model_header` without loading the
            model.

        Returns
        -------
        path : str
            The path written.
        """
        check_is_fitted(self)
        return save_model(self, path, training=training)

    @classmethod
    def load(cls, path, *, trusted=False):
        """Load a model saved with :meth:`save`, as :func:`mnistkit.load_model` does.

        Parameters
        ----------
        path : str or os.PathLike
            The model file.
        trusted : bool, default=False
            Whether the file's source is trusted to run code (see
            :func:`mnistkit.load_model`); loading never runs code from the file
            otherwise.

        Returns
        -------
        model : MNISTClassifier
            The fitted classifier, as it was saved.

        Raises
        ------
        FileNotFoundError, ValueError
            As :func:`mnistkit.load_model` does.

        Examples
        --------
        >>> import os, tempfile
        >>> from mnistkit import MNISTClassifier, load_sample
        >>> X, y = load_sample(return_X_y=True)
        >>> clf = MNISTClassifier(backend="sgd", random_state=0).fit(X[:500], y[:500])
        >>> path = clf.save(os.path.join(tempfile.mkdtemp(), "sgd.mnistkit"))
        >>> (MNISTClassifier.load(path).predict(X[:20]) == clf.predict(X[:20])).all()
        np.True_
        """
        return load_model(path, trusted=trusted)


__all__ = ["MNISTClassifier"]
