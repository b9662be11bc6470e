"""The ``mnistkit`` command on the shipped sample.

Most tests call :func:`mnistkit.cli.main` in this process and read what it printed
(capsys); a few run ``python -m mnistkit`` in a real process, as a user does: the entry
point, a fresh interpreter choosing its plotting backend, and the predict tests.
"""

import json
import os
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import numpy as np
import pytest

from mnistkit import MNISTClassifier, evaluate, load_model, load_sample
from mnistkit.cli import _work, main
from mnistkit.datasets import DownloadError

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


@pytest.fixture(scope="module")
def offline(offline_env):
    """The offline environment's MNIST settings, in this process, for the module."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("MNISTKIT_DATA_DIR", "MNISTKIT_MIRROR"):
            patch.setenv(name, offline_env[name])
        yield patch


def _main(*args):
    """``main(ARGS)`` in this process: its exit status (argparse's exits included)."""
    try:
        return main([str(arg) for arg in args])
    except SystemExit as exit_info:
        return exit_info.code


@pytest.fixture
def cli(offline, capsys):
    """Run ``mnistkit ARGS`` in this process; return what a finished process would give."""

    def run(*args):
        capsys.readouterr()
        returncode = _main(*args)
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=returncode, stdout=out, stderr=err)

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
def model_path(offline, tmp_path_factory):
    """An SVC with probabilities, trained on the sample by ``mnistkit train``."""
    path = tmp_path_factory.mktemp("model") / "svc.mnistkit"
    status = _main("train", "--dataset", "sample", "--backend", "svc",
                   "-m", "probability=true", "--n-jobs", "1", "-o", path, "--quiet")
    assert status == 0
    return path


@pytest.fixture(scope="module")
def sample_test():
    return load_sample(subset="test")


# -- the command and its help -----------------------------------------------------------


def test_version_and_help_in_a_real_process(mnistkit):
    from mnistkit import __version__

    version = mnistkit("-V")
    assert version.returncode == 0
    assert version.stdout.strip() == f"mnistkit {__version__}"
    helped = mnistkit("--help")
    assert helped.returncode == 0
    for command in ("fetch", "compare", "train", "evaluate", "predict"):
        assert command in helped.stdout
    assert "mnistkit compare --dataset sample" in helped.stdout


def test_version_long_option(cli):
    from mnistkit import __version__

    assert cli("--version").stdout.strip() == f"mnistkit {__version__}"


@pytest.mark.parametrize("command", ["fetch", "compare", "train", "evaluate", "predict"])
def test_each_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: mnistkit {command}")
    assert "example" in text
    assert f"  mnistkit {command} " in text
    # One extension for model files, everywhere.
    assert ".model " not in text
    assert ".model\n" not in text


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: mnistkit" in capsys.readouterr().out


# -- compare ----------------------------------------------------------------------------


def test_compare_default_models_with_output(cli, tmp_path, sample_test):
    # No --models: the four default models. Half the training images, for speed.
    process = cli("compare", "--dataset", "sample", "--train-size", "1000",
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
    # Progress, one line per fold, goes to stderr and never to stdout; it says how many
    # cores the fits share, a number, never None.
    cores = _work.usable_cores()
    assert f"[compare] the fits share {cores} core" in process.stderr
    assert "n_jobs=None" not in process.stderr
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


def test_compare_quiet_models_and_stratified_split(cli):
    process = cli("compare", "--dataset", "sample", "--models", "sgd,rf", "--cv", "2",
                  "--split", "stratified", "--seed", "1", "--train-size", "600",
                  "--n-jobs", "1", "--quiet")
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    out = process.stdout
    # 3,000 images split 80/20 by digit: 600 test images; 600 of the 2,400 for training.
    assert "stratified split, seed 1): 600 training and 600 test images" in out
    assert "2-fold stratified cross-validation (random_state=1)" in out
    names = [line.split()[0] for line in out.splitlines()[3:5]]
    assert names == ["sgd", "rf"]


@pytest.fixture
def compare_spy(monkeypatch):
    """Record the n_jobs ``mnistkit compare`` asks for, and run on one process."""
    import mnistkit.evaluation

    real, asked = mnistkit.evaluation.compare_models, []

    def spy(*args, n_jobs=None, **kwargs):
        asked.append(n_jobs)
        return real(*args, n_jobs=1, **kwargs)

    monkeypatch.setattr(mnistkit.evaluation, "compare_models", spy)
    return asked


@pytest.mark.parametrize(
    ("option", "cores", "expected", "why"),
    [
        ([], 3, 3, "all 3 cores"),
        ([], 1, 1, "the only core"),
        (["--n-jobs", "1"], 3, 1, "--n-jobs 1: 1 of 3 cores"),
        (["--n-jobs", "-1"], 4, 4, "--n-jobs -1: 4 of 4 cores"),
        (["--n-jobs", "-2"], 4, 3, "--n-jobs -2: 3 of 4 cores"),
    ],
)
def test_compare_uses_the_cores_by_default(cli, compare_spy, monkeypatch, option, cores,
                                           expected, why):
    monkeypatch.setattr(_work, "usable_cores", lambda: cores)
    process = cli("compare", "--dataset", "sample", "--models", "sgd", "--cv", "2",
                  "--train-size", "300", *option)
    assert process.returncode == 0, process.stderr
    assert compare_spy == [expected]
    shared = f"{expected} core" + ("s" if expected > 1 else "")
    assert f"[compare] the fits share {shared} ({why})" in process.stderr


def test_default_jobs_keep_memory_in_check(monkeypatch):
    monkeypatch.setattr(_work, "usable_cores", lambda: 16)
    monkeypatch.setattr(_work, "_available_memory", lambda: int(3.5 * _work.MEMORY_PER_JOB))
    assert _work.resolve_jobs(None, dataset="mnist") == (3, "3 of 16 cores, as free memory allows")
    assert _work.resolve_jobs(None, dataset="sample")[0] == 16  # the sample is small
    monkeypatch.setattr(_work, "_available_memory", lambda: _work.MEMORY_PER_JOB // 2)
    assert _work.resolve_jobs(None, dataset="mnist")[0] == 1
    assert _work.resolve_jobs(2, dataset="mnist")[0] == 2  # asked for: as asked
    monkeypatch.setattr(_work, "_available_memory", lambda: None)  # unknown: not capped
    assert _work.resolve_jobs(None, dataset="mnist")[0] == 16


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--models", "sgd,knn"], ["unknown model 'knn'", "svc-ovr"]),
        (["--train-size", "5000"], ["--train-size 5,000 is more than the 2,000"]),
        (["--models", "sgd", "--train-size", "5"], ["--train-size of 5 is too small"]),
        (["--models", "sgd", "--output", __file__], ["is a file, not a folder"]),
    ],
)
def test_compare_errors(cli, args, fragments):
    assert_user_error(cli("compare", "--dataset", "sample", *args), "compare", *fragments)


@pytest.mark.parametrize("args", [["--cv", "1"], ["--split", "random"], ["--n-jobs", "x"],
                                  ["--n-jobs", "0"]])
def test_compare_usage_errors_exit_2(cli, args):
    process = cli("compare", "--dataset", "sample", *args)
    assert process.returncode == 2
    assert "usage: mnistkit compare" in process.stderr
    assert "Traceback" not in process.stderr


def test_no_network(cli, tmp_path):
    # MNIST is not cached and the only mirror refuses connections.
    for command in ("fetch", "compare", "train"):
        args = ["-o", tmp_path / "m.mnistkit"] if command == "train" else []
        process = cli(command, "--data-home", tmp_path, "--quiet", *args)
        assert_user_error(process, command, "could not be downloaded", "--data-home")
        # What the README offers for that case, in the command's own words.
        offered = f"mnistkit {command} --dataset sample"
        assert (offered in process.stderr) == (command != "fetch")
        assert "load_sample()" not in process.stderr  # the library's hint speaks Python
    with pytest.raises(DownloadError):
        main(["compare", "--data-home", str(tmp_path), "--quiet", "--debug"])


@pytest.mark.filterwarnings("default::UserWarning")  # shown, as outside the tests
def test_library_warnings_are_the_commands_own_lines(cli, tmp_path):
    # A damaged file in the cache is refused with the library's warning; the
    # download meant to replace it then fails, as the mirror is offline.
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"not MNIST")
    process = cli("fetch", "--data-home", tmp_path, "--quiet")
    lines = [line for line in process.stderr.splitlines() if not line.startswith("[")]
    assert len(lines) == 2, process.stderr
    assert lines[0].startswith("mnistkit fetch: warning: The cached MNIST file ")
    assert "was refused" in lines[0]
    assert "UserWarning" not in process.stderr
    assert lines[1].startswith("mnistkit fetch: error: ")
    assert (tmp_path / "train-images-idx3-ubyte.invalid").read_bytes() == b"not MNIST"


# -- long work: a sign of life ------------------------------------------------------------


@pytest.fixture
def slow_fit(monkeypatch):
    """Fits that take 0.3 s more, and a heartbeat every 0.05 s."""
    real = MNISTClassifier.fit

    def fit(self, X, y):
        time.sleep(0.3)
        return real(self, X, y)

    monkeypatch.setattr(MNISTClassifier, "fit", fit)
    monkeypatch.setattr(_work, "HEARTBEAT_SECONDS", 0.05)


def test_long_work_prints_a_line_at_intervals(cli, slow_fit, tmp_path):
    process = cli("train", "--dataset", "sample", "--backend", "sgd", "--train-size", "300",
                  "-o", tmp_path / "m.mnistkit")
    assert process.returncode == 0, process.stderr
    beats = [line for line in process.stderr.splitlines()
             if line.startswith("[train] still training sgd, ")]
    assert len(beats) >= 3, process.stderr
    assert beats[0].endswith(" s so far")
    # They stop with the work: none after the "trained in" line.
    lines = process.stderr.splitlines()
    trained = next(k for k, line in enumerate(lines) if line.startswith("[train] trained in"))
    assert not [line for line in lines[trained:] if "still" in line]
    quiet = cli("train", "--dataset", "sample", "--backend", "sgd", "--train-size", "300",
                "-o", tmp_path / "m.mnistkit", "--quiet")
    assert quiet.stderr == ""


def test_heartbeat_durations():
    assert _work._duration(7.4) == "7 s"
    assert _work._duration(95) == "1 min 35 s"


# -- train ------------------------------------------------------------------------------


def test_train_saves_the_library_svm_made_for_other_writers(cli, tmp_path, sample_test):
    process = cli("train", "--dataset", "sample", "--train-size", "600", "--n-jobs", "1",
                  "-o", tmp_path / "svc.mnistkit")
    assert process.returncode == 0, process.stderr
    model = load_model(tmp_path / "svc.mnistkit")
    # MNISTClassifier() with its seed, the copies made for other writers and the
    # cheap calibration, no saved n_jobs: the same predictions as that model fitted
    # in Python, and probabilities.
    library = MNISTClassifier(random_state=0, augment="writers")
    assert model.get_params() == {**library.get_params(), "probability": "fast"}
    from sklearn.model_selection import train_test_split

    train = load_sample(subset="train")
    X_600, _, y_600, _ = train_test_split(train.data, train.target, train_size=600,
                                          stratify=train.target, random_state=0)
    library.fit(X_600, y_600)
    # Predictions follow the probabilities, which rank the digits by the SVM's
    # one-vs-rest decision values: the same as its one-vs-one votes but for near-ties.
    agreement = np.mean(model.predict(sample_test.data) == library.predict(sample_test.data))
    assert agreement >= 0.995
    assert model.predict_proba(sample_test.data[:5]).shape == (5, 10)
    assert model.score(sample_test.data, sample_test.target) > 0.9
    assert ("Trained svc (augment='writers', probability='fast', random_state=0) in "
            in process.stdout)
    # It names the test images as left out, never as trained on.
    assert "training images of the MNIST sample shipped with mnistkit" in process.stdout
    assert "1,000 test images are left for mnistkit evaluate." in process.stdout
    assert "with up to 1 process (--n-jobs 1: 1 of " in process.stderr


def test_train_leaves_the_copies_out_when_asked(cli, tmp_path):
    process = cli("train", "--dataset", "sample", "--train-size", "300", "--n-jobs", "1",
                  "-m", "augment=none", "-o", tmp_path / "svc.mnistkit")
    assert process.returncode == 0, process.stderr
    assert load_model(tmp_path / "svc.mnistkit").augment is None


def test_train_runs_the_model_on_the_asked_processes(cli, monkeypatch, tmp_path):
    import joblib

    seen = []
    real = MNISTClassifier.fit

    def fit(self, X, y):
        seen.append(joblib.effective_n_jobs(None))
        return real(self, X, y)

    monkeypatch.setattr(MNISTClassifier, "fit", fit)
    monkeypatch.setattr(_work, "usable_cores", lambda: 3)
    for option, expected in (([], 3), (["--n-jobs", "1"], 1), (["--n-jobs", "2"], 2)):
        process = cli("train", "--dataset", "sample", "--backend", "sgd", "--train-size",
                      "300", "-o", tmp_path / "m.mnistkit", "--quiet", *option)
        assert process.returncode == 0, process.stderr
        assert seen[-1] == expected
        assert load_model(tmp_path / "m.mnistkit").get_params()["n_jobs"] is None


def test_train_with_probabilities_on_request(model_path, sample_test):
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


def test_train_model_options(cli, tmp_path):
    process = cli(
        "train", "--dataset", "sample", "--backend", "rf", "--train-size", "500",
        "--model-option", "n_estimators=20", "-m", "features=pixels", "-m", "n_jobs=none",
        "--seed", "3", "-o", tmp_path / "rf.mnistkit",
    )
    assert process.returncode == 0, process.stderr
    assert "[train] training rf on 500 images" in process.stderr
    assert f"Saved the model to {tmp_path / 'rf.mnistkit'}" in process.stdout
    params = load_model(tmp_path / "rf.mnistkit").get_params()
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
        (["-o", "no/such/folder/m.mnistkit"], ["the folder no/such/folder does not exist"]),
    ],
)
def test_train_errors(cli, tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    if "-o" not in args:
        args = [*args, "-o", "m.mnistkit"]
    process = cli("train", "--dataset", "sample", "--train-size", "200", "--n-jobs", "1",
                  *args)
    assert_user_error(process, "train", *fragments)
    assert not (tmp_path / "m.mnistkit").exists()


def test_train_unknown_backend(cli, tmp_path):
    process = cli("train", "--backend", "knn", "-o", tmp_path / "m.mnistkit")
    assert process.returncode == 2
    assert "unknown backend 'knn'" in process.stderr
    assert "svc-accurate" in process.stderr
    assert "Traceback" not in process.stderr


# -- evaluate ---------------------------------------------------------------------------


def test_evaluate_prints_report(cli, model_path, sample_test):
    # No --dataset: the model file says it was trained on the sample.
    process = cli("evaluate", model_path, "--quiet")
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    expected = evaluate(load_model(model_path), sample_test.data, sample_test.target)
    out = process.stdout
    assert "1,000 test images of the MNIST sample" in out
    assert f"Accuracy: {expected.accuracy:.4f}" in out
    assert "macro avg" in out
    assert f"ROC AUC: micro {expected.roc_auc['micro']:.4f}" in out


def _page_sections(page):
    import re

    links = re.findall(r'<li><a href="#([\w-]+)">', page)
    anchors = re.findall(r'<section id="([\w-]+)">', page)
    return links, anchors


def test_evaluate_output_folder_in_a_real_process(mnistkit, model_path, tmp_path,
                                                  sample_test):
    process = mnistkit("evaluate", model_path, "--output", tmp_path / "report")
    assert process.returncode == 0, process.stderr
    assert "index.html" in process.stderr
    folder = tmp_path / "report"
    names = {p.name for p in folder.iterdir()}
    assert {"report.txt", "report.md", "evaluation.json", "index.html"} <= names
    pngs = sorted(name for name in names if name.endswith(".png"))
    assert {"dashboard.png", "confusion_matrix.png", "roc_curves.png",
            "misclassified.png", "least_confident.png", "risk_coverage.png"} <= set(pngs)
    for name in pngs:
        assert (folder / name).read_bytes().startswith(PNG_SIGNATURE)
    assert (folder / "report.txt").read_text(encoding="utf-8") in process.stdout + "\n"

    page = (folder / "index.html").read_text(encoding="utf-8")
    # Each figure once: the dashboard, which repeats the others, is linked, not shown.
    for name in pngs:
        assert page.count(f'<img src="{name}"') == (name != "dashboard.png")
    assert '<a href="dashboard.png">' in page
    assert "<script" not in page
    assert page.count("<tr>") >= 12  # ten digits, two averages, and the header
    # A table of contents whose every entry leads to a section of the page, in order.
    links, anchors = _page_sections(page)
    assert links == anchors
    assert {"summary", "per-digit", "confusion", "curves", "confidence", "mistakes",
            "uncertain", "model", "files"} <= set(links)
    # The whole width: no column of fixed width around the content.
    assert "max-width: 68rem" not in page
    # Only the parameters that differ from MNISTClassifier()'s defaults.
    model_section = page[page.index('<section id="model">'):page.index('<section id="files">')]
    assert "<td>probability</td><td>True</td>" in model_section
    assert "<td>random_state</td><td>0</td>" in model_section
    assert "<td>augment</td><td>&#x27;writers&#x27;</td>" in model_section
    assert model_section.count("<tr>") == 4  # header and those three
    assert "the probability the model gave the predicted digit" in page

    # The JSON: the report's figures, a few kilobytes; no per-image arrays.
    text = (folder / "evaluation.json").read_text(encoding="utf-8")
    document = json.loads(text)
    expected = evaluate(load_model(model_path), sample_test.data, sample_test.target)
    assert f"{document['accuracy']:.2%}" in page
    assert document["accuracy"] == pytest.approx(expected.accuracy)
    assert document["n_misclassified"] == int((expected.y_true != expected.y_pred).sum())
    for bulky in ("misclassified", "roc_curves", "pr_curves", "per_image"):
        assert bulky not in document
    assert document["model"]["changed_parameters"] == {
        "augment": "writers", "probability": True, "random_state": 0}
    assert len(text) < 20_000


def test_evaluate_per_image_json(cli, model_path, tmp_path, sample_test, monkeypatch):
    import mnistkit.plotting

    monkeypatch.setattr(mnistkit.plotting, "save_figures", lambda *args, **kwargs: [])
    process = cli("evaluate", model_path, "--output", tmp_path, "--per-image", "--quiet")
    assert process.returncode == 0, process.stderr
    full = json.loads((tmp_path / "evaluation.json").read_text(encoding="utf-8"))
    expected = evaluate(load_model(model_path), sample_test.data, sample_test.target)
    assert full["per_image"]["y_true"] == sample_test.target.tolist()
    assert full["per_image"]["y_pred"] == expected.y_pred.tolist()
    wrong = np.flatnonzero(expected.y_true != expected.y_pred)
    assert sorted(full["misclassified"]["index"]) == wrong.tolist()
    assert full["n_misclassified"] == len(wrong)
    assert set(full["roc_curves"]) == {*map(str, range(10)), "micro", "macro"}


def test_evaluation_page_without_scores():
    from mnistkit.cli._html import evaluation_page
    from mnistkit.evaluation import EvaluationResult

    result = EvaluationResult.from_predictions([0, 1, 1, 0], [0, 1, 0, 0])
    page = evaluation_page(result, "A test.", ["misclassified.png", "extra.png"],
                           MNISTClassifier(C=5.0))
    # No scores: no number after the titles to explain, and no best scores listed.
    mistakes = page[page.index('<section id="mistakes">'):page.index('<section id="more">')]
    assert "The number after" not in mistakes
    assert "best scores" not in mistakes
    assert '<img src="extra.png"' in page  # a figure the page does not know: still shown
    assert "ROC AUC" not in page
    model = page[page.index('<section id="model">'):page.index('<section id="files">')]
    assert "<td>C</td><td>5.0</td>" in model
    assert model.count("<tr>") == 2


def test_evaluation_page_confidence_section():
    from mnistkit.cli._html import evaluation_page
    from mnistkit.evaluation import EvaluationResult

    scores = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]]
    result = EvaluationResult.from_predictions([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], scores,
                                               score_source="predict_proba")
    page = evaluation_page(result, "A test.", ["risk_coverage.png", "roc_curves.png"])
    section = page[page.index('<section id="confidence">'):page.index('<section id="files">')]
    # Right: 0.9, 0.8, 0.7; wrong: 0.6, 0.6. Every right answer is surer.
    assert f"right against wrong answers: {result.confidence_auroc:.4f}," in section
    assert result.confidence_auroc == 1.0
    for coverage in ("95%", "98%", "99%"):
        # ceil(0.95 * 5) = 5: every answer, two of five wrong.
        assert f"<tr><td>{coverage} most confident</td><td>0.4000</td></tr>" in section
    assert "<tr><td>all (100%)</td><td>0.4000</td></tr>" in section
    assert '<img src="risk_coverage.png"' in section
    links, anchors = _page_sections(page)
    assert links == anchors == ["summary", "per-digit", "curves", "confidence", "files"]
    # The numbers stand without the figure; without scores there is no section.
    assert '<section id="confidence">' in evaluation_page(result, "A test.", [])
    bare = EvaluationResult.from_predictions([0, 1, 1], [0, 1, 0])
    assert '<section id="confidence">' not in evaluation_page(bare, "A test.", [])


def test_evaluate_errors(cli, tmp_path):
    assert_user_error(cli("evaluate", tmp_path / "missing.mnistkit"), "evaluate",
                      "No model file at")
    not_a_model = tmp_path / "notes.txt"
    not_a_model.write_text("hello")
    process = cli("evaluate", not_a_model)
    assert_user_error(process, "evaluate", "is not an mnistkit model file",
                      "MNISTKIT-MODEL")
    assert "b'" not in process.stderr  # no Python bytes value in a user's message


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


def test_predict_recovers_the_digits(cli, model_path, digit_files):
    paths, labels = digit_files
    process = cli("predict", model_path, *paths)
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


def test_predict_without_probabilities(cli, tmp_path, digit_files):
    paths, _ = digit_files
    trained = cli("train", "--dataset", "sample", "--backend", "sgd", "--train-size", "500",
                       "-m", "probability=false", "-o", tmp_path / "sgd.mnistkit", "--quiet")
    assert trained.returncode == 0, trained.stderr
    process = cli("predict", tmp_path / "sgd.mnistkit", paths[0])
    assert process.returncode == 0, process.stderr
    assert process.stdout.split()[-1] == "n/a"
    assert "probability=fast" in process.stderr


def test_predict_errors(cli, model_path, digit_files, tmp_path):
    import matplotlib.pyplot as plt

    good = digit_files[0][0]
    not_an_image = tmp_path / "photo.png"
    not_an_image.write_bytes(b"this is not a picture")
    blank = tmp_path / "blank.png"
    plt.imsave(blank, np.full((40, 40), 0.5), cmap="gray")

    # A batch goes on past a missing file: the good one is read, the missing one reported.
    batch = cli("predict", model_path, good, tmp_path / "missing.png")
    assert batch.returncode == 1
    assert batch.stdout.startswith(str(good))
    assert "no image file at" in batch.stderr
    assert "1 of 2 image files could not be read" in batch.stderr
    assert_user_error(cli("predict", model_path, tmp_path / "missing.png"),
                      "predict", "no image file at", "missing.png")
    assert_user_error(cli("predict", model_path, not_an_image), "predict",
                      "photo.png is not an image file")
    # A blank page is read, and is no digit: an answer on stdout, status 3.
    blank_page = cli("predict", model_path, blank)
    assert blank_page.returncode == 3
    assert blank_page.stdout.split(None, 1)[1].startswith(
        "not a digit: the image is blank")
    # Images only: the default model, which cannot be trained offline; the error says
    # what to do instead.
    assert_user_error(cli("predict", good, good), "predict",
                      "could not be downloaded", "give a model of your own with --model")
    assert_user_error(cli("predict", "--model", good, good), "predict",
                      "is not an mnistkit model file")
    usage = cli("predict", model_path)
    assert usage.returncode == 2
    assert "IMAGE" in usage.stderr
