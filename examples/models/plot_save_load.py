"""
Saving and loading a model
==========================

Training takes time; predicting should not have to wait for it.
:meth:`MNISTClassifier.save <mnistkit.MNISTClassifier.save>` writes a fitted
model to a file and :func:`~mnistkit.load_model` reads it back, checking the
file first, and never running code from it.
"""

# %%
# Train a model
# -------------
import os

from mnistkit import MNISTClassifier, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

clf = MNISTClassifier(random_state=0).fit(train.data, train.target)

# %%
# Save it
# -------
# The file is compressed, written to a temporary name and renamed when
# complete, so an interrupted save never leaves half a model behind. Here it
# goes to a temporary folder; in your project, choose a lasting place.
import tempfile
from pathlib import Path

folder = Path(tempfile.mkdtemp())
path = clf.save(folder / "digits.mnistkit")
print(f"{Path(path).name}: {Path(path).stat().st_size / 1e6:.1f} MB")

# %%
# The file begins with a readable header: the versions it was made with and a
# SHA-256 of the rest, which :func:`~mnistkit.load_model` checks first.
import json

with open(path, "rb") as f:
    print(f.readline().decode().strip())
    header = json.loads(f.readline())
for key, value in header.items():
    print(f"  {key}: {value}")

# %%
# Load it and predict
# -------------------
# The loaded model predicts exactly as the one that was saved.
import numpy as np

from mnistkit import load_model

loaded = load_model(path)
same = np.array_equal(loaded.predict(test.data), clf.predict(test.data))
print(f"loaded: {loaded}")
print(f"same predictions as before saving: {same}")
print(f"test accuracy: {loaded.score(test.data, test.target):.2%}")

# %%
# The first test digits, as the loaded model reads them:
from mnistkit import plot_digits

grid = plot_digits(test.images[:8], test.target[:8], loaded.predict(test.data[:8]), n_cols=4)
# sphinx_gallery_thumbnail_number = 1

# %%
# Files that are refused
# ----------------------
# A truncated file (a copy cut short, a download that stopped) is refused with
# a message that says so, before the model is read; so is a file of
# another kind, or one saved with another scikit-learn version, which
# scikit-learn cannot load safely.
import textwrap

truncated = folder / "truncated.mnistkit"
truncated.write_bytes(Path(path).read_bytes()[:-1000])
try:
    load_model(truncated)
except ValueError as error:
    message = str(error).replace(str(folder), "<folder>")
    print(textwrap.fill(f"ValueError: {message}", 79))

# %%
# .. note::
#
#    A model file holds the model's parameters and arrays, not a pickle:
#    loading one never runs code from it. Files of mnistkit 0.1 were pickles;
#    :func:`~mnistkit.load_model` loads them only with ``trusted=True``.
