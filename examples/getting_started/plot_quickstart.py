"""
Quick start: fetch, fit, score
==============================

The whole job in a few lines: load MNIST, look at a few digits, fit the
default :class:`~mnistkit.MNISTClassifier`, score it on the test images, and
see which digits it got wrong.
"""

# %%
# Load the data
# -------------
# :func:`~mnistkit.load_sample` returns 2,000 training and 1,000 test images of
# the real MNIST that ship with mnistkit, so this example runs without a
# download. Set ``MNISTKIT_EXAMPLES_FULL=1`` to run it on the full data set:
# :func:`~mnistkit.fetch_mnist` then downloads the 60,000 training and 10,000
# test images once, verifies them, and reads them from its cache afterwards.
# Both return the same fields.
import os

from mnistkit import fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

print(f"training images: {train.data.shape}, test images: {test.data.shape}")
print(f"pixel values: {train.data.dtype}, {train.data.min()} to {train.data.max()}")

# %%
# Each row of ``data`` is one image of 28 x 28 pixels, row by row; ``images``
# holds the same pixels as 28 x 28 arrays, and ``target`` the digits.
from mnistkit import plot_digits

grid = plot_digits(train.images[:20], train.target[:20], n_cols=10)

# %%
# Fit a classifier
# ----------------
# The default classifier straightens each digit, describes its strokes by the
# orientation of their edges, and feeds that to an RBF support vector machine.
# It is a scikit-learn classifier: ``fit``, ``predict``, ``score``.
from time import perf_counter

from mnistkit import MNISTClassifier

start = perf_counter()
clf = MNISTClassifier(random_state=0).fit(train.data, train.target)
print(f"fitted on {len(train.target):,} images in {perf_counter() - start:.1f} s")

# %%
# Score it
# --------
# ``score`` is the accuracy: the share of test images whose digit is predicted
# right.
accuracy = clf.score(test.data, test.target)
print(f"test accuracy: {accuracy:.2%}")

# %%
# Look at the predictions
# -----------------------
# The first test images, titled "true → predicted"; a mistake, if there is
# one among them, is framed in red.
predicted = clf.predict(test.data)
grid = plot_digits(test.images[:30], test.target[:30], predicted[:30], n_cols=10)

# %%
# And the mistakes themselves: every test image the model got wrong (at most
# 30 of them).
wrong = (predicted != test.target).nonzero()[0]
print(f"{len(wrong)} mistakes out of {len(test.target):,} test images")
grid = plot_digits(test.images[wrong[:30]], test.target[wrong[:30]], predicted[wrong[:30]])

# %%
# Where the mistakes go
# ---------------------
# The confusion matrix counts them by true digit (rows) and predicted digit
# (columns); the right answers, on the diagonal, are in grey, and the colours
# show the mistakes alone.
from mnistkit import ConfusionMatrixDisplay

display = ConfusionMatrixDisplay.from_estimator(clf, test.data, test.target)
# sphinx_gallery_thumbnail_number = 4

# %%
# Next: :ref:`sphx_glr_auto_examples_models_plot_compare_models.py` compares
# the four backends, and
# :ref:`sphx_glr_auto_examples_evaluation_plot_confusion_matrix.py` shows which
# digits the models confuse.
