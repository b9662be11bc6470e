"""Tests of ``compare_models``, ``ModelComparison`` and ``default_models``."""

import json
import re

import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from mnistkit import default_models, load_sample
from mnistkit.evaluation import ModelComparison, compare_models
from mnistkit.evaluation._compare import workers_and_threads


@pytest.fixture(scope="module")
def data():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    return X[:600] / 255.0, y[:600], X_test[:300] / 255.0, y_test[:300]


def models():
    return {
        "knn": KNeighborsClassifier(n_neighbors=3),
        "tree": DecisionTreeClassifier(max_depth=6, random_state=0),
        "prior": DummyClassifier(strategy="prior"),
    }


@pytest.fixture(scope="module")
def with_test(data):
    X, y, X_test, y_test = data
    return compare_models(X, y, X_test, y_test, models=models(), verbose=False)


def test_cv_scores_match_cross_val_score(data, with_test):
    X, y, _, _ = data
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    assert with_test.names == ["knn", "tree", "prior"]
    for entry, model in zip(with_test.results, models().values(), strict=True):
        assert_allclose(entry["cv_accuracy"], cross_val_score(model, X, y, cv=folds))
        assert entry["fit_time"].shape == entry["predict_time"].shape == (3,)
        assert np.all(entry["fit_time"] > 0)
        assert np.all(entry["predict_time"] > 0)
    # The prior always predicts the most frequent training class.
    prior = with_test.results[2]["cv_accuracy"]
    for fold, (train, test) in enumerate(folds.split(X, y)):
        counts = np.bincount(y[train], minlength=10)
        assert prior[fold] == pytest.approx(np.mean(y[test] == counts.argmax()))


def test_test_accuracy_is_that_of_a_refit_clone(data, with_test):
    X, y, X_test, y_test = data
    for entry, model in zip(with_test.results, models().values(), strict=True):
        refit = clone(model).fit(X, y)
        assert entry["test_accuracy"] == pytest.approx(
            accuracy_score(y_test, refit.predict(X_test))
        )
        assert isinstance(entry["test_accuracy"], float)
        assert entry["test_fit_time"] > 0
        assert entry["test_predict_time"] > 0


def test_reproducible_with_random_state(data):
    X, y, _, _ = data
    first = compare_models(X, y, models=models(), random_state=7, verbose=False)
    second = compare_models(X, y, models=models(), random_state=7, verbose=False)
    other = compare_models(X, y, models=models(), random_state=8, verbose=False)
    for a, b in zip(first.results, second.results, strict=True):
        assert_array_equal(a["cv_accuracy"], b["cv_accuracy"])
    assert not np.array_equal(first.results[0]["cv_accuracy"], other.results[0]["cv_accuracy"])
    assert first.results[0]["test_accuracy"] is None
    assert first.results[0]["test_fit_time"] is None
    assert first.results[0]["test_predict_time"] is None


def test_fold_count(data):
    X, y, _, _ = data
    comparison = compare_models(X, y, models={"prior": DummyClassifier()}, cv=5, verbose=False)
    entry = comparison.results[0]
    assert entry["cv_accuracy"].shape == entry["fit_time"].shape == (5,)
    assert comparison.n_splits == 5


def test_cv_splitter_used_as_given(data):
    X, y, _, _ = data
    folds = KFold(n_splits=4)
    comparison = compare_models(X, y, models={"knn": KNeighborsClassifier()}, cv=folds,
                                verbose=False)
    assert_allclose(
        comparison.results[0]["cv_accuracy"],
        cross_val_score(KNeighborsClassifier(), X, y, cv=folds),
    )


def test_group_splitters_keep_each_group_on_one_side(data):
    X, y, _, _ = data
    groups = np.arange(len(y)) % 7  # seven "writers"
    splitter = GroupKFold(n_splits=3)
    comparison = compare_models(X, y, models=models(), cv=splitter, groups=groups, verbose=False)
    for entry, model in zip(comparison.results, models().values(), strict=True):
        expected = cross_validate(model, X, y, cv=splitter, groups=groups)["test_score"]
        assert_allclose(entry["cv_accuracy"], expected)
    assert comparison.n_splits == 3
    assert comparison.splitter == "GroupKFold(n_splits=3, random_state=None, shuffle=False)"
    assert "3 folds of GroupKFold(" in comparison.to_text()
    # A number of folds with groups: stratified group folds, shuffled with random_state.
    by_number = compare_models(X, y, models=models(), cv=3, groups=groups, verbose=False)
    folds = StratifiedGroupKFold(3, shuffle=True, random_state=0)
    assert_allclose(
        by_number.results[0]["cv_accuracy"],
        cross_val_score(models()["knn"], X, y, cv=folds, groups=groups),
    )
    for train, test in folds.split(X, y, groups):
        assert not set(groups[train]) & set(groups[test])
    with pytest.raises(ValueError, match="X has 600 images but groups has 10 group labels"):
        compare_models(X, y, models=models(), cv=splitter, groups=groups[:10], verbose=False)


def test_iterable_of_splits(data):
    X, y, _, _ = data
    splits = [(np.arange(0, 400), np.arange(400, 600)), (np.arange(200, 600), np.arange(200))]
    comparison = compare_models(X, y, models={"knn": KNeighborsClassifier()}, cv=splits,
                                verbose=False)
    assert_allclose(
        comparison.results[0]["cv_accuracy"],
        cross_val_score(KNeighborsClassifier(), X, y, cv=splits),
    )
    assert comparison.splitter == "the given (train, test) splits"


def test_params_reach_fit_cut_to_each_fold(data):
    X, y, X_test, y_test = data
    # Weights that make the classes 0 to 4 count for nothing: the tree never predicts them.
    weight = np.where(y >= 5, 1.0, 1e-9)
    tree = {"tree": DecisionTreeClassifier(max_depth=6, random_state=0)}
    comparison = compare_models(X, y, models=tree, params={"sample_weight": weight},
                                X_test=X_test, y_test=y_test, verbose=False)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    expected = cross_validate(tree["tree"], X, y, cv=folds, params={"sample_weight": weight})
    assert_allclose(comparison.results[0]["cv_accuracy"], expected["test_score"])
    unweighted = compare_models(X, y, models=tree, verbose=False)
    assert comparison.results[0]["cv_accuracy"].max() < unweighted.results[0]["cv_accuracy"].min()
    refit = clone(tree["tree"]).fit(X, y, sample_weight=weight)
    assert comparison.results[0]["test_accuracy"] == pytest.approx(
        accuracy_score(y_test, refit.predict(X_test))
    )


def test_n_jobs_gives_the_same_scores(data, with_test):
    X, y, X_test, y_test = data
    parallel = compare_models(
        X, y, X_test=X_test, y_test=y_test, models=models(), n_jobs=2, verbose=False
    )
    for a, b in zip(with_test.results, parallel.results, strict=True):
        assert a["name"] == b["name"]
        assert_array_equal(a["cv_accuracy"], b["cv_accuracy"])
        assert a["test_accuracy"] == b["test_accuracy"]


def test_runs_on_another_joblib_backend(data, with_test):
    X, y, X_test, y_test = data
    with joblib.parallel_config(backend="threading", n_jobs=2):
        threaded = compare_models(X, y, X_test, y_test, models=models(), verbose=False)
    for a, b in zip(with_test.results, threaded.results, strict=True):
        assert_array_equal(a["cv_accuracy"], b["cv_accuracy"])


THREADS_SEEN = []


class ThreadsSeen(ClassifierMixin, BaseEstimator):
    """Predicts the prior's class, and records in THREADS_SEEN the n_jobs of each fit."""

    def __init__(self, n_jobs=None):
        self.n_jobs = n_jobs

    def fit(self, X, y):
        THREADS_SEEN.append(self.n_jobs)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.label_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.label_)


@pytest.mark.parametrize(
    ("processors", "fits", "expected"),
    [(1, 4, (1, 1)), (2, 4, (2, 1)), (7, 4, (7, 1)), (8, 4, (4, 2)), (16, 4, (4, 4)),
     (16, 6, (8, 2)), (16, 16, (16, 1)), (64, 4, (4, 16))],
)
def test_fits_share_the_processors_without_outnumbering_them(processors, fits, expected):
    workers, threads = workers_and_threads(processors, fits)
    assert (workers, threads) == expected
    assert workers * threads <= processors


def test_fits_get_threads_when_processors_outnumber_them(data, capsys):
    X, y, X_test, y_test = data
    THREADS_SEEN.clear()
    models = {"free": ThreadsSeen(), "one": ThreadsSeen(n_jobs=1), "prior": DummyClassifier()}
    # The threading backend runs the fits in this process, where the list is.
    with joblib.parallel_config(backend="threading", n_jobs=8):
        compare_models(X, y, X_test, y_test, models=models, cv=3)
    # 8 processors, 4 fits per model: 2 threads each, 4 fits at once; a model's own
    # n_jobs is kept, and a model without one is left as it is.
    assert sorted(THREADS_SEEN) == [1] * 4 + [2] * 4
    assert ": 12 fits, 4 at a time, 2 threads each" in capsys.readouterr().err
    assert models["free"].n_jobs is None  # the caller's model is not changed


def test_progress_on_stderr(data, capsys):
    X, y, X_test, y_test = data
    comparison = compare_models(
        X, y, models={"knn": KNeighborsClassifier(), "prior": DummyClassifier()},
        cv=2, X_test=X_test, y_test=y_test,
    )
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert all(line.startswith("[compare] ") for line in lines)
    fits = [line for line in lines if re.search(r"accuracy \d\.\d{4} \(fit", line)]
    assert [line.split(":")[0] for line in fits] == [
        "[compare] knn fold 1/2",
        "[compare] knn fold 2/2",
        "[compare] knn test",
        "[compare] prior fold 1/2",
        "[compare] prior fold 2/2",
        "[compare] prior test",
    ]
    knn = comparison.results[0]
    assert f"knn fold 2/2: accuracy {knn['cv_accuracy'][1]:.4f} (fit " in captured.err
    assert f"knn test: accuracy {knn['test_accuracy']:.4f} (fit " in captured.err
    assert re.search(r"fit \d+\.\d s, predict \d+\.\d s\)$", fits[0])
    assert lines[0].endswith(": 6 fits, 1 at a time")
    assert lines[-1].startswith("[compare] done in ")


def test_progress_off(data, capsys):
    X, y, _, _ = data
    compare_models(X, y, models={"prior": DummyClassifier()}, verbose=False)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_best():
    def entry(name, cv, test=None):
        return {"name": name, "cv_accuracy": np.array(cv), "test_accuracy": test}

    assert ModelComparison([entry("a", [0.9]), entry("b", [0.95])]).best() == "b"
    assert ModelComparison([entry("a", [0.9], 0.9), entry("b", [0.95], 0.8)]).best() == "a"
    # Without a test accuracy for every model, the CV mean decides.
    assert ModelComparison([entry("a", [0.9], 0.99), entry("b", [0.95])]).best() == "b"
    assert ModelComparison([entry("a", [0.5, 1.0]), entry("b", [0.75])]).best() == "a"


def test_best_on_real_models(with_test):
    tests = {e["name"]: e["test_accuracy"] for e in with_test.results}
    assert with_test.best() == max(tests, key=tests.get)
    assert with_test.best() != "prior"


def test_to_dict_round_trips_through_json(with_test):
    data = json.loads(json.dumps(with_test.to_dict(), allow_nan=False))
    assert data["n_splits"] == 3
    assert data["random_state"] == 0
    assert data["best"] == with_test.best()
    assert [m["name"] for m in data["models"]] == with_test.names
    for got, entry in zip(data["models"], with_test.results, strict=True):
        assert got["cv_accuracy"] == entry["cv_accuracy"].tolist()
        assert got["fit_time"] == entry["fit_time"].tolist()
        assert got["predict_time"] == entry["predict_time"].tolist()
        assert got["cv_accuracy_mean"] == pytest.approx(entry["cv_accuracy"].mean())
        assert got["cv_accuracy_std"] == pytest.approx(entry["cv_accuracy"].std())
        assert got["test_accuracy"] == entry["test_accuracy"]
        assert got["test_fit_time"] == entry["test_fit_time"]


def _expected_cells(entry):
    scores = entry["cv_accuracy"]
    return [
        entry["name"],
        f"{scores.mean():.4f} ± {scores.std():.4f}",
        f"{entry['fit_time'].mean():.2f}",
        f"{entry['predict_time'].mean():.2f}",
        f"{entry['test_accuracy']:.4f}",
    ]


def test_text_table(with_test):
    text = with_test.to_text()
    assert text == str(with_test)
    lines = text.splitlines()
    assert lines[0].split() == ["model", "CV", "accuracy", "fit", "s", "predict", "s", "test",
                                "accuracy"]
    for line, entry in zip(lines[1:4], with_test.results, strict=True):
        expected = _expected_cells(entry)
        assert line.split() == [*expected[:1], *expected[1].split(), *expected[2:]]
    # Aligned: every row of the table is as wide as the header or narrower, columns end together.
    assert len({len(line) for line in lines[:4]}) == 1
    assert "3-fold stratified cross-validation (random_state=0)" in text
    assert repr(with_test) == "<ModelComparison of 3 models: knn, tree, prior>"


def test_markdown_table(with_test):
    lines = with_test.to_markdown().splitlines()
    assert lines[0] == "| model | CV accuracy | fit s | predict s | test accuracy |"
    assert lines[1] == "| :--- | ---: | ---: | ---: | ---: |"
    for line, entry in zip(lines[2:5], with_test.results, strict=True):
        assert line == "| " + " | ".join(_expected_cells(entry)) + " |"


def test_text_without_test_set(data):
    X, y, _, _ = data
    comparison = compare_models(X, y, models={"prior": DummyClassifier()}, verbose=False)
    assert comparison.to_text().splitlines()[1].endswith("n/a")


# -- bad input ------------------------------------------------------------------------


def test_length_mismatch(data):
    X, y, X_test, y_test = data
    with pytest.raises(ValueError, match=r"^X has 600 images but y has 599 labels\.$"):
        compare_models(X, y[:-1], models=models(), verbose=False)
    with pytest.raises(ValueError, match=r"X_test has 300 images but y_test has 10 labels"):
        compare_models(X, y, models=models(), X_test=X_test, y_test=y_test[:10], verbose=False)


def test_test_set_needs_both_parts(data):
    X, y, X_test, _ = data
    with pytest.raises(ValueError, match=r"X_test and y_test go together"):
        compare_models(X, y, models=models(), X_test=X_test, verbose=False)


def test_bad_cv(data):
    X, y, _, _ = data
    with pytest.raises(ValueError, match=r"cv must be a number of folds of at least 2.*got 1"):
        compare_models(X, y, models=models(), cv=1, verbose=False)
    with pytest.raises(ValueError, match=r"cv must be .* got 2\.5"):
        compare_models(X, y, models=models(), cv=2.5, verbose=False)
    few = np.isin(y, [3, 5])
    y_few, X_few = y[few].copy(), X[few]
    y_few[:2] = 7
    with pytest.raises(
        ValueError, match=r"Stratified 3-fold .* samples of each class, but class 7 has 2"
    ):
        compare_models(X_few, y_few, models=models(), verbose=False)


def test_single_class(data):
    X, y, _, _ = data
    with pytest.raises(ValueError, match=r"at least two classes in y, got only \[4\]"):
        compare_models(X[y == 4], y[y == 4], models=models(), verbose=False)


def test_bad_models(data):
    X, y, _, _ = data
    with pytest.raises(TypeError, match=r"models must be a non-empty dict .* got list"):
        compare_models(X, y, models=[KNeighborsClassifier()], verbose=False)
    with pytest.raises(TypeError, match=r"models must be a non-empty dict"):
        compare_models(X, y, models={}, verbose=False)
    with pytest.raises(TypeError, match=r"Model 'pca' must be an estimator with fit and predict"):
        compare_models(X, y, models={"pca": object()}, verbose=False)


def test_without_models_the_classic_four_are_compared(data, monkeypatch):
    from mnistkit.evaluation import _compare

    asked = []

    def classic(random_state):  # the four, small: what is tested is that they are used
        asked.append(random_state)
        return {"prior": DummyClassifier(), "knn": KNeighborsClassifier(3)}

    monkeypatch.setattr(_compare, "default_models", classic)
    X, y, X_test, y_test = data
    comparison = compare_models(X, y, X_test, y_test, random_state=3, verbose=False)
    assert asked == [3]
    assert comparison.names == ["prior", "knn"]
    expected = accuracy_score(y_test, KNeighborsClassifier(3).fit(X, y).predict(X_test))
    assert comparison.results[1]["test_accuracy"] == pytest.approx(expected)


def test_the_models_first_form_of_0_2_still_works_with_a_warning(data, monkeypatch):
    from mnistkit.evaluation import _compare

    monkeypatch.setattr(_compare, "default_models", lambda random_state: models())
    X, y, X_test, y_test = data
    new = compare_models(X, y, models=models(), X_test=X_test, y_test=y_test, verbose=False)
    message = r"compare_models\(models, X, y, \.\.\.\) is deprecated .* models=models\)"
    for first in (models(), None):
        with pytest.warns(FutureWarning, match=message):
            old = compare_models(first, X, y, X_test=X_test, y_test=y_test, verbose=False)
        assert old.names == new.names
        for a, b in zip(old.results, new.results, strict=True):
            assert_array_equal(a["cv_accuracy"], b["cv_accuracy"])
            assert a["test_accuracy"] == b["test_accuracy"]
    with pytest.raises(TypeError, match="got the models twice"):
        compare_models(models(), X, y, models=models(), verbose=False)


# -- the classic set ------------------------------------------------------------------


def test_default_models():
    from mnistkit import classifier

    models = default_models(random_state=3)
    assert list(models) == ["sgd", "rf", "svc-ovo", "svc-ovr"]
    assert all(isinstance(m, classifier.MNISTClassifier) for m in models.values())
    params = {name: model.get_params() for name, model in models.items()}
    assert params["sgd"]["backend"] == "sgd"
    assert params["rf"]["backend"] == "rf"
    assert (params["svc-ovo"]["backend"], params["svc-ovo"]["multiclass"]) == ("svc", "ovo")
    assert (params["svc-ovr"]["backend"], params["svc-ovr"]["multiclass"]) == ("svc", "ovr")
    assert all(p["random_state"] == 3 for p in params.values())


def test_splitters_that_need_the_data_to_count_their_folds():
    from sklearn.model_selection import LeaveOneOut

    from mnistkit import compare_models

    X = np.r_[np.zeros((3, 4)), np.ones((3, 4))]
    y = np.array([0, 0, 0, 1, 1, 1])
    from sklearn.dummy import DummyClassifier

    comparison = compare_models(X, y, models={"dummy": DummyClassifier()}, cv=LeaveOneOut(),
                                verbose=False)
    assert comparison.n_splits == 6
    assert len(comparison.results[0]["cv_accuracy"]) == 6


def test_a_comparison_shows_its_table_in_a_notebook():
    import html

    X, y = load_sample(return_X_y=True)
    comparison = compare_models(X[:300], y[:300], models={"prior": DummyClassifier()},
                                verbose=False)
    assert comparison._repr_html_() == f"<pre>{html.escape(comparison.to_text())}</pre>"
    assert "prior" in comparison._repr_html_()


class _StopsOnTheThirdFit(ClassifierMixin, BaseEstimator):
    """Fits as a dummy classifier, but the third fit is a Ctrl-C."""

    fits = 0

    def fit(self, X, y):
        type(self).fits += 1
        if type(self).fits == 3:
            raise KeyboardInterrupt
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_an_interrupt_prints_the_finished_fits_and_stops(capsys):
    X, y = load_sample(return_X_y=True)
    _StopsOnTheThirdFit.fits = 0
    with pytest.raises(KeyboardInterrupt):
        compare_models(X[:300], y[:300], models={"stops": _StopsOnTheThirdFit()}, cv=3,
                       verbose=True)
    err = capsys.readouterr().err
    assert "interrupted after 2 of 3 fits" in err
    assert "stops: 2 folds, mean accuracy" in err
