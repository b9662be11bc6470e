"""Reading the IDX format MNIST is distributed in.

An IDX file is a 4-byte magic number (two zero bytes, a type byte, the number of
dimensions), one big-endian uint32 per dimension, then the values, row-major.

The header says exactly how many bytes of data follow, so a reader never needs
more: a compressed file is decompressed up to that size plus one byte, and one
that is larger than announced is refused there, not after inflating it whole.
"""

import math
import os
import struct
import sys

import numpy as np

from ._inflate import GZIP_MAGIC, BoundedGzip, DamagedGzip

# The type byte of the magic number, and the big-endian dtype it announces.
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

# A compressed file announcing more data than this is decompressed twice: once to
# count its bytes, keeping none, then once to keep them. A file whose header lies
# about a large size thus costs no memory, only the time to decompress it.
ONE_PASS_BYTES = 1 << 27  # 128 MiB; MNIST's largest file is 47 MB


def announced_size(dtype, shape):
    """The bytes of data a header announces (exact: Python integers do not overflow)."""
    return math.prod(shape) * dtype.itemsize


def parse_header(head, source):
    """Return ``(dtype, shape, header_size)`` from the first bytes of an IDX file.

    ``head`` must hold at least the magic number and the dimensions; ``source``
    names the file in error messages. Every malformed header raises a
    ``ValueError`` that names ``source``.
    """
    if len(head) < 4:
        msg = f"{source} is not an IDX file: it holds {len(head)} bytes, fewer than a header."
        raise ValueError(msg)
    zero, type_byte, ndim = struct.unpack(">HBB", head[:4])
    if zero != 0:
        msg = (
            f"{source} is not an IDX file: its magic number starts with "
            f"{head[:2].hex()} instead of 0000."
        )
        raise ValueError(msg)
    if type_byte not in IDX_DTYPES:
        known = ", ".join(f"0x{t:02X}" for t in IDX_DTYPES)
        msg = f"{source} has an unknown IDX data type byte 0x{type_byte:02X} (known: {known})."
        raise ValueError(msg)
    if ndim == 0:
        msg = f"{source} announces 0 dimensions; an IDX file has at least one."
        raise ValueError(msg)
    header_size = 4 + 4 * ndim
    if len(head) < header_size:
        msg = f"{source} is truncated inside its header ({ndim} dimensions announced)."
        raise ValueError(msg)
    dtype = IDX_DTYPES[type_byte]
    shape = struct.unpack(f">{ndim}I", head[4:header_size])
    if announced_size(dtype, shape) > sys.maxsize:
        msg = (
            f"{source} has a damaged IDX header: it announces shape {shape} of "
            f"{dtype.name}, {announced_size(dtype, shape):.3g} bytes of data, more than "
            "any array can hold."
        )
        raise ValueError(msg)
    return dtype, shape, header_size


def check_payload_size(dtype, shape, payload_size, source, *, stopped=False):
    """Raise ``ValueError`` unless ``payload_size`` bytes is what the header announces.

    ``stopped``: reading stopped one byte past the announced size, so the file
    holds at least ``payload_size`` bytes of data, maybe many more.
    """
    expected = announced_size(dtype, shape)
    if payload_size != expected:
        what = "truncated" if payload_size < expected else "longer than announced"
        holds = ("more; it was not read further" if stopped and payload_size > expected
                 else payload_size)
        msg = (
            f"{source} is {what}: its header announces shape {tuple(shape)} of "
            f"{dtype.name} ({expected} bytes of data) but it holds {holds}."
        )
        raise ValueError(msg)


def _read_header(read, source):
    """Read and parse a header with ``read(n)``, which returns at most ``n`` bytes."""
    head = read(4)
    if len(head) == 4:
        head += read(4 * head[3])
    return parse_header(head, source)


def _native(dtype, shape):
    """An uninitialised array for the values, in native byte order, and its bytes."""
    values = np.empty(math.prod(shape), dtype=dtype.newbyteorder("="))
    return values, values.view(np.uint8)


def _finish(values, dtype, shape):
    if dtype.itemsize > 1 and not dtype.isnative:
        values.byteswap(inplace=True)  # the file's big-endian bytes, now native values
    return values.reshape(shape)


def _read_plain(f, source):
    dtype, shape, header_size = _read_header(f.read, source)
    # The file's size says whether the data is all there before any of it is read.
    check_payload_size(dtype, shape, os.fstat(f.fileno()).st_size - header_size, source)
    return _fill(f, dtype, shape, source)


def _read_compressed(f, source):
    with BoundedGzip(f) as gz:
        dtype, shape, _ = _read_header(gz.read, source)
        expected = announced_size(dtype, shape)
        if expected <= ONE_PASS_BYTES:
            return _fill(gz, dtype, shape, source)
        counted = sum(len(piece) for piece in gz.pieces(expected))
    check_payload_size(dtype, shape, counted, source, stopped=True)
    f.seek(0)
    with BoundedGzip(f) as gz:
        _read_header(gz.read, source)
        return _fill(gz, dtype, shape, source)


def _fill(reader, dtype, shape, source):
    """Read the values that follow the header from ``reader`` (a file, or a gzip stream)."""
    values, raw = _native(dtype, shape)
    filled = reader.readinto(raw)
    # One byte more tells a file longer than announced; the rest is never read.
    if filled == raw.size and reader.read(1):
        filled += 1
    check_payload_size(dtype, shape, filled, source, stopped=True)
    return _finish(values, dtype, shape)


def read_idx(path):
    """Read an IDX file, gzip-compressed or not, into a numpy array.

    The magic number, the data type byte, the dimensions and the exact size of
    the data are checked, so that a truncated download or a file of another kind
    is refused rather than read as garbage. A file is never read, nor
    decompressed, beyond the size its header announces: a small archive that
    inflates to gigabytes is refused after one byte more than that size.

    Parameters
    ----------
    path : str or os.PathLike
        An IDX file such as ``train-images-idx3-ubyte``, or its ``.gz`` archive;
        compression is detected from the content, not the name.

    Returns
    -------
    array : ndarray
        The values with the announced shape, in native byte order
        (``uint8`` for MNIST's images and labels).

    Raises
    ------
    ValueError
        If the file is not a well-formed IDX file, or not a sound gzip archive of
        one; the message names the file and what is wrong with it.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from mnistkit import read_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        compressed = f.read(2) == GZIP_MAGIC
        f.seek(0)
        if not compressed:
            return _read_plain(f, path)
        try:
            return _read_compressed(f, path)
        except DamagedGzip as error:
            msg = f"{path} is a damaged or truncated gzip archive: {error}"
            raise ValueError(msg) from error
