"""Tests for the gradient-direction features (no real data needed)."""

import numpy as np
import pytest
from scipy import ndimage

from mnistkit.classifier import GradientDirectionFeatures
from mnistkit.classifier._gradients import (
    _sobel,
    enlarging_matrix,
    gaussian_sampling_matrix,
)

SIDE = 28


def edge_image(direction):
    """An image whose intensity grows towards ``direction`` ("right" or "down")."""
    img = np.zeros((SIDE, SIDE))
    if direction == "right":
        img[:, 14:] = 255.0
    else:
        img[14:, :] = 255.0
    return img.reshape(1, -1)


def random_images(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return ndimage.gaussian_filter(rng.uniform(0, 255, (n, SIDE, SIDE)), (0, 1.5, 1.5)).reshape(
        n, -1
    )


def test_documented_shape_dtype_and_order():
    X = random_images()
    gdf = GradientDirectionFeatures().fit(X)
    F = gdf.transform(X)
    assert gdf.n_features_out_ == 7 * 7 * 8
    assert F.shape == (6, 392)
    assert F.dtype == np.float32
    assert F.min() >= 0
    assert GradientDirectionFeatures(directions=4, grid=5).fit_transform(X).shape == (6, 100)


def test_sobel_per_image_matches_ndimage_sobel():
    A = random_images(3).reshape(3, SIDE, SIDE).astype(np.float32)
    for axis in (1, 2):
        for i in range(3):
            expected = ndimage.sobel(A[i], axis=axis - 1, mode="constant")
            np.testing.assert_allclose(_sobel(A, axis)[i], expected, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize(("direction", "expected_bin"), [("right", 0), ("down", 6)])
def test_edges_light_up_their_direction(direction, expected_bin):
    # Directions are counter-clockwise from +x as the image is displayed: a
    # gradient pointing down the page is at 270 degrees, bin 6 of 8. The centre
    # point is read: the image's own borders are edges too, far from it.
    F = GradientDirectionFeatures(power=1).fit_transform(edge_image(direction))
    totals = F.reshape(7, 7, 8)[3, 3]
    assert np.argmax(totals) == expected_bin
    assert totals[expected_bin] > 100 * np.delete(totals, expected_bin).max()


def test_parallelogram_rule_rebuilds_the_gradient():
    X = random_images(2)
    gdf = GradientDirectionFeatures(directions=8).fit(X)
    A = X.reshape(-1, SIDE, SIDE).astype(np.float32) / 255
    maps = np.moveaxis(gdf._direction_maps(A), 0, -1)
    angles = 2 * np.pi * np.arange(8) / 8
    gx = (maps * np.cos(angles)).sum(-1)
    gy_up = (maps * np.sin(angles)).sum(-1)
    np.testing.assert_allclose(gx, _sobel(A, 2), atol=1e-4)
    np.testing.assert_allclose(gy_up, -_sobel(A, 1), atol=1e-4)
    assert (np.count_nonzero(maps, axis=-1) <= 2).all()  # two neighbouring directions


def test_sampling_matrix_matches_gaussian_filter():
    # 21 pixels, 7 points: the points fall on whole pixels 1, 4, ..., 19.
    x = np.random.default_rng(1).uniform(size=21)
    W = gaussian_sampling_matrix(21, 7, sigma=2.0)
    expected = ndimage.gaussian_filter1d(x, 2.0, mode="constant")[1::3]
    np.testing.assert_allclose(W @ x, expected, rtol=1e-5)


def test_power_scale_and_batch_independence():
    X = random_images()
    raw = GradientDirectionFeatures(power=1).fit_transform(X)
    root = GradientDirectionFeatures().fit_transform(X)
    np.testing.assert_allclose(root, np.sqrt(raw), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(GradientDirectionFeatures().fit_transform(X / 255), root,
                               rtol=1e-4, atol=1e-5)
    gdf = GradientDirectionFeatures().fit(X)
    np.testing.assert_allclose(gdf.transform(X[2:3]), root[2:3], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"directions": 3}, "directions must be an integer >= 4"),
        ({"grid": 0}, "grid must be an integer from 1"),
        ({"grid": 29}, "grid must be an integer from 1"),
        ({"sigma": -1.0}, "sigma must be a positive number"),
        ({"upsample": 0.5}, "upsample must be a number of at least 1"),
        ({"upsample": "2"}, "upsample must be a number of at least 1"),
        ({"upsample": True}, "upsample must be a number of at least 1"),
    ],
)
def test_rejects_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        GradientDirectionFeatures(**params).fit(np.zeros((1, 784)))


def test_transform_checks_feature_count():
    gdf = GradientDirectionFeatures().fit(np.zeros((1, 784)))
    with pytest.raises(ValueError, match="features"):
        gdf.transform(np.zeros((1, 400)))


@pytest.mark.parametrize("factor", [1.5, 2])
def test_upsample_equals_features_of_images_enlarged_by_scipy(factor):
    # The documented recipe: bilinear enlargement by scipy.ndimage.zoom, then the
    # same features with the grid and the blur laid on the enlarged image.
    X = random_images()
    upsampled = GradientDirectionFeatures(upsample=factor).fit(X)
    enlarged = ndimage.zoom(X.reshape(-1, SIDE, SIDE), (1, factor, factor), order=1)
    side = enlarged.shape[1]
    assert upsampled.work_side_ == side
    assert upsampled.sigma_ == pytest.approx(side / 7 / np.sqrt(2))
    expected = GradientDirectionFeatures(pixel_max=255).fit_transform(enlarged.reshape(6, -1))
    F = upsampled.transform(X)
    assert F.shape == (6, 392)
    np.testing.assert_allclose(F, expected, rtol=1e-5, atol=1e-6)
    # ... and it is a different feature from the one on the original pixels.
    assert not np.allclose(F, GradientDirectionFeatures().fit_transform(X), atol=1e-2)


def _maps_from_angles(gx, gy_up, n_dir):
    """The parallelogram rule written with the gradient's angle, as Liu et al. do."""
    step = 2 * np.pi / n_dir
    mag = np.hypot(gx, gy_up)
    position = np.mod(np.arctan2(gy_up, gx), 2 * np.pi) / step
    lo = np.floor(position).astype(int) % n_dir
    frac = position - np.floor(position)
    maps = np.zeros((*gx.shape, n_dir))
    np.put_along_axis(maps, lo[..., None], (mag * np.sin((1 - frac) * step)
                                            / np.sin(step))[..., None], -1)
    np.put_along_axis(maps, ((lo + 1) % n_dir)[..., None], (mag * np.sin(frac * step)
                                                             / np.sin(step))[..., None], -1)
    return maps


@pytest.mark.parametrize("n_dir", [4, 8, 12])
def test_direction_maps_equal_the_angle_formula(n_dir):
    X = random_images(3)
    gdf = GradientDirectionFeatures(directions=n_dir).fit(X)
    A = X.reshape(-1, SIDE, SIDE).astype(np.float32) / 255
    expected = _maps_from_angles(_sobel(A, 2), -_sobel(A, 1), n_dir)
    np.testing.assert_allclose(np.moveaxis(gdf._direction_maps(A), 0, -1), expected,
                               atol=1e-4)


@pytest.mark.parametrize("work_side", [36, 42, 56])
def test_enlarging_matrix_is_scipy_linear_zoom(work_side):
    A = random_images(4).reshape(-1, SIDE, SIDE).astype(np.float32)
    U = enlarging_matrix(SIDE, work_side)
    expected = ndimage.zoom(A, (1, work_side / SIDE, work_side / SIDE), order=1)
    np.testing.assert_allclose(U @ A @ U.T, expected, rtol=1e-5, atol=1e-3)
