"""Tests for the image preprocessing transformers (the shipped sample at the end)."""

import pickle

import numpy as np
import pytest
from scipy import ndimage
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils import get_tags

from mnistkit import MNISTClassifier, load_sample
from mnistkit.classifier import (
    Deskew,
    GradientDirectionFeatures,
    HOGFeatures,
    MomentNormalize,
)

SIDE = 28
CENTRE = (SIDE - 1) / 2


def slanted_bar(slope=0.5, x_offset=0, thickness=2, value=255.0):
    """A vertical stroke leaning right by ``slope`` pixels per row, flattened."""
    img = np.zeros((SIDE, SIDE))
    for r in range(4, 24):
        c = round(CENTRE + x_offset + slope * (r - CENTRE))
        img[r, c : c + thickness] = value
    return img.reshape(1, -1)


def moments(x):
    """Centre of mass (cy, cx) and normalised shear moment mu11 / mu02."""
    img = x.reshape(SIDE, SIDE).astype(float)
    ys, xs = np.mgrid[:SIDE, :SIDE]
    m = img.sum()
    cy, cx = (img * ys).sum() / m, (img * xs).sum() / m
    mu11 = (img * (ys - cy) * (xs - cx)).sum() / m
    mu02 = (img * (ys - cy) ** 2).sum() / m
    return cy, cx, mu11 / mu02


def random_digits(n=40, seed=0):
    """Random blobby strokes: a few slanted bars of random position and slope."""
    rng = np.random.default_rng(seed)
    X = np.vstack(
        [
            slanted_bar(slope=rng.uniform(-0.6, 0.6), x_offset=rng.integers(-5, 5))
            + slanted_bar(slope=rng.uniform(-0.6, 0.6), x_offset=rng.integers(-5, 5))
            for _ in range(n)
        ]
    )
    return np.clip(X, 0, 255)


@pytest.mark.parametrize("slope", [-0.6, 0.3, 0.5])
def test_deskew_makes_slanted_stroke_upright(slope):
    x = slanted_bar(slope=slope)
    _, _, shear_before = moments(x)
    assert abs(shear_before) > 0.25  # the input really is slanted

    xt = Deskew().fit_transform(x)
    _, _, shear_after = moments(xt)
    assert abs(shear_after) < 0.05


def test_deskew_centres_centre_of_mass():
    x = slanted_bar(slope=0.4, x_offset=7)  # well right of centre
    cy, cx, _ = moments(x)
    assert abs(cx - CENTRE) > 3

    cy, cx, _ = moments(Deskew().fit_transform(x))
    assert abs(cy - CENTRE) < 0.1
    assert abs(cx - CENTRE) < 0.1


def test_deskew_without_recenter_only_shears():
    x = slanted_bar(slope=0.4, x_offset=5)
    cy0, cx0, _ = moments(x)
    cy, cx, shear = moments(Deskew(recenter=False).fit_transform(x))
    assert abs(shear) < 0.05
    # The centre-of-mass row is the shear axis, so the centre of mass stays put.
    assert abs(cy - cy0) < 0.1
    assert abs(cx - cx0) < 0.3


def test_deskew_keeps_scale_shape_dtype_and_ink():
    X = random_digits(10)
    Xt = Deskew().fit_transform(X)
    assert Xt.shape == X.shape
    assert Xt.dtype == np.float32
    assert Xt.min() >= 0
    assert Xt.max() <= 255 + 1e-3
    # Bilinear shear + translation preserves total ink up to edge effects.
    np.testing.assert_allclose(Xt.sum(axis=1), X.sum(axis=1), rtol=0.02)
    # Scale-invariant: 0-1 input gives the 0-255 result divided by 255.
    np.testing.assert_allclose(Deskew().fit_transform(X / 255) * 255, Xt, atol=1e-3)


def test_deskew_upright_centred_image_is_unchanged():
    img = np.zeros((SIDE, SIDE))
    img[6:22, 13:15] = 1.0  # vertical bar, centre of mass at (13.5, 13.5)
    x = img.reshape(1, -1)
    np.testing.assert_allclose(Deskew().fit_transform(x), x, atol=1e-6)


def test_deskew_blank_image():
    Xt = Deskew().fit_transform(np.zeros((2, 784)))
    assert np.all(Xt == 0)


def test_hog_shape_dtype_range():
    X = random_digits(8)
    hog = HOGFeatures().fit(X)
    F = hog.transform(X)
    assert hog.n_cells_ == 6
    assert hog.n_features_out_ == 324
    assert F.shape == (8, 6 * 6 * 9)
    assert F.dtype == np.float32
    assert np.all(np.isfinite(F))
    assert F.min() >= 0
    assert F.max() <= 1 + 1e-6  # normalised cell histograms, square-rooted


@pytest.mark.parametrize(
    ("params", "n_out"),
    [
        ({"orientations": 12}, 6 * 6 * 12),
        ({"cell_size": 7, "cell_stride": 3}, 8 * 8 * 9),
        ({"cell_size": 14, "cell_stride": 7, "signed": False}, 3 * 3 * 9),
    ],
)
def test_hog_documented_shape(params, n_out):
    F = HOGFeatures(**params).fit_transform(random_digits(3))
    assert F.shape == (3, n_out)


def test_hog_scale_auto():
    X = random_digits(5)
    F255 = HOGFeatures().fit_transform(X)
    F1 = HOGFeatures().fit_transform(X / 255)
    np.testing.assert_allclose(F255, F1, atol=1e-5)


def test_hog_orientation_bins_respond_to_edges():
    img = np.zeros((SIDE, SIDE))
    img[:, 14:] = 1.0  # one vertical edge: gradient points along +x
    hog = HOGFeatures(sqrt=False).fit(img.reshape(1, -1))
    F = hog.transform(img.reshape(1, -1)).reshape(6, 6, 9)
    totals = F.sum(axis=(0, 1))
    assert np.argmax(totals) == 0  # angle 0 (signed) bin dominates
    assert totals[0] > 5 * np.delete(totals, 0).max()


def test_deterministic_and_batch_independent():
    X = random_digits(30)
    for est in (Deskew(), HOGFeatures(), MomentNormalize()):
        est.fit(X)
        a = est.transform(X)
        b = est.transform(X)
        np.testing.assert_array_equal(a, b)
        # Row results do not depend on the rest of the batch.
        np.testing.assert_allclose(est.transform(X[7:8]), a[7:8], rtol=1e-5, atol=1e-6)


def test_rejects_non_square_input():
    with pytest.raises(ValueError, match="square"):
        Deskew().fit(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="square"):
        HOGFeatures().fit(np.zeros((2, 10)))


def test_transform_checks_feature_count():
    est = Deskew().fit(np.zeros((2, 784)))
    with pytest.raises(ValueError, match="features"):
        est.transform(np.zeros((2, 400)))


def test_pipeline_and_clone():
    X = random_digits(40)
    y = (np.arange(40) % 2).astype(int)
    pipe = make_pipeline(
        Deskew(), HOGFeatures(cell_size=14, cell_stride=7), PCA(5), LogisticRegression()
    )
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (40,)
    cloned = clone(pipe)
    assert cloned.get_params()["hogfeatures__cell_size"] == 14
    assert not hasattr(cloned.steps[0][1], "image_side_")


def test_block_moments_match_ndimage():
    from mnistkit._geometry import moments

    X = random_digits(5).reshape(-1, SIDE, SIDE)
    cy, cx, mu02, mu20, mu11 = moments(X.astype(np.float32))
    for i, image in enumerate(X):
        expected = oracle_moments(image)
        np.testing.assert_allclose(
            [cy[i], cx[i], mu02[i], mu20[i], mu11[i]], expected, rtol=1e-4, atol=1e-3
        )


def oracle_moments(image):
    """Centre of mass (scipy) and central second moments, computed directly."""
    cy, cx = ndimage.center_of_mass(image)
    ys, xs = np.mgrid[: image.shape[0], : image.shape[1]]
    m = image.sum()
    mu02 = (image * (ys - cy) ** 2).sum() / m
    mu20 = (image * (xs - cx) ** 2).sum() / m
    mu11 = (image * (ys - cy) * (xs - cx)).sum() / m
    return cy, cx, mu02, mu20, mu11


def affine_oracle(image, sy, sx, alpha):
    """scipy.ndimage.affine_transform of the documented map: output (r, c) reads
    y = cy + sy (r - centre), x = cx + alpha (y - cy) + sx (c - centre)."""
    cy, cx, *_ = oracle_moments(image)
    matrix = [[sy, 0.0], [alpha * sy, sx]]
    offset = [cy - sy * CENTRE, cx - (alpha * sy + sx) * CENTRE]
    return ndimage.affine_transform(image, matrix, offset=offset, order=1, mode="grid-constant")


def test_deskew_matches_affine_transform_oracle():
    X = random_digits(6)
    out = Deskew().fit_transform(X)
    for image, deskewed in zip(X.reshape(-1, SIDE, SIDE), out, strict=True):
        _, _, mu02, _, mu11 = oracle_moments(image)
        expected = affine_oracle(image, 1.0, 1.0, mu11 / mu02)
        np.testing.assert_allclose(deskewed, expected.ravel(), atol=0.02)  # of 255


@pytest.mark.parametrize("aspect", ["sqrt-sin", "preserve"])
def test_moment_normalize_matches_affine_transform_oracle(aspect):
    X = random_digits(6)
    out = MomentNormalize(size=18, aspect=aspect).fit_transform(X)
    for image, normalised in zip(X.reshape(-1, SIDE, SIDE), out, strict=True):
        _, _, mu02, mu20, mu11 = oracle_moments(image)
        alpha = mu11 / mu02
        height, width = 4 * np.sqrt(mu02), 4 * np.sqrt(mu20 - mu11**2 / mu02)
        r = min(height, width) / max(height, width)
        r_out = np.sqrt(np.sin(np.pi / 2 * r)) if aspect == "sqrt-sin" else r
        out_h, out_w = (18, 18 * r_out) if height >= width else (18 * r_out, 18)
        expected = affine_oracle(image, height / out_h, width / out_w, alpha)
        np.testing.assert_allclose(normalised, expected.ravel(), atol=0.05)


def test_moment_normalize_documented_effect():
    # A narrow upright bar: centred, its height's 4-sigma extent becomes `size`,
    # and its width grows to the sqrt-sin aspect ratio.
    img = np.zeros((SIDE, SIDE))
    img[5:19, 3:6] = 255.0
    out = MomentNormalize(size=16).fit_transform(img.reshape(1, -1)).reshape(SIDE, SIDE)
    cy, cx, mu02, mu20, _ = oracle_moments(out)
    assert abs(cy - CENTRE) < 0.15
    assert abs(cx - CENTRE) < 0.15
    _, _, in02, in20, _ = oracle_moments(img)
    ratio_in = np.sqrt(in20 / in02)
    assert abs(4 * np.sqrt(mu02) - 16) < 0.8
    ratio_out = np.sqrt(mu20 / mu02)
    assert ratio_out > 2 * ratio_in  # stretched sideways...
    assert abs(ratio_out - np.sqrt(np.sin(np.pi / 2 * ratio_in))) < 0.1  # ...as documented
    kept = MomentNormalize(size=16, aspect="preserve").fit_transform(img.reshape(1, -1))
    _, _, k02, k20, _ = oracle_moments(kept.reshape(SIDE, SIDE))
    assert abs(np.sqrt(k20 / k02) - ratio_in) < 0.05


def test_moment_normalize_deskews_only_when_asked():
    x = slanted_bar(slope=0.5)
    assert abs(moments(MomentNormalize().fit_transform(x))[2]) < 0.05
    assert abs(moments(MomentNormalize(deskew=False).fit_transform(x))[2]) > 0.25


@pytest.mark.parametrize(
    ("params", "message"),
    [({"size": 0}, "size must be a positive"), ({"aspect": "square"}, "aspect must be")],
)
def test_moment_normalize_rejects_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        MomentNormalize(**params).fit(np.zeros((1, 784)))


# -- the public transformers in a pipeline of one's own -------------------------------


def test_public_names_are_the_classes_of_their_home_modules():
    # Public in mnistkit.classifier; the private paths that benchmarks of earlier
    # releases imported keep working.
    import mnistkit.classifier as classifier
    from mnistkit.classifier import _features, _gradients

    for name in ("Deskew", "MomentNormalize", "HOGFeatures"):
        assert name in classifier.__all__
        assert getattr(classifier, name) is getattr(_features, name)
    assert "GradientDirectionFeatures" in classifier.__all__
    assert classifier.GradientDirectionFeatures is _gradients.GradientDirectionFeatures


@pytest.mark.parametrize(
    "transformer",
    [Deskew(recenter=False), MomentNormalize(size=18), HOGFeatures(orientations=6),
     GradientDirectionFeatures(grid=5)],
    ids=lambda transformer: type(transformer).__name__,
)
def test_public_transformers_clone_and_pickle(transformer):
    X, _ = load_sample(return_X_y=True)
    X = X[:50]
    fitted = clone(transformer).fit(X)
    cloned = clone(fitted)
    assert cloned.get_params() == transformer.get_params()
    assert not hasattr(cloned, "n_features_in_")
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    np.testing.assert_array_equal(cloned.fit_transform(X), fitted.transform(X))


def test_a_pipeline_of_ones_own_fits_predicts_and_grid_searches():
    X, y = load_sample(return_X_y=True)
    X_test, y_test = load_sample(subset="test", return_X_y=True)
    X, y = X[:600], y[:600]
    pipe = make_pipeline(Deskew(), HOGFeatures(), LinearSVC())

    # The pipeline predicts what the model predicts from the features made by hand.
    fitted = clone(pipe).fit(X, y)
    features = [Deskew().fit(X), HOGFeatures()]
    F = features[1].fit_transform(features[0].transform(X))
    F_test = features[1].transform(features[0].transform(X_test))
    by_hand = LinearSVC().fit(F, y).predict(F_test)
    np.testing.assert_array_equal(fitted.predict(X_test), by_hand)
    # The features are what makes it read digits: the same model on the pixels lags.
    pixels = LinearSVC().fit(X / 255, y).score(X_test / 255, y_test)
    assert fitted.score(X_test, y_test) > pixels + 0.1

    # A grid search reaches the transformers' parameters, and scores as cross_val_score.
    grid = {"hogfeatures__orientations": [6, 9]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    best = clone(pipe).set_params(**search.best_params_)
    assert search.best_score_ == pytest.approx(cross_val_score(best, X, y, cv=3).mean())
    assert search.best_estimator_.named_steps["hogfeatures"].n_features_out_ == (
        36 * search.best_params_["hogfeatures__orientations"])


@pytest.mark.parametrize(
    "estimator",
    [Deskew(), MomentNormalize(), HOGFeatures(), GradientDirectionFeatures(), MNISTClassifier()],
    ids=lambda estimator: type(estimator).__name__,
)
def test_estimators_of_pixels_take_no_negative_input(estimator):
    # scikit-learn's checks then feed them non-negative data only; the transformers
    # still need fitting (the default).
    tags = get_tags(estimator)
    assert tags.input_tags.positive_only
    assert tags.requires_fit
