"""How sure a reading is, and whether the image is a digit at all.

Two numbers per image, both learnt from the images that ``probability="fast"``
sets aside for its calibration (a second model is fitted on a quarter of the
training images and scores up to 10,000 it never saw, see ``_calibration``):

- **confidence**, the probability that the predicted digit is right. It is
  made from the score that best told right answers from wrong ones on
  validation images (``benchmarks/bench_confidence.py``): for libsvm's
  one-vs-one SVM, the *weakest win*, the smallest of the predicted digit's nine
  pairwise decision values (a digit that beats eight rivals clearly but one
  barely is in doubt, which the summed votes hide); for other models, the
  margin between the two highest decision values. A logistic fit of
  right-or-wrong on that score, on the unseen images, turns it into a
  probability: increasing, so it ranks as the score (but for the rare
  answers under an equal share's chance, all kept just above it, so that the
  predicted digit stays on top).
- **novelty**, how far the image lies from the training digits in the
  model's feature space, against how near it lies to drawn non-digits
  (letters, symbols, scribbles, shapes, soft shadows: ``_non_digits``): the
  mean distance to its five nearest neighbours among the quarter of the
  training images, divided by the mean distance to its three nearest drawn
  non-digits. An image far from everything (noise, a photo of an object)
  has a ratio near 1, so the distance to digits alone counts as well, at a
  level only 0.1% of digits reach; the larger of the two, each scaled by
  its level, is scaled so that only 0.5% of the unseen digits exceed 1.
  Above 1, the image is unlike the digits the model learnt from. On a
  validation split this rejected 90% of non-digits drawn by other code that
  the reader took for a digit, where the distance to digits alone rejected
  75%, both at 0.5% of digits (``benchmarks/bench_confidence.py``).
"""

import copy

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from ._parallel import OneVsOneSVC, one_vs_one_scores

N_NEIGHBOURS = 5
NON_DIGIT_NEIGHBOURS = 3
# The share of unseen digits whose novelty is above 1: the rate at which real
# digits like MNIST's are called "not a digit".
NOVEL_QUANTILE = 0.995
# The level of the distance to digits alone, as a quantile of unseen digits: far
# enough that it only adds what the ratio to non-digits cannot see.
FAR_QUANTILE = 0.999
# A reading is "unsure" when its chance of being right is below this: on a
# validation split, 0.4% of MNIST's digits, as many as novelty rejects
# (benchmarks/bench_confidence.py).
UNSURE_BELOW = 0.8


def _is_one_vs_one_svm(model):
    return isinstance(model, (SVC, OneVsOneSVC)) and len(model.classes_) > 2


def pairwise_margins(svm, features):
    """The one-vs-one margins of an SVM as a matrix, and its votes-first scores.

    ``svm`` is an :class:`~sklearn.svm.SVC` or a
    :class:`~mnistkit.classifier._parallel.OneVsOneSVC`; see
    :func:`~mnistkit.classifier._parallel.one_vs_one_scores` for what is
    returned. One pass of the kernel gives both.
    """
    if isinstance(svm, OneVsOneSVC):
        values = svm.pair_margins(features)
    else:
        ovo = copy.copy(svm)  # shares the fitted arrays; only the output shape differs
        ovo.set_params(decision_function_shape="ovo")
        values = ovo.decision_function(features)
    return one_vs_one_scores(values, len(svm.classes_))


def scores_and_ranking(model, features):
    """The model's decision values (one column per class) and a score that ranks answers.

    The decision values are those the temperature calibration reads; the
    ranking score is high where the answer is likely right.
    """
    if _is_one_vs_one_svm(model):
        margins, scores = pairwise_margins(model, features)
        rows = np.arange(len(scores))
        predicted = np.argmax(scores, axis=1)
        own = margins[rows, predicted]
        own[rows, predicted] = np.inf  # a digit does not compete with itself
        return scores, own.min(axis=1)
    scores = model.decision_function(features).reshape(len(features), -1)
    if scores.shape[1] == 1:
        return scores, np.abs(scores[:, 0])
    top_two = np.sort(scores, axis=1)[:, -2:]
    return scores, top_two[:, 1] - top_two[:, 0]


class ConfidenceModel:
    """The fitted confidence and novelty of a model; see the module's docstring.

    Holds plain numbers and arrays only: the features of the reference
    digits and of the drawn non-digits, and the two fitted maps.
    """

    def __init__(self, reference, non_digits, slope, intercept, levels=(1.0, 1.0, 1.0)):
        self.reference = reference
        self.non_digits = non_digits
        self.slope = slope
        self.intercept = intercept
        # Distance to digits, ratio to non-digits, and their larger value: the
        # level of each on unseen digits.
        self.levels = levels

    @classmethod
    def fit(cls, ranking, right, reference, unseen, non_digits=None):
        """Learn both maps from a side model's answers on images it never saw.

        ``ranking`` and ``right`` are the side model's ranking scores of the
        unseen images and whether its answers were right; ``reference`` the
        features of its training images, ``unseen`` those of the images it did
        not see; ``non_digits`` the features of drawn non-digits, or None
        (images of another size than MNIST's), when novelty is the distance
        to digits alone.
        """
        slope, intercept = _fit_logistic(ranking, right)
        reference = np.asarray(reference, dtype=np.float32)
        if non_digits is not None:
            non_digits = np.asarray(non_digits, dtype=np.float32)
        model = cls(reference, non_digits, slope, intercept)
        distance, ratio = model._distances(unseen)
        far = max(float(np.quantile(distance, FAR_QUANTILE)), 1e-12)
        near = 1.0 if ratio is None else max(float(np.quantile(ratio, NOVEL_QUANTILE)), 1e-12)
        model.levels = (far, near, 1.0)
        novelty = model._novelty(distance, ratio)
        model.levels = (far, near, max(float(np.quantile(novelty, NOVEL_QUANTILE)), 1e-12))
        return model

    def _distances(self, features):
        """The distance to the reference digits, and its ratio to that to non-digits."""
        distance = _neighbour_distance(self.reference, features, N_NEIGHBOURS)
        if self.non_digits is None:
            return distance, None
        near = _neighbour_distance(self.non_digits, features, NON_DIGIT_NEIGHBOURS)
        return distance, distance / np.maximum(near, 1e-12)

    def right_probability(self, ranking):
        """The chance that answers with these ranking scores are right."""
        return 1.0 / (1.0 + np.exp(-(self.slope * ranking + self.intercept)))

    def novelty(self, features):
        """How far each image lies from the training digits; above 1, unlike them."""
        return self._novelty(*self._distances(features))

    def _novelty(self, distance, ratio):
        far, near, level = self.levels
        novelty = distance / far
        if ratio is not None:
            novelty = np.maximum(novelty, ratio / near)
        return novelty / level

    def proba(self, class_proba, ranking):
        """Class probabilities whose top is the chance of being right.

        The predicted digit (the top of ``class_proba``) gets the calibrated
        chance that it is right; the rest is shared among the other digits in
        proportion to ``class_proba``. The predicted digit stays on top: its
        probability is kept just above ``1 / n_classes``, and where the share
        of another digit would exceed it, the rest is shared equally.
        """
        n, n_classes = class_proba.shape
        rows = np.arange(n)
        predicted = np.argmax(class_proba, axis=1)
        # Just above an equal share, so that no tie can move the predicted digit.
        top = np.clip(self.right_probability(ranking), 1.0 / n_classes + 1e-6, 1.0)
        others = class_proba.copy()
        others[rows, predicted] = 0.0
        total = others.sum(axis=1, keepdims=True)
        share = np.divide(others, total, out=np.full_like(others, 1.0 / (n_classes - 1)),
                          where=total > 0)
        out = share * (1.0 - top)[:, None]
        crowded = out.max(axis=1) > top
        out[crowded] = ((1.0 - top[crowded]) / (n_classes - 1))[:, None]
        out[rows, predicted] = top
        return out


def _fit_logistic(ranking, right):
    """Slope and intercept of P(right) as a logistic function of the ranking score."""
    if right.all() or not right.any():
        # Nothing to learn from: a constant chance, the observed one, smoothed.
        share = (right.sum() + 1) / (right.size + 2)
        return 0.0, float(np.log(share / (1 - share)))
    fit = LogisticRegression(C=1e4).fit(ranking.reshape(-1, 1), right)
    # A higher score never means a lower chance of being right.
    return max(float(fit.coef_[0, 0]), 0.0), float(fit.intercept_[0])


def _neighbour_distance(reference, features, k):
    """Mean distance of each row of ``features`` to its ``k`` nearest rows of ``reference``."""
    k = min(k, len(reference))
    neighbours = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(reference)
    distances, _ = neighbours.kneighbors(np.asarray(features, dtype=np.float32))
    return distances.mean(axis=1)
