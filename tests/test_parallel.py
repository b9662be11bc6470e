"""Using every core: blocks and pairs in threads give what one thread gives."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsOneClassifier, OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

from mnistkit import MNISTClassifier, load_sample
from mnistkit.classifier._augment import augment_digits
from mnistkit.classifier._confidence import pairwise_margins
from mnistkit.classifier._features import HOGFeatures, MomentNormalize
from mnistkit.classifier._gradients import GradientDirectionFeatures
from mnistkit.classifier._parallel import (
    OneVsOneSVC,
    OneVsRestSVC,
    TransformInBlocks,
)


@pytest.fixture(scope="module")
def sample():
    return load_sample(return_X_y=True)


@pytest.fixture(scope="module")
def small_digits():
    X, y = load_digits(return_X_y=True)
    return X[:1000], y[:1000], X[1000:], y[1000:]


@pytest.mark.parametrize(
    "transformer",
    [
        MomentNormalize(),
        Pipeline([("n", MomentNormalize()), ("f", GradientDirectionFeatures(upsample=2))]),
        HOGFeatures(),
    ],
    ids=["moments", "enlarged-gradients", "hog"],
)
def test_blocks_in_threads_equal_one_call(sample, transformer):
    X = sample[0][:700].astype(np.float32)
    expected = clone(transformer).fit(X).transform(X)
    for n_jobs in (1, 3):
        blocks = TransformInBlocks(transformer, n_jobs=n_jobs, block_size=128).fit(X)
        assert_array_equal(blocks.transform(X), expected)


def test_blocks_keep_the_order_and_check_their_size():
    X = np.arange(10.0).reshape(-1, 1)
    double = TransformInBlocks(FunctionTransformer(lambda Z: 2 * Z), n_jobs=2, block_size=3)
    assert_array_equal(double.fit_transform(X), 2 * X)
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        TransformInBlocks(FunctionTransformer(), block_size=0).fit(X)


def test_blocks_use_one_blas_thread_each():
    from threadpoolctl import threadpool_info

    # n_jobs threads, each calling BLAS with all its threads, would ask for
    # n_jobs times the cores; one job with many small products was 10% slower too.
    def blas_threads(Z):
        seen.update(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return Z

    seen = set()
    X = np.arange(20.0).reshape(-1, 1)
    TransformInBlocks(FunctionTransformer(blas_threads), n_jobs=2, block_size=4).fit_transform(X)
    assert seen == {1}


def test_copies_do_not_depend_on_the_number_of_threads(sample):
    X, y = sample[0][:2500], sample[1][:2500]
    one = augment_digits(X, y, n_copies=1, kind="light", random_state=3, n_jobs=1)
    two = augment_digits(X, y, n_copies=1, kind="light", random_state=3, n_jobs=2)
    assert_array_equal(one[0], two[0])
    other = augment_digits(X, y, n_copies=1, kind="light", random_state=4, n_jobs=2)
    assert not np.array_equal(one[0][len(X):], other[0][len(X):])


def test_pairs_equal_scikit_learns_one_vs_one(small_digits):
    X, y, X_test, _ = small_digits
    model = OneVsOneSVC(SVC(C=10), n_jobs=2).fit(X, y)
    assert model.gamma_ == pytest.approx(1 / (X.shape[1] * X.var()))  # "scale" on all data
    reference = OneVsOneClassifier(SVC(C=10, gamma=model.gamma_)).fit(X, y)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=1e-10)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))
    # Every support vector is kept once, however many pairs it serves in.
    n_pair_vectors = sum(len(svm.support_) for svm in reference.estimators_)
    assert len(model.support_vectors_) < n_pair_vectors
    assert len(np.unique(model.support_vectors_, axis=0)) == len(model.support_vectors_)


def test_pair_margins_are_libsvms(small_digits):
    X, y, X_test, _ = small_digits
    model = OneVsOneSVC(SVC(C=10)).fit(X, y)
    libsvm = SVC(C=10, gamma=model.gamma_, decision_function_shape="ovo").fit(X, y)
    np.testing.assert_allclose(model.pair_margins(X_test), libsvm.decision_function(X_test),
                               atol=1e-6)
    margins, scores = pairwise_margins(model, X_test)
    assert margins.shape == (len(X_test), 10, 10)
    np.testing.assert_allclose(scores, model.decision_function(X_test))


def test_two_classes_give_one_signed_value(small_digits):
    X, y, X_test, _ = small_digits
    model = OneVsOneSVC(SVC(C=10)).fit(X, y % 2)
    reference = SVC(C=10, gamma=model.gamma_).fit(X, y % 2)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=1e-8)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))


def test_classes_equal_scikit_learns_one_vs_rest(small_digits):
    X, y, X_test, _ = small_digits
    model = OneVsRestSVC(SVC(C=10), n_jobs=2).fit(X, y)
    assert model.gamma_ == pytest.approx(1 / (X.shape[1] * X.var()))
    reference = OneVsRestClassifier(SVC(C=10, gamma=model.gamma_)).fit(X, y)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=1e-10)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))
    assert_array_equal(model.classes_, reference.classes_)
    # The SVMs share support vectors; each is kept once.
    n_class_vectors = sum(len(svm.support_) for svm in reference.estimators_)
    assert len(model.support_vectors_) < n_class_vectors
    assert len(np.unique(model.support_vectors_, axis=0)) == len(model.support_vectors_)
    one_thread = OneVsRestSVC(SVC(C=10), n_jobs=1).fit(X, y)
    assert_array_equal(one_thread.dual_coef_, model.dual_coef_)


def test_one_vs_rest_of_two_classes_is_one_svm(small_digits):
    X, y, X_test, _ = small_digits
    labels = np.where(y % 2 == 0, "even", "odd")
    model = OneVsRestSVC(SVC(C=10)).fit(X, labels)
    reference = SVC(C=10, gamma=model.gamma_).fit(X, labels)
    assert model.decision_function(X_test).shape == (len(X_test),)
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(X_test), atol=1e-8)
    assert_array_equal(model.predict(X_test), reference.predict(X_test))


@pytest.mark.parametrize("classifier", [OneVsOneSVC, OneVsRestSVC])
def test_only_rbf_svms_are_taken(small_digits, classifier):
    X, y, _, _ = small_digits
    with pytest.raises(TypeError, match="kernel='rbf'"):
        classifier(SVC(kernel="linear")).fit(X, y)
    with pytest.raises(TypeError, match="kernel='rbf'"):
        classifier(SGDClassifier()).fit(X, y)


# The one test of determinism: two fits under one random_state, one thread and two,
# give the same model (accurate mode draws its distorted copies from it).
@pytest.mark.parametrize("params", [{}, {"mode": "accurate"}], ids=["default", "accurate"])
def test_same_model_with_one_or_two_threads(sample, params):
    X, y = sample[0][:1000], sample[1][:1000]
    X_test = sample[0][1000:1400]
    fits = [MNISTClassifier(random_state=0, n_jobs=n_jobs, **params).fit(X, y)
            for n_jobs in (1, 2)]
    assert_array_equal(fits[0].predict(X_test), fits[1].predict(X_test))
    np.testing.assert_allclose(fits[0].decision_function(X_test),
                               fits[1].decision_function(X_test))
