"""Tune the HOG + PCA + RBF-SVC recipe on a validation split of the TRAINING set.

The last ``--val-size`` training images are held out for validation; the
official test set is never read.  Features (deskew + HOG) are computed once
per HOG setting; PCA and the SVC are refitted per grid point.

Example::

    python benchmarks/tune_svc.py --npz mnist.npz --train-size 20000 \
        --components 40 60 80 --C 5 10 20 --gamma-mult 0.5 1 2
"""

import argparse
import itertools
import os
import time

import numpy as np
from _research import shift_images  # beside this script
from sklearn.decomposition import PCA
from sklearn.svm import SVC

from mnistkit.classifier import Deskew, HOGFeatures


def load_train(npz):
    """Return (X, y) of the official training images, X flattened (n, 784)."""
    with np.load(npz) as d:
        X, y = d["x_train"], d["y_train"]
    return X.reshape(len(X), -1), y


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--npz",
        default=os.environ.get("MNISTKIT_NPZ"),
        help="npz with x_train/y_train (default: $MNISTKIT_NPZ)",
    )
    parser.add_argument(
        "--train-size",
        type=int,
        default=20000,
        help="training images used for fitting (taken from the start)",
    )
    parser.add_argument(
        "--val-size",
        type=int,
        default=10000,
        help="validation images (taken from the end of the training set)",
    )
    parser.add_argument("--no-deskew", action="store_true")
    parser.add_argument("--orientations", type=int, nargs="+", default=[9])
    parser.add_argument(
        "--cell", type=str, nargs="+", default=["8:4"], help="cell_size:cell_stride pairs"
    )
    parser.add_argument("--components", type=int, nargs="+", default=[60])
    parser.add_argument("--whiten", action="store_true")
    parser.add_argument("--C", type=float, nargs="+", default=[10.0])
    parser.add_argument(
        "--gamma-mult",
        type=float,
        nargs="+",
        default=[1.0],
        help="multiples of gamma='scale' = 1 / (n_features * X.var())",
    )
    parser.add_argument(
        "--virtual", action="store_true", help="also retrain on SVs + 4 one-pixel-shifted copies"
    )
    args = parser.parse_args(argv)
    if args.npz is None:
        parser.error("give --npz or set MNISTKIT_NPZ")

    X, y = load_train(args.npz)
    if args.train_size + args.val_size > len(X):
        parser.error("train-size + val-size exceeds the training set")
    X_tr, y_tr = X[: args.train_size], y[: args.train_size]
    X_va, y_va = X[-args.val_size :], y[-args.val_size :]

    t0 = time.perf_counter()
    if not args.no_deskew:
        deskew = Deskew().fit(X_tr)
        X_tr, X_va = deskew.transform(X_tr), deskew.transform(X_va)
    print(f"deskew: {time.perf_counter() - t0:.1f} s")

    header = (
        f"{'bins':>4} {'cell':>5} {'pca':>4} {'C':>6} {'gamma':>8} {'val_acc':>8} "
        f"{'n_sv':>6} {'fit_s':>6} {'pred_s':>6}"
    )
    print(header)
    print("-" * len(header))
    results = []
    for bins, cell in itertools.product(args.orientations, args.cell):
        size, stride = (int(v) for v in cell.split(":"))
        hog = HOGFeatures(orientations=bins, cell_size=size, cell_stride=stride).fit(X_tr)
        t0 = time.perf_counter()
        H_tr, H_va = hog.transform(X_tr), hog.transform(X_va)
        t_hog = time.perf_counter() - t0
        for n_comp in args.components:
            t0 = time.perf_counter()
            pca = PCA(n_comp, whiten=args.whiten, random_state=0).fit(H_tr)
            Z_tr = pca.transform(H_tr).astype(np.float32)
            Z_va = pca.transform(H_va).astype(np.float32)
            t_pca = time.perf_counter() - t0 + t_hog
            scale = 1.0 / (Z_tr.shape[1] * Z_tr.var())
            for C, mult in itertools.product(args.C, args.gamma_mult):
                gamma = mult * scale
                t0 = time.perf_counter()
                svc = SVC(C=C, gamma=gamma, cache_size=2000).fit(Z_tr, y_tr)
                t_fit = time.perf_counter() - t0 + t_pca
                t0 = time.perf_counter()
                acc = float((svc.predict(Z_va) == y_va).mean())
                t_pred = time.perf_counter() - t0
                rows = [("", svc, acc, t_fit, t_pred)]
                if args.virtual:
                    t0 = time.perf_counter()
                    sv = svc.support_
                    parts = [Z_tr[sv]] + [
                        pca.transform(hog.transform(shift_images(X_tr[sv], dy, dx)))
                        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1))
                    ]
                    vsvc = SVC(C=C, gamma=gamma, cache_size=2000).fit(
                        np.vstack(parts).astype(np.float32), np.tile(y_tr[sv], len(parts))
                    )
                    t_vfit = t_fit + time.perf_counter() - t0
                    t0 = time.perf_counter()
                    vacc = float((vsvc.predict(Z_va) == y_va).mean())
                    rows.append(("+vsv", vsvc, vacc, t_vfit, time.perf_counter() - t0))
                for tag, model, a, tf, tp in rows:
                    print(
                        f"{bins:>4} {cell:>5} {n_comp:>4} {C:>6g} {gamma:>8.4g} "
                        f"{a:>8.4f} {model.n_support_.sum():>6} {tf:>6.1f} {tp:>6.1f} {tag}",
                        flush=True,
                    )
                    results.append((a, bins, cell, n_comp, C, gamma, tag))
    best = max(results)
    print(
        f"best: val_acc={best[0]:.4f} bins={best[1]} cell={best[2]} pca={best[3]} "
        f"C={best[4]:g} gamma={best[5]:.4g} {best[6]}"
    )


if __name__ == "__main__":
    main()
