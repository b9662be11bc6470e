"""
Comparing the four classic models
=================================

Which model should read your digits? :func:`~mnistkit.compare_models` answers
with numbers: it cross-validates several classifiers on the same folds, times
every fit and prediction, and scores each model on the test set.
:class:`~mnistkit.ComparisonDisplay` then puts accuracy against time, so
that the trade-off is seen at a glance.

The four models are those of :func:`~mnistkit.default_models`: a linear model
trained by stochastic gradient descent (``sgd``), a random forest (``rf``), and
an RBF support vector machine extended to ten digits one-vs-one (``svc-ovo``)
and one-vs-rest (``svc-ovr``).
"""

# %%
# The data
# --------
# The shipped sample (2,000 training images) unless ``MNISTKIT_EXAMPLES_FULL=1``
# asks for the full MNIST. On the full set this example trains each model four
# times on 40,000 to 60,000 images: count tens of minutes, or pass
# ``n_jobs=-1`` below to use every core.
import os

from mnistkit import fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

# %%
# Compare
# -------
# Without ``models=``, the four default models are compared. Each is fitted on
# two thirds of the training images and scored on the last third, three times
# (3-fold stratified cross-validation), then refitted on all training images
# and scored on the test images. ``verbose=False`` keeps the progress lines out of
# this page.
from mnistkit import compare_models

comparison = compare_models(
    train.data,
    train.target,
    X_test=test.data,
    y_test=test.target,
    cv=3,
    random_state=0,
    verbose=False,
)
print(comparison)

# %%
# The most accurate model, by test accuracy:
print(comparison.best())

# %%
# Accuracy against time
# ---------------------
# Each point is a model at its mean fit time per fold (log scale) and its mean
# cross-validated accuracy, with bars of one standard deviation over the
# folds; a cross marks its test accuracy. The dashed line joins the models
# that no faster model beats: a model below it is never the right choice.
from mnistkit import ComparisonDisplay

display = ComparisonDisplay.from_comparison(comparison)
# sphinx_gallery_thumbnail_number = 1

# %%
# The same against the time to predict the held-out fold, which is what
# matters when the model serves many requests:
display = ComparisonDisplay.from_comparison(
    comparison, time="predict_time", title="Accuracy against prediction time"
)

# %%
# Reading the result
# ------------------
# On the 2,000-image sample every figure is rougher than on the full set:
# before preferring one model to another, compare the gap between them with
# the spread over the folds (the ± column), and let the full MNIST
# (``MNISTKIT_EXAMPLES_FULL=1``, or ``mnistkit compare`` on the command line)
# decide between close models. The table also exists as Markdown
# (``comparison.to_markdown()``) and as plain values for JSON
# (``comparison.to_dict()``).
print(comparison.to_markdown())
