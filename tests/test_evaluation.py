"""Tests of ``evaluate`` and ``EvaluationResult``: each figure against an independent one."""

import json
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, label_binarize

from mnistkit import load_sample
from mnistkit.evaluation import EvaluationResult, evaluate

DIGITS = np.arange(10)


class PredictOnly(ClassifierMixin, BaseEstimator):
    """Nearest class mean: predicts, but has neither predict_proba nor decision_function."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.means_ = np.stack([X[y == c].mean(axis=0) for c in self.classes_])
        return self

    def predict(self, X):
        distances = ((np.asarray(X)[:, None, :] - self.means_[None]) ** 2).sum(axis=2)
        return self.classes_[distances.argmin(axis=1)]


@pytest.fixture(scope="module")
def mnist():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    return X / 255.0, y, X_test / 255.0, y_test


@pytest.fixture(scope="module")
def logistic(mnist):
    X, y, _, _ = mnist
    return LogisticRegression(tol=1e-2).fit(X[:1000], y[:1000])


@pytest.fixture(scope="module")
def ridge(mnist):
    X, y, _, _ = mnist
    return RidgeClassifier().fit(X, y)


@pytest.fixture(scope="module")
def proba_result(mnist, logistic):
    _, _, X_test, y_test = mnist
    return evaluate(logistic, X_test, y_test)


@pytest.fixture(scope="module")
def decision_result(mnist, ridge):
    _, _, X_test, y_test = mnist
    return evaluate(ridge, X_test, y_test)


# -- hand-made cases ------------------------------------------------------------------

# Three classes counted by hand: rows are the true class, columns the predicted one.
HAND_TRUE = [0, 0, 0, 1, 1, 2, 2, 2, 2]
HAND_PRED = [0, 1, 2, 1, 1, 2, 2, 0, 2]
HAND_COUNTS = [[1, 1, 1], [0, 2, 0], [1, 0, 3]]


def test_hand_made_counts_and_rates():
    result = EvaluationResult.from_predictions(HAND_TRUE, HAND_PRED)
    assert_array_equal(result.labels, [0, 1, 2])
    assert result.n_samples == 9
    assert result.accuracy == pytest.approx(6 / 9)
    assert_array_equal(result.confusion_matrix, HAND_COUNTS)
    assert result.confusion_matrix.dtype.kind == "i"
    assert_allclose(result.precision, [1 / 2, 2 / 3, 3 / 4])
    assert_allclose(result.recall, [1 / 3, 1, 3 / 4])
    assert_allclose(result.f1, [0.4, 0.8, 0.75])
    assert_array_equal(result.support, [3, 2, 4])
    assert result.macro_avg == pytest.approx(
        {"precision": (1 / 2 + 2 / 3 + 3 / 4) / 3, "recall": (1 / 3 + 1 + 3 / 4) / 3,
         "f1": (0.4 + 0.8 + 0.75) / 3, "support": 9}
    )
    assert result.weighted_avg == pytest.approx(
        {"precision": (3 * 1 / 2 + 2 * 2 / 3 + 4 * 3 / 4) / 9,
         "recall": 6 / 9, "f1": (3 * 0.4 + 2 * 0.8 + 4 * 0.75) / 9, "support": 9}
    )
    assert result.y_score is None
    assert result.score_source is None
    assert result.roc_curves == result.roc_auc == result.pr_curves == {}
    assert result.average_precision == {}


def test_hand_made_normalized_confusion_matrix():
    result = EvaluationResult.from_predictions(HAND_TRUE, HAND_PRED)
    assert_allclose(
        result.normalized_confusion_matrix("true"),
        [[1 / 3, 1 / 3, 1 / 3], [0, 1, 0], [1 / 4, 0, 3 / 4]],
    )
    assert_allclose(
        result.normalized_confusion_matrix("pred"),
        [[1 / 2, 1 / 3, 1 / 4], [0, 2 / 3, 0], [1 / 2, 0, 3 / 4]],
    )
    assert_allclose(result.normalized_confusion_matrix("all"), np.array(HAND_COUNTS) / 9)
    counts = result.normalized_confusion_matrix(None)
    assert counts.dtype == np.float64
    assert_array_equal(counts, HAND_COUNTS)


def test_normalized_confusion_matrix_has_zeros_not_nan_for_empty_rows_and_columns():
    # Label 2 is never true and never predicted.
    result = EvaluationResult.from_predictions([0, 1, 1], [0, 0, 1], labels=[0, 1, 2])
    for how in ("true", "pred", "all"):
        matrix = result.normalized_confusion_matrix(how)
        assert not np.isnan(matrix).any()
        assert_array_equal(matrix[2], 0)
        assert_array_equal(matrix[:, 2], 0)
    assert_allclose(result.normalized_confusion_matrix("true")[:2, :2], [[1, 0], [0.5, 0.5]])
    assert result.precision[2] == result.recall[2] == result.f1[2] == 0


def test_normalized_confusion_matrix_rejects_unknown_normalisation():
    result = EvaluationResult.from_predictions(HAND_TRUE, HAND_PRED)
    with pytest.raises(ValueError, match=r"normalize must be one of .*'rows'"):
        result.normalized_confusion_matrix("rows")


def test_hand_made_roc_auc_and_average_precision():
    # The textbook case: one negative outscores one positive, so AUC = 3/4;
    # precision at the two positives' ranks is 1/1 and 2/3, so AP = (1 + 2/3) / 2.
    scores = np.array([0.1, 0.4, 0.35, 0.8])
    result = EvaluationResult.from_predictions(
        [0, 0, 1, 1], (scores > 0.5).astype(int), scores, score_source="predict_proba"
    )
    assert result.roc_auc[1] == pytest.approx(0.75)
    assert result.roc_auc[0] == pytest.approx(0.75)
    assert result.average_precision[1] == pytest.approx(5 / 6)
    # The score of class 0 is 1 - p for a probability.
    assert_allclose(result.y_score[:, 0], 1 - scores)
    assert_allclose(result.y_score[:, 1], scores)
    fpr, tpr, _ = result.roc_curves[1]
    assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])


def test_perfect_scores_give_unit_areas():
    y = np.repeat([0, 1, 2], 4)
    scores = np.eye(3)[y] * 0.8 + 0.1
    result = EvaluationResult.from_predictions(y, y, scores)
    for key in [0, 1, 2, "micro", "macro"]:
        assert result.roc_auc[key] == pytest.approx(1.0)
        assert result.average_precision[key] == pytest.approx(1.0)
    assert result.misclassified["index"].size == 0
    assert result.top_confusions() == []


def test_string_labels():
    y_true = np.array(["cat", "dog", "bird", "dog", "cat"])
    y_pred = np.array(["cat", "cat", "bird", "dog", "dog"])
    result = EvaluationResult.from_predictions(y_true, y_pred)
    assert_array_equal(result.labels, ["bird", "cat", "dog"])
    assert_array_equal(
        result.confusion_matrix, confusion_matrix(y_true, y_pred, labels=result.labels)
    )
    assert result.top_confusions() == [("cat", "dog", 1), ("dog", "cat", 1)]
    json.dumps(result.to_dict(), allow_nan=False)


# -- against scikit-learn on real digits ----------------------------------------------


def test_counts_match_sklearn(mnist, logistic, proba_result):
    _, _, X_test, y_test = mnist
    y_pred = logistic.predict(X_test)
    result = proba_result
    assert_array_equal(result.labels, logistic.classes_)
    assert_array_equal(result.y_true, y_test)
    assert_array_equal(result.y_pred, y_pred)
    assert result.n_samples == len(y_test)
    assert result.accuracy == pytest.approx(accuracy_score(y_test, y_pred))
    assert_array_equal(result.confusion_matrix, confusion_matrix(y_test, y_pred, labels=DIGITS))
    for how in ("true", "pred", "all"):
        assert_allclose(
            result.normalized_confusion_matrix(how),
            confusion_matrix(y_test, y_pred, labels=DIGITS, normalize=how),
        )
    precision, recall, f1, support = precision_recall_fscore_support(
        y_test, y_pred, labels=DIGITS, zero_division=0
    )
    assert_allclose(result.precision, precision)
    assert_allclose(result.recall, recall)
    assert_allclose(result.f1, f1)
    assert_array_equal(result.support, support)
    for average, got in (("macro", result.macro_avg), ("weighted", result.weighted_avg)):
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_test, y_pred, labels=DIGITS, average=average, zero_division=0
        )
        assert got["precision"] == pytest.approx(precision)
        assert got["recall"] == pytest.approx(recall)
        assert got["f1"] == pytest.approx(f1)
        assert got["support"] == len(y_test)


def test_probability_curves_match_sklearn(mnist, logistic, proba_result):
    _, _, X_test, y_test = mnist
    proba = logistic.predict_proba(X_test)
    result = proba_result
    assert result.score_source == "predict_proba"
    assert_allclose(result.y_score, proba)
    onehot = label_binarize(y_test, classes=DIGITS)
    for digit in DIGITS.tolist():
        for got, expected in zip(
            result.roc_curves[digit], roc_curve(y_test == digit, proba[:, digit]), strict=True
        ):
            assert_allclose(got, expected)
        for got, expected in zip(
            result.pr_curves[digit],
            precision_recall_curve(y_test == digit, proba[:, digit]),
            strict=True,
        ):
            assert_allclose(got, expected)
        assert result.roc_auc[digit] == pytest.approx(
            roc_auc_score(y_test == digit, proba[:, digit])
        )
        assert result.average_precision[digit] == pytest.approx(
            average_precision_score(y_test == digit, proba[:, digit])
        )
    assert result.roc_auc["macro"] == pytest.approx(
        roc_auc_score(y_test, proba, multi_class="ovr", average="macro")
    )
    assert result.roc_auc["micro"] == pytest.approx(
        roc_auc_score(onehot, proba, average="micro")
    )
    for got, expected in zip(
        result.roc_curves["micro"], roc_curve(onehot.ravel(), proba.ravel()), strict=True
    ):
        assert_allclose(got, expected)
    assert result.average_precision["micro"] == pytest.approx(
        average_precision_score(onehot, proba, average="micro")
    )
    assert result.average_precision["macro"] == pytest.approx(
        average_precision_score(onehot, proba, average="macro")
    )
    assert set(result.roc_curves) == set(result.roc_auc) == {*DIGITS.tolist(), "micro", "macro"}
    assert set(result.pr_curves) == set(result.average_precision) == {
        *DIGITS.tolist(), "micro", "macro"}


def test_macro_precision_recall_curve_is_the_mean_interpolated_precision(mnist, logistic,
                                                                          proba_result):
    _, _, X_test, y_test = mnist
    proba = logistic.predict_proba(X_test)
    precision, recall, thresholds = proba_result.pr_curves["macro"]
    assert thresholds is None
    # Independently: for each digit, the best precision at this recall or above,
    # from scikit-learn's own curve, averaged over the digits.
    curves = [precision_recall_curve(y_test == d, proba[:, d])[:2] for d in DIGITS]
    all_recall = np.unique(np.concatenate([r for _, r in curves]))
    assert_array_equal(recall, all_recall[::-1])  # decreasing, as scikit-learn's curves
    for k in range(0, len(recall), 7):
        expected = np.mean([p[r >= recall[k]].max() for p, r in curves])
        assert precision[k] == pytest.approx(expected)
    assert (recall[0], recall[-1]) == (1.0, 0.0)


def test_macro_roc_curve_is_the_mean_on_the_union_grid(proba_result):
    result = proba_result
    grid, mean_tpr, thresholds = result.roc_curves["macro"]
    assert thresholds is None
    all_fpr = np.concatenate([result.roc_curves[d][0] for d in DIGITS.tolist()])
    assert_array_equal(grid, np.unique(all_fpr))
    expected = np.mean(
        [np.interp(grid, *result.roc_curves[d][:2]) for d in DIGITS.tolist()], axis=0
    )
    assert_allclose(mean_tpr, expected)
    assert (grid[0], grid[-1], mean_tpr[-1]) == (0.0, 1.0, 1.0)
    assert np.all(np.diff(mean_tpr) >= 0)


def test_decision_function_scores(mnist, ridge, decision_result):
    _, _, X_test, y_test = mnist
    assert not hasattr(ridge, "predict_proba")
    decision = ridge.decision_function(X_test)
    result = decision_result
    assert result.score_source == "decision_function"
    assert_allclose(result.y_score, decision)
    assert result.accuracy == pytest.approx(accuracy_score(y_test, ridge.predict(X_test)))
    for digit in DIGITS.tolist():
        assert result.roc_auc[digit] == pytest.approx(
            roc_auc_score(y_test == digit, decision[:, digit])
        )
    onehot = label_binarize(y_test, classes=DIGITS)
    assert result.roc_auc["macro"] == pytest.approx(roc_auc_score(onehot, decision))
    assert result.roc_auc["micro"] == pytest.approx(
        roc_auc_score(onehot, decision, average="micro")
    )
    # The confidence of a mistake is the decision value of the predicted class.
    wrong = result.misclassified
    assert_allclose(wrong["confidence"], decision[wrong["index"], wrong["predicted"]])


def test_probabilities_preferred_to_decision_values(mnist, logistic):
    _, _, X_test, y_test = mnist
    assert hasattr(logistic, "decision_function")
    result = evaluate(logistic, X_test[:200], y_test[:200])
    assert result.score_source == "predict_proba"


def test_pipeline(mnist):
    X, y, X_test, y_test = mnist
    model = make_pipeline(StandardScaler(), RidgeClassifier()).fit(X[:500], y[:500])
    result = evaluate(model, X_test, y_test)
    assert result.accuracy == pytest.approx(model.score(X_test, y_test))
    assert result.score_source == "decision_function"


# -- binary ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_or_eight(mnist):
    X, y, X_test, y_test = mnist
    train, test = np.isin(y, [3, 8]), np.isin(y_test, [3, 8])
    return X[train], y[train], X_test[test], y_test[test]


def test_binary_decision_function(three_or_eight):
    X, y, X_test, y_test = three_or_eight
    model = RidgeClassifier().fit(X, y)
    decision = model.decision_function(X_test)
    assert decision.ndim == 1
    result = evaluate(model, X_test, y_test)
    assert_array_equal(result.labels, [3, 8])
    assert result.y_score.shape == (len(y_test), 2)
    assert_allclose(result.y_score, np.column_stack([-decision, decision]))
    expected = roc_auc_score(y_test == 8, decision)
    assert result.roc_auc[8] == pytest.approx(expected)
    assert result.roc_auc[3] == pytest.approx(expected)
    assert result.average_precision[8] == pytest.approx(
        average_precision_score(y_test == 8, decision)
    )
    assert result.average_precision[3] == pytest.approx(
        average_precision_score(y_test == 3, -decision)
    )
    wrong = result.misclassified
    sign = np.where(wrong["predicted"] == 8, 1, -1)
    assert_allclose(wrong["confidence"], sign * decision[wrong["index"]])
    assert np.all(wrong["confidence"] >= 0)


def test_binary_probabilities(three_or_eight):
    X, y, X_test, y_test = three_or_eight
    model = LogisticRegression(tol=1e-2).fit(X, y)
    proba = model.predict_proba(X_test)
    result = evaluate(model, X_test, y_test)
    assert_allclose(result.y_score, proba)
    assert result.roc_auc[8] == pytest.approx(roc_auc_score(y_test, proba[:, 1]))
    assert result.roc_auc[3] == pytest.approx(roc_auc_score(y_test == 3, proba[:, 0]))
    assert_array_equal(
        result.confusion_matrix, confusion_matrix(y_test, model.predict(X_test), labels=[3, 8])
    )


# -- labels ---------------------------------------------------------------------------


def test_labels_reorder_rows_and_score_columns(mnist, logistic, proba_result):
    _, _, X_test, y_test = mnist
    reverse = DIGITS[::-1]
    result = evaluate(logistic, X_test, y_test, labels=reverse)
    assert_array_equal(result.labels, reverse)
    assert_array_equal(result.confusion_matrix, proba_result.confusion_matrix[::-1, ::-1])
    assert_allclose(result.y_score, proba_result.y_score[:, ::-1])
    assert_allclose(result.precision, proba_result.precision[::-1])
    for digit in DIGITS.tolist():
        assert result.roc_auc[digit] == pytest.approx(proba_result.roc_auc[digit])
    assert_array_equal(
        result.misclassified["confidence"], proba_result.misclassified["confidence"]
    )


def test_labels_must_be_the_models_classes(mnist, logistic):
    _, _, X_test, y_test = mnist
    with pytest.raises(ValueError, match=r"same labels as the model's classes_"):
        evaluate(logistic, X_test, y_test, labels=[0, 1, 2])
    with pytest.raises(ValueError, match=r"same labels as the model's classes_"):
        evaluate(logistic, X_test, y_test, labels=[0, 1, 2], curves=False)


def test_label_absent_from_y_true_has_no_curve(mnist, logistic):
    _, _, X_test, y_test = mnist
    keep = y_test != 7
    result = evaluate(logistic, X_test[keep], y_test[keep])
    assert_array_equal(result.labels, DIGITS)
    assert result.support[7] == 0
    assert math.isnan(result.roc_auc[7])
    assert math.isnan(result.average_precision[7])
    assert 7 not in result.roc_curves
    assert 7 not in result.pr_curves
    present = [d for d in DIGITS.tolist() if d != 7]
    assert result.roc_auc["macro"] == pytest.approx(np.mean([result.roc_auc[d] for d in present]))
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["roc_auc"]["7"] is None
    assert "n/a" in result.to_text()


# -- top confusions and mistakes ------------------------------------------------------


def test_top_confusions_order_and_counts(proba_result):
    counts = proba_result.confusion_matrix
    pairs = proba_result.top_confusions(None)
    off_diagonal = counts.sum() - np.trace(counts)
    assert sum(c for _, _, c in pairs) == off_diagonal
    assert all(c > 0 and t != p for t, p, c in pairs)
    assert [c for _, _, c in pairs] == sorted((c for _, _, c in pairs), reverse=True)
    for t, p, c in pairs:
        assert counts[t, p] == c
    assert proba_result.top_confusions(3) == pairs[:3]
    assert len(proba_result.top_confusions()) == min(10, len(pairs))
    masked = counts.copy()
    np.fill_diagonal(masked, 0)
    assert pairs[0][2] == masked.max()


def test_top_confusions_ties_follow_label_order():
    result = EvaluationResult.from_predictions([2, 2, 0, 1, 1, 0], [0, 1, 2, 0, 0, 0])
    assert result.top_confusions() == [(1, 0, 2), (0, 2, 1), (2, 0, 1), (2, 1, 1)]
    assert result.top_confusions(0) == []


def test_misclassified_most_confident_first(mnist, logistic, proba_result):
    _, _, X_test, y_test = mnist
    y_pred = logistic.predict(X_test)
    proba = logistic.predict_proba(X_test)
    wrong = proba_result.misclassified
    expected_index = np.flatnonzero(y_pred != y_test)
    assert_array_equal(np.sort(wrong["index"]), expected_index)
    assert_array_equal(wrong["true"], y_test[wrong["index"]])
    assert_array_equal(wrong["predicted"], y_pred[wrong["index"]])
    assert_allclose(wrong["confidence"], proba[wrong["index"], wrong["predicted"]])
    assert np.all(np.diff(wrong["confidence"]) <= 0)
    assert set(wrong) == {"index", "true", "predicted", "confidence"}


def test_misclassified_hand_made_ties_and_no_scores():
    scores = [[0.2, 0.8], [0.6, 0.4], [0.1, 0.9], [0.6, 0.4], [0.7, 0.3]]
    result = EvaluationResult.from_predictions([0, 1, 0, 1, 0], [1, 0, 1, 0, 0], scores)
    assert result.misclassified["index"].tolist() == [2, 0, 1, 3]
    assert_allclose(result.misclassified["confidence"], [0.9, 0.8, 0.6, 0.6])
    plain = EvaluationResult.from_predictions([0, 1, 0, 1, 0], [1, 0, 1, 0, 0])
    assert plain.misclassified["index"].tolist() == [0, 1, 2, 3]
    assert np.isnan(plain.misclassified["confidence"]).all()


# -- without scores -------------------------------------------------------------------


def test_curves_false_asks_only_for_predictions(mnist):
    X, y, X_test, y_test = mnist
    model = PredictOnly().fit(X, y)
    result = evaluate(model, X_test, y_test, curves=False)
    y_pred = model.predict(X_test)
    assert result.accuracy == pytest.approx(accuracy_score(y_test, y_pred))
    assert result.y_score is None
    assert result.score_source is None
    assert result.roc_curves == result.roc_auc == {}
    assert result.pr_curves == result.average_precision == {}
    assert np.isnan(result.misclassified["confidence"]).all()
    assert "ROC AUC" not in result.to_text()


def test_curves_false_on_a_model_with_scores(mnist, logistic):
    _, _, X_test, y_test = mnist
    result = evaluate(logistic, X_test[:100], y_test[:100], curves=False)
    assert result.y_score is None
    assert result.roc_auc == {}


# -- images ---------------------------------------------------------------------------


def test_images_kept_for_784_pixels(mnist, proba_result):
    _, _, X_test, _ = mnist
    assert proba_result.images.shape == (len(X_test), 28, 28)
    assert_array_equal(proba_result.images[5], X_test[5].reshape(28, 28))


def test_no_images_for_other_features():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    y = (X[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    assert evaluate(model, X, y).images is None


def test_from_predictions_keeps_images():
    images = np.zeros((3, 28, 28))
    result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0], images=images)
    assert result.images is images or np.shares_memory(result.images, images)
    with pytest.raises(ValueError, match=r"images has 2 images but y_true has 3 labels"):
        EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0], images=images[:2])


# -- bad input ------------------------------------------------------------------------


def test_length_mismatch(mnist, logistic):
    _, _, X_test, y_test = mnist
    with pytest.raises(ValueError, match=r"^X has 100 images but y has 99 labels\.$"):
        evaluate(logistic, X_test[:100], y_test[:99])
    with pytest.raises(ValueError, match=r"y_true has 3 labels but y_pred has 2 labels"):
        EvaluationResult.from_predictions([0, 1, 1], [0, 1])


def test_labels_the_model_never_saw(mnist, logistic):
    _, _, X_test, y_test = mnist
    y = y_test[:100].copy()
    y[3] = 11
    with pytest.raises(
        ValueError,
        match=r"y holds labels the model never saw during fit: \[11\]\. "
        r"The model knows \[0 1 2 3 4 5 6 7 8 9\]\.",
    ):
        evaluate(logistic, X_test[:100], y)


def test_model_without_scores_needs_curves_false(mnist):
    X, y, X_test, y_test = mnist
    model = PredictOnly().fit(X[:300], y[:300])
    with pytest.raises(
        ValueError,
        match=r"Curves need scores, but PredictOnly has neither predict_proba nor "
        r"decision_function; pass curves=False\.",
    ):
        evaluate(model, X_test, y_test)


def test_single_class(mnist, logistic):
    _, _, X_test, y_test = mnist
    threes = y_test == 3
    with pytest.raises(
        ValueError, match=r"Evaluation needs at least two classes in y, got only \[3\]\."
    ):
        evaluate(logistic, X_test[threes], y_test[threes])
    with pytest.raises(ValueError, match=r"at least two classes in y_true, got only \[1\]"):
        EvaluationResult.from_predictions([1, 1], [1, 0])


def test_unfitted_model(mnist):
    _, _, X_test, y_test = mnist
    with pytest.raises(NotFittedError):
        evaluate(LogisticRegression(), X_test, y_test)


def test_y_must_hold_class_labels():
    with pytest.raises(ValueError, match=r"y_true must hold class labels.*'continuous'"):
        EvaluationResult.from_predictions([0.5, 1.5, 2.25], [0, 1, 2])
    with pytest.raises(ValueError, match=r"y_true must be a 1-D array of class labels"):
        EvaluationResult.from_predictions(np.zeros((3, 2)), [0, 1, 2])


def test_from_predictions_bad_scores():
    y_true, y_pred = [0, 1, 2, 2], [0, 1, 2, 1]
    with pytest.raises(ValueError, match=r"shape \(4, 3\), got shape \(4, 2\)"):
        EvaluationResult.from_predictions(y_true, y_pred, np.ones((4, 2)), labels=[0, 1, 2])
    with pytest.raises(ValueError, match=r"y_score has 4 columns .* pass labels="):
        EvaluationResult.from_predictions(y_true, y_pred, np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"y_score is 1-D, which only makes sense for two"):
        EvaluationResult.from_predictions(y_true, y_pred, np.ones(4))
    with pytest.raises(ValueError, match=r"NaN or infinite"):
        EvaluationResult.from_predictions(y_true, y_pred, np.full((4, 3), np.nan))
    with pytest.raises(ValueError, match=r"y_pred holds labels that are not in labels: \[2\]"):
        EvaluationResult.from_predictions([0, 1, 1], [0, 1, 2], labels=[0, 1])
    with pytest.raises(ValueError, match=r"must not repeat a label"):
        EvaluationResult.from_predictions([0, 1, 1], [0, 1, 1], labels=[0, 1, 1])
    with pytest.raises(ValueError, match=r"score_source must be one of"):
        EvaluationResult.from_predictions([0, 1], [0, 1], [0.2, 0.8], score_source="proba")


# -- output ---------------------------------------------------------------------------


def test_to_dict_round_trips_through_json(proba_result):
    result = proba_result
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["n_samples"] == result.n_samples
    assert data["labels"] == DIGITS.tolist()
    assert data["score_source"] == "predict_proba"
    assert data["accuracy"] == result.accuracy
    assert data["confusion_matrix"] == result.confusion_matrix.tolist()
    assert_allclose(
        data["normalized_confusion_matrix"]["pred"], result.normalized_confusion_matrix("pred")
    )
    for j, row in enumerate(data["per_label"]):
        assert row["label"] == j
        assert row["precision"] == result.precision[j]
        assert row["recall"] == result.recall[j]
        assert row["f1"] == result.f1[j]
        assert row["support"] == result.support[j]
        assert row["roc_auc"] == result.roc_auc[j]
    assert data["macro_avg"] == result.macro_avg
    assert data["weighted_avg"] == result.weighted_avg
    assert data["roc_auc"]["macro"] == result.roc_auc["macro"]
    assert data["average_precision"]["3"] == result.average_precision[3]
    assert data["top_confusions"] == [list(pair) for pair in result.top_confusions(None)]
    assert data["misclassified"]["index"] == result.misclassified["index"].tolist()
    assert_allclose(data["roc_curves"]["4"]["tpr"], result.roc_curves[4][1])
    assert data["roc_curves"]["4"]["thresholds"][0] is None  # infinity is not JSON
    assert data["roc_curves"]["macro"]["thresholds"] is None
    assert_allclose(data["pr_curves"]["micro"]["precision"], result.pr_curves["micro"][0])
    short = result.to_dict(curves=False)
    assert "roc_curves" not in short
    assert "pr_curves" not in short
    assert len(json.dumps(short)) < len(json.dumps(data))


def test_text_report_holds_the_numbers(proba_result):
    result = proba_result
    text = result.to_text()
    assert text == str(result)
    assert f"Accuracy: {result.accuracy:.4f}" in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["label", "precision"])
    for j, line in enumerate(lines[header + 1 : header + 11]):
        cells = line.split()
        assert cells[0] == str(j)
        assert cells[1:] == [
            f"{result.precision[j]:.4f}",
            f"{result.recall[j]:.4f}",
            f"{result.f1[j]:.4f}",
            str(result.support[j]),
            f"{result.roc_auc[j]:.4f}",
            f"{result.average_precision[j]:.4f}",
        ]
    macro = next(line for line in lines if line.strip().startswith("macro avg"))
    assert macro.split()[2:] == [
        f"{result.macro_avg['precision']:.4f}",
        f"{result.macro_avg['recall']:.4f}",
        f"{result.macro_avg['f1']:.4f}",
        "1000",
        f"{result.roc_auc['macro']:.4f}",
        f"{result.average_precision['macro']:.4f}",
    ]
    assert f"micro {result.roc_auc['micro']:.4f}" in text
    true, pred, count = result.top_confusions(1)[0]
    assert f"  {true} -> {pred}: {count}" in text
    assert "scores from predict_proba" in text
    assert repr(result) == (
        f"<EvaluationResult: 1000 samples, 10 labels, accuracy {result.accuracy:.4f}>"
    )


def test_text_report_hand_made():
    result = EvaluationResult.from_predictions(HAND_TRUE, HAND_PRED)
    text = result.to_text(digits=2, top=2)
    assert "Accuracy: 0.67 (6 of 9 right)" in text
    assert "0.50    0.33      0.40        3" in text
    assert "  0 -> 1: 1\n  0 -> 2: 1" in text
    assert "2 -> 0" not in text


def test_markdown_report(proba_result):
    result = proba_result
    markdown = result.to_markdown()
    table = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert table[0] == (
        "| label | precision | recall | f1-score | support | ROC AUC | avg precision |"
    )
    assert table[1] == "| :--- | ---: | ---: | ---: | ---: | ---: | ---: |"
    assert table[2] == (
        f"| 0 | {result.precision[0]:.4f} | {result.recall[0]:.4f} | {result.f1[0]:.4f} | "
        f"{result.support[0]} | {result.roc_auc[0]:.4f} | {result.average_precision[0]:.4f} |"
    )
    true, pred, count = result.top_confusions(1)[0]
    assert f"| {true} | {pred} | {count} |" in table
    assert f"**Accuracy:** {result.accuracy:.4f}" in markdown


def test_save_writes_three_reports(tmp_path, proba_result):
    folder = tmp_path / "run" / "eval"
    paths = proba_result.save(folder)
    assert [p.name for p in paths] == ["report.txt", "report.md", "evaluation.json"]
    assert all(p.parent == folder for p in paths)
    assert paths[0].read_text(encoding="utf-8").strip() == proba_result.to_text()
    assert paths[1].read_text(encoding="utf-8").strip() == proba_result.to_markdown()
    data = json.loads(paths[2].read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(proba_result.to_dict()))


def test_save_writes_the_document_mnistkit_evaluate_writes(tmp_path):
    result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    result.save(tmp_path / "short", curves=False, metadata={"data": {"n_test": 4}})
    short = json.loads((tmp_path / "short" / "evaluation.json").read_text(encoding="utf-8"))
    assert short["data"] == {"n_test": 4}
    assert short["n_misclassified"] == 1
    assert "misclassified" not in short
    assert "per_image" not in short
    result.save(tmp_path / "full")
    full = json.loads((tmp_path / "full" / "evaluation.json").read_text(encoding="utf-8"))
    assert full["per_image"] == {"y_true": [0, 1, 1, 0], "y_pred": [0, 1, 0, 0]}
    assert full["misclassified"]["index"] == [2]
    with pytest.raises(ValueError, match="accuracy"):
        result.save(tmp_path / "clash", metadata={"accuracy": 1.0})


def test_a_result_shows_itself_in_a_notebook():
    result = EvaluationResult.from_predictions([0, 1, 1, 2, 2, 2], [0, 1, 0, 2, 1, 1])
    page = result._repr_html_()
    assert "accuracy 0.5000 on 6 samples" in page
    # One row per label, with sklearn's own figures.
    precision, recall, f1, support = precision_recall_fscore_support(
        [0, 1, 1, 2, 2, 2], [0, 1, 0, 2, 1, 1], zero_division=0)
    for j in range(3):
        assert (f"<tr><td>{j}</td><td>{precision[j]:.4f}</td><td>{recall[j]:.4f}</td>"
                f"<td>{f1[j]:.4f}</td><td>{support[j]}</td></tr>") in page
    assert "2 read as 1: 2" in page
