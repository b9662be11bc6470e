"""The ``mnistkit`` command, run as a user runs it: in a subprocess, on the shipped sample."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

from mnistkit import MNISTClassifier, evaluate, load_model, load_sample
from mnistkit.cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory):
    """An environment with an empty MNIST cache and a mirror that refuses connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ)
    env["MNISTKIT_DATA_DIR"] = str(tmp_path_factory.mktemp("empty-cache"))
    env["MNISTKIT_MIRROR"] = f"http://127.0.0.1:{port}/mnist/"
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.fixture(scope="module")
def mnistkit(offline_env):
    """Run ``python -m mnistkit ARGS`` in a folder; return the completed process."""

    def run(*args, cwd=None):
        return subprocess.run(
            [sys.executable, "-m", "mnistkit", *map(str, args)],
            capture_output=True, text=True, env=offline_env, cwd=cwd, timeout=300,
            check=False,
        )

    return run


def assert_user_error(process, command, *fragments):
    """Exit status 1, one line on stderr naming the command, no traceback."""
    assert process.returncode == 1, process.stderr
    assert process.stdout == ""
    lines = [line for line in process.stderr.splitlines() if not line.startswith("[")]
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith(f"mnistkit {command}: error: ")
    assert "Traceback" not in process.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def model_path(mnistkit, tmp_path_factory):
    """An SVC trained on the sample by ``mnistkit train``."""
    folder = tmp_path_factory.mktemp("model")
    process = mnistkit("train", "--dataset", "sample", "--backend", "svc", "-o", "svc.model",
                       cwd=folder)
    assert process.returncode == 0, process.stderr
    return folder / "svc.model"


@pytest.fixture(scope="module")
def sample_test():
    return load_sample(subset="test")


# -- the command and its help -----------------------------------------------------------


def test_version_and_help(mnistkit):
    from mnistkit import __version__

    version = mnistkit("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"mnistkit {__version__}"
    helped = mnistkit("--help")
    assert helped.returncode == 0
    for command in ("fetch", "compare", "train", "evaluate", "predict"):
        assert command in helped.stdout
    assert "mnistkit compare --dataset sample" in helped.stdout


@pytest.mark.parametrize("command", ["fetch", "compare", "train", "evaluate", "predict"])
def test_each_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: mnistkit {command}")
    assert "example" in text
    assert f"  mnistkit {command} " in text


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: mnistkit" in capsys.readouterr().out


# -- compare ----------------------------------------------------------------------------


def test_compare_default_models_with_output(mnistkit, tmp_path, sample_test):
    # No --models: the four default models. Half the training images, for speed.
    process = mnistkit("compare", "--dataset", "sample", "--train-size", "1000",
                       "--output", tmp_path / "results")
    assert process.returncode == 0, process.stderr
    out = process.stdout
    # The table: the four default models in order, on the sample's official split.
    rows = [line.split()[0] for line in out.splitlines()
            if line.split()[:1] in (["sgd"], ["rf"], ["svc-ovo"], ["svc-ovr"])]
    assert rows == ["sgd", "rf", "svc-ovo", "svc-ovr"]
    assert "1,000 training and 1,000 test images" in out
    assert "3-fold stratified cross-validation" in out
    assert "CV accuracy" in out
    assert "test accuracy" in out
    assert "Best: " in out
    # Progress, one line per fold, goes to stderr and never to stdout.
    assert "[compare] svc-ovr fold 3/3" in process.stderr
    assert "[compare]" not in out

    folder = tmp_path / "results"
    assert sorted(p.name for p in folder.iterdir()) == [
        "comparison.json", "comparison.md", "comparison.png", "comparison.txt",
    ]
    assert (folder / "comparison.png").read_bytes().startswith(PNG_SIGNATURE)
    assert (folder / "comparison.txt").read_text(encoding="utf-8") == out
    markdown = (folder / "comparison.md").read_text(encoding="utf-8")
    assert "| svc-ovo |" in markdown
    assert "](comparison.png)" in markdown
    document = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in document["models"]] == ["sgd", "rf", "svc-ovo", "svc-ovr"]
    assert document["n_splits"] == 3
    assert document["data"] == {"dataset": "sample", "split": "official", "seed": 0,
                                "n_train": 1000, "n_test": 1000}
    # The test accuracy is that of the same model fitted independently here, on the
    # same stratified half of the training images.
    from sklearn.model_selection import train_test_split

    X, y = load_sample(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=1000, stratify=y, random_state=0)
    sgd = MNISTClassifier(backend="sgd", random_state=0).fit(X, y)
    expected = sgd.score(sample_test.data, sample_test.target)
    assert document["models"][0]["test_accuracy"] == pytest.approx(expected)
    assert f"{expected:.4f}" in out.splitlines()[3]
    best = max(document["models"], key=lambda m: m["test_accuracy"])["name"]
    assert document["best"] == best
    assert f"Best: {best} " in out


def test_compare_quiet_models_and_stratified_split(mnistkit):
    process = mnistkit("compare", "--dataset", "sample", "--models", "sgd,rf", "--cv", "2",
                       "--split", "stratified", "--seed", "1", "--train-size", "600",
                       "--quiet")
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    out = process.stdout
    # 3,000 images split 80/20 by digit: 600 test images; 600 of the 2,400 for training.
    assert "stratified split, seed 1): 600 training and 600 test images" in out
    assert "2-fold stratified cross-validation (random_state=1)" in out
    names = [line.split()[0] for line in out.splitlines()[3:5]]
    assert names == ["sgd", "rf"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--models", "sgd,knn"], ["unknown model 'knn'", "svc-ovr"]),
        (["--train-size", "5000"], ["--train-size 5,000 is more than the 2,000"]),
        (["--models", "sgd", "--train-size", "5"], ["--train-size of 5 is too small"]),
        (["--models", "sgd", "--output", __file__], ["is a file, not a folder"]),
    ],
)
def test_compare_errors(mnistkit, args, fragments):
    process = mnistkit("compare", "--dataset", "sample", *args)
    assert_user_error(process, "compare", *fragments)


@pytest.mark.parametrize("args", [["--cv", "1"], ["--split", "random"], ["--n-jobs", "x"]])
def test_compare_usage_errors_exit_2(mnistkit, args):
    process = mnistkit("compare", "--dataset", "sample", *args)
    assert process.returncode == 2
    assert "usage: mnistkit compare" in process.stderr
    assert "Traceback" not in process.stderr


def test_no_network(mnistkit, tmp_path):
    # MNIST is not cached and the only mirror refuses connections.
    for command in ("fetch", "compare"):
        process = mnistkit(command, "--data-home", tmp_path, "--quiet")
        assert_user_error(process, command, "could not be downloaded", "--data-home")
    debug = mnistkit("compare", "--data-home", tmp_path, "--quiet", "--debug")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr
    assert "DownloadError" in debug.stderr


# -- train ------------------------------------------------------------------------------


def test_train_saves_a_model(model_path, sample_test):
    model = load_model(model_path)
    assert isinstance(model, MNISTClassifier)
    assert model.get_params()["backend"] == "svc"
    assert model.get_params()["probability"] is True
    assert model.get_params()["random_state"] == 0
    assert model.score(sample_test.data, sample_test.target) > 0.95


def test_train_records_its_data_in_the_model_header(model_path):
    from sklearn.base import clone

    from mnistkit.classifier import read_model_header

    training = read_model_header(model_path)["training"]
    assert training == {
        "dataset": "sample", "split": "official", "seed": 0, "n_train": 2000, "name": "svc",
    }
    # The record is the file's, not a hidden attribute of the estimator.
    model = load_model(model_path)
    assert not [name for name in vars(model) if "cli" in name]
    assert clone(model).get_params() == model.get_params()


def test_train_model_options(mnistkit, tmp_path):
    process = mnistkit(
        "train", "--dataset", "sample", "--backend", "rf", "--train-size", "500",
        "--model-option", "n_estimators=20", "-m", "features=pixels", "-m", "n_jobs=none",
        "--seed", "3", "-o", tmp_path / "rf.model",
    )
    assert process.returncode == 0, process.stderr
    assert "[train] training rf on 500 images" in process.stderr
    assert f"Saved the model to {tmp_path / 'rf.model'}" in process.stdout
    params = load_model(tmp_path / "rf.model").get_params()
    assert params["n_estimators"] == 20
    assert params["features"] == "pixels"
    assert params["n_jobs"] is None
    assert params["random_state"] == 3


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["-m", "depth=3"], ["unknown model option 'depth'", "n_estimators", "C"]),
        (["-m", "C"], ["--model-option takes key=value"]),
        (["-m", "C=-1"], ["'C' parameter of MNISTClassifier"]),
        (["-m", "backend_params=[1]"], ["backend_params takes a JSON object"]),
        (["-o", "no/such/folder/m.model"], ["the folder no/such/folder does not exist"]),
    ],
)
def test_train_errors(mnistkit, tmp_path, args, fragments):
    if "-o" not in args:
        args = [*args, "-o", "m.model"]
    process = mnistkit("train", "--dataset", "sample", "--train-size", "200", *args,
                       cwd=tmp_path)
    assert_user_error(process, "train", *fragments)
    assert not (tmp_path / "m.model").exists()


def test_train_unknown_backend(mnistkit, tmp_path):
    process = mnistkit("train", "--backend", "knn", "-o", tmp_path / "m.model")
    assert process.returncode == 2
    assert "unknown backend 'knn'" in process.stderr
    assert "svc-accurate" in process.stderr
    assert "Traceback" not in process.stderr


# -- evaluate ---------------------------------------------------------------------------


def test_evaluate_prints_report(mnistkit, model_path, sample_test):
    # No --dataset: the model file says it was trained on the sample.
    process = mnistkit("evaluate", model_path, "--quiet")
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    expected = evaluate(load_model(model_path), sample_test.data, sample_test.target)
    out = process.stdout
    assert "1,000 test images of the MNIST sample" in out
    assert f"Accuracy: {expected.accuracy:.4f}" in out
    assert "macro avg" in out
    assert f"ROC AUC: micro {expected.roc_auc['micro']:.4f}" in out


def test_evaluate_output_folder(mnistkit, model_path, tmp_path):
    process = mnistkit("evaluate", model_path, "--output", tmp_path / "report")
    assert process.returncode == 0, process.stderr
    assert "index.html" in process.stderr
    folder = tmp_path / "report"
    names = {p.name for p in folder.iterdir()}
    assert {"report.txt", "report.md", "evaluation.json", "index.html"} <= names
    pngs = sorted(name for name in names if name.endswith(".png"))
    assert {"dashboard.png", "confusion_matrix.png", "roc_curves.png",
            "misclassified.png", "least_confident.png"} <= set(pngs)
    for name in pngs:
        assert (folder / name).read_bytes().startswith(PNG_SIGNATURE)
    report = json.loads((folder / "evaluation.json").read_text(encoding="utf-8"))
    page = (folder / "index.html").read_text(encoding="utf-8")
    # Each figure once: the dashboard, which repeats the others, is linked, not shown.
    for name in pngs:
        assert page.count(f'<img src="{name}"') == (name != "dashboard.png")
    assert '<a href="dashboard.png">' in page
    assert "<script" not in page
    assert f"{report['accuracy']:.2%}" in page
    assert page.count("<tr>") >= 12  # ten digits, two averages, and the header
    assert (folder / "report.txt").read_text(encoding="utf-8") in process.stdout + "\n"
def test_evaluate_errors(mnistkit, tmp_path):
    assert_user_error(mnistkit("evaluate", tmp_path / "missing.model"), "evaluate",
                      "No model file at")
    not_a_model = tmp_path / "notes.txt"
    not_a_model.write_text("hello")
    assert_user_error(mnistkit("evaluate", not_a_model), "evaluate",
                      "is not an mnistkit model file")


# -- predict ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digit_files(tmp_path_factory, sample_test):
    """Sample test digits written as a user's files: inverted, padded, resized, PNG and JPEG."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("digits")
    rng = np.random.default_rng(0)
    paths, labels = [], []
    for k in range(30):
        index = 7 * k
        image = sample_test.images[index]
        label = int(sample_test.target[index])
        if k % 2:  # dark on light, as on paper
            image = 255 - image
        fill = int(image[0, 0])
        top, bottom, left, right = rng.integers(0, 30, size=4)
        image = np.pad(image, ((top, bottom), (left, right)), constant_values=fill)
        scale = rng.uniform(1.5, 10)  # the same both ways: the digit keeps its shape
        size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
        picture = Image.fromarray(image).resize(size, Image.Resampling.BILINEAR)
        if k % 3 == 0:
            picture = picture.convert("RGB")
        path = folder / f"digit_{k:02d}.{'jpg' if k % 5 == 0 else 'png'}"
        picture.save(path)
        paths.append(path)
        labels.append(label)
    return paths, labels


def test_predict_recovers_the_digits(mnistkit, model_path, digit_files):
    paths, labels = digit_files
    process = mnistkit("predict", model_path, *paths)
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert len(lines) == len(paths)
    predicted, confidences = [], []
    for line, path in zip(lines, paths, strict=True):
        name, digit, word, confidence = line.split()
        assert name == str(path)
        assert word == "confidence"
        predicted.append(int(digit))
        confidences.append(float(confidence))
    right = np.mean(np.array(predicted) == np.array(labels))
    assert right >= 0.85, list(zip(predicted, labels, strict=True))
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert np.mean(confidences) > 0.8


def test_predict_without_probabilities(mnistkit, tmp_path, digit_files):
    paths, _ = digit_files
    trained = mnistkit("train", "--dataset", "sample", "--backend", "sgd", "--train-size", "500",
                       "-m", "probability=false", "-o", tmp_path / "sgd.model", "--quiet")
    assert trained.returncode == 0, trained.stderr
    process = mnistkit("predict", tmp_path / "sgd.model", paths[0])
    assert process.returncode == 0, process.stderr
    assert process.stdout.split()[-1] == "n/a"
    assert "probability=true" in process.stderr


def test_predict_errors(mnistkit, model_path, digit_files, tmp_path):
    import matplotlib.pyplot as plt

    good = digit_files[0][0]
    not_an_image = tmp_path / "photo.png"
    not_an_image.write_bytes(b"this is not a picture")
    blank = tmp_path / "blank.png"
    plt.imsave(blank, np.full((40, 40), 0.5), cmap="gray")

    assert_user_error(mnistkit("predict", model_path, good, tmp_path / "missing.png"),
                      "predict", "No image file at", "missing.png")
    assert_user_error(mnistkit("predict", model_path, not_an_image), "predict",
                      "photo.png is not an image file")
    assert_user_error(mnistkit("predict", model_path, blank), "predict",
                      "blank.png: no digit found: the image is blank")
    assert_user_error(mnistkit("predict", good, good), "predict",
                      "is not an mnistkit model file")
    usage = mnistkit("predict", model_path)
    assert usage.returncode == 2
    assert "IMAGE" in usage.stderr
