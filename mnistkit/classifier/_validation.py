"""Every parameter of MNISTClassifier, what it accepts, and which backends use it.

One declarative table, checked in full at the start of ``fit``, in the spirit
of scikit-learn's ``_parameter_constraints`` (whose helpers are private, so
this is a small equivalent built on public Python only). A new parameter is
one new row of ``PARAMETERS``; ``tests/test_classifier.py`` fails while a
parameter of ``__init__`` has no row.

Error messages use scikit-learn's wording::

    The 'C' parameter of MNISTClassifier must be a float in the range (0.0, inf)
    or None. Got 'abc' instead.
"""

import inspect
import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

from . import _augment, _backends


class InvalidParameterError(ValueError, TypeError):
    """A parameter value that the table refuses.

    Both a ``ValueError`` and a ``TypeError``, as scikit-learn's own, so that
    code catching either for a wrong value or a wrong type keeps working.
    """


class Interval(NamedTuple):
    """Numbers of ``kind`` (``numbers.Integral`` or ``numbers.Real``) between two bounds.

    A bound of None is unbounded; ``closed`` is "left", "right", "both" or
    "neither". Booleans are never numbers here: ``C=True`` is a mistake.
    """

    kind: type
    left: float | None
    right: float | None
    closed: str

    def accepts(self, value):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, self.kind):
            return False
        if isinstance(value, numbers.Real) and math.isnan(value):
            return False
        left_ok = (
            self.left is None
            or value > self.left
            or (value == self.left and self.closed in ("left", "both"))
        )
        right_ok = (
            self.right is None
            or value < self.right
            or (value == self.right and self.closed in ("right", "both"))
        )
        return left_ok and right_ok

    def describe(self):
        integral = self.kind is numbers.Integral
        name = "an int" if integral else "a float"
        if self.left is None and self.right is None:
            return name

        def bound(value, infinite):
            if value is None:
                return infinite
            return str(int(value)) if integral else str(float(value))

        opening = "[" if self.closed in ("left", "both") and self.left is not None else "("
        closing = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        low, high = bound(self.left, "-inf"), bound(self.right, "inf")
        return f"{name} in the range {opening}{low}, {high}{closing}"


class Options(NamedTuple):
    """One of a few strings."""

    values: tuple

    def accepts(self, value):
        return isinstance(value, str) and value in self.values

    def describe(self):
        return "a str among {" + ", ".join(repr(v) for v in self.values) + "}"


class InstanceOf(NamedTuple):
    """An instance of one of ``types``, described as ``name``."""

    types: tuple
    name: str

    def accepts(self, value):
        return isinstance(value, self.types)

    def describe(self):
        return self.name


class Sizes(NamedTuple):
    """A non-empty tuple or list of ints of at least 1, such as the channels of layers."""

    def accepts(self, value):
        return (
            isinstance(value, (tuple, list)) and len(value) > 0
            and all(_POSITIVE_INT.accepts(v) for v in value)
        )

    def describe(self):
        return "a non-empty tuple of ints in the range [1, inf)"


class OddSize(NamedTuple):
    """An odd int of at least 1, such as the side of a kernel that keeps an image's size."""

    def accepts(self, value):
        return _POSITIVE_INT.accepts(value) and value % 2 == 1

    def describe(self):
        return "an odd int in the range [1, inf)"


class Rule(NamedTuple):
    """What a parameter accepts, and the backends that use it (None: all)."""

    accepts: tuple
    allow_none: bool = False
    backends: frozenset | None = None


_POSITIVE_FLOAT = Interval(numbers.Real, 0, None, "neither")
_POSITIVE_INT = Interval(numbers.Integral, 1, None, "left")

# Parameter -> what it accepts. Keep in the order of MNISTClassifier.__init__.
PARAMETERS = {
    "backend": Rule((Options(_backends.BACKENDS),)),
    "multiclass": Rule((Options(tuple(m for m in _backends.MULTICLASS if m)),),
                       allow_none=None in _backends.MULTICLASS),
    "mode": Rule((Options(_backends.MODES),)),
    "features": Rule((Options(_backends.FEATURES),)),
    "scaler": Rule((Options(_backends.SCALERS),)),
    "n_components": Rule((_POSITIVE_INT, Options(("auto",))), allow_none=True),
    "C": Rule((_POSITIVE_FLOAT,), allow_none=True, backends=frozenset({"svc", "logistic"})),
    "gamma": Rule((_POSITIVE_FLOAT, Options(("scale", "auto"))), allow_none=True,
                  backends=frozenset({"svc"})),
    "alpha": Rule((_POSITIVE_FLOAT,), allow_none=True, backends=frozenset({"sgd"})),
    "n_estimators": Rule((_POSITIVE_INT,), backends=frozenset({"rf"})),
    "epochs": Rule((_POSITIVE_INT,), allow_none=True, backends=frozenset({"cnn"})),
    "probability": Rule((InstanceOf((bool, np.bool_), "a bool"), Options(("fast",)))),
    # joblib's n_jobs: a positive count, or -1, -2, ... for all processors but a few.
    "n_jobs": Rule((Interval(numbers.Integral, None, -1, "right"), _POSITIVE_INT),
                   allow_none=True),
    "random_state": Rule(
        (
            Interval(numbers.Integral, 0, 2**32 - 1, "both"),
            InstanceOf((np.random.RandomState,), "an instance of numpy.random.RandomState"),
        ),
        allow_none=True,
    ),
    "backend_params": Rule((InstanceOf((dict,), "a dict"),), allow_none=True),
    # The kinds, counts and dict keys are checked in detail by _augment.check_augment.
    "augment": Rule(
        (Options(tuple(_augment.KINDS)), Interval(numbers.Integral, 0, None, "left"),
         InstanceOf((dict,), "a dict")),
        allow_none=True,
    ),
}


# backend="cnn": what each key of backend_params accepts (the parameters of
# _cnn.CNNClassifier). The other backends' keys are checked by scikit-learn's estimators.
CNN_PARAMETERS = {
    "epochs": Rule((_POSITIVE_INT,)),
    "batch_size": Rule((_POSITIVE_INT,)),
    "lr": Rule((_POSITIVE_FLOAT,)),
    "weight_decay": Rule((Interval(numbers.Real, 0, None, "left"),)),
    "channels": Rule((Sizes(),)),
    "convolutions": Rule((_POSITIVE_INT,)),
    "kernel": Rule((OddSize(),)),
    "hidden": Rule((_POSITIVE_INT,)),
    "dropout": Rule((Interval(numbers.Real, 0, 1, "left"),)),
    "shift": Rule((Interval(numbers.Real, 0, None, "left"),)),
    "rotation": Rule((Interval(numbers.Real, 0, 180, "both"),)),
    "zoom": Rule((Interval(numbers.Real, 0, 1, "left"),)),
    "device": Rule((InstanceOf((str,), "a str such as 'auto', 'cpu' or 'cuda:1'"),)),
    "verbose": Rule((InstanceOf((bool, np.bool_), "a bool"),
                     Interval(numbers.Integral, 0, None, "left"))),
    "n_jobs": PARAMETERS["n_jobs"],
    "random_state": PARAMETERS["random_state"],
}


def _describe(rule):
    parts = [constraint.describe() for constraint in rule.accepts]
    if rule.allow_none:
        parts.append("None")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def check_parameter(owner, name, value, rule, kind="parameter"):
    """Raise InvalidParameterError unless ``rule`` accepts ``value``."""
    if value is None and rule.allow_none:
        return
    if any(constraint.accepts(value) for constraint in rule.accepts):
        return
    msg = (
        f"The {name!r} {kind} of {owner} must be {_describe(rule)}. "
        f"Got {value!r} instead."
    )
    raise InvalidParameterError(msg)


def check_cnn_params(owner, backend_params):
    """Check each key of ``backend_params`` of backend="cnn" against ``CNN_PARAMETERS``."""
    for key, value in (backend_params or {}).items():
        if key not in CNN_PARAMETERS:
            msg = (
                f"backend_params of {owner} has the key {key!r}, which backend='cnn' does "
                f"not take; it takes {', '.join(CNN_PARAMETERS)}."
            )
            raise InvalidParameterError(msg)
        check_parameter(owner, key, value, CNN_PARAMETERS[key], kind="key of backend_params")


def _defaults(estimator):
    signature = inspect.signature(type(estimator).__init__)
    return {
        name: p.default for name, p in signature.parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def validate_parameters(estimator):
    """Check every parameter of ``estimator`` against ``PARAMETERS``.

    Then warn about each parameter set to something other than its default that
    the chosen backend does not use (``backend="rf", C=5``): a warning rather
    than an error, so that a grid search over backends and their parameters
    together still runs; the warning says how to avoid it.
    """
    owner = type(estimator).__name__
    params = estimator.get_params(deep=False)
    for name, value in params.items():
        # A parameter without a row is a test failure (test_classifier.py), not a user's.
        if name in PARAMETERS:
            check_parameter(owner, name, value, PARAMETERS[name])
    if params["backend"] == "cnn":
        check_cnn_params(owner, params["backend_params"])

    defaults = _defaults(estimator)
    backend = params["backend"]
    unused = [
        name for name, rule in PARAMETERS.items()
        if rule.backends is not None and backend not in rule.backends
        and name in params and not _same(params[name], defaults.get(name))
    ]
    if unused:
        items = [
            f"{name}={params[name]!r} (used by "
            + " and ".join(repr(b) for b in sorted(PARAMETERS[name].backends)) + " only)"
            for name in unused
        ]
        msg = (
            f"backend={backend!r} ignores " + " and ".join(items) + ". In a grid search, "
            "give each backend its own grid, such as "
            "[{'backend': ['svc'], 'C': [1, 10]}, {'backend': ['rf']}]."
        )
        # fit -> _check_params -> here: the warning points at the user's call to fit.
        warnings.warn(msg, UserWarning, stacklevel=4)


def _same(value, default):
    # 100 and 100.0 are the same setting; a numpy scalar equals its Python twin.
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return value is default
