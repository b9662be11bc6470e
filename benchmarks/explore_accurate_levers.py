"""Try single levers on the members of ``mode="accurate"``, on validation splits.

The exploratory companion of ``benchmarks/search_accurate_members.py``: each
candidate below changes one thing in one committee member (the SVM's ``C`` or
``gamma``, the PCA size, the number of gradient directions, the normalisation,
virtual support vectors) and is trained as
one-vs-rest RBF SVMs on 50,000 training images and scored on the other 10,000,
for stratified splits of the 60,000 TRAINING images (``--splits``). The test
set is never read. The performance page's "what did not help" figures come
from this script, run on splits 0, 1 and 2; so did the first measurement of
``aug``, which ``search_accurate_members.py`` then measured on five splits.

The levers that train on distorted copies (``vsv-light``, ``vsv-thick``,
``aug``, ``aug0.5``) needed mnistkit's private augmentation functions; they
left this script when the benchmarks moved to the public API only (issue 23).
Their figures are on the performance page; a checkout of commit 671c882 runs
them as they were run.

Candidates are named ``<normalisation>-<features>[-<change>]``:

- normalisations ``deskew``, ``moment`` (:class:`MomentNormalize`),
  ``moment-preserve`` (keeps the aspect ratio), ``deskew-zoom1.5`` (the deskewed
  digit enlarged 1.5 times, for HOG);
- features ``hog`` (PCA 80), ``gdf`` (PCA 100), ``gdf-x2-grid9`` (gradients of the
  digit enlarged twice, 9 x 9 grid, PCA 120), ``gdf-x1.5``, ``gdf12`` (twelve
  directions, PCA 120), ``gdf-pca150``;
- changes ``C5``, ``C20``, ``gamma0.7``, ``gamma1.4`` (times ``"scale"``);
  ``vsv-shift1`` (the support vectors plus their one-pixel shifts).

``--cache DIR`` keeps each candidate's validation decision values, so that a
second run only scores; ``--committee A+B+...`` (repeatable) prints the errors
of committees of cached candidates, averaging their raw decision values, the
values divided by their standard deviation, and their softmax.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/explore_accurate_levers.py --splits 0 1 2 \\
        --cache levers --candidates moment-gdf moment-gdf-C5

On 2026-11-25, on a quiet 2-core machine, a candidate took 15-41 s a split
(the first split also computes its features), ``aug`` 104-108 s and ``aug0.5``
72-86 s; splits 0, 1 and 2 of every candidate, those four included, took about
25 minutes.
"""

import argparse
import os
import sys
import time

import numpy as np
from _research import shift_images, validation_split  # beside this script
from scipy import ndimage
from sklearn.decomposition import PCA
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import SVC

from mnistkit import fetch_mnist
from mnistkit.classifier import (
    Deskew,
    GradientDirectionFeatures,
    HOGFeatures,
    MomentNormalize,
)

SIDE = 28  # MNIST's images are 28 x 28 pixels
_ONE_PIXEL = ((1, 0), (-1, 0), (0, 1), (0, -1))


def _zoom(images, factor):
    stack = images.reshape(-1, SIDE, SIDE)
    return ndimage.zoom(stack, (1, factor, factor), order=1).reshape(len(stack), -1)


NORMALISATIONS = {
    "deskew": lambda A: Deskew().fit(A).transform(A),
    "moment": lambda A: MomentNormalize().fit(A).transform(A),
    "moment-preserve": lambda A: MomentNormalize(aspect="preserve").fit(A).transform(A),
    "deskew-zoom1.5": lambda A: _zoom(Deskew().fit(A).transform(A), 1.5),
}
FEATURES = {
    "hog": (HOGFeatures, {}, 80),
    "hog-cell12": (HOGFeatures, {"cell_size": 12, "cell_stride": 6}, 80),
    "gdf": (GradientDirectionFeatures, {}, 100),
    "gdf-pca150": (GradientDirectionFeatures, {}, 150),
    "gdf12": (GradientDirectionFeatures, {"directions": 12}, 120),
    "gdf-x1.5": (GradientDirectionFeatures, {"upsample": 1.5}, 100),
    "gdf-x2-grid9": (GradientDirectionFeatures, {"grid": 9, "upsample": 2}, 120),
}
# name -> (normalisation, features, change)
CANDIDATES = {
    "deskew-hog": ("deskew", "hog", None),
    "deskew-gdf": ("deskew", "gdf", None),
    "moment-gdf": ("moment", "gdf", None),
    "moment-gdf-x1.5": ("moment", "gdf-x1.5", None),
    "moment-gdf-x2-grid9": ("moment", "gdf-x2-grid9", None),
    "moment-gdf-C5": ("moment", "gdf", "C5"),
    "moment-gdf-C20": ("moment", "gdf", "C20"),
    "moment-gdf-gamma0.7": ("moment", "gdf", "gamma0.7"),
    "moment-gdf-gamma1.4": ("moment", "gdf", "gamma1.4"),
    "moment-gdf-pca150": ("moment", "gdf-pca150", None),
    "moment-gdf12": ("moment", "gdf12", None),
    "moment-preserve-gdf": ("moment-preserve", "gdf", None),
    "deskew-zoom1.5-hog-cell12": ("deskew-zoom1.5", "hog-cell12", None),
    "moment-gdf-vsv-shift1": ("moment", "gdf", "vsv-shift1"),
}


def log(message):
    print(f"[levers] {message}", file=sys.stderr, flush=True)


def _ovr(C, gamma):
    return OneVsRestClassifier(SVC(C=C, gamma=gamma, cache_size=1000), n_jobs=2)


def candidate_scores(name, X, y, train, valid, cache):
    """Validation decision values of one candidate on one split."""
    norm, feat, change = CANDIDATES[name]
    normalise = NORMALISATIONS[norm]
    extract, params, n_components = FEATURES[feat]
    if norm not in cache:
        cache[norm] = normalise(X)
    images = cache[norm]
    if (norm, feat) not in cache:
        cache[norm, feat] = extract(**params).fit(images).transform(images)
    F = cache[norm, feat]
    C = float(change[1:]) if change in ("C5", "C20") else 10.0
    gamma_scale = float(change[5:]) if change in ("gamma0.7", "gamma1.4") else 1.0
    pca = PCA(n_components, random_state=0).fit(F[train])
    Z = pca.transform(F).astype(np.float32)
    # gamma="scale", written out so that it can be scaled and reused for the retraining.
    gamma = gamma_scale / (Z.shape[1] * Z[train].var())
    model = _ovr(C, gamma).fit(Z[train], y[train])
    if change == "vsv-shift1":
        support = np.unique(np.concatenate([m.support_ for m in model.estimators_]))
        rows = train[support]
        features = extract(**params).fit(images)
        parts = [Z[rows]]
        copies = [shift_images(images[rows], dy, dx) for dy, dx in _ONE_PIXEL]
        parts += [pca.transform(features.transform(copy)).astype(np.float32) for copy in copies]
        model = _ovr(C, gamma).fit(np.vstack(parts), np.tile(y[rows], len(parts)))
    return model.decision_function(Z[valid])


def _committee_errors(scores, names, valid_labels, how):
    total = 0
    for name in names:
        values = scores[name]
        if how == "std":
            values = values / values.std()
        elif how == "softmax":
            values = np.exp(3 * values) / np.exp(3 * values).sum(axis=1, keepdims=True)
        total = total + values
    return int((np.argmax(total, axis=1) != valid_labels).sum())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES),
                        choices=list(CANDIDATES))
    parser.add_argument("--cache", help="folder for the validation decision values")
    parser.add_argument("--committee", action="append", default=[],
                        help="members joined by '+', e.g. deskew-hog+moment-gdf")
    args = parser.parse_args(argv)
    X, y = fetch_mnist(subset="train", return_X_y=True)
    X = np.asarray(X, dtype=np.float32) / 255
    y = np.asarray(y)
    if args.cache:
        os.makedirs(args.cache, exist_ok=True)
    wanted = set(args.candidates) | {m for c in args.committee for m in c.split("+")}
    memo, scores, labels = {}, {}, {}
    for seed in args.splits:
        train, valid = validation_split(y, seed)
        labels[seed] = y[valid]
        for name in [n for n in CANDIDATES if n in wanted]:
            path = os.path.join(args.cache, f"{name}__s{seed}.npy") if args.cache else None
            if path and os.path.exists(path):
                scores[name, seed] = np.load(path)
                continue
            start = time.perf_counter()
            scores[name, seed] = candidate_scores(name, X, y, train, valid, memo)
            log(f"{name}, split {seed}: {time.perf_counter() - start:.0f} s")
            if path:
                np.save(path, scores[name, seed])
    header = "  ".join(f"s{s:<3}" for s in args.splits)
    print(f"# validation errors out of 10,000 per split (stratified 50,000/10,000 splits of "
          f"the 60,000 training images; {time.strftime('%Y-%m-%d')})")
    width = max(len(n) for n in args.candidates)
    print(f"\n{'candidate':{width}}  {header}  total")
    for name in args.candidates:
        errs = [_committee_errors({name: scores[name, s]}, [name], labels[s], "raw")
                for s in args.splits]
        print(f"{name:{width}}  {'  '.join(f'{e:<4}' for e in errs)}  {sum(errs)}")
    for committee in args.committee:
        names = committee.split("+")
        for how in ("raw", "std", "softmax"):
            errs = [_committee_errors({n: scores[n, s] for n in names}, names, labels[s], how)
                    for s in args.splits]
            print(f"{committee} ({how}): {' '.join(map(str, errs))}  total {sum(errs)}")


if __name__ == "__main__":
    main()
