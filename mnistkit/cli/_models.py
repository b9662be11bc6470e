"""Model short names (``sgd``, ``svc-ovr``, ...) and ``--model-option key=value`` parsing."""

import inspect
import json

from ..classifier import CLASSIC, PRESETS

MODEL_NAMES = PRESETS
DEFAULT_MODELS = CLASSIC


def _classifier():
    from ..classifier import MNISTClassifier

    return MNISTClassifier


def check_model_name(name):
    """Return ``name`` if it is a known short name, else raise a ValueError naming them."""
    if name not in MODEL_NAMES:
        msg = f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}."
        raise ValueError(msg)
    return name


def parse_model_list(text):
    """``"sgd,rf"`` -> ``["sgd", "rf"]``, every name checked, no repeats."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        msg = f"--models needs at least one model name, such as sgd,rf; got {text!r}."
        raise ValueError(msg)
    for name in names:
        check_model_name(name)
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        msg = f"--models names {', '.join(repeated)} more than once."
        raise ValueError(msg)
    return names


def parameter_names():
    """The parameters of MNISTClassifier, in the order of its signature."""
    return list(inspect.signature(_classifier().__init__).parameters)[1:]


def parse_value(text):
    """Turn the text of an option value into a Python value.

    ``none``/``null`` -> None, ``true``/``false`` -> bool (any case), integers
    and floats -> numbers, JSON objects and lists (``{"max_iter": 50}``) ->
    dict and list, anything else stays a string.
    """
    lowered = text.strip().lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if text.strip()[:1] in ("{", "[", '"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            msg = f"cannot read {text!r} as JSON: {error.msg} at character {error.pos}."
            raise ValueError(msg) from error
    return text


def parse_model_options(items):
    """``["C=5", "features=hog"]`` -> ``{"C": 5, "features": "hog"}``, keys checked."""
    valid = parameter_names()
    options = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            msg = f"--model-option takes key=value, such as C=5; got {item!r}."
            raise ValueError(msg)
        if key not in valid:
            msg = f"unknown model option {key!r}; valid options are {', '.join(valid)}."
            raise ValueError(msg)
        value = parse_value(value)
        if key == "backend_params" and not (value is None or isinstance(value, dict)):
            msg = (
                "--model-option backend_params takes a JSON object, such as "
                f"backend_params='{{\"max_iter\": 50}}'; got {value!r}."
            )
            raise ValueError(msg)
        options[key] = value
    return options


def make_model(name, *, options=None, random_state=0, n_jobs=None):
    """An unfitted MNISTClassifier for a short name, with options on top."""
    params = dict(MODEL_NAMES[check_model_name(name)])
    params["random_state"] = random_state
    if n_jobs is not None:
        params["n_jobs"] = n_jobs
    params.update(options or {})
    return _classifier()(**params)
