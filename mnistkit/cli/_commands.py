"""What each ``mnistkit`` command does, once its arguments are parsed."""

import dataclasses
import errno
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from .._geometry import IMAGE_SIDE
from ..classifier import model_file_options
from ._data import load_data, progress
from ._messages import one_line
from ._models import make_model, parse_model_list, parse_model_options
from ._reading import load_model_file, model_for, read_pixels, verdicts
from ._work import heartbeat, resolve_jobs


def _use_agg():
    """Draw off-screen, unless the caller's pyplot has already chosen a backend."""
    if "matplotlib.pyplot" not in sys.modules:
        import matplotlib

        matplotlib.use("Agg")


def _output_folder(path, option="--output"):
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        msg = f"{option} {path} is a file, not a folder."
        raise ValueError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# -- fetch ----------------------------------------------------------------------------


def cmd_fetch(args):
    from ..datasets import fetch_mnist, get_data_home

    subsets = {}
    for subset in ("train", "test"):
        subsets[subset] = fetch_mnist(
            subset=subset, data_home=args.data_home, mirror=args.mirror,
            progress=False if args.quiet else None,
        )
    print(f"MNIST is cached in {get_data_home(args.data_home)}")
    for subset, mnist in subsets.items():
        counts = np.bincount(mnist.target, minlength=10)
        per_digit = " ".join(f"{d}:{n}" for d, n in enumerate(counts))
        print(f"  {subset:<5} {len(mnist.target):>6,} images of 28x28 pixels  ({per_digit})")
    print("All four files match the official SHA-256 checksums.")
    return 0


# -- compare --------------------------------------------------------------------------


def cmd_compare(args):
    from ..classifier import default_models
    from ..evaluation import compare_models

    if args.models is None:
        models = default_models(random_state=args.seed)
        names = list(models)
    else:
        names = parse_model_list(args.models)
        models = {name: make_model(name, random_state=args.seed) for name in names}
    # Checked before the long work, not after it.
    folder = _output_folder(args.output) if args.output else None
    data = load_data(args)
    progress(args, f"data: {data.describe()}")
    n_jobs, why = resolve_jobs(args.n_jobs, dataset=args.dataset)
    progress(args, f"the fits share {n_jobs} {'core' if n_jobs == 1 else 'cores'} ({why})")
    with heartbeat(args, "comparing"):
        comparison = compare_models(
            data.X_train, data.y_train, data.X_test, data.y_test, models=models, cv=args.cv,
            n_jobs=n_jobs, random_state=args.seed, verbose=not args.quiet,
        )
    best = comparison.best()
    best_entry = comparison.results[comparison.names.index(best)]
    summary = f"Best: {best} (test accuracy {best_entry['test_accuracy']:.4f})."
    heading = f"Comparison of {', '.join(names)} on {data.describe()}."
    text = f"{heading}\n\n{comparison.to_text()}\n\n{summary}"
    print(text, flush=True)

    if folder is not None:
        document = comparison.to_dict()
        document["data"] = {**data.record(), "n_test": len(data.y_test)}
        paths = [
            _write(folder / "comparison.txt", text + "\n"),
            _write(
                folder / "comparison.md",
                f"# MNIST model comparison\n\n{heading}\n\n{comparison.to_markdown()}\n\n"
                f"{summary}\n\n![Accuracy against training time](comparison.png)\n",
            ),
            _write(
                folder / "comparison.json",
                json.dumps(document, indent=1, allow_nan=False) + "\n",
            ),
        ]
        _use_agg()
        from ..plotting import ComparisonDisplay

        figure = ComparisonDisplay.from_comparison(comparison).figure_
        try:
            figure.savefig(folder / "comparison.png", dpi=150, bbox_inches="tight")
        finally:
            import matplotlib.pyplot as plt

            plt.close(figure)
        paths.append(folder / "comparison.png")
        progress(args, "wrote " + ", ".join(str(path) for path in paths))
    return 0


# -- train ----------------------------------------------------------------------------


def _parallel(n_jobs):
    """Run the block's joblib work on ``n_jobs`` processes.

    Through joblib's context, not the model's ``n_jobs`` parameter: the saved
    model keeps the library's default, and is the same whatever machine trained it.
    """
    import joblib

    return joblib.parallel_config(n_jobs=n_jobs)


def cmd_train(args):
    # A model file is made to read people's pictures, and say how sure it is.
    options = {**model_file_options(args.backend), **parse_model_options(args.model_option)}
    model = make_model(args.backend, options=options, random_state=args.seed)
    output = Path(args.output)
    if output.is_dir():
        msg = f"-o {args.output} is a folder; give the path of the model file to write."
        raise ValueError(msg)
    if not output.parent.is_dir():
        msg = f"cannot write -o {args.output}: the folder {output.parent} does not exist."
        raise FileNotFoundError(msg)
    if not os.access(output.parent, os.W_OK | os.X_OK):
        # Found now, not after minutes of training.
        msg = f"cannot write -o {args.output}: the folder {output.parent} is not writable."
        raise PermissionError(msg)
    data = load_data(args)
    n_jobs, why = resolve_jobs(args.n_jobs, dataset=args.dataset)
    progress(args, f"training {args.backend} on {len(data.y_train):,} images, with up to "
                   f"{n_jobs} process{'es' if n_jobs > 1 else ''} ({why})")
    start = time.perf_counter()
    with heartbeat(args, f"training {args.backend}"), _parallel(n_jobs):
        model.fit(data.X_train, data.y_train)
    seconds = time.perf_counter() - start
    progress(args, f"trained in {seconds:.1f} s")
    # The header remembers the data, so that ``mnistkit evaluate`` tests the model on
    # the matching test images by default.
    model.save(output, training={**data.record(), "name": args.backend})
    defaults = type(model)().get_params()
    changed = {
        key: value for key, value in model.get_params().items()
        if value != defaults.get(key) and key != "backend"
    }
    settings = ", ".join(f"{key}={value!r}" for key, value in sorted(changed.items()))
    settings = f" ({settings})" if settings else ""
    # The test images are named as left out, never as trained on.
    print(f"Trained {args.backend}{settings} in {seconds:.1f} s on the "
          f"{len(data.y_train):,} training images of {data.source()}; its "
          f"{len(data.y_test):,} test images are left for mnistkit evaluate.")
    print(f"Saved the model to {output}.")
    print(f"Next: mnistkit evaluate {output}   or   mnistkit predict --model {output} IMAGE.png")
    return 0


# -- evaluate -------------------------------------------------------------------------


def _data_options(args, recorded):
    """Fill ``--dataset``, ``--split`` and ``--seed`` left out from the model's record."""
    defaults = {"dataset": "mnist", "split": "official", "seed": 0}
    for key, default in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, recorded.get(key, default))
    same = (recorded.get("split"), recorded.get("seed")) == (args.split, args.seed)
    both_official = recorded.get("split") == args.split == "official"
    if recorded and not same and not both_official:
        progress(
            args,
            f"warning: the model was trained on the {recorded.get('split')} split "
            f"(seed {recorded.get('seed')}); the {args.split} split's test images may "
            "include some it was trained on, which inflates the scores",
        )


def _model_record(model):
    """The model's class and the parameters it changed from their defaults, as plain values."""
    from ._html import changed_parameters

    return {
        "class": type(model).__name__,
        "changed_parameters": {key: repr(value) if not isinstance(
            value, (str, int, float, bool, type(None))) else value
            for key, value in changed_parameters(model).items()},
    }


def cmd_evaluate(args):
    from ..evaluation import evaluate

    model, recorded = load_model_file(args.model)
    folder = _output_folder(args.output) if args.output else None
    _data_options(args, recorded)
    data = load_data(args, need_train=False)
    progress(args, f"evaluating on the {len(data.y_test):,} test images")
    with heartbeat(args, "evaluating"):
        result = evaluate(model, data.X_test, data.y_test)
    name = recorded.get("name", model.backend)
    heading = (
        f"Model {args.model} ({name}), tested on the {len(data.y_test):,} test images of "
        + f"{data.source()}."
    )
    print(heading)
    print()
    print(result.to_text(), flush=True)

    if folder is not None:
        from ._html import evaluation_page

        paths = result.save(folder, curves=args.per_image, metadata={
            "data": {"dataset": data.dataset, "split": data.split, "seed": data.seed,
                     "n_test": len(data.y_test)},
            "model": _model_record(model),
        })
        _use_agg()
        from ..plotting import save_figures

        progress(args, "drawing the plots")
        figures = save_figures(result, folder, formats=("png",))
        page = folder / "index.html"
        _write(page, evaluation_page(result, heading, [p.name for p in figures], model,
                                     training=recorded or None))
        paths += [*figures, page]
        progress(args, f"wrote {len(paths)} files to {folder}; open {page}")
    return 0


# -- predict --------------------------------------------------------------------------



def _show(folder, path, pixels, name=None):
    """Write FOLDER/<name>.seen.png: the input, and beside it what the model saw.

    ``name`` defaults to the input's file name.
    """
    from PIL import Image, ImageOps

    height = 10 * IMAGE_SIDE
    with Image.open(path) as image:
        picture = ImageOps.exif_transpose(image)
        picture.thumbnail((4 * height, height))
    if picture.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in picture.info:
        # Transparent parts on white paper, as a viewer shows them, not black;
        # light strokes (a dark canvas saved transparent) on black, to be seen.
        picture = picture.convert("RGBA")
        colours = np.asarray(picture, dtype=np.float64)
        opaque = colours[..., 3] > 127
        light = opaque.any() and colours[opaque][:, :3].mean() > 127
        paper = Image.new("RGBA", picture.size, "black" if light else "white")
        picture = Image.alpha_composite(paper, picture)
    if picture.mode in ("I", "F") or picture.mode.startswith("I;16"):
        # 16-bit and float pictures: their own range, not clipped at 255.
        array = np.asarray(picture, dtype=np.float64)
        array = 255 * (array - array.min()) / max(np.ptp(array), 1e-12)
        picture = Image.fromarray(array.astype(np.uint8))
    picture = picture.convert("RGB")
    digits = [
        Image.fromarray(row.reshape(IMAGE_SIDE, IMAGE_SIDE)).resize(
            (height, height), Image.Resampling.NEAREST)
        for row in pixels
    ]
    gap = 10
    width = picture.width + sum(gap + digit.width for digit in digits)
    sheet = Image.new("RGB", (width, max(height, picture.height)), "white")
    sheet.paste(picture, (0, 0))
    left = picture.width
    for digit in digits:
        sheet.paste(digit.convert("RGB"), (left + gap, 0))
        left += gap + digit.width
    out = folder / f"{name or Path(path).name}.seen.png"
    sheet.save(out)
    return out


# Exit status of 'mnistkit predict' when every file was read but some picture is
# not a digit, or its digit is unsure (1 is an unreadable file or another error).
EXIT_NOT_ALL_DIGITS = 3
# Pictures predicted together: a batch costs less per picture than one at a time,
# and results still appear as they come (a line at most this long after its file).
_CHUNK_FILES = 16
_CHUNK_SECONDS = 0.5
# Ink at least this many times as wide as tall, in the picture the model
# saw, may be the digits of a number run together (a screenshot of "42"): a
# picture so wide that is not read as a digit gets a word on --number. 4.6% of
# MNIST's training digits are as wide (their ink at half the peak or more).
_NUMBER_LIKE = 1.2


def _wider_than_tall(pixels):
    """Whether the ink of a picture the model saw (its pixels at half the peak or
    more) is at least ``_NUMBER_LIKE`` times as wide as tall."""
    ink = np.asarray(pixels).reshape(IMAGE_SIDE, IMAGE_SIDE) >= 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return False
    return cols[-1] - cols[0] + 1 >= _NUMBER_LIKE * (rows[-1] - rows[0] + 1)


def _doubt(verdict, reason):
    """The worst verdict of a picture's digits, and why; ("digit", "") for a sure digit."""
    if all(v == "digit" for v in verdict):
        return "digit", ""
    worst = "not a digit" if any(v == "not a digit" for v in verdict) else "unsure"
    return worst, "; ".join(dict.fromkeys(r for r in reason if r))


class _Predictions:
    """Predict the pixels of files in small batches and print a line per file, in order."""

    def __init__(self, model, args, folder):
        self.model, self.args, self.folder = model, args, folder
        self.width = max(len(str(path)) for path in args.images)
        # (path, pixels and the reading of a number, or the reason why no digit is in it)
        self.pending = []
        self.started = time.monotonic()
        self.doubtful = 0
        self.confidence_known = self.verdicts_known = True
        self.any_read = False
        self.shown = {}  # name of each --show picture: how many inputs had it
        self.no_digit = 0  # pictures in which the reading found no digit to show the model
        self.wide_doubts = 0  # pictures read as one doubtful digit, whose ink is wide

    def add(self, path, pixels=None, no_digit=None, number=None):
        self.pending.append((path, pixels, number, no_digit))
        if (len(self.pending) >= _CHUNK_FILES
                or time.monotonic() - self.started >= _CHUNK_SECONDS):
            self.flush()

    def flush(self):
        rows = [pixels for _, pixels, _, _ in self.pending if pixels is not None]
        if rows:
            self.any_read = True
            digits, confidence, verdict, reason = verdicts(
                self.model, np.concatenate(rows), min_confidence=self.args.min_confidence,
                max_novelty=self.args.max_novelty)
            self.confidence_known &= confidence is not None
            self.verdicts_known &= verdict is not None
        start = 0
        for path, pixels, number, no_digit in self.pending:
            if pixels is None:
                self.doubtful += 1
                self.no_digit += 1
                self._print(path, f"not a digit: {no_digit}")
                continue
            found = slice(start, start + len(pixels))
            start += len(pixels)
            line, doubt = self._line(digits[found], number,
                                     None if confidence is None else confidence[found],
                                     None if verdict is None else verdict[found],
                                     None if reason is None else reason[found])
            self._print(path, line)
            if doubt != "digit" and not self.args.number and _wider_than_tall(pixels):
                self.wide_doubts += 1
            if self.folder is not None:
                _show(self.folder, path, pixels, self._show_name(path))
        self.pending = []
        self.started = time.monotonic()

    def _line(self, digits, number, confidence, verdict, reason):
        """The line printed for a picture's digits (with a number's separators), and
        their worst verdict."""
        shown = ("n/a" if confidence is None
                 else " ".join(f"{value:.3f}" for value in confidence))
        text = ("".join(str(digit) for digit in digits) if number is None
                else dataclasses.replace(number, digits=np.asarray(digits)).text)
        count = f"{len(digits)} digit{'s' if len(digits) > 1 else ''}"
        doubt, why = ("digit", "") if verdict is None else _doubt(verdict, reason)
        self.doubtful += doubt != "digit"
        if doubt == "not a digit":
            # The guess comes after the verdict: the second column is never it.
            count = f", {count}" if self.args.number else ""
            return f"not a digit: {why}  (best guess {text}{count}, confidence {shown})", doubt
        if self.args.number:
            text += f"  {count}"
        line = f"{text}  confidence {shown}"
        return line + (f"  {doubt}: {why}" if doubt != "digit" else ""), doubt

    def _show_name(self, path):
        """The input's file name; numbered from the second input of the same name on."""
        name = Path(path).name
        count = self.shown[name] = self.shown.get(name, 0) + 1
        return name if count == 1 else f"{Path(name).stem}-{count}{Path(name).suffix}"

    def _print(self, path, line):
        print(f"{path!s:<{self.width}}  {line}", flush=True)


def cmd_predict(args):
    from ..imaging import NoDigitError

    model, description = model_for(args)
    if args.model is not None:
        progress(args, f"model {description}")
    folder = _output_folder(args.show, "--show") if args.show else None
    predictions = _Predictions(model, args, folder)
    failed = 0
    for path in args.images:
        try:
            pixels, number = read_pixels(path, args.number)
        except NoDigitError as error:
            # Read, and no digit in it: an answer about the picture, not a failure.
            why = one_line(error).removeprefix(f"{path}: ").removeprefix("no digit found: ")
            predictions.add(path, no_digit=why.rstrip("."))
        except Exception as error:
            # One bad file does not stop the others: it is reported on its own line,
            # after the lines of the files before it.
            predictions.flush()
            if not isinstance(error, (OSError, ValueError)):
                error = f"{path}: could not be read ({type(error).__name__}: {error})"
            print(f"mnistkit predict: error: {one_line(error)}", file=sys.stderr, flush=True)
            failed += 1
        else:
            predictions.add(path, pixels, number=number)
    predictions.flush()
    if predictions.any_read and not predictions.confidence_known:
        progress(
            args,
            "this model gives no probabilities, so no confidence; train it with "
            "--model-option probability=fast to have them",
        )
    elif predictions.any_read and not predictions.verdicts_known:
        progress(
            args,
            "this model cannot tell a digit from something else, nor say when it is "
            "unsure: that takes an SVM or SGD model with probability='fast', as "
            "'mnistkit train' writes with --backend svc (the default), svc-accurate or sgd",
        )
    if predictions.wide_doubts:
        count = predictions.wide_doubts
        several = count > 1
        progress(args, f"{count} picture{'s' if several else ''} not read as a sure digit "
                 f"{'hold' if several else 'holds'} ink wider than tall, as a number's "
                 f"digits run together do: if {'they are numbers' if several else 'it is a number'}"
                 ", add --number")
    if folder is not None and predictions.any_read:
        shared = sum(count - 1 for count in predictions.shown.values())
        numbered = (f"; {shared} input{'s' if shared > 1 else ''} sharing a file name "
                    "with an earlier one got a number (NAME-2.png.seen.png, ...)"
                    if shared else "")
        progress(args, f"wrote what the model saw to {folder}{numbered}")
    if folder is not None and predictions.no_digit:
        # Nothing reached the model from them: say so, or their absence looks like a bug.
        count = predictions.no_digit
        progress(args, f"{count} picture{'s' if count > 1 else ''} with no digit found "
                 f"{'have' if count > 1 else 'has'} nothing in {folder}: the model saw "
                 f"nothing of {'them' if count > 1 else 'it'}")
    if failed:
        if len(args.images) > 1:
            print(
                f"mnistkit predict: {failed} of {len(args.images)} image files could "
                "not be read",
                file=sys.stderr,
            )
        return 1
    return EXIT_NOT_ALL_DIGITS if predictions.doubtful else 0


# -- demo -----------------------------------------------------------------------------


def cmd_demo(args):
    from ._demo import make_server

    model, description = model_for(args)
    try:
        server = make_server(
            model, port=args.port, description=description,
            min_confidence=args.min_confidence, max_novelty=args.max_novelty,
            log=lambda line: progress(args, line),
        )
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        msg = (f"port {args.port} is in use: give another with --port, or --port 0 for "
               "any free port.")
        raise OSError(error.errno, msg) from error
    with server:
        print(f"The mnistkit demo is at {server.url}  (reading with {description}; "
              "Ctrl-C to stop)", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # the way to stop it: not an error
            progress(args, "stopped")
    return 0
