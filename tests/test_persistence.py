"""Model files hold no pickle: every configuration round-trips, and nothing else loads.

The other persistence tests (truncated files, files of another kind or version,
an interrupted save) are in test_classifier.py.
"""

import copy
import hashlib
import io
import json
import pickle
import sys
import types
import zlib
from pathlib import Path

import joblib
import numpy as np
import pytest
import skops.io

from mnistkit import MNISTClassifier, load_model, load_sample
from mnistkit.classifier import _persistence, read_model_header
from mnistkit.classifier._augment import Distortions, Mix
from mnistkit.classifier._model_types import TRUSTED_TYPES

N_TRAIN = 400

# Every part a fitted MNISTClassifier can be made of: each backend and
# multiclass scheme, both modes, both kinds of probabilities, each feature kind
# and scaler, and each form of augment. (mode="accurate" without probabilities
# holds a subset of the types of "accurate-fast"; test_classifier.py saves it.)
CONFIGS = {
    "svc": {},
    "svc-ovr": {"multiclass": "ovr"},
    "svc-proba": {"probability": True},
    "svc-fast": {"probability": "fast"},
    "sgd": {"backend": "sgd"},
    "sgd-ovo": {"backend": "sgd", "multiclass": "ovo"},
    "sgd-fast": {"backend": "sgd", "probability": "fast"},
    "rf": {"backend": "rf", "n_estimators": 10},
    "rf-ovo-proba": {"backend": "rf", "n_estimators": 2, "multiclass": "ovo",
                     "probability": True},
    "rf-fast": {"backend": "rf", "n_estimators": 10, "probability": "fast"},
    "logistic": {"backend": "logistic", "probability": True},
    "accurate-fast": {"mode": "accurate", "probability": "fast"},
    "pixels-standard": {"features": "pixels", "scaler": "standard"},
    "deskew-none": {"features": "deskew", "scaler": "none", "n_components": None},
    "augment-light": {"backend": "sgd", "augment": "light"},
    "augment-writers": {"backend": "sgd", "augment": "writers"},
    "augment-distortions": {
        "backend": "sgd", "augment": {"kind": Distortions(rotation=5.0), "n_copies": 1}},
    "augment-mix": {"backend": "sgd", "augment": {"kind": Mix(((Distortions(blur=1.0), 1.0),))}},
}
# The network needs the torch extra; without it, its type is the one not held.
CNN = "mnistkit.classifier._cnn.CNNClassifier"
try:
    import skorch  # noqa: F401
except ImportError:
    pass
else:
    CONFIGS["cnn"] = {"backend": "cnn", "epochs": 1}


@pytest.fixture(scope="module")
def digits():
    X, y = load_sample(return_X_y=True)
    X_test, _ = load_sample(subset="test", return_X_y=True)
    return X[:N_TRAIN], y[:N_TRAIN], X_test[:100]


@pytest.fixture(scope="module")
def saved(digits, tmp_path_factory):
    """Each configuration fitted on the sample and saved: name -> (model, path)."""
    X, y, _ = digits
    folder = tmp_path_factory.mktemp("models")
    out = {}
    for name, params in CONFIGS.items():
        model = MNISTClassifier(random_state=0, **params).fit(X, y)
        out[name] = model, model.save(folder / f"{name}.mnistkit")
    return out


def payload(path):
    """What follows the header of a model file."""
    return Path(path).read_bytes().split(b"\n", 2)[2]


def write_model_file(path, payload, **fields):
    """A model file with this payload and a header that matches it."""
    header = {"format": 2, "mnistkit": _persistence.__version__,
              "sklearn": _persistence.sklearn.__version__,
              "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload), **fields}
    path.write_bytes(b"MNISTKIT-MODEL\n" + json.dumps(header).encode() + b"\n" + payload)
    return path


def write_pickle_file(path, obj):
    """A model file as mnistkit 0.1 wrote it (format 1): a joblib pickle, compress=3."""
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=3)
    return write_model_file(path, buffer.getvalue(), format=1)


# Every configuration, and nothing else -------------------------------------------------


@pytest.mark.parametrize("name", CONFIGS)
def test_every_configuration_round_trips_with_trusted_types_only(saved, digits, name):
    model, path = saved[name]
    untrusted = skops.io.get_untrusted_types(data=payload(path))
    assert set(untrusted) <= set(TRUSTED_TYPES), sorted(set(untrusted) - set(TRUSTED_TYPES))
    assert not payload(path).startswith(b"\x80"), "a pickle"
    header = read_model_header(path)
    assert (header["format"], header["skops"]) == (2, skops.__version__)
    loaded = load_model(path)
    assert type(loaded) is MNISTClassifier
    assert loaded.get_params() == model.get_params()
    X_test = digits[2]
    np.testing.assert_array_equal(loaded.predict(X_test), model.predict(X_test))
    np.testing.assert_allclose(loaded.decision_function(X_test),
                               model.decision_function(X_test), rtol=1e-4, atol=1e-4)
    if model.probability:
        np.testing.assert_allclose(loaded.predict_proba(X_test), model.predict_proba(X_test),
                                   rtol=1e-4, atol=1e-6)


def test_every_trusted_type_is_needed(saved):
    # The list is minimal: each type in it is held by some configuration.
    held = set()
    for _, path in saved.values():
        held.update(skops.io.get_untrusted_types(data=payload(path)))
    assert held == set(TRUSTED_TYPES) - ({CNN} if "cnn" not in CONFIGS else set())


# Files that would run code -------------------------------------------------------------


class WritesAMarker:
    """Writes a file when it is rebuilt: what a model file must never be able to do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __setstate__(self, state):
        Path(state["marker"]).write_text("code from the file ran")
        self.__dict__.update(state)


@pytest.fixture
def sgd(digits):
    X, y, _ = digits
    return MNISTClassifier(backend="sgd", random_state=0).fit(X[:300], y[:300])


def test_a_model_holding_other_types_is_refused_before_they_run(sgd, tmp_path, monkeypatch):
    # The class must be importable by its name, as an attacker's would be.
    module = types.ModuleType(__name__)
    module.WritesAMarker = WritesAMarker
    monkeypatch.setitem(sys.modules, __name__, sys.modules.get(__name__, module))
    marker = tmp_path / "marker"
    tampered = copy.deepcopy(sgd)
    tampered.confidence_model_ = WritesAMarker(marker)
    path = tampered.save(tmp_path / "tampered.mnistkit")
    with pytest.raises(ValueError, match=r"holds types an MNISTClassifier is not made of: "
                                         r"\[.*WritesAMarker'\]\. Loading them could run"):
        load_model(path)
    assert not marker.exists()
    # The file is no decoy: trusting it runs its code.
    with pytest.warns(UserWarning, match="can run code of their own"):
        load_model(path, trusted=True)
    assert marker.read_text() == "code from the file ran"


def test_a_function_in_the_file_is_refused(sgd, tmp_path):
    tampered = copy.deepcopy(sgd)
    tampered.backend_params = {"callback": print}
    with pytest.raises(ValueError, match=r"not made of: \['builtins.print'\]"):
        load_model(tampered.save(tmp_path / "function.mnistkit"))


def test_a_pickle_is_never_unpickled_without_trusted(sgd, tmp_path):
    marker = tmp_path / "marker"

    class Exploit:
        def __reduce__(self):
            return exec, (f"with open({str(marker)!r}, 'w') as f: f.write('ran')",)

    code = pickle.dumps(Exploit())
    # As a file of mnistkit 0.1, and as one that claims the safe format.
    old = write_model_file(tmp_path / "old.mnistkit", zlib.compress(code), format=1)
    with pytest.raises(ValueError, match=r"model file of mnistkit 0\.1 \(format 1\): a pickle"):
        load_model(old)
    dressed = write_model_file(tmp_path / "dressed.mnistkit", code)
    with pytest.raises(ValueError, match="holds a model that cannot be read"):
        load_model(dressed)
    assert not marker.exists()
    pickle.loads(code)  # the payload is no decoy
    assert marker.exists()


def test_a_model_of_mnistkit_0_1_loads_only_when_trusted(sgd, digits, tmp_path):
    path = write_pickle_file(tmp_path / "old.mnistkit", sgd)
    with pytest.raises(ValueError, match=r"\(format 1\): a pickle") as refused:
        load_model(path)
    message = str(refused.value)
    assert "which runs whatever code it holds when loaded" in message
    assert "load_model(path, trusted=True)" in message
    assert "model.save(path, training=" in message
    with pytest.warns(UserWarning, match="loading it runs whatever code it holds"):
        model = load_model(path, trusted=True)
    X_test = digits[2]
    np.testing.assert_array_equal(model.predict(X_test), sgd.predict(X_test))
    # Saved again, it is a file of format 2 that loads without trusted=True.
    model.save(path)
    assert read_model_header(path)["format"] == 2
    np.testing.assert_array_equal(load_model(path).predict(X_test), sgd.predict(X_test))


def test_trusted_must_be_a_bool(sgd, tmp_path):
    path = sgd.save(tmp_path / "m.mnistkit")
    with pytest.raises(TypeError, match=r"trusted must be True or False; got \['x'\]"):
        load_model(path, trusted=["x"])


# Trusted types with values that are not ------------------------------------------------


def _tamper_first_tree(model, change):
    forest = model.pipeline_[-1]
    tree = forest.estimators_[0].tree_
    state = tree.__getstate__()
    nodes = state["nodes"].copy()
    change(nodes)
    tree.__setstate__({**state, "nodes": nodes})


def _child_outside(nodes):
    nodes["left_child"][0] = len(nodes) + 100


def _child_above(nodes):
    split = np.flatnonzero(nodes["left_child"] != -1)[-1]
    nodes["right_child"][split] = 0


def _feature_outside(nodes):
    nodes["feature"][0] = 10**6


def _leaf_with_a_child(nodes):
    leaf = np.flatnonzero(nodes["left_child"] == -1)[0]
    nodes["right_child"][leaf] = leaf + 1


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (_child_outside, "whose nodes point outside the tree or back up it"),
        (_child_above, "whose nodes point outside the tree or back up it"),
        (_feature_outside, "that splits on features outside its"),
        (_leaf_with_a_child, "with a leaf that has one child"),
    ],
)
def test_a_tree_that_points_outside_itself_is_refused(saved, tmp_path, change, why):
    model = copy.deepcopy(saved["rf"][0])
    _tamper_first_tree(model, change)
    path = model.save(tmp_path / "tree.mnistkit")
    with pytest.raises(ValueError, match=f"was refused: it holds a decision tree {why}"):
        load_model(path)


def test_a_tree_outside_a_forest_is_refused(saved, tmp_path):
    model = copy.deepcopy(saved["rf"][0])
    model.spare_ = model.pipeline_[-1].estimators_[0]
    model.pipeline_[-1].estimators_ = model.pipeline_[-1].estimators_[1:]
    with pytest.raises(ValueError, match="a decision tree outside a random forest"):
        load_model(model.save(tmp_path / "stray.mnistkit"))


# The header ----------------------------------------------------------------------------


def test_a_header_that_claims_another_checksum_is_refused(sgd, tmp_path):
    path = Path(sgd.save(tmp_path / "m.mnistkit"))
    magic, header, rest = path.read_bytes().split(b"\n", 2)
    fields = json.loads(header)
    fields["sha256"] = hashlib.sha256(b"something else").hexdigest()
    path.write_bytes(b"\n".join([magic, json.dumps(fields).encode(), rest]))
    with pytest.raises(ValueError, match="is truncated or damaged"):
        load_model(path)


def test_a_format_of_another_mnistkit_is_refused(sgd, tmp_path):
    path = write_model_file(tmp_path / "future.mnistkit", payload(sgd.save(tmp_path / "m")),
                            format=3, mnistkit="9.0.0")
    with pytest.raises(ValueError, match=r"of format 3, made with mnistkit 9\.0\.0; .* reads "
                                         r"formats 1 and 2"):
        read_model_header(path)


def test_a_file_of_something_else_than_a_model_is_refused(tmp_path):
    from sklearn.svm import SVC

    path = write_model_file(tmp_path / "svc.mnistkit", skops.io.dumps(SVC()))
    with pytest.raises(ValueError, match="holds a SVC, not an MNISTClassifier"):
        load_model(path)


class OwnClassifier(MNISTClassifier):
    """A subclass of the user's: its file loads only when trusted."""


def test_a_subclass_loads_when_trusted(digits, tmp_path, monkeypatch):
    module = types.ModuleType(__name__)
    module.OwnClassifier = OwnClassifier
    monkeypatch.setitem(sys.modules, __name__, sys.modules.get(__name__, module))
    X, y, X_test = digits
    own = OwnClassifier(backend="sgd", random_state=0).fit(X, y)
    path = own.save(tmp_path / "own.mnistkit")
    with pytest.raises(ValueError, match=r"not made of: \[.*OwnClassifier'\]"):
        load_model(path)
    with pytest.warns(UserWarning, match="were loaded because trusted=True"):
        loaded = load_model(path, trusted=True)
    assert type(loaded).__name__ == "OwnClassifier"
    np.testing.assert_array_equal(loaded.predict(X_test), own.predict(X_test))


def test_the_class_loads_what_it_saved(saved, digits):
    # A reader of save() looks for MNISTClassifier.load: load_model under that name.
    model, path = saved[next(iter(CONFIGS))]
    loaded = MNISTClassifier.load(path)
    assert type(loaded) is MNISTClassifier
    np.testing.assert_array_equal(loaded.predict(digits[2]), model.predict(digits[2]))

