"""Building the scikit-learn pipeline behind each MNISTClassifier configuration."""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from . import _cnn
from ._features import Deskew, HOGFeatures
from ._parallel import OneVsOneSVC, OneVsRestSVC, TransformInBlocks

BACKENDS = ("svc", "sgd", "rf", "logistic", "cnn")
MULTICLASS = (None, "ovo", "ovr")
MODES = ("fast", "accurate")
FEATURES = ("auto", "pixels", "deskew", "hog")
SCALERS = ("auto", "pixel", "standard", "none")

# What "auto" resolves to, measured on a validation split of the training set
# (benchmarks/tune_svc.py); MNISTClassifier's docstring gives the reasons.
AUTO_FEATURES = "hog"
# The network learns its own features from the pixels, scaled to [0, 1].
CNN_FEATURES = "pixels"
AUTO_SCALER = "pixel"
AUTO_COMPONENTS = {"fast": 60, "accurate": 80}


AUTO_C = 10.0
# libsvm's kernel cache of each pair's SVM, in MB; n_jobs pairs are fitted at once.
# Pairs of digits hold 12,000 to 36,000 images: 500 MB fits them as fast as 1,000.
SVC_CACHE_MB = 500
AUTO_ALPHA = 1e-5
# 15 full passes over the data: as accurate as running to the default tolerance
# (28 passes) on validation, in half the time; no tolerance, so no warning.
SGD_DEFAULTS = {"max_iter": 15, "tol": None}
# Logistic regression on the gradient features: scikit-learn's lbfgs, multinomial.
# C=1 made 0.58% validation errors against 0.70% for C=10, converging in 70
# iterations on 50,000 images (its default 100 would do; 1,000 leaves room).
AUTO_LOGISTIC_C = 1.0
LOGISTIC_DEFAULTS = {"max_iter": 1000}
# Each tree grown on a bootstrap sample of 30% of the images: three times faster
# and a smaller model file, for the same validation accuracy on gradient features.
# Small training sets keep full bootstrap samples: a tree needs enough images.
RF_SUBSAMPLE = 0.3
RF_SUBSAMPLE_FROM = 1000


# backend="cnn" needs torch and skorch: MNISTClassifier checks for them before any work.
import_torch = _cnn.import_torch


def _width_after(features, n_features):
    """Number of features the model sees before PCA."""
    if features == "hog":
        return HOGFeatures().fit(np.zeros((1, n_features))).n_features_out_
    return n_features


def resolve(estimator, n_samples=None, n_features=None):
    """Return the concrete ``(features, scaler, n_components)`` of ``estimator``.

    With the data's shape, "auto" components are capped by what PCA can keep,
    and an explicit number it cannot keep is refused.
    """
    features = estimator.features
    if features == "auto":
        features = CNN_FEATURES if estimator.backend == "cnn" else AUTO_FEATURES
    scaler = AUTO_SCALER if estimator.scaler == "auto" else estimator.scaler
    n_components = estimator.n_components
    if n_components == "auto":
        # PCA is for the kernel's cost: only the SVM gets it.
        svm_on_features = estimator.backend == "svc" and features != "pixels"
        n_components = AUTO_COMPONENTS[estimator.mode] if svm_on_features else None
    if n_components is not None and n_samples is not None:
        width = _width_after(features, n_features)
        most = min(n_samples, width)
        if estimator.n_components == "auto":
            # PCA onto as many components as features is only a rotation.
            n_components = min(n_components, most) if n_components < width else None
        elif n_components > most:
            msg = (
                f"n_components={n_components} is more than PCA can keep here: "
                f"{n_samples} images with {width} features each."
            )
            raise ValueError(msg)
    return features, scaler, n_components


def feature_steps(features, scaler, n_components, random_state, n_jobs=None):
    """The transformer steps in front of the model.

    The image transforms work on each image alone: ``n_jobs`` threads share
    blocks of images between them.
    """
    steps = []
    if features == "deskew":
        steps.append(("features", TransformInBlocks(Deskew(), n_jobs=n_jobs)))
    elif features == "hog":
        images = Pipeline([("deskew", Deskew()), ("hog", HOGFeatures())])
        steps.append(("features", TransformInBlocks(images, n_jobs=n_jobs)))
    if scaler == "standard":
        steps.append(("standard", StandardScaler()))
    if n_components is not None:
        steps.append(("pca", PCA(n_components=n_components, random_state=random_state)))
    return steps


def make_model(estimator, n_samples, multiclass=None):
    """The unfitted final model, wrapped for the chosen multiclass strategy.

    ``multiclass``, when given, stands for ``estimator.multiclass`` when that is
    None. ``backend_params`` wins over every setting made here.
    """
    params = dict(estimator.backend_params or {})
    backend = estimator.backend
    multiclass = estimator.multiclass or multiclass
    seed, n_jobs = estimator.random_state, estimator.n_jobs
    if backend == "svc":
        fixed = {
            "C": AUTO_C if estimator.C is None else estimator.C,
            "gamma": "scale" if estimator.gamma is None else estimator.gamma,
        }
        model = SVC(**{"kernel": "rbf", "cache_size": SVC_CACHE_MB, "random_state": seed,
                       **fixed, **params})
    elif backend == "logistic":
        C = AUTO_LOGISTIC_C if estimator.C is None else estimator.C
        model = LogisticRegression(**{"C": C, "random_state": seed, **LOGISTIC_DEFAULTS,
                                      **params})
    elif backend == "cnn":
        epochs = _cnn.EPOCHS if estimator.epochs is None else estimator.epochs
        model = _cnn.CNNClassifier(**{"epochs": epochs, "n_jobs": n_jobs, "random_state": seed,
                                      **params})
    elif backend == "sgd":
        alpha = AUTO_ALPHA if estimator.alpha is None else estimator.alpha
        model = SGDClassifier(**{"alpha": alpha, "random_state": seed, "n_jobs": n_jobs,
                                 **SGD_DEFAULTS, **params})
    else:
        subsample = RF_SUBSAMPLE if n_samples >= RF_SUBSAMPLE_FROM else None
        model = RandomForestClassifier(**{"n_estimators": estimator.n_estimators,
                                          "n_jobs": n_jobs, "random_state": seed,
                                          "max_samples": subsample, **params})
    rbf_svc = backend == "svc" and model.kernel == "rbf"
    if multiclass == "ovr" and rbf_svc:
        # The ten SVMs share most of their support vectors: kept once, the test
        # set is predicted in matrix products, in 0.61 s against 3.60 s for
        # libsvm SVM after SVM, on two cores (benchmarks/bench_classifier.py).
        model = OneVsRestSVC(model, n_jobs=n_jobs)
    elif multiclass == "ovr" and backend != "sgd":
        model = OneVsRestClassifier(model, n_jobs=n_jobs)
    elif rbf_svc:
        # libsvm's own one-vs-one fits the pairs on one core; this fits them in
        # n_jobs threads, and predicts the test set three times faster
        # (benchmarks/bench_classifier.py). Other kernels stay with libsvm's.
        model = OneVsOneSVC(model, n_jobs=n_jobs)
    elif multiclass == "ovo":
        model = OneVsOneClassifier(model, n_jobs=n_jobs)
    return model
