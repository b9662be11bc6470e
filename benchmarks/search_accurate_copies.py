"""Which members of ``mode="accurate"`` should learn from distorted copies, on validation splits.

``mode="accurate"`` trains its first member on the images plus one ``"light"``
distorted copy of each, and the other two on the images only: when it was
chosen, a member with copies cost five times a plain one, and one was all that
fitted in three minutes on two cores. One-vs-rest SVMs fitted on growing working
sets made those members several times cheaper; this script measures what the
time could buy instead: copies for the other members too, or two copies for the
first.

Only the 60,000 official TRAINING images are read: each split (``--splits``)
holds out a stratified 10,000 of them (``train_test_split`` of that seed, as
``search_accurate_members.py`` and ``explore_accurate_views.py``) and trains on
the other 50,000. The test set is never touched. The candidates are the members
that ``MNISTClassifier(mode="accurate", random_state=0)`` fits, taken unfitted
from its committee, and variants of them made with ``set_params`` or with the
first member's own wrapper for distorted copies:

- ``moment-gdf-x2-grid9-aug`` (as it is), ``-aug2`` (two copies of each image);
- ``deskew-hog``, ``moment-gdf`` (as they are), ``-aug`` (one copy of each image,
  drawn with the same seed as the first member's);
- as a fourth member, ``moment-gdf-x2-grid9-aug-seed1`` (the first member with
  copies drawn from another seed) or ``deskew-gdf`` (the gradient member on
  deskewed digits, one of the candidates of ``search_accurate_members.py``).

The script prints each candidate's errors and fit time per split, then the
errors of every committee of one variant of each member, with or without a
fourth (decision values averaged, as ``mode="accurate"`` does), sorted by their
total. One error is
0.01% of a split; differences of a few errors over five splits are noise.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/search_accurate_copies.py --splits 0 1 2 3 4 \\
        --cache copies

``--cache DIR`` keeps each candidate's validation decision values and fit time,
so that a second run only combines them.

On 2026-12-06, on two cores, the candidates took 8 to 82 s a split, about 22
minutes for the five splits. Copies for the other members and a second copy
for the first did not pay (180 to 194 errors against 184 for the committee as
it is); ``deskew-gdf`` as a fourth member made 178, but 41, 42 and 41 test
errors over three seeds against 35, 40 and 36, and was not taken (the
"How accurate mode was chosen" page has the table).
"""

import itertools
import sys
import time

import numpy as np
from _research import split_arguments, training_images, validation_split  # beside this script
from sklearn.base import clone

from mnistkit import MNISTClassifier, load_sample
from mnistkit.classifier import Deskew

# Each member of the committee, and its candidate variants.
FIRST, HOG, GDF = "moment-gdf-x2-grid9-aug", "deskew-hog", "moment-gdf"
VARIANTS = {FIRST: [FIRST, f"{FIRST}2"], HOG: [HOG, f"{HOG}-aug"], GDF: [GDF, f"{GDF}-aug"],
            "fourth": [None, f"{FIRST}-seed1", "deskew-gdf"]}


def log(message):
    print(f"[copies] {message}", file=sys.stderr, flush=True)


def candidates(n_jobs):
    """Name -> unfitted member, from the committee that mode="accurate" fits."""
    X, y = load_sample(return_X_y=True)
    template = MNISTClassifier(mode="accurate", random_state=0, n_jobs=n_jobs).fit(X, y)
    members = dict(template.pipeline_[-1].estimators)
    found = {name: clone(member) for name, member in members.items()}
    found[f"{FIRST}2"] = clone(members[FIRST]).set_params(n_copies=2)
    for name in (HOG, GDF):
        # The first member is a wrapper that adds one distorted copy of each image
        # (seed 0); with another member inside, it makes the same copies for it.
        found[f"{name}-aug"] = clone(members[FIRST]).set_params(estimator=clone(members[name]))
    found[f"{FIRST}-seed1"] = clone(members[FIRST]).set_params(random_state=1)
    found["deskew-gdf"] = clone(members[GDF]).set_params(features__transformer__normalise=Deskew())
    return found


def split_values(X, y, seed, name, member):
    """Validation labels, decision values and fit seconds of one candidate on one split."""
    train, valid = validation_split(y, seed)
    start = time.perf_counter()
    fitted = clone(member).fit(X[train], y[train])
    seconds = time.perf_counter() - start
    log(f"split {seed}: {name} fitted in {seconds:.0f} s")
    return y[valid], fitted.decision_function(X[valid]), seconds


def main(argv=None):
    args = split_arguments(__doc__.splitlines()[0]).parse_args(argv)
    X, y = training_images()
    members = candidates(args.n_jobs)
    labels, values, seconds = {}, {}, {}
    for seed in args.splits:
        for name, member in members.items():
            path = args.cache / f"split{seed}-{name}.npz" if args.cache else None
            if path is not None and path.exists():
                saved = np.load(path)
                found = saved["y"], saved["values"], float(saved["seconds"])
            else:
                found = split_values(X, y, seed, name, member)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    np.savez(path, y=found[0], values=found[1], seconds=found[2])
            labels[seed], values[seed, name], seconds[seed, name] = found

    def errors(names):
        return [int((np.argmax(sum(values[seed, n] for n in names), axis=1)
                     != labels[seed]).sum()) for seed in args.splits]

    print(f"# validation errors out of 10,000 on splits {args.splits} "
          f"({time.strftime('%Y-%m-%d')}; fit seconds with n_jobs={args.n_jobs})")
    print(f"{'candidate':<34}{'errors':<26}{'total':>6}{'fit s':>8}")
    for name in members:
        fit = np.mean([seconds[seed, name] for seed in args.splits])
        found = errors([name])
        print(f"{name:<34}{found!s:<26}{sum(found):>6}{fit:>8.0f}")
    print(f"\n{'committee':<90}{'errors':<26}{'total':>6}{'fit s':>8}")
    rows = []
    for variant in itertools.product(*VARIANTS.values()):
        names = [name for name in variant if name is not None]
        fit = sum(np.mean([seconds[seed, n] for seed in args.splits]) for n in names)
        found = errors(names)
        rows.append((sum(found), " + ".join(names), found, fit))
    for total, names, found, fit in sorted(rows):
        print(f"{names:<90}{found!s:<26}{total:>6}{fit:>8.0f}")


if __name__ == "__main__":
    main()
