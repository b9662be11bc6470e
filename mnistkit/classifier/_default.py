"""The default model: trained on MNIST once, cached beside the data, retrained when stale.

The model is the one ``mnistkit train`` writes: the default SVM with the
settings a model file gets (:func:`model_file_options`). It is saved with the
library's model files (:meth:`MNISTClassifier.save`), its header recording how
it was trained, the versions of the packages that made it and its settings; a
file made by other versions or settings, or damaged, is trained again. Saving
writes a temporary file and renames it, so a reader never sees half a file;
a lock beside it makes a second process wait for the first one's training
rather than train too.
"""

import contextlib
import copy
import os
import sys
import time

from ..datasets import fetch_mnist, get_data_home
from ._estimator import MNISTClassifier, _native_proba
from ._persistence import load_model, read_model_header
from ._presets import PRESETS

try:
    import fcntl
except ImportError:  # Windows: no lock; two processes may then both train
    fcntl = None

#: The default model's file, in the data folder (:func:`mnistkit.get_data_home`).
FILE_NAME = "default-model.mnistkit"
LOCK_NAME = ".default-model.lock"
#: The named setting the default model is, and its seed.
NAME, SEED = "svc", 0
#: Seconds its training took on MNIST on a 2-core machine (2026-12-04), said
#: before training when no earlier file records its own time.
FIT_SECONDS = 30


def model_file_options(name):
    """The options a model file adds to the named setting ``name`` (a key of PRESETS).

    ``mnistkit train`` and the default model use them: a cheap calibration that
    gives a reading its confidence and says "not a digit" or "unsure"
    (``probability="fast"``, about a sixth more fit time; forests, logistic
    regression and the network have probabilities of their own), and copies
    of the digits that teach it other people's handwriting: for the default
    SVM and its accurate mode, copies of 30% of the digits drawn with a felt
    marker or distorted as other hands and cameras would (``"writers"``; for
    the default, 1.7x the fit time and 2 of MNIST's 10,000 test digits, 99.48%
    against 99.50%, so ``MNISTClassifier()`` itself leaves it out); for the
    network, a copy of every digit drawn with a broad marker, three in ten
    of them also reduced to 8 to 14 pixels a side and enlarged again
    (``{"kind": "broad-marker", "low_res": 0.3}``).
    """
    options = {}
    if not _native_proba(MNISTClassifier(**PRESETS[name])):
        options["probability"] = "fast"
    if name in _READS_WRITERS:
        options["augment"] = copy.deepcopy(_READS_WRITERS[name])  # the caller's to change
    return options


# The settings whose model files learn from copies, and which. Without the "writers" copies,
# accurate mode read thick marker digits at 86.6% (96.3% for the default's file)
# and load_digits' odd half, cropped tight, at 95.9%; with them at 97.3% and
# 97.6%, for 3.3 times its fit time (bench_other_writers.py, 2026-12-05; chosen
# on validation digits and load_digits' even half). The network without them read
# validation digits drawn with a thick marker at 81.0%, a thin pen at 98.2% and
# a tablet's polylines at 97.8%; with them at 95.0%, 99.4% and 98.6%, for 1.36
# times its fit, the same on MNIST's own (bench_other_writers.py --digits
# validation, 2026-12-06, both trained on the first 50,000 training images).
# The network learns from a broad-marker copy of every digit instead: it read
# 1,000 validation digits redrawn with a thick marker at 98.1% against 96.9% with
# the writers' copies, plain, thin-pen, one-pixel, tablet and canvas ones at 99.7,
# 98.9, 99.4, 97.8 and 98.0% against 99.5, 98.6, 99.0, 97.9 and 97.8%, and
# load_digits' even half cut tight at 95.8% against 95.6%, for about 1.4 times
# the fit (explore_thick_marker.py --styles and bench_other_writers.py --digits
# validation, 2026-12-07; both trained on the first 50,000 training images).
# Without the writers' low-resolution round trips it read digits reduced to 8 x 8
# pixels worse; with them on 30% of its copies, 93.6% against 89.4% of the
# validation digits so reduced (bench_real_world.py --digits validation --n 500
# --seed 1), and the marker, thin-pen, one-pixel, tablet and canvas digits above
# at 98.3, 99.2, 99.1, 98.4 and 98.2%, load_digits' even half at 96.8%.
_READS_WRITERS = {"svc": "writers", "svc-accurate": "writers",
                  "cnn": {"kind": "broad-marker", "low_res": 0.3}}


def default_model_path(data_home=None):
    """Where :func:`load_default_model` keeps the model: a file in the data folder."""
    return os.path.join(get_data_home(data_home), FILE_NAME)


def _new_model():
    """The default model, unfitted."""
    from ._estimator import MNISTClassifier

    return MNISTClassifier(**PRESETS[NAME], **model_file_options(NAME), random_state=SEED)


def _settings(model):
    """The model's parameters, as comparable text."""
    return {key: repr(value) for key, value in sorted(model.get_params().items())}


def _versions():
    """The versions of the packages a trained model depends on, by name."""
    import numpy
    import scipy
    import sklearn
    import skops

    from .._version import __version__

    return {
        "mnistkit": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def _training_data(data_home, mirror, verbose):
    """MNIST's training images and labels."""
    return fetch_mnist(
        subset="train",
        data_home=data_home,
        mirror=mirror,
        return_X_y=True,
        progress=None if verbose else False,
    )


def _fit(model, X, y, n_jobs):
    """Fit ``model``, its parallel parts on ``n_jobs`` processes (joblib's default if None)."""
    import joblib

    with joblib.parallel_config(n_jobs=n_jobs):
        return model.fit(X, y)


def _say(verbose, line):
    if verbose:
        print(line, file=sys.stderr, flush=True)


def _differences(recorded, installed):
    """The versions that differ, as "scikit-learn 1.7.2 (1.8.0 installed), ..."."""
    return ", ".join(
        f"{name} {recorded.get(name, 'unknown')} ({version} installed)"
        for name, version in installed.items()
        if recorded.get(name) != version
    )


def _record(training, key):
    """A dict the header holds under ``key``; {} if it holds none."""
    value = training.get(key)
    return value if isinstance(value, dict) else {}


def _cached(path):
    """The model in ``path`` if it is current; else None, and why not (None: no file)."""
    try:
        training = read_model_header(path).get("training")
    except FileNotFoundError:
        return None, None
    except ValueError as error:
        return None, f"cannot be read ({error})"
    if not isinstance(training, dict) or training.get("default_model") is not True:
        return None, "is not a default model mnistkit made"
    changed = _differences(_record(training, "versions"), _versions())
    if changed:
        return None, f"was trained with {changed}"
    recorded, current = _record(training, "settings"), _settings(_new_model())
    if recorded != current:
        changed = sorted(k for k in {*recorded, *current} if recorded.get(k) != current.get(k))
        return None, f"was trained with other settings than this mnistkit's ({', '.join(changed)})"
    try:
        return load_model(path), None
    except FileNotFoundError:  # removed meanwhile
        return None, None
    except ValueError as error:
        return None, f"cannot be loaded ({error})"


@contextlib.contextmanager
def _lock(folder, on_wait):
    """Hold a lock on the default model's file among processes; ``on_wait()`` if it is held."""
    fd = None
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fd = os.open(os.path.join(folder, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass  # no locks on this file system
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _estimate(path):
    """Seconds the last training took, as its file records it; else FIT_SECONDS."""
    with contextlib.suppress(ValueError, OSError, TypeError):
        seconds = float(read_model_header(path)["training"]["fit_seconds"])
        if 0 < seconds < 24 * 3600:
            return seconds
    return FIT_SECONDS


def load_default_model(*, data_home=None, mirror=None, retrain=False, n_jobs=None, verbose=True):
    """Return mnistkit's default model, trained on MNIST the first time and then cached.

    The model is the one ``mnistkit train`` writes: the default SVM,
    ``MNISTClassifier(probability="fast", augment="writers", random_state=0)``,
    which reads other people's handwriting and says when a picture is not a
    digit or its reading is unsure (:meth:`MNISTClassifier.assess`). The first
    call downloads MNIST if needed and trains it on the 60,000 training images
    (about 30 s on two cores); it then saves it as ``default-model.mnistkit`` in
    the data folder (:func:`get_data_home`), and later calls load it from
    there in a fraction of a second. ``mnistkit predict`` and ``mnistkit demo``
    use it when given no model file.

    The file records how the model was trained, the versions of mnistkit,
    scikit-learn, NumPy, SciPy and skops that made it, and its settings. When
    one of them no longer matches what is installed, or the file is damaged,
    the model is trained again, with a line on standard error that says why.
    Several processes may ask at once: one trains, the others wait for it.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        The data folder: where MNIST is cached and the model is kept. By
        default the ``MNISTKIT_DATA_DIR`` environment variable, else the
        per-user cache (see :func:`get_data_home`).
    mirror : str or list of str, default=None
        Where to download MNIST from, if it must be; as for
        :func:`fetch_mnist`.
    retrain : bool, default=False
        Train the model again even if a current one is cached.
    n_jobs : int, default=None
        Processes for the parts of a training that run in parallel (the
        probability folds); None for joblib's default (one, unless a
        ``joblib.parallel_config`` around the call says otherwise). Not saved
        in the model.
    verbose : bool, default=True
        Say on standard error when the model is trained, and why, and show
        MNIST's download progress.

    Returns
    -------
    model : MNISTClassifier
        The fitted default model.

    Raises
    ------
    mnistkit.DownloadError
        If the model must be trained and MNIST cannot be downloaded.

    See Also
    --------
    load_model : Load a model file of your own.
    MNISTClassifier.assess : Each image's digit, confidence and verdict.

    Examples
    --------
    >>> from mnistkit import load_default_model, read_digit_image
    >>> model = load_default_model()  # doctest: +SKIP
    Training the default model once (about 30 s); cached at ~/.cache/mnistkit/default-model.mnistkit
    >>> pixels = read_digit_image("digit.png").reshape(1, -1)  # doctest: +SKIP
    >>> model.assess(pixels).verdict  # doctest: +SKIP
    array(['digit'], dtype='<U11')
    """
    if not isinstance(retrain, bool):
        msg = f"retrain must be True or False; got {retrain!r}."
        raise TypeError(msg)
    path = default_model_path(data_home)
    folder = os.path.dirname(path)
    why = None
    if not retrain:
        model, why = _cached(path)
        if model is not None:
            return model
    X, y = _training_data(data_home, mirror, verbose)  # makes the folder, if need be
    os.makedirs(folder, exist_ok=True)
    waiting = "Another process is training the default model; waiting for it."
    with _lock(folder, on_wait=lambda: _say(verbose, waiting)):
        if not retrain:
            model, why = _cached(path)  # trained by another process meanwhile?
            if model is not None:
                return model
        seconds = _estimate(path)
        if retrain:
            _say(
                verbose,
                f"Training the default model again, as asked (about "
                f"{seconds:.0f} s); cached at {path}",
            )
        elif why is None:
            _say(
                verbose,
                f"Training the default model once (about {seconds:.0f} s); cached at {path}",
            )
        else:
            _say(
                verbose,
                f"The default model cached at {path} {why}: training it again "
                f"(about {seconds:.0f} s).",
            )
        model = _new_model()
        start = time.perf_counter()
        _fit(model, X, y, n_jobs)
        seconds = time.perf_counter() - start
        training = {
            "dataset": "mnist",
            "split": "official",
            "seed": SEED,
            "n_train": len(y),
            "name": NAME,
            "default_model": True,
            "fit_seconds": round(seconds, 1),
            "versions": _versions(),
            "settings": _settings(model),
        }
        try:
            model.save(path, training=training)
        except OSError as error:
            _say(
                verbose,
                f"The default model could not be cached at {path} ({error}); it "
                "will be trained again next time.",
            )
        else:
            _say(verbose, f"Trained the default model in {seconds:.0f} s.")
    return model
