"""How MNIST-like are tiny pictures once read? The grey levels of their strokes, and verdicts.

An 8x8 digit is enlarged smoothly before it is read, which blurs its strokes,
where MNIST's have solid cores and steep edges. This script prints, for the
28x28 pictures the reading gives, the share of the ink (pixels above 5% of
the peak) at half the peak or more and at 90% or more, and the ink's area in
pixels:

- of MNIST's training images 50,000 to 51,999 as stored (the target; never
  the test set);
- of ``load_digits``' even-indexed half (the half settings are chosen on),
  8x8 with a 2-pixel margin, and the 8x8 arrays as ``load_digits`` gives
  them, read with :func:`mnistkit.to_mnist_format`.

With ``--model FILE`` (repeatable; a file from ``mnistkit train``), each
model's accuracy on those pictures and the verdicts of
:meth:`~mnistkit.MNISTClassifier.assess` ("digit", "unsure", "not a
digit"). Run it with ``PYTHONPATH=`` a checkout of another commit to see
that commit's reading.

Usage::

    MNISTKIT_DATA_DIR=... python benchmarks/explore_tiny_pictures.py \\
        --model default.mnistkit --model writers.mnistkit
"""

import argparse
from pathlib import Path

import numpy as np

VALIDATION = slice(50_000, 52_000)  # training images, never the test set
_INK = 0.05  # of the peak: fainter is paper


def ink_levels(pixels):
    """Shares of the ink at half its peak or more and at 90% or more, and its mean area."""
    pixels = np.asarray(pixels, dtype=float) / 255
    ink = pixels[pixels > _INK]
    return np.mean(ink >= 0.5), np.mean(ink >= 0.9), (pixels > _INK).sum(axis=1).mean()


def even_half_pictures():
    """load_digits' even half, dark on white: 8x8 with a 2-pixel margin, and as given."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images, labels = digits.images[0::2], digits.target[0::2]
    dark = [(255 - np.round(image * 255 / 16)).astype(np.uint8) for image in images]
    return {
        "8x8 with a margin": [np.pad(image, 2, constant_values=255) for image in dark],
        "8x8 as given": dark,
    }, labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", default=[], metavar="FILE",
                        help="a model file (repeatable): its accuracy and assess's verdicts")
    args = parser.parse_args()

    from mnistkit import fetch_mnist, load_model, to_mnist_format

    X, _ = fetch_mnist(subset="train", return_X_y=True)
    rows = [("MNIST training images 50,000-51,999, as stored", X[VALIDATION], None)]
    groups, labels = even_half_pictures()
    for name, pictures in groups.items():
        read = np.array([to_mnist_format(picture) for picture in pictures])
        rows.append((f"load_digits even half, {name}, read", read, labels))
    models = {Path(path).name: load_model(path) for path in args.model}

    print(f"{'pictures':52s} {'>= half':>8s} {'>= 90%':>7s} {'area':>6s}")
    for name, pixels, _ in rows:
        at_half, at_peak, area = ink_levels(pixels)
        print(f"{name:52s} {at_half:8.2f} {at_peak:7.2f} {area:6.0f}")
    for model_name, model in models.items():
        print(f"\n{model_name}:")
        for name, pixels, truth in rows[1:]:
            assessment = model.assess(pixels)
            verdicts = np.asarray(assessment.verdict)
            counts = ", ".join(f"{verdict} {int(np.sum(verdicts == verdict))}"
                               for verdict in ("digit", "unsure", "not a digit"))
            accuracy = np.mean(assessment.prediction == truth)
            print(f"  {name}: accuracy {accuracy:.1%} of {len(truth)}; {counts}")


if __name__ == "__main__":
    main()
