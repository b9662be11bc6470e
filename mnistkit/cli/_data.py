"""Loading the training and test images the commands work on: MNIST or the sample, two splits."""

import sys
from dataclasses import dataclass

import numpy as np

STRATIFIED_TEST_FRACTION = 0.2  # 70,000 -> 56,000 train / 14,000 test, as the classic notebook


@dataclass
class Data:
    """Training and test images, and where they come from."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    dataset: str
    split: str
    seed: int

    def source(self):
        """``"MNIST (official split)"`` or the like."""
        source = "MNIST" if self.dataset == "mnist" else "the MNIST sample shipped with mnistkit"
        split = "official split" if self.split == "official" else (
            f"stratified split, seed {self.seed}"
        )
        return f"{source} ({split})"

    def describe(self):
        """The source, with the numbers of training and test images."""
        return (
            f"{self.source()}: {len(self.y_train):,} training and "
            f"{len(self.y_test):,} test images"
        )

    def record(self):
        """What a model file keeps of the data it was trained on."""
        return {
            "dataset": self.dataset, "split": self.split, "seed": self.seed,
            "n_train": len(self.y_train),
        }


def progress(args, line):
    """Print a progress line on standard error, unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(f"[{args.command}] {line}", file=sys.stderr, flush=True)


def _load(args, subset):
    if args.dataset == "sample":
        from ..datasets import load_sample

        return load_sample(subset=subset, return_X_y=True)
    from ..datasets import fetch_mnist

    return fetch_mnist(
        subset=subset, data_home=args.data_home, mirror=args.mirror,
        return_X_y=True, progress=False if args.quiet else None,
    )


def _stratified_subset(X, y, size, seed, what):
    from sklearn.model_selection import train_test_split

    if size >= len(y):
        return X, y
    n_classes = len(np.unique(y))
    if size < n_classes:
        msg = (
            f"{what} of {size} is too small: it needs at least one image of each of the "
            f"{n_classes} digits."
        )
        raise ValueError(msg)
    X_part, _, y_part, _ = train_test_split(
        X, y, train_size=size, stratify=y, random_state=seed
    )
    return X_part, y_part


def load_data(args, *, need_train=True):
    """The data named by ``--dataset``, ``--split``, ``--seed`` and ``--train-size``."""
    from sklearn.model_selection import train_test_split

    where = "the MNIST sample" if args.dataset == "sample" else "MNIST"
    progress(args, f"loading {where}")
    if args.split == "official":
        X_test, y_test = _load(args, "test")
        X_train, y_train = _load(args, "train") if need_train else (X_test[:0], y_test[:0])
    else:
        X_all, y_all = _load(args, "all")
        X_train, X_test, y_train, y_test = train_test_split(
            X_all, y_all, test_size=STRATIFIED_TEST_FRACTION, stratify=y_all,
            random_state=args.seed,
        )
    train_size = getattr(args, "train_size", None)
    if need_train and train_size is not None:
        if train_size > len(y_train):
            msg = (
                f"--train-size {train_size:,} is more than the {len(y_train):,} training "
                f"images of {where} ({args.split} split)."
            )
            raise ValueError(msg)
        X_train, y_train = _stratified_subset(
            X_train, y_train, train_size, args.seed, "--train-size"
        )
    return Data(X_train, y_train, X_test, y_test, args.dataset, args.split, args.seed)
