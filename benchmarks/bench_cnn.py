"""The network of ``MNISTClassifier(backend="cnn")`` on MNIST: fit time, test accuracy,
prediction time, single-image latency and model file size, for one or more numbers of
epochs.

Usage::

    MNISTKIT_MIRROR=http://127.0.0.1:8765/ python benchmarks/bench_cnn.py
    python benchmarks/bench_cnn.py --epochs 10,30 --device cuda    # default and longer, GPU
    python benchmarks/bench_cnn.py --limit 2000 --epochs 1         # a quick check
    python benchmarks/bench_cnn.py --epochs 15 --networks 3 --device cuda  # an ensemble
    python benchmarks/bench_cnn.py --validation --accurate-svm   # a network and the SVMs
    python benchmarks/bench_cnn.py --validation --channels 32,64,128  # choosing a network
    python benchmarks/bench_cnn.py --validation --channels 32,64 --convolutions 1 --kernel 5
                                                   # the backend's first network

Needs the torch extra (``pip install -e ".[torch]"``). Data: the official split (60,000
training / 10,000 test images) from ``fetch_mnist``, so the cache, ``MNISTKIT_DATA_DIR``
and ``MNISTKIT_MIRROR`` apply; ``--limit N`` trains on a stratified random N of the
training images (the test set stays whole); ``--validation`` trains on the training
images less a stratified 10,000 and scores on those instead of the test set, to choose
settings. Each row fits ``MNISTClassifier(backend="cnn", epochs=E, random_state=SEED)``
with ``backend_params={"device": DEVICE}`` (and ``"channels"``, ``"convolutions"`` and
``"kernel"`` with the options of those names). The
device is woken (CUDA's context made) before the clock starts, so that fit times are the
network's own. Times are wall-clock seconds; the latency is the median of ``--calls``
predictions of one image each, after 20 to warm up; the model file is what
``MNISTClassifier.save`` writes (for an ensemble, ``--networks K``, the K files
together: scikit-learn's ``VotingClassifier`` averaging the probabilities of networks of
K seeds; the table then gives each member's errors beside the ensemble's).
``--accurate-svm`` adds ``MNISTClassifier(mode="accurate", probability="fast")`` to the
ensemble, a model of another kind, whose mistakes may be other ones.
"""

import argparse
import os
import platform
import statistics
import tempfile
import time

from bench_classifier import load  # the official split, or a stratified part of it


def wake(device, n_jobs=None):
    """Make the device's context now, so that the first fit's clock does not count it."""
    import torch

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.zeros(1, device=device).sum().item()
    if torch.device(device).type == "cuda":
        return torch.cuda.get_device_name(torch.device(device))
    # The threads fit will set (n_jobs), else torch's own setting.
    threads = torch.get_num_threads() if not n_jobs else n_jobs if n_jobs > 0 else os.cpu_count()
    return f"CPU, {threads} torch threads"


def network(epochs, device, seed, n_jobs, shape=None):
    """The classifier; ``shape``: backend_params that set the network's layers."""
    from mnistkit import MNISTClassifier

    params = {"device": device, **(shape or {})}
    return MNISTClassifier(
        backend="cnn",
        epochs=epochs,
        n_jobs=n_jobs,
        random_state=seed,
        backend_params=params,
    )


def validation_data(seed):
    """The training images less a stratified 10,000 of them, and those 10,000."""
    from _research import validation_split  # beside this script

    from mnistkit import fetch_mnist

    X, y = fetch_mnist(subset="train", return_X_y=True)
    train, held_out = validation_split(y, seed)
    return X[train], y[train], X[held_out], y[held_out]


def accurate_svm(seed, n_jobs):
    """The SVM committee of ``mode="accurate"``, with the probabilities an ensemble averages."""
    from mnistkit import MNISTClassifier

    return MNISTClassifier(mode="accurate", probability="fast", random_state=seed, n_jobs=n_jobs)


def run_row(epochs, device, data, seed, calls, n_jobs, networks=1, shape=None, svm=False):
    X, y, X_test, y_test = data
    members = [(f"cnn{k}", network(epochs, device, seed + k, n_jobs, shape))
               for k in range(networks)]
    if svm:
        members.append(("accurate", accurate_svm(seed, n_jobs)))
    if len(members) == 1:
        model = members[0][1]
    else:
        # A small ensemble: networks of other seeds (other initial weights, other
        # random distortions), and with --accurate-svm a model of another kind, whose
        # mistakes may be other ones; their probabilities averaged, fitted one after the
        # other.
        from sklearn.ensemble import VotingClassifier

        model = VotingClassifier(members, voting="soft")
    start = time.perf_counter()
    model.fit(X, y)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = model.predict(X_test)
    predict = time.perf_counter() - start
    for i in range(20):
        model.predict(X_test[i : i + 1])
    latencies = []
    for i in range(calls):
        one = X_test[i % len(X_test) : i % len(X_test) + 1]
        start = time.perf_counter()
        model.predict(one)
        latencies.append(time.perf_counter() - start)
    fitted = getattr(model, "estimators_", [model])
    with tempfile.TemporaryDirectory() as folder:
        size = sum(
            os.path.getsize(one.save(os.path.join(folder, f"cnn{k}.mnistkit")))
            for k, one in enumerate(fitted)
        )
    errors = int((y_pred != y_test).sum())
    # Each member's own errors, so that an ensemble's run also says what one member makes
    # (VotingClassifier's members learnt the labels as encoded by its le_).
    each = [errors]
    if len(fitted) > 1:
        each = [int((model.le_.inverse_transform(one.predict(X_test)) != y_test).sum())
                for one in fitted]
    return {
        "epochs": epochs,
        "networks": f"{networks} + SVM" if svm else networks,
        "fit": fit,
        "accuracy": 1 - errors / len(y_test),
        "errors": errors,
        "each": each,
        "predict": predict,
        "latency_ms": 1000 * statistics.median(latencies),
        "size_mb": size / 1e6,
    }


def table(rows, markdown, scored="test"):
    header = [
        "epochs",
        "networks",
        "fit s",
        f"{scored} accuracy",
        "errors",
        "each member's errors",
        "predict s (10k)",
        "1-image ms",
        "file MB",
    ]
    cells = [
        [
            str(r["epochs"]),
            str(r["networks"]),
            f"{r['fit']:.1f}",
            f"{r['accuracy']:.4f}",
            str(r["errors"]),
            ", ".join(str(e) for e in r["each"]),
            f"{r['predict']:.2f}",
            f"{r['latency_ms']:.2f}",
            f"{r['size_mb']:.2f}",
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + " ---: |" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--epochs",
        default="10",
        help="comma-separated numbers of epochs, one row each (default: 10, the library's default)",
    )
    parser.add_argument(
        "--device",
        default="auto",
        help="auto (the GPU when torch sees one), cpu, cuda, cuda:1, ...",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="train on a stratified random N of the training images",
    )
    parser.add_argument(
        "--networks",
        default="1",
        help="comma-separated ensemble sizes, each run with every number of epochs: K > 1 "
        "averages the probabilities of K networks of seeds SEED to SEED+K-1 (default: 1)",
    )
    parser.add_argument(
        "--accurate-svm",
        action="store_true",
        help="add MNISTClassifier(mode='accurate', probability='fast') to the ensemble: its "
        "probabilities averaged with the networks' (another kind of model, other mistakes)",
    )
    parser.add_argument(
        "--channels",
        default=None,
        help="comma-separated output channels of the convolution blocks, one block each "
        "(default: the library's, 24,48)",
    )
    parser.add_argument(
        "--convolutions",
        type=int,
        default=None,
        help="convolutions in each block (default: the library's, 2)",
    )
    parser.add_argument(
        "--kernel",
        type=int,
        default=None,
        help="side of each convolution's kernel, odd (default: the library's, 3)",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="to choose settings: train on the training images less a stratified 10,000 "
        "(drawn by --seed) and score on those, never on the test set",
    )
    parser.add_argument(
        "--seed", type=int, default=0,
        help="draws the images held out or the --limit part, and seeds the networks",
    )
    parser.add_argument(
        "--network-seed", type=int, default=None,
        help="seeds the networks instead (the same images held out, another network)",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="torch's CPU threads (default: torch's own setting)",
    )
    parser.add_argument(
        "--calls", type=int, default=200, help="single-image predictions timed for the latency"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    import sklearn
    import skorch
    import torch

    import mnistkit

    data = validation_data(args.seed) if args.validation else load(args.limit, args.seed)
    network_seed = args.seed if args.network_seed is None else args.network_seed
    shape = {}
    if args.channels:
        shape["channels"] = tuple(int(c) for c in args.channels.split(","))
    for key in ("convolutions", "kernel"):
        if getattr(args, key) is not None:
            shape[key] = getattr(args, key)
    where = wake(args.device, args.n_jobs)
    rows = []
    for networks in (int(k) for k in args.networks.split(",")):
        for epochs in (int(e) for e in args.epochs.split(",")):
            rows.append(
                run_row(epochs, args.device, data, network_seed, args.calls, args.n_jobs, networks,
                        shape, args.accurate_svm)
            )
            print(
                f"[bench_cnn] epochs={epochs}, networks={networks}: {rows[-1]['fit']:.1f} s, "
                f"{rows[-1]['accuracy']:.4f}",
                flush=True,
            )
    print()
    scored = "validation images held out of the training set" if args.validation else "test images"
    print(
        f"MNISTClassifier(backend='cnn', backend_params={shape or 'default'})"
        f"{' with the accurate SVMs' if args.accurate_svm else ''} on "
        f"{len(data[1]):,} training and {len(data[3]):,} {scored}; device {args.device} "
        f"({where}), seed {args.seed}, networks' seed {network_seed}."
    )
    print(
        f"mnistkit {mnistkit.__version__}, torch {torch.__version__}, skorch "
        f"{skorch.__version__}, scikit-learn {sklearn.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs."
    )
    print()
    print(table(rows, args.markdown, "validation" if args.validation else "test"))


if __name__ == "__main__":
    main()
