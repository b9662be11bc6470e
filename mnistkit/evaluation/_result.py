"""The evaluation result: every figure of a classifier's test, computed once."""

import html
import json
import math
import os
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from . import _checks, _curves, _selective
from ._report import evaluation_markdown, evaluation_text

_NORMALIZE = ("true", "pred", "all")


def normalize_confusion_matrix(counts, normalize):
    """Return a confusion matrix of counts as fractions, as scikit-learn's ``normalize=``.

    Parameters
    ----------
    counts : array-like of shape (n_labels, n_labels)
        Row ``i``, column ``j``: the samples of label ``i`` predicted as ``j``.
    normalize : {"true", "pred", "all"} or None
        Divide each row by its total, each column by its total, or every
        count by the number of samples; None leaves the counts (as floats).
        A row or column with no samples gives zeros.

    Returns
    -------
    matrix : ndarray of shape (n_labels, n_labels)
        The fractions, floats.
    """
    if normalize is not None and normalize not in _NORMALIZE:
        msg = f"normalize must be one of 'true', 'pred', 'all' or None, got {normalize!r}."
        raise ValueError(msg)
    counts = np.asarray(counts, dtype=np.float64)
    if normalize is None:
        return counts
    axis = {"true": 1, "pred": 0, "all": None}[normalize]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(counts / counts.sum(axis=axis, keepdims=True))


def _computed(method, *args):
    """An attribute worth ``method(self, *args)``, computed when first read, then kept."""
    return cached_property(lambda self: method(self, *args))


def _item(source, index):
    """An attribute worth item ``index`` of the attribute ``source``, read when first read."""
    return cached_property(lambda self: getattr(self, source)[index])


def to_plain(value):
    """Turn numpy values, arrays, tuples and dicts into what ``json.dumps`` accepts.

    Non-finite floats (NaN, infinity) become ``None``, so that the result is
    strict JSON; dictionary keys become strings.
    """
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class EvaluationResult:
    """Every figure of a classifier's evaluation on a labelled test set.

    Build one with :func:`evaluate` from a fitted model, or with
    :meth:`from_predictions` from labels and scores computed elsewhere, so that
    any model, not only an mnistkit one, can be evaluated. The inputs are
    checked when the result is made; each figure is computed, from
    scikit-learn's metrics where they exist, the first time it is read, and
    kept as plain numpy arrays, floats and dicts. Reports, JSON, plots and the
    command line all read their numbers here.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The true labels.
    y_pred : array-like of shape (n_samples,)
        The predicted labels.
    y_score : array-like of shape (n_samples, n_labels) or (n_samples,), default=None
        The model's score for each label, columns in the order of ``labels``.
        A 1-D array is allowed for two labels: the score of ``labels[1]``.
        Without scores there are no curves, no AUC, and the confidence of
        mistakes is NaN.
    labels : array-like of shape (n_labels,), default=None
        The class labels, in the order of the score columns. By default the
        sorted labels found in ``y_true`` and ``y_pred``.
    score_source : {"predict_proba", "decision_function"}, default=None
        Where the scores come from, when known.
    images : array-like of shape (n_samples, ...), default=None
        The samples as images, kept for plots of mistakes.

    Attributes
    ----------
    labels : ndarray of shape (n_labels,)
        The class labels; the order of every per-label array and score column.
    y_true, y_pred : ndarray of shape (n_samples,)
        The true and the predicted labels.
    y_score : ndarray of shape (n_samples, n_labels) or None
        The scores, one column per label.
    score_source : {"predict_proba", "decision_function"} or None
        Where the scores come from.
    images : ndarray or None
        The samples as images, for instance of shape (n_samples, 28, 28).
    n_samples : int
        The number of samples.
    accuracy : float
        The fraction of samples predicted right.
    confusion_matrix : ndarray of shape (n_labels, n_labels)
        Counts: row ``i``, column ``j`` is the number of samples of
        ``labels[i]`` predicted as ``labels[j]``.
    precision, recall, f1 : ndarray of shape (n_labels,)
        Per label; 0 where undefined (a label never predicted, or absent).
    support : ndarray of shape (n_labels,)
        The number of samples of each label in ``y_true``.
    macro_avg, weighted_avg : dict
        ``"precision"``, ``"recall"``, ``"f1"``: the unweighted mean over labels
        and the mean weighted by support; ``"support"``: the number of samples.
    roc_curves : dict
        One-vs-rest ROC curve ``(fpr, tpr, thresholds)`` for each label present
        in ``y_true``, plus ``"micro"`` (all label/sample pairs pooled) and
        ``"macro"`` (the mean true positive rate over labels on the union of
        their false positive rates; its thresholds are None). Empty without
        scores.
    roc_auc : dict
        The area under each ROC curve, same keys plus every label (NaN for a
        label absent from ``y_true``). ``"macro"`` is the mean of the
        per-label AUCs, as :func:`sklearn.metrics.roc_auc_score` computes it.
    pr_curves : dict
        Precision/recall curve ``(precision, recall, thresholds)`` for each
        label present in ``y_true``, plus ``"micro"`` and ``"macro"`` (at
        each recall of any label's curve, the mean over labels of the best
        precision reached at that recall or above; its thresholds are None).
        Empty without scores.
    average_precision : dict
        Average precision for each label (NaN if absent from ``y_true``),
        ``"micro"`` and ``"macro"``.
    confidence : ndarray of shape (n_samples,) or None
        How sure the model was of each answer: the score it gave the label it
        predicted (a probability with ``predict_proba``, a decision value
        otherwise). The one confidence of mnistkit: it ranks
        :attr:`misclassified` and the plots of mistakes, and is judged by the
        three figures below. None without scores.
    confidence_auroc : float or None
        How well ``confidence`` ranks the right answers above the wrong ones:
        the area under its ROC curve, right against wrong
        (:func:`~mnistkit.evaluation.confidence_auroc`). NaN when every
        answer is right or every answer is wrong; None without scores.
    risk_coverage_curve : tuple of ndarray or None
        ``(coverage, risk, thresholds)``: the error rate among the answers
        kept, most confident first, at every confidence threshold
        (:func:`~mnistkit.evaluation.risk_coverage_curve`). None without
        scores.
    error_at_coverage : dict or None
        The error rate among the 95%, 98% and 99% of answers the model is
        most sure of, keyed by 0.95, 0.98 and 0.99
        (:func:`~mnistkit.evaluation.error_at_coverage`). None without scores.

    See Also
    --------
    evaluate : Evaluate a fitted model.

    Examples
    --------
    >>> from mnistkit import EvaluationResult
    >>> result = EvaluationResult.from_predictions([0, 1, 2, 2], [0, 2, 2, 2])
    >>> result.accuracy
    0.75
    >>> result.confusion_matrix.tolist()
    [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    >>> result.top_confusions()
    [(1, 2, 1)]
    """

    def __init__(
        self, y_true, y_pred, y_score=None, *, labels=None, score_source=None, images=None
    ):
        _checks.check_score_source(score_source)
        y_true = _checks.check_labels_1d(y_true, "y_true")
        y_pred = _checks.check_labels_1d(y_pred, "y_pred")
        _checks.check_same_length(y_true, y_pred, "y_true", "y_pred", "labels", "labels")
        n_samples = len(y_true)

        if labels is None:
            labels = np.unique(np.concatenate([np.unique(y_true), np.unique(y_pred)]))
            if y_score is not None and np.ndim(y_score) == 2 and np.shape(y_score)[1] != len(
                labels
            ):
                msg = (
                    f"y_score has {np.shape(y_score)[1]} columns but y_true and y_pred hold "
                    f"{len(labels)} distinct labels; pass labels=, the labels in the order "
                    f"of the score columns (for a scikit-learn model, its classes_)."
                )
                raise ValueError(msg)
        else:
            labels = _checks.check_label_list(labels)
        _checks.check_two_classes(y_true, "y_true")
        _checks.check_in_labels(y_true, labels, "y_true")
        _checks.check_in_labels(y_pred, labels, "y_pred")
        if y_score is not None:
            y_score = _checks.as_score_matrix(y_score, n_samples, labels, score_source)
        elif score_source is not None:
            msg = f"score_source is {score_source!r} but no y_score was given."
            raise ValueError(msg)
        if images is not None:
            images = np.asarray(images)
            _checks.check_same_length(images, y_true, "images", "y_true", "images", "labels")

        self.labels = labels
        self.y_true = y_true
        self.y_pred = y_pred
        self.y_score = y_score
        self.score_source = score_source if y_score is not None else None
        self.images = images
        self.n_samples = n_samples
        # Each label's position in ``labels``: for the mistakes and the curves.
        self._true_codes = _checks.label_codes(y_true, labels)
        self._pred_codes = _checks.label_codes(y_pred, labels)

    @classmethod
    def from_predictions(
        cls, y_true, y_pred, y_score=None, *, labels=None, score_source=None, images=None
    ):
        """Evaluate labels and scores predicted by any model.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The true labels.
        y_pred : array-like of shape (n_samples,)
            The predicted labels.
        y_score : array-like of shape (n_samples, n_labels) or (n_samples,), default=None
            The score of each label, columns in the order of ``labels``
            (``predict_proba`` or ``decision_function`` output). A 1-D array
            is allowed for two labels: the score of ``labels[1]``.
        labels : array-like of shape (n_labels,), default=None
            The class labels in the order of the score columns; for a
            scikit-learn model, its ``classes_``. By default the sorted labels
            found in ``y_true`` and ``y_pred``.
        score_source : {"predict_proba", "decision_function"}, default=None
            Where the scores come from, when known; with a 1-D binary score,
            ``"predict_proba"`` makes the score of ``labels[0]`` ``1 - score``
            rather than ``-score``.
        images : array-like of shape (n_samples, ...), default=None
            The samples as images, kept for plots of mistakes.

        Returns
        -------
        result : EvaluationResult
            The evaluation.

        Raises
        ------
        ValueError
            If lengths differ, if ``y_true`` holds fewer than two classes, if
            a label is outside ``labels``, or if ``y_score`` has the wrong shape.

        Examples
        --------
        >>> import numpy as np
        >>> from mnistkit import EvaluationResult
        >>> y_true = np.array([0, 0, 1, 1])
        >>> scores = np.array([0.1, 0.6, 0.4, 0.9])  # probability of class 1
        >>> result = EvaluationResult.from_predictions(
        ...     y_true, (scores > 0.5).astype(int), scores, score_source="predict_proba"
        ... )
        >>> result.accuracy, result.roc_auc[1]
        (0.5, 0.75)
        """
        return cls(
            y_true, y_pred, y_score, labels=labels, score_source=score_source, images=images
        )

    # -- counts: scikit-learn does the arithmetic -----------------------------------------

    @cached_property
    def confusion_matrix(self):
        return confusion_matrix(self.y_true, self.y_pred, labels=self.labels)

    @cached_property
    def accuracy(self):
        return float(accuracy_score(self.y_true, self.y_pred))

    @cached_property
    def _per_label(self):
        # zero_division=0: a label never predicted, or absent, gets 0 and no warning.
        precision, recall, f1, support = precision_recall_fscore_support(
            self.y_true, self.y_pred, labels=self.labels, average=None, zero_division=0.0
        )
        return precision, recall, f1, support.astype(np.int64)

    precision = _item("_per_label", 0)
    recall = _item("_per_label", 1)
    f1 = _item("_per_label", 2)
    support = _item("_per_label", 3)

    def _average(self, average):
        precision, recall, f1, _ = precision_recall_fscore_support(
            self.y_true, self.y_pred, labels=self.labels, average=average, zero_division=0.0
        )
        return {"precision": float(precision), "recall": float(recall), "f1": float(f1),
                "support": self.n_samples}

    macro_avg = _computed(_average, "macro")
    weighted_avg = _computed(_average, "weighted")

    def normalized_confusion_matrix(self, normalize="true"):
        """Return the confusion matrix as fractions.

        The plots of the confusion matrix draw these same fractions.

        Parameters
        ----------
        normalize : {"true", "pred", "all"} or None, default="true"
            Divide by the number of samples of each true label (rows sum to 1:
            the diagonal is the recall), of each predicted label (columns sum
            to 1: the diagonal is the precision), or by all samples; None
            gives the counts, as floats. A row or column with no samples gives
            zeros, as :func:`sklearn.metrics.confusion_matrix` does.

        Returns
        -------
        matrix : ndarray of shape (n_labels, n_labels)
            The normalised matrix, floats.

        Examples
        --------
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([0, 0, 1, 1], [0, 1, 1, 1])
        >>> result.normalized_confusion_matrix("true").tolist()
        [[0.5, 0.5], [0.0, 1.0]]
        """
        return normalize_confusion_matrix(self.confusion_matrix, normalize)

    def top_confusions(self, n=10):
        """Return the pairs of labels most often confused, most frequent first.

        Parameters
        ----------
        n : int or None, default=10
            How many pairs to return; None for all.

        Returns
        -------
        pairs : list of tuple
            ``(true_label, predicted_label, count)`` for each off-diagonal cell
            of the confusion matrix with a non-zero count, by decreasing count
            (ties in the order of ``labels``, true label first).

        Examples
        --------
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([4, 4, 4, 9, 7], [9, 9, 4, 4, 1])
        >>> result.top_confusions(2)
        [(4, 9, 2), (7, 1, 1)]
        """
        counts = self.confusion_matrix.copy()
        np.fill_diagonal(counts, 0)
        rows, cols = np.nonzero(counts)
        values = counts[rows, cols]
        order = np.lexsort((cols, rows, -values))
        if n is not None:
            order = order[: max(int(n), 0)]
        return [
            (self.labels[rows[i]].item(), self.labels[cols[i]].item(), int(values[i]))
            for i in order
        ]

    @property
    def misclassified(self):
        """The misclassified samples, most confident mistake first.

        A dict of arrays, one entry per mistake: ``"index"`` (the sample's row
        in ``y_true``), ``"true"``, ``"predicted"``, and ``"confidence"``, the
        score the model gave the label it predicted: a probability when the
        scores come from ``predict_proba``, a decision value otherwise, NaN
        without scores (see :attr:`confidence`). Mistakes of equal confidence,
        and all mistakes without scores, keep the order of the samples. The
        plots of mistakes, the dashboard and the page of ``mnistkit evaluate
        --output`` show the mistakes in this order.

        Examples
        --------
        >>> from mnistkit import EvaluationResult
        >>> scores = [[0.9, 0.1], [0.3, 0.7], [0.4, 0.6], [0.2, 0.8]]
        >>> result = EvaluationResult.from_predictions([0, 0, 0, 1], [0, 1, 1, 1], scores)
        >>> result.misclassified["index"].tolist(), result.misclassified["confidence"].tolist()
        ([1, 2], [0.7, 0.6])
        """
        wrong = np.flatnonzero(self._true_codes != self._pred_codes)
        if self.confidence is None:
            confidence = np.full(wrong.size, np.nan)
        else:
            confidence = self.confidence[wrong]
        order = np.lexsort((wrong, -confidence))
        return {
            "index": wrong[order],
            "true": self.y_true[wrong[order]],
            "predicted": self.y_pred[wrong[order]],
            "confidence": confidence[order],
        }

    # -- curves ---------------------------------------------------------------------------

    def _curves(self, kind):
        if self.y_score is None:
            return {}, {}
        return _curves.curves_of_codes(self._true_codes, self.y_score, self.labels, kind)

    _roc = _computed(_curves, "roc")
    _precision_recall = _computed(_curves, "precision_recall")
    roc_curves = _item("_roc", 0)
    roc_auc = _item("_roc", 1)
    pr_curves = _item("_precision_recall", 0)
    average_precision = _item("_precision_recall", 1)

    # -- confidence -------------------------------------------------------------------

    @cached_property
    def confidence(self):
        if self.y_score is None:
            return None
        return self.y_score[np.arange(self.n_samples), self._pred_codes]

    def _judge(self, function, *args):
        """``function``'s judgement of the confidence; None without scores."""
        if self.confidence is None:
            return None
        return function(self.y_true, self.y_pred, self.confidence, *args)

    def _errors_at_coverage(self):
        if self.confidence is None:
            return None
        return {coverage: self._judge(_selective.error_at_coverage, coverage)
                for coverage in _selective.COVERAGES}

    confidence_auroc = _computed(_judge, _selective.confidence_auroc)
    risk_coverage_curve = _computed(_judge, _selective.risk_coverage_curve)
    error_at_coverage = _computed(_errors_at_coverage)

    # -- output -----------------------------------------------------------------------

    def to_dict(self, *, curves=True):
        """Return every figure as plain Python values that ``json.dumps`` accepts.

        Parameters
        ----------
        curves : bool, default=True
            Include what grows with the number of samples: the ROC,
            precision/recall and risk-coverage curves (``"roc_curves"``,
            ``"pr_curves"`` and ``"risk_coverage_curve"``, each point as
            lists), the confidence of every answer (``"confidence"``, in the
            order of the samples), every mistake (``"misclassified"``) and each
            sample's true and predicted label (``"per_image"``). Leave them
            out for a summary of a few kilobytes.

        Returns
        -------
        data : dict
            Keys ``"n_samples"``, ``"labels"``, ``"score_source"``,
            ``"accuracy"``, ``"confusion_matrix"``, ``"normalized_confusion_matrix"``
            (by ``"true"``, ``"pred"``, ``"all"``), ``"per_label"`` (a list of dicts
            with ``"label"``, ``"precision"``, ``"recall"``, ``"f1"``,
            ``"support"``, ``"roc_auc"``, ``"average_precision"``),
            ``"macro_avg"``, ``"weighted_avg"``, ``"roc_auc"``,
            ``"average_precision"``, ``"top_confusions"``, ``"n_misclassified"``,
            ``"confidence_auroc"`` and ``"error_at_coverage"`` (keys
            ``"0.95"``, ``"0.98"``, ``"0.99"``; both None without scores).
            Dictionary keys are strings; NaN and infinity (such as the first
            ROC threshold) become None.

        Examples
        --------
        >>> import json
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0])
        >>> data = json.loads(json.dumps(result.to_dict()))
        >>> data["accuracy"], data["confusion_matrix"]
        (0.6666666666666666, [[1, 0], [1, 1]])
        """
        labels = self.labels.tolist()
        per_label = [
            {
                "label": label,
                "precision": self.precision[j],
                "recall": self.recall[j],
                "f1": self.f1[j],
                "support": self.support[j],
                "roc_auc": self.roc_auc.get(label),
                "average_precision": self.average_precision.get(label),
            }
            for j, label in enumerate(labels)
        ]
        data = {
            "n_samples": self.n_samples,
            "labels": labels,
            "score_source": self.score_source,
            "accuracy": self.accuracy,
            "confusion_matrix": self.confusion_matrix,
            "normalized_confusion_matrix": {
                how: self.normalized_confusion_matrix(how) for how in _NORMALIZE
            },
            "per_label": per_label,
            "macro_avg": self.macro_avg,
            "weighted_avg": self.weighted_avg,
            "roc_auc": self.roc_auc,
            "average_precision": self.average_precision,
            "top_confusions": self.top_confusions(None),
            "n_misclassified": int(np.sum(self.y_true != self.y_pred)),
            "confidence_auroc": self.confidence_auroc,
            "error_at_coverage": self.error_at_coverage,
        }
        if curves:
            data["misclassified"] = self.misclassified
            data["per_image"] = {"y_true": self.y_true, "y_pred": self.y_pred}
            data["roc_curves"] = {
                key: {"fpr": fpr, "tpr": tpr, "thresholds": thresholds}
                for key, (fpr, tpr, thresholds) in self.roc_curves.items()
            }
            data["pr_curves"] = {
                key: {"precision": precision, "recall": recall, "thresholds": thresholds}
                for key, (precision, recall, thresholds) in self.pr_curves.items()
            }
            data["risk_coverage_curve"] = None
            if self.risk_coverage_curve is not None:
                coverage, risk, thresholds = self.risk_coverage_curve
                data["risk_coverage_curve"] = {
                    "coverage": coverage, "risk": risk, "thresholds": thresholds
                }
            data["confidence"] = self.confidence
        return to_plain(data)

    def to_text(self, *, digits=4, top=10):
        """Return a report to read in a terminal.

        Per-label precision, recall, F1, support, ROC AUC and average
        precision, their averages, how well the confidence of the answers
        tells right from wrong (with scores), and the most confused pairs of
        labels.

        Parameters
        ----------
        digits : int, default=4
            Digits after the decimal point.
        top : int, default=10
            How many confused pairs to list.

        Returns
        -------
        text : str
            The report.

        Examples
        --------
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0])
        >>> print(result.to_text(digits=2))  # doctest: +NORMALIZE_WHITESPACE
        Evaluation of 3 samples, 2 labels; no scores.
        <BLANKLINE>
        Accuracy: 0.67 (2 of 3 right)
        <BLANKLINE>
               label  precision  recall  f1-score  support
                   0       0.50    1.00      0.67        1
                   1       1.00    0.50      0.67        2
        <BLANKLINE>
           macro avg       0.75    0.75      0.67        3
        weighted avg       0.83    0.67      0.67        3
        <BLANKLINE>
        Most confused (true -> predicted: count):
          1 -> 0: 1
        """
        return evaluation_text(self, digits=digits, top=top)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return (
            f"<EvaluationResult: {self.n_samples} samples, {len(self.labels)} labels, "
            f"accuracy {self.accuracy:.4f}>"
        )

    def _repr_html_(self):
        """The headline figures, the per-label table and the top confusions: for notebooks."""
        headline = f"accuracy {self.accuracy:.4f} on {self.n_samples:,} samples"
        auroc = self.confidence_auroc
        if auroc is not None and not math.isnan(auroc):
            headline += f"; confidence AUROC, right against wrong, {auroc:.4f}"
        rows = "".join(
            f"<tr><td>{html.escape(str(label))}</td><td>{self.precision[j]:.4f}</td>"
            f"<td>{self.recall[j]:.4f}</td><td>{self.f1[j]:.4f}</td>"
            f"<td>{int(self.support[j])}</td></tr>"
            for j, label in enumerate(self.labels.tolist())
        )
        confused = ", ".join(f"{html.escape(str(true))} read as {html.escape(str(pred))}: "
                             f"{count}" for true, pred, count in self.top_confusions(5))
        return (
            f"<div><strong>EvaluationResult</strong>: {headline}.<table>"
            "<tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>"
            f"<th>support</th></tr>{rows}</table>"
            f"<p>Most confused: {confused or 'none'}.</p></div>"
        )

    def to_markdown(self, *, digits=4, top=10):
        """Return the report as Markdown: a summary, a per-label table, the top confusions.

        With scores, a line after the table gives the areas under the curves
        and how well the confidence of the answers tells right from wrong.

        Parameters
        ----------
        digits : int, default=4
            Digits after the decimal point.
        top : int, default=10
            How many confused pairs to list.

        Returns
        -------
        markdown : str
            The report.

        Examples
        --------
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0])
        >>> print(result.to_markdown(digits=2).splitlines()[4])
        | label | precision | recall | f1-score | support |
        """
        return evaluation_markdown(self, digits=digits, top=top)

    def save(self, folder, *, curves=True, metadata=None):
        """Write the report as text, Markdown and JSON into a folder.

        Parameters
        ----------
        folder : str or os.PathLike
            Where to write; created if missing. Existing reports are replaced.
        curves : bool, default=True
            Whether ``evaluation.json`` holds what grows with the number of
            samples (see :meth:`to_dict`); without, a few kilobytes.
        metadata : dict, default=None
            More plain values to record in ``evaluation.json`` (the data set,
            the model), each under its own key.

        Returns
        -------
        paths : list of pathlib.Path
            ``report.txt``, ``report.md`` and ``evaluation.json``.

        Examples
        --------
        >>> import tempfile
        >>> from mnistkit import EvaluationResult
        >>> result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     [path.name for path in result.save(folder, metadata={"data": "three"})]
        ['report.txt', 'report.md', 'evaluation.json']
        """
        document = self.to_dict(curves=curves)
        clash = set(metadata or {}) & set(document)
        if clash:
            msg = f"metadata must not replace the evaluation's own keys: {sorted(clash)}."
            raise ValueError(msg)
        document.update(to_plain(metadata or {}))
        folder = Path(os.fspath(folder))
        folder.mkdir(parents=True, exist_ok=True)
        contents = {
            "report.txt": self.to_text() + "\n",
            "report.md": self.to_markdown() + "\n",
            "evaluation.json": json.dumps(document, indent=1, allow_nan=False) + "\n",
        }
        paths = []
        for name, text in contents.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths
