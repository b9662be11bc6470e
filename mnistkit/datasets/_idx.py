"""Reading the IDX format MNIST is distributed in.

An IDX file is a 4-byte magic number (two zero bytes, a type byte, the number of
dimensions), one big-endian uint32 per dimension, then the values, row-major.
"""

import gzip
import os
import struct
import zlib

import numpy as np

# The type byte of the magic number, and the big-endian dtype it announces.
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

GZIP_MAGIC = b"\x1f\x8b"


def parse_header(head, source):
    """Return ``(dtype, shape, header_size)`` from the first bytes of an IDX file.

    ``head`` must hold at least the magic number and the dimensions; ``source``
    names the file in error messages.
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
    shape = struct.unpack(f">{ndim}I", head[4:header_size])
    return IDX_DTYPES[type_byte], shape, header_size


def check_payload_size(dtype, shape, payload_size, source):
    """Raise ``ValueError`` unless ``payload_size`` bytes is what the header announces."""
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if payload_size != expected:
        what = "truncated" if payload_size < expected else "longer than announced"
        msg = (
            f"{source} is {what}: its header announces shape {tuple(shape)} of "
            f"{dtype.name} ({expected} bytes of data) but it holds {payload_size}."
        )
        raise ValueError(msg)


def read_idx(path):
    """Read an IDX file, gzip-compressed or not, into a numpy array.

    The magic number, the data type byte, the dimensions and the exact size of
    the data are checked, so that a truncated download or a file of another kind
    is refused rather than read as garbage.

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
        If the file is not a well-formed IDX file; the message names the file
        and what is wrong with it.

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
        raw = f.read()
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            msg = f"{path} is a damaged or truncated gzip archive: {error}"
            raise ValueError(msg) from error
    dtype, shape, header_size = parse_header(raw, path)
    check_payload_size(dtype, shape, len(raw) - header_size, path)
    values = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    # A copy in native byte order: writable, and independent of the file's bytes.
    return values.astype(dtype.newbyteorder("="))
