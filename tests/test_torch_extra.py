"""backend="cnn" without its optional extra: mnistkit works, and says what to install.

These run in the main suite, which has no torch; the network itself is tested in
test_cnn.py, which needs the extra. A fresh interpreter in which ``import torch``
fails stands for a machine without it, whatever this one has.
"""

import subprocess
import sys

import pytest

from mnistkit import MNISTClassifier, load_sample
from mnistkit.classifier import CLASSIC, PRESETS, _backends


def _python(code):
    """Run ``code`` in a fresh interpreter; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


# As when neither is installed: importing them raises ModuleNotFoundError, and they
# stay out of sys.modules (where None would break SciPy's look for torch arrays).
WITHOUT_TORCH = """
import importlib.abc, sys

class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in ("torch", "skorch"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""


def test_import_mnistkit_never_imports_torch():
    out = _python(
        "import sys\n"
        "import mnistkit, mnistkit.classifier, mnistkit.cli\n"
        "from mnistkit import MNISTClassifier\n"
        "MNISTClassifier(backend='cnn', epochs=3).get_params()\n"
        "print(sorted(name for name in ('torch', 'skorch') if name in sys.modules))\n"
    )
    assert out == "[]"


def test_fitting_without_torch_names_the_extra_before_any_work():
    # The images are of one class, which fit would refuse once it looked at them.
    out = _python(
        WITHOUT_TORCH + "from mnistkit import MNISTClassifier, load_sample\n"
        "X, y = load_sample(return_X_y=True)\n"
        "try:\n"
        "    MNISTClassifier(backend='cnn').fit(X[y == 3], y[y == 3])\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert out.startswith("ImportError backend='cnn' needs PyTorch and skorch")
    assert out.endswith("(torch>=2, skorch>=1.4).")
    assert 'pip install "mnistkit[torch]"' in out


def test_other_backends_fit_without_torch():
    out = _python(
        WITHOUT_TORCH + "from mnistkit import MNISTClassifier, load_sample\n"
        "X, y = load_sample(return_X_y=True)\n"
        "clf = MNISTClassifier(backend='sgd', random_state=0).fit(X[:300], y[:300])\n"
        "print(clf.score(X[300:600], y[300:600]) > 0.8, 'torch' in sys.modules)\n"
    )
    assert out == "True False"


def test_the_preset_is_offered_but_not_one_of_the_classic_four():
    assert PRESETS["cnn"] == {"backend": "cnn"}
    assert "cnn" not in CLASSIC


def test_auto_settings_give_the_network_pixels_in_0_1_without_pca():
    assert _backends.resolve(MNISTClassifier(backend="cnn"), 300, 784) == ("pixels", "pixel", None)
    # An explicit choice is honoured, as for every backend.
    assert _backends.resolve(MNISTClassifier(backend="cnn", features="deskew"))[0] == "deskew"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"epochs": 0},
            r"The 'epochs' parameter of MNISTClassifier must be an int in the "
            r"range \[1, inf\) or None. Got 0 instead.",
        ),
        ({"epochs": 2.5}, "'epochs' parameter"),
        (
            {"backend_params": {"lr": -1.0}},
            r"The 'lr' key of backend_params of MNISTClassifier "
            r"must be a float in the range \(0.0, inf\). Got "
            r"-1.0 instead.",
        ),
        ({"backend_params": {"channels": ()}}, r"'channels' key .* a non-empty tuple of ints"),
        ({"backend_params": {"channels": (32, 0)}}, "'channels' key"),
        ({"backend_params": {"convolutions": 0}}, r"'convolutions' key .* \[1, inf\)"),
        ({"backend_params": {"kernel": 4}}, r"'kernel' key .* an odd int"),
        ({"backend_params": {"dropout": 1.0}}, r"'dropout' key .* \[0.0, 1.0\)"),
        ({"backend_params": {"rotation": 200}}, "'rotation' key"),
        ({"backend_params": {"device": 0}}, r"'device' key .* a str such as 'auto'"),
        ({"backend_params": {"verbose": -1}}, "'verbose' key"),
        (
            {"backend_params": {"max_iter": 5}},
            r"has the key 'max_iter', which backend='cnn' "
            r"does not take; it takes epochs, batch_size",
        ),
        (
            {"multiclass": "ovr"},
            "one network with a softmax over all the classes; multiclass must be None, got 'ovr'",
        ),
        (
            {"scaler": "standard"},
            r"backend='cnn' shifts images, so it needs scaler='pixel' "
            r"or 'none'",
        ),
    ],
)
def test_parameters_are_checked_before_torch_is_needed(params, message):
    # Checked before torch is imported: these run, and fail right, without it.
    X, y = load_sample(return_X_y=True)
    with pytest.raises(ValueError, match=message):
        MNISTClassifier(backend="cnn", **params).fit(X[:50], y[:50])


def test_epochs_is_ignored_with_a_warning_by_the_other_backends():
    X, y = load_sample(return_X_y=True)
    with pytest.warns(UserWarning, match=r"backend='sgd' ignores epochs=5 \(used by 'cnn' only\)"):
        MNISTClassifier(backend="sgd", epochs=5).fit(X[:100], y[:100])
