"""Public loaders: the full MNIST (downloaded and cached) and the shipped sample."""

import hashlib
import io
import os
from importlib import resources

import numpy as np
import pooch
from sklearn.utils import Bunch

from .._geometry import IMAGE_SIDE
from ._cache import check_folder, remove_stale_staging
from ._descr import MNIST_DESCR, SAMPLE_DESCR
from ._download import DEADLINE, ensure_file, resolve_mirrors
from ._idx import check_payload_size, parse_header
from ._registry import FILES, SAMPLE_FILE, SAMPLE_SHA256, SUBSETS

_SUBSET_NAMES = tuple(SUBSETS)


def get_data_home(data_home=None):
    """Return the folder where mnistkit caches MNIST.

    The folder is, in order of precedence: ``data_home`` if given, the
    ``MNISTKIT_DATA_DIR`` environment variable if set, and otherwise the
    per-user cache folder for "mnistkit" (``~/.cache/mnistkit`` on Linux). It is
    not created here: it is made when something is first written to it.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        The folder to use. ``~`` is expanded.

    Returns
    -------
    data_home : str
        The absolute path of the cache folder.

    Examples
    --------
    >>> from mnistkit import get_data_home
    >>> get_data_home("/tmp/mnist")
    '/tmp/mnist'
    """
    if data_home is None:
        data_home = os.environ.get("MNISTKIT_DATA_DIR") or pooch.os_cache("mnistkit")
    return os.path.abspath(os.path.expanduser(os.fspath(data_home)))


def _check_subset(subset):
    if subset not in _SUBSET_NAMES:
        msg = f"subset must be one of {_SUBSET_NAMES}, got {subset!r}."
        raise ValueError(msg)


def _load_verified_idx(path, expected_ndim):
    # One read; ``data`` stays a view into the buffer so nothing is copied.
    raw = np.fromfile(path, dtype=np.uint8)
    dtype, shape, header_size = parse_header(raw[:16].tobytes(), path)
    check_payload_size(dtype, shape, raw.size - header_size, path)
    if dtype != np.uint8 or len(shape) != expected_ndim:
        msg = f"{path} does not hold MNIST data: {dtype.name} values of shape {shape}."
        raise ValueError(msg)
    return raw[header_size:].reshape(shape)


def _check_deadline(deadline):
    if deadline is None:
        return
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0:
        msg = f"deadline must be a positive number of seconds, or None, got {deadline!r}."
        raise ValueError(msg)


def _bunch(images, target, descr, return_X_y, **extra):
    data = images.reshape(len(images), -1)
    target = target.astype(np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        images=data.reshape(-1, IMAGE_SIDE, IMAGE_SIDE),
        target_names=np.arange(10),
        feature_names=[f"pixel_{r}_{c}" for r in range(IMAGE_SIDE)
                       for c in range(IMAGE_SIDE)],
        DESCR=descr,
        **extra,
    )


def fetch_mnist(
    *,
    subset="train",
    data_home=None,
    download_if_missing=True,
    return_X_y=False,
    mirror=None,
    progress=None,
    timeout=30,
    deadline=DEADLINE,
):
    """Load MNIST, downloading and verifying it the first time.

    Each of the four official IDX files is looked for in the cache, then as a
    ``.gz`` archive in the cache, then on each mirror in turn. Every file is
    checked against the SHA-256 of the official decompressed file before it is
    used or cached, so a re-compressed mirror still works and a damaged file
    never gets in. Downloads go to a staging folder and are moved into the cache
    only once verified: an interrupted download leaves nothing behind, and the
    staging folder of a process that was killed is removed by the next call.
    Several processes may fill, or repair, one cache at the same time.

    Nothing is read beyond the sizes the registry holds: a mirror that keeps
    sending is cut off at the largest size an archive of the file can have, and
    an archive is decompressed only up to the file's size, so a small archive
    that inflates to gigabytes fills neither the disk nor the memory.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which images to load: the 60,000 training images, the 10,000 test
        images, or all 70,000 (training first, then test).
    data_home : str or os.PathLike, default=None
        The cache folder. By default the ``MNISTKIT_DATA_DIR`` environment
        variable, else the per-user cache (see :func:`get_data_home`). A folder
        that already holds the four files, compressed or not, can be given.
    download_if_missing : bool, default=True
        If False, raise an error instead of downloading a missing file.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    mirror : str or list of str, default=None
        Base URLs to download from, tried in order (a string may hold several,
        separated by commas). By default the ``MNISTKIT_MIRROR`` environment
        variable, else two public mirrors of the original files.
    progress : bool, default=None
        Show a download progress bar on standard error (True) or nothing
        (False). By default, a bar when standard error is a terminal, and
        otherwise one line per downloaded file (its name, size and download
        time), so that a log shows the work is going on.
    timeout : float, default=30
        Seconds to wait for a mirror to accept the connection, and then for each
        read: a mirror silent that long is given up and the next one tried. This
        bounds each read, not the download: see ``deadline``. A transient failure
        (HTTP 408, 429, 502, 503 or 504, a connection reset or cut short) is
        tried again three times, after pauses of 0.5, 1 and 2 seconds, before
        the next mirror.
    deadline : float or None, default=600
        The most seconds one file may take to download from one mirror, retries
        included (overrun by at most ``timeout``, the wait of one read); the
        next mirror is then tried. None for no deadline. Whatever the deadline,
        a download that receives less than 30 kB in 30 seconds is given up
        sooner, as stalled: a stalled mirror costs about 30 seconds a file. On a
        slow connection, a longer deadline, another mirror (``mirror=`` or
        ``MNISTKIT_MIRROR``), or a ``data_home`` folder that holds the files can
        help.

    Returns
    -------
    mnist : :class:`~sklearn.utils.Bunch`
        With ``data`` (n, 784) uint8 pixels, 0 for the background; ``target``
        (n,) int64 digit labels; ``images`` (n, 28, 28), a view of the same
        memory as ``data``; ``target_names``; ``feature_names``; ``DESCR``,
        the data set's description, licence and citation.
    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    mnistkit.datasets.DownloadError
        If a file is missing and cannot be downloaded; the message names every
        source tried, why it failed, and what to do. Also when the cache cannot
        be written to, for instance because its disk is full; the message names
        the folder.
    NotADirectoryError
        If ``data_home`` (or ``MNISTKIT_DATA_DIR``) is a file, not a folder.

    Warns
    -----
    UserWarning
        When a cached file fails verification: it is moved aside to
        ``<name>.invalid`` (never deleted: it may be a file of your own), and
        the warning says which file, why, and where it now is.

    See Also
    --------
    load_sample : A small real sample that needs no download.

    Examples
    --------
    >>> from mnistkit import fetch_mnist
    >>> mnist = fetch_mnist(subset="test")  # doctest: +SKIP
    >>> mnist.data.shape, mnist.images.shape  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28))
    """
    _check_subset(subset)
    _check_deadline(deadline)
    folder = get_data_home(data_home)
    mirrors = resolve_mirrors(mirror)
    from_env = data_home is None and os.environ.get("MNISTKIT_DATA_DIR")
    check_folder(folder, "MNISTKIT_DATA_DIR" if from_env else "data_home")
    remove_stale_staging(folder)
    images, labels = [], []
    for images_key, labels_key in SUBSETS[subset]:
        for key, parts, ndim in ((images_key, images, 3), (labels_key, labels, 1)):
            path = ensure_file(
                FILES[key], folder, mirrors=mirrors,
                download_if_missing=download_if_missing, progress=progress, timeout=timeout,
                deadline=deadline,
            )
            parts.append(_load_verified_idx(path, ndim))
    images = images[0] if len(images) == 1 else np.concatenate(images)
    labels = labels[0] if len(labels) == 1 else np.concatenate(labels)
    return _bunch(images, labels, MNIST_DESCR, return_X_y, subset=subset, data_home=folder)


def _sample_path():
    return resources.files("mnistkit.datasets").joinpath("data", SAMPLE_FILE)


def load_sample(*, subset="train", return_X_y=False):
    """Load the small real MNIST sample shipped with mnistkit; no download.

    2,000 training and 1,000 test images, 10% of them of each digit, drawn from
    the official training and test sets. Use it for examples, tests and quick
    experiments; use :func:`fetch_mnist` for real measurements.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        The 2,000 training images, the 1,000 test images, or all 3,000
        (training first).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    sample : :class:`~sklearn.utils.Bunch`
        The same fields as :func:`fetch_mnist`, plus ``sample_index``, each
        image's row in the official file it was taken from.
    (data, target) : tuple
        If ``return_X_y`` is True.

    Examples
    --------
    >>> from mnistkit import load_sample
    >>> X, y = load_sample(return_X_y=True)
    >>> X.shape, X.dtype, y[:10].tolist()
    ((2000, 784), dtype('uint8'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    _check_subset(subset)
    with _sample_path().open("rb") as f:
        payload = f.read()
    if hashlib.sha256(payload).hexdigest() != SAMPLE_SHA256:
        msg = (
            f"The MNIST sample shipped with mnistkit ({SAMPLE_FILE}) is damaged: "
            "reinstall mnistkit."
        )
        raise OSError(msg)
    with np.load(io.BytesIO(payload)) as npz:
        parts = [("train",), ("test",), ("train", "test")][_SUBSET_NAMES.index(subset)]
        images = np.concatenate([npz[f"{p}_images"] for p in parts])
        labels = np.concatenate([npz[f"{p}_labels"] for p in parts])
        index = np.concatenate([npz[f"{p}_index"] for p in parts])
    return _bunch(images, labels, SAMPLE_DESCR, return_X_y, subset=subset, sample_index=index)
