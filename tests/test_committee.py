"""Tests for the committee and for the mode="accurate" pipeline built from it."""

import threading

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from mnistkit import MNISTClassifier, load_sample
from mnistkit.classifier._accurate import member_threads
from mnistkit.classifier._committee import Committee
from mnistkit.classifier._distorted import FitOnDistortedCopies

MEMBERS = [("narrow", SVC(gamma=1.0)), ("wide", SVC(gamma=0.05)), ("soft", SVC(C=0.1))]


def test_scores_are_the_mean_of_the_members():
    X, y = load_iris(return_X_y=True)
    committee = Committee(MEMBERS).fit(X, y)
    members = [clone(est).fit(X, y) for _, est in MEMBERS]
    expected = np.mean([m.decision_function(X) for m in members], axis=0)
    np.testing.assert_allclose(committee.decision_function(X), expected)
    np.testing.assert_array_equal(committee.predict(X), np.argmax(expected, axis=1))
    assert list(committee.named_estimators_) == ["narrow", "wide", "soft"]
    # The average can disagree with a member: it is not just the first one.
    assert any((m.predict(X) != committee.predict(X)).any() for m in members)


def test_binary_scores_and_labels():
    X, y = make_classification(60, n_features=5, random_state=0)
    labels = np.where(y == 1, "yes", "no")
    committee = Committee(MEMBERS[:2]).fit(X, labels)
    scores = committee.decision_function(X)
    assert scores.shape == (60,)
    np.testing.assert_array_equal(committee.predict(X), np.where(scores > 0, "yes", "no"))


def test_parallel_members_give_the_same_result():
    X, y = load_iris(return_X_y=True)
    one = Committee(MEMBERS, n_jobs=1).fit(X, y).decision_function(X)
    two = Committee(MEMBERS, n_jobs=2).fit(X, y).decision_function(X)
    np.testing.assert_array_equal(one, two)
    at_once = Committee(MEMBERS, fit_at_once=True).fit(X, y)
    np.testing.assert_array_equal(at_once.decision_function(X), one)
    assert list(at_once.named_estimators_) == ["narrow", "wide", "soft"]


def test_members_fitted_at_once_run_in_threads_of_their_own():
    X, y = load_iris(return_X_y=True)
    threads = []

    class Recorded(SVC):
        def fit(self, X, y):
            threads.append(threading.get_ident())
            return super().fit(X, y)

    members = [("a", Recorded()), ("b", Recorded(C=0.5))]
    Committee(members).fit(X, y)
    assert threads == [threading.get_ident()] * 2
    threads.clear()
    Committee(members, fit_at_once=True).fit(X, y)
    assert threading.get_ident() not in threads


@parametrize_with_checks([Committee([("default", SVC()), ("soft", SVC(C=0.1))])])
def test_scikit_learn_compatible(estimator, check):
    check(estimator)


def test_needs_members():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="at least one member"):
        Committee([]).fit(X, y)


# mode="accurate" ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_digits():
    X, y = load_sample(return_X_y=True)
    X_test, _ = load_sample(subset="test", return_X_y=True)
    return X[:500], y[:500], X_test[:100]


def test_accurate_is_a_committee_of_three_svms(small_digits):
    X, y, _ = small_digits
    clf = MNISTClassifier(mode="accurate", random_state=0).fit(X, y)
    committee = clf.pipeline_.named_steps["model"]
    assert isinstance(committee, Committee)
    assert list(committee.named_estimators_) == [
        "moment-gdf-x2-grid9-aug", "deskew-hog", "moment-gdf"
    ]
    # The first member learns from one "light" distorted copy of every image.
    distorted = committee.estimators_[0]
    assert isinstance(distorted, FitOnDistortedCopies)
    assert (distorted.kind, distorted.n_copies, distorted.random_state) == ("light", 1, 0)
    assert distorted.estimator_[-1].shape_fit_ == (2 * len(X), 120)
    pipelines = [distorted.estimator_, *committee.estimators_[1:]]
    # Each member transforms blocks of images, then PCA, then ten one-vs-rest
    # SVMs, unless multiclass= says otherwise.
    steps = [[type(step).__name__ for _, step in member.steps] for member in pipelines]
    assert steps == [["TransformInBlocks", "PCA", "OneVsRestSVC"]] * 3
    images = [[type(step).__name__ for step in member[0].transformer_.named_steps.values()]
              for member in pipelines]
    assert images == [
        ["MomentNormalize", "GradientDirectionFeatures"],
        ["Deskew", "HOGFeatures"],
        ["MomentNormalize", "GradientDirectionFeatures"],
    ]
    # It takes its gradients on the digit enlarged twice, on a finer grid.
    first = distorted.estimator_[0].transformer_.named_steps["features"]
    assert (first.upsample, first.grid, first.work_side_) == (2, 9, 56)
    assert all(type(m[-1].estimator).__name__ == "SVC" for m in pipelines)
    pcas = [member.named_steps["pca"].n_components for member in pipelines]
    assert pcas == [120, 80, 100]
    # The members' scores are averaged: the committee is not one of them.
    scores = np.mean([m.decision_function(X) for m in committee.estimators_], axis=0)
    np.testing.assert_allclose(committee.decision_function(X), scores)


@pytest.mark.parametrize(("threads", "shares"), [
    (2, None), (13, None), (14, [10, 2, 2]), (15, [10, 3, 2]), (16, [10, 3, 3]),
    (64, [10, 27, 27]),
])
def test_members_are_fitted_at_once_with_threads_to_spare(threads, shares):
    assert member_threads(threads, 3) == shares
    assert member_threads(threads, 1) is None


def test_accurate_with_many_threads_fits_its_members_at_once(small_digits):
    X, y, X_test = small_digits
    # One BLAS thread, as each xdist worker has: with more (``pytest -n 0`` on
    # several cores), BLAS sums in another order and the values differ by rounding.
    with threadpool_limits(limits=1, user_api="blas"):
        serial = MNISTClassifier(mode="accurate", random_state=0, n_jobs=1).fit(X, y)
        at_once = MNISTClassifier(mode="accurate", random_state=0, n_jobs=16).fit(X, y)
        serial_values = serial.decision_function(X_test)
        at_once_values = at_once.decision_function(X_test)
    committee = at_once.pipeline_.named_steps["model"]
    assert committee.fit_at_once
    assert not serial.pipeline_.named_steps["model"].fit_at_once
    # Each member's parallel work has its share of the sixteen threads.
    jobs = [{value for key, value in member.get_params().items() if key.endswith("n_jobs")}
            for _, member in committee.estimators]
    assert jobs == [{10}, {3}, {3}]
    # The same model either way.
    np.testing.assert_allclose(at_once_values, serial_values)


def test_accurate_takes_one_vs_one_members_on_request(small_digits):
    X, y, _ = small_digits
    clf = MNISTClassifier(mode="accurate", multiclass="ovo", random_state=0).fit(X, y)
    first, *others = clf.pipeline_.named_steps["model"].estimators_
    pipelines = [first.estimator_, *others]
    assert [type(member[-1]).__name__ for member in pipelines] == ["OneVsOneSVC"] * 3


def test_accurate_refuses_features_it_does_not_average(small_digits):
    X, y, _ = small_digits
    for features in ("pixels", "hog"):
        with pytest.raises(ValueError, match=f"needs features='auto'; got features='{features}'"):
            MNISTClassifier(mode="accurate", features=features).fit(X, y)
