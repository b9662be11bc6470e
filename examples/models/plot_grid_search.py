"""
Tuning a backend with GridSearchCV
==================================

:class:`~mnistkit.MNISTClassifier` is a scikit-learn estimator, so
scikit-learn's model selection tools tune it directly. Here
:class:`~sklearn.model_selection.GridSearchCV` tunes the two parameters that
matter most for the default support vector machine: its regularisation ``C``,
and the number of PCA components the kernel sees, ``n_components``.

The search uses the training images only; the test images are scored once, at
the end, with the chosen setting.
"""

# %%
# The data
# --------
import os

from mnistkit import fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

# %%
# The search
# ----------
# Six settings, each cross-validated on three stratified folds: 18 fits, plus
# one refit of the best setting on all training images. ``n_jobs=-1`` runs
# the fits in parallel on every core. On the full MNIST a fit takes minutes
# rather than a second: tune on a stratified subset first.
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from mnistkit import MNISTClassifier

param_grid = {"C": [1, 10, 100], "n_components": [30, 60]}
search = GridSearchCV(
    MNISTClassifier(random_state=0),
    param_grid,
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    n_jobs=-1,
)
search.fit(train.data, train.target)

print(f"best setting: {search.best_params_}")
print(f"its cross-validated accuracy: {search.best_score_:.2%}")

# %%
# Every setting
# -------------
# ``cv_results_`` holds the score of each setting on each fold. A heat map of
# the mean accuracy shows how sensitive the model is to each parameter (the
# colours span only the range of the scores: read the numbers too).
import matplotlib.pyplot as plt
import numpy as np

scores = search.cv_results_["mean_test_score"].reshape(
    len(param_grid["C"]), len(param_grid["n_components"])
)
fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
image = ax.imshow(scores, cmap="viridis")
ax.set(
    xticks=np.arange(len(param_grid["n_components"])),
    xticklabels=param_grid["n_components"],
    yticks=np.arange(len(param_grid["C"])),
    yticklabels=param_grid["C"],
    xlabel="n_components (PCA)",
    ylabel="C",
    title="Cross-validated accuracy",
)
for (row, col), value in np.ndenumerate(scores):
    shade = "black" if value > (scores.min() + scores.max()) / 2 else "white"
    ax.text(col, row, f"{value:.2%}", ha="center", va="center", color=shade)
# sphinx_gallery_thumbnail_number = 1
fig.colorbar(image, ax=ax, shrink=0.8)

# %%
# The chosen model on the test set
# --------------------------------
# ``GridSearchCV`` refits the best setting on all training images
# (``refit=True``, the default); ``best_estimator_`` is that model.
best = search.best_estimator_
print(f"test accuracy of {best}: {best.score(test.data, test.target):.2%}")

# %%
# Other backends and parameters
# -----------------------------
# The same works for every backend and parameter of
# :class:`~mnistkit.MNISTClassifier`, for instance ``alpha`` for
# ``backend="sgd"`` or ``n_estimators`` for ``backend="rf"``. A list of grids
# searches several backends in one go (not run here)::
#
#     param_grid = [
#         {"backend": ["svc"], "C": [1, 10]},
#         {"backend": ["sgd"], "alpha": [1e-4, 1e-3]},
#     ]
#     GridSearchCV(MNISTClassifier(), param_grid, cv=3).fit(X, y)
#
# Anything else the underlying scikit-learn model accepts goes through
# ``backend_params``, a dict, for instance
# ``MNISTClassifier(backend_params={"cache_size": 1000})``.
