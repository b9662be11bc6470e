"""Model files: a small JSON header, checked before anything is unpickled, then joblib.

Layout::

    MNISTKIT-MODEL\\n
    {"format": 1, "mnistkit": "...", "sklearn": "...", "sha256": "...", ...}\\n
    <joblib pickle, zlib-compressed>

The header lets a file from an incompatible version, a truncated file, or a
file of another kind be refused before a single object is unpickled.
"""

import hashlib
import io
import json
import os
import tempfile

import joblib
import numpy as np
import sklearn

from .._version import __version__

MAGIC = b"MNISTKIT-MODEL\n"
FORMAT_VERSION = 1


def _minor(version):
    return ".".join(version.split(".")[:2])


def save_model(model, path, *, training=None):
    """Write ``model`` to ``path`` atomically; return the path.

    ``training``, a JSON-serialisable dict, is stored in the header as how the
    model was trained.
    """
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    payload = buffer.getvalue()
    header = {
        "format": FORMAT_VERSION,
        "mnistkit": __version__,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "class": type(model).__name__,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "size": len(payload),
    }
    if training is not None:
        if not isinstance(training, dict):
            msg = f"training must be a dict describing how the model was trained, got {training!r}."
            raise TypeError(msg)
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
    """Read the header of a model file without unpickling anything.

    The header is plain JSON written by :meth:`MNISTClassifier.save`: the
    versions of mnistkit, scikit-learn and NumPy the model was made with, the
    payload's SHA-256 and size, and, where the model was saved with
    ``training=`` (as ``mnistkit train`` does), how it was trained.

    Parameters
    ----------
    path : str or os.PathLike
        The model file.

    Returns
    -------
    header : dict
        The header's fields; ``header.get("training", {})`` describes the
        training data when it was recorded.

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
    if header.get("format") != FORMAT_VERSION:
        msg = (
            f"{path} is an mnistkit model file of format {header.get('format')!r}; "
            f"this mnistkit ({__version__}) reads format {FORMAT_VERSION}."
        )
        raise ValueError(msg)
    return header, len(MAGIC) + len(line)


def load_model(path):
    """Load a model saved with :meth:`MNISTClassifier.save`.

    The file is checked before anything in it is unpickled: it must be an
    mnistkit model file, complete (its SHA-256 is recorded inside), and made
    with the same minor versions of scikit-learn and mnistkit as those
    installed, since neither supports unpickling models across versions.

    .. warning::
       A model file is a pickle: loading one can run code. Load only model
       files from a source you trust.

    Parameters
    ----------
    path : str or os.PathLike
        The model file.

    Returns
    -------
    model : MNISTClassifier
        The fitted classifier, as it was saved.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not an mnistkit model, is truncated or damaged, or was
        made with an incompatible scikit-learn version.

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
    saved = header.get("sklearn", "unknown")
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
    model = joblib.load(io.BytesIO(payload))
    from ._estimator import MNISTClassifier

    if not isinstance(model, MNISTClassifier):
        msg = f"{path} holds a {type(model).__name__}, not an MNISTClassifier."
        raise ValueError(msg)
    return model
