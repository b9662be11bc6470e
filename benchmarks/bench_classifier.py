"""Train every MNISTClassifier mode and backend, and plain scikit-learn recipes, on the
same data in one run; print fit and predict times, single-image latency, accuracy,
model size and peak memory, with the ratios between mnistkit and the plain recipes.

Usage::

    MNISTKIT_MIRROR=http://127.0.0.1:8765/ python benchmarks/bench_classifier.py
    python benchmarks/bench_classifier.py --train-size 10000      # quick run
    python benchmarks/bench_classifier.py --only default,accurate,svc-ovr --baselines none

Data: the official split (60,000 training / 10,000 test images) from
``fetch_mnist``, so the cache, ``MNISTKIT_DATA_DIR`` and ``MNISTKIT_MIRROR`` apply.
Each row runs in a fresh Python process (this script with ``--row``), one after
the other, so that its peak memory (resident set size, data set included) is its
own and rows do not compete for the cores. Times are wall-clock seconds.
"""

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import joblib
import numpy as np

MNISTKIT_ROWS = {
    "default": ("MNISTClassifier()", {}),
    "writers": ("MNISTClassifier(augment='writers')", {"augment": "writers"}),
    "accurate": ("MNISTClassifier(mode='accurate', n_jobs=2)", {"mode": "accurate",
                                                                "n_jobs": 2}),
    "svc-ovr": ("MNISTClassifier(multiclass='ovr', n_jobs=2)", {"multiclass": "ovr",
                                                                  "n_jobs": 2}),
    "sgd": ("MNISTClassifier(backend='sgd')", {"backend": "sgd"}),
    "rf": ("MNISTClassifier(backend='rf', n_jobs=2)", {"backend": "rf", "n_jobs": 2}),
    "logistic": ("MNISTClassifier(backend='logistic')", {"backend": "logistic"}),
}

# Plain scikit-learn recipes, and the mnistkit row each is compared with.
BASELINES = {
    "plain-pca-svc": ("pixels/255 + PCA(50) + SVC(C=10)", "default"),
    "plain-svc": ("pixels/255 + SVC(C=10)", "accurate"),
    "plain-sgd": ("pixels/255 + SGDClassifier()", "sgd"),
    "plain-rf": ("RandomForestClassifier(100, n_jobs=2)", "rf"),
    "plain-std-sgd": ("StandardScaler + SGDClassifier()", "sgd"),
}
SLOW_BASELINES = {"plain-svc", "plain-std-sgd"}


def make_baseline(key):
    from sklearn.decomposition import PCA
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler
    from sklearn.svm import SVC

    def scale():
        return FunctionTransformer(lambda X: X / 255.0)

    return {
        "plain-pca-svc": lambda: make_pipeline(scale(), PCA(50, random_state=0), SVC(C=10)),
        "plain-svc": lambda: make_pipeline(scale(), SVC(C=10)),
        "plain-sgd": lambda: make_pipeline(scale(), SGDClassifier(random_state=0)),
        "plain-rf": lambda: RandomForestClassifier(100, n_jobs=2, random_state=0),
        "plain-std-sgd": lambda: make_pipeline(StandardScaler(), SGDClassifier(random_state=0)),
    }[key]()


def load(train_size, seed):
    from mnistkit import fetch_mnist

    X, y = fetch_mnist(subset="train", return_X_y=True)
    X_test, y_test = fetch_mnist(subset="test", return_X_y=True)
    if train_size and train_size < len(y):
        from sklearn.model_selection import train_test_split

        X, _, y, _ = train_test_split(X, y, train_size=train_size, stratify=y, random_state=seed)
    return X, y, X_test, y_test


def run_row(key, train_size, seed):
    """Fit, time and measure one row; runs in its own process."""
    X, y, X_test, y_test = load(train_size, seed)
    if key in MNISTKIT_ROWS:
        from mnistkit import MNISTClassifier

        model = MNISTClassifier(random_state=seed, **MNISTKIT_ROWS[key][1])
    else:
        model = make_baseline(key)
    start = time.perf_counter()
    model.fit(X, y)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = model.predict(X_test)
    predict_time = time.perf_counter() - start
    latencies = []
    for i in range(200):
        start = time.perf_counter()
        model.predict(X_test[i : i + 1])
        latencies.append(time.perf_counter() - start)
    buffer = io.BytesIO()
    if key in MNISTKIT_ROWS:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            size = os.path.getsize(model.save(os.path.join(tmp, "model.mnistkit")))
    else:
        # A FunctionTransformer with a lambda does not pickle; drop it for the size.
        steps = getattr(model, "steps", None)
        joblib.dump([s for _, s in steps[1:]] if steps else model, buffer, compress=3)
        size = buffer.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "fit": fit_time,
        "predict": predict_time,
        "latency_ms": 1000 * statistics.median(latencies),
        "accuracy": float(np.mean(y_pred == y_test)),
        "errors": int(np.sum(y_pred != y_test)),
        "size_mb": size / 1e6,
        "peak_gb": peak / 1e9,
        "n_train": len(y),
    }


def describe(key):
    return MNISTKIT_ROWS[key][0] if key in MNISTKIT_ROWS else BASELINES[key][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=None,
                        help="train on a stratified subsample of this many images")
    parser.add_argument("--only", default=",".join(MNISTKIT_ROWS),
                        help="comma-separated mnistkit rows (default: all)")
    parser.add_argument("--baselines", choices=["fast", "all", "none"], default="fast",
                        help="plain recipes to run too; 'all' adds the slow full-pixel "
                             "SVC and standard-scaled SGD (several minutes)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--row", help=argparse.SUPPRESS)  # internal: run one row, print JSON
    args = parser.parse_args()
    if args.row:
        print(json.dumps(run_row(args.row, args.train_size, args.seed)))
        return

    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = set(keys) - set(MNISTKIT_ROWS)
    if unknown:
        parser.error(f"unknown rows {sorted(unknown)}; choose from {list(MNISTKIT_ROWS)}")
    if args.baselines != "none":
        keys += [k for k in BASELINES if args.baselines == "all" or k not in SLOW_BASELINES]

    load(args.train_size, args.seed)  # download once, before any timing
    results = {}
    for key in keys:
        print(f"[bench] {describe(key)} ...", file=sys.stderr, flush=True)
        # A plain child process rather than a process pool: a pool's worker waits at
        # exit for the joblib workers an n_jobs=2 model started, for minutes.
        command = [sys.executable, __file__, "--row", key, "--seed", str(args.seed)]
        if args.train_size:
            command += ["--train-size", str(args.train_size)]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        results[key] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[key]
        print(f"[bench]   fit {r['fit']:.1f} s, accuracy {r['accuracy']:.2%}",
              file=sys.stderr, flush=True)

    n_train = next(iter(results.values()))["n_train"]
    print(f"# MNIST, {n_train:,} training / 10,000 test images; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d')}")
    header = ["model", "fit s", "predict 10k s", "1 image ms", "accuracy", "errors", "model MB",
              "peak GB", "fit speed-up vs plain", "errors vs plain"]
    rows = []
    for key, r in results.items():
        ratio_fit = ratio_err = ""
        plain = next((b for b, (_, row) in BASELINES.items() if row == key and b in results),
                     None)
        if plain:
            p = results[plain]
            ratio_fit = f"{p['fit'] / r['fit']:.1f}x ({BASELINES[plain][0]})"
            ratio_err = f"{(1 - r['accuracy']) / max(1 - p['accuracy'], 1e-9):.2f}x"
        rows.append([describe(key), f"{r['fit']:.1f}", f"{r['predict']:.2f}",
                     f"{r['latency_ms']:.2f}", f"{r['accuracy']:.2%}", str(r["errors"]),
                     f"{r['size_mb']:.1f}",
                     f"{r['peak_gb']:.2f}", ratio_fit, ratio_err])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
        for row in [header, *rows]:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
