"""Building the scikit-learn pipeline behind each MNISTClassifier configuration."""

from typing import NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from .._geometry import N_PIXELS
from ._committee import Committee
from ._distorted import FitOnDistortedCopies
from ._features import Deskew, HOGFeatures, MomentNormalize
from ._gradients import GradientDirectionFeatures

BACKENDS = ("svc", "sgd", "rf", "logistic")
MULTICLASS = (None, "ovo", "ovr")
MODES = ("fast", "accurate")
FEATURES = ("auto", "pixels", "deskew", "hog")
SCALERS = ("auto", "pixel", "standard", "none")

# What "auto" resolves to, measured on a validation split of the training set
# (benchmarks/tune_svc.py); MNISTClassifier's docstring gives the reasons.
AUTO_FEATURES = "hog"
AUTO_SCALER = "pixel"
AUTO_COMPONENTS = {"fast": 60, "accurate": 80}


class Member(NamedTuple):
    """One SVM of mode="accurate"'s committee, before its multiclass wrapper."""

    normalise: type
    extract: type
    extract_params: dict
    components: int  # PCA components for n_components="auto"
    distorted_copies: int = 0  # "light" copies of each training image it also learns from


# mode="accurate": a committee of SVMs, each on its own normalisation and
# features, whose decision values are averaged. The first member also learns
# from one "light" distorted copy of every training image (FitOnDistortedCopies),
# which made it the best single member; the others see the images only. Of the
# committees of one to five members measured on five validation splits of the
# training set (benchmarks/search_accurate_members.py), this one made the
# fewest errors among those judged to fit in under 3 minutes on two cores: 173
# over the five splits, against 181 for the previous four members without
# copies. The distorted member comes first so that the committee starts the
# longest fit first: 148 s for the committee on 60,000 images, against 175 s
# with it last (benchmarks/bench_committee_order.py).
ACCURATE_MEMBERS = {
    "moment-gdf-x2-grid9-aug": Member(
        MomentNormalize, GradientDirectionFeatures, {"grid": 9, "upsample": 2}, 120,
        distorted_copies=1,
    ),
    "deskew-hog": Member(Deskew, HOGFeatures, {}, 80),
    "moment-gdf": Member(MomentNormalize, GradientDirectionFeatures, {}, 100),
}
# Each member as ten one-vs-rest SVMs unless multiclass= says otherwise: the
# committee of one-vs-rest members made 35 and 33 validation errors on the same
# two splits, against 37 and 38 one-vs-one (benchmarks/search_accurate_multiclass.py).
ACCURATE_MULTICLASS = "ovr"
AUTO_C = 10.0
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
    features = AUTO_FEATURES if estimator.features == "auto" else estimator.features
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


def feature_steps(features, scaler, n_components, random_state):
    """The transformer steps in front of the model."""
    steps = []
    if features in ("deskew", "hog"):
        steps.append(("deskew", Deskew()))
    if features == "hog":
        steps.append(("hog", HOGFeatures()))
    if scaler == "standard":
        steps.append(("standard", StandardScaler()))
    if n_components is not None:
        steps.append(("pca", PCA(n_components=n_components, random_state=random_state)))
    return steps


def make_model(estimator, n_samples, n_components, multiclass=None):
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
        model = SVC(**{"kernel": "rbf", "cache_size": 1000, "random_state": seed,
                       **fixed, **params})
    elif backend == "logistic":
        C = AUTO_LOGISTIC_C if estimator.C is None else estimator.C
        model = LogisticRegression(**{"C": C, "random_state": seed, **LOGISTIC_DEFAULTS,
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
    if multiclass == "ovr" and backend != "sgd":
        model = OneVsRestClassifier(model, n_jobs=n_jobs)
    elif multiclass == "ovo" and backend != "svc":
        model = OneVsOneClassifier(model, n_jobs=n_jobs)
    return model


def make_committee(estimator, n_samples, n_components):
    """mode="accurate": SVMs on several normalisations and features, scores averaged.

    Every member is a complete pipeline from (scaled) pixels to an SVM, wrapped
    for the chosen multiclass strategy; the committee fits and evaluates them in
    parallel with ``n_jobs``.
    """
    if estimator.features != "auto":
        msg = (
            f"mode='accurate' chooses the features of each of its SVMs, so it needs "
            f"features='auto'; got features={estimator.features!r}. Use mode='fast' "
            f"to choose the features."
        )
        raise ValueError(msg)
    seed = estimator.random_state
    members = []
    for name, member in ACCURATE_MEMBERS.items():
        features = member.extract(**member.extract_params)
        # The distorted copies are images too: PCA may keep more components.
        n_fitted = n_samples * (1 + member.distorted_copies)
        if estimator.n_components == "auto":
            width = clone(features).fit(np.zeros((1, N_PIXELS))).n_features_out_
            n_comp = min(member.components, n_fitted, width)
        else:
            n_comp = n_components
        steps = [("normalise", member.normalise()), ("features", features)]
        if n_comp is not None:
            steps.append(("pca", PCA(n_components=n_comp, random_state=seed)))
        steps.append(("svc", make_model(estimator, n_fitted, n_comp, ACCURATE_MULTICLASS)))
        model = Pipeline(steps)
        if member.distorted_copies:
            model = FitOnDistortedCopies(model, kind="light", n_copies=member.distorted_copies,
                                         random_state=seed)
        members.append((name, model))
    return Committee(members, n_jobs=estimator.n_jobs)


def make_pipeline(estimator, n_samples, n_features):
    """The complete unfitted pipeline for ``estimator``'s parameters and data shape."""
    features, scaler, n_components = resolve(estimator, n_samples, n_features)
    if estimator.mode == "accurate":
        return Pipeline([("model", make_committee(estimator, n_samples, n_components))])
    front = feature_steps(features, scaler, n_components, estimator.random_state)
    return Pipeline([*front, ("model", make_model(estimator, n_samples, n_components))])
