"""Evaluation: every figure of a classifier's test, and cross-validated model comparisons.

:func:`evaluate` measures one fitted model on a labelled test set (accuracy,
confusion matrix, per-label precision, recall and F1, ROC and precision/recall
curves with their areas, the most confused labels and the most confident
mistakes) and returns an :class:`EvaluationResult` that prints as a report and
converts to a dict, JSON or Markdown. :func:`compare_models` compares several
models by stratified cross-validation and returns a :class:`ModelComparison`.
"""

from ._compare import ModelComparison, compare_models
from ._evaluate import evaluate
from ._result import EvaluationResult

__all__ = [
    "EvaluationResult",
    "ModelComparison",
    "compare_models",
    "evaluate",
]
