"""
Predicting a digit from your own image file
===========================================

A model trained on MNIST expects MNIST's format: 28 x 28 pixels, a light digit
on a black background, scaled to fit a 20 x 20 box and centred by its centre
of mass. A photo or a drawing of a digit is none of these: usually a dark digit
on light paper, of any size, anywhere in the picture.
:func:`~mnistkit.read_digit_image` reads an image file and repeats MNIST's own
steps on it, so that the model sees what it was trained on.

To stay self-contained, this example makes its own image files: a digit drawn
with a font, and a sample digit printed large, dark on light, off-centre.
Replace the paths with your own PNG or JPEG files.
"""

# %%
# A model
# -------
import os

from mnistkit import MNISTClassifier, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train = fetch_mnist(subset="train")
else:
    train = load_sample(subset="train")

clf = MNISTClassifier(probability=True, random_state=0).fit(train.data, train.target)

# %%
# Make two image files
# --------------------
# The first is a "7" written with matplotlib's text, black on white, in a picture
# 240 pixels wide and 300 high. The second is a test digit of the sample, inverted
# to dark ink on white paper, enlarged eight times and put off-centre on a
# larger sheet: what a scan of a digit on paper looks like.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

folder = Path(tempfile.mkdtemp())

fig = plt.figure(figsize=(2.4, 3.0), dpi=100)
fig.text(0.5, 0.5, "7", fontsize=150, ha="center", va="center", family="DejaVu Sans")
drawn_path = folder / "drawn_seven.png"
fig.savefig(drawn_path, facecolor="white")
plt.close(fig)

test = load_sample(subset="test")
digit = test.images[3]  # the sample's fourth test image
ink = np.kron(digit.astype(int), np.ones((8, 8), dtype=int))  # 224 x 224, 0-255
paper = np.full((320, 400), 245)  # light grey paper
paper[60:284, 150:374] -= ink * 225 // 255  # the darkest ink is 20
scan_path = folder / "scanned_digit.png"
plt.imsave(scan_path, paper.astype(np.uint8), cmap="gray", vmin=0, vmax=255)
print(f"wrote {drawn_path.name} and {scan_path.name}; the scan shows a {test.target[3]}")

# %%
# Read them in MNIST's format
# ---------------------------
# :func:`~mnistkit.read_digit_image` returns the 784 pixels of the digit as
# MNIST stores them: grey, light on dark, cropped to the digit, scaled into a
# 20 x 20 box and centred by its centre of mass in 28 x 28 pixels.
from mnistkit import read_digit_image

paths = [drawn_path, scan_path]
pixels = np.stack([read_digit_image(path) for path in paths])
print(pixels.shape, pixels.dtype)

# %%
# The files as they are, and as the model will see them:
fig, axes = plt.subplots(2, 2, figsize=(6, 6), layout="constrained")
for row, path in enumerate(paths):
    picture = plt.imread(path)
    axes[row, 0].imshow(picture, cmap="gray")
    height, width = picture.shape[:2]
    axes[row, 0].set_title(f"{path.name}\n{width} x {height} pixels", fontsize=9)
    axes[row, 1].imshow(pixels[row].reshape(28, 28), cmap="gray")
    axes[row, 1].set_title("in MNIST's format, 28 x 28", fontsize=9)
for ax in axes.flat:
    ax.set_axis_off()

# %%
# Predict
# -------
# The pixels go to ``predict`` and ``predict_proba`` like any MNIST image.
proba = clf.predict_proba(pixels)
for path, digit_probabilities in zip(paths, proba, strict=True):
    best = np.argsort(digit_probabilities)[::-1][:3]
    guesses = ", ".join(f"{clf.classes_[k]} ({digit_probabilities[k]:.2f})" for k in best)
    print(f"{path.name}: {guesses}")

# %%
# Arrays instead of files
# -----------------------
# A picture already in memory (from a camera, a canvas, a PDF page) goes
# through :func:`~mnistkit.to_mnist_format`, which does the same from an
# array: greyscale, RGB or RGBA, any size and value range.
from mnistkit import to_mnist_format

same = np.array_equal(to_mnist_format(plt.imread(scan_path)), pixels[1])
print(f"same pixels as read_digit_image: {same}")

# %%
# From the command line
# ---------------------
# ``mnistkit predict`` does all of this for image files, with a model saved by
# ``mnistkit train``::
#
#     mnistkit train --backend svc -o svc.model
#     mnistkit predict svc.model drawn_seven.png scanned_digit.png
