"""Getting one verified IDX file into the cache: local copies first, then mirrors.

Every file is written to a private staging folder beside the cache, verified
there, and only then moved to its final name with ``os.replace``, which is
atomic on one file system. A download that fails, is cut short or does not
verify therefore never leaves a file under the final name, and two processes
filling the same cache at once each move in a complete, verified file.
"""

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
import zlib

import pooch
import requests

from ._idx import GZIP_MAGIC
from ._registry import MIRRORS

# Transient failures are tried again, after these pauses (seconds), before the
# next mirror: a server that is briefly overloaded (429, 502, 503, 504), a
# request that timed out on the server (408), a connection reset or cut short.
RETRY_DELAYS = (0.5, 1.0, 2.0)
_TRANSIENT_STATUS = frozenset({408, 429, 502, 503, 504})
# How requests words a connection reset or cut (urllib3's ProtocolError and
# IncompleteRead, http.client's RemoteDisconnected).
_TRANSIENT_WORDS = ("reset by peer", "Connection aborted", "Connection broken",
                    "RemoteDisconnected", "IncompleteRead")


class DownloadError(OSError):
    """MNIST could not be obtained from any mirror or local copy."""


def resolve_mirrors(mirror=None):
    """Return the mirror base URLs to try, in order.

    ``mirror`` (a URL, a comma-separated string of URLs, or a list) wins over the
    ``MNISTKIT_MIRROR`` environment variable, which wins over the defaults.
    """
    if mirror is None:
        mirror = os.environ.get("MNISTKIT_MIRROR") or None
    if mirror is None:
        return list(MIRRORS)
    if isinstance(mirror, str):
        mirror = mirror.split(",")
    urls = [str(url).strip() for url in mirror if str(url).strip()]
    if not urls:
        msg = "No mirror given: pass a base URL such as 'https://host/mnist/' or leave it unset."
        raise ValueError(msg)
    return [url if url.endswith("/") else url + "/" for url in urls]


def verify(path, entry):
    """Return ``None`` if ``path`` is the expected IDX file, else why not."""
    size = os.path.getsize(path)
    if size != entry.size:
        return f"it holds {size:,} bytes instead of {entry.size:,}"
    if pooch.file_hash(path, alg="sha256") != entry.sha256:
        return "its SHA-256 does not match the official file's"
    return None


def _install(archive, entry, folder, staging):
    """Decompress ``archive`` into ``staging``, verify it, move it into ``folder``.

    Raises ``ValueError`` saying why the file was refused; nothing is left
    under the final name in that case.
    """
    candidate = os.path.join(staging, entry.name)
    with open(archive, "rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
    if not compressed:
        # A mirror or a folder may hold the file itself under the archive's name.
        shutil.copyfile(archive, candidate)
    else:
        # pooch's processor writes beside the archive, under ``name``: a path into
        # the staging folder (a sub-folder of the archive's) keeps the cache clean.
        name = os.path.relpath(candidate, os.path.dirname(archive))
        try:
            candidate = pooch.Decompress(method="gzip", name=name)(archive, "download", None)
        except (OSError, EOFError, zlib.error) as error:
            msg = f"it is a damaged or truncated gzip archive ({error})"
            raise ValueError(msg) from error
    problem = verify(candidate, entry)
    if problem is not None:
        raise ValueError(problem)
    final = os.path.join(folder, entry.name)
    os.replace(candidate, final)
    return final


def _size(n_bytes):
    """A file size in the unit that shows it: the label files are kilobytes."""
    if n_bytes < 1e3:
        return f"{n_bytes} bytes"
    if n_bytes < 1e6:
        return f"{n_bytes / 1e3:.1f} kB"
    return f"{n_bytes / 1e6:.1f} MB"


class _ProgressBar:
    """A small text progress bar with the interface pooch expects of tqdm."""

    def __init__(self, label, stream=None):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.total = 0
        self.n = 0
        self._drawn = None
        self._open = False

    def update(self, count):
        self.n = min(self.n + count, self.total) if self.total else self.n + count
        # Redraw only when the visible text changes: a terminal is slow to write to.
        step = int(100 * self.n / self.total) if self.total else self.n >> 20
        if step != self._drawn:
            self._drawn = step
            self._draw()

    def reset(self):
        self.n = 0
        self._drawn = None

    def close(self):
        self._draw()
        self.end_line()

    def end_line(self):
        """End the bar's line, so that what is printed next starts on a line of its own."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False

    def _draw(self):
        if self.total:
            bar = "#" * int(30 * self.n / self.total)
            # Kilobytes for the label files: "0.0/0.0 MB" said nothing.
            unit, scale = ("MB", 1e6) if self.total >= 1e6 else ("kB", 1e3)
            text = f"{self.n / scale:5.1f}/{self.total / scale:.1f} {unit}"
            line = f"\r{self.label:<28} [{bar:<30}] {text}"
        else:
            line = f"\r{self.label:<28} {_size(self.n):>8}"
        self.stream.write(line)
        self.stream.flush()
        self._open = True


@contextlib.contextmanager
def _quiet_pooch():
    # pooch logs the hash of every file fetched without a known hash; ours are
    # verified after decompression, so that advice would only mislead.
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _describe(error):
    """One short line saying why a source failed, in a user's words."""
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code} {error.response.reason}"
    if isinstance(error, requests.Timeout):
        return "no answer before the timeout"
    text = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, requests.ConnectionError):
        # requests nests the cause deep inside its message; the errno text is what helps.
        cause = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
        reason = cause.group(1) if cause else "the connection failed"
        return f"could not connect ({reason.strip()})"
    return text if len(text) <= 160 else text[:157] + "..."


def _is_transient(error):
    """Whether trying the same mirror again a moment later may succeed."""
    if isinstance(error, requests.HTTPError):
        response = error.response
        return response is not None and response.status_code in _TRANSIENT_STATUS
    if isinstance(error, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        if isinstance(error, requests.ConnectTimeout):
            return False
        text = str(error)
        return any(words in text for words in _TRANSIENT_WORDS)
    return False


def _download(url, entry, staging, *, progress, timeout):
    """Download one archive into ``staging``, trying transient failures again."""
    for delay in (*RETRY_DELAYS, None):
        bar = _ProgressBar(f"Downloading {entry.name}") if progress is True else False
        downloader = pooch.HTTPDownloader(progressbar=bar, timeout=timeout, chunk_size=65536)
        try:
            with _quiet_pooch():
                return pooch.retrieve(
                    url, known_hash=None, fname=entry.name + ".gz", path=staging,
                    downloader=downloader,
                )
        except Exception as error:
            if delay is None or not _is_transient(error):
                raise
        finally:
            # Whatever happens (a failure, Ctrl-C), the next message starts on a new line.
            if bar:
                bar.end_line()
        time.sleep(delay)
    return None  # not reached: the last attempt returns or raises


def ensure_file(entry, folder, *, mirrors, download_if_missing=True, progress=None, timeout=30):
    """Return the path of a verified copy of ``entry`` in ``folder``.

    Looked for, in order: the decompressed file already in ``folder``; its
    ``.gz`` archive in ``folder``; each mirror. A cached file that no longer
    verifies is set aside as ``*.invalid``, with a warning, and fetched again.

    ``progress``: True for a progress bar on standard error, False for
    silence, None for a bar when standard error is a terminal and otherwise
    one line per downloaded file (for logs, where a bar would be noise and
    silence would look hung).
    """
    final = os.path.join(folder, entry.name)
    cached_problem = None
    if os.path.exists(final):
        cached_problem = verify(final, entry)
        if cached_problem is None:
            return final
        _set_aside(final, entry, cached_problem)

    archive = final + ".gz"
    failures = []
    if os.path.exists(archive):
        with _staging(folder) as staging:
            try:
                return _install(archive, entry, folder, staging)
            except ValueError as error:
                failures.append((archive, str(error)))

    if not download_if_missing:
        msg = _missing_message(entry, folder, cached_problem, failures)
        raise DownloadError(msg)

    if progress is None:
        progress = True if sys.stderr.isatty() else "line"
    for base in mirrors:
        url = base + entry.name + ".gz"
        with _staging(folder) as staging:
            start = time.perf_counter()
            try:
                fetched = _download(url, entry, staging, progress=progress, timeout=timeout)
                size = os.path.getsize(fetched)
                path = _install(fetched, entry, folder, staging)
            except Exception as error:
                failures.append((url, _describe(error)))
                continue
            if progress == "line":
                print(
                    f"Downloaded {entry.name}.gz ({_size(size)}) in "
                    f"{time.perf_counter() - start:.1f} s from {base}",
                    file=sys.stderr, flush=True,
                )
            return path
    raise DownloadError(_failed_message(entry, folder, cached_problem, failures))


def _set_aside(final, entry, problem):
    """Move a cached file that does not verify out of the way, and say so."""
    # Set aside, not deleted: it may be a user's own (say, Fashion-MNIST).
    size = os.path.getsize(final)
    with contextlib.suppress(OSError):
        os.replace(final, final + ".invalid")
    if not os.path.exists(final + ".invalid"):
        return
    msg = (
        f"The cached MNIST file {final} was refused because {problem}. It was moved to "
        f"{final}.invalid ({_size(size)}); delete that file if you do not need it."
    )
    warnings.warn(msg, UserWarning, stacklevel=4)


def _missing_ancestors(folder):
    """The folders that ``os.makedirs(folder)`` would create, deepest first."""
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return missing


@contextlib.contextmanager
def _staging(folder):
    """A private staging folder inside ``folder``; ``folder`` is made if missing.

    Folders this call made are removed again if they are still empty at the end
    (a failed or interrupted download): the cache is only created when
    something is written to it.
    """
    created = _missing_ancestors(folder)
    os.makedirs(folder, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".partial-", dir=folder)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for made in created:
            try:
                os.rmdir(made)  # only if empty; another process may be filling it
            except OSError:
                break


_ADVICE = (
    "Check the network, set MNISTKIT_MIRROR to a mirror you can reach "
    "(several may be given, separated by commas), or pass data_home= a folder "
    "that holds the four IDX files (gzip-compressed or not)."
)


def _missing_message(entry, folder, cached_problem, failures):
    lines = [f"{entry.name} is not in the MNIST cache {folder} and download_if_missing=False."]
    if cached_problem:
        lines.append(
            f"The cached copy was moved to {entry.name}.invalid because {cached_problem}."
        )
    lines += [f"  {source}: {why}" for source, why in failures]
    lines.append("Allow the download, or " + _ADVICE[0].lower() + _ADVICE[1:])
    return "\n".join(lines)


def _failed_message(entry, folder, cached_problem, failures):
    lines = [f"MNIST file {entry.name} could not be downloaded from any mirror (tried:"]
    lines += [f"  {source}: {why}" for source, why in failures]
    lines[-1] += ")."
    if cached_problem:
        lines.append(
            f"The copy that was cached in {folder} was refused because {cached_problem}; "
            f"it was kept as {entry.name}.invalid."
        )
    lines.append(_ADVICE)
    return "\n".join(lines)
