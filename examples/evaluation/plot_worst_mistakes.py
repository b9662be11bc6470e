"""
The most confident mistakes
===========================

A mistake the model was unsure of is forgivable; a mistake it was sure of
says something, about the model or about the data. This example trains a
model that gives probabilities, finds the test images it got wrong with the
highest probability, and shows them with the model's best guesses.
"""

# %%
# A model with probabilities
# --------------------------
# With ``probability=True`` the support vector machine gives probabilities
# through scikit-learn's ``CalibratedClassifierCV`` (isotonic, three folds:
# three models, each fitted on two thirds of the images and calibrated on the
# last third), which costs about three more fits. ``probability="fast"``, the
# setting ``mnistkit train`` uses, costs about a fifth of one.
import os

from mnistkit import MNISTClassifier, evaluate, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train, test = fetch_mnist(subset="train"), fetch_mnist(subset="test")
else:
    train, test = load_sample(subset="train"), load_sample(subset="test")

clf = MNISTClassifier(probability=True, random_state=0).fit(train.data, train.target)
result = evaluate(clf, test.data, test.target)
print(f"accuracy: {result.accuracy:.2%}, scores from {result.score_source}")

# %%
# The mistakes, most confident first
# ----------------------------------
# :attr:`~mnistkit.EvaluationResult.misclassified` lists every mistake: the
# image's row in the test set, its true and predicted digit, and the
# probability the model gave its (wrong) prediction, highest first.
wrong = result.misclassified
print(f"{len(wrong['index'])} mistakes")
for index, true, predicted, confidence in zip(
    wrong["index"][:5], wrong["true"][:5], wrong["predicted"][:5], wrong["confidence"][:5],
    strict=True,
):
    print(f"test image {index}: a {true}, read as {predicted} with probability {confidence:.2f}")

# %%
# Seeing them
# -----------
# :class:`~mnistkit.MisclassifiedDisplay` shows them, each titled
# "true → predicted (probability)"; ``top_k=3`` writes the model's three best
# guesses under each. When the true digit comes second, the model was close;
# when it is absent, the image may be one that a person would also misread,
# or even one with a wrong label: MNIST has a few.
from mnistkit import MisclassifiedDisplay

display = MisclassifiedDisplay.from_evaluation(result, n=12, top_k=3)

# %%
# How sure was the model when it was wrong?
# -----------------------------------------
# The probability of the predicted digit, for the right and the wrong
# predictions. Where the mistakes sit decides what a threshold on the
# probability can do: mistakes to the left of the right answers can be caught
# by sending the uncertain images to a person; mistakes among the confident
# right answers cannot, and call for a better model or a look at the data.
import matplotlib.pyplot as plt
import numpy as np

confidence = result.y_score.max(axis=1)
right = result.y_true == result.y_pred
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
bins = np.linspace(0, 1, 21)
ax.hist(confidence[right], bins=bins, color="#4c72b0", label="right")
ax.hist(confidence[~right], bins=bins, color="#c44e52", label="wrong")
ax.set(yscale="log", xlabel="probability of the predicted digit", ylabel="test images",
       title="Confidence of right and wrong predictions")
ax.legend(frameon=False)
# sphinx_gallery_thumbnail_number = 2

# %%
# For instance, accepting only predictions with a probability of at least 0.9:
sure = confidence >= 0.9
print(f"{sure.sum()} of {len(sure)} images are predicted with probability >= 0.9, "
      f"{right[sure].sum()} of them right")
print(f"{(~sure).sum()} are sent to a person, {(~right[~sure]).sum()} of them mistakes")
