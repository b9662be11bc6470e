"""Probabilities for MNISTClassifier: which calibration, at what cost.

Compares, on a validation split of the 60,000 training images (never the test
set), the ways of turning the SVM's decision values into probabilities:

- ``none``: ``MNISTClassifier()``, no probabilities: the reference fit time and
  accuracy.
- ``fast``: ``MNISTClassifier(probability="fast")``, the cheap confidence: the
  model fitted on all the data exactly as ``none``, plus a second model fitted
  on a quarter of the images whose decision values for up to 10,000 images it
  never saw calibrate a temperature (``CalibratedClassifierCV(method=
  "temperature")`` on those scores); the top probability of each image is
  then the chance of being right, fitted on the same unseen answers
  (``mnistkit/classifier/_confidence.py``).
- ``true``: ``MNISTClassifier(probability=True)``: the model fitted on all the
  data (for ``decision_function``) and ``CalibratedClassifierCV(method=
  "isotonic", cv=3)`` for the probabilities and predictions.
- ``oof-logistic``: mnistkit 0.1's ``probability=True``, written out here: a
  multinomial logistic regression on 3-fold out-of-fold decision values, then
  the model fitted on all the data.
- ``ccv-sigmoid``, ``ccv-isotonic``, ``ccv-temperature``: scikit-learn's
  ``CalibratedClassifierCV(MNISTClassifier(), cv=3, method=...)``, the
  recommended path since ``SVC(probability=True)`` was deprecated (an ensemble
  of three calibrated models, each fitted on two thirds of the data).
- ``ccv-sigmoid-single``, ``ccv-temperature-single``: the same with
  ``ensemble=False`` (out-of-fold calibration, one model fitted on all data).

For each: fit seconds (the calibration included), wall-clock and CPU (the
processor time of this process, all its threads: steadier than wall-clock on a
shared machine), the CPU overhead over ``none`` (on a shared machine the CPU
time of one fit varies by about a fifth from run to run: ``--repeat 3`` fits
each row three times and keeps the fastest), predict-proba seconds for the
validation images, accuracy of the labels the probabilities give (their
argmax), and the log loss and Brier score of the probabilities (lower is
better).

Usage::

    MNISTKIT_DATA_DIR=/work/mnist_data python benchmarks/bench_probability.py
    python benchmarks/bench_probability.py --train-size 10000   # a quick run
    python benchmarks/bench_probability.py --only none,fast,true
    python benchmarks/bench_probability.py --only none,fast --repeat 3

Each row runs in this process, one after the other; times are wall-clock
seconds on the machine it runs on, so compare rows of one run only.
"""

import argparse
import os
import platform
import sys
import time

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mnistkit import MNISTClassifier, fetch_mnist


def brier(y, proba, classes):
    onehot = (y[:, None] == classes[None, :]).astype(float)
    return float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))


class OutOfFoldLogistic:
    """mnistkit 0.1's probability=True, written out: a multinomial logistic regression
    on 3-fold out-of-fold decision values, and the model fitted on all the data."""

    def __init__(self, seed):
        self.seed = seed

    def fit(self, X, y):
        self.model_ = MNISTClassifier(random_state=self.seed).fit(X, y)
        folds = StratifiedKFold(3, shuffle=True, random_state=self.seed)
        scores = cross_val_predict(MNISTClassifier(random_state=self.seed), X, y, cv=folds,
                                   method="decision_function")
        self.calibrator_ = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        self.calibrator_.fit(scores, y)
        return self

    def predict_proba(self, X):
        return self.calibrator_.predict_proba(self.model_.decision_function(X))


def make_row(name, args):
    seed = args.seed
    if name == "none":
        return MNISTClassifier(random_state=seed)
    if name == "oof-logistic":
        return OutOfFoldLogistic(seed)
    if name == "true":
        return MNISTClassifier(probability=True, random_state=seed)
    if name == "fast":
        return MNISTClassifier(probability="fast", random_state=seed)
    if name.startswith("ccv-"):
        method = name.split("-")[1]
        ensemble = not name.endswith("-single")
        folds = StratifiedKFold(3, shuffle=True, random_state=seed)
        return CalibratedClassifierCV(MNISTClassifier(random_state=seed), method=method,
                                      cv=folds, ensemble=ensemble)
    msg = f"unknown row {name!r}"
    raise SystemExit(msg)


ROWS = ["none", "fast", "true", "oof-logistic", "ccv-sigmoid", "ccv-sigmoid-single", "ccv-isotonic",
        "ccv-temperature", "ccv-temperature-single"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=None,
                        help="training images taken from the 50,000 of the split")
    parser.add_argument("--validation-size", type=int, default=10_000)
    parser.add_argument("--only", default=",".join(ROWS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="fits of each row; the fastest counts")
    args = parser.parse_args(argv)

    X, y = fetch_mnist(subset="train", return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=args.validation_size, stratify=y, random_state=args.seed)
    if args.train_size:
        X_train, y_train = X_train[: args.train_size], y_train[: args.train_size]
    print(f"# {len(y_train)} training / {len(y_val)} validation images from the MNIST "
          f"training set; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
    header = (f"{'method':<24} {'fit s':>7} {'fit CPU s':>9} {'vs none':>8} {'proba s':>8} "
              f"{'accuracy':>9} {'log loss':>9} {'Brier':>7}")
    print(header)
    print("-" * len(header), flush=True)
    reference = None
    for name in args.only.split(","):
        fit_s = fit_cpu = float("inf")
        for _ in range(args.repeat):
            model = make_row(name, args)
            start, cpu = time.perf_counter(), time.process_time()
            model.fit(X_train, y_train)
            fit_s = min(fit_s, time.perf_counter() - start)
            fit_cpu = min(fit_cpu, time.process_time() - cpu)
        if name == "none":
            reference = fit_cpu
            start = time.perf_counter()
            y_pred = model.predict(X_val)
            proba_s = time.perf_counter() - start
            cells = ["", f"{proba_s:8.1f}", f"{accuracy_score(y_val, y_pred):9.4f}", "", ""]
        else:
            start = time.perf_counter()
            proba = model.predict_proba(X_val)
            proba_s = time.perf_counter() - start
            classes = np.arange(proba.shape[1])
            y_pred = classes[proba.argmax(axis=1)]
            cells = [
                f"{fit_cpu / reference - 1:+8.0%}" if reference else "",
                f"{proba_s:8.1f}",
                f"{accuracy_score(y_val, y_pred):9.4f}",
                f"{log_loss(y_val, proba, labels=classes):9.4f}",
                f"{brier(y_val, proba, classes):7.4f}",
            ]
        vs = cells[0] if name != "none" else ""
        print(f"{name:<24} {fit_s:7.1f} {fit_cpu:9.1f} {vs:>8} {cells[1]} {cells[2]} "
              f"{cells[3]:>9} {cells[4]:>7}", flush=True)


if __name__ == "__main__":
    main()
