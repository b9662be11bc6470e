"""mode="accurate": a committee of SVMs on several normalisations and features."""

from typing import NamedTuple

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from .._geometry import N_PIXELS
from ._backends import make_model
from ._committee import Committee
from ._distorted import FitOnDistortedCopies
from ._features import Deskew, HOGFeatures, MomentNormalize
from ._gradients import GradientDirectionFeatures
from ._parallel import TransformInBlocks


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
# copies. Once working sets made the members cheap, copies for the other
# members, a second copy for the first and a fourth member did no better
# (benchmarks/search_accurate_copies.py; the fourth member's small gain on
# validation did not hold on the test set: docs/accurate_search.rst). The
# distorted member comes first so that the committee starts the longest fit
# first: 148 s for the committee on 60,000 images, against 175 s with it last
# (benchmarks/bench_committee_order.py, retired after commit 671c882).
ACCURATE_MEMBERS = {
    "moment-gdf-x2-grid9-aug": Member(
        MomentNormalize,
        GradientDirectionFeatures,
        {"grid": 9, "upsample": 2},
        120,
        distorted_copies=1,
    ),
    "deskew-hog": Member(Deskew, HOGFeatures, {}, 80),
    "moment-gdf": Member(MomentNormalize, GradientDirectionFeatures, {}, 100),
}
# Each member as ten one-vs-rest SVMs unless multiclass= says otherwise. One-vs-one
# members cost less (45 small problems instead of 10 on all the images) but their
# committees made 72 to 83 errors on validation splits 0 and 1 however their votes
# or margins were combined, against 68 for one-vs-rest members
# (benchmarks/search_accurate_parallel.py, retired after commit 671c882;
# search_accurate_multiclass.py before it).
ACCURATE_MULTICLASS = "ovr"
# The first member's ten one-vs-rest SVMs on 120,000 images are the longest part of
# the fit: on two cores, with one job, 37.5 s of its 105.1, the longest SVM 5.6 s,
# while each other member's ten SVMs took 10.5 and 11.1 s in all
# (benchmarks/bench_scaling.py --rows accurate,ovr,compare --jobs 1 2, 2026-12-06;
# before working sets: 145 s of 241, the longest 24 s, the others 34 to 36 s).
# Fitted one after the other, with more threads than ten the first member leaves
# cores idle while its longest SVM runs, then the others wait for it. With enough
# threads for the first member's ten SVMs and two for each other member, the
# members are fitted at once, the first with ten threads and the others sharing
# the rest, so that the others finish within the first one's time.
FIRST_MEMBER_THREADS = 10
OTHER_MEMBER_MIN_THREADS = 2


def member_threads(n_threads, n_members):
    """Threads for each member fitted at once, or None to fit them one after the other."""
    others = n_members - 1
    spare = n_threads - FIRST_MEMBER_THREADS
    if others < 1 or spare < OTHER_MEMBER_MIN_THREADS * others:
        return None
    shares = [spare // others + (i < spare % others) for i in range(others)]
    return [FIRST_MEMBER_THREADS, *shares]


def make_committee(estimator, n_samples, n_components):
    """mode="accurate": SVMs on several normalisations and features, scores averaged.

    Every member is a complete pipeline from (scaled) pixels to an SVM. The
    committee fits the members one after the other and each uses ``n_jobs``
    threads inside: its distorted copies and its features in blocks of images,
    its SVMs ten at a time (one-vs-rest) or pair by pair. Many small tasks
    keep every core busy to the end, and the threads never exceed ``n_jobs``
    (each SVM holds its own kernel cache). Predictions score the members in
    ``n_jobs`` threads.
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
    threads = member_threads(effective_n_jobs(estimator.n_jobs), len(ACCURATE_MEMBERS))
    for name, member in ACCURATE_MEMBERS.items():
        features = member.extract(**member.extract_params)
        # The distorted copies are images too: PCA may keep more components.
        n_fitted = n_samples * (1 + member.distorted_copies)
        if estimator.n_components == "auto":
            width = clone(features).fit(np.zeros((1, N_PIXELS))).n_features_out_
            n_comp = min(member.components, n_fitted, width)
        else:
            n_comp = n_components
        images = Pipeline([("normalise", member.normalise()), ("features", features)])
        steps = [("features", TransformInBlocks(images, n_jobs=estimator.n_jobs))]
        if n_comp is not None:
            steps.append(("pca", PCA(n_components=n_comp, random_state=seed)))
        steps.append(("svc", make_model(estimator, n_fitted, ACCURATE_MULTICLASS)))
        model = Pipeline(steps)
        if member.distorted_copies:
            model = FitOnDistortedCopies(
                model, kind="light", n_copies=member.distorted_copies, random_state=seed,
                n_jobs=estimator.n_jobs,
            )
        members.append((name, model))
    if threads is not None:
        for (_, model), share in zip(members, threads, strict=True):
            model.set_params(**{key: share for key in model.get_params()
                                if key.endswith("n_jobs")})
    return Committee(members, n_jobs=estimator.n_jobs, fit_at_once=threads is not None)
