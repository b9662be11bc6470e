"""What training-time augmentation (``MNISTClassifier(augment=...)``) buys and costs.

For each augmentation setting, the default model (``MNISTClassifier()``, SVC) is
fitted with that setting and scored on clean digits and on degraded versions of
them, each degraded digit brought back to MNIST's format by
``mnistkit.to_mnist_format`` as a user's picture would be:

- ``low-res 10`` / ``low-res 8``: the 28x28 digit reduced to 10x10 (8x8) pixels
  (Pillow, box filter), enlarged eight times (bilinear), then read;
- ``thick`` / ``thin``: the digit enlarged twice (bilinear), its strokes grown
  by a disk of radius 2 (eroded by a cross of radius 1) of the enlarged image,
  about one pixel (half a pixel) of MNIST's on each side, then read;
- ``rotated``: the digit enlarged twice and rotated by an angle drawn uniformly
  in [-15, 15] degrees, then read.

These degradations are made with other tools (Pillow's resampling, disks at
twice the resolution, the image reader) than the augmentation's own, so that
the model is not scored on its own training distortions.

Usage::

    export MNISTKIT_DATA_DIR=/work/mnist_data
    # choose on a validation split of the 60,000 training images
    python benchmarks/bench_augment.py --settings none,light,real-world,half
    # then, once, the chosen setting on the official test set (fit on all 60,000)
    python benchmarks/bench_augment.py --final real-world --save augmented.mnistkit

``--validation``: 50,000 training / 10,000 validation images drawn from the
training set (stratified, seed 0); the test set is never seen. ``--final``:
fitted on the 60,000 training images, scored on the 10,000 test images. Fit
times include making the augmented copies; "fit s" is wall-clock time and
"fit CPU s" the CPU time of the process (all its threads), which a machine
shared with other jobs disturbs less.
"""

import argparse
import platform
import sys
import time

import numpy as np
from PIL import Image
from scipy import ndimage
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import mnistkit
from mnistkit import MNISTClassifier, fetch_mnist, to_mnist_format

SETTINGS = {
    "none": None,
    "light": "light",
    "real-world": "real-world",
    "quarter": {"kind": "real-world", "fraction": 0.25},
    "half": {"kind": "real-world", "fraction": 0.5},
    "2-copies": 2,
}
CONDITIONS = ("clean", "low-res 10", "low-res 8", "thick", "thin", "rotated")


def _enlarged(digit, factor):
    image = Image.fromarray(digit.astype(np.uint8))
    side = digit.shape[0] * factor
    return np.asarray(image.resize((side, side), Image.Resampling.BILINEAR), dtype=np.float64)


def _low_res(digit, side):
    small = Image.fromarray(digit.astype(np.uint8)).resize((side, side), Image.Resampling.BOX)
    return np.asarray(small.resize((side * 8, side * 8), Image.Resampling.BILINEAR))


def _disk(radius):
    rows, cols = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    return rows**2 + cols**2 <= radius**2


def degraded_sets(images, seed=0):
    """The validation (or test) digits under each condition, in MNIST's format."""
    rng = np.random.default_rng(seed)
    images = images.reshape(-1, 28, 28)
    angles = rng.uniform(-15, 15, len(images))
    big = np.stack([_enlarged(digit, 2) for digit in images])
    made = {
        "clean": images.reshape(len(images), -1),
        "low-res 10": [_low_res(digit, 10) for digit in images],
        "low-res 8": [_low_res(digit, 8) for digit in images],
        "thick": ndimage.grey_dilation(big, footprint=_disk(2)[None]),
        "thin": ndimage.grey_erosion(big, footprint=_disk(1)[None]),
        "rotated": [
            ndimage.rotate(b, a, reshape=True, order=1) for b, a in zip(big, angles, strict=True)
        ],
    }
    sets = {}
    for name in CONDITIONS:
        if name == "clean":
            sets[name] = made[name]
            continue
        sets[name] = np.stack([to_mnist_format(np.clip(image, 0, 255)) for image in made[name]])
    return sets


def run(name, X_train, y_train, sets, y_eval, save=None):
    clf = MNISTClassifier(augment=SETTINGS[name], random_state=0)
    start, cpu_start = time.perf_counter(), time.process_time()
    clf.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    fit_cpu_s = time.process_time() - cpu_start
    model = clf.pipeline_[-1]
    n_sv = int(model.n_support_.sum()) if hasattr(model, "n_support_") else 0
    start = time.perf_counter()
    scores = {cond: accuracy_score(y_eval, clf.predict(sets[cond])) for cond in CONDITIONS}
    predict_s = (time.perf_counter() - start) / len(CONDITIONS)
    if save:
        # The header in the form ``mnistkit train`` writes, so that ``mnistkit
        # evaluate`` finds the matching test images.
        clf.save(save, training={"dataset": "mnist", "split": "official", "seed": 0,
                                 "n_train": len(y_train), "name": f"svc, augment={name}"})
    return {"setting": name, "fit_s": fit_s, "fit_cpu_s": fit_cpu_s, "predict_s": predict_s,
            "n_sv": n_sv, **scores}


def print_table(rows, rst):
    columns = ["setting", "fit s", "fit CPU s", "predict 10k s", "support vectors", *CONDITIONS]

    def cells(row):
        return [f"``{row['setting']}``" if rst else row["setting"], f"{row['fit_s']:.1f}",
                f"{row['fit_cpu_s']:.1f}",
                f"{row['predict_s']:.2f}", str(row["n_sv"]),
                *(f"{100 * row[c]:.2f}%" for c in CONDITIONS)]

    if rst:
        print(".. list-table::\n   :header-rows: 1\n")
        for line in [columns, *map(cells, rows)]:
            print("   * - " + "\n     - ".join(line))
        return
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(cells(row)), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="none,light,real-world,half",
                        help=f"comma-separated, from {list(SETTINGS)}")
    parser.add_argument("--final", help="fit this setting on all 60,000 training images and "
                        "score it on the official test set (after choosing on validation)")
    parser.add_argument("--save", help="with --final: save the fitted model to this path")
    parser.add_argument("--train-size", type=int, default=50_000)
    parser.add_argument("--rst", action="store_true", help="print an rst list-table")
    args = parser.parse_args(argv)

    print(f"mnistkit {mnistkit.__version__}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}", flush=True)
    X, y = fetch_mnist(subset="train", return_X_y=True)
    if args.final:
        names = [args.final]
        X_test, y_test = fetch_mnist(subset="test", return_X_y=True)
        X_train, y_train, X_eval, y_eval = X, y, X_test, y_test
        print("fitted on the 60,000 training images, scored on the 10,000 test images")
    else:
        names = args.settings.split(",")
        X_train, X_eval, y_train, y_eval = train_test_split(
            X, y, test_size=10_000, stratify=y, random_state=0)
        X_train, y_train = X_train[: args.train_size], y_train[: args.train_size]
        print(f"fitted on {len(X_train):,} training images, scored on 10,000 held-out "
              "training images (validation)")
    unknown = [n for n in names if n not in SETTINGS]
    if unknown:
        sys.exit(f"unknown settings {unknown}; choose from {list(SETTINGS)}")
    start = time.perf_counter()
    sets = degraded_sets(X_eval)
    print(f"degraded sets made in {time.perf_counter() - start:.1f} s", flush=True)
    rows = []
    for name in names:
        rows.append(run(name, X_train, y_train, sets, y_eval, save=args.save))
        print_table(rows[-1:], rst=False)
    print()
    print_table(rows, rst=args.rst)


if __name__ == "__main__":
    main()
