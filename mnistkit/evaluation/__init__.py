"""Evaluation: every figure of a classifier's test, and cross-validated model comparisons.

:func:`evaluate` measures one fitted model on a labelled test set (accuracy,
confusion matrix, per-label precision, recall and F1, ROC and precision/recall
curves with their areas, the most confused labels and the most confident
mistakes, and how well the model's confidence tells its right answers from
its wrong) and returns an :class:`EvaluationResult` that prints as a report
and converts to a dict, JSON or Markdown. :func:`compare_models` compares
several models by stratified cross-validation and returns a
:class:`ModelComparison`. :func:`risk_coverage_curve`,
:func:`error_at_coverage` and :func:`confidence_auroc` judge any confidence
of any model's answers.

Every number the plots and the command line show is computed here.
"""

from ._compare import ModelComparison, compare_models
from ._evaluate import evaluate
from ._result import EvaluationResult
from ._selective import confidence_auroc, error_at_coverage, risk_coverage_curve

__all__ = [
    "EvaluationResult",
    "ModelComparison",
    "compare_models",
    "confidence_auroc",
    "error_at_coverage",
    "evaluate",
    "risk_coverage_curve",
]

# For the parts above (plotting, the command line), so that they compute no number
# themselves; not in __all__, and free to change. CONFIDENCE_NAMES names the
# confidence of an answer by the source of its scores; model_scores and
# one_vs_rest_curves serve the plots that draw one kind of curve only;
# normalize_confusion_matrix divides counts as normalized_confusion_matrix does;
# dispatch_order and workers_and_threads let benchmarks/bench_scaling.py schedule
# compare_models's fits on more cores as compare_models would.
from ._compare import dispatch_order as dispatch_order
from ._compare import workers_and_threads as workers_and_threads
from ._curves import one_vs_rest_curves as one_vs_rest_curves
from ._evaluate import model_scores as model_scores
from ._result import normalize_confusion_matrix as normalize_confusion_matrix
from ._selective import CONFIDENCE_NAMES as CONFIDENCE_NAMES
