"""Tests for FitOnDistortedCopies, the member of mode="accurate" that learns from copies."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

from mnistkit import load_sample
from mnistkit.classifier._augment import augment_digits
from mnistkit.classifier._distorted import FitOnDistortedCopies


class Recorder(ClassifierMixin, BaseEstimator):
    """Remembers what it was fitted on; scores each class by the image's total ink."""

    def fit(self, X, y):
        self.X_seen_, self.y_seen_ = np.array(X), np.array(y)
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=float).sum(axis=1)[:, None] * np.arange(len(self.classes_))

    def predict(self, X):
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


@pytest.fixture(scope="module")
def digits():
    X, y = load_sample(return_X_y=True)
    return X[:120], y[:120]


@pytest.mark.parametrize("n_copies", [1, 2])
def test_fits_on_the_images_and_their_copies(digits, n_copies):
    X, y = digits
    model = FitOnDistortedCopies(Recorder(), n_copies=n_copies, random_state=3).fit(X, y)
    X_expected, y_expected = augment_digits(X, y, n_copies=n_copies, kind="light",
                                            random_state=3)
    seen = model.estimator_
    assert seen.X_seen_.shape == ((1 + n_copies) * len(X), 784)
    np.testing.assert_array_equal(seen.X_seen_, X_expected)
    np.testing.assert_array_equal(seen.y_seen_, y_expected)
    # The originals come first, unchanged; the copies differ from them.
    np.testing.assert_array_equal(seen.X_seen_[: len(X)], X)
    assert (seen.X_seen_[len(X) : 2 * len(X)] != X).any(axis=1).mean() > 0.9
    np.testing.assert_array_equal(model.classes_, np.unique(y))
    assert model.n_features_in_ == 784


def test_kind_chooses_the_distortions(digits):
    X, y = digits
    light = FitOnDistortedCopies(Recorder(), random_state=0).fit(X, y)
    real = FitOnDistortedCopies(Recorder(), kind="real-world", random_state=0).fit(X, y)
    expected, _ = augment_digits(X, y, kind="real-world", random_state=0)
    np.testing.assert_array_equal(real.estimator_.X_seen_, expected)
    assert not np.array_equal(light.estimator_.X_seen_, real.estimator_.X_seen_)


def test_same_seed_same_model_other_seed_other_copies(digits):
    X, y = digits
    first = FitOnDistortedCopies(SVC(), random_state=0).fit(X, y)
    again = FitOnDistortedCopies(SVC(), random_state=0).fit(X, y)
    other = FitOnDistortedCopies(SVC(), random_state=1).fit(X, y)
    np.testing.assert_array_equal(first.decision_function(X), again.decision_function(X))
    assert not np.array_equal(first.decision_function(X), other.decision_function(X))


def test_predictions_are_those_of_the_fitted_estimator(digits):
    X, y = digits
    model = FitOnDistortedCopies(SVC(), random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.decision_function(X),
                                  model.estimator_.decision_function(X))
    np.testing.assert_array_equal(model.predict(X), model.estimator_.predict(X))
    assert model.score(X, y) == pytest.approx(np.mean(model.predict(X) == y))
    # The estimator given is left unfitted: fit works on a clone.
    assert not hasattr(model.estimator, "support_")


def test_works_with_scikit_learn_tools(digits):
    X, y = digits
    model = FitOnDistortedCopies(SVC(), random_state=0)
    assert clone(model).get_params()["estimator__C"] == 1.0
    scores = cross_val_score(model, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.min() > 0.5


def test_refuses_images_of_another_size(digits):
    X, y = digits
    with pytest.raises(ValueError, match="784 pixels"):
        FitOnDistortedCopies(SVC()).fit(X[:, :400], y)


@pytest.mark.parametrize("n_copies", [0, 1.5, "2"])
def test_refuses_a_bad_number_of_copies(digits, n_copies):
    X, y = digits
    with pytest.raises(ValueError, match="n_copies must be a positive integer"):
        FitOnDistortedCopies(SVC(), n_copies=n_copies).fit(X, y)


def test_must_be_fitted_first(digits):
    X, _ = digits
    with pytest.raises(NotFittedError):
        FitOnDistortedCopies(SVC()).predict(X)
