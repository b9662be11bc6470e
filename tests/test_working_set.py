"""WorkingSetSVC: the SVM of all the images, fitted through growing working sets."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import SVC

from mnistkit.classifier import _parallel, _working_set
from mnistkit.classifier._parallel import OneVsRestSVC
from mnistkit.classifier._working_set import WorkingSetSVC, rbf_gamma, rbf_kernel

TOL = 1e-3  # libsvm's default tolerance, which both fits stop at


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:1500], y[:1500], X[1500:], y[1500:]


def test_rbf_kernel_equals_scikit_learns():
    rng = np.random.default_rng(0)
    X, support = rng.random((7, 5)), rng.random((11, 5))
    norms = (support**2).sum(axis=1)
    np.testing.assert_allclose(rbf_kernel(X, support, norms, 0.3),
                               sklearn_rbf_kernel(X, support, gamma=0.3), atol=1e-12)


def test_gamma_is_the_one_svc_uses(digits):
    X, y, X_test, _ = digits
    for gamma in ("scale", "auto"):
        model = WorkingSetSVC(SVC(gamma=gamma)).fit(X, y == 3)
        reference = SVC(gamma=rbf_gamma(gamma, X)).fit(X, y == 3)
        np.testing.assert_allclose(model.decision_function(X_test),
                                   SVC(gamma=gamma).fit(X, y == 3).decision_function(X_test))
        np.testing.assert_allclose(model.decision_function(X_test),
                                   reference.decision_function(X_test))
    assert rbf_gamma("scale", np.ones((4, 3))) == 1.0


@pytest.mark.parametrize("digit", [0, 8, 9])
def test_working_sets_reach_the_svm_of_all_the_images(digits, digit):
    X, y, X_test, _ = digits
    svc = SVC(C=10, gamma=rbf_gamma("scale", X))
    model = WorkingSetSVC(svc, first_size=100).fit(X, y == digit)
    reference = clone(svc).fit(X, y == digit)
    assert model.n_rounds_ > 1  # it grew its working set
    # The same boundary, up to the tolerance both solvers stop at...
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=10 * TOL)
    np.testing.assert_allclose(model.decision_function(X),
                               reference.decision_function(X), atol=10 * TOL)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))
    # ... the same support vectors but for ones on the margin's edge ...
    differ = np.setxor1d(model.support_, reference.support_)
    if len(differ):
        edge = np.abs(np.abs(reference.decision_function(X[differ])) - 1) < 10 * TOL
        assert edge.all()
    # ... and no image outside them breaks the margin.
    signs = np.where(y == digit, 1, -1)
    outside = np.setdiff1d(np.arange(len(X)), model.support_)
    assert (signs[outside] * model.decision_function(X[outside]) >= 1 - 2 * TOL).all()


def assert_fitted_whole(model, reference, X_test):
    """The same SVM as libsvm's on all the images, to rounding."""
    assert_array_equal(model.support_, reference.support_)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=1e-10)


def test_small_problems_are_fitted_whole(digits):
    X, y, X_test, _ = digits
    model = WorkingSetSVC(SVC(C=10)).fit(X, y == 8)
    reference = SVC(C=10).fit(X, y == 8)
    assert model.n_rounds_ == 1
    assert_fitted_whole(model, reference, X_test)


def test_labels_and_class_weights_follow_the_images(digits):
    X, y, X_test, _ = digits
    labels = np.where(y == 5, "five", "other")
    for weights in ("balanced", {"five": 3.0}):
        svc = SVC(C=10, gamma=rbf_gamma("scale", X), class_weight=weights)
        model = WorkingSetSVC(svc, first_size=100).fit(X, labels)
        reference = clone(svc).fit(X, labels)
        assert_array_equal(model.classes_, ["five", "other"])
        assert_array_equal(model.predict(X_test), reference.predict(X_test))
        np.testing.assert_allclose(model.decision_function(X_test),
                                   reference.decision_function(X_test), atol=10 * TOL)


def test_same_working_sets_under_one_random_state(digits):
    X, y, _, _ = digits
    fits = [WorkingSetSVC(first_size=100, random_state=3).fit(X, y == 4) for _ in range(2)]
    assert_array_equal(fits[0].support_, fits[1].support_)
    assert_array_equal(fits[0].dual_coef_, fits[1].dual_coef_)


def test_margins_checked_in_small_blocks_are_the_same(digits, monkeypatch):
    # Kernel values are computed a block of images at a time; blocks of a few
    # images find the same working sets as all the images in one block (the
    # next test checks a shorter last block against libsvm itself).
    X, y, _, _ = digits
    monkeypatch.setattr(_working_set, "_BLOCK_VALUES", 1 << 30)
    whole = WorkingSetSVC(first_size=100).fit(X, y == 4)
    monkeypatch.setattr(_working_set, "_BLOCK_VALUES", 997)
    blocks = WorkingSetSVC(first_size=100).fit(X, y == 4)
    assert 1 < 997 // len(whole.support_) < len(X)  # several blocks of several images
    assert whole.n_rounds_ > 1  # checked under more than one working set
    assert_array_equal(blocks.support_, whole.support_)
    np.testing.assert_allclose(blocks.dual_coef_, whole.dual_coef_, rtol=1e-6)


def test_margins_in_blocks_are_libsvms_with_a_shorter_last_block(digits, monkeypatch):
    # The check's blocks of 7 images leave a shorter last one; every image's
    # y f(x) is the SVM's own decision value, signed by its label.
    X, y, _, _ = digits
    labels = (y == 4).astype(int)
    signs = np.where(labels == 1, 1.0, -1.0)
    working = np.arange(200)
    svm = SVC(gamma=0.001).fit(X[working], labels[working])
    rows = np.arange(200, len(X))
    monkeypatch.setattr(_working_set, "_BLOCK_VALUES", 7 * len(svm.support_))
    assert len(rows) % 7
    margins = _working_set._MarginCheck(X, signs, 0.001)(rows, svm, working)
    np.testing.assert_allclose(margins, signs[rows] * svm.decision_function(X[rows]),
                               rtol=1e-4, atol=1e-4)


def test_a_problem_that_does_not_settle_is_fitted_whole(digits, monkeypatch):
    X, y, X_test, _ = digits
    monkeypatch.setattr(_working_set, "MAX_ROUNDS", 1)
    model = WorkingSetSVC(SVC(C=10), first_size=100).fit(X, y == 8)
    reference = SVC(C=10).fit(X, y == 8)
    assert model.n_rounds_ == 2
    assert_fitted_whole(model, reference, X_test)


def test_only_two_classes_and_rbf_svms(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match="two classes; got 10"):
        WorkingSetSVC().fit(X, y)
    with pytest.raises(TypeError, match="kernel='rbf'"):
        WorkingSetSVC(SVC(kernel="linear")).fit(X, y == 1)


def test_one_vs_rest_svms_fit_through_working_sets(digits, monkeypatch):
    X, y, X_test, _ = digits
    monkeypatch.setattr(_parallel, "FIRST_WORKING_SET", 100)
    model = OneVsRestSVC(SVC(C=10), n_jobs=2).fit(X, y)
    reference = OneVsRestClassifier(SVC(C=10, gamma=model.gamma_)).fit(X, y)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=10 * TOL)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))
    one_thread = OneVsRestSVC(SVC(C=10), n_jobs=1).fit(X, y)
    assert_array_equal(one_thread.dual_coef_, model.dual_coef_)
