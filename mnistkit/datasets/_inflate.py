"""gzip decompression within a bound.

A gzip archive does not say how large its content is (its trailer holds the size
modulo 4 GiB, and comes last), so a small archive can inflate to gigabytes. Every
reader here is given the size the format being read declares (an IDX header, the
registry's sizes) and reads at most one byte more than that: enough to tell
"exactly as declared" from "more", never the whole of a bomb.
"""

import gzip
import zlib

GZIP_MAGIC = b"\x1f\x8b"

# Decompressed in pieces of this size: the memory a reader needs beyond its result.
CHUNK = 1 << 20


class DamagedGzip(ValueError):
    """A gzip archive that cannot be decompressed; the text says why, in zlib's words."""


class BoundedGzip:
    """Read a gzip stream in pieces, never more than asked for.

    Decompression errors are raised as :class:`DamagedGzip`; errors of the file
    the pieces are written to never are, so a full disk is not taken for a
    damaged archive.
    """

    def __init__(self, fileobj):
        self._gz = gzip.GzipFile(fileobj=fileobj, mode="rb")

    def read(self, size):
        """At most ``size`` bytes (fewer only at the end of the content)."""
        try:
            return self._gz.read(size)
        except (OSError, EOFError, zlib.error) as error:
            raise DamagedGzip(str(error) or type(error).__name__) from error

    def pieces(self, limit):
        """Yield the content in pieces until it ends or ``limit + 1`` bytes were given."""
        remaining = limit + 1
        while remaining > 0:
            piece = self.read(min(CHUNK, remaining))
            if not piece:
                return
            remaining -= len(piece)
            yield piece

    def readinto(self, buffer):
        """Fill ``buffer`` (a writable bytes-like object); return how many bytes came."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            # Piece by piece: the gzip module allocates a piece as large as asked for.
            piece = self.read(min(CHUNK, len(view) - filled))
            if not piece:
                break
            view[filled:filled + len(piece)] = piece
            filled += len(piece)
        return filled

    def close(self):
        self._gz.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
