"""
ROC and precision/recall curves
===============================

A classifier does not only predict a digit: it scores every digit, and the
prediction is the best score. Moving a threshold on the score of one digit
trades the images of that digit found (recall, or true positive rate) against
the other images taken for it. ROC curves and precision/recall curves draw
that trade-off, one digit against the rest.
"""

# %%
# Fit and evaluate
# ----------------
# :func:`~mnistkit.evaluate` takes the scores from ``predict_proba`` when the
# model has it, else from ``decision_function``; the default support vector
# machine has decision values, which is all the curves need.
import os

from mnistkit import MNISTClassifier, evaluate, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

clf = MNISTClassifier(random_state=0).fit(train.data, train.target)
result = evaluate(clf, test.data, test.target)
print(f"scores from: {result.score_source}")
print(f"ROC AUC, macro-average: {result.roc_auc['macro']:.4f}")
print(f"average precision, micro-average: {result.average_precision['micro']:.4f}")

# %%
# ROC curves
# ----------
# One curve per digit, and the micro-average (every digit/image pair pooled)
# and macro-average (the mean of the digits' curves). The dotted diagonal is a
# classifier that guesses; the closer a curve hugs the top left corner, the
# better. The legend gives each area under the curve (AUC).
from mnistkit import RocCurvePlot

plot = RocCurvePlot.from_evaluation(result)

# %%
# On MNIST every curve of a good model runs along the top of the plot; zooming
# on the top left corner separates them.
plot = RocCurvePlot.from_evaluation(result, classes=[3, 5, 8, 9], macro=False)
plot.ax_.set(xlim=(-0.001, 0.05), ylim=(0.8, 1.001), aspect="auto")
plot.ax_.set_title("ROC curves, top left corner")
# sphinx_gallery_thumbnail_number = 2

# %%
# Precision/recall curves
# -----------------------
# Precision against recall leaves out the true negatives, the many images of
# other digits that are rightly rejected, so differences between good models
# are easier to see. The summary of each curve is its average precision (AP);
# the grey lines are points of equal F1.
from mnistkit import PrecisionRecallPlot

plot = PrecisionRecallPlot.from_evaluation(result, iso_f1=True)

# %%
# The digit with the lowest average precision is the hardest to pick out:
hardest = min(result.labels.tolist(), key=result.average_precision.get)
print(f"lowest average precision: digit {hardest}, "
      f"{result.average_precision[hardest]:.4f}")

# %%
# Curves of any model
# -------------------
# The displays also take scores computed elsewhere. Here a random forest's
# probabilities (from ``predict_proba``), side by side with the support vector
# machine.
import matplotlib.pyplot as plt

forest = MNISTClassifier(backend="rf", random_state=0).fit(train.data, train.target)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
PrecisionRecallPlot.from_evaluation(result, ax=left,
                                    title="Support vector machine")
PrecisionRecallPlot.from_predictions(test.target, forest.predict_proba(test.data),
                                     labels=forest.classes_, ax=right,
                                     title="Random forest")
