"""Choose what ``MNISTClassifier(mode="accurate")`` is made of, on validation splits.

Only the 60,000 official TRAINING images are read: each split holds out a
stratified 10,000 of them for validation (seeds ``--splits``) and trains on the
other 50,000.  The test set is never touched.  For every candidate the script
prints the validation errors on each split, so that a choice is made on more
than one split (one error is 0.01%; differences of a few errors are noise).

Candidates:

- ``default``: what ``MNISTClassifier()`` fits (deskew, HOG, PCA(60), RBF SVC);
- single SVMs on two normalisations (``deskew``: :class:`Deskew`; ``moment``:
  :class:`MomentNormalize`) times two features (``hog``:
  :class:`HOGFeatures` + PCA(80); ``gdf``: :class:`GradientDirectionFeatures`
  + PCA(100));
- virtual support vectors (``+shift1``: four one-pixel shifts; ``+rot10``:
  rotations by -10 and +10 degrees) on the moment-normalised HOG SVM;
- committees averaging the decision values of the single SVMs.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/search_accurate.py --splits 0 1

Took 14 minutes for the two splits on a 2-core machine shared with other jobs.
The committee ``deskew-hog + deskew-gdf + moment-gdf`` had the lowest mean and
was the first committee of ``mode="accurate"``; ``search_accurate_members.py``
chose the current one.
"""

import argparse
import itertools
import sys
import time

import numpy as np
from _research import VirtualSVC, validation_split  # beside this script
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from mnistkit import fetch_mnist
from mnistkit.classifier import (
    Deskew,
    GradientDirectionFeatures,
    HOGFeatures,
    MomentNormalize,
)

NORMALISATIONS = {"deskew": Deskew, "moment": MomentNormalize}
FEATURES = {
    "hog": lambda: (HOGFeatures(), 80),
    "gdf": lambda: (GradientDirectionFeatures(), 100),
}
VIRTUAL = {"+shift1": {"shifts": ((1, 0), (-1, 0), (0, 1), (0, -1))},
           "+rot10": {"shifts": (), "rotations": (-10, 10)}}


def log(message):
    print(f"[search] {message}", file=sys.stderr, flush=True)


def fit_score(model, X_tr, y_tr, X_va, y_va):
    start = time.perf_counter()
    model.fit(X_tr, y_tr)
    fit_s = time.perf_counter() - start
    scores = model.decision_function(X_va)
    return scores, int((model.predict(X_va) != y_va).sum()), fit_s


def run_split(X, y, seed):
    """Validation errors (and decision values) of every candidate on one split."""
    tr, va = validation_split(y, seed)
    y_tr, y_va = y[tr], y[va]
    errors, scores = {}, {}
    # The default: deskew + HOG + PCA(60) + SVC(C=10), as MNISTClassifier() fits it.
    D = Deskew().fit(X[tr]).transform(X)
    model = make_pipeline(HOGFeatures(), PCA(60, random_state=0), SVC(C=10, cache_size=1000))
    _, errors["default"], fit_s = fit_score(model, D[tr], y_tr, D[va], y_va)
    log(f"split {seed}: default {errors['default']} errors, fit {fit_s:.0f} s")
    for norm, make_norm in NORMALISATIONS.items():
        images = D if norm == "deskew" else make_norm().fit(X[tr]).transform(X)
        for feat, make_feat in FEATURES.items():
            name = f"{norm}-{feat}"
            extractor, n_components = make_feat()
            model = make_pipeline(extractor, PCA(n_components, random_state=0),
                                  SVC(C=10, cache_size=1000))
            scores[name], errors[name], fit_s = fit_score(model, images[tr], y_tr,
                                                          images[va], y_va)
            log(f"split {seed}: {name} {errors[name]} errors, fit {fit_s:.0f} s")
            if name != "moment-hog":
                continue
            for tag, params in VIRTUAL.items():
                extractor, n_components = make_feat()
                features = make_pipeline(extractor, PCA(n_components, random_state=0))
                model = VirtualSVC(features=features, C=10, **params)
                _, errors[name + tag], fit_s = fit_score(model, images[tr], y_tr,
                                                         images[va], y_va)
                log(f"split {seed}: {name + tag} {errors[name + tag]} errors, "
                    f"fit {fit_s:.0f} s")
    members = list(scores)
    for size in range(2, len(members) + 1):
        for combo in itertools.combinations(members, size):
            mean = np.mean([scores[m] for m in combo], axis=0)
            errors[" + ".join(combo)] = int((np.argmax(mean, axis=1) != y_va).sum())
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1],
                        help="seeds of the stratified 50,000/10,000 validation splits")
    args = parser.parse_args(argv)
    X, y = fetch_mnist(subset="train", return_X_y=True)
    X = np.asarray(X, dtype=np.float32) / 255
    y = np.asarray(y)
    results = {seed: run_split(X, y, seed) for seed in args.splits}
    names = list(results[args.splits[0]])
    header = ["candidate", *[f"split {s}" for s in args.splits], "mean",
              "vs default"]
    rows = []
    default = np.mean([results[s]["default"] for s in args.splits])
    for name in names:
        errs = [results[s][name] for s in args.splits]
        mean = float(np.mean(errs))
        rows.append([name, *[str(e) for e in errs], f"{mean:.1f}",
                     f"{mean / default - 1:+.0%}"])
    print(f"# validation errors out of 10,000 (stratified splits of the 60,000 training "
          f"images, seeds {', '.join(map(str, args.splits))}; {time.strftime('%Y-%m-%d')})")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
