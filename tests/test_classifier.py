"""MNISTClassifier on real digits: accuracy, outputs, persistence, bad input."""

import os
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from mnistkit import MNISTClassifier, load_model, load_sample
from mnistkit.classifier import _persistence, _validation

# The floor each configuration clears on the shipped sample (2,000 training and
# 1,000 test images), a little under what it reaches, so a regression fails.
CONFIGS = {
    "svc-ovo": ({"backend": "svc"}, 0.97),
    "svc-ovr": ({"backend": "svc", "multiclass": "ovr", "n_jobs": 2}, 0.97),
    "sgd": ({"backend": "sgd"}, 0.95),
    "rf": ({"backend": "rf"}, 0.92),
    "accurate": ({"mode": "accurate"}, 0.975),
}


@pytest.fixture(scope="module")
def digits():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def fitted(fitted_on_sample):
    return {name: fitted_on_sample(**params) for name, (params, _) in CONFIGS.items()}


@pytest.mark.parametrize("name", CONFIGS)
def test_accuracy_and_outputs(fitted, digits, name):
    _, _, X_test, y_test = digits
    clf = fitted[name]
    assert clf.score(X_test, y_test) >= CONFIGS[name][1]
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    assert clf.n_features_in_ == 784
    assert clf.pixel_scale_ == 255.0
    y_pred = clf.predict(X_test)
    assert y_pred.shape == (1000,)
    assert y_pred.dtype == y_test.dtype
    scores = clf.decision_function(X_test)
    assert scores.shape == (1000, 10)
    # The highest score is the predicted class (one-vs-one votes can tie: allow a few).
    assert (clf.classes_[scores.argmax(axis=1)] == y_pred).mean() > 0.99


@pytest.mark.parametrize("name", CONFIGS)
def test_both_image_layouts_and_lists_agree(fitted, digits, name):
    _, _, X_test, _ = digits
    clf = fitted[name]
    flat = clf.predict(X_test[:50])
    np.testing.assert_array_equal(clf.predict(X_test[:50].reshape(-1, 28, 28)), flat)
    np.testing.assert_array_equal(clf.predict(X_test[:50].tolist()), flat)


def test_either_pixel_form_works_whatever_fit_saw(fitted, digits):
    # Each call reads its own scale: integers or floats above 1 are 0-255, other
    # floats are in [0, 1]. Both models read both forms of the same test images.
    X, y, X_test, y_test = digits
    as_int = fitted["svc-ovo"]
    as_float = MNISTClassifier(random_state=0).fit(X / 255.0, y)
    assert (as_int.pixel_scale_, as_float.pixel_scale_) == (255.0, 1.0)
    forms = {
        "uint8": X_test,
        "float 0-255": X_test.astype(np.float64),
        "float32 [0, 1]": X_test.astype(np.float32) / 255,
        "float [0, 1]": X_test / 255.0,
        "int list": X_test[:20].tolist(),
    }
    expected = as_int.predict(X_test)
    for model in (as_int, as_float):
        for name, images in forms.items():
            predicted = model.predict(images)
            np.testing.assert_array_equal(predicted, expected[: len(predicted)], err_msg=name)
    accuracy = as_int.score(X_test, y_test)
    assert as_int.score(X_test / 255.0, y_test) == accuracy
    assert as_float.score(X_test, y_test) == accuracy
    assert as_float.score(X_test / 255.0, y_test) == accuracy


def test_user_arrays_are_never_modified(digits):
    X, y, X_test, _ = digits
    X_float, X_test_float = X[:300] / 255.0, X_test[:50] / 255.0
    copies = X_float.copy(), X_test_float.copy()
    clf = MNISTClassifier(backend="sgd", random_state=0).fit(X_float * 255.0, y[:300])
    clf.fit(X_float, y[:300]).predict(X_test_float)
    np.testing.assert_array_equal(X_float, copies[0])
    np.testing.assert_array_equal(X_test_float, copies[1])
    as_255 = X_test_float * 255.0
    MNISTClassifier(backend="sgd", random_state=0).fit(X[:300], y[:300]).predict(as_255)
    np.testing.assert_array_equal(as_255, X_test_float * 255.0)


@pytest.mark.parametrize(
    "params",
    [
        {"backend": "rf"},
        {"backend": "svc", "probability": True},
        {"backend": "sgd", "probability": True},
        {"backend": "svc", "probability": "fast"},
        {"backend": "sgd", "probability": "fast"},
    ],
)
def test_predict_proba(digits, fitted_on_sample, params):
    _, _, X_test, y_test = digits
    clf = fitted_on_sample(**params)
    proba = clf.predict_proba(X_test)
    assert proba.shape == (1000, 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert proba.min() >= 0
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X_test))
    # Probabilities carry information: the true class gets far more than the
    # 0.1 of chance on average (forest votes are the least sharp, about 0.65).
    assert proba[np.arange(1000), y_test].mean() > 0.5


def test_fast_probabilities_keep_the_default_model(fitted, fitted_on_sample, digits):
    # probability="fast": the model of MNISTClassifier(), plus a temperature fitted on
    # the unseen scores of a second model; the decision values are the model's own.
    _, _, X_test, y_test = digits
    default = fitted["svc-ovo"]
    fast = fitted_on_sample(probability="fast")
    scores = default.decision_function(X_test)
    np.testing.assert_allclose(fast.decision_function(X_test), scores, rtol=1e-6, atol=1e-6)
    # A temperature never changes which class scores highest.
    np.testing.assert_array_equal(fast.predict(X_test), default.classes_[scores.argmax(axis=1)])
    calibrator = fast.calibrator_
    assert isinstance(calibrator, CalibratedClassifierCV)
    assert calibrator.method == "temperature"
    assert isinstance(calibrator.estimator, FrozenEstimator)
    proba = fast.predict_proba(X_test)
    # Calibrated on unseen images, the probabilities beat a plain softmax of the scores
    # and are as good as the out-of-fold calibration of probability=True.
    plain = np.exp(scores - scores.max(axis=1, keepdims=True))
    plain /= plain.sum(axis=1, keepdims=True)
    assert log_loss(y_test, proba) < 0.8 * log_loss(y_test, plain)
    assert log_loss(y_test, proba) < 0.1


def test_fast_probabilities_fall_back_on_small_or_binary_data(digits):
    X, y, X_test, _ = digits
    few = MNISTClassifier(probability="fast", random_state=0).fit(X[:150], y[:150])
    keep = np.isin(y, [3, 5])
    binary = MNISTClassifier(probability="fast", random_state=0).fit(X[keep], y[keep])
    for clf in (few, binary):
        # The calibration of probability=True: calibrated models of its own.
        assert clf.calibrator_.method == "isotonic"
        np.testing.assert_allclose(clf.predict_proba(X_test[:20]).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("params", "n_images"),
    [({}, 60), ({"mode": "accurate"}, 90)],
    ids=["fast-mode", "accurate-mode"],
)
def test_calibrated_models_fit_on_a_few_dozen_images(digits, params, n_images):
    # The calibration fits each model on two thirds of the images: 40 and 60 here,
    # fewer than the PCA components a pipeline for all of them would keep.
    X, y, X_test, y_test = digits
    clf = MNISTClassifier(probability=True, random_state=0, **params)
    clf.fit(X[:n_images], y[:n_images])
    np.testing.assert_allclose(clf.predict_proba(X_test[:20]).sum(axis=1), 1.0)
    assert clf.score(X_test[:200], y_test[:200]) > 0.8


def test_predict_proba_needs_probability_for_svc_and_sgd():
    assert not hasattr(MNISTClassifier(), "predict_proba")
    assert not hasattr(MNISTClassifier(backend="sgd"), "predict_proba")
    assert hasattr(MNISTClassifier(probability=True), "predict_proba")
    assert hasattr(MNISTClassifier(backend="rf"), "predict_proba")


@pytest.mark.parametrize("params", [{"backend": "rf"}, {"probability": True}])
def test_decision_function_ranks_like_predict_proba(digits, params):
    X, y, X_test, y_test = digits
    keep, keep_test = np.isin(y, [3, 5]), np.isin(y_test, [3, 5])
    clf = MNISTClassifier(random_state=0, **params).fit(X[keep], y[keep])
    proba = clf.predict_proba(X_test[keep_test])[:, 1].round(10)
    decision = clf.decision_function(X_test[keep_test]).round(10)
    assert decision.shape == (keep_test.sum(),)
    np.testing.assert_array_equal(rankdata(proba), rankdata(decision))
    np.testing.assert_array_equal((decision > 0), clf.predict(X_test[keep_test]) == 5)


@pytest.mark.parametrize(
    ("name", "steps"),
    [
        ("svc-ovo", ["features", "pca", "model"]),
        ("sgd", ["features", "model"]),
        ("rf", ["features", "model"]),
        ("accurate", ["model"]),
    ],
)
def test_default_pipelines(fitted, name, steps):
    assert [step for step, _ in fitted[name].pipeline_.steps] == steps


def test_small_training_sets_cap_pca(digits):
    X, y, X_test, _ = digits
    clf = MNISTClassifier(random_state=0).fit(X[:40], y[:40])
    assert clf.pipeline_.named_steps["pca"].n_components == 40
    assert clf.predict(X_test[:5]).shape == (5,)
    with pytest.raises(ValueError, match="n_components=400 is more than PCA can keep"):
        MNISTClassifier(n_components=400).fit(X, y)


def test_forest_split_one_vs_one_has_no_native_probabilities(digits):
    X, y, X_test, _ = digits
    assert not hasattr(MNISTClassifier(backend="rf", multiclass="ovo"), "predict_proba")
    clf = MNISTClassifier(backend="rf", multiclass="ovo", n_estimators=5, probability=True,
                          random_state=0).fit(X[:600], y[:600])
    np.testing.assert_allclose(clf.predict_proba(X_test[:5]).sum(axis=1), 1.0, rtol=1e-6)


def test_fit_that_fails_late_leaves_the_model_unchanged(fitted, digits):
    X, y, X_test, _ = digits
    clf = clone(fitted["sgd"]).set_params(probability=True).fit(X[:300], y[:300])
    before = clf.predict_proba(X_test)
    fitted_state = {name: value for name, value in vars(clf).items() if name.endswith("_")}
    # Valid for every early check; SGDClassifier refuses the loss only in its own fit,
    # after the features were computed: the failure comes late, in the backend.
    clf.set_params(features="pixels", backend_params={"loss": "no-such-loss"})
    with pytest.raises(ValueError, match="'loss' parameter of SGDClassifier"):
        clf.fit(X[:200, :100], y[:200])
    after = {name: value for name, value in vars(clf).items() if name.endswith("_")}
    assert after.keys() == fitted_state.keys()
    assert all(after[name] is fitted_state[name] for name in after)
    assert clf.n_features_in_ == 784
    np.testing.assert_array_equal(clf.predict_proba(X_test), before)


def test_string_labels(digits):
    X, y, X_test, y_test = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                      "nine"])
    clf = MNISTClassifier(backend="sgd", random_state=0).fit(X, names[y])
    assert set(clf.classes_) == set(names)
    assert (clf.predict(X_test) == names[y_test]).mean() > 0.9


def test_unfitted_raises_not_fitted():
    clf = MNISTClassifier()
    for method in (clf.predict, clf.decision_function):
        with pytest.raises(NotFittedError):
            method(np.zeros((1, 784)))
    with pytest.raises(NotFittedError):
        clf.save("never-written.mnistkit")


# Persistence ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONFIGS)
def test_save_load_round_trip(fitted, digits, tmp_path, name):
    _, _, X_test, _ = digits
    clf = fitted[name]
    path = clf.save(tmp_path / "model.mnistkit")
    loaded = load_model(path)
    assert isinstance(loaded, MNISTClassifier)
    assert loaded.get_params() == clf.get_params()
    np.testing.assert_array_equal(loaded.predict(X_test), clf.predict(X_test))
    # float32 BLAS kernels may round differently with the memory alignment of the
    # loaded arrays; the scores agree to float32 precision.
    np.testing.assert_allclose(
        loaded.decision_function(X_test), clf.decision_function(X_test), rtol=1e-4, atol=1e-4
    )
    assert [p.name for p in tmp_path.iterdir()] == ["model.mnistkit"]


def test_pickle_and_joblib_round_trip(fitted, digits, tmp_path):
    _, _, X_test, _ = digits
    clf = fitted["svc-ovo"]
    expected = clf.predict(X_test)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict(X_test), expected)
    joblib.dump(clf, tmp_path / "m.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "m.joblib").predict(X_test), expected)


def test_truncated_model_file_is_refused(fitted, tmp_path):
    path = fitted["sgd"].save(tmp_path / "model.mnistkit")
    data = Path(path).read_bytes()
    (tmp_path / "cut.mnistkit").write_bytes(data[: len(data) - 100])
    with pytest.raises(ValueError, match="is truncated or damaged"):
        load_model(tmp_path / "cut.mnistkit")


def test_file_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "digit.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ValueError, match="is not an mnistkit model file"):
        load_model(tmp_path / "digit.png")
    joblib.dump({"weights": [1, 2]}, tmp_path / "other.joblib")
    with pytest.raises(ValueError, match="is not an mnistkit model file"):
        load_model(tmp_path / "other.joblib")
    with pytest.raises(FileNotFoundError, match="No model file at"):
        load_model(tmp_path / "missing.mnistkit")


def test_model_from_another_scikit_learn_is_refused(fitted, tmp_path, monkeypatch):
    monkeypatch.setattr(_persistence.sklearn, "__version__", "1.2.0")
    path = fitted["sgd"].save(tmp_path / "old.mnistkit")
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"saved with scikit-learn 1\.2\.0 .* cannot be moved"):
        load_model(path)


def test_model_from_another_mnistkit_is_refused(fitted, tmp_path, monkeypatch):
    monkeypatch.setattr(_persistence, "__version__", "0.0.1")
    path = fitted["sgd"].save(tmp_path / "old.mnistkit")
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"saved with mnistkit 0\.0\.1; .* reads models of"):
        load_model(path)


def test_a_failed_save_keeps_the_old_file(fitted, tmp_path, monkeypatch):
    path = fitted["sgd"].save(tmp_path / "model.mnistkit")
    before = Path(path).read_bytes()
    replace, written = os.replace, []

    def failing_replace(source, target):
        # The new model is complete in its temporary file; only the move fails.
        if os.path.basename(source).startswith(".mnistkit-model-"):
            written.append((source, os.path.getsize(source)))
            raise OSError("rename failed")
        return replace(source, target)

    monkeypatch.setattr(_persistence.os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename failed"):
        fitted["svc-ovo"].save(path)
    monkeypatch.undo()
    assert len(written) == 1
    assert written[0][1] > len(before) // 10, "the temporary file was written first"
    assert Path(path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.mnistkit"]


# Inside scikit-learn's tools ---------------------------------------------------------


def test_pipeline_grid_search_cross_val_and_clone(digits):
    X, y, _, _ = digits
    X, y = X[:600], y[:600]
    pipeline = make_pipeline(FunctionTransformer(), MNISTClassifier(backend="sgd", random_state=0))
    scores = cross_val_score(pipeline, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.min() > 0.7
    search = GridSearchCV(MNISTClassifier(random_state=0), {"C": [0.1, 10.0]}, cv=2).fit(X, y)
    assert search.best_params_ == {"C": 10.0}
    assert search.best_score_ > 0.85
    twin = clone(MNISTClassifier(backend="rf", n_estimators=7))
    assert twin.get_params()["n_estimators"] == 7
    assert not hasattr(twin, "classes_")


# Bad input -----------------------------------------------------------------------------

BAD_FIT_INPUT = [
    ("nan", lambda X, y: (np.where(np.arange(784) == 5, np.nan, X), y),
     r"Input X contains NaN \(first in image 0\): pixels must be numbers"),
    ("inf", lambda X, y: (np.where(np.arange(784) == 5, np.inf, X), y),
     "Input X contains infinity"),
    ("negative", lambda X, y: (X.astype(float) - 1, y), "Negative values in data"),
    ("above 255", lambda X, y: (X.astype(float) * 2, y),
     r"integers 0-255 or floats in \[0, 1\]; got a maximum of 510 \(first in image 0\)"),
    ("int above 255", lambda X, y: (X.astype(np.int64) + 1, y), "got a maximum of 256"),
    ("27x27", lambda X, y: (X.reshape(-1, 28, 28)[:, :27, :27], y),
     r"expected images of 784 pixels or 28x28, got shape \(100, 27, 27\)"),
    ("100 features", lambda X, y: (X[:, :100], y),
     "features='hog' needs images: expected images of 784 pixels or 28x28, got 100 features"),
    ("empty", lambda X, y: (X[:0], y[:0]), "0 sample"),
    ("one class", lambda X, y: (X, np.full_like(y, 7)), r"only one class: \[7\]"),
    ("lengths", lambda X, y: (X, y[:-1]), "inconsistent numbers of samples"),
]


@pytest.mark.parametrize(("case", "corrupt", "message"), BAD_FIT_INPUT, ids=[c[0] for c in
                                                                             BAD_FIT_INPUT])
def test_bad_fit_input_leaves_the_model_unchanged(fitted, digits, case, corrupt, message):
    X, y, X_test, _ = digits
    clf = clone(fitted["sgd"]).fit(X[:300], y[:300])
    before = clf.predict(X_test)
    params = clf.get_params()
    X_bad, y_bad = corrupt(X[:100], y[:100])
    with pytest.raises(ValueError, match=message):
        clf.fit(X_bad, y_bad)
    np.testing.assert_array_equal(clf.predict(X_test), before)
    assert clf.get_params() == params


def test_bad_predict_input(fitted, digits):
    _, _, X_test, _ = digits
    clf = fitted["svc-ovo"]
    expected = "X has 783 features, but MNISTClassifier is expecting 784"
    with pytest.raises(ValueError, match=expected):
        clf.predict(X_test[:3, :783])
    with pytest.raises(ValueError, match=r"got shape \(3, 27, 27\)"):
        clf.predict(np.zeros((3, 27, 27)))
    with pytest.raises(ValueError, match="Negative values in data"):
        clf.predict(-np.ones((2, 784)))
    with pytest.raises(ValueError, match=r"contains NaN \(first in image 1\)"):
        clf.predict(np.vstack([X_test[:1], np.full((1, 784), np.nan)]))
    with pytest.raises(ValueError, match=r"contains infinity \(first in image 0\)"):
        clf.predict(np.full((2, 784), -np.inf))
    with pytest.raises(ValueError, match=r"got a maximum of 300 \(first in image 2\)"):
        clf.predict(np.vstack([X_test[:2], np.full((1, 784), 300)]))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"backend": "knn"}, r"The 'backend' parameter of MNISTClassifier must be a str among "
                             r"\{'svc', 'sgd', 'rf', 'logistic', 'cnn'\}. Got 'knn' instead."),
        ({"multiclass": "all"}, r"'multiclass' parameter .* among \{'ovo', 'ovr'\} or None"),
        ({"scaler": "minmax"}, "'scaler' parameter"),
        ({"features": "sift"}, "'features' parameter"),
        ({"mode": "slow"}, "'mode' parameter"),
        ({"C": -1.0}, r"The 'C' parameter of MNISTClassifier must be a float in the range "
                      r"\(0.0, inf\) or None. Got -1.0 instead."),
        ({"C": "abc"}, r"'C' parameter .* Got 'abc' instead"),
        ({"C": True}, r"'C' parameter .* Got True instead"),
        ({"C": float("nan")}, r"'C' parameter .* Got nan instead"),
        ({"gamma": 0}, r"'gamma' parameter .* a str among \{'scale', 'auto'\} or None"),
        ({"alpha": "1e-5"}, "'alpha' parameter"),
        ({"probability": "yes"}, r"The 'probability' parameter of MNISTClassifier must be a "
                                 r"bool or a str among \{'fast'\}. Got 'yes' instead."),
        ({"probability": 1}, "'probability' parameter"),
        ({"n_components": 0}, r"'n_components' parameter .* an int in the range \[1, inf\), "
                              r"a str among \{'auto'\} or None"),
        ({"n_components": 2.5}, "'n_components' parameter"),
        ({"n_components": True}, "'n_components' parameter"),
        ({"n_estimators": 0}, "'n_estimators' parameter"),
        ({"n_estimators": 10.0}, "'n_estimators' parameter"),
        ({"n_jobs": 0}, r"'n_jobs' parameter .* \(-inf, -1\], an int in the range \[1, inf\)"),
        ({"n_jobs": "all"}, "'n_jobs' parameter"),
        ({"random_state": -1}, r"'random_state' parameter .* \[0, 4294967295\]"),
        ({"random_state": "seed"}, "'random_state' parameter"),
        ({"backend": "rf", "mode": "accurate"}, "mode='accurate' is for backend='svc' only"),
        ({"mode": "accurate", "scaler": "standard"}, "needs scaler='pixel' or 'none'"),
    ],
)
def test_bad_parameters(digits, params, message):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match=message):
        MNISTClassifier(**params).fit(X[:50], y[:50])


def test_every_parameter_has_a_rule():
    # A parameter added to __init__ needs its row in the validation table.
    assert list(MNISTClassifier().get_params()) == sorted(_validation.PARAMETERS)


def test_wrong_types_are_type_errors_too(digits):
    # As in scikit-learn, the error is both a ValueError and a TypeError.
    X, y, _, _ = digits
    with pytest.raises(TypeError, match="'C' parameter"):
        MNISTClassifier(C="abc").fit(X[:50], y[:50])


@pytest.mark.parametrize(
    "params",
    [
        {"C": np.float32(5.0), "gamma": 0.01},
        {"C": 5, "gamma": "auto"},
        {"n_components": np.int64(20), "probability": np.True_, "n_jobs": -1},
        {"random_state": np.random.RandomState(0), "multiclass": "ovr", "n_jobs": 1},
    ],
)
def test_numpy_scalars_and_every_option_are_accepted(digits, params):
    X, y, X_test, y_test = digits
    clf = MNISTClassifier(**params).fit(X[:300], y[:300])
    assert clf.score(X_test, y_test) > 0.8


def test_a_parameter_the_backend_does_not_use_warns(digits):
    X, y, _, _ = digits
    with pytest.warns(UserWarning, match=r"backend='rf' ignores C=5 \(used by 'logistic' and "
                                         r"'svc' only\) and alpha=0.01 \(used by 'sgd' only\)"):
        MNISTClassifier(backend="rf", C=5, alpha=0.01, n_estimators=5).fit(X[:100], y[:100])
    with pytest.warns(UserWarning, match="backend='svc' ignores n_estimators=10"):
        MNISTClassifier(n_estimators=10).fit(X[:100], y[:100])
    # Values equal to the defaults are not settings: no warning (warnings are errors here).
    MNISTClassifier(n_estimators=100, alpha=None).fit(X[:100], y[:100])
    MNISTClassifier(backend="rf", C=None, n_estimators=5).fit(X[:100], y[:100])


def test_grid_search_over_backends_and_their_parameters_runs(digits):
    X, y, _, _ = digits
    grid = {"backend": ["svc", "rf"], "C": [1.0, 10.0]}
    search = GridSearchCV(MNISTClassifier(random_state=0), grid, cv=2)
    with pytest.warns(UserWarning, match="backend='rf' ignores C="):
        search.fit(X[:400], y[:400])
    scores = search.cv_results_["mean_test_score"]
    assert scores.shape == (4,)
    assert np.isfinite(scores).all()
    assert scores.min() > 0.7
    assert search.best_params_["backend"] == "svc"


def test_backend_params_reach_the_backend(digits):
    X, y, _, _ = digits
    clf = MNISTClassifier(backend="rf", n_estimators=5, backend_params={"max_depth": 3}).fit(X, y)
    assert clf.pipeline_[-1].max_depth == 3
    # backend_params wins over the settings mnistkit makes itself.
    svc = MNISTClassifier(backend_params={"cache_size": 50, "C": 2.0}).fit(X[:300], y[:300])
    pair_svm = svc.pipeline_[-1].estimator
    assert (pair_svm.cache_size, pair_svm.C) == (50, 2.0)
    # The SVM's pairs are fitted in threads for the RBF kernel; another kernel
    # keeps libsvm's own one-vs-one.
    linear = MNISTClassifier(backend_params={"kernel": "linear"}).fit(X[:300], y[:300])
    assert type(linear.pipeline_[-1]).__name__ == "SVC"
    assert linear.score(X[:300], y[:300]) > 0.9
    sgd = MNISTClassifier(backend="sgd", backend_params={"alpha": 1e-3}).fit(X[:300], y[:300])
    assert sgd.pipeline_[-1].alpha == 1e-3
    with pytest.raises(TypeError, match=r"'backend_params' parameter of MNISTClassifier must be a "
                                        r"dict or None\. Got"):
        MNISTClassifier(backend_params=[("max_depth", 3)]).fit(X, y)


def test_one_image_without_reshape_gets_a_clear_error():
    from mnistkit import load_sample

    X, y = load_sample(return_X_y=True)
    clf = MNISTClassifier(backend="sgd", random_state=0).fit(X[:300], y[:300])
    with pytest.raises(ValueError, match=r"got one image of shape \(784,\): pass X.reshape"):
        clf.predict(X[0])
    with pytest.raises(ValueError, match=r"got one 28x28 image: pass X\[None\]"):
        clf.predict(X[0].reshape(28, 28))
    # Reshaped, it is read.
    assert clf.predict(X[0].reshape(1, -1)).shape == (1,)
    # Picture files are read first: their names, bytes, open files or PIL images are no
    # pixels.
    import io

    from PIL import Image

    given = [("digit.png", r"a file name \('digit\.png'\)"),
             (Path("digit.png"), r"a file name \('digit\.png'\)"),
             (["a.png", "b.png"], r"file names \('a\.png', \.\.\.\)"),
             ([Path("a.png")], r"file names \('a\.png', \.\.\.\)"),
             (b"\x89PNG", "the bytes of a file"),
             (io.BytesIO(b"\x89PNG"), r"a picture \(BytesIO\)"),
             (Image.new("L", (28, 28)), r"a picture \(Image\)")]
    for X_given, named in given:
        with pytest.raises(TypeError, match=f"got {named}: read pictures first.*"
                           r"read_digit_image\(path\)"):
            clf.predict(X_given)
    # A model of other data may see 28 rows of 28 features: no such rule there.
    table = MNISTClassifier(features="pixels", backend="sgd", random_state=0)
    table.fit(X[:300, :28], y[:300])
    assert table.predict(X[:28, :28]).shape == (28,)


def test_logistic_regression_backend():
    from sklearn.linear_model import LogisticRegression

    from mnistkit import load_sample

    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    clf = MNISTClassifier(backend="logistic", random_state=0).fit(X, y)
    assert isinstance(clf.pipeline_[-1], LogisticRegression)
    assert clf.pipeline_[-1].C == 1.0
    assert clf.score(X_test, y_test) > 0.95
    proba = clf.predict_proba(X_test[:20])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)  # float32 features
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X_test[:20]))
    # Its probabilities are its own: no calibration, whatever probability= says.
    assert clf.calibrator_ is None
    assert not hasattr(clf, "assess")
    assert MNISTClassifier(backend="logistic", C=5.0).fit(X[:300], y[:300]).pipeline_[-1].C == 5
