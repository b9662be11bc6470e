"""Probabilities from decision values: the cheap confidence of ``probability="fast"``.

The model is fitted on all the training images, as without probabilities. A
second model of the same kind is fitted on a quarter of them (an SVM's fit time
grows faster than its number of images, so it is cheap), and scores up to
10,000 images it never saw. scikit-learn's temperature scaling
(``CalibratedClassifierCV(method="temperature")``) is fitted on those unseen
scores and then applied to the full model's: ``softmax(beta * scores)``. One
parameter, so a quarter of the data is plenty; it never changes which class
scores highest, so the predictions stay those of the model without
probabilities. ``benchmarks/bench_probability.py`` measures its cost and log
loss against the calibration of ``probability=True``.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split

from ._committee import label_of_best_score
from ._confidence import ConfidenceModel, scores_and_ranking

SIDE_FRACTION = 0.25  # of the training images, for the second model
SIDE_SCORED = 10_000  # at most this many unseen images calibrate the temperature
# Below this many images of some class, the quarter and the rest are too thin:
# probability="fast" then falls back to the calibration of probability=True.
FAST_MIN_PER_CLASS = 20


class DecisionValues(ClassifierMixin, BaseEstimator):
    """A classifier whose decision values are its input.

    It lets :class:`~sklearn.calibration.CalibratedClassifierCV` calibrate
    scores computed by another model: its "features" are those scores, one
    column per class (one column, the score of ``classes_[1]``, for two).
    """

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        scores = np.asarray(X, dtype=np.float64)
        return scores[:, 0] if scores.ndim == 2 and scores.shape[1] == 1 else scores

    def predict(self, X):
        return label_of_best_score(self.classes_, np.asarray(X, dtype=np.float64))


def can_calibrate_fast(y):
    """Whether temperature scaling on a side model suits ``y``.

    Every class needs enough images for the side model and its scoring. Two
    classes are left to the calibration of ``probability=True``: scikit-learn
    1.9's temperature scaling of binary decision values is wrong unless the
    labels are 0 and 1 (labels 3 and 5 gave an inverse temperature of 0.013
    where 4.9 was right).
    """
    counts = np.unique(y, return_counts=True)[1]
    return len(counts) > 2 and int(counts.min()) >= FAST_MIN_PER_CLASS


def side_size(n_images):
    """How many of ``n_images`` the second model of the calibration is fitted on."""
    return int(SIDE_FRACTION * n_images)


def fit_temperature(model, X, y, random_state, non_digits=None):
    """Fit a second ``model`` on a quarter of ``X`` and calibrate on its unseen scores.

    ``X`` is what the final model step sees (the output of the feature steps).
    Returns a fitted ``CalibratedClassifierCV`` that maps decision values of a
    model of this kind to probabilities, and the
    :class:`~mnistkit.classifier._confidence.ConfidenceModel` learnt from the
    same unseen images (and ``non_digits``, features of drawn non-digits).
    """
    side, rest = train_test_split(
        np.arange(len(y)), train_size=side_size(len(y)), stratify=y, random_state=random_state
    )
    rest = rest[:SIDE_SCORED]
    side_model = clone(model).fit(X[side], y[side])
    scores, ranking = scores_and_ranking(side_model, X[rest])
    scorer = FrozenEstimator(DecisionValues().fit(scores, y[rest]))
    calibrator = CalibratedClassifierCV(scorer, method="temperature").fit(scores, y[rest])
    predicted = np.argmax(scores, axis=1)
    right = side_model.classes_[predicted] == y[rest]
    confidence = ConfidenceModel.fit(
        ranking, right, X[side], X[rest], non_digits,
        reference_labels=_compact(np.searchsorted(side_model.classes_, y[side])),
        predicted=predicted)
    return calibrator, confidence


def _compact(indices):
    """Class indices in the smallest integer type that holds them (one byte for digits)."""
    return indices.astype(np.min_scalar_type(int(indices.max())))
