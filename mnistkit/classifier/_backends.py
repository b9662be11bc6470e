"""Building the scikit-learn pipeline behind each MNISTClassifier configuration."""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC

from .._preprocessing import Deskew, HOGFeatures
from .._virtual_svm import VirtualSVC

BACKENDS = ("svc", "sgd", "rf")
MULTICLASS = (None, "ovo", "ovr")
MODES = ("fast", "accurate")
FEATURES = ("auto", "pixels", "deskew", "hog")
SCALERS = ("auto", "pixel", "standard", "none")

# What "auto" resolves to, per backend, and why (see MNISTClassifier's docstring).
# Measured on a validation split of the training set (benchmarks/tune_svc.py).
AUTO_FEATURES = {"svc": "hog", "sgd": "hog", "rf": "hog"}
AUTO_SCALER = {"svc": "pixel", "sgd": "pixel", "rf": "pixel"}
AUTO_COMPONENTS = {("svc", "fast"): 60, ("svc", "accurate"): 80}
AUTO_C = {"fast": 10.0, "accurate": 10.0}
AUTO_ALPHA = 1e-5
# 15 full passes over the data: as accurate as running to the default tolerance
# (28 passes) on validation, in half the time; no tolerance, so no warning.
SGD_DEFAULTS = {"max_iter": 15, "tol": None}
# Each tree grown on a bootstrap sample of 30% of the images: three times faster
# and a smaller model file, for the same validation accuracy on gradient features.
# Small training sets keep full bootstrap samples: a tree needs enough images.
RF_SUBSAMPLE = 0.3
RF_SUBSAMPLE_FROM = 1000


def resolve(estimator):
    """Return the concrete settings that ``"auto"`` and ``None`` stand for."""
    backend = estimator.backend
    features = AUTO_FEATURES[backend] if estimator.features == "auto" else estimator.features
    scaler = AUTO_SCALER[backend] if estimator.scaler == "auto" else estimator.scaler
    if estimator.n_components == "auto":
        key = (backend, estimator.mode)
        n_components = AUTO_COMPONENTS.get(key) if features != "pixels" else None
    else:
        n_components = estimator.n_components
    return features, scaler, n_components


def feature_steps(features, scaler, n_components, n_features, random_state):
    """The transformer steps in front of the model."""
    steps = []
    if features in ("deskew", "hog"):
        steps.append(("deskew", Deskew()))
    if features == "hog":
        steps.append(("hog", HOGFeatures()))
    if scaler == "standard":
        steps.append(("standard", StandardScaler()))
    if n_components is not None and n_components < n_features:
        steps.append(("pca", PCA(n_components=n_components, random_state=random_state)))
    return steps


def virtual_svc_features(features, n_components, random_state):
    """What VirtualSVC computes from its (shifted) images: all but deskewing."""
    steps = []
    if features == "hog":
        steps.append(("hog", HOGFeatures()))
    if n_components is not None:
        steps.append(("pca", PCA(n_components=n_components, random_state=random_state)))
    return Pipeline(steps) if steps else FunctionTransformer()


def make_model(estimator, n_samples):
    """The unfitted final model, wrapped for the chosen multiclass strategy."""
    params = dict(estimator.backend_params or {})
    backend, multiclass = estimator.backend, estimator.multiclass
    if backend == "svc":
        gamma = "scale" if estimator.gamma is None else estimator.gamma
        C = AUTO_C[estimator.mode] if estimator.C is None else estimator.C
        if estimator.mode == "accurate":
            features, _, n_components = resolve(estimator)
            inner = virtual_svc_features(features, n_components, estimator.random_state)
            model = VirtualSVC(features=inner, C=C, gamma=gamma, **params)
        else:
            model = SVC(kernel="rbf", C=C, gamma=gamma, cache_size=1000,
                        random_state=estimator.random_state, **params)
    elif backend == "sgd":
        alpha = AUTO_ALPHA if estimator.alpha is None else estimator.alpha
        model = SGDClassifier(alpha=alpha, random_state=estimator.random_state,
                              n_jobs=estimator.n_jobs, **{**SGD_DEFAULTS, **params})
    else:
        subsample = RF_SUBSAMPLE if n_samples >= RF_SUBSAMPLE_FROM else None
        model = RandomForestClassifier(n_estimators=estimator.n_estimators,
                                       n_jobs=estimator.n_jobs,
                                       random_state=estimator.random_state,
                                       **{"max_samples": subsample, **params})
    if multiclass == "ovr" and backend != "sgd":
        model = OneVsRestClassifier(model, n_jobs=estimator.n_jobs)
    elif multiclass == "ovo" and backend != "svc":
        model = OneVsOneClassifier(model, n_jobs=estimator.n_jobs)
    return model


def make_pipeline(estimator, n_samples, n_features):
    """The complete unfitted pipeline for ``estimator``'s parameters."""
    features, scaler, n_components = resolve(estimator)
    if estimator.mode == "accurate":
        # Virtual examples are shifted images: every feature after deskewing is
        # computed inside VirtualSVC, on the originals and on the shifted copies.
        features, n_components = ("deskew" if features != "pixels" else "pixels"), None
    steps = feature_steps(features, scaler, n_components, n_features, estimator.random_state)
    steps.append(("model", make_model(estimator, n_samples)))
    return Pipeline(steps)


def as_2d_scores(scores):
    """Decision values as (n, n_classes); binary 1-D scores become (-s, s)."""
    scores = np.asarray(scores)
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores
