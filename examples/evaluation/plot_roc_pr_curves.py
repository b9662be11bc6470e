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
# and macro-average (the mean of the digits' curves). The closer a curve hugs
# the top left corner, the better; the legend gives each area under the curve
# (AUC). On MNIST every curve of a good model runs along the top, so the
# display zooms on that corner (``zoom="auto"``, when every AUC is at least
# 0.99): the false positive rate on a log scale, the true positive rate from
# 0.9.
from mnistkit import RocCurveDisplay

display = RocCurveDisplay.from_evaluation(result)
# sphinx_gallery_thumbnail_number = 1

# %%
# The whole square (``zoom=False``), for four digits: the dotted diagonal is a
# classifier that guesses, and the curves are right angles in the corner.
display = RocCurveDisplay.from_evaluation(result, classes=[3, 5, 8, 9], macro=False,
                                          zoom=False)

# %%
# Precision/recall curves
# -----------------------
# Precision against recall leaves out the true negatives, the many images of
# other digits that are rightly rejected, so differences between good models
# are easier to see. The summary of each curve is its average precision (AP);
# the grey lines are points of equal F1. The macro-average is, at each recall,
# the mean of the digits' best precisions at that recall or above; the
# evaluation computes it with the others (``result.pr_curves["macro"]``).
from mnistkit import PrecisionRecallDisplay

display = PrecisionRecallDisplay.from_evaluation(result, iso_f1=True)

# %%
# The digit with the lowest average precision is the hardest to pick out:
hardest = min(result.labels.tolist(), key=result.average_precision.get)
print(f"lowest average precision: digit {hardest}, "
      f"{result.average_precision[hardest]:.4f}")

# %%
# Two models on one axes
# ----------------------
# The displays also take scores computed elsewhere (``from_predictions``), and
# a ``name=`` that goes into the legend, so that several models share one
# axes: give the first display's ``ax_`` to the next. Here the support vector
# machine against a random forest's probabilities (from ``predict_proba``),
# their averaged curves only.
forest = MNISTClassifier(backend="rf", random_state=0).fit(train.data, train.target)
svc_curves = PrecisionRecallDisplay.from_evaluation(
    result, name="SVM", classes=False, title="Support vector machine and random forest"
)
forest_curves = PrecisionRecallDisplay.from_predictions(
    test.target, forest.predict_proba(test.data), labels=forest.classes_,
    name="forest", classes=False, ax=svc_curves.ax_,
    title="Support vector machine and random forest",
)
