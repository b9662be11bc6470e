"""Confidence that ranks, and novelty that says "not a digit" (classifier._confidence)."""

import copy
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.svm import SVC

from mnistkit import MNISTClassifier, load_model, load_sample
from mnistkit.classifier._confidence import (
    ConfidenceModel,
    _fit_logistic,
    pairwise_margins,
    scores_and_ranking,
)


@pytest.fixture(scope="module")
def sample():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def fast(fitted_on_sample):
    return fitted_on_sample(probability="fast")


def test_pairwise_margins_against_libsvm(sample):
    X, y, X_test, _ = sample
    X, X_test = X[:600] / 255, X_test[:200] / 255
    svc = SVC().fit(X, y[:600])
    margins, scores = pairwise_margins(svc, X_test)
    # The votes-first scores are SVC's own decision values.
    np.testing.assert_allclose(scores, svc.decision_function(X_test), rtol=1e-10)
    # Each pair's value, brute force: libsvm's one-vs-one output, pair by pair.
    pairs = SVC(decision_function_shape="ovo").fit(X, y[:600]).decision_function(X_test)
    k = 0
    for i in range(10):
        for j in range(i + 1, 10):
            np.testing.assert_allclose(margins[:, i, j], pairs[:, k], rtol=1e-10)
            np.testing.assert_allclose(margins[:, j, i], -pairs[:, k], rtol=1e-10)
            k += 1


def test_confidence_is_the_weakest_win_and_the_neighbours_agreement(fast, sample):
    X_test = sample[2][:100]
    front = fast._front(fast._validated(X_test))
    margins, _ = pairwise_margins(fast.pipeline_[-1], front)
    predicted = np.searchsorted(fast.classes_, fast.predict(X_test))
    weakest = np.array([min(margins[n, c, j] for j in range(10) if j != c)
                        for n, c in enumerate(predicted)])
    # Brute force: the labels of the five nearest reference digits.
    model = fast.confidence_model_
    assert model.agreement_slope > 0
    distances = ((front[:, None, :] - model.reference[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(distances, axis=1)[:, :5]
    agreement = (model.reference_labels[nearest] == predicted[:, None]).mean(axis=1)
    assert 0 < (agreement < 1).sum() < len(agreement)  # neighbours do disagree, sometimes
    expected = model.right_probability(weakest, agreement)
    top = fast.predict_proba(X_test).max(axis=1)
    np.testing.assert_allclose(top, np.maximum(expected, 0.1 + 1e-6), rtol=1e-6)


def test_a_model_saved_before_the_agreement_counted_ranks_by_its_margin(fast, sample):
    X_test = sample[2][:100]
    old = copy.deepcopy(fast)
    # What skops rebuilds from a file of an earlier version: no such attributes.
    del old.confidence_model_.reference_labels, old.confidence_model_.agreement_slope
    front = old._front(old._validated(X_test))
    _, ranking = scores_and_ranking(old.pipeline_[-1], front)
    expected = old.confidence_model_.right_probability(ranking)
    top = old.predict_proba(X_test).max(axis=1)
    np.testing.assert_allclose(top, np.maximum(expected, 0.1 + 1e-6), rtol=1e-10)
    assert old.assess(X_test).verdict.shape == (100,)


def test_probabilities_keep_the_prediction(fast, sample):
    X_test = sample[2]
    proba = fast.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba >= 0).all()
    np.testing.assert_array_equal(fast.classes_[proba.argmax(axis=1)], fast.predict(X_test))


def test_confidence_ranks_right_above_wrong(fast, sample):
    _, _, X_test, y_test = sample
    result = fast.assess(X_test)
    right = result.prediction == y_test
    assert 5 <= (~right).sum() < 100
    assert roc_auc_score(right, result.confidence) > 0.95
    # Setting aside the 5% least confident removes more than half the mistakes.
    kept = np.argsort(-result.confidence, kind="stable")[: int(0.95 * len(right))]
    assert (~right[kept]).sum() < 0.5 * (~right).sum()


def test_shared_rest_never_outranks_the_prediction():
    model = ConfidenceModel(np.zeros((1, 2), np.float32), None, slope=1.0, intercept=-3.0)
    class_proba = np.array([[0.5, 0.45, 0.05], [0.2, 0.7, 0.1]])
    proba = model.proba(class_proba, ranking=np.array([0.0, 10.0]))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), [0, 1])
    # A low chance of being right (0.047, raised to 1/3) with a close second: the
    # rest is shared equally, so the prediction stays on top.
    np.testing.assert_allclose(proba[0], [1 / 3, 1 / 3, 1 / 3], atol=1e-5)
    # A sure answer: the rest in proportion to the class probabilities.
    top = 1 / (1 + np.exp(-7.0))
    np.testing.assert_allclose(proba[1], [(1 - top) * 2 / 3, top, (1 - top) / 3])


def test_verdicts(fast, sample):
    X_test = sample[2]
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(5, 784))
    bar = np.zeros((5, 28, 28))
    bar[:, 4:24, 4:24] = 255  # a filled square
    result = fast.assess(np.vstack([X_test[:200], noise, bar.reshape(5, -1)]))
    assert set(result.verdict[200:]) == {"not a digit"}
    assert (result.verdict[:200] == "digit").mean() >= 0.95
    assert (result.novelty[200:] > 1).all()
    for verdict, reason in zip(result.verdict, result.reason, strict=True):
        assert (verdict == "digit") == (reason == "")
    np.testing.assert_array_equal(result.prediction, fast.predict(np.vstack(
        [X_test[:200], noise, bar.reshape(5, -1)])))


def test_verdict_thresholds(fast, sample):
    X_test = sample[2][:50]
    everything = fast.assess(X_test, min_confidence=0.0, max_novelty=np.inf)
    assert set(everything.verdict) == {"digit"}
    doubtful = fast.assess(X_test, min_confidence=1.0, max_novelty=np.inf)
    assert set(doubtful.verdict) == {"unsure"}
    assert all(reason.endswith("likely to be right, below 100%") for reason in doubtful.reason)
    # A threshold with more decimals is shown with them, and a confidence under it is
    # rounded down: never "100.0% likely to be right, below 99.99%".
    for threshold, decimals in ((0.9999, 2), (0.9999999, 5)):
        picky = fast.assess(X_test, min_confidence=threshold, max_novelty=np.inf)
        unsure = picky.verdict == "unsure"
        assert unsure.any()
        limit = re.escape(f"{threshold * 100:.{decimals}f}")
        for confidence, reason in zip(picky.confidence[unsure], picky.reason[unsure],
                                      strict=True):
            found = re.match(rf"(\d+\.\d{{{decimals}}})% likely to be right, below {limit}%$",
                             reason)
            assert found, reason
            shown = float(found[1])
            assert shown <= confidence * 100 < shown + 10.0**-decimals
    novel = fast.assess(X_test, max_novelty=1e-9)
    assert set(novel.verdict) == {"not a digit"}


@pytest.mark.parametrize(("option", "value"), [("min_confidence", 1.5),
                                                ("min_confidence", -0.1),
                                                ("max_novelty", 0.0)])
def test_bad_thresholds(fast, sample, option, value):
    with pytest.raises(ValueError, match=option):
        fast.assess(sample[2][:2], **{option: value})


def test_assess_needs_probability_fast(sample):
    X, y, _, _ = sample
    assert not hasattr(MNISTClassifier(), "assess")
    assert not hasattr(MNISTClassifier(probability=True), "assess")
    assert not hasattr(MNISTClassifier(backend="rf", probability="fast"), "assess")
    assert hasattr(MNISTClassifier(backend="sgd", probability="fast"), "assess")
    with pytest.raises(AttributeError) as caught:
        MNISTClassifier(backend="rf").assess(X[:1])
    assert "backend='rf', probability=False" in str(caught.value.__cause__)
    assert "fitted with probability='fast'" in str(caught.value.__cause__)
    # Two classes fall back to probability=True's calibration: no novelty learnt.
    two = np.isin(y, [3, 5])
    model = MNISTClassifier(probability="fast").fit(X[two][:200], y[two][:200])
    with pytest.raises(ValueError, match="learnt no novelty"):
        model.assess(X[two][:2])


def test_accurate_mode_learns_its_confidence_from_few_images(sample):
    # The committee's SVMs keep 80 to 120 PCA components; the calibration's second
    # model sees a quarter of these 300 images (75), too few for any of them.
    X, y, X_test, y_test = sample
    model = MNISTClassifier(mode="accurate", probability="fast", random_state=0)
    model.fit(X[:300], y[:300])
    result = model.assess(X_test[:50])
    assert np.mean(result.prediction == y_test[:50]) > 0.8
    np.testing.assert_allclose(model.predict_proba(X_test[:50]).sum(axis=1), 1)


def test_sgd_ranks_by_its_margin(sample):
    X, y, X_test, y_test = sample
    sgd = MNISTClassifier(backend="sgd", probability="fast", random_state=0).fit(X, y)
    result = sgd.assess(X_test)
    right = result.prediction == y_test
    assert roc_auc_score(right, result.confidence) > 0.85
    np.testing.assert_allclose(sgd.predict_proba(X_test).max(axis=1), result.confidence)


def test_confidence_survives_clone_save_and_load(fast, sample, tmp_path):
    X_test = sample[2][:30]
    assert not hasattr(clone(fast), "confidence_model_")
    path = fast.save(tmp_path / "fast.mnistkit")
    loaded = load_model(path)
    first, again = fast.assess(X_test), loaded.assess(X_test)
    np.testing.assert_array_equal(first.verdict, again.verdict)
    np.testing.assert_allclose(first.novelty, again.novelty, rtol=1e-6)


def test_drawn_non_digits_are_framed_like_digits():
    from mnistkit.classifier._non_digits import make_non_digits

    drawn = make_non_digits(60, random_state=1)
    assert drawn.dtype == np.uint8
    assert 50 <= len(drawn) <= 60
    np.testing.assert_array_equal(drawn, make_non_digits(60, random_state=1))
    images = drawn.reshape(-1, 28, 28).astype(float)
    assert (images.max(axis=(1, 2)) == 255).all()
    # MNIST's frame: the centre of mass at (14, 14), to a pixel.
    for axis in (1, 2):
        profile = images.sum(axis=axis)
        centre = (profile * np.arange(28)).sum(axis=1) / profile.sum(axis=1)
        assert np.abs(centre - 14).max() <= 1.0


def test_novelty_without_drawn_non_digits(sample):
    # Images of another size than 28x28: novelty is the distance to digits alone.
    X, y, X_test, _ = sample
    small = X.reshape(-1, 28, 28)[:, ::2, ::2].reshape(len(X), -1)
    model = MNISTClassifier(features="pixels", probability="fast", random_state=0)
    model.fit(small, y)
    assert model.confidence_model_.non_digits is None
    tests = X_test.reshape(-1, 28, 28)[:200, ::2, ::2].reshape(200, -1)
    noise = np.random.default_rng(0).integers(0, 256, size=(5, 196))
    result = model.assess(np.vstack([tests, noise]))
    assert (result.verdict[:200] == "not a digit").mean() < 0.05
    assert (result.verdict[200:] == "not a digit").all()


def test_a_score_that_lowers_the_chance_of_being_right_is_left_out():
    rng = np.random.default_rng(0)
    ranking = rng.normal(size=2000)
    agreement = rng.uniform(size=2000)
    right = rng.uniform(size=2000) < 1 / (1 + np.exp(-(3 * ranking + 2)))
    # An agreement that goes against being right gets no weight; the ranking keeps its own.
    slope, agreement_slope, _ = _fit_logistic(ranking, 1.0 - right, right)
    assert agreement_slope == 0.0
    assert slope == pytest.approx(_fit_logistic(ranking, None, right)[0])
    # Both count when both tell right from wrong.
    both = rng.uniform(size=2000) < 1 / (1 + np.exp(-(2 * ranking + 4 * agreement - 1)))
    slope, agreement_slope, _ = _fit_logistic(ranking, agreement, both)
    assert slope > 1
    assert agreement_slope > 2
    # A ranking that goes against being right leaves a constant chance.
    slope, agreement_slope, intercept = _fit_logistic(-ranking, None, right)
    share = (right.sum() + 1) / (right.size + 2)
    assert (slope, agreement_slope) == (0.0, 0.0)
    assert intercept == pytest.approx(np.log(share / (1 - share)))


def test_with_only_right_answers_the_chance_is_constant_and_smoothed():
    ranking, agreement = np.linspace(-1, 1, 98), np.linspace(0, 1, 98)
    assert _fit_logistic(ranking, agreement, np.ones(98, bool)) == pytest.approx(
        (0.0, 0.0, np.log(99 / 1)))
    assert _fit_logistic(ranking, agreement, np.zeros(98, bool)) == pytest.approx(
        (0.0, 0.0, np.log(1 / 99)))

