"""Choose ``mode="accurate"``'s committee once its SVMs are fitted one digit pair at a time.

Issue 24: fitted pair by pair in parallel (``OneVsOneSVC``), an SVM costs a
fraction of ten one-vs-rest SVMs on all the images, so the members can learn
from more distorted copies in the same time. This script scores each member
with 0, 1 or 2 "light" distorted copies of every training image, then every
committee of one variant per member, on validation splits: only the 60,000
official TRAINING images are read, each split holding out a stratified 10,000
of them (seeds ``--splits``, as ``search_accurate_members.py``). The copies are
made from the split's training images only. The test set is never touched.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/search_accurate_parallel.py --splits 0 1

Reference on the same splits: the committee of one-vs-rest members before this
search (one copy for the enlarged-gradient member only) made 35 and 33 errors
(``search_accurate_multiclass.py``, 2026-11-25).
"""

import argparse
import itertools
import sys
import time

import numpy as np
from joblib import parallel_config
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from mnistkit import fetch_mnist
from mnistkit.classifier._augment import augment_digits
from mnistkit.classifier._features import Deskew, HOGFeatures, MomentNormalize
from mnistkit.classifier._gradients import GradientDirectionFeatures
from mnistkit.classifier._parallel import OneVsOneSVC, TransformInBlocks, one_vs_one_scores

# name -> (front end, PCA components)
MEMBERS = {
    "moment-gdf-x2-grid9": (
        lambda: Pipeline([("n", MomentNormalize()),
                          ("f", GradientDirectionFeatures(grid=9, upsample=2))]), 120),
    "deskew-hog": (lambda: Pipeline([("n", Deskew()), ("f", HOGFeatures())]), 80),
    "moment-gdf": (lambda: Pipeline([("n", MomentNormalize()),
                                     ("f", GradientDirectionFeatures())]), 100),
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def member_scores(name, copies, X_tr, y_tr, X_va, n_jobs, seed, multiclass="ovo"):
    """Validation features and the fitted SVM of one member (images plus copies)."""
    front, n_components = MEMBERS[name]
    X_fit, y_fit = augment_digits(X_tr, y_tr, n_copies=copies, kind="light",
                                  random_state=seed, n_jobs=n_jobs) if copies else (X_tr, y_tr)
    model = Pipeline([
        ("features", TransformInBlocks(front(), n_jobs=n_jobs)),
        ("pca", PCA(n_components, random_state=seed)),
        ("svc", OneVsOneSVC(SVC(C=10, cache_size=400), n_jobs=n_jobs) if multiclass == "ovo"
         else OneVsRestClassifier(SVC(C=10, cache_size=500), n_jobs=n_jobs)),
    ])
    with parallel_config(backend="threading"):
        model.fit(X_fit, y_fit)
    return model[:-1].transform(X_va), model[-1]


RULES = {
    # What Committee does today: the mean of each member's votes plus confidence.
    "votes": lambda margins: one_vs_one_scores(margins, 10)[1],
    # The mean of each class's summed pair margins: continuous, like one-vs-rest values.
    "summed-margins": lambda margins: one_vs_one_scores(margins, 10)[0].sum(axis=2),
}


def combined(parts, rule):
    """Committee scores of members' pair margins under ``rule`` ("margin-votes":
    votes of the members' mean pair margins; "mean": the mean of one-vs-rest values)."""
    if rule == "mean":
        return np.mean(parts, axis=0)
    if rule == "margin-votes":
        return one_vs_one_scores(np.mean(parts, axis=0), 10)[1]
    return np.mean([RULES[rule](part) for part in parts], axis=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--copies", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--members", nargs="+", default=list(MEMBERS))
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--multiclass", choices=["ovo", "ovr"], default="ovo")
    args = parser.parse_args(argv)
    X, y = fetch_mnist(subset="train", return_X_y=True)
    X = X.astype(np.float32) / 255
    scores, truth, seconds = {}, {}, {}
    rules = (["votes", "summed-margins", "margin-votes"] if args.multiclass == "ovo"
             else ["mean"])
    for split in args.splits:
        train, valid = train_test_split(np.arange(len(y)), test_size=10000, stratify=y,
                                        random_state=split)
        truth[split] = y[valid]
        for name in args.members:
            for copies in args.copies:
                start = time.perf_counter()
                features, svm = member_scores(
                    name, copies, X[train], y[train], X[valid], args.n_jobs, seed=0,
                    multiclass=args.multiclass)
                scores[name, copies, split] = (svm.pair_margins(features)
                                               if args.multiclass == "ovo"
                                               else svm.decision_function(features))
                seconds[name, copies, split] = time.perf_counter() - start
                errors = int((combined([scores[name, copies, split]], rules[0]).argmax(1)
                              != truth[split]).sum())
                log(f"{name} x{copies} split {split}: {errors} errors, "
                    f"{seconds[name, copies, split]:.0f} s")

    def errors(variants, rule):
        return [int((combined([scores[(*v, s)] for v in variants], rule).argmax(1)
                     != truth[s]).sum()) for s in args.splits]

    head = "".join(f"  split {s}" for s in args.splits)
    print(f"# validation errors out of 10,000; fit seconds per split with n_jobs={args.n_jobs}")
    print(f"\n## single members\n{'member':<28}{head}    total  seconds")
    for name in args.members:
        for copies in args.copies:
            e = errors([(name, copies)], rules[0])
            secs = np.mean([seconds[name, copies, s] for s in args.splits])
            print(f"{name + f' x{copies}':<28}" + "".join(f"  {v:>7}" for v in e)
                  + f"  {sum(e):>7}  {secs:>7.0f}")
    for rule in rules:
        print(f"\n## committees, one variant per member, combined by {rule}\n"
              f"{'copies (' + ', '.join(args.members) + ')'}")
        rows = []
        for combo in itertools.product(args.copies, repeat=len(args.members)):
            variants = list(zip(args.members, combo, strict=True))
            e = errors(variants, rule)
            secs = sum(np.mean([seconds[(*v, s)] for s in args.splits]) for v in variants)
            rows.append((sum(e), combo, e, secs))
        for total, combo, e, secs in sorted(rows):
            print(f"{combo!s:<28}" + "".join(f"  {v:>7}" for v in e)
                  + f"  {total:>7}  {secs:>7.0f}")


if __name__ == "__main__":
    main()
