"""Tests of selective prediction: the risk-coverage curve, the error at a coverage and the
AUROC of confidence, alone and in ``EvaluationResult``, each against an independent computation."""

import itertools
import json
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import roc_auc_score

from mnistkit import load_sample
from mnistkit.evaluation import (
    EvaluationResult,
    confidence_auroc,
    error_at_coverage,
    evaluate,
    risk_coverage_curve,
)

# Six answers, three wrong; a right and a wrong answer tied at 0.8, two wrong at 0.5.
HAND_TRUE = [1, 2, 3, 4, 5, 6]
HAND_PRED = [1, 2, 0, 4, 0, 0]
HAND_CONFIDENCE = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5]


def _random_answers(seed, n=200, n_levels=12):
    """Labels with about a quarter wrong, and confidences with many ties."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 10, n)
    y_pred = np.where(rng.random(n) < 0.25, (y_true + 1) % 10, y_true)
    # Right answers somewhat surer; few distinct levels, so that ties abound.
    raw = rng.random(n) + 0.3 * (y_true == y_pred)
    confidence = np.round(raw * n_levels) / n_levels
    return y_true, y_pred, confidence


def _brute_force_curve(y_true, y_pred, confidence):
    """For each distinct confidence, highest first: the share kept and their error rate."""
    wrong = np.asarray(y_true) != np.asarray(y_pred)
    confidence = np.asarray(confidence)
    points = []
    for threshold in sorted(set(confidence.tolist()), reverse=True):
        kept = confidence >= threshold
        points.append((kept.mean(), wrong[kept].mean(), threshold))
    return tuple(np.array(column) for column in zip(*points, strict=True))


# -- the curve ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_curve_matches_a_brute_force_computation(seed):
    y_true, y_pred, confidence = _random_answers(seed)
    coverage, risk, thresholds = risk_coverage_curve(y_true, y_pred, confidence)
    expected = _brute_force_curve(y_true, y_pred, confidence)
    assert len(thresholds) < len(y_true)  # the data has ties
    assert_allclose(coverage, expected[0])
    assert_allclose(risk, expected[1])
    assert_array_equal(thresholds, expected[2])


def test_curve_runs_from_the_surest_answers_to_all():
    y_true, y_pred, confidence = _random_answers(0)
    coverage, risk, thresholds = risk_coverage_curve(y_true, y_pred, confidence)
    assert np.all(np.diff(coverage) > 0)
    assert np.all(np.diff(thresholds) < 0)
    assert coverage[-1] == 1.0
    assert risk[-1] == pytest.approx(np.mean(y_true != y_pred))
    # The sample order does not matter.
    order = np.random.default_rng(1).permutation(len(y_true))
    again = risk_coverage_curve(y_true[order], y_pred[order], confidence[order])
    for first, second in zip((coverage, risk, thresholds), again, strict=True):
        assert_allclose(first, second)


def test_curve_hand_made():
    coverage, risk, thresholds = risk_coverage_curve(HAND_TRUE, HAND_PRED, HAND_CONFIDENCE)
    assert_allclose(coverage, [1 / 6, 3 / 6, 4 / 6, 1.0])
    assert_allclose(risk, [0.0, 1 / 3, 1 / 4, 1 / 2])
    assert_array_equal(thresholds, [0.9, 0.8, 0.7, 0.5])


def test_curve_of_one_confidence_and_of_string_labels():
    coverage, risk, thresholds = risk_coverage_curve(["a", "b", "c"], ["a", "b", "b"],
                                                     [0.5, 0.5, 0.5])
    assert_array_equal(coverage, [1.0])
    assert_allclose(risk, [1 / 3])
    assert_array_equal(thresholds, [0.5])


# -- the error at a coverage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        (1 / 6, 0.0),        # the answer at 0.9
        (1 / 3, 0.25),       # and half of the tied pair at 0.8, one right, one wrong
        (0.5, 1 / 3),        # the three surest
        (0.8, 2 / 5),        # five: four above 0.5 (one wrong), one of the two wrong at 0.5
        (0.95, 0.5),         # ceil(5.7) = 6: all
        (1.0, 0.5),
    ],
)
def test_error_at_coverage_hand_made(coverage, expected):
    error = error_at_coverage(HAND_TRUE, HAND_PRED, HAND_CONFIDENCE, coverage)
    assert error == pytest.approx(expected)


def test_error_at_coverage_counts_whole_answers_despite_rounding():
    # 0.07 * 100 is 7.000000000000001 in floating point: still 7 answers, not 8.
    y_true = np.zeros(100, dtype=int)
    y_pred = np.r_[np.zeros(7, dtype=int), np.ones(93, dtype=int)]
    confidence = np.linspace(1.0, 0.0, 100)
    assert error_at_coverage(y_true, y_pred, confidence, 0.07) == 0.0
    assert error_at_coverage(y_true, y_pred, confidence, 0.08) == pytest.approx(1 / 8)


def _expected_error_over_tie_orders(y_true, y_pred, confidence, n_kept):
    """The mean error of the ``n_kept`` first answers over every order of the ties."""
    wrong = np.asarray(y_true) != np.asarray(y_pred)
    confidence = np.asarray(confidence)
    blocks = [np.flatnonzero(confidence == c) for c in sorted(set(confidence), reverse=True)]
    errors = []
    for orders in itertools.product(*(itertools.permutations(block) for block in blocks)):
        ranked = np.concatenate(orders)
        errors.append(wrong[ranked[:n_kept]].mean())
    return float(np.mean(errors))


@pytest.mark.parametrize("seed", range(3))
def test_error_at_coverage_is_the_mean_over_every_order_of_the_ties(seed):
    y_true, y_pred, confidence = _random_answers(seed, n=9, n_levels=3)
    assert len(set(confidence)) < len(confidence)
    for n_kept in range(1, 10):
        expected = _expected_error_over_tie_orders(y_true, y_pred, confidence, n_kept)
        assert error_at_coverage(y_true, y_pred, confidence, n_kept / 9) == pytest.approx(
            expected)


def test_error_at_coverage_agrees_with_the_curve_at_its_points():
    y_true, y_pred, confidence = _random_answers(3)
    for c, r in zip(*risk_coverage_curve(y_true, y_pred, confidence)[:2], strict=True):
        assert error_at_coverage(y_true, y_pred, confidence, c) == pytest.approx(r)


@pytest.mark.parametrize(
    ("coverage", "message"),
    [
        (95, r"a number in \(0, 1\], got 95; for 95% pass 0.95"),
        (0.0, r"a number in \(0, 1\], got 0.0\."),
        (-0.5, r"got -0.5\."),
        ("most", r"coverage must be a number in \(0, 1\], got 'most'"),
    ],
)
def test_error_at_coverage_rejects_a_bad_coverage(coverage, message):
    with pytest.raises(ValueError, match=message):
        error_at_coverage(HAND_TRUE, HAND_PRED, HAND_CONFIDENCE, coverage)


# -- the AUROC ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_auroc_is_scikit_learns_of_right_against_wrong(seed):
    y_true, y_pred, confidence = _random_answers(seed)
    expected = roc_auc_score((y_true == y_pred).astype(int), confidence)
    assert confidence_auroc(y_true, y_pred, confidence) == pytest.approx(expected)
    # Surer right answers: better than chance; reversed, worse.
    assert confidence_auroc(y_true, y_pred, confidence) > 0.5
    assert confidence_auroc(y_true, y_pred, -confidence) == pytest.approx(1 - expected)


def test_auroc_hand_made_counts_ties_half():
    # Right: 0.9, 0.8, 0.7; wrong: 0.8, 0.5, 0.5. Of nine pairs, 7 won and one tied.
    assert confidence_auroc(HAND_TRUE, HAND_PRED, HAND_CONFIDENCE) == pytest.approx(7.5 / 9)


@pytest.mark.parametrize("y_pred", [[1, 2, 3], [0, 0, 0]], ids=["all right", "all wrong"])
def test_auroc_is_nan_without_both_kinds_of_answer(y_pred):
    # No exception and no warning (warnings are errors in this suite).
    assert math.isnan(confidence_auroc([1, 2, 3], y_pred, [0.9, 0.5, 0.1]))


# -- input checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y_true", "y_pred", "confidence", "message"),
    [
        ([1, 2, 3], [1, 2], [0.5, 0.5, 0.5], "y_true has 3 labels but y_pred has 2 labels"),
        ([1, 2, 3], [1, 2, 3], [0.5, 0.5], "confidence has 2 values but y_pred has 3 answers"),
        ([1, 2, 3], [1, 2, 3], [0.5, np.nan, np.nan],
         r"confidence holds 2 NaN values \(the first for answer 1\)"),
        ([1, 2, 3], [1, 2, 3], [0.5, np.inf, 0.1], "confidence holds 1 infinite values"),
        ([1, 2], [1, 2], [[0.9, 0.1], [0.2, 0.8]],
         r"one number per answer.*shape \(2, 2\).*y_score.max\(axis=1\)"),
        ([1, 2], [1, 2], ["sure", "unsure"], "confidence must be an array of numbers"),
        ([], [], [], "y_true is empty"),
        ([0.5, 1.5], [0.5, 1.5], [0.5, 0.5], "y_true must hold class labels"),
    ],
)
@pytest.mark.parametrize("function", [risk_coverage_curve, confidence_auroc, error_at_coverage])
def test_bad_input_is_named(function, y_true, y_pred, confidence, message):
    with pytest.raises(ValueError, match=message):
        function(y_true, y_pred, confidence)


# -- in EvaluationResult --------------------------------------------------------------


@pytest.fixture(scope="module")
def model_and_test():
    train, test = load_sample(), load_sample(subset="test")
    model = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=0.1).fit(train.data,
                                                                         train.target)
    return model, test.data[:300], test.target[:300]


@pytest.fixture(scope="module")
def result(model_and_test):
    return evaluate(*model_and_test)


def test_result_confidence_is_the_top_probability(result, model_and_test):
    model, X, y = model_and_test
    proba = model.predict_proba(X)
    assert_array_equal(model.classes_[proba.argmax(axis=1)], result.y_pred)
    assert_allclose(result.confidence, proba.max(axis=1))
    right = result.y_true == result.y_pred
    assert 0 < right.sum() < len(right)
    assert result.confidence_auroc == pytest.approx(roc_auc_score(right, proba.max(axis=1)))
    expected = _brute_force_curve(y, result.y_pred, proba.max(axis=1))
    for got, want in zip(result.risk_coverage_curve, expected, strict=True):
        assert_allclose(got, want)
    assert list(result.error_at_coverage) == [0.95, 0.98, 0.99]
    for coverage, error in result.error_at_coverage.items():
        assert error == error_at_coverage(y, result.y_pred, result.confidence, coverage)
    # The mistakes keep their order, by the same confidence.
    mistakes = result.misclassified
    assert_allclose(mistakes["confidence"], result.confidence[mistakes["index"]])
    assert np.all(np.diff(mistakes["confidence"]) <= 0)


def test_result_confidence_of_decision_values():
    # The second answer is not the label of the highest score: its own score counts.
    scores = np.array([[2.0, -1.0, 0.5], [0.4, 0.3, -2.0], [-1.0, 0.0, 3.0], [1.0, 1.5, 0.0]])
    result = EvaluationResult.from_predictions([0, 0, 2, 0], [0, 1, 2, 1], scores,
                                               score_source="decision_function")
    assert_allclose(result.confidence, [2.0, 0.3, 3.0, 1.5])
    assert result.confidence_auroc == pytest.approx(1.0)


def test_result_without_scores_has_no_confidence():
    result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    assert result.confidence is None
    assert result.confidence_auroc is None
    assert result.risk_coverage_curve is None
    assert result.error_at_coverage is None
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["confidence_auroc"] is None
    assert data["error_at_coverage"] is None
    assert data["risk_coverage_curve"] is None
    assert data["confidence"] is None
    assert "Confidence" not in result.to_text()
    assert "Confidence" not in result.to_markdown()


def test_to_dict_holds_the_confidence_figures(result):
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["confidence_auroc"] == result.confidence_auroc
    assert data["error_at_coverage"] == {
        str(c): e for c, e in result.error_at_coverage.items()}
    coverage, risk, thresholds = result.risk_coverage_curve
    assert_allclose(data["risk_coverage_curve"]["coverage"], coverage)
    assert_allclose(data["risk_coverage_curve"]["risk"], risk)
    assert_allclose(data["risk_coverage_curve"]["thresholds"], thresholds)
    assert_allclose(data["confidence"], result.confidence)
    # The short summary keeps the numbers and leaves out what grows with the test set.
    short = result.to_dict(curves=False)
    assert short["confidence_auroc"] == result.confidence_auroc
    assert "risk_coverage_curve" not in short
    assert "confidence" not in short


def test_all_right_gives_nan_auroc_said_in_words_and_null_in_json():
    result = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 1],
                                               [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]])
    assert math.isnan(result.confidence_auroc)
    assert result.error_at_coverage == {0.95: 0.0, 0.98: 0.0, 0.99: 0.0}
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["confidence_auroc"] is None
    assert "AUROC n/a (every answer is right)" in result.to_text()
    assert "AUROC n/a (every answer is right)" in result.to_markdown()
    wrong = EvaluationResult.from_predictions([0, 1, 1], [1, 0, 0],
                                              [[0.1, 0.9], [0.8, 0.2], [0.7, 0.3]])
    assert "AUROC n/a (every answer is wrong)" in wrong.to_text()


def test_reports_give_the_confidence_figures(result, tmp_path):
    errors = result.error_at_coverage
    expected = (f"95% {errors[0.95]:.4f}, 98% {errors[0.98]:.4f}, 99% {errors[0.99]:.4f}, "
                f"100% {1 - result.accuracy:.4f}")
    text = result.to_text()
    assert f"right vs. wrong: AUROC {result.confidence_auroc:.4f}\n" in text
    assert f"Error at coverage (the most confident share kept): {expected}\n" in text
    markdown = result.to_markdown()
    assert f"right vs. wrong: AUROC {result.confidence_auroc:.4f}." in markdown
    assert f"(the most confident share kept): {expected}." in markdown
    paths = result.save(tmp_path)
    saved = json.loads(paths[2].read_text(encoding="utf-8"))
    assert saved["confidence_auroc"] == result.confidence_auroc
    assert expected in paths[0].read_text(encoding="utf-8")
    assert expected in paths[1].read_text(encoding="utf-8")
