"""One HTTP download within bounds: a deadline, a stall rule and a size.

A socket timeout only bounds each read: a mirror that sends one byte every two
seconds never trips a 30-second timeout, and a download from it never ends. So
the body is read as it arrives (``read1``: whatever one read of the socket
gives), and after every read three rules are checked:

* the deadline: the download has taken longer than ``deadline`` seconds;
* the stall rule: less than ``STALL_BYTES`` arrived in the last
  ``STALL_SECONDS`` (a rate floor of about 1 kB/s);
* the size: more bytes than the file can hold.

A read waits at most the ``timeout`` (and never past the deadline), so a mirror
that goes silent is given up too.
"""

import time

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

# Less than this many bytes in this many seconds is a stalled download.
STALL_SECONDS = 30.0
STALL_BYTES = 30_000
# The most a download asks one read of the socket for.
CHUNK = 65536


class GaveUp(Exception):
    """A download was abandoned by one of the rules; the text says which, and why."""


class DeadlinePassed(GaveUp):
    pass


class Stalled(GaveUp):
    pass


class TooLarge(GaveUp):
    pass


def size_text(n_bytes):
    """A size in the unit that shows it: the label files are kilobytes."""
    if n_bytes < 1e3:
        return f"{n_bytes} bytes"
    if n_bytes < 1e6:
        return f"{n_bytes / 1e3:.1f} kB"
    return f"{n_bytes / 1e6:.1f} MB"


class Rules:
    """The deadline and stall rule of one download, which may span several attempts."""

    def __init__(self, deadline=None):
        self.started = time.monotonic()
        self.deadline = deadline
        self.begin()

    def begin(self):
        """Start an attempt: the stall rule looks at this attempt's bytes only."""
        self._window_start, self._window_received = time.monotonic(), 0

    def remaining(self):
        """Seconds left before the deadline; None without one."""
        if self.deadline is None:
            return None
        return self.deadline - (time.monotonic() - self.started)

    def check_deadline(self, received=0, total=0):
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            got = f"{size_text(received)} of {size_text(total)}" if total else size_text(received)
            msg = (
                f"gave up when the deadline of {self.deadline:g} s passed, with {got} "
                "received"
            )
            raise DeadlinePassed(msg)

    def check(self, received, total):
        """Raise if the download, ``received`` bytes so far, broke a rule."""
        self.check_deadline(received, total)
        now = time.monotonic()
        if now - self._window_start < STALL_SECONDS:
            return
        got = received - self._window_received
        if got < STALL_BYTES:
            msg = (
                f"stalled: {size_text(got)} in the last {now - self._window_start:.0f} s "
                f"(less than {size_text(STALL_BYTES)} in {STALL_SECONDS:g} s), "
                f"{size_text(received)} received in all"
            )
            raise Stalled(msg)
        self._window_start, self._window_received = now, received


class Transfer:
    """Download one URL into a file, within the rules: a pooch downloader.

    Called by :func:`pooch.retrieve` as ``transfer(url, output_file, pooch)``.

    Parameters
    ----------
    rules : Rules
        The deadline, shared by every attempt at this file from this mirror.
    timeout : float
        Seconds to wait for the connection, and for each read.
    max_bytes : int
        The most the file may hold; a larger one is refused as it arrives.
    progressbar : object or False
        An object with ``total``, ``update(n)`` and ``close()``, or False.
    """

    def __init__(self, rules, *, timeout, max_bytes, progressbar=False):
        self.rules = rules
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.progressbar = progressbar

    def __call__(self, url, output_file, pooch):
        self.rules.check_deadline()
        remaining = self.rules.remaining()
        wait = self.timeout if remaining is None else max(min(self.timeout, remaining), 0.001)
        received = total = 0
        try:
            with requests.get(url, stream=True, timeout=wait) as response:
                response.raise_for_status()
                total = _announced(response)
                if total > self.max_bytes:
                    msg = (
                        f"it announces {size_text(total)}, more than the file can hold "
                        f"({size_text(self.max_bytes)} at most); nothing was downloaded"
                    )
                    raise TooLarge(msg)
                bar = self.progressbar
                if bar:
                    bar.total = total
                self.rules.begin()
                with open(output_file, "wb") as out:
                    for piece in _pieces(response.raw):
                        out.write(piece)
                        received += len(piece)
                        if bar:
                            bar.update(len(piece))
                        if received > self.max_bytes:
                            msg = (
                                "it sent more than the file can hold "
                                f"({size_text(self.max_bytes)} at most); the download was "
                                "stopped there"
                            )
                            raise TooLarge(msg)
                        self.rules.check(received, total)
                if bar:
                    bar.close()
        except requests.Timeout:
            # A read that waited until the deadline is the deadline's doing.
            self.rules.check_deadline(received, total)
            raise


def _announced(response):
    try:
        return max(int(response.headers.get("Content-Length") or 0), 0)
    except ValueError:
        return 0


def _pieces(raw):
    """Yield the body as it arrives, with urllib3's errors raised as requests raises them."""
    # read1 returns after one read of the socket; read(n) would wait for all n bytes.
    read = getattr(raw, "read1", None) or raw.read
    while True:
        try:
            piece = read(CHUNK, decode_content=True)
        except ProtocolError as error:
            raise requests.exceptions.ChunkedEncodingError(error) from error
        except DecodeError as error:
            raise requests.exceptions.ContentDecodingError(error) from error
        except ReadTimeoutError as error:
            raise requests.exceptions.ReadTimeout(error) from error
        except SSLError as error:
            raise requests.exceptions.SSLError(error) from error
        if not piece:
            return
        yield piece
