"""Getting one verified IDX file into the cache: local copies first, then mirrors.

Every file is written to a private staging folder beside the cache, verified
there, and only then moved to its final name with ``os.replace``, which is
atomic on one file system. A download that fails, is cut short or does not
verify therefore never leaves a file under the final name, and several processes
filling the same cache at once each move in a complete, verified file.

Nothing read from a mirror or a folder is trusted with more than the registry
allows: a download stops at the size an archive of the file can have, and
decompression stops one byte past the file's registered size, so neither a
mirror that never stops sending nor a small archive that inflates to gigabytes
can fill the disk or the memory. See ``_http`` for the deadline and stall rule
of a download, ``_cache`` for how processes share the cache folder.
"""

import contextlib
import errno
import logging
import os
import re
import shutil
import sys
import time
import warnings

import pooch
import requests

from ._cache import STAGING_PREFIX, folder_lock, identity, is_disk_full, staging
from ._http import DeadlinePassed, Rules, Transfer, size_text
from ._inflate import GZIP_MAGIC, BoundedGzip, DamagedGzip
from ._registry import MIRRORS

# The most seconds one file may take to download from one mirror, retries included.
DEADLINE = 600.0

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


def max_archive_size(entry):
    """The most bytes an archive of ``entry`` can hold: its content stored uncompressed
    (5 bytes per 64 kB block), the gzip header with room for a name and extra fields."""
    return entry.size + entry.size // 1000 + 131_072


def _inflate(f, candidate, entry):
    """Decompress ``f`` into ``candidate``, one byte past ``entry``'s size at most;
    return how many bytes were written."""
    written = 0
    with open(candidate, "wb") as out, BoundedGzip(f) as gz:
        for piece in gz.pieces(entry.size):
            out.write(piece)
            written += len(piece)
    return written


def _install(archive, entry, folder, staging_folder):
    """Decompress ``archive`` into ``staging_folder``, verify it, move it into ``folder``.

    Decompression stops one byte past the registered size of ``entry``. Raises
    ``ValueError`` saying why the file was refused; nothing is left under the
    final name in that case. Errors writing the file (a full disk) are raised as
    they are.
    """
    candidate = os.path.join(staging_folder, entry.name)
    with open(archive, "rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
        f.seek(0)
        if not compressed:
            # A mirror or a folder may hold the file itself under the archive's name.
            size = os.fstat(f.fileno()).st_size
            if size != entry.size:
                msg = f"it holds {size:,} bytes instead of {entry.size:,}"
                raise ValueError(msg)
            with open(candidate, "wb") as out:
                shutil.copyfileobj(f, out)
            written = size
        else:
            try:
                written = _inflate(f, candidate, entry)
            except DamagedGzip as error:
                msg = f"it is a damaged or truncated gzip archive ({error})"
                raise ValueError(msg) from error
    if written > entry.size:
        msg = (
            f"it decompresses to more than the {entry.size:,} bytes of {entry.name}; "
            "decompression was stopped there"
        )
        raise ValueError(msg)
    problem = verify(candidate, entry)
    if problem is not None:
        raise ValueError(problem)
    final = os.path.join(folder, entry.name)
    # Under the lock: a process setting a damaged file aside checks, then moves, the
    # very file it found damaged; no verified file may come in between.
    with folder_lock(folder):
        os.replace(candidate, final)
    return final


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
            line = f"\r{self.label:<28} {size_text(self.n):>8}"
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


def _describe(error, folder):
    """One short line saying why a source failed, in a user's words.

    Paths are the user's: a file of a staging folder is named by ``folder``, the
    cache it stands in.
    """
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code} {error.response.reason}"
    if isinstance(error, requests.Timeout):
        return "no answer before the timeout"
    if isinstance(error, OSError) and error.strerror and error.filename:
        if STAGING_PREFIX in os.fspath(error.filename):
            return f"{error.strerror} (writing into {folder})"
        return f"{error.strerror}: {os.fspath(error.filename)}"
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


def _download(url, entry, staging_folder, *, progress, timeout, deadline=None):
    """Download one archive into ``staging_folder``, trying transient failures again.

    ``deadline``: the most seconds all the attempts may take together (None: no
    limit but the stall rule's).
    """
    rules = Rules(deadline)
    for delay in (*RETRY_DELAYS, None):
        bar = _ProgressBar(f"Downloading {entry.name}") if progress is True else False
        transfer = Transfer(rules, timeout=timeout, max_bytes=max_archive_size(entry),
                            progressbar=bar)
        try:
            with _quiet_pooch():
                return pooch.retrieve(
                    url, known_hash=None, fname=entry.name + ".gz", path=staging_folder,
                    downloader=transfer,
                )
        except Exception as error:
            remaining = rules.remaining()
            if (delay is None or not _is_transient(error)
                    or (remaining is not None and remaining <= delay)):
                raise
        finally:
            # Whatever happens (a failure, Ctrl-C), the next message starts on a new line.
            if bar:
                bar.end_line()
        time.sleep(delay)
    return None  # not reached: the last attempt returns or raises


# A cached file that cannot be read (another process is repairing it) is looked at
# again this many times before it is fetched anew.
_LOOKS = 5
_MISSING = "missing"
_CHANGED = "changed"


def _check_cached(final, entry):
    """``None`` if the cached file verifies; ``_MISSING``; ``_CHANGED`` if another
    process replaced it while it was being read; else ``(why, identity)`` of the
    file that does not verify."""
    try:
        before = os.stat(final)
        problem = verify(final, entry)
        after = os.stat(final)
    except FileNotFoundError:
        return _MISSING if not os.path.lexists(final) else _CHANGED
    if identity(before) != identity(after):
        return _CHANGED
    if problem is None:
        return None
    return problem, identity(after)


# The errors that mean the cache folder cannot be written to.
_CANNOT_WRITE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def _cache_error(error, entry, folder):
    """The error to raise for a failure to write into the cache, or None for another."""
    if not isinstance(error, OSError) or error.errno is None:
        return None
    if is_disk_full(error):
        msg = (
            f"The disk that holds the MNIST cache {folder} is full ({error.strerror}): "
            f"{entry.name} needs {size_text(entry.size)}. Free some space there, or pass "
            "data_home= a folder on another disk."
        )
        return DownloadError(msg)
    if error.errno in _CANNOT_WRITE:
        msg = (
            f"The MNIST cache {folder} cannot be written to ({error.strerror}). Pass "
            "data_home= a folder you can write to."
        )
        return DownloadError(msg)
    return None


def ensure_file(entry, folder, *, mirrors, download_if_missing=True, progress=None, timeout=30,
                deadline=DEADLINE):
    """Return the path of a verified copy of ``entry`` in ``folder``.

    Looked for, in order: the decompressed file already in ``folder``; its
    ``.gz`` archive in ``folder``; each mirror. A cached file that no longer
    verifies is set aside as ``*.invalid``, with a warning, and fetched again;
    other processes may be doing the same at the same time.

    ``progress``: True for a progress bar on standard error, False for
    silence, None for a bar when standard error is a terminal and otherwise
    one line per downloaded file (for logs, where a bar would be noise and
    silence would look hung). ``timeout``: seconds to wait for each read;
    ``deadline``: for each file from each mirror (see ``_http``).
    """
    final = os.path.join(folder, entry.name)
    cached_problem = None
    for _ in range(_LOOKS):
        state = _check_cached(final, entry)
        if state is None:
            return final
        if state == _MISSING:
            break
        if state != _CHANGED:
            problem, found = state
            if _set_aside(final, problem, found):
                cached_problem = problem
                break

    archive = final + ".gz"
    failures = []
    if os.path.exists(archive):
        try:
            with staging(folder) as staging_folder:
                return _install(archive, entry, folder, staging_folder)
        except ValueError as error:
            failures.append((archive, str(error)))
        except OSError as error:
            if is_disk_full(error):
                raise _cache_error(error, entry, folder) from error
            failures.append((archive, _describe(error, folder)))

    if not download_if_missing:
        msg = _missing_message(entry, folder, cached_problem, failures)
        raise DownloadError(msg)

    if progress is None:
        progress = True if sys.stderr.isatty() else "line"
    gave_up = False
    for base in mirrors:
        url = base + entry.name + ".gz"
        try:
            with staging(folder) as staging_folder:
                start = time.perf_counter()
                fetched = _download(url, entry, staging_folder, progress=progress,
                                    timeout=timeout, deadline=deadline)
                size = os.path.getsize(fetched)
                path = _install(fetched, entry, folder, staging_folder)
        except Exception as error:
            cache_error = _cache_error(error, entry, folder)
            if cache_error is not None:
                raise cache_error from error
            gave_up = gave_up or isinstance(error, DeadlinePassed)
            failures.append((url, _describe(error, folder)))
            continue
        if progress == "line":
            print(
                f"Downloaded {entry.name}.gz ({size_text(size)}) in "
                f"{time.perf_counter() - start:.1f} s from {base}",
                file=sys.stderr, flush=True,
            )
        return path
    raise DownloadError(_failed_message(entry, folder, cached_problem, failures, gave_up))


def _set_aside(final, problem, found):
    """Move the cached file that does not verify out of the way, and say so.

    ``found`` is the identity of the file that was checked: it is moved only if it
    is still the one under the final name (another process may have set it aside,
    or moved in a verified copy, since). Returns False when it was not, so that
    the file is looked at again; True when it is out of the way, or cannot be moved.
    """
    # Set aside, not deleted: it may be a user's own (say, Fashion-MNIST).
    with folder_lock(os.path.dirname(final)):
        try:
            current = os.stat(final)
        except FileNotFoundError:
            return False
        if identity(current) != found:
            return False
        try:
            os.replace(final, final + ".invalid")
        except OSError:
            return True
    msg = (
        f"The cached MNIST file {final} was refused because {problem}. It was moved to "
        f"{final}.invalid ({size_text(current.st_size)}); delete that file if you do not need it."
    )
    warnings.warn(msg, UserWarning, stacklevel=4)
    return True


_ADVICE = (
    "Check the network, set MNISTKIT_MIRROR to a mirror you can reach "
    "(several may be given, separated by commas), or pass data_home= a folder "
    "that holds the four IDX files (gzip-compressed or not)."
)
# What works with no network at all, for Python users (the command line says it
# in its own words).
OFFLINE_HINT = (
    "To work offline meanwhile, mnistkit.load_sample() gives the 3,000-image sample "
    "shipped with mnistkit."
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


def _failed_message(entry, folder, cached_problem, failures, gave_up=False):
    lines = [f"MNIST file {entry.name} could not be downloaded from any mirror (tried:"]
    lines += [f"  {source}: {why}" for source, why in failures]
    lines[-1] += ")."
    if cached_problem:
        lines.append(
            f"The copy that was cached in {folder} was refused because {cached_problem}; "
            f"it was kept as {entry.name}.invalid."
        )
    lines.append(_ADVICE)
    if gave_up:
        lines.append("On a slow connection, pass a longer deadline= (or deadline=None).")
    lines.append(OFFLINE_HINT)
    return "\n".join(lines)
