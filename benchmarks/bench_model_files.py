"""Model files: save time, load time and size of the skops format against a pickle.

mnistkit 0.1 saved a model as a joblib pickle (``compress=3``) after a JSON
header; mnistkit now saves it with skops (format 2), which loads without
running code from the file. This script fits each model once, then saves and
loads it both ways and prints a table: the best of ``--repeat`` saves and loads
in this process, the first load in a new Python process (``import mnistkit``
done; for format 2 it includes importing skops), and the file size.

Usage::

    python benchmarks/bench_model_files.py                       # the shipped sample
    MNISTKIT_MIRROR=http://127.0.0.1:8765/ python benchmarks/bench_model_files.py \\
        --data mnist --models default,train,rf
    python benchmarks/bench_model_files.py --markdown

"pickle" is what ``MNISTClassifier.save`` wrote in mnistkit 0.1, less its
200-byte header: ``joblib.dump(model, compress=3)`` into memory, its SHA-256,
then the file written; loading reads the file, checks the SHA-256 and unpickles.
"skops" is ``MNISTClassifier.save`` and ``mnistkit.load_model``. Times are
wall-clock seconds.
"""

import argparse
import hashlib
import io
import os
import platform
import subprocess
import sys
import tempfile
import time

import joblib

MODELS = {
    "default": {},
    # What `mnistkit train` fits and saves.
    "train": {"probability": "fast", "augment": "writers"},
    "sgd": {"backend": "sgd"},
    "rf": {"backend": "rf", "n_jobs": 2},
    "accurate": {"mode": "accurate", "n_jobs": 2},
}


def save_pickle(model, path):
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    payload = buffer.getvalue()
    hashlib.sha256(payload).hexdigest()
    with open(path, "wb") as f:
        f.write(payload)


def load_pickle(path):
    with open(path, "rb") as f:
        payload = f.read()
    hashlib.sha256(payload).hexdigest()
    return joblib.load(io.BytesIO(payload))


def best_time(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def first_load(kind, path):
    """Seconds of the first load in a new process, after ``import mnistkit``."""
    load = ("mnistkit.load_model(path)" if kind == "skops"
            else "joblib.load(io.BytesIO(open(path, 'rb').read()))")
    code = (
        "import io, sys, time, joblib, mnistkit\n"
        f"path = {path!r}\n"
        "start = time.perf_counter()\n"
        f"{load}\n"
        "print(time.perf_counter() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                          check=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure(model, folder, repeat):
    from mnistkit import load_model

    rows = {}
    formats = {
        "pickle": (lambda path: save_pickle(model, path), load_pickle),
        "skops": (model.save, load_model),
    }
    for kind, (save, load) in formats.items():
        path = os.path.join(folder, f"{kind}.mnistkit")
        rows[kind] = {
            "save": best_time(lambda save=save, path=path: save(path), repeat),
            "load": best_time(lambda load=load, path=path: load(path), repeat),
            "first": first_load(kind, path),
            "size": os.path.getsize(path),
        }
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=["sample", "mnist"], default="sample",
                        help="the shipped sample (2,000 images) or MNIST's 60,000")
    parser.add_argument("--models", default=",".join(MODELS),
                        help=f"comma-separated, of {', '.join(MODELS)}")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    from mnistkit import MNISTClassifier, fetch_mnist, load_sample

    train = fetch_mnist(subset="train") if args.data == "mnist" else load_sample()
    header = ["model", "format", "save s", "load s", "first load s", "size MB"]
    rows = []
    for name in args.models.split(","):
        print(f"[bench] fitting {name} on {len(train.target):,} images ...", file=sys.stderr,
              flush=True)
        model = MNISTClassifier(random_state=0, **MODELS[name]).fit(train.data, train.target)
        with tempfile.TemporaryDirectory() as folder:
            results = measure(model, folder, args.repeat)
        for kind, r in results.items():
            rows.append([name, kind, f"{r['save']:.3f}", f"{r['load']:.3f}",
                         f"{r['first']:.3f}", f"{r['size'] / 1e6:.2f}"])
        ratio = results["skops"]["size"] / results["pickle"]["size"]
        print(f"[bench]   skops/pickle: size {ratio:.2f}x, load "
              f"{results['skops']['load'] / results['pickle']['load']:.1f}x",
              file=sys.stderr, flush=True)

    import skops

    print(f"# {args.data}, {len(train.target):,} training images; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, skops "
          f"{skops.__version__}, joblib {joblib.__version__}; {time.strftime('%Y-%m-%d')}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]
        for row in [header, *rows]:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
