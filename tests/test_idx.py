"""read_idx against well-formed and malformed files."""

import gzip
import struct

import numpy as np
import pytest

from mnistkit import read_idx

from .conftest import idx_bytes


def _write(tmp_path, payload, name="data-idx"):
    path = tmp_path / name
    path.write_bytes(payload)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_reads_raw_and_gzip(tmp_path, compress):
    images = np.arange(2 * 28 * 28, dtype=np.uint32).astype(np.uint8).reshape(2, 28, 28)
    payload = idx_bytes(images)
    path = _write(tmp_path, gzip.compress(payload) if compress else payload)
    result = read_idx(path)
    np.testing.assert_array_equal(result, images)
    assert result.dtype == np.uint8
    assert result.flags.writeable


def test_big_endian_types_come_back_native(tmp_path):
    values = np.array([[1, -2], [70000, 3]], dtype=">i4")
    payload = struct.pack(">HBB", 0, 0x0C, 2) + struct.pack(">2I", 2, 2) + values.tobytes()
    result = read_idx(_write(tmp_path, payload))
    np.testing.assert_array_equal(result, [[1, -2], [70000, 3]])
    assert result.dtype == np.dtype("int32")
    assert result.dtype.isnative


def test_wrong_magic(tmp_path):
    path = _write(tmp_path, b"\x12\x34\x08\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match="is not an IDX file: its magic number starts with 1234"):
        read_idx(path)


def test_wrong_type_byte(tmp_path):
    path = _write(tmp_path, b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match="unknown IDX data type byte 0x07"):
        read_idx(path)


def test_truncated_payload(tmp_path):
    payload = idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-5]
    expected = r"is truncated: .*shape \(3, 28, 28\).*2352 bytes.*holds 2347"
    with pytest.raises(ValueError, match=expected):
        read_idx(_write(tmp_path, payload))


def test_extra_bytes(tmp_path):
    payload = idx_bytes(np.zeros(4, np.uint8)) + b"\x01"
    with pytest.raises(ValueError, match="longer than announced"):
        read_idx(_write(tmp_path, payload))


def test_truncated_header(tmp_path):
    with pytest.raises(ValueError, match="truncated inside its header"):
        read_idx(_write(tmp_path, b"\x00\x00\x08\x03\x00\x00\x00\x01"))


def test_not_gzip_at_all(tmp_path):
    path = _write(tmp_path, b"<html>403 Forbidden</html>", name="train-images-idx3-ubyte.gz")
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz is not an IDX file"):
        read_idx(path)


def test_damaged_gzip(tmp_path):
    whole = gzip.compress(idx_bytes(np.ones((5, 28, 28), np.uint8)))
    path = _write(tmp_path, whole[: len(whole) // 2], name="x.gz")
    with pytest.raises(ValueError, match=r"x\.gz is a damaged or truncated gzip archive"):
        read_idx(path)
