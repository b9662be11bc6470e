"""One-vs-rest ROC and precision/recall curves of multi-class scores, with their averages.

Each label's curve treats that label as the positive class and every other as
negative. ``"micro"`` pools every (sample, label) pair; ``"macro"`` averages
the labels' curves. scikit-learn computes every curve and area; only the two
macro-averaged curves, which it does not make, are made here. Both kinds of
curve are computed by :func:`curves_of_codes`, for :class:`EvaluationResult`
and for the plots that draw one kind only.
"""

import math

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from . import _checks


def _macro_roc_curve(per_label):
    """The mean true positive rate of the labels on the union of their false positive rates.

    Returns ``(fpr, tpr, None)``: there are no thresholds common to the labels.
    """
    grid = np.unique(np.concatenate([fpr for fpr, _, _ in per_label]))
    tpr = np.mean([np.interp(grid, fpr, tpr) for fpr, tpr, _ in per_label], axis=0)
    return grid, tpr, None


def _macro_precision_recall_curve(per_label):
    """The mean over labels of the interpolated precision, at each recall of any label.

    A label's interpolated precision at recall ``r`` is the best precision its
    curve reaches at ``r`` or above (the usual interpolation of a
    precision/recall curve). Returns ``(precision, recall, None)``, recall
    decreasing, as :func:`sklearn.metrics.precision_recall_curve`.
    """
    recall = np.unique(np.concatenate([r for _, r, _ in per_label]))
    mean = np.zeros_like(recall)
    for precision, label_recall, _ in per_label:
        order = np.argsort(label_recall, kind="stable")
        best = np.maximum.accumulate(precision[order][::-1])[::-1]
        # The best precision at a recall >= r: the first point at or after r.
        at = np.searchsorted(label_recall[order], recall, side="left")
        mean += best[np.minimum(at, len(best) - 1)]
    return (mean / len(per_label))[::-1], recall[::-1], None


# kind -> (the curve of one label, the area under curves, the macro-averaged curve)
KINDS = {
    "roc": (roc_curve, roc_auc_score, _macro_roc_curve),
    "precision_recall": (precision_recall_curve, average_precision_score,
                         _macro_precision_recall_curve),
}


def curves_of_codes(true_codes, y_score, labels, kind):
    """Return ``(curves, areas)``: the one-vs-rest curves of ``kind`` and their areas.

    Parameters
    ----------
    true_codes : ndarray of shape (n_samples,)
        The position of each sample's true label in ``labels``.
    y_score : ndarray of shape (n_samples, n_labels)
        The scores, one column per label.
    labels : ndarray of shape (n_labels,)
        The labels.
    kind : {"roc", "precision_recall"}
        ROC curves ``(fpr, tpr, thresholds)`` with their AUC, or
        precision/recall curves ``(precision, recall, thresholds)`` with their
        average precision.

    Returns
    -------
    curves : dict
        A curve for each label present in ``y_true`` (an absent label has no
        positive sample, hence no curve), then ``"micro"`` (every label,
        absent ones included) and ``"macro"`` (the labels' curves averaged;
        its thresholds are None).
    areas : dict
        The area of each label (NaN for an absent one), ``"micro"``, and
        ``"macro"``, the mean of the present labels' areas.
    """
    curve, area, macro_curve = KINDS[kind]
    onehot = (true_codes[:, None] == np.arange(len(labels))).astype(np.int64)
    present = onehot.any(axis=0)
    truth, scores = onehot[:, present], y_score[:, present]
    per_label_area = area(truth, scores, average=None)
    curves = {}
    areas = dict.fromkeys(labels.tolist(), math.nan)
    for j, label in enumerate(labels[present].tolist()):
        curves[label] = curve(truth[:, j], scores[:, j])
        areas[label] = float(per_label_area[j])
    macro = macro_curve(list(curves.values()))
    curves["micro"] = curve(onehot.ravel(), y_score.ravel())
    curves["macro"] = macro
    areas["micro"] = float(area(onehot, y_score, average="micro"))
    areas["macro"] = float(area(truth, scores, average="macro"))
    return curves, areas


def one_vs_rest_curves(y_true, y_score, kind, *, labels=None, score_source=None):
    """Check scores and return ``(curves, areas, labels)``: their curves of one kind.

    The plots that draw one kind of curve call this, so that they compute no
    more than they draw; :class:`EvaluationResult` computes both kinds with
    :func:`curves_of_codes`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_score : array-like of shape (n_samples, n_labels) or (n_samples,)
        The score of each label, columns in the order of ``labels``; 1-D for
        two labels: the score of ``labels[1]``.
    kind : {"roc", "precision_recall"}
        Which curves.
    labels : array-like of shape (n_labels,), default=None
        The label of each score column; by default the sorted labels of
        ``y_true``.
    score_source : {"predict_proba", "decision_function"}, default=None
        Where the scores come from, for a 1-D binary score.

    Returns
    -------
    curves, areas : dict
        As :func:`curves_of_codes`.
    labels : ndarray of shape (n_labels,)
        The labels, in the order of the score columns.
    """
    _checks.check_score_source(score_source)
    y_true = _checks.check_labels_1d(y_true, "y_true")
    labels = np.unique(y_true) if labels is None else _checks.check_label_list(labels)
    _checks.check_two_classes(y_true, "y_true")
    _checks.check_in_labels(y_true, labels, "y_true")
    y_score = _checks.as_score_matrix(y_score, len(y_true), labels, score_source)
    codes = _checks.label_codes(y_true, labels)
    return (*curves_of_codes(codes, y_score, labels, kind), labels)
