"""Reading pictures with a model, as ``mnistkit predict`` and ``mnistkit demo`` both do."""

from pathlib import Path

from .._predict import predict_with_confidence
from ._data import progress
from ._work import heartbeat, resolve_jobs


def read_pixels(source, number=False):
    """Pixels of the digits in one picture file, or its bytes (a row of 784 per digit),
    and with ``number`` its :class:`~mnistkit.NumberReading` (else None)."""
    from ..imaging import read_digit_image, read_number

    if number:
        reading = read_number(source)
        return reading.pixels, reading
    return read_digit_image(source)[None, :], None


def verdicts(model, pixels, *, min_confidence, max_novelty):
    """Digits, confidences, verdicts and reasons of the pixels; None where not known."""
    if hasattr(model, "assess"):
        try:
            result = model.assess(pixels, min_confidence=min_confidence, max_novelty=max_novelty)
        except ValueError:  # a model that learnt no novelty: no verdicts
            pass
        else:
            return result.prediction, result.confidence, result.verdict, result.reason
    digits, confidence = predict_with_confidence(model, pixels)
    return digits, confidence, None, None


def named_as_model(path):
    """Whether ``path`` has a model file's suffix, ``.mnistkit``, whether or not it exists."""
    return str(path).endswith(".mnistkit")


def is_model_file(path):
    """Whether ``path`` names a model file: by its suffix, or by its first line."""
    from ..classifier import read_model_header

    if named_as_model(path):
        return True
    try:
        read_model_header(path)
    except (OSError, ValueError):
        return False
    return True


def load_model_file(path):
    """The model in a file, and how it was trained as its header records it ({} if not)."""
    from ..classifier import load_model, read_model_header

    model = load_model(path)
    return model, read_model_header(path).get("training") or {}


def _trained_on(recorded):
    """ "svc, trained on 60,000 images of MNIST", from a model file's record; None if unsaid."""
    if "n_train" not in recorded:
        return None
    data = {"mnist": "MNIST", "sample": "the MNIST sample"}.get(recorded.get("dataset"), "MNIST")
    return f"{recorded.get('name', 'model')}, trained on {recorded['n_train']:,} images of {data}"


def model_for(args):
    """The model of ``--model FILE``, else the default model; and a line that names it.

    The default model is trained the first time (MNIST downloaded if need be),
    on all usable cores, and then cached in the data folder.
    """
    from ..classifier import default_model_path, load_default_model, read_model_header

    if args.model is not None:
        model, recorded = load_model_file(args.model)
        trained = _trained_on(recorded)
        return model, f"{Path(args.model).name}" + (f" ({trained})" if trained else "")
    n_jobs, _ = resolve_jobs(None, dataset="mnist")
    with heartbeat(args, "training the default model"):
        model = load_default_model(
            data_home=args.data_home, mirror=args.mirror, n_jobs=n_jobs, verbose=not args.quiet
        )
    path = default_model_path(args.data_home)
    try:
        recorded = read_model_header(path).get("training") or {}
    except (OSError, ValueError):  # not cached: a data folder that cannot be written
        recorded = {}
    trained = _trained_on(recorded)
    description = "the default model" + (f" ({trained})" if trained else "")
    progress(args, f"{description}, from {path}")
    return model, description
