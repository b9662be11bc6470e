"""fetch_mnist: mirrors, verification, the cache, and the shipped sample."""

import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from importlib import resources

import numpy as np
import pytest

from mnistkit import DownloadError, fetch_mnist, get_data_home, load_sample
from mnistkit.datasets import _download, _registry


def _names_in(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def _check_train(bunch, synthetic):
    images = synthetic.arrays["train-images"]
    np.testing.assert_array_equal(bunch.images, images)
    np.testing.assert_array_equal(bunch.data, images.reshape(len(images), -1))
    np.testing.assert_array_equal(bunch.target, synthetic.arrays["train-labels"])


def test_downloads_verifies_and_caches(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    cache = tmp_path / "cache"
    bunch = fetch_mnist(data_home=cache, mirror=mirror.url)
    _check_train(bunch, synthetic)
    assert bunch.data.dtype == np.uint8
    assert bunch.target.dtype == np.int64
    assert np.shares_memory(bunch.data, bunch.images)
    assert bunch.images.shape == (30, 28, 28)
    assert "CC BY-SA 3.0" in bunch.DESCR
    assert "LeCun" in bunch.DESCR
    np.testing.assert_array_equal(bunch.target_names, np.arange(10))
    # Decompressed files only, nothing half-written or staged.
    assert _names_in(cache) == ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
    served = len(mirror.requests)
    again = fetch_mnist(data_home=cache, mirror=mirror.url)
    _check_train(again, synthetic)
    assert len(mirror.requests) == served, "a warm load must not touch the network"


def test_subsets_and_return_X_y(synthetic, tmp_path):
    folder = synthetic.write_folder(tmp_path / "local", compressed=False)
    X, y = fetch_mnist(subset="all", data_home=folder, download_if_missing=False, return_X_y=True)
    train, test = synthetic.arrays["train-images"], synthetic.arrays["test-images"]
    np.testing.assert_array_equal(X, np.concatenate([train, test]).reshape(40, 784))
    np.testing.assert_array_equal(y[30:], synthetic.arrays["test-labels"])
    test_bunch = fetch_mnist(subset="test", data_home=folder, download_if_missing=False)
    np.testing.assert_array_equal(test_bunch.images, test)
    expected = r"subset must be one of \('train', 'test', 'all'\), got 'validation'"
    with pytest.raises(ValueError, match=expected):
        fetch_mnist(subset="validation", data_home=folder)


@pytest.mark.parametrize("failure", ["404", "500", "refused"])
def test_falls_back_to_the_next_mirror(synthetic, make_mirror, refused_url, tmp_path, failure):
    good = make_mirror("/good/")
    good.serve_all(synthetic)
    if failure == "refused":
        first = refused_url
    else:
        bad = make_mirror("/bad/")
        for name in synthetic.raw:
            bad.serve(f"{name}.gz", b"", status=int(failure))
        first = bad.url
    bunch = fetch_mnist(data_home=tmp_path, mirror=[first, good.url])
    _check_train(bunch, synthetic)
    if failure != "refused":
        # Tried first, once per file: a 404 or a 500 is not worth trying again.
        assert sorted(bad.requests) == sorted(f"/bad/{name}.gz" for name in
                                              ["train-images-idx3-ubyte",
                                               "train-labels-idx1-ubyte"])


def test_every_mirror_failing_names_each_and_says_what_to_do(
    synthetic, make_mirror, refused_url, tmp_path
):
    bad = make_mirror()
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as info:
        fetch_mnist(data_home=cache, mirror=f"{bad.url},{refused_url}")
    message = str(info.value)
    assert f"{bad.url}train-images-idx3-ubyte.gz: HTTP 404" in message
    assert f"{refused_url}train-images-idx3-ubyte.gz: could not connect" in message
    assert "MNISTKIT_MIRROR" in message
    assert "data_home" in message
    assert not cache.exists(), "a failed download must leave no empty cache folder"
    nested = tmp_path / "a" / "b" / "cache"
    with pytest.raises(DownloadError):
        fetch_mnist(data_home=nested, mirror=bad.url)
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("failure", [503, 502, 504, 429, "reset"])
def test_transient_failures_are_tried_again(synthetic, make_mirror, tmp_path, failure):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    other = make_mirror("/other/")  # must never be needed
    name = "train-images-idx3-ubyte.gz"
    mirror.fail_first(name, failure, failure)
    _check_train(fetch_mnist(data_home=tmp_path, mirror=[mirror.url, other.url]), synthetic)
    assert mirror.requests.count(f"/mnist/{name}") == 3
    assert other.requests == []


def test_a_mirror_that_stays_down_is_left_after_a_few_tries(synthetic, make_mirror, tmp_path):
    down = make_mirror("/down/")
    good = make_mirror("/good/")
    good.serve_all(synthetic)
    name = "train-images-idx3-ubyte.gz"
    down.fail_first(name, *[503] * 10)
    _check_train(fetch_mnist(data_home=tmp_path, mirror=[down.url, good.url]), synthetic)
    assert down.requests.count(f"/down/{name}") == 1 + len(_download.RETRY_DELAYS)
    down.fail_first(name, *[503] * 10)
    with pytest.raises(DownloadError, match=r"down/train-images-idx3-ubyte.gz: HTTP 503") as info:
        fetch_mnist(data_home=tmp_path / "again", mirror=down.url)
    # What works with no network at all, in Python's words.
    assert str(info.value).endswith(
        "To work offline meanwhile, mnistkit.load_sample() gives the 3,000-image sample "
        "shipped with mnistkit.")


def test_one_line_per_file_when_stderr_is_not_a_terminal(synthetic, make_mirror, tmp_path,
                                                          capsys):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    fetch_mnist(subset="all", data_home=tmp_path, mirror=mirror.url)  # progress=None
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4
    for line, name in zip(lines, ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
                          strict=True):
        size = len(synthetic.gz(name))
        shown = f"{size} bytes" if size < 1000 else f"{size / 1e3:.1f} kB"
        assert re.fullmatch(rf"Downloaded {name}\.gz \({shown}\) in \d+\.\d s from "
                            rf"{re.escape(mirror.url)}", line), line
    # Cached: nothing to say.
    fetch_mnist(subset="all", data_home=tmp_path, mirror=mirror.url)
    assert capsys.readouterr().err == ""


def test_progress_bar_sizes_in_kilobytes_for_small_files():
    stream = io.StringIO()
    bar = _download._ProgressBar("Downloading train-labels-idx1-ubyte", stream=stream)
    bar.total = 28_881
    bar.update(28_881)
    bar.close()
    assert stream.getvalue().rstrip("\n").endswith("28.9/28.9 kB")
    stream = io.StringIO()
    bar = _download._ProgressBar("Downloading train-images-idx3-ubyte", stream=stream)
    bar.total = 9_912_422
    bar.update(4_956_211)
    bar.close()
    assert stream.getvalue().endswith("  5.0/9.9 MB\n")


def test_ctrl_c_during_a_download_ends_the_bar_line(synthetic, make_mirror, tmp_path,
                                                     capsys, monkeypatch):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    drawn = _download._ProgressBar._draw

    def interrupted(self):
        drawn(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(_download._ProgressBar, "_draw", interrupted)
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        fetch_mnist(data_home=cache, mirror=mirror.url, progress=True)
    err = capsys.readouterr().err
    assert "Downloading train-images-idx3-ubyte" in err
    assert err.endswith("\n"), "what is printed next must start on a line of its own"
    assert not cache.exists()


def test_truncated_download_leaves_nothing(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    name = "train-images-idx3-ubyte"
    whole = synthetic.gz(name)
    mirror.serve(f"{name}.gz", whole[: len(whole) // 2])
    with pytest.raises(DownloadError, match="damaged or truncated gzip"):
        fetch_mnist(data_home=tmp_path, mirror=mirror.url)
    assert _names_in(tmp_path) == []


def test_connection_cut_mid_file_leaves_nothing(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    name = "train-images-idx3-ubyte"
    whole = synthetic.gz(name)
    mirror.serve(f"{name}.gz", whole[:100], announced=len(whole))
    with pytest.raises(DownloadError, match=name):
        fetch_mnist(data_home=tmp_path, mirror=mirror.url, timeout=5)
    assert _names_in(tmp_path) == []


def test_content_that_fails_verification_is_refused(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    name = "train-images-idx3-ubyte"
    tampered = bytearray(synthetic.raw[name])
    tampered[-1] ^= 0xFF
    mirror.serve(f"{name}.gz", gzip.compress(bytes(tampered)))
    with pytest.raises(DownloadError, match="SHA-256 does not match"):
        fetch_mnist(data_home=tmp_path, mirror=mirror.url)
    assert _names_in(tmp_path) == []


def test_recompressed_archive_still_verifies(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    for name, payload in synthetic.raw.items():
        mirror.serve(f"{name}.gz", gzip.compress(payload, compresslevel=1, mtime=123))
    _check_train(fetch_mnist(data_home=tmp_path, mirror=mirror.url), synthetic)
    # A mirror that serves the files themselves under the archives' names works too.
    for name, payload in synthetic.raw.items():
        mirror.serve(f"{name}.gz", payload)
    _check_train(fetch_mnist(data_home=tmp_path / "raw", mirror=mirror.url), synthetic)


def test_corrupt_cached_file_is_fetched_again(synthetic, make_mirror, tmp_path):
    folder = synthetic.write_folder(tmp_path / "cache", compressed=False)
    target = folder / "train-images-idx3-ubyte"
    damaged = bytearray(target.read_bytes())
    damaged[100] ^= 1  # same size, different content: only the hash can tell
    target.write_bytes(bytes(damaged))
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    expected = (
        rf"cached MNIST file {re.escape(str(target))} was refused because its SHA-256 does "
        rf"not match the official file's\. It was moved to {re.escape(str(target))}\.invalid "
        r"\(23\.5 kB\); delete that file if you do not need it\."
    )
    with pytest.warns(UserWarning, match=expected):
        _check_train(fetch_mnist(data_home=folder, mirror=mirror.url, progress=False),
                     synthetic)
    assert mirror.requests == ["/mnist/train-images-idx3-ubyte.gz"]
    assert (folder / "train-images-idx3-ubyte.invalid").read_bytes() == bytes(damaged)


def test_corrupt_cached_file_refused_when_refetch_fails(synthetic, make_mirror, tmp_path):
    folder = synthetic.write_folder(tmp_path / "cache", compressed=False)
    (folder / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01garbage")
    mirror = make_mirror()  # serves nothing
    expected = r"copy that was cached .* was refused because it holds 11 bytes"
    with pytest.raises(DownloadError, match=expected), pytest.warns(
        UserWarning, match=r"train-labels-idx1-ubyte\.invalid \(11 bytes\)"
    ):
        fetch_mnist(data_home=folder, mirror=mirror.url)
    assert "train-labels-idx1-ubyte" not in _names_in(folder)
    # Set aside, never deleted: it may be a file of the user's own.
    assert (folder / "train-labels-idx1-ubyte.invalid").read_bytes() == b"\x00\x00\x08\x01garbage"
    with pytest.raises(DownloadError, match="download_if_missing=False"):
        fetch_mnist(data_home=folder, download_if_missing=False)


def test_no_download_and_no_cache(synthetic, tmp_path):
    cache = tmp_path / "never-created"
    with pytest.raises(DownloadError) as info:
        fetch_mnist(data_home=cache, download_if_missing=False)
    message = str(info.value)
    assert "train-images-idx3-ubyte is not in the MNIST cache" in message
    assert "MNISTKIT_MIRROR" in message
    assert not cache.exists(), "the cache folder is created only when something is written"


@pytest.mark.parametrize("compressed", [False, True])
def test_local_folder_is_accepted_as_cache(synthetic, refused_url, tmp_path, compressed):
    folder = synthetic.write_folder(tmp_path / "local", compressed=compressed)
    _check_train(fetch_mnist(data_home=folder, mirror=refused_url), synthetic)
    _check_train(fetch_mnist(data_home=folder, download_if_missing=False), synthetic)


def test_environment_variables(synthetic, make_mirror, tmp_path, monkeypatch, refused_url):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    monkeypatch.setenv("MNISTKIT_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("MNISTKIT_MIRROR", f"{refused_url}, {mirror.url}")
    assert get_data_home() == str(tmp_path / "from-env")
    _check_train(fetch_mnist(), synthetic)
    assert "train-images-idx3-ubyte" in _names_in(tmp_path / "from-env")
    # An explicit argument wins over the environment.
    assert get_data_home(tmp_path / "arg") == str(tmp_path / "arg")
    with pytest.raises(DownloadError, match="could not connect"):
        fetch_mnist(data_home=tmp_path / "other", mirror=refused_url)


def test_progress_bar_goes_to_stderr(synthetic, make_mirror, tmp_path, capsys):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    fetch_mnist(data_home=tmp_path / "a", mirror=mirror.url, progress=True)
    captured = capsys.readouterr()
    assert "Downloading train-images-idx3-ubyte" in captured.err
    assert captured.out == ""
    fetch_mnist(data_home=tmp_path / "b", mirror=mirror.url, progress=False)
    assert capsys.readouterr().err == ""


_CONCURRENT_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from mnistkit.datasets import _fetchers, _registry
    files = {k: _registry.IDXFile(*v) for k, v in json.loads(sys.argv[1]).items()}
    _fetchers.FILES = files
    bunch = _fetchers.fetch_mnist(subset="all", data_home=sys.argv[2], mirror=sys.argv[3])
    print(int(bunch.data.sum()), len(bunch.target))
    """
)


def test_two_processes_fill_one_cache(synthetic, make_mirror, tmp_path):
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    # Each file is held until both processes ask for it, then sent slowly: the two
    # download and install the same files at the same time.
    for name in synthetic.raw:
        mirror.hold(f"{name}.gz", clients=2)
    mirror.slow_down(0.4)
    registry = json.dumps({k: list(v) for k, v in synthetic.files.items()})
    command = [sys.executable, "-c", _CONCURRENT_SCRIPT, registry, str(tmp_path), mirror.url]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120)[0].split() for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    arrays = synthetic.arrays
    expected = int(arrays["train-images"].sum()) + int(arrays["test-images"].sum())
    assert outputs == [[str(expected), "40"]] * 2
    assert _names_in(tmp_path) == sorted(synthetic.raw)
    # They overlapped: each asked for every file, none found it cached.
    assert sorted(mirror.requests) == sorted([f"/mnist/{name}.gz" for name in synthetic.raw] * 2)


def test_bad_mirror_argument(synthetic, tmp_path):
    with pytest.raises(ValueError, match="No mirror given"):
        fetch_mnist(data_home=tmp_path, mirror=" , ")


# The sample shipped with the package -------------------------------------------------


def test_sample_shapes_dtypes_and_balance():
    train = load_sample()
    assert train.data.shape == (2000, 784)
    assert train.data.dtype == np.uint8
    assert train.images.shape == (2000, 28, 28)
    assert np.shares_memory(train.data, train.images)
    np.testing.assert_array_equal(np.bincount(train.target), [200] * 10)
    test = load_sample(subset="test")
    np.testing.assert_array_equal(np.bincount(test.target), [100] * 10)
    X, y = load_sample(subset="all", return_X_y=True)
    assert X.shape == (3000, 784)
    assert y.shape == (3000,)
    np.testing.assert_array_equal(X[2000:], test.data)
    # Real digits: ink on a dark background, about a fifth of the pixels lit.
    assert 0.1 < (X > 0).mean() < 0.3
    assert X.max() == 255
    # Each image was drawn once from its official file.
    assert len(np.unique(train.sample_index)) == 2000
    assert train.sample_index.max() < 60_000
    assert test.sample_index.max() < 10_000
    assert "CC BY-SA 3.0" in train.DESCR


def test_sample_checksum():
    path = resources.files("mnistkit.datasets").joinpath("data", _registry.SAMPLE_FILE)
    payload = path.read_bytes()
    assert hashlib.sha256(payload).hexdigest() == _registry.SAMPLE_SHA256
    assert len(payload) < 1_000_000


def test_damaged_sample_is_refused(monkeypatch):
    monkeypatch.setattr("mnistkit.datasets._fetchers.SAMPLE_SHA256", "0" * 64)
    with pytest.raises(OSError, match=r"sample shipped with mnistkit .* is damaged"):
        load_sample()


# The real mirrors: opt in with ``pytest -m network`` -----------------------------------


@pytest.mark.network
@pytest.mark.parametrize("mirror", _registry.MIRRORS)
def test_real_mirror_serves_the_registered_files(mirror, tmp_path):
    """Each mirror of the registry serves the four official files, as registered."""
    for entry in _registry.FILES.values():
        archive = tmp_path / f"{entry.name}.gz"
        path = _download._download(mirror + entry.name + ".gz", entry, str(tmp_path),
                                   progress=False, timeout=60)
        assert path == str(archive)
        assert hashlib.sha256(archive.read_bytes()).hexdigest() == entry.gz_sha256
    bunch = fetch_mnist(subset="all", data_home=tmp_path, download_if_missing=False)
    assert bunch.data.shape == (70_000, 784)
    np.testing.assert_array_equal(np.bincount(bunch.target[:60_000]),
                                  [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
