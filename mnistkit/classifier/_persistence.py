"""Model files: a small JSON header, checked first, then the model as skops stores it.

Layout::

    MNISTKIT-MODEL\\n
    {"format": 2, "mnistkit": "...", "sklearn": "...", "skops": "...", "sha256": "...", ...}\\n
    <skops.io archive: the model's parameters and arrays, compressed>

The header lets a file from an incompatible version, a truncated file, or a
file of another kind be refused before the model is read. The model holds no
pickle: skops rebuilds it from parameters and arrays, creating objects of the
types in ``_model_types.TRUSTED_TYPES`` (and those skops trusts on its own)
only, so loading a file never runs code that came with it.

Format 1, written by mnistkit 0.1, held a joblib pickle instead, which runs
whatever code it holds when loaded: :func:`load_model` reads it only when told
that the file is trusted.
"""

import hashlib
import io
import json
import os
import tempfile
import warnings
import zipfile

import joblib
import numpy as np
import sklearn

from .._version import __version__
from ._model_types import TRUSTED_TYPES, check_trees, is_model

MAGIC = b"MNISTKIT-MODEL\n"
FORMAT_VERSION = 2
PICKLE_FORMAT = 1  # mnistkit 0.1: a zlib-compressed joblib pickle
# zlib level 3 of each array in the archive: the size joblib's compress=3 gave,
# in about the same time (benchmarks/bench_model_files.py).
COMPRESSLEVEL = 3


def _minor(version):
    return ".".join(version.split(".")[:2])


def save_model(model, path, *, training=None):
    """Write ``model`` to ``path`` atomically; return the path.

    ``training``, a JSON-serialisable dict, is stored in the header as how the
    model was trained.
    """
    import skops
    import skops.io

    if training is not None and not isinstance(training, dict):
        msg = f"training must be a dict describing how the model was trained, got {training!r}."
        raise TypeError(msg)
    payload = skops.io.dumps(
        model, compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL
    )
    header = {
        "format": FORMAT_VERSION,
        "mnistkit": __version__,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "skops": skops.__version__,
        "class": type(model).__name__,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "size": len(payload),
    }
    if training is not None:
        header["training"] = training
    header_line = json.dumps(header, allow_nan=False).encode() + b"\n"
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mnistkit-model-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC)
            f.write(header_line)
            f.write(payload)
        # mkstemp makes the file private (0600); give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def read_model_header(path):
    """Read the header of a model file without loading the model.

    The header is plain JSON written by :meth:`MNISTClassifier.save`: the file
    format, the versions of mnistkit, scikit-learn and NumPy (and skops) the
    model was made with, the payload's SHA-256 and size, and, where the model
    was saved with ``training=`` (as ``mnistkit train`` does), how it was
    trained.

    Parameters
    ----------
    path : str or os.PathLike
        The model file.

    Returns
    -------
    header : dict
        The header's fields; ``header["format"]`` is 2 for the files of this
        mnistkit and 1 for the pickles of mnistkit 0.1;
        ``header.get("training", {})`` describes the training data when it was
        recorded.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not an mnistkit model file, or its header is damaged or
        of a format this mnistkit does not read.

    Examples
    --------
    >>> import os, tempfile
    >>> from mnistkit import MNISTClassifier, load_sample
    >>> from mnistkit.classifier import read_model_header
    >>> X, y = load_sample(return_X_y=True)
    >>> clf = MNISTClassifier(backend="sgd", random_state=0).fit(X[:300], y[:300])
    >>> path = clf.save(os.path.join(tempfile.mkdtemp(), "sgd.mnistkit"),
    ...                 training={"dataset": "sample", "n_train": 300})
    >>> read_model_header(path)["training"]
    {'dataset': 'sample', 'n_train': 300}
    """
    return _read_header(path)[0]


def _read_header(path):
    """The header of a model file and its length in bytes; ValueError saying what is wrong."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        msg = f"No model file at {path}."
        raise FileNotFoundError(msg)
    with open(path, "rb") as f:
        magic = f.read(len(MAGIC))
        if magic != MAGIC:
            msg = (
                f"{path} is not an mnistkit model file: its first line is not "
                f"{MAGIC.decode().strip()}. Give a file written by MNISTClassifier.save or "
                "'mnistkit train'."
            )
            raise ValueError(msg)
        line = f.readline(65536)
    try:
        header = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"{path} is a damaged mnistkit model file: its header cannot be read."
        raise ValueError(msg) from error
    if not isinstance(header, dict):
        msg = f"{path} is a damaged mnistkit model file: its header is not a record."
        raise ValueError(msg)
    if header.get("format") not in (PICKLE_FORMAT, FORMAT_VERSION):
        msg = (
            f"{path} is an mnistkit model file of format {header.get('format')!r}, made "
            f"with mnistkit {header.get('mnistkit', 'unknown')}; this mnistkit "
            f"({__version__}) reads formats {PICKLE_FORMAT} and {FORMAT_VERSION}. Install "
            "the mnistkit that made it, or a newer one."
        )
        raise ValueError(msg)
    return header, len(MAGIC) + len(line)


def load_model(path, *, trusted=False):
    """Load a model saved with :meth:`MNISTClassifier.save`.

    Unless ``trusted=True``, loading never runs code that came with the file.
    The file is checked before the model is read: it must be an mnistkit
    model file, complete (its SHA-256 is recorded inside), and made with the
    same minor versions of scikit-learn and mnistkit as those installed, since
    neither supports moving models across versions. The model is then rebuilt from its
    parameters and arrays by :mod:`skops.io`, which creates objects of the
    types an :class:`MNISTClassifier` is made of only; a file that holds any
    other type, or a decision tree whose nodes point outside it, is refused.

    Model files of mnistkit 0.1 (format 1) are pickles, which run whatever
    code they hold when loaded: they are refused unless ``trusted=True``.

    Parameters
    ----------
    path : str or os.PathLike
        The model file.
    trusted : bool, default=False
        Whether you trust the file's source (you made it yourself, or got it
        from someone you trust), and so allow it to run code: a pickle of
        mnistkit 0.1 is then unpickled, and a file that holds types other
        than an :class:`MNISTClassifier`'s (a subclass, a callable in
        ``backend_params``) is loaded with them, both with a warning. Load a
        pickle once this way and save it again to get a file that loads
        without it.

    Returns
    -------
    model : MNISTClassifier
        The fitted classifier, as it was saved.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not an mnistkit model, is truncated or damaged, was
        made with an incompatible scikit-learn or mnistkit version, holds
        what an :class:`MNISTClassifier` never holds, or is a pickle of
        mnistkit 0.1 and ``trusted`` is False.

    Examples
    --------
    >>> import os, tempfile
    >>> from mnistkit import MNISTClassifier, load_model, load_sample
    >>> X, y = load_sample(return_X_y=True)
    >>> clf = MNISTClassifier(backend="sgd", random_state=0).fit(X[:500], y[:500])
    >>> path = clf.save(os.path.join(tempfile.mkdtemp(), "sgd.mnistkit"))
    >>> (load_model(path).predict(X[:20]) == clf.predict(X[:20])).all()
    np.True_
    """
    if not isinstance(trusted, bool):
        msg = f"trusted must be True or False; got {trusted!r}."
        raise TypeError(msg)
    header, offset = _read_header(path)
    with open(path, "rb") as f:
        f.seek(offset)
        payload = f.read()
    if len(payload) != header.get("size") or hashlib.sha256(payload).hexdigest() != header.get(
        "sha256"
    ):
        msg = (
            f"{path} is truncated or damaged: its content does not match the checksum "
            "recorded when it was saved."
        )
        raise ValueError(msg)
    saved = str(header.get("sklearn", "unknown"))
    if _minor(saved) != _minor(sklearn.__version__):
        msg = (
            f"{path} was saved with scikit-learn {saved} (mnistkit {header.get('mnistkit')}); "
            f"scikit-learn {sklearn.__version__} is installed, and models cannot be moved "
            f"across scikit-learn versions. Install scikit-learn {_minor(saved)}.x, or "
            "train the model again."
        )
        raise ValueError(msg)
    made_with = str(header.get("mnistkit", "unknown"))
    if _minor(made_with) != _minor(__version__):
        msg = (
            f"{path} was saved with mnistkit {made_with}; mnistkit {__version__} is "
            f"installed and reads models of mnistkit {_minor(__version__)}.x only. "
            "Train the model again, or install the version it was made with."
        )
        raise ValueError(msg)
    if header["format"] == PICKLE_FORMAT:
        model = _load_pickle(payload, path, trusted)
    else:
        model = _load_skops(payload, path, header, trusted)
    if not is_model(model):
        msg = f"{path} holds a {type(model).__name__}, not an MNISTClassifier."
        raise ValueError(msg)
    return model


def _load_pickle(payload, path, trusted):
    """The model of a format-1 file, unpickled only if the caller trusts the file."""
    if not trusted:
        msg = (
            f"{path} is a model file of mnistkit 0.1 (format {PICKLE_FORMAT}): a pickle, "
            "which runs whatever code it holds when loaded, so it was not loaded. If "
            "you trust its source (you made it yourself), load it with "
            "mnistkit.load_model(path, trusted=True) and save it again with "
            "model.save(path, training=mnistkit.classifier.read_model_header(path)"
            ".get('training')) to get a safe file (format "
            f"{FORMAT_VERSION}) that loads without trusted=True; otherwise train the "
            "model again."
        )
        raise ValueError(msg)
    warnings.warn(
        f"{path} is a pickle (a model file of mnistkit 0.1), and loading it runs "
        "whatever code it holds; it was loaded because trusted=True. Save the model "
        f"again with model.save(path) to get a file of format {FORMAT_VERSION}, which "
        "loads without running code.",
        UserWarning,
        stacklevel=3,
    )
    return joblib.load(io.BytesIO(payload))


def _load_skops(payload, path, header, trusted):
    """The model of a format-2 file, of trusted types only unless the caller trusts it."""
    import skops.io

    try:
        model = skops.io.loads(payload, trusted=list(TRUSTED_TYPES))
    except Exception as error:
        others = _other_types(payload)
        if not others:
            # Only a file made with a newer skops, or tampered with (the checksum
            # matches, so it is what its writer wrote), ends here.
            msg = (
                f"{path} holds a model that cannot be read ({type(error).__name__}: "
                f"{error}). It was saved with skops {header.get('skops', 'unknown')}; "
                "if that is newer than the skops installed, upgrade skops. A model "
                "saved by mnistkit reads without error: otherwise the file was "
                "tampered with."
            )
            raise ValueError(msg) from error
        if not trusted:
            msg = (
                f"{path} holds types an MNISTClassifier is not made of: {others}. "
                "Loading them could run code that came with the file, so it was not "
                "loaded. If you trust its source (a subclass of MNISTClassifier or a "
                "function in backend_params of your own), load it with "
                "mnistkit.load_model(path, trusted=True)."
            )
            raise ValueError(msg) from None
        warnings.warn(
            f"{path} holds types an MNISTClassifier is not made of: {others}; they "
            "were loaded because trusted=True, and can run code of their own.",
            UserWarning,
            stacklevel=3,
        )
        return skops.io.loads(payload, trusted=[*TRUSTED_TYPES, *others])
    if not trusted:
        try:
            check_trees(model)
        except ValueError as error:
            msg = (
                f"{path} was refused: {error}. A model saved by mnistkit never does; "
                "the file was damaged or tampered with, and predicting with it could "
                "read memory out of bounds."
            )
            raise ValueError(msg) from None
    return model


def _other_types(payload):
    """The types in a skops payload beyond TRUSTED_TYPES; [] if it cannot be read."""
    import skops.io

    try:
        found = skops.io.get_untrusted_types(data=payload)
    except Exception:  # an archive skops cannot read: the caller says so
        return []
    return sorted(set(found) - set(TRUSTED_TYPES))
