"""Selective prediction: how well a classifier's confidence tells its right answers from its wrong.

The confidence of an answer is the score the model gave the label it
predicted: for a model with ``predict_proba``, the top probability (for an
mnistkit model, its calibrated chance of being right); for a model with
decision values only, the decision value of the predicted label. That one
definition serves :class:`EvaluationResult` (its confidence, its ranking of
mistakes, its reports), the plots and the command line. For decision values
it ranks better than the margin over the next best label on the shipped
sample: the one-vs-one SVC of ``MNISTClassifier(backend="svc")``, trained on
the 2,000 sample images, puts its right test answers above its 9 wrong ones
with an AUROC of 0.976 by decision value against 0.894 by margin (0.932
against 0.919 with 34 mistakes in five-fold cross-validation on all 3,000
images; scikit-learn's ``SVC()`` on the pixels, 0.887 against 0.740). A
linear model trained by SGD ranks better by margin there (0.976 against
0.950): give it probabilities (``probability=True``) for a confidence that
ranks well and reads as a chance.

Keeping only the answers whose confidence reaches a threshold, and setting
the others aside (for a person to read, say), trades *coverage*, the share of
answers kept, against *risk*, the error rate among them. Three views of that
trade-off:

- :func:`risk_coverage_curve`: risk against coverage at every threshold;
- :func:`error_at_coverage`: the risk when a given share is kept (95%, 98%...);
- :func:`confidence_auroc`: one number for the whole ranking, the area under
  the ROC curve of confidence for right against wrong answers.
"""

import math
from typing import NamedTuple

import numpy as np
from sklearn.metrics import roc_auc_score

from . import _checks

#: The shares of answers kept at which evaluation reports report the error.
COVERAGES = (0.95, 0.98, 0.99)


class ConfidenceName(NamedTuple):
    """What the confidence of an answer is called, for scores of one source."""

    #: A word or two, after a number in a title: "(probability)".
    name: str
    #: What the number is, in a caption or a panel's title.
    meaning: str


#: What the confidence of an answer is, by where the scores come from (None:
#: scores given without their source). The one table read by the plots, their
#: titles, and the page of ``mnistkit evaluate --output``.
CONFIDENCE_NAMES = {
    "predict_proba": ConfidenceName(
        "probability", "the probability the model gave the predicted digit"),
    "decision_function": ConfidenceName(
        "decision value", "the decision value the model gave the predicted digit"),
    None: ConfidenceName("score", "the score the model gave the predicted digit"),
}


def _labels(y, name):
    if np.size(y) == 0:
        msg = f"{name} is empty: the confidence of answers can only be judged on at least one."
        raise ValueError(msg)
    return _checks.check_labels_1d(y, name)


def _confidence(confidence, n_answers):
    try:
        confidence = np.asarray(confidence, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"confidence must be an array of numbers, got {type(confidence).__name__}."
        raise ValueError(msg) from exc
    if confidence.ndim != 1:
        msg = (
            f"confidence must hold one number per answer (a 1-D array), got an array of "
            f"shape {confidence.shape}. From a score matrix, take the score of each "
            f"predicted label (for probabilities, y_score.max(axis=1))."
        )
        raise ValueError(msg)
    if confidence.size != n_answers:
        msg = f"confidence has {confidence.size} values but y_pred has {n_answers} answers."
        raise ValueError(msg)
    for bad, what in ((np.isnan(confidence), "NaN"), (np.isinf(confidence), "infinite")):
        if bad.any():
            msg = (
                f"confidence holds {int(bad.sum())} {what} values (the first for answer "
                f"{int(np.argmax(bad))}); every answer needs a finite confidence."
            )
            raise ValueError(msg)
    return confidence


def check_answers(y_true, y_pred, confidence):
    """Return ``(wrong, confidence)``: which answers are wrong, and their confidence.

    Raise a ``ValueError`` that names the problem if the labels are not 1-D
    arrays of class labels of one length, or if ``confidence`` does not hold
    one finite number per answer.
    """
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    _checks.check_same_length(y_true, y_pred, "y_true", "y_pred", "labels", "labels")
    confidence = _confidence(confidence, len(y_pred))
    return y_true != y_pred, confidence


def _check_coverage(coverage):
    try:
        value = float(coverage)
    except (TypeError, ValueError) as exc:
        msg = f"coverage must be a number in (0, 1], got {coverage!r}."
        raise ValueError(msg) from exc
    if not 0.0 < value <= 1.0:
        msg = f"coverage is the share of answers kept, a number in (0, 1], got {coverage!r}"
        if 1.0 < value <= 100.0:
            msg += f"; for {value:g}% pass {value / 100:g}"
        raise ValueError(msg + ".")
    return value


def risk_coverage_curve(y_true, y_pred, confidence):
    """Compute the error rate among the most confident answers, for every share kept.

    The answers are sorted by confidence, highest first. For each distinct
    confidence ``t``, every answer whose confidence is at least ``t`` is kept
    (answers of equal confidence are kept or set aside together): the
    coverage is the share of answers kept, the risk the share of those kept
    that are wrong. A confidence that ranks well gives a curve that starts low
    and rises only at the end, where the doubtful answers come in.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_pred : array-like of shape (n_samples,)
        The predicted labels, the answers.
    confidence : array-like of shape (n_samples,)
        How sure the model was of each answer: the score it gave the predicted
        label, such as the highest probability of ``predict_proba``. Only the
        order of the values matters.

    Returns
    -------
    coverage : ndarray of shape (n_thresholds,)
        The share of answers kept at each threshold, increasing, the last 1.0.
    risk : ndarray of shape (n_thresholds,)
        The error rate among the answers kept; the last is the overall error
        rate, ``1 - accuracy``.
    thresholds : ndarray of shape (n_thresholds,)
        The distinct confidences, decreasing: the answers kept at
        ``coverage[i]`` are those with a confidence of at least
        ``thresholds[i]``.

    Raises
    ------
    ValueError
        If the lengths differ, if the labels are not 1-D arrays of class
        labels, or if ``confidence`` holds NaN or infinite values.

    See Also
    --------
    error_at_coverage : The risk when a given share of answers is kept.
    confidence_auroc : How well the confidence ranks right above wrong answers.
    RiskCoverageDisplay : Plot this curve.

    Examples
    --------
    >>> from mnistkit.evaluation import risk_coverage_curve
    >>> y_true = [1, 2, 3, 4, 5, 6]
    >>> y_pred = [1, 2, 0, 4, 0, 0]  # three wrong answers
    >>> confidence = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5]
    >>> coverage, risk, thresholds = risk_coverage_curve(y_true, y_pred, confidence)
    >>> coverage.round(3).tolist()
    [0.167, 0.5, 0.667, 1.0]
    >>> risk.round(3).tolist()
    [0.0, 0.333, 0.25, 0.5]
    >>> thresholds.tolist()
    [0.9, 0.8, 0.7, 0.5]
    """
    wrong, confidence = check_answers(y_true, y_pred, confidence)
    order = np.argsort(-confidence, kind="stable")
    ranked = confidence[order]
    errors = np.cumsum(wrong[order])
    # The last answer of each block of equal confidence.
    ends = np.append(np.flatnonzero(np.diff(ranked)), ranked.size - 1)
    kept = ends + 1
    return kept / ranked.size, errors[ends] / kept, ranked[ends]


def error_at_coverage(y_true, y_pred, confidence, coverage=0.95):
    """Compute the error rate among the given share of answers the model is most sure of.

    The ``ceil(coverage * n_samples)`` most confident answers are kept and the
    others set aside. Where answers of equal confidence straddle the cut,
    each of them counts in proportion: their error rate fills the places left
    at the cut. That is the expected error when the tied answers kept are
    drawn at random, and it does not depend on the order of the samples. On
    the points of :func:`risk_coverage_curve` the two agree; between them the
    number of errors grows linearly.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_pred : array-like of shape (n_samples,)
        The predicted labels, the answers.
    confidence : array-like of shape (n_samples,)
        How sure the model was of each answer; only the order matters.
    coverage : float, default=0.95
        The share of answers kept, in (0, 1]: 0.95 sets aside the 5% the
        model is least sure of. 1.0 gives the overall error rate.

    Returns
    -------
    error : float
        The error rate among the answers kept.

    Raises
    ------
    ValueError
        If ``coverage`` is not in (0, 1], or as :func:`risk_coverage_curve`.

    See Also
    --------
    risk_coverage_curve : The error rate at every share kept.

    Examples
    --------
    Six answers, three of them wrong; two answers of confidence 0.8, one
    right and one wrong:

    >>> from mnistkit.evaluation import error_at_coverage
    >>> y_true = [1, 2, 3, 4, 5, 6]
    >>> y_pred = [1, 2, 0, 4, 0, 0]
    >>> confidence = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5]

    A third of six is two answers: the one at 0.9, right, and half of the
    pair at 0.8, whose error rate is 0.5:

    >>> error_at_coverage(y_true, y_pred, confidence, coverage=1 / 3)
    0.25
    >>> error_at_coverage(y_true, y_pred, confidence, coverage=0.5)  # the three most sure
    0.3333333333333333
    >>> error_at_coverage(y_true, y_pred, confidence, coverage=1.0)  # all answers
    0.5
    """
    coverage = _check_coverage(coverage)
    wrong, confidence = check_answers(y_true, y_pred, confidence)
    # Less a hair, so that 0.07 * 100 = 7.000000000000001 keeps 7 answers, not 8.
    n_kept = max(1, math.ceil(coverage * wrong.size - 1e-9))
    cut = np.sort(confidence)[::-1][n_kept - 1]
    above, tied = confidence > cut, confidence == cut
    n_tied_kept = n_kept - int(above.sum())
    errors = wrong[above].sum() + n_tied_kept * wrong[tied].mean()
    return float(errors / n_kept)


def confidence_auroc(y_true, y_pred, confidence):
    """Compute how well confidence ranks right answers above wrong ones.

    The area under the ROC curve of the confidence as a score of "the answer
    is right", computed by :func:`sklearn.metrics.roc_auc_score`: the
    probability that a right answer chosen at random has a higher confidence
    than a wrong one chosen at random (ties count half). 1.0 is a perfect
    ranking, 0.5 a ranking no better than chance.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_pred : array-like of shape (n_samples,)
        The predicted labels, the answers.
    confidence : array-like of shape (n_samples,)
        How sure the model was of each answer; only the order matters.

    Returns
    -------
    auroc : float
        The area, or NaN when every answer is right or every answer is wrong:
        there is then nothing to tell apart. No warning is given; the reports
        of :class:`EvaluationResult` say which case it is.

    Raises
    ------
    ValueError
        As :func:`risk_coverage_curve`.

    See Also
    --------
    risk_coverage_curve : The error rate at every share of answers kept.

    Examples
    --------
    >>> from mnistkit.evaluation import confidence_auroc
    >>> y_true = [1, 2, 3, 4, 5, 6]
    >>> y_pred = [1, 2, 0, 4, 0, 0]
    >>> confidence_auroc(y_true, y_pred, [0.9, 0.8, 0.8, 0.7, 0.5, 0.5])
    0.8333333333333334
    >>> confidence_auroc([1, 2], [1, 2], [0.9, 0.8])  # all right: nothing to separate
    nan
    """
    wrong, confidence = check_answers(y_true, y_pred, confidence)
    if wrong.all() or not wrong.any():
        return math.nan
    return float(roc_auc_score(~wrong, confidence))
