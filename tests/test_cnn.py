"""backend="cnn": the convolutional network behind MNISTClassifier, on the shipped sample.

Needs the optional extra (``pip install "mnistkit[torch]"``; CI installs it for
this file alone). Fits are tiny, on the CPU: a few hundred images, one epoch,
so the tests check the estimator's behaviour, not its accuracy
(``benchmarks/bench_cnn.py`` measures that). What must work without torch is
tested in test_torch_extra.py.
"""

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from mnistkit import MNISTClassifier, load_model, load_sample
from mnistkit.classifier import PRESETS
from mnistkit.cli import main
from mnistkit.evaluation import compare_models

skorch = pytest.importorskip("skorch")
import skops.io  # noqa: E402
import torch  # noqa: E402

from mnistkit.classifier._cnn import CNNClassifier, network_class  # noqa: E402
from mnistkit.classifier._model_types import TRUSTED_TYPES  # noqa: E402

N_TRAIN = 300
CNN = "mnistkit.classifier._cnn.CNNClassifier"
no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")


@pytest.fixture(scope="module")
def digits():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    return X[:N_TRAIN], y[:N_TRAIN], X_test[:100], y_test[:100]


@pytest.fixture(scope="module")
def fitted(digits):
    X, y, _, _ = digits
    return MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, y)


def payload(path):
    """What follows the header of a model file."""
    return Path(path).read_bytes().split(b"\n", 2)[2]


# The estimator -------------------------------------------------------------------------


def test_predictions_probabilities_and_scores_agree(fitted, digits):
    _, y, X_test, y_test = digits
    assert_array_equal(fitted.classes_, np.unique(y))
    logits = fitted.decision_function(X_test)
    proba = fitted.predict_proba(X_test)
    assert logits.shape == proba.shape == (100, 10)
    # The probabilities are the softmax of the logits, computed here independently.
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    assert_allclose(proba, exp / exp.sum(axis=1, keepdims=True), rtol=1e-12)
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    y_pred = fitted.predict(X_test)
    assert y_pred.shape == (100,)
    assert_array_equal(y_pred, fitted.classes_[logits.argmax(axis=1)])
    assert fitted.score(X_test, y_test) == accuracy_score(y_test, y_pred)


def test_the_network_reads_scaled_pixels_and_nothing_else(fitted, digits):
    _, _, X_test, _ = digits
    assert [name for name, _ in fitted.pipeline_.steps] == ["model"]
    model = fitted.pipeline_[-1]
    assert isinstance(model, CNNClassifier)
    assert fitted.scaler_ == "pixel"
    # Each call reads the scale of its own pixels: 0-255 and [0, 1] are the same images.
    assert_allclose(fitted.predict_proba(X_test / 255.0), fitted.predict_proba(X_test), atol=1e-5)
    assert model.network_params_["side"] == 28
    assert (model.network_params_["shift"], model.network_params_["rotation"]) == (2.0, 10.0)


def test_labels_of_any_kind(digits):
    X, y, X_test, _ = digits
    names = np.array(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
    clf = MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, names[y])
    assert_array_equal(clf.classes_, np.sort(names))
    assert set(clf.predict(X_test)) <= set(names)


def test_read_only_images_are_copied_not_shared_with_torch(digits):
    # Floats in [0, 1] reach the network as they are; torch warns (an error here)
    # when it is handed an array it cannot write to.
    X, y, _, _ = digits
    X = (X / 255.0).astype(np.float32)
    X.flags.writeable = False
    clf = MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, y)
    assert clf.predict(X).shape == (N_TRAIN,)


def test_same_seed_same_network_and_torch_left_as_it_was(digits):
    X, y, X_test, _ = digits
    first = MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, y)
    torch.rand(3)  # torch's own random state moves on: the seed alone decides
    state = torch.random.get_rng_state()
    second = MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, y)
    assert_array_equal(first.pipeline_[-1].loss_curve_, second.pipeline_[-1].loss_curve_)
    assert_array_equal(first.decision_function(X_test), second.decision_function(X_test))
    other = MNISTClassifier(backend="cnn", epochs=1, random_state=1).fit(X, y)
    assert other.pipeline_[-1].loss_curve_ != first.pipeline_[-1].loss_curve_
    assert torch.equal(torch.random.get_rng_state(), state)


def test_distortions_are_seeded_small_shifts_in_training_only(digits):
    X, _, _, _ = digits
    images = torch.from_numpy(X[:64].astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    network = network_class()

    def distorted(seed, **amounts):
        return network(side=28, n_classes=10, seed=seed, **amounts).distort(images)

    moved = distorted(3, shift=2.0)
    assert torch.equal(moved, distorted(3, shift=2.0))
    assert not torch.equal(moved, distorted(4, shift=2.0))
    # A shift moves the ink without turning or scaling it: its centre of mass moves
    # by up to 2 pixels along each axis, and by more than a tenth of one for most.
    grid = torch.arange(28, dtype=torch.float32)

    def centre(batch):
        ink = batch[:, 0]
        total = ink.sum(dim=(1, 2))
        return torch.stack(
            [(ink.sum(2) * grid).sum(1) / total, (ink.sum(1) * grid).sum(1) / total], 1
        )

    step = (centre(moved) - centre(images)).abs()
    assert step.max() <= 2.0 + 1e-3
    assert (step.max(dim=1).values > 0.1).float().mean() > 0.8
    # A network in evaluation mode (prediction) never distorts.
    model = network(side=28, n_classes=10, shift=2.0, rotation=10.0, zoom=0.1).eval()
    rows = images.reshape(64, -1)
    with torch.no_grad():
        assert torch.equal(model(rows), model(rows))


def test_n_jobs_sets_torch_threads_and_restores_them(digits, monkeypatch):
    X, y, X_test, _ = digits
    before = torch.get_num_threads()
    seen = []
    real = torch.set_num_threads

    def spy(n):
        seen.append(n)
        real(n)

    monkeypatch.setattr(torch, "set_num_threads", spy)
    clf = MNISTClassifier(backend="cnn", epochs=1, n_jobs=1, random_state=0).fit(X, y)
    assert seen == [1, before]
    clf.predict(X_test)
    assert seen == [1, before, 1, before]
    assert torch.get_num_threads() == before
    # None leaves torch's setting alone.
    MNISTClassifier(backend="cnn", epochs=1, random_state=0).fit(X, y).predict(X_test)
    assert len(seen) == 4


def test_epochs_and_backend_params_reach_the_network(digits, capsys):
    X, y, _, _ = digits
    clf = MNISTClassifier(
        backend="cnn",
        epochs=2,
        random_state=0,
        backend_params={"hidden": 16, "channels": (8,), "verbose": 1},
    )
    clf.fit(X, y)
    model = clf.pipeline_[-1]
    assert len(model.loss_curve_) == 2
    assert model.net_.module_.head[-1].in_features == 16
    assert model.net_.module_.blocks[0].out_channels == 8
    # By default, two 3x3 convolutions in each block, then its pooling.
    convolutions = [c for c in model.net_.module_.blocks if isinstance(c, torch.nn.Conv2d)]
    assert [c.kernel_size for c in convolutions] == [(3, 3), (3, 3)]
    assert [c.out_channels for c in convolutions] == [8, 8]
    # verbose: skorch's table, one row per epoch as it ends.
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["epoch", "train_loss", "dur"]
    assert [line.split()[0] for line in lines[2:]] == ["1", "2"]
    # backend_params wins over the parameter, as for every backend.
    clf = MNISTClassifier(backend="cnn", epochs=3, backend_params={"epochs": 1}, random_state=0)
    assert len(clf.fit(X, y).pipeline_[-1].loss_curve_) == 1


def test_convolutions_and_kernel_shape_each_block(digits):
    X, y, X_test, _ = digits
    clf = MNISTClassifier(
        backend="cnn",
        epochs=1,
        random_state=0,
        backend_params={"channels": (4, 6), "convolutions": 3, "kernel": 5},
    ).fit(X[:200], y[:200])
    blocks = clf.pipeline_[-1].net_.module_.blocks
    convolutions = [layer for layer in blocks if isinstance(layer, torch.nn.Conv2d)]
    assert [c.kernel_size for c in convolutions] == [(5, 5)] * 6
    assert [c.out_channels for c in convolutions] == [4, 4, 4, 6, 6, 6]
    assert sum(isinstance(layer, torch.nn.MaxPool2d) for layer in blocks) == 2
    assert clf.predict_proba(X_test).shape == (len(X_test), 10)


def test_a_file_of_the_first_network_still_loads(digits, tmp_path):
    # The backend's first network, one 5x5 convolution per block, was saved without
    # "convolutions" and "kernel" among its network_params_.
    X, y, X_test, _ = digits
    first = MNISTClassifier(
        backend="cnn", epochs=1, random_state=0,
        backend_params={"convolutions": 1, "kernel": 5},
    ).fit(X, y)
    for key in ("convolutions", "kernel"):
        del first.pipeline_[-1].network_params_[key]
        delattr(first.pipeline_[-1], key)
    loaded = load_model(first.save(tmp_path / "first.mnistkit"))
    assert_array_equal(loaded.predict_proba(X_test), first.predict_proba(X_test))
    network = loaded.pipeline_[-1]
    blocks = network.net_.module_.blocks
    assert [c.kernel_size for c in blocks if isinstance(c, torch.nn.Conv2d)] == [(5, 5)] * 2
    assert network.get_params()["convolutions"] == 1
    assert network.get_params()["kernel"] == 5


def test_probabilities_are_its_own_whatever_probability_says(digits):
    X, y, X_test, _ = digits
    for probability in (True, "fast"):
        clf = MNISTClassifier(backend="cnn", epochs=1, probability=probability, random_state=0)
        clf.fit(X, y)
        assert clf.calibrator_ is None
        assert not hasattr(clf, "assess")
        assert_allclose(clf.predict_proba(X_test).sum(axis=1), 1.0)


def test_other_widths_are_read_as_squares_and_not_distorted(digits):
    X, y, X_test, _ = digits
    table = MNISTClassifier(backend="cnn", epochs=1, features="pixels", random_state=0)
    table.fit(X[:, 300:320], y)
    params = table.pipeline_[-1].network_params_
    assert params["side"] == 5  # 20 values, padded to 5x5
    assert (params["shift"], params["rotation"], params["zoom"]) == (0.0, 0.0, 0.0)
    assert table.predict(X_test[:, 300:320]).shape == (100,)
    # Deskewed digits are still images: distorted in training.
    deskewed = MNISTClassifier(backend="cnn", epochs=1, features="deskew", random_state=0)
    deskewed.fit(X, y)
    assert len(deskewed.pipeline_) == 2
    assert deskewed.pipeline_[-1].network_params_["shift"] == 2.0


@no_gpu
def test_a_cuda_device_is_refused_where_there_is_none(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match=r"device='cuda', but torch sees no CUDA GPU here"):
        MNISTClassifier(backend="cnn", backend_params={"device": "cuda"}).fit(X, y)
    with pytest.raises(ValueError, match=r"device must be 'auto', 'cpu', 'cuda' or another"):
        MNISTClassifier(backend="cnn", backend_params={"device": "gpu0"}).fit(X, y)


# With scikit-learn ---------------------------------------------------------------------


def test_clone_pipeline_and_grid_search(fitted, digits):
    X, y, X_test, y_test = digits
    unfitted = clone(fitted)
    assert unfitted.get_params() == fitted.get_params()
    assert not hasattr(unfitted, "pipeline_")
    pipeline = make_pipeline(
        FunctionTransformer(lambda images: images / 255.0),
        MNISTClassifier(backend="cnn", epochs=1, random_state=0),
    )
    assert pipeline.fit(X, y).predict_proba(X_test).shape == (100, 10)
    search = GridSearchCV(
        MNISTClassifier(backend="cnn", random_state=0),
        [{"epochs": [1, 2]}, {"epochs": [1], "backend_params": [{"hidden": 32}]}],
        cv=2,
    )
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()
    assert search.best_estimator_.score(X_test, y_test) == search.score(X_test, y_test)


@parametrize_with_checks(
    # The check data are small tables: read as tiny squares, not distorted. Their
    # values, already small, are left as they are (dividing by 255 would leave batch
    # norm too few steps to learn their scale), and small batches give the network
    # enough steps to learn them.
    [
        MNISTClassifier(
            backend="cnn",
            features="pixels",
            scaler="none",
            n_jobs=1,
            random_state=0,
            backend_params={"epochs": 10, "batch_size": 32},
        )
    ],
    expected_failed_checks=lambda estimator: {
        # As for the other backends: make_blobs data with negative values, which
        # MNISTClassifier refuses as pixels (test_classifier.py tests it on digits).
        "check_decision_proba_consistency": "negative pixels are refused",
    },
)
def test_scikit_learn_compatible(estimator, check):
    check(estimator)


# Model files ----------------------------------------------------------------------------


def test_save_and_load_give_the_same_predictions_from_arrays_alone(fitted, digits, tmp_path):
    _, _, X_test, _ = digits
    path = fitted.save(tmp_path / "cnn.mnistkit")
    untrusted = set(skops.io.get_untrusted_types(data=payload(path)))
    assert CNN in untrusted
    assert untrusted <= set(TRUSTED_TYPES)
    # No torch object or torch.save archive: plain arrays and parameters.
    assert b"torch" not in payload(path)
    loaded = load_model(path)
    model = loaded.pipeline_[-1]
    assert "net_" not in vars(model)
    assert all(isinstance(a, np.ndarray) for a in model.weights_.values())
    assert_array_equal(loaded.predict(X_test), fitted.predict(X_test))
    assert_array_equal(loaded.predict_proba(X_test), fitted.predict_proba(X_test))
    # Once rebuilt, it saves the same weights again.
    again = load_model(loaded.save(tmp_path / "again.mnistkit")).pipeline_[-1].weights_
    assert again.keys() == model.weights_.keys()
    for name, array in model.weights_.items():
        assert_array_equal(again[name], array)


@no_gpu
def test_a_model_trained_on_a_gpu_predicts_on_the_cpu(fitted, digits, tmp_path):
    # Its weights were copied to the CPU when saved; the device it names is not here.
    _, _, X_test, _ = digits
    on_gpu = copy.deepcopy(fitted)
    on_gpu.pipeline_[-1].set_params(device="cuda")
    loaded = load_model(on_gpu.save(tmp_path / "gpu.mnistkit"))
    assert_array_equal(loaded.predict_proba(X_test), fitted.predict_proba(X_test))


def test_weights_that_do_not_fit_the_network_are_refused(fitted, digits):
    _, _, X_test, _ = digits
    short = copy.deepcopy(fitted)  # weights_ as arrays, the network rebuilt when used
    model = short.pipeline_[-1]
    model.weights_["head.2.weight"] = model.weights_["head.2.weight"][:, :10]
    with pytest.raises(ValueError, match="weights do not fit its architecture"):
        short.predict(X_test)
    # A file that claims a huge network is refused before anything is allocated.
    huge = copy.deepcopy(fitted)
    huge.pipeline_[-1].network_params_["channels"] = (10**6, 10**6)
    with pytest.raises(ValueError, match="weights do not fit its architecture"):
        huge.predict(X_test)
    # And so is a description the network cannot be built from.
    odd = copy.deepcopy(fitted)
    odd.pipeline_[-1].network_params_["side"] = "28"
    with pytest.raises(ValueError, match="weights do not fit its architecture"):
        odd.predict(X_test)


def test_loading_without_torch_works_and_predicting_names_the_extra(fitted, tmp_path):
    path = fitted.save(tmp_path / "cnn.mnistkit")
    code = (
        "import importlib.abc, sys\n"
        "class _NotInstalled(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.partition('.')[0] in ('torch', 'skorch'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, _NotInstalled())\n"
        "from mnistkit import load_model, load_sample\n"
        f"model = load_model({str(path)!r})\n"
        "print(model.backend)\n"
        "try:\n"
        "    model.predict(load_sample(return_X_y=True)[0][:5])\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()
    assert out[0] == "cnn"
    assert 'pip install "mnistkit[torch]"' in out[1]


# Comparisons and the command line --------------------------------------------------------


def test_a_comparison_with_a_cnn_row(digits):
    X, y, X_test, y_test = digits
    models = {
        "cnn": MNISTClassifier(**PRESETS["cnn"], epochs=1, random_state=0),
        "sgd": MNISTClassifier(**PRESETS["sgd"], random_state=0),
    }
    comparison = compare_models(
        X, y, models=models, cv=2, X_test=X_test, y_test=y_test, verbose=False
    )
    assert comparison.names == ["cnn", "sgd"]
    row = comparison.to_text().splitlines()[1].split()
    assert row[0] == "cnn"
    assert float(row[-1]) == comparison.results[0]["test_accuracy"]


def test_the_command_line_takes_the_cnn(tmp_path, capsys):
    status = main(
        [
            "compare",
            "--dataset",
            "sample",
            "--train-size",
            "50",
            "--cv",
            "2",
            "--models",
            "cnn",
            "--n-jobs",
            "1",
            "--quiet",
        ]
    )
    assert status == 0
    assert "Comparison of cnn on" in capsys.readouterr().out
    output = tmp_path / "cnn.mnistkit"
    status = main(
        [
            "train",
            "--dataset",
            "sample",
            "--train-size",
            "200",
            "--backend",
            "cnn",
            "-m",
            "epochs=1",
            "-o",
            str(output),
            "--quiet",
        ]
    )
    assert status == 0
    trained = load_model(output)
    assert trained.pipeline_[-1].epochs == 1
    # Its file learns from broad-marker copies, some of them through low-resolution
    # round trips; the setting comes back from the file as it was given.
    assert trained.augment == {"kind": "broad-marker", "low_res": 0.3}
