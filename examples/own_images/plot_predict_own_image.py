"""
Predicting digits from your own photos and scans
================================================

A model trained on MNIST expects MNIST's format: 28 x 28 pixels, a light digit
on a black background, scaled to fit a 20 x 20 box and centred by its centre
of mass. A phone photo of a digit is none of these: a dark digit on paper that
is lit unevenly, with noise, anywhere in a picture of any size.
:func:`~mnistkit.read_digit_image` takes the paper's shading out, finds the ink
with Otsu's threshold, drops specks and lines, and repeats MNIST's own steps,
so that the model sees what it was trained on; :func:`~mnistkit.read_number`
does the same for several digits in a row.

To stay self-contained, this example makes its own image files from the
sample's test digits: a shaded photo of one digit, and a photo of a number.
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
# Make two photo-like files
# -------------------------
# Dark ink on light paper, lit from the left so that the right side of the page
# is half as bright, with a little blur and sensor noise, saved as JPEG. The
# second picture holds four digits in a row, and a few specks of dust.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from scipy import ndimage

folder = Path(tempfile.mkdtemp())
rng = np.random.default_rng(0)
test = load_sample(subset="test")


def photo(ink, path):
    """Write ink (light on dark, 0-255) as a shaded, noisy photo of dark ink on paper."""
    ink = ndimage.zoom(ink / 255.0, 8, order=3).clip(0, 1)
    ink = np.pad(ink, ((40, 40), (60, 60)))
    light = np.linspace(1.0, 0.5, ink.shape[1])[None, :]  # shading across the page
    picture = 235 * light * (1 - 0.85 * ink)
    picture = ndimage.gaussian_filter(picture, 1.5) + rng.normal(0, 4, ink.shape)
    for row, col in rng.integers(10, 60, size=(4, 2)):  # dust in the margin
        picture[row : row + 3, col : col + 3] = 60
    Image.fromarray(picture.clip(0, 255).astype(np.uint8)).save(path, quality=85)
    return path


digit_path = photo(test.images[3], folder / "digit_photo.jpg")
number_path = photo(np.hstack([np.pad(image, ((0, 0), (2, 2))) for image in test.images[:4]]),
                    folder / "number_photo.jpg")
print(f"the digit is a {test.target[3]}; the number is {''.join(map(str, test.target[:4]))}")

# %%
# Read the digit in MNIST's format
# --------------------------------
# :func:`~mnistkit.read_digit_image` returns the 784 pixels of the digit as
# MNIST stores them.
from mnistkit import read_digit_image

pixels = read_digit_image(digit_path)
proba = clf.predict_proba(pixels[None, :])[0]
best = np.argsort(proba)[::-1][:3]
print(", ".join(f"{clf.classes_[k]} ({proba[k]:.2f})" for k in best))

# %%
# Read the number
# ---------------
# :func:`~mnistkit.read_number` splits the picture into digits, left to right,
# and with a model reads each: its ``text``, ``digits``, ``scores`` (the
# probability of each digit) and the ``boxes`` where it found them. A point,
# a comma, a colon or a dash between the digits is kept in ``separators`` and
# in ``text`` ("3.5", "12:45"); this number has none.
from mnistkit import read_number

reading = read_number(number_path, model=clf)
print(f"{len(reading)} digits: {reading.text}, scores {np.round(reading.scores, 2)}")

# %%
# The files as they are, and what the model saw
# ---------------------------------------------
# Always look: the right column is exactly what the model classifies. The
# shading, the noise and the dust are gone; the strokes keep MNIST's grey edges.
fig, axes = plt.subplots(2, 5, figsize=(9, 3.6), layout="constrained",
                         gridspec_kw={"width_ratios": [3, 1, 1, 1, 1]})
for ax in axes.flat:
    ax.set_axis_off()
axes[0, 0].imshow(plt.imread(digit_path), cmap="gray", vmin=0, vmax=255)
axes[0, 0].set_title("digit_photo.jpg", fontsize=9)
axes[0, 1].imshow(pixels.reshape(28, 28), cmap="gray")
axes[0, 1].set_title("model saw", fontsize=9)
axes[1, 0].imshow(plt.imread(number_path), cmap="gray", vmin=0, vmax=255)
for top, left, bottom, right in reading.boxes:
    axes[1, 0].add_patch(plt.Rectangle((left, top), right - left, bottom - top,
                                       fill=False, edgecolor="tab:red"))
axes[1, 0].set_title("number_photo.jpg, the digits found", fontsize=9)
for ax, digit_pixels, digit in zip(axes[1, 1:], reading.pixels, reading.digits,
                                   strict=True):
    ax.imshow(digit_pixels.reshape(28, 28), cmap="gray")
    ax.set_title(f"read as {digit}", fontsize=9)

# %%
# Arrays instead of files
# -----------------------
# A picture already in memory (from a camera, a canvas, a PDF page) goes
# through :func:`~mnistkit.to_mnist_format`, which does the same from an
# array: greyscale, RGB or RGBA, any size and value range.
from mnistkit import to_mnist_format

same = np.array_equal(to_mnist_format(np.asarray(Image.open(digit_path))), pixels)
print(f"same pixels as read_digit_image: {same}")

# %%
# From the command line
# ---------------------
# ``mnistkit predict`` does all of this for image files, with a model saved by
# ``mnistkit train``; ``--show`` writes what the model saw next to each input,
# and ``--number`` reads numbers::
#
#     mnistkit train --backend svc -o svc.mnistkit
#     mnistkit predict svc.mnistkit digit_photo.jpg --show seen/
#     mnistkit predict svc.mnistkit number_photo.jpg --number
