"""Fault injection for the datasets: hostile archives and headers, slow and endless
mirrors, a full disk, processes racing to repair one cache, and what a killed
download leaves behind.

Every fault is made where it starts: a bomb is a real gzip stream, a slow mirror
a real loopback server, a full disk the kernel's own ENOSPC (``/dev/full``).
"""

import contextlib
import gzip
import http.server
import json
import os
import re
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import zlib

import numpy as np
import pytest

from mnistkit import DownloadError, fetch_mnist, read_idx
from mnistkit.datasets import _cache, _download, _http, _idx

from .conftest import idx_bytes

MB = 1 << 20


def _names_in(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def _header(shape, type_byte=0x08):
    return struct.pack(">HBB", 0, type_byte, len(shape)) + struct.pack(f">{len(shape)}I", *shape)


def _bomb(head, inflated):
    """A gzip stream of ``head`` and then ``inflated`` zero bytes: about 1,000 times
    smaller than what it inflates to."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(head)]
    block = bytes(MB)
    for _ in range(inflated // MB):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(bytes(inflated % MB)))
    parts.append(compressor.flush())
    return b"".join(parts)


def _peak_memory(function, *args):
    """Run ``function``; return what it raised and the peak of memory it allocated
    (tracemalloc sees Python's and numpy's allocations, zlib's output included)."""
    tracemalloc.start()
    try:
        function(*args)
    except Exception as error:
        raised = error
    else:
        raised = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return raised, peak


def _bytes_written():
    """Bytes this process has written so far (Linux), or None where it cannot tell."""
    try:
        with open("/proc/self/io") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("wchar:"))
    except (OSError, StopIteration):
        return None


# -- A loopback mirror that misbehaves -------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        route = server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        kind, body, options = route
        # The client may hang up: that is what is being tested.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            getattr(self, f"_{kind}")(body, **options)

    def _start(self, length):
        self.send_response(200)
        self.send_header("Content-Type", "application/gzip")
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()

    def _send(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.server.sent += len(data)

    def _ok(self, body):
        self._start(len(body))
        self._send(body)

    def _trickle(self, body, interval, give_up=8.0):
        """One byte every ``interval`` seconds; after ``give_up`` seconds the
        connection is closed, so that a client without a deadline fails, not hangs."""
        self._start(len(body))
        end = time.monotonic() + give_up
        for i in range(len(body)):
            if time.monotonic() > end or self.server.stop.wait(interval):
                break
            self._send(body[i:i + 1])
        self.close_connection = True

    def _silent(self, body, give_up=8.0):
        self._start(len(body))
        self.server.stop.wait(give_up)
        self.close_connection = True

    def _endless(self, body, give_up=8.0):
        """Zeros, with no Content-Length, until the client hangs up."""
        self._start(None)
        end = time.monotonic() + give_up
        while time.monotonic() < end and not self.server.stop.is_set():
            self._send(bytes(65536))
        self.close_connection = True

    def _announce(self, body, length):
        self._start(length)
        self._send(body)
        self.close_connection = True

    def _gate(self, body, gate):
        """Half the body, then the rest once ``gate`` is set: a download in progress."""
        self._start(len(body))
        self._send(body[: len(body) // 2])
        gate.wait(30)
        self._send(body[len(body) // 2:])

    def log_message(self, *args):
        pass


class _Mirror:
    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.routes = {}
        self.server.requests = []
        self.server.sent = 0
        self.server.stop = threading.Event()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mnist/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def requests(self):
        return self.server.requests

    @property
    def sent(self):
        return self.server.sent

    def route(self, name, kind, body=b"", **options):
        self.server.routes[f"/mnist/{name}"] = (kind, body, options)

    def serve_all(self, synthetic):
        for name in synthetic.raw:
            self.route(f"{name}.gz", "ok", synthetic.gz(name))

    def close(self):
        self.server.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile_mirror():
    mirrors = []

    def start():
        mirrors.append(_Mirror())
        return mirrors[-1]

    yield start
    for mirror in mirrors:
        mirror.close()


# -- 1. Decompression within the size the format declares -------------------------------


def test_read_idx_stops_a_gzip_bomb_at_the_size_its_header_announces(tmp_path):
    # 100 images announced (78 kB), 64 MB inflated, 64 kB on disk.
    path = tmp_path / "bomb-idx3-ubyte.gz"
    path.write_bytes(_bomb(_header((100, 28, 28)), 64 * MB))
    assert path.stat().st_size < 100_000
    started = time.perf_counter()
    raised, peak = _peak_memory(read_idx, path)
    elapsed = time.perf_counter() - started
    assert isinstance(raised, ValueError)
    assert str(raised) == (
        f"{path} is longer than announced: its header announces shape (100, 28, 28) of "
        "uint8 (78400 bytes of data) but it holds more; it was not read further."
    )
    assert peak < 8 * MB, f"{peak / MB:.0f} MB allocated to refuse a 78 kB file"
    assert elapsed < 5


def test_read_idx_counts_before_it_allocates_a_large_announced_size(tmp_path, monkeypatch):
    # A header that announces a large file (here 64 MB, above a lowered one-pass limit)
    # but inflates to less: counted, refused, never allocated.
    monkeypatch.setattr(_idx, "ONE_PASS_BYTES", MB)
    path = tmp_path / "liar-idx3-ubyte.gz"
    path.write_bytes(_bomb(_header((64, 1024, 1024)), 16 * MB))
    raised, peak = _peak_memory(read_idx, path)
    assert isinstance(raised, ValueError)
    assert str(raised).startswith(f"{path} is truncated: its header announces shape "
                                  "(64, 1024, 1024) of uint8 (67108864 bytes of data) but "
                                  "it holds 16777216.")
    assert peak < 8 * MB, f"{peak / MB:.0f} MB allocated to refuse it"
    # A file that holds what it announces is read, in two passes, all the same.
    values = np.random.default_rng(0).integers(0, 256, (3, 1024, 1024), dtype=np.uint8)
    path.write_bytes(gzip.compress(idx_bytes(values), compresslevel=1))
    np.testing.assert_array_equal(read_idx(path), values)


def test_read_idx_compressed_big_endian_values_come_back_native(tmp_path):
    values = np.array([[1, -2, 3], [70000, -70000, 2**31 - 1]], dtype=">i4")
    path = tmp_path / "ints.gz"
    path.write_bytes(gzip.compress(_header((2, 3), 0x0C) + values.tobytes()))
    result = read_idx(path)
    np.testing.assert_array_equal(result, values.astype(np.int32))
    assert result.dtype.isnative
    assert result.flags.writeable


@pytest.mark.parametrize("where", ["mirror", "data_home"])
def test_a_bomb_fills_neither_disk_nor_memory_when_fetched(
    synthetic, hostile_mirror, tmp_path, where
):
    name = "t10k-images-idx3-ubyte"
    size = len(synthetic.raw[name])
    bomb = _bomb(synthetic.raw[name][:16], 64 * MB)
    cache = tmp_path / "cache"
    if where == "mirror":
        mirror = hostile_mirror()
        mirror.serve_all(synthetic)
        mirror.route(f"{name}.gz", "ok", bomb)
        source = f"{mirror.url}{name}.gz"
        options = {"mirror": mirror.url, "progress": False}
    else:
        cache.mkdir()
        (cache / f"{name}.gz").write_bytes(bomb)
        source = str(cache / f"{name}.gz")
        options = {"download_if_missing": False}

    def call():
        fetch_mnist(subset="test", data_home=cache, **options)

    started = time.perf_counter()
    written = _bytes_written()
    raised, peak = _peak_memory(call)
    if written is not None:
        written = _bytes_written() - written
        assert written < 16 * MB, f"{written / MB:.0f} MB written to refuse a {size} byte file"
    assert isinstance(raised, DownloadError)
    assert (f"{source}: it decompresses to more than the {size:,} bytes of {name}; "
            "decompression was stopped there") in str(raised)
    assert ".partial-" not in str(raised)
    assert peak < 16 * MB
    assert time.perf_counter() - started < 5
    # Nothing staged is left, nothing unverified got in.
    assert [n for n in _names_in(cache) if not n.endswith(".gz")] == []


def test_a_mirror_that_never_stops_sending_is_cut_off(synthetic, hostile_mirror, tmp_path):
    name = "t10k-labels-idx1-ubyte"
    bound = _download.max_archive_size(synthetic.files["test-labels"])
    endless = hostile_mirror()
    endless.serve_all(synthetic)
    endless.route(f"{name}.gz", "endless")
    with pytest.raises(DownloadError) as info:
        fetch_mnist(subset="test", data_home=tmp_path, mirror=endless.url, progress=False)
    assert (f"{endless.url}{name}.gz: it sent more than the file can hold "
            f"({bound / 1e3:.1f} kB at most); the download was stopped there") in str(info.value)
    assert endless.sent < 16 * MB
    # An announced size that cannot be right is refused before anything is read.
    endless.route(f"{name}.gz", "announce", b"\x1f\x8b", length=10**10)
    with pytest.raises(DownloadError, match=r"it announces 10000\.0 MB, more than the file "
                                            r"can hold .*; nothing was downloaded"):
        fetch_mnist(subset="test", data_home=tmp_path, mirror=endless.url, progress=False)
    assert not any(n.startswith(".partial-") for n in _names_in(tmp_path))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("where", ["download", "decompression"])
def test_a_full_disk_is_reported_as_such(synthetic, hostile_mirror, tmp_path, monkeypatch,
                                         where):
    """The writes go to /dev/full, where the kernel answers ENOSPC, as on a full disk."""
    name = "t10k-images-idx3-ubyte"
    if where == "download":
        real_open = open

        def open_on_full_disk(path, mode="r", *args, **kwargs):
            return real_open("/dev/full" if "w" in mode else path, mode, *args, **kwargs)

        monkeypatch.setattr(_http, "open", open_on_full_disk, raising=False)
    else:
        real_mkdtemp = _cache.tempfile.mkdtemp

        def staging_on_full_disk(*args, **kwargs):
            folder = real_mkdtemp(*args, **kwargs)
            os.symlink("/dev/full", os.path.join(folder, name))
            return folder

        monkeypatch.setattr(_cache.tempfile, "mkdtemp", staging_on_full_disk)
    mirror = hostile_mirror()
    mirror.serve_all(synthetic)
    other = hostile_mirror()  # another mirror cannot help: it must not be tried
    other.serve_all(synthetic)
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as info:
        fetch_mnist(subset="test", data_home=cache, mirror=[mirror.url, other.url],
                    progress=False)
    assert str(info.value) == (
        f"The disk that holds the MNIST cache {cache} is full (No space left on device): "
        f"{name} needs 7.9 kB. Free some space there, or pass data_home= a folder on "
        "another disk."
    )
    assert other.requests == []
    assert _names_in(cache) == []


def test_errors_name_the_users_paths_not_staging_files(synthetic, hostile_mirror, tmp_path,
                                                       monkeypatch):
    # The decompressed file cannot be written: its name in the staging folder is taken
    # by a folder. The error names the cache, never the staging folder.
    name = "t10k-images-idx3-ubyte"
    real_mkdtemp = _cache.tempfile.mkdtemp

    def staging_with_a_folder_in_the_way(*args, **kwargs):
        folder = real_mkdtemp(*args, **kwargs)
        os.mkdir(os.path.join(folder, name))
        return folder

    monkeypatch.setattr(_cache.tempfile, "mkdtemp", staging_with_a_folder_in_the_way)
    mirror = hostile_mirror()
    mirror.serve_all(synthetic)
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as info:
        fetch_mnist(subset="test", data_home=cache, mirror=mirror.url, progress=False)
    assert f"{mirror.url}{name}.gz: Is a directory (writing into {cache})" in str(info.value)
    assert ".partial-" not in str(info.value)
    assert _names_in(cache) == []


# -- 2. A deadline and a stall rule ----------------------------------------------------


@pytest.fixture
def quick_rules(monkeypatch):
    """The stall rule of a test: less than 1 kB in half a second is a stall."""
    monkeypatch.setattr(_http, "STALL_SECONDS", 0.5)
    monkeypatch.setattr(_http, "STALL_BYTES", 1000)


def test_a_stalled_mirror_is_given_up(synthetic, hostile_mirror, tmp_path, quick_rules):
    name = "t10k-images-idx3-ubyte"
    slow = hostile_mirror()
    slow.serve_all(synthetic)
    slow.route(f"{name}.gz", "trickle", synthetic.gz(name), interval=0.02)  # 50 bytes/s
    started = time.perf_counter()
    with pytest.raises(DownloadError) as info:
        fetch_mnist(subset="test", data_home=tmp_path, mirror=slow.url, timeout=5,
                    deadline=None, progress=False)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert re.search(rf"{re.escape(slow.url)}{name}\.gz: stalled: \d+ bytes in the last "
                     r"[01] s \(less than 1\.0 kB in 0\.5 s\), \d+ bytes received in all",
                     message), message
    assert "MNISTKIT_MIRROR" in message
    assert "data_home" in message
    assert elapsed < 3, f"gave up after {elapsed:.1f} s"
    assert _names_in(tmp_path) == []
    # With another mirror, the stalled one only costs the stall.
    good = hostile_mirror()
    good.serve_all(synthetic)
    started = time.perf_counter()
    bunch = fetch_mnist(subset="test", data_home=tmp_path, mirror=[slow.url, good.url],
                        timeout=5, deadline=None, progress=False)
    np.testing.assert_array_equal(bunch.images, synthetic.arrays["test-images"])
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("kind", ["trickle", "silent"])
def test_the_deadline_ends_a_download_that_keeps_going(
    synthetic, hostile_mirror, tmp_path, monkeypatch, kind
):
    # A mirror just fast enough for the stall rule, or silent for less than the
    # timeout: only the deadline ends the download.
    monkeypatch.setattr(_http, "STALL_BYTES", 1)
    name = "t10k-images-idx3-ubyte"
    slow = hostile_mirror()
    slow.route(f"{name}.gz", kind, synthetic.gz(name),
               **({"interval": 0.02} if kind == "trickle" else {}))
    started = time.perf_counter()
    with pytest.raises(DownloadError) as info:
        fetch_mnist(subset="test", data_home=tmp_path, mirror=slow.url, timeout=30,
                    deadline=1, progress=False)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert re.search(rf"{re.escape(slow.url)}{name}\.gz: gave up when the deadline of 1 s "
                     r"passed, with \d+ bytes of \d\.\d kB received", message), message
    assert "pass a longer deadline=" in message
    assert "MNISTKIT_MIRROR" in message
    assert 0.9 < elapsed < 3, f"gave up after {elapsed:.1f} s"


@pytest.mark.parametrize("deadline", [0, -1, "60", True, float("nan")])
def test_a_deadline_that_is_no_number_of_seconds(tmp_path, refused_url, deadline):
    with pytest.raises(ValueError, match=re.escape(
        f"deadline must be a positive number of seconds, or None, got {deadline!r}."
    )):
        fetch_mnist(data_home=tmp_path, mirror=refused_url, deadline=deadline)


def test_the_rules_are_documented_as_they_are():
    doc = " ".join(fetch_mnist.__doc__.split())
    assert (f"less than {_http.STALL_BYTES // 1000} kB in {_http.STALL_SECONDS:g} seconds "
            "is given up sooner, as stalled") in doc
    assert f"deadline : float or None, default={_download.DEADLINE:g}" in doc
    # A stalled mirror costs the stall, far less than two minutes.
    assert _http.STALL_SECONDS <= 60


# -- 3. Processes that repair one damaged cache at once --------------------------------

_REPAIR_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time, warnings
    from mnistkit.datasets import _download, _fetchers, _registry

    registry, url, base, rounds, expected = json.loads(sys.argv[1])
    _fetchers.FILES = {k: _registry.IDXFile(*v) for k, v in registry.items()}
    set_aside = _download._set_aside

    def set_aside_under_load(*args):
        # The move comes a while after the check, as on a busy machine: every process
        # has found the file damaged before the first moves it aside.
        time.sleep(0.05)
        return set_aside(*args)

    _download._set_aside = set_aside_under_load
    warnings.simplefilter("ignore")
    for r in range(rounds):
        while not os.path.exists(os.path.join(base, f"go-{r}")):
            time.sleep(0.002)
        try:
            bunch = _fetchers.fetch_mnist(data_home=os.path.join(base, f"home-{r}"),
                                          mirror=url, progress=False)
            result = "ok" if int(bunch.data.sum()) == expected else "wrong data"
        except Exception as error:
            result = f"{type(error).__name__}: {error}"
        # Written aside, then renamed: the test reads a done- file as soon as it is there.
        part = os.path.join(base, f"part-{r}-{os.getpid()}")
        with open(part, "w") as f:
            f.write(result)
        os.replace(part, os.path.join(base, f"done-{r}-{os.getpid()}"))
    """
)


def test_processes_repairing_one_damaged_cache_never_fail(synthetic, make_mirror, tmp_path):
    processes, rounds = 4, 3
    mirror = make_mirror()
    mirror.serve_all(synthetic)
    name = "train-images-idx3-ubyte"
    good = synthetic.raw[name]
    damaged = bytearray(good)
    damaged[100] ^= 1  # one byte: only the hash tells
    registry = {k: list(v) for k, v in synthetic.files.items()}
    expected = int(synthetic.arrays["train-images"].sum())
    argument = json.dumps([registry, mirror.url, str(tmp_path), rounds, expected])
    workers = [subprocess.Popen([sys.executable, "-c", _REPAIR_SCRIPT, argument])
               for _ in range(processes)]
    results, finished = [], False
    try:
        for r in range(rounds):
            home = synthetic.write_folder(tmp_path / f"home-{r}", compressed=False)
            (home / name).write_bytes(bytes(damaged))
            (tmp_path / f"go-{r}").touch()
            deadline = time.monotonic() + 60
            while len(list(tmp_path.glob(f"done-{r}-*"))) < processes:
                assert time.monotonic() < deadline, "the processes did not finish"
                time.sleep(0.01)
            results += [p.read_text() for p in tmp_path.glob(f"done-{r}-*")]
            # Repaired, and the damaged copy kept as it was (never a repaired one moved
            # aside over it).
            assert (home / name).read_bytes() == good
            assert (home / f"{name}.invalid").read_bytes() == bytes(damaged)
            assert sorted(_names_in(home)) == sorted([*synthetic.raw, f"{name}.invalid"])
        finished = True
    finally:
        for worker in workers:
            if not finished:
                worker.kill()  # it waits for rounds that will not come
            worker.wait(timeout=60)
    assert results == ["ok"] * (processes * rounds)
    assert [w.returncode for w in workers] == [0] * processes


def test_a_repair_leaves_a_file_repaired_meanwhile_alone(synthetic, tmp_path, recwarn):
    # A process found the cached file damaged; before it moved it aside, another
    # process repaired it. The repaired file must stay.
    entry = synthetic.files["train-images"]
    folder = synthetic.write_folder(tmp_path, compressed=False)
    final = folder / entry.name
    final.write_bytes(b"\x00" * entry.size)
    found = _cache.identity(os.stat(final))
    repaired = folder / "repaired"
    repaired.write_bytes(synthetic.raw[entry.name])
    os.replace(repaired, final)
    assert not _download._set_aside(str(final), "it is damaged", found)
    assert final.read_bytes() == synthetic.raw[entry.name]
    assert not (folder / f"{entry.name}.invalid").exists()
    assert len(recwarn) == 0


# -- 4. Leftovers, and the user's paths in errors --------------------------------------

_DOWNLOAD_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from mnistkit.datasets import _fetchers, _registry
    registry, home, url = json.loads(sys.argv[1])
    _fetchers.FILES = {k: _registry.IDXFile(*v) for k, v in registry.items()}
    bunch = _fetchers.fetch_mnist(subset="test", data_home=home, mirror=url, progress=False)
    print(int(bunch.data.sum()))
    """
)


def _partials(folder):
    return {n for n in _names_in(folder) if n.startswith(".partial-")}


def _wait_for(condition, what, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_a_killed_download_leaves_a_folder_the_next_fetch_removes(
    synthetic, hostile_mirror, make_mirror, tmp_path
):
    cache = tmp_path / "cache"
    gate = threading.Event()
    held = hostile_mirror()
    held.serve_all(synthetic)
    name = "t10k-images-idx3-ubyte"
    held.route(f"{name}.gz", "gate", synthetic.gz(name), gate=gate)
    registry = {k: list(v) for k, v in synthetic.files.items()}
    argument = json.dumps([registry, str(cache), held.url])
    command = [sys.executable, "-c", _DOWNLOAD_SCRIPT, argument]

    def downloading(count):
        return lambda: held.requests.count(f"/mnist/{name}.gz") >= count

    # One download killed half-way: SIGTERM runs no clean-up.
    killed = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _wait_for(downloading(1), "the first download")
    stale = _partials(cache)
    assert len(stale) == 1
    killed.send_signal(signal.SIGTERM)
    killed.wait(timeout=30)
    assert _partials(cache) == stale
    # Another, alive, half-way through the same file.
    alive = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        _wait_for(downloading(2), "the second download")
        live = _partials(cache) - stale
        assert len(live) == 1
        # The next fetch, of other files, sweeps: the stale folder only.
        good = make_mirror()
        good.serve_all(synthetic)
        fetch_mnist(subset="train", data_home=cache, mirror=good.url, progress=False)
        assert _partials(cache) == live
    finally:
        gate.set()
        output = alive.communicate(timeout=60)[0]
    assert alive.returncode == 0
    assert output.split() == [str(int(synthetic.arrays["test-images"].sum()))]
    assert _partials(cache) == set()
    assert _names_in(cache) == sorted(synthetic.raw)


def test_data_home_that_is_a_file(synthetic, tmp_path, monkeypatch, refused_url):
    path = tmp_path / "mnist"
    path.write_bytes(b"not a folder")
    with pytest.raises(NotADirectoryError) as info:
        fetch_mnist(data_home=path, mirror=refused_url)
    assert str(info.value) == (
        f"data_home {path} is a file, not a folder. Pass data_home= a folder (it is made "
        "if missing), or move the file away."
    )
    with pytest.raises(NotADirectoryError, match=re.escape(
        f"data_home {path / 'a' / 'b'} cannot be made: {path} is a file, not a folder."
    )):
        fetch_mnist(data_home=path / "a" / "b", download_if_missing=False)
    monkeypatch.setenv("MNISTKIT_DATA_DIR", str(path))
    with pytest.raises(NotADirectoryError, match=re.escape(
        f"MNISTKIT_DATA_DIR {path} is a file, not a folder."
    )):
        fetch_mnist(mirror=refused_url)
    assert path.read_bytes() == b"not a folder"


# -- 5. Malformed IDX headers ----------------------------------------------------------

_MALFORMED = {
    "empty": (b"", "is not an IDX file: it holds 0 bytes, fewer than a header"),
    "short": (b"\x00\x00\x08", "is not an IDX file: it holds 3 bytes, fewer than a header"),
    "magic": (b"\x01\x02\x08\x01" + bytes(5), "its magic number starts with 0102"),
    "type": (b"\x00\x00\x42\x01" + bytes(5), "unknown IDX data type byte 0x42"),
    "no dimensions": (b"\x00\x00\x08\x00", "announces 0 dimensions"),
    "cut header": (b"\x00\x00\x08\x03" + bytes(6), "truncated inside its header"),
    # 65536**4 values: numpy's int64 product wraps to 0, which an empty file "matches".
    "overflow": (_header((65536,) * 4), r"has a damaged IDX header: it announces shape "
                 r"\(65536, 65536, 65536, 65536\) of uint8, 1\.84e\+19 bytes of data, more "
                 r"than any array can hold"),
    "overflow of wider values": (_header((2**32 - 1,) * 2, 0x0E) + bytes(8),
                                 r"damaged IDX header: .* of float64, 1\.48e\+20 bytes"),
    "huge, not there": (_header((2**31, 2**30), 0x08) + bytes(8),
                        r"is truncated: .*\(2147483648, 1073741824\).*holds 8"),
}


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("case", list(_MALFORMED))
def test_every_malformed_header_is_a_value_error_naming_the_file(tmp_path, case, compress):
    payload, expected = _MALFORMED[case]
    path = tmp_path / f"{case.replace(' ', '-')}-idx"
    path.write_bytes(gzip.compress(payload) if compress else payload)
    with pytest.raises(ValueError, match=expected) as info:
        read_idx(path)
    assert type(info.value) is ValueError
    assert str(info.value).startswith(str(path))
