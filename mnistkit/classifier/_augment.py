"""Randomly distorted copies of digit images, to train models that read real-world digits.

MNIST's digits all come from one source: pens of similar width, scanned at one
resolution, scaled into a 20x20 box and centred by their centre of mass. Digits
from photos, other scanners and small images differ in ways a model trained on
MNIST alone has never seen. The distortions here imitate those differences:

- a random affine map (rotation, shear, change of aspect ratio) and an elastic
  distortion (a smooth random displacement field), for other hands;
- thicker strokes (grey dilation) and thinner strokes (grey erosion), for
  other pens, and a felt marker's flat strokes, several times MNIST's width
  (a marker a few pixels wider, or a broad one whose strokes grow with the
  digit's own);
- blur, for a camera out of focus;
- a low-resolution round trip (the image reduced to 8-14 pixels a side by area
  averaging, then enlarged again), for a small source enlarged;

and every distorted digit is brought back to MNIST's format (its ink's bounding
box scaled into 20x20, its centre of mass at the centre, its peak at the
original's peak) by the same code that ends :func:`mnistkit.to_mnist_format`,
so that a model learns what the image reader will show it. Every step works on a whole
batch of images at once with ``scipy.ndimage``; the random draws come from
generators seeded by ``random_state``, one for each block of images, so the
same seed gives the same copies whatever the number of threads (``n_jobs``).
"""

import dataclasses
import itertools
import numbers

import numpy as np
from scipy import ndimage
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from .._geometry import IMAGE_SIDE, N_PIXELS, frame_digits, resample_weights, stroke_width

_CHUNK = 2048  # images distorted together: bounds the memory of the coordinate grids


@dataclasses.dataclass(frozen=True)
class Distortions:
    """How strongly, and how often, each distortion is applied.

    Angles and shears are drawn uniformly in ``[-value, value]`` for every
    image; each of the stroke, blur and low-resolution steps is applied to a
    random share of the images given by its probability.

    Parameters
    ----------
    rotation : float, default=0.0
        Largest rotation, in degrees.
    shear : float, default=0.0
        Largest horizontal shear (pixels of slant per pixel of height).
    aspect : float, default=0.0
        Largest change of aspect ratio, as a log-ratio: 0.15 stretches one axis
        by up to 16% while shrinking the other by as much.
    elastic : float, default=0.0
        Root-mean-square length, in pixels, of the elastic displacement field.
    elastic_smoothness : float, default=3.0
        Width, in pixels, of the Gaussian that smooths the random field: larger
        values bend strokes gently instead of making them wobble.
    thicker : float, default=0.0
        Probability of thicker strokes (grey dilation over 2x2 or 3x3 pixels).
    thinner : float, default=0.0
        Probability of thinner strokes (grey erosion over 2x2 pixels); never
        applied together with ``thicker``.
    marker : float, default=0.0
        Probability of a felt marker's strokes: the ink, thresholded at half
        its peak on the digit enlarged twice, redrawn with a round pen 1 to 3
        pixels wider on each side (flat, crisp-edged strokes up to about three
        times MNIST's width, loops that close up); never applied together
        with ``thicker`` or ``thinner``.
    broad_marker : float, default=0.0
        Probability of a broad felt marker's strokes: the digit enlarged four
        times, thresholded at half its peak, and redrawn with a round,
        anti-aliased pen whose radius is 0.5 to 1.2 times the digit's own
        stroke width (``mnistkit._geometry.stroke_width``), so that its
        strokes become 2 to 3.4 times as wide, whatever its pen was; never
        applied together with ``thicker``, ``thinner`` or ``marker``.
    blur : float, default=0.0
        Probability of a Gaussian blur of 0.6 to 1.2 pixels.
    low_res : float, default=0.0
        Probability of a low-resolution round trip.
    low_res_sides : tuple of int, default=(8, 14)
        Smallest and largest side, in pixels, of the reduced image.
    """

    rotation: float = 0.0
    shear: float = 0.0
    aspect: float = 0.0
    elastic: float = 0.0
    elastic_smoothness: float = 3.0
    thicker: float = 0.0
    thinner: float = 0.0
    marker: float = 0.0
    broad_marker: float = 0.0
    blur: float = 0.0
    low_res: float = 0.0
    low_res_sides: tuple = (8, 14)


@dataclasses.dataclass(frozen=True)
class Mix:
    """Copies made in several ways: each copy by one of ``parts``, drawn by its share.

    Parameters
    ----------
    parts : tuple of (Distortions, float)
        Each way of distorting a copy, with the share of the copies made that
        way; the shares add up to 1.
    """

    parts: tuple


_REAL_WORLD = Distortions(
    rotation=15.0,
    shear=0.3,
    aspect=0.15,
    elastic=0.8,
    thicker=0.2,
    thinner=0.15,
    blur=0.2,
    low_res=0.3,
)
# The named settings of MNISTClassifier(augment=...). "light" stays within the
# variety of MNIST's own writers; "real-world" adds other pens, blur and small
# sources (the strengths of both were set by eye: the copies must stay readable
# digits; benchmarks/bench_augment.py measures them). "writers", for digits
# written with other pens and by other hands than MNIST's, is what the model of
# `mnistkit train` learns from: copies of 30% of the images, two in three drawn
# with a felt marker, one in three "real-world". It was chosen on a validation
# split of the training images and the even half of scikit-learn's load_digits
# (benchmarks/bench_other_writers.py measures it on other data).
# "broad-marker", a copy of every image drawn with a broad marker, is what the
# network of `mnistkit train --backend cnn` learns from (three in ten copies also
# through a low-resolution round trip; see _default.py): on validation digits
# drawn with a marker three times as wide as their pen, it took the network from
# 96.9% ("writers") to 98.1%, and read the other styles about as well or better
# (benchmarks/explore_thick_marker.py); the SVM cannot learn that style past 97%.
KINDS = {
    "light": Distortions(rotation=8.0, shear=0.15, aspect=0.1, elastic=0.5),
    "real-world": _REAL_WORLD,
    "writers": Mix(((Distortions(marker=1.0), 2 / 3), (_REAL_WORLD, 1 / 3))),
    "broad-marker": Distortions(broad_marker=1.0),
}
# The share of the images a named kind copies, when not given; 1 otherwise.
_KIND_FRACTIONS = {"writers": 0.3}
_SETTINGS = ("kind", "n_copies", "fraction")
_FIELDS = tuple(field.name for field in dataclasses.fields(Distortions))


# Validation of MNISTClassifier(augment=...) -----------------------------------------


def check_augment(augment):
    """Turn the ``augment`` parameter of MNISTClassifier into concrete settings.

    Returns None for no augmentation, else a dict with ``distortions``
    (a :class:`Distortions`), ``n_copies`` and ``fraction``.
    """
    if augment is None or (_is_int(augment) and augment == 0):
        return None
    if isinstance(augment, str):
        return {"distortions": _named_kind(augment), "n_copies": 1,
                "fraction": _KIND_FRACTIONS.get(augment, 1.0)}
    if _is_int(augment) and augment > 0:
        return {"distortions": KINDS["real-world"], "n_copies": int(augment), "fraction": 1.0}
    if not isinstance(augment, dict):
        msg = (
            "The 'augment' parameter of MNISTClassifier must be None, 'light', "
            "'real-world', a number of copies (an integer >= 0) or a dict. "
            f"Got {augment!r} instead."
        )
        raise ValueError(msg)
    unknown = sorted(set(augment) - set(_SETTINGS) - set(_FIELDS), key=str)
    if unknown:
        msg = (
            f"The 'augment' dict of MNISTClassifier has unknown keys {unknown}; "
            f"the keys it takes are {list(_SETTINGS + _FIELDS)}."
        )
        raise ValueError(msg)
    kind = augment.get("kind", "real-world")
    distortions = kind if isinstance(kind, (Distortions, Mix)) else _named_kind(kind)
    overrides = {name: augment[name] for name in _FIELDS if name in augment}
    if overrides and isinstance(distortions, Mix):
        msg = (
            f"The 'augment' dict of MNISTClassifier overrides {sorted(overrides)} of the "
            f"kind {kind!r}, which mixes several kinds of copies: give a single kind "
            "('light', 'real-world' or a Distortions) to override its strengths."
        )
        raise ValueError(msg)
    distortions = dataclasses.replace(distortions, **overrides) if overrides else distortions
    n_copies = augment.get("n_copies", 1)
    default_fraction = _KIND_FRACTIONS.get(kind, 1.0) if isinstance(kind, str) else 1.0
    fraction = augment.get("fraction", default_fraction)
    _check_n_copies(n_copies)
    _check_fraction(fraction)
    _check_distortions(distortions)
    return {"distortions": distortions, "n_copies": int(n_copies), "fraction": float(fraction)}


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _named_kind(name):
    if not isinstance(name, str) or name not in KINDS:
        msg = (
            f"The augmentation kind must be one of {sorted(KINDS)}, a Distortions or "
            f"a Mix. Got {name!r} instead."
        )
        raise ValueError(msg)
    return KINDS[name]


def _check_n_copies(n_copies):
    if not (_is_int(n_copies) and n_copies >= 1):
        msg = f"n_copies must be a positive integer (copies of each image); got {n_copies!r}."
        raise ValueError(msg)


def _check_fraction(fraction):
    if not (isinstance(fraction, numbers.Real) and 0 < fraction <= 1):
        msg = (
            "fraction must be a number in (0, 1], the share of the training images "
            f"that get distorted copies; got {fraction!r}."
        )
        raise ValueError(msg)


def _check_mix(mix):
    parts = mix.parts
    ok = isinstance(parts, tuple) and parts and all(
        isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], Distortions)
        and isinstance(part[1], numbers.Real) and part[1] >= 0 for part in parts)
    if not ok or not np.isclose(sum(share for _, share in parts), 1.0):
        msg = (
            "A Mix's parts must be a tuple of (Distortions, share) pairs whose shares "
            f"are >= 0 and add up to 1; got {parts!r}."
        )
        raise ValueError(msg)
    for distortions, _ in parts:
        _check_distortions(distortions)


def _check_distortions(distortions):
    if isinstance(distortions, Mix):
        _check_mix(distortions)
        return
    for name in _FIELDS:
        value = getattr(distortions, name)
        if name == "low_res_sides":
            ok = (
                isinstance(value, tuple)
                and len(value) == 2
                and all(_is_int(side) for side in value)
                and 2 <= value[0] <= value[1] < IMAGE_SIDE
            )
            if not ok:
                msg = (
                    "low_res_sides must be a tuple (smallest, largest) of integers "
                    f"between 2 and {IMAGE_SIDE - 1}; got {value!r}."
                )
                raise ValueError(msg)
            continue
        if not (isinstance(value, numbers.Real) and np.isfinite(value) and value >= 0):
            msg = f"The distortion {name!r} must be a number >= 0; got {value!r}."
            raise ValueError(msg)
    for name in ("thicker", "thinner", "marker", "broad_marker", "blur", "low_res"):
        value = getattr(distortions, name)
        if value > 1:
            msg = f"The distortion {name!r} is a probability in [0, 1]; got {value!r}."
            raise ValueError(msg)
    strokes = (distortions.thicker, distortions.thinner, distortions.marker,
               distortions.broad_marker)
    if sum(strokes) > 1:
        msg = (
            "thicker + thinner + marker + broad_marker must be at most 1, as no image "
            f"gets two of them; got {' + '.join(str(value) for value in strokes)}."
        )
        raise ValueError(msg)


# Public entry points ----------------------------------------------------------------


def augment_digits(
    X, y, n_copies=1, *, fraction=1.0, kind="real-world", random_state=None, n_jobs=None
):
    """Add randomly distorted copies of digit images to a training set.

    Parameters
    ----------
    X : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
        Images, light digits on a dark background (0), on any pixel scale
        (integers 0-255 or floats in [0, 1]).
    y : array-like of shape (n_samples,)
        Their labels.
    n_copies : int, default=1
        Distorted copies of each chosen image.
    fraction : float, default=1.0
        Share of the images that get copies, chosen at random (a new choice for
        each copy).
    kind : {"light", "real-world", "writers"}, Distortions or Mix, default="real-world"
        Which distortions, how strong and how often (see :class:`Distortions`
        and :class:`Mix`).
    random_state : int, RandomState instance or None, default=None
        Seed of the random draws: the same integer gives the same copies.
    n_jobs : int, default=None
        Threads distorting blocks of images at once (-1: all processors); the
        copies do not depend on it.

    Returns
    -------
    X_augmented : ndarray of shape (n_samples + n_new, ...)
        The original images first, then the copies; same shape per image and
        dtype as ``X``.
    y_augmented : ndarray of shape (n_samples + n_new,)
        The labels, each copy with its original's label.

    Examples
    --------
    >>> from mnistkit import load_sample
    >>> from mnistkit.classifier._augment import augment_digits
    >>> X, y = load_sample(return_X_y=True)
    >>> X_aug, y_aug = augment_digits(X[:100], y[:100], n_copies=2, random_state=0)
    >>> X_aug.shape, X_aug.dtype, bool((y_aug[100:200] == y[:100]).all())
    ((300, 784), dtype('uint8'), True)
    """
    _check_n_copies(n_copies)
    _check_fraction(fraction)
    X = np.asarray(X)
    y = np.asarray(y)
    if len(X) != len(y):
        msg = f"X and y must hold as many images as labels; got {len(X)} and {len(y)}."
        raise ValueError(msg)
    rng = _generator(random_state)
    n_chosen = max(1, round(fraction * len(X))) if len(X) else 0
    images, labels = [X], [y]
    for _ in range(n_copies):
        chosen = np.arange(len(X)) if n_chosen == len(X) else np.sort(
            rng.choice(len(X), n_chosen, replace=False))
        images.append(distort_digits(X[chosen], kind=kind, random_state=rng, n_jobs=n_jobs))
        labels.append(y[chosen])
    return np.concatenate(images), np.concatenate(labels)


def distort_digits(images, *, kind="real-world", random_state=None, n_jobs=None):
    """Return one randomly distorted version of each digit image.

    Parameters
    ----------
    images : array-like of shape (n_samples, 784) or (n_samples, 28, 28)
        Light digits on a dark background (0), on any pixel scale.
    kind : {"light", "real-world", "writers"}, Distortions or Mix, default="real-world"
        Which distortions, how strong and how often.
    random_state : int, RandomState instance, numpy Generator or None, default=None
        Seed of the random draws.
    n_jobs : int, default=None
        Threads distorting blocks of images at once (-1: all processors). Each
        block has a generator of its own, spawned from ``random_state``, so the
        result does not depend on ``n_jobs``.

    Returns
    -------
    distorted : ndarray
        Same shape and dtype as ``images``; each image is brought back to
        MNIST's format (20x20 box, centre of mass at the centre) and keeps its
        original's peak value.

    Examples
    --------
    >>> from mnistkit import load_sample
    >>> from mnistkit.classifier._augment import distort_digits
    >>> images = load_sample().images[:5]
    >>> distort_digits(images, random_state=0).shape
    (5, 28, 28)
    """
    distortions = kind if isinstance(kind, (Distortions, Mix)) else _named_kind(kind)
    _check_distortions(distortions)
    images = np.asarray(images)
    shape = images.shape
    if images.ndim not in (2, 3) or images.shape[-1] * (
            images.shape[-2] if images.ndim == 3 else 1) != N_PIXELS:
        msg = (
            f"expected images of {N_PIXELS} pixels or {IMAGE_SIDE}x{IMAGE_SIDE}, "
            f"got an array of shape {shape}."
        )
        raise ValueError(msg)
    rng = _generator(random_state)
    stack = images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    out = np.empty(stack.shape, dtype=images.dtype)
    starts = range(0, len(stack), _CHUNK)
    generators = rng.spawn(len(starts))
    Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_distort_block)(stack, out, start, distortions, block_rng)
        for start, block_rng in zip(starts, generators, strict=True)
    )
    return out.reshape(shape)


def _distort_block(stack, out, start, distortions, rng):
    """Write the distorted images ``start`` to ``start + _CHUNK`` of ``stack`` into ``out``."""
    block = stack[start : start + _CHUNK].astype(np.float64)
    distorted = _distort_by_kind(block, distortions, rng)
    if np.issubdtype(out.dtype, np.integer):
        distorted = np.round(distorted)
    out[start : start + _CHUNK] = distorted


def _generator(random_state):
    if isinstance(random_state, np.random.Generator):
        return random_state
    # One seed drawn from scikit-learn's random_state: an integer always gives
    # the same generator, a RandomState instance moves on.
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.default_rng(seed)


# The distortions, each on a stack of float images (n, 28, 28) -----------------------


def _distort_by_kind(stack, kind, rng):
    if isinstance(kind, Distortions):
        return _distort(stack, kind, rng)
    shares = np.array([share for _, share in kind.parts], dtype=np.float64)
    drawn = rng.choice(len(kind.parts), size=len(stack), p=shares / shares.sum())
    out = np.empty_like(stack)
    for index, (distortions, _) in enumerate(kind.parts):
        members = drawn == index
        if members.any():
            out[members] = _distort(stack[members], distortions, rng)
    return out


def _distort(stack, d, rng):
    n = len(stack)
    original = stack
    peaks = stack.reshape(n, -1).max(axis=1)
    # One draw says which stroke change, if any, each image gets.
    stroke = rng.random(n)
    bounds = np.cumsum([0.0, d.thicker, d.thinner, d.marker, d.broad_marker])
    thicker, thinner, marker, broad = (
        (stroke >= low) & (stroke < high) for low, high in itertools.pairwise(bounds))
    stack = _change_strokes(stack, thicker, thinner, rng)
    stack = _marker_strokes(stack, marker, rng)
    stack = _broad_marker_strokes(stack, broad, rng)
    stack = _warp(stack, d, rng)
    blurred = rng.random(n) < d.blur
    stack = _blur(stack, blurred, rng)
    reduced = rng.random(n) < d.low_res
    stack = _low_res_round_trip(stack, reduced, d.low_res_sides, rng)
    framed = _to_mnist_frame(stack, peaks)
    # A distortion that wiped a digit out (erosion of a faint one) gives it back
    # undistorted: a blank image with a digit's label would only teach noise.
    lost = (framed.reshape(n, -1).max(axis=1) <= 0) & (peaks > 0)
    framed[lost] = original[lost]
    return framed


def _change_strokes(stack, thicker, thinner, rng):
    stack = stack.copy()
    if thicker.any():
        wide = rng.random(int(thicker.sum())) < 0.5
        chosen = np.flatnonzero(thicker)
        for side, members in ((2, chosen[~wide]), (3, chosen[wide])):
            if members.size:
                stack[members] = ndimage.grey_dilation(stack[members], size=(1, side, side))
    if thinner.any():
        stack[thinner] = ndimage.grey_erosion(stack[thinner], size=(1, 2, 2))
    return stack


def _disk(radius):
    rows, cols = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    return rows * rows + cols * cols <= radius * radius + 0.5


# Pen radii of the marker, in pixels of the digit enlarged twice: 1 to 3 pixels
# wider on each side at MNIST's size, which spans MNIST's own pens (1.5 to 6
# pixels wide, median 2.8, measured as ink area over skeleton length) up to
# about three times their width.
_MARKER_RADII = (2, 3, 4, 5, 6)


def _marker_strokes(stack, chosen, rng):
    if not chosen.any():
        return stack
    stack = stack.copy()
    members = np.flatnonzero(chosen)
    up = resample_weights(IMAGE_SIDE, 2 * IMAGE_SIDE)
    down = resample_weights(2 * IMAGE_SIDE, IMAGE_SIDE)
    big = up @ stack[members] @ up.T
    peaks = big.max(axis=(1, 2), keepdims=True)
    ink = big >= 0.5 * peaks
    radii = rng.choice(_MARKER_RADII, size=members.size)
    for radius in np.unique(radii):
        group = radii == radius
        ink[group] = ndimage.binary_dilation(ink[group], structure=_disk(radius)[None])
    stack[members] = down @ (ink * peaks) @ down.T
    return stack


# The broad marker draws at four times MNIST's size, where a pen's radius of a
# fraction of a stroke's width is still a pixel or more, with a pen whose radius
# is 0.5 to 1.2 times the digit's own stroke width: strokes 2 to 3.4 times as wide.
_BROAD_SCALE = 4
_BROAD_RADII = (0.5, 1.2)


def _broad_marker_strokes(stack, chosen, rng):
    if not chosen.any():
        return stack
    stack = stack.copy()
    members = np.flatnonzero(chosen)
    up = resample_weights(IMAGE_SIDE, _BROAD_SCALE * IMAGE_SIDE)
    factors = rng.uniform(*_BROAD_RADII, size=members.size)
    for index, factor in zip(members, factors, strict=True):
        big = up @ stack[index] @ up.T
        peak = big.max()
        if peak <= 0:
            continue
        strokes = big >= 0.5 * peak
        radius = factor * stroke_width(strokes)
        # Room for the wider strokes, which the framing below crops to.
        strokes = np.pad(strokes, int(np.ceil(radius)) + 1)
        distance = ndimage.distance_transform_edt(~strokes)
        ink = np.clip(radius + 0.5 - distance, 0.0, 1.0)
        stack[index] = frame_digits(ink[None])[0] * peak
    return stack


def _warp(stack, d, rng):
    """Affine map and elastic field in one resampling (bilinear)."""
    n = len(stack)
    angle = np.deg2rad(rng.uniform(-d.rotation, d.rotation, n))
    shear = rng.uniform(-d.shear, d.shear, n)
    stretch = np.exp(rng.uniform(-d.aspect, d.aspect, n))
    if not (d.rotation or d.shear or d.aspect or d.elastic):
        return stack
    # Output (row, col) -> input: rotate, shear columns by rows, stretch rows.
    cos, sin = np.cos(angle), np.sin(angle)
    rows, cols = np.mgrid[0:IMAGE_SIDE, 0:IMAGE_SIDE].astype(np.float64) - (IMAGE_SIDE - 1) / 2
    r = rows[None] * stretch[:, None, None]
    c = cols[None] / stretch[:, None, None] + shear[:, None, None] * r
    in_rows = cos[:, None, None] * r - sin[:, None, None] * c
    in_cols = sin[:, None, None] * r + cos[:, None, None] * c
    if d.elastic:
        in_rows += _displacement(n, d, rng)
        in_cols += _displacement(n, d, rng)
    centre = (IMAGE_SIDE - 1) / 2
    index = np.broadcast_to(np.arange(n, dtype=np.float64)[:, None, None], in_rows.shape)
    coordinates = np.stack([index, in_rows + centre, in_cols + centre])
    return ndimage.map_coordinates(stack, coordinates, order=1, mode="constant", cval=0.0)


def _displacement(n, d, rng):
    field = ndimage.gaussian_filter(
        rng.standard_normal((n, IMAGE_SIDE, IMAGE_SIDE)),
        sigma=(0, d.elastic_smoothness, d.elastic_smoothness),
    )
    rms = np.sqrt((field**2).mean(axis=(1, 2), keepdims=True))
    return field * (d.elastic / np.maximum(rms, 1e-12))


def _blur(stack, blurred, rng):
    if not blurred.any():
        return stack
    stack = stack.copy()
    chosen = np.flatnonzero(blurred)
    # Three widths, each applied to its group at once.
    widths = rng.choice((0.6, 0.9, 1.2), size=chosen.size)
    for sigma in (0.6, 0.9, 1.2):
        members = chosen[widths == sigma]
        if members.size:
            stack[members] = ndimage.gaussian_filter(stack[members], sigma=(0, sigma, sigma))
    return stack


def _low_res_round_trip(stack, reduced, sides, rng):
    """Reduce to side x side pixels by area averaging, enlarge back linearly."""
    if not reduced.any():
        return stack
    stack = stack.copy()
    chosen = np.flatnonzero(reduced)
    drawn = rng.integers(sides[0], sides[1] + 1, size=chosen.size)
    for side in np.unique(drawn):
        members = chosen[drawn == side]
        down = resample_weights(IMAGE_SIDE, side)
        up = resample_weights(side, IMAGE_SIDE)
        small = down @ stack[members] @ down.T
        stack[members] = up @ small @ up.T
    return stack


def _to_mnist_frame(stack, peaks):
    """Frame each digit as the reader frames a picture, and give it back its original peak."""
    return frame_digits(stack) * peaks[:, None, None]
