"""MNIST's geometry: the frame every digit is put in, and the resampling behind it."""

import numpy as np
import pytest
from scipy import ndimage

from mnistkit import load_sample, to_mnist_format
from mnistkit._geometry import (
    BOX,
    CENTRE,
    IMAGE_SIDE,
    INK_THRESHOLD,
    frame_digits,
    moments,
    resample_weights,
    stroke_width,
)
from mnistkit.classifier._augment import Distortions, distort_digits


def ink_box(image, threshold=INK_THRESHOLD):
    rows = np.flatnonzero((image >= threshold * image.max()).any(axis=1))
    cols = np.flatnonzero((image >= threshold * image.max()).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


@pytest.mark.parametrize(("n_in", "n_out"), [(28, 7), (28, 10), (64, 20), (3, 20), (7, 28)])
def test_resample_weights_keep_a_constant_and_sum_to_one(n_in, n_out):
    weights = resample_weights(n_in, n_out)
    assert weights.shape == (n_out, n_in)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    assert (weights >= 0).all()


def test_enlarging_is_scipy_linear_zoom():
    line = np.random.default_rng(0).random((5, 7))
    expected = ndimage.zoom(line, (4, 3), order=1, grid_mode=True, mode="nearest")
    got = resample_weights(5, 20) @ line @ resample_weights(7, 21).T
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_shrinking_averages_blocks():
    image = np.random.default_rng(1).random((40, 60))
    got = resample_weights(40, 20) @ image @ resample_weights(60, 20).T
    np.testing.assert_allclose(got, image.reshape(20, 2, 20, 3).mean(axis=(1, 3)))


def test_moments_match_ndimage_centre_of_mass():
    stack = np.random.default_rng(2).random((4, 9, 13))
    cy, cx, *_ = moments(stack)
    for i, image in enumerate(stack):
        np.testing.assert_allclose((cy[i], cx[i]), ndimage.center_of_mass(image))


def test_a_framed_digit_fills_the_box_and_is_centred_by_mass():
    images = load_sample().images[:50].astype(np.float64)
    # The same digits anywhere on a larger field, at another scale and darkness.
    field = np.zeros((50, 90, 70))
    field[:, 10:94, 5:61] = 0.3 * np.kron(images, np.ones((3, 2)))[:, :80]
    for frames in (frame_digits(images), frame_digits(field)):
        for frame in frames:
            assert frame.max() == pytest.approx(1.0)
            assert max(ink_box(frame)) in (BOX - 1, BOX, BOX + 1)
            cy, cx = ndimage.center_of_mass(frame)
            assert abs(cy - CENTRE) <= 0.5 + 1e-9
            assert abs(cx - CENTRE) <= 0.5 + 1e-9


def test_framing_keeps_the_aspect_ratio():
    bar = np.zeros((1, 100, 100))
    bar[0, 40:50, 10:90] = 1.0  # 10 high, 80 wide
    height, width = ink_box(frame_digits(bar)[0])
    assert width == BOX
    assert height in (2, 3)  # 10 * 20 / 80 = 2.5 rows


def test_a_stack_is_framed_as_each_image_alone():
    images = load_sample().images[:20]
    together = frame_digits(images)
    for image, framed in zip(images, together, strict=True):
        np.testing.assert_allclose(frame_digits(image[None])[0], framed, atol=1e-12)


def test_a_blank_image_stays_blank():
    frames = frame_digits(np.zeros((2, 28, 28)))
    assert frames.shape == (2, IMAGE_SIDE, IMAGE_SIDE)
    assert not frames.any()


def test_reading_and_augmentation_frame_a_digit_the_same_way():
    # One home: the undistorted training copy of a digit is exactly what the
    # reader makes of the same picture.
    images = load_sample().images
    images = images[images.reshape(len(images), -1).max(axis=1) == 255][:30]
    copies = distort_digits(images, kind=Distortions(), random_state=0)
    for image, copy in zip(images, copies, strict=True):
        np.testing.assert_array_equal(to_mnist_format(image), copy.ravel())


@pytest.mark.parametrize("width", [1, 3, 6, 11])
def test_stroke_width_of_bars_and_rings(width):
    bar = np.zeros((60, 60), dtype=bool)
    bar[10:50, 20 : 20 + width] = True
    # To a pixel: a stroke of even width has no middle pixel, and reads one less.
    assert stroke_width(bar) == pytest.approx(width, abs=1.0)
    # A ring (a 0) drawn with the same pen: curved strokes measure the same.
    rows, cols = np.mgrid[-30:31, -30:31]
    radius = np.hypot(rows, cols)
    ring = (radius >= 20 - width / 2) & (radius < 20 + width / 2)
    assert stroke_width(ring) == pytest.approx(width, abs=1.0)
