"""Shared fixtures: synthetic MNIST files, a loopback HTTP mirror, servers in threads,
models fitted on the shipped sample."""

import contextlib
import gzip
import hashlib
import http.server
import os
import socket
import struct
import threading
import time

# Under pytest-xdist each worker gets its share of the cores for the BLAS and OpenMP
# pools, set before numpy loads them: on two cores, two workers of two threads each took
# 30% longer over the suite than two of one thread. Processes the tests start inherit it.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    _CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    _SHARE = str(max(1, (_CORES or 1) // _WORKERS))
    for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, _SHARE)

import numpy as np
import pytest

from mnistkit import MNISTClassifier, load_sample
from mnistkit.datasets import _download, _registry


def idx_bytes(array):
    """Encode a uint8 array as an IDX file."""
    array = np.asarray(array, dtype=np.uint8)
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


class SyntheticMNIST:
    """Four small IDX files, and a registry that describes them."""

    def __init__(self, seed=0):
        rng = np.random.default_rng(seed)
        self.arrays = {
            "train-images": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
            "train-labels": np.arange(30, dtype=np.uint8) % 10,
            "test-images": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
            "test-labels": np.arange(10, dtype=np.uint8)[::-1].copy(),
        }
        self.raw = {}
        self.files = {}
        for key, array in self.arrays.items():
            name = _registry.FILES[key].name
            payload = idx_bytes(array)
            self.raw[name] = payload
            self.files[key] = _registry.IDXFile(
                name, hashlib.sha256(payload).hexdigest(), len(payload), "0" * 64
            )

    def gz(self, name):
        return gzip.compress(self.raw[name], mtime=0)

    def write_folder(self, folder, compressed):
        folder.mkdir(parents=True, exist_ok=True)
        for name, payload in self.raw.items():
            if compressed:
                (folder / f"{name}.gz").write_bytes(self.gz(name))
            else:
                (folder / name).write_bytes(payload)
        return folder


@pytest.fixture
def synthetic(monkeypatch):
    """Synthetic MNIST files, with mnistkit's registry pointed at them."""
    data = SyntheticMNIST()
    monkeypatch.setattr(_registry, "FILES", data.files)
    from mnistkit.datasets import _fetchers

    monkeypatch.setattr(_fetchers, "FILES", data.files)
    monkeypatch.delenv("MNISTKIT_MIRROR", raising=False)
    monkeypatch.delenv("MNISTKIT_DATA_DIR", raising=False)
    # Transient failures are tried again at once: the pauses are not what is tested.
    monkeypatch.setattr(_download, "RETRY_DELAYS", (0.01, 0.01, 0.01))
    return data


class _MirrorHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        failures = self.server.failures.get(self.path)
        if failures:
            failure = failures.pop(0)
            if failure == "reset":
                self._reset()
            else:
                self.send_error(failure)
            return
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        status, body, announced = route
        if status != 200:
            self.send_error(status)
            return
        barrier = self.server.barriers.get(self.path)
        if barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        self.send_response(200)
        self.send_header("Content-Type", "application/gzip")
        self.send_header("Content-Length", str(announced if announced is not None else len(body)))
        self.end_headers()
        delay = self.server.delay
        if delay:
            # Slowly, in pieces, so that concurrent clients overlap.
            step = max(1, len(body) // 4)
            for start in range(0, len(body), step):
                self.wfile.write(body[start:start + step])
                self.wfile.flush()
                time.sleep(delay / 4)
        else:
            self.wfile.write(body)

    def _reset(self):
        # Close with a TCP reset (linger 0): the client sees "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, *args):
        pass


class Mirror:
    """A loopback HTTP server whose answers each test sets path by path."""

    def __init__(self, prefix):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _MirrorHandler)
        self.server.daemon_threads = True
        self.server.routes = {}
        self.server.failures = {}
        self.server.barriers = {}
        self.server.requests = []
        self.server.delay = 0.0
        self.prefix = prefix
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def requests(self):
        return self.server.requests

    def serve(self, name, body, status=200, announced=None):
        self.server.routes[f"{self.prefix}{name}"] = (status, body, announced)

    def serve_all(self, synthetic):
        for name in synthetic.raw:
            self.serve(f"{name}.gz", synthetic.gz(name))

    def fail_first(self, name, *failures):
        """Answer the next requests for ``name`` with these failures, in order: an
        HTTP status, or "reset" for a connection reset; then serve as usual."""
        self.server.failures[f"{self.prefix}{name}"] = list(failures)

    def hold(self, name, clients, timeout=60):
        """Answer no request for ``name`` until ``clients`` requests for it have come
        (or ``timeout`` seconds have passed): the clients then download at once."""
        self.server.barriers[f"{self.prefix}{name}"] = threading.Barrier(clients, timeout=timeout)

    def slow_down(self, seconds):
        """Take about ``seconds`` to send each file."""
        self.server.delay = seconds

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_mirror():
    """Start loopback mirrors; each is shut down at the end of the test."""
    mirrors = []

    def start(prefix="/mnist/"):
        mirrors.append(Mirror(prefix))
        return mirrors[-1]

    yield start
    for mirror in mirrors:
        mirror.close()


@pytest.fixture
def refused_url():
    """A loopback URL on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


@contextlib.contextmanager
def served_in_a_thread(server):
    """Serve ``server`` (an ``http.server`` server) in a thread until the block ends."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def fitted_on_sample():
    """``fitted_on_sample(**params)``: ``MNISTClassifier(random_state=0, **params)``
    fitted on the shipped sample's 2,000 training images.

    Each setting is fitted once per session and the model is shared by every test
    that asks for it (the same few settings were fitted again in a dozen files):
    predict, assess and save with it, but clone it before fitting or changing it.
    """
    X, y = load_sample(return_X_y=True)
    models = {}

    def fitted(**params):
        key = repr(sorted(params.items()))
        if key not in models:
            models[key] = MNISTClassifier(random_state=0, **params).fit(X, y)
        return models[key]

    return fitted
