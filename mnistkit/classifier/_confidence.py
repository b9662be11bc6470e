"""How sure a reading is, and whether the image is a digit at all.

Two numbers per image, both learnt from the images that ``probability="fast"``
sets aside for its calibration (a second model is fitted on a quarter of the
training images and scores up to 10,000 it never saw, see ``_calibration``):

- **confidence**, the probability that the predicted digit is right. It is
  made from the two scores that best told right answers from wrong ones on
  validation images (``benchmarks/bench_confidence.py``): the model's own
  ranking score, for a one-vs-one SVM the *weakest win*, the smallest of the
  predicted digit's nine pairwise decision values (a digit that beats eight
  rivals clearly but one barely is in doubt, which the summed votes hide),
  for other models the margin between the two highest decision values; and
  the *agreement* of the image's five nearest training digits in the
  model's feature space, the share of them labelled with the predicted
  digit (an answer its neighbours contradict is in doubt, however clear the
  model's margin). A logistic fit of right-or-wrong on both, on the unseen
  images, turns them into a probability: increasing in each (but for the
  rare answers under an equal share's chance, all kept just above it, so
  that the predicted digit stays on top).
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
from typing import NamedTuple

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
    digits, their labels (as indices of the model's classes) and those of
    the drawn non-digits, and the two fitted maps.
    """

    # A model saved before the neighbours' agreement counted has neither: its
    # confidence is its ranking score's alone.
    reference_labels = None
    agreement_slope = 0.0

    def __init__(self, reference, non_digits, slope, intercept, levels=(1.0, 1.0, 1.0),
                 reference_labels=None, agreement_slope=0.0):
        self.reference = reference
        self.non_digits = non_digits
        self.slope = slope
        self.intercept = intercept
        # Distance to digits, ratio to non-digits, and their larger value: the
        # level of each on unseen digits.
        self.levels = levels
        self.reference_labels = reference_labels
        self.agreement_slope = agreement_slope

    @classmethod
    def fit(cls, ranking, right, reference, unseen, non_digits=None, *,
            reference_labels=None, predicted=None):
        """Learn both maps from a side model's answers on images it never saw.

        ``ranking`` and ``right`` are the side model's ranking scores of the
        unseen images and whether its answers were right; ``reference`` the
        features of its training images, ``unseen`` those of the images it did
        not see; ``non_digits`` the features of drawn non-digits, or None
        (images of another size than MNIST's), when novelty is the distance
        to digits alone. ``reference_labels`` (indices of the classes) and
        ``predicted`` (the side model's answers, as indices) let the
        neighbours' agreement count; without them, the ranking alone does.
        """
        reference = np.asarray(reference, dtype=np.float32)
        if non_digits is not None:
            non_digits = np.asarray(non_digits, dtype=np.float32)
        model = cls(reference, non_digits, 0.0, 0.0, reference_labels=reference_labels)
        near = model.neighbours(unseen)
        agreement = model.agreement(near, predicted)
        model.slope, model.agreement_slope, model.intercept = _fit_logistic(
            ranking, agreement, right)
        if model.agreement_slope == 0.0:
            model.reference_labels = None  # it adds nothing: spare predict_proba the search
        far = max(float(np.quantile(near.distance, FAR_QUANTILE)), 1e-12)
        ratio = near.ratio
        level = 1.0 if ratio is None else max(float(np.quantile(ratio, NOVEL_QUANTILE)), 1e-12)
        model.levels = (far, level, 1.0)
        novelty = model.novelty(near)
        model.levels = (far, level, max(float(np.quantile(novelty, NOVEL_QUANTILE)), 1e-12))
        return model

    def neighbours(self, features):
        """The image's nearest reference digits and drawn non-digits (a :class:`Neighbours`)."""
        distance, nearest = _nearest(self.reference, features, N_NEIGHBOURS)
        labels = None if self.reference_labels is None else self.reference_labels[nearest]
        if self.non_digits is None:
            return Neighbours(distance, None, labels)
        to_non_digits, _ = _nearest(self.non_digits, features, NON_DIGIT_NEIGHBOURS)
        return Neighbours(distance, distance / np.maximum(to_non_digits, 1e-12), labels)

    def agreement(self, neighbours, predicted):
        """The share of the nearest reference digits labelled ``predicted``; None unknown."""
        if neighbours.labels is None or predicted is None:
            return None
        return (neighbours.labels == np.asarray(predicted)[:, None]).mean(axis=1)

    def right_probability(self, ranking, agreement=None):
        """The chance that answers with these ranking scores (and agreement) are right."""
        logit = self.slope * ranking + self.intercept
        if agreement is not None:
            logit = logit + self.agreement_slope * agreement
        return 1.0 / (1.0 + np.exp(-logit))

    def novelty(self, neighbours):
        """How far each image lies from the training digits; above 1, unlike them.

        ``neighbours`` are the images' :meth:`neighbours`.
        """
        far, near, level = self.levels
        novelty = neighbours.distance / far
        if neighbours.ratio is not None:
            novelty = np.maximum(novelty, neighbours.ratio / near)
        return novelty / level

    def proba(self, class_proba, ranking, agreement=None):
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
        top = np.clip(self.right_probability(ranking, agreement), 1.0 / n_classes + 1e-6, 1.0)
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


class Neighbours(NamedTuple):
    """Where images lie among the reference digits (see :meth:`ConfidenceModel.neighbours`)."""

    distance: np.ndarray  # mean distance to the nearest reference digits
    ratio: object  # that distance over the one to the nearest non-digits, or None
    labels: object  # the nearest reference digits' labels (n, N_NEIGHBOURS), or None


def _fit_logistic(ranking, agreement, right):
    """Slope of the ranking, of the agreement (0 without it) and intercept of P(right).

    A higher score never means a lower chance of being right: a score whose
    fitted slope comes out negative is left out and the rest refitted.
    """
    columns = [ranking] if agreement is None else [ranking, agreement]
    # With only right (or only wrong) answers there is nothing to learn from.
    while columns and right.any() and not right.all():
        fit = LogisticRegression(C=1e4).fit(np.column_stack(columns), right)
        slopes = [float(slope) for slope in fit.coef_[0]]
        if min(slopes) >= 0:
            slopes += [0.0] * (2 - len(slopes))
            return slopes[0], slopes[1], float(fit.intercept_[0])
        columns = columns[:-1]  # the agreement first, then the ranking
    # A constant chance: the observed one, smoothed.
    share = (right.sum() + 1) / (right.size + 2)
    return 0.0, 0.0, float(np.log(share / (1 - share)))


def _nearest(reference, features, k):
    """Mean distance of each row of ``features`` to its ``k`` nearest rows of ``reference``,
    and their indices."""
    k = min(k, len(reference))
    neighbours = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(reference)
    distances, indices = neighbours.kneighbors(np.asarray(features, dtype=np.float32))
    return distances.mean(axis=1), indices
