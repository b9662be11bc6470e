"""Getting one verified IDX file into the cache: local copies first, then mirrors.

Every file is written to a private staging folder beside the cache, verified
there, and only then moved to its final name with ``os.replace``, which is
atomic on one file system. A download that fails, is cut short or does not
verify therefore never leaves a file under the final name, and two processes
filling the same cache at once each move in a complete, verified file.
"""

import contextlib
import gzip
import hashlib
import logging
import os
import re
import shutil
import sys
import tempfile
import zlib

import pooch

from ._registry import MIRRORS

_CHUNK = 1 << 20


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


def file_sha256(path):
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path, entry):
    """Return ``None`` if ``path`` is the expected IDX file, else why not."""
    size = os.path.getsize(path)
    if size != entry.size:
        return f"it holds {size:,} bytes instead of {entry.size:,}"
    if file_sha256(path) != entry.sha256:
        return "its SHA-256 does not match the official file's"
    return None


def _decompress_to(source, target):
    """Write the content of ``source`` (gzip or raw) to ``target``."""
    with open(source, "rb") as f:
        compressed = f.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    try:
        with opener(source, "rb") as fin, open(target, "wb") as fout:
            shutil.copyfileobj(fin, fout, _CHUNK)
    except (OSError, EOFError, zlib.error) as error:
        msg = f"it is a damaged or truncated gzip archive ({error})"
        raise ValueError(msg) from error


def _install(source, entry, folder, staging):
    """Decompress ``source`` into ``staging``, verify it, move it into ``folder``.

    Raises ``ValueError`` saying why the file was refused; nothing is left
    under the final name in that case.
    """
    candidate = os.path.join(staging, entry.name)
    _decompress_to(source, candidate)
    problem = verify(candidate, entry)
    if problem is not None:
        raise ValueError(problem)
    final = os.path.join(folder, entry.name)
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
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self):
        if self.total:
            done = self.n / self.total
            bar = "#" * int(30 * done)
            text = f"{self.n / 1e6:5.1f}/{self.total / 1e6:.1f} MB"
            line = f"\r{self.label:<28} [{bar:<30}] {text}"
        else:
            line = f"\r{self.label:<28} {self.n / 1e6:5.1f} MB"
        self.stream.write(line)
        self.stream.flush()


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
    import requests

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


def ensure_file(entry, folder, *, mirrors, download_if_missing=True, progress=None, timeout=30):
    """Return the path of a verified copy of ``entry`` in ``folder``.

    Looked for, in order: the decompressed file already in ``folder``; its
    ``.gz`` archive in ``folder``; each mirror. A cached file that no longer
    verifies is removed and fetched again once.
    """
    final = os.path.join(folder, entry.name)
    cached_problem = None
    if os.path.exists(final):
        cached_problem = verify(final, entry)
        if cached_problem is None:
            return final
        # Fetch it again once; if that fails too, the error says so. The file is
        # set aside, not deleted: it may be a user's own (say, Fashion-MNIST).
        with contextlib.suppress(OSError):
            os.replace(final, final + ".invalid")

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
        progress = sys.stderr.isatty()
    for base in mirrors:
        url = base + entry.name + ".gz"
        bar = _ProgressBar(f"Downloading {entry.name}") if progress else False
        downloader = pooch.HTTPDownloader(progressbar=bar, timeout=timeout, chunk_size=65536)
        with _staging(folder) as staging:
            try:
                with _quiet_pooch():
                    fetched = pooch.retrieve(
                        url, known_hash=None, fname=entry.name + ".gz", path=staging,
                        downloader=downloader,
                    )
                return _install(fetched, entry, folder, staging)
            except Exception as error:
                failures.append((url, _describe(error)))
    raise DownloadError(_failed_message(entry, folder, cached_problem, failures))


@contextlib.contextmanager
def _staging(folder):
    os.makedirs(folder, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".partial-", dir=folder)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
