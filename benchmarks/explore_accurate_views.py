"""Try two cheap levers on ``mode="accurate"``'s committee, on validation splits.

Both leave the fit alone and change how the fitted members' decision values are
combined:

- **member weights**: the member trained on distorted copies (the best alone)
  counts ``w`` times as much as each other member in the average;
- **rotated views** (test-time augmentation): each image is also read turned by
  ``-a`` and ``+a`` degrees (``scipy.ndimage.rotate``); the committee's values of
  the two turned views, averaged, are added to those of the image itself with
  weight ``t``. Normalisation already undoes shifts, size and slant, not
  rotation.

Only the 60,000 official TRAINING images are read: each split (``--splits``)
holds out a stratified 10,000 of them (``train_test_split`` of that seed, as
``search_accurate_members.py``) and fits ``MNISTClassifier(mode="accurate",
random_state=0)`` on the other 50,000. The test set is never touched. One error
is 0.01% of a split; differences of a few errors over five splits are noise.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/explore_accurate_views.py --splits 0 1 2 3 4 \\
        --cache views

``--cache DIR`` keeps each split's decision values (members x views), so that a
second run only combines them. On 2026-12-06, on two cores, each split's fit
took 98 to 108 s; the five splits made 184 errors as the committee is, and
181 to 192 with either lever (the performance page has the figures).
"""

import sys
import time

import numpy as np
from _research import split_arguments, training_images, validation_split  # beside this script
from scipy import ndimage

from mnistkit import MNISTClassifier

ANGLES = (5.0, 10.0)
WEIGHTS = (1.0, 1.5, 2.0)  # of the member with distorted copies
TURNED = (0.0, 0.25, 0.5, 1.0)  # of the two turned views, together


def log(message):
    print(f"[views] {message}", file=sys.stderr, flush=True)


def turned(images, degrees):
    """28x28 images turned by ``degrees`` about their centre, flattened."""
    square = images.reshape(-1, 28, 28)
    out = ndimage.rotate(square, degrees, axes=(1, 2), reshape=False, order=1, mode="constant")
    return np.clip(out, 0.0, 1.0).reshape(len(images), -1)


def split_values(X, y, seed, n_jobs):
    """Validation labels and decision values: {view: array (members, images, classes)}."""
    train, valid = validation_split(y, seed)
    model = MNISTClassifier(mode="accurate", random_state=0, n_jobs=n_jobs)
    start = time.perf_counter()
    model.fit(X[train], y[train])
    log(f"split {seed}: fitted in {time.perf_counter() - start:.0f} s")
    members = list(model.pipeline_[-1].named_estimators_.values())
    views = {"image": X[valid]}
    for angle in ANGLES:
        views[f"-{angle:g}"] = turned(X[valid], -angle)
        views[f"+{angle:g}"] = turned(X[valid], angle)
    values = {
        name: np.stack([member.decision_function(images) for member in members])
        for name, images in views.items()
    }
    return y[valid], values


def committee(values, weight, angle, t):
    """The combined decision values: members weighted, turned views added."""
    member_weights = np.array([weight] + [1.0] * (len(values["image"]) - 1))

    def mean(view):
        return np.tensordot(member_weights, values[view], axes=1) / member_weights.sum()

    combined = mean("image")
    if t:
        combined = combined + t * (mean(f"-{angle:g}") + mean(f"+{angle:g}")) / 2
    return combined


def main(argv=None):
    args = split_arguments(__doc__.splitlines()[0]).parse_args(argv)
    X, y = training_images()  # pixels in [0, 1]: the turned views stay in range
    results = {}
    for seed in args.splits:
        path = args.cache / f"split{seed}.npz" if args.cache else None
        if path is not None and path.exists():
            saved = np.load(path)
            results[seed] = saved["y"], {k: saved[k] for k in saved.files if k != "y"}
            continue
        results[seed] = split_values(X, y, seed, args.n_jobs)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, y=results[seed][0], **results[seed][1])

    print(f"mode='accurate' on validation splits {args.splits} (errors per split, total)")
    print(f"{'member weight':>13}  {'turn':>5}  {'t':>5}  errors")
    for weight in WEIGHTS:
        for angle in ANGLES:
            for t in TURNED:
                if t == 0 and angle != ANGLES[0]:
                    continue  # without turned views the angle does not matter
                errors = []
                for labels, values in results.values():
                    predicted = np.argmax(committee(values, weight, angle, t), axis=1)
                    errors.append(int((predicted != labels).sum()))
                turn = f"{angle:g}" if t else "-"
                print(f"{weight:>13g}  {turn:>5}  {t:>5g}  {errors} {sum(errors)}")


if __name__ == "__main__":
    main()
