"""The default model: trained once, cached beside the data, retrained when stale or damaged."""

import json
import threading
import time

import numpy as np
import pytest
from PIL import Image

import mnistkit
from mnistkit import MNISTClassifier, load_default_model, load_sample
from mnistkit.classifier import _default, model_file_options, read_model_header
from mnistkit.classifier._persistence import MAGIC
from mnistkit.cli import main


@pytest.fixture
def fits(monkeypatch, tmp_path):
    """A data folder of its own, the sample as MNIST, a quick model; the fits made."""
    monkeypatch.setenv("MNISTKIT_DATA_DIR", str(tmp_path / "data"))
    X, y = load_sample(return_X_y=True)
    monkeypatch.setattr(_default, "_training_data", lambda *args: (X[:1000], y[:1000]))
    monkeypatch.setattr(
        _default,
        "_new_model",
        lambda: MNISTClassifier(backend="sgd", probability="fast", random_state=0),
    )
    made = []
    real = _default._fit

    def counted(model, X, y, n_jobs):
        made.append(len(y))
        return real(model, X, y, n_jobs)

    monkeypatch.setattr(_default, "_fit", counted)
    return made


def _path(tmp_path):
    return tmp_path / "data" / _default.FILE_NAME


def _edit_header(path, change):
    """Change the header of a model file in place; its payload (and checksum) stay."""
    raw = path.read_bytes()
    line_end = raw.index(b"\n", len(MAGIC))
    header = json.loads(raw[len(MAGIC) : line_end])
    change(header)
    path.write_bytes(MAGIC + json.dumps(header).encode() + raw[line_end:])


def test_trained_once_then_loaded_from_the_cache(fits, tmp_path, capsys):
    model = load_default_model()
    err = capsys.readouterr().err
    assert fits == [1000]
    path = _path(tmp_path)
    assert f"Training the default model once (about 30 s); cached at {path}" in err
    assert path.is_file()
    training = read_model_header(path)["training"]
    assert training["versions"]["mnistkit"] == mnistkit.__version__
    assert training["versions"]["scikit-learn"] == __import__("sklearn").__version__
    assert training["versions"]["numpy"] == np.__version__
    assert training["n_train"] == 1000
    assert training["default_model"] is True

    again = load_default_model()
    assert fits == [1000]  # not trained again
    assert capsys.readouterr().err == ""
    X, _ = load_sample(subset="test", return_X_y=True)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_retrained_when_a_version_no_longer_matches(fits, tmp_path, capsys):
    load_default_model()
    path = _path(tmp_path)
    _edit_header(path, lambda h: h["training"]["versions"].update({"scikit-learn": "0.9.1"}))
    capsys.readouterr()
    load_default_model()
    assert len(fits) == 2
    err = capsys.readouterr().err
    assert f"The default model cached at {path} was trained with scikit-learn 0.9.1 (" in err
    assert "installed): training it again" in err
    # The new file records the installed versions: no third training.
    assert read_model_header(path)["training"]["versions"] == _default._versions()
    load_default_model()
    assert len(fits) == 2


def test_retrained_when_the_settings_changed(fits, tmp_path, capsys, monkeypatch):
    load_default_model()
    monkeypatch.setattr(
        _default,
        "_new_model",
        lambda: MNISTClassifier(backend="sgd", probability="fast", random_state=1),
    )
    capsys.readouterr()
    model = load_default_model()
    assert len(fits) == 2
    assert model.random_state == 1
    assert "other settings than this mnistkit's (random_state)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"\x00garbage" * 100), id="garbage"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:-100]), id="truncated"),
        pytest.param(lambda path: path.write_bytes(b""), id="empty"),
        pytest.param(
            lambda path: _edit_header(path, lambda h: h["training"].update(versions="1.0")),
            id="versions-not-a-record",
        ),
    ],
)
def test_a_damaged_file_is_trained_again_not_a_crash(fits, tmp_path, capsys, damage):
    load_default_model()
    path = _path(tmp_path)
    damage(path)
    capsys.readouterr()
    model = load_default_model()
    assert len(fits) == 2
    assert "training it again" in capsys.readouterr().err
    assert model.predict(load_sample(return_X_y=True)[0][:5]).shape == (5,)
    assert read_model_header(path)["training"]["default_model"] is True


def test_retrain_trains_again(fits, tmp_path, capsys):
    load_default_model(verbose=False)
    load_default_model(retrain=True)
    assert len(fits) == 2
    assert "Training the default model again, as asked" in capsys.readouterr().err
    with pytest.raises(TypeError, match="retrain must be True or False"):
        load_default_model(retrain="yes")


def test_two_callers_at_once_train_it_once(fits, tmp_path, monkeypatch, capsys):
    counted = _default._fit

    def slow(*args):
        time.sleep(0.5)  # the second caller arrives while the first trains
        return counted(*args)

    monkeypatch.setattr(_default, "_fit", slow)
    models = [None, None]

    def call(k):
        models[k] = load_default_model()

    threads = [threading.Thread(target=call, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert len(fits) == 1
    assert all(model is not None for model in models)
    assert "waiting for it" in capsys.readouterr().err
    # No temporary file is left beside the model.
    names = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert names == [_default.LOCK_NAME, _default.FILE_NAME]


def test_a_cache_that_cannot_be_written_still_gives_the_model(fits, monkeypatch, capsys):
    def refuse(self, path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(MNISTClassifier, "save", refuse)
    model = load_default_model()
    assert hasattr(model, "classes_")
    assert "could not be cached" in capsys.readouterr().err
    load_default_model(verbose=False)
    assert len(fits) == 2


def test_the_default_is_what_mnistkit_train_writes():
    model = _default._new_model()
    assert (
        model.get_params()
        == MNISTClassifier(probability="fast", augment="writers", random_state=0).get_params()
    )
    assert model_file_options("rf") == {}
    assert model_file_options("sgd") == {"probability": "fast"}
    # The accurate model file reads other writers too.
    assert model_file_options("svc-accurate") == {"probability": "fast", "augment": "writers"}
    assert model_file_options("svc-ovr") == {"probability": "fast"}
    # So does the network's, from broad-marker copies; it has probabilities of its own.
    assert model_file_options("cnn") == {"augment": {"kind": "broad-marker", "low_res": 0.3}}


# -- the command line ----------------------------------------------------------------


@pytest.fixture
def digit_file(tmp_path):
    """A test digit of the sample, dark on light, as a file; and its label."""
    sample = load_sample(subset="test")
    path = tmp_path / "digit.png"
    Image.fromarray(255 - np.kron(np.pad(sample.images[0], 6), np.ones((7, 7), np.uint8))).save(
        path
    )
    return path, int(sample.target[0])


def test_predict_without_a_model_uses_the_default_one(fits, tmp_path, digit_file, capsys):
    path, label = digit_file
    assert main(["predict", str(path)]) == 0
    out, err = capsys.readouterr()
    assert fits == [1000]
    model_file = _path(tmp_path)
    assert f"Training the default model once (about 30 s); cached at {model_file}" in err
    assert (
        f"[predict] the default model (svc, trained on 1,000 images of MNIST), from {model_file}"
    ) in err
    assert out.split()[:2] == [str(path), str(label)]
    # The second time, it is read from the cache.
    assert main(["predict", str(path), "--data-home", str(tmp_path / "data")]) == 0
    assert fits == [1000]
    assert "Training" not in capsys.readouterr().err


def test_predict_takes_a_model_first_or_with_model(fits, tmp_path, digit_file, capsys):
    path, label = digit_file
    X, y = load_sample(return_X_y=True)
    model = MNISTClassifier(backend="sgd", random_state=0).fit(X, y)
    # A model file without the usual suffix: told by its header.
    model_file = model.save(tmp_path / "mine.model")
    for args in ([model_file, path], ["--model", model_file, path]):
        assert main(["predict", *map(str, args)]) == 0
        out, _ = capsys.readouterr()
        assert out.split()[:2] == [str(path), str(label)]
    assert fits == []  # the default model was never trained
    with pytest.raises(SystemExit) as usage:  # a usage error, as argparse gives them
        main(["predict", str(model_file)])
    assert usage.value.code == 2
    assert (
        f"error: {model_file} is a model file: give the images to read after it "
        f"(mnistkit predict --model {model_file} IMAGE ...)"
    ) in capsys.readouterr().err
    # Given after the images, or beside --model, a model file is named as such.
    for args in ([path, model.save(tmp_path / "mine.mnistkit")],
                 ["--model", model_file, path, tmp_path / "mine.mnistkit"]):
        with pytest.raises(SystemExit) as usage:
            main(["predict", *map(str, args)])
        assert usage.value.code == 2
        assert (f"error: {tmp_path / 'mine.mnistkit'} names a model file (.mnistkit), not an "
                f"image: give it before the images, or as --model {tmp_path / 'mine.mnistkit'}"
                ) in capsys.readouterr().err


def test_predict_offline_without_a_model_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MNISTKIT_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("MNISTKIT_MIRROR", "http://127.0.0.1:9/")  # refuses connections
    image = tmp_path / "digit.png"
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(image)
    assert main(["predict", "-q", str(image)]) == 1
    err = capsys.readouterr().err
    assert "mnistkit train --dataset sample -o sample.mnistkit" in err
    assert not (tmp_path / "empty" / _default.FILE_NAME).exists()
