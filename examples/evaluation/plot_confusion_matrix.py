"""
The confusion matrix and the common mistakes
============================================

Accuracy says how often a model is wrong; the confusion matrix says how. Each
row is a true digit, each column a predicted digit, and each cell counts the
test images of that row predicted as that column. The diagonal holds the
right answers; the cells off it are the mistakes, and the large ones are the
pairs of digits the model confuses.

To have mistakes enough to see a pattern on the small sample this example runs
on, it evaluates a random forest, the least accurate of mnistkit's backends;
the default support vector machine makes far fewer.
"""

# %%
# Fit and evaluate
# ----------------
import os

from mnistkit import MNISTClassifier, evaluate, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

forest = MNISTClassifier(backend="rf", random_state=0).fit(train.data, train.target)
result = evaluate(forest, test.data, test.target)
print(f"accuracy: {result.accuracy:.2%}")

# %%
# Counts
# ------
# :class:`~mnistkit.ConfusionMatrixDisplay` draws the matrix of an
# :class:`~mnistkit.EvaluationResult`. The diagonal, the right answers, is in
# grey, and the colours span the mistakes alone, so that they show even when
# the diagonal holds a hundred times more images; zeros are written in grey.
from mnistkit import ConfusionMatrixDisplay

display = ConfusionMatrixDisplay.from_evaluation(result)
# sphinx_gallery_thumbnail_number = 1

# %%
# As scikit-learn draws it
# ------------------------
# ``diagonal="show"`` colours every cell on one scale, as scikit-learn's
# display does: the diagonal is dark, and the mistakes hardly show.
display = ConfusionMatrixDisplay.from_evaluation(result, diagonal="show")

# %%
# Shares of each digit
# --------------------
# Each row normalised by the number of images of its digit
# (``normalize="true"``): a cell is the share of that digit's images taken for
# another. The darkest cells are the model's typical confusions.
display = ConfusionMatrixDisplay.from_evaluation(result, normalize="true")

# %%
# The pairs most often confused
# -----------------------------
# :meth:`~mnistkit.EvaluationResult.top_confusions` lists the largest cells off
# the diagonal as ``(true, predicted, count)``.
pairs = result.top_confusions(5)
for true, predicted, count in pairs:
    print(f"{true} taken for {predicted}: {count} times")

# %%
# What these mistakes look like
# -----------------------------
# The test images of the most confused pair. Looking at them is the quickest
# way to tell a weakness of the model from a badly written digit.
import numpy as np

from mnistkit import plot_digits

true, predicted, _ = pairs[0]
rows = np.flatnonzero((result.y_true == true) & (result.y_pred == predicted))
grid = plot_digits(
    result.images[rows[:10]],
    result.y_true[rows[:10]],
    result.y_pred[rows[:10]],
    title=f"{true} taken for {predicted}",
)

# %%
# Precision and recall per digit
# ------------------------------
# The matrix summarised per digit: recall is the diagonal of the row-normalised
# matrix (how many of the digit's images were found), precision that of the
# column-normalised one (how many of the images predicted as the digit are).
from mnistkit import ClassMetricsDisplay

display = ClassMetricsDisplay.from_evaluation(result)

# %%
# The same report as text, for a terminal or a log:
print(result)
