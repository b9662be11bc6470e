"""Argument parsing and dispatch for the ``mnistkit`` command."""

import argparse
import sys
import textwrap
import warnings

from .._version import __version__
from ._messages import one_line
from ._models import DEFAULT_MODELS, MODEL_NAMES

#: The port of ``mnistkit demo`` unless --port is given.
DEMO_PORT = 8028

_EPILOG = """\
examples:
  mnistkit compare --dataset sample      the classic comparison, offline, in seconds
  mnistkit compare --output results      on MNIST (downloaded once), tables and plot saved
  mnistkit train --backend svc -o svc.mnistkit
  mnistkit evaluate svc.mnistkit --output report
  mnistkit predict --model svc.mnistkit digit.png
  mnistkit demo                         draw a digit in your browser

Run "mnistkit COMMAND --help" for each command's options.
"""


def _parsed(text, convert, accepts, expected):
    """``text`` converted, if ``accepts`` the value; else argparse's error, in words."""
    try:
        value = convert(text)
    except ValueError:
        value = None
    if value is None or not accepts(value):
        msg = f"expected {expected}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _positive_int(text):
    return _parsed(text, int, lambda value: value >= 1, "a positive integer")


def _folds(text):
    value = _positive_int(text)
    if value < 2:
        msg = f"cross-validation needs at least 2 folds, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _n_jobs(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        msg = f"expected a non-zero integer (-1 for all processors), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _add_common(parser):
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an error"
    )


def _add_download(parser):
    parser.add_argument(
        "--data-home", metavar="DIR",
        help="MNIST cache folder (default: MNISTKIT_DATA_DIR, else the per-user cache)",
    )
    parser.add_argument(
        "--mirror", metavar="URL",
        help="mirror base URL(s) to download from, comma-separated "
             "(default: MNISTKIT_MIRROR, else the public mirrors)",
    )


def _add_data(parser, *, train=True, defaults=True):
    """--dataset, --split, --seed (and --train-size), plus the download options."""
    default = (lambda value: value) if defaults else (lambda value: None)
    remembered = "" if defaults else " (default: as the model was trained, else %s)"
    parser.add_argument(
        "--dataset", choices=("mnist", "sample"), default=default("mnist"),
        help="full MNIST (downloaded and cached the first time) or the 3,000-image sample "
             "shipped with mnistkit (offline, seconds)"
             + (remembered % "mnist" if remembered else " (default: mnist)"),
    )
    parser.add_argument(
        "--split", choices=("official", "stratified"), default=default("official"),
        help="official: MNIST's 60,000 training / 10,000 test images; stratified: all "
             "70,000 shuffled and split 80/20 by digit (56,000 / 14,000), as the classic "
             "notebook" + (remembered % "official" if remembered else " (default: official)"),
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", default=default(0),
        help=(
            "random seed of the stratified split, the subsets, the folds and the models"
            " (default: 0)" if train else
            "random seed of the stratified split" + remembered % "0"
        ),
    )
    if train:
        parser.add_argument(
            "--train-size", type=_positive_int, metavar="N",
            help="train on a stratified random subset of N training images (default: all)",
        )
    _add_download(parser)


def _command(commands, name, handler, *, help, description, example):
    parser = commands.add_parser(
        name, help=help, description=textwrap.fill(description, 79, break_on_hyphens=False),
        epilog=f"example{'s' if example.count(chr(10)) else ''}:\n{example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser():
    """The argument parser of the ``mnistkit`` command."""
    from . import _commands

    parser = argparse.ArgumentParser(
        prog="mnistkit",
        description="MNIST with scikit-learn: download, compare, train, evaluate, predict.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"mnistkit {__version__}")
    # Its own dest: a sub-command's --debug default would overwrite this one's.
    parser.add_argument(
        "--debug", action="store_true", dest="debug_all",
        help="show the full traceback of an error",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = ", ".join(MODEL_NAMES)

    fetch = _command(
        commands, "fetch", _commands.cmd_fetch,
        help="download and verify MNIST, print where it is cached",
        description="Download MNIST (if needed), verify it and print a summary.",
        example="  mnistkit fetch --data-home ./mnist-data",
    )
    _add_download(fetch)
    _add_common(fetch)

    compare = _command(
        commands, "compare", _commands.cmd_compare,
        help="compare classifiers: cross-validated accuracy, timings, test accuracy",
        description=(
            "Compare classifiers by stratified k-fold cross-validation on the training "
            "images (accuracy, fit and predict seconds per fold), then refit each on all "
            "of them and score it on the test images. The table goes to standard output, "
            "progress to standard error."
        ),
        example=(
            "  mnistkit compare --dataset sample                 offline, in seconds\n"
            "  mnistkit compare --models sgd,rf --cv 5 --output results\n"
            "  mnistkit compare --split stratified --seed 42     the classic notebook's split"
        ),
    )
    compare.add_argument(
        "--models", metavar="NAMES",
        help=f"comma-separated models among {names} "
             f"(default: {','.join(DEFAULT_MODELS)})",
    )
    compare.add_argument(
        "--cv", type=_folds, default=3, metavar="K", help="cross-validation folds (default: 3)"
    )
    _add_data(compare)
    compare.add_argument(
        "--n-jobs", type=_n_jobs, metavar="N",
        help="cores the fits share (default: every usable core, as free memory "
             "allows; 1 to stay on one core; -1 every core)",
    )
    compare.add_argument(
        "-o", "--output", metavar="DIR",
        help="also write comparison.txt, .md, .json and the plot comparison.png to DIR",
    )
    _add_common(compare)

    train = _command(
        commands, "train", _commands.cmd_train,
        help="train a classifier and save it to a file",
        description=(
            "Train a classifier on the training images and save it to a model file "
            "(.mnistkit). The model has the library's settings for the chosen backend, "
            "with a cheap calibration that gives 'mnistkit predict' its confidence "
            "(probability='fast', about a sixth more fit time; -m probability=false "
            "leaves it out). '--backend svc' trains MNISTClassifier(random_state=SEED, "
            "probability='fast', augment='writers'): the library's default SVM, which "
            "also learns from copies of 30% of the digits drawn with a felt marker or "
            "distorted as other hands and cameras would, to read other people's "
            "handwriting (1.7x the fit time, and 99.48% on MNIST's test set against "
            "99.50%; -m augment=none leaves it out); '--backend svc-accurate' learns "
            "from the same copies, '--backend cnn' from a copy of every digit drawn with "
            "a broad marker, 30% of them also reduced to a few pixels and enlarged "
            "again (augment={'kind': 'broad-marker', 'low_res': 0.3}). --model-option "
            "changes any parameter."
        ),
        example=(
            "  mnistkit train --backend svc -o svc.mnistkit\n"
            "  mnistkit train --backend rf --model-option n_estimators=300 -o rf.mnistkit\n"
            "  mnistkit train --dataset sample --backend sgd -m alpha=1e-3 -o sgd.mnistkit"
        ),
    )
    train.add_argument(
        "--backend", default="svc", metavar="NAME", type=_model_name,
        help=f"the model: {names} (default: svc)",
    )
    train.add_argument(
        "-m", "--model-option", action="append", metavar="KEY=VALUE",
        help="a parameter of MNISTClassifier, such as C=5, features=hog, n_components=none "
             "or backend_params='{\"max_iter\": 50}'; repeat for several",
    )
    train.add_argument(
        "-o", "--output", required=True, metavar="FILE",
        help="the model file to write (by convention NAME.mnistkit)",
    )
    _add_data(train)
    train.add_argument(
        "--n-jobs", type=_n_jobs, metavar="N",
        help="processes for the parts of the fit that run in parallel (random forests, "
             "one-vs-rest SVMs, SGD, probability folds; a one-vs-one SVC uses one) "
             "(default: one per usable core; 1 to stay on one core; -1 every core); "
             "not saved in the model",
    )
    _add_common(train)

    evaluate = _command(
        commands, "evaluate", _commands.cmd_evaluate,
        help="evaluate a saved model on the test images",
        description=(
            "Evaluate a model file on the test images: accuracy, per-digit precision, "
            "recall and F1, ROC and precision/recall areas, the most confused digits. "
            "By default the test images are those of the data the model was trained on."
        ),
        example=(
            "  mnistkit evaluate svc.mnistkit\n"
            "  mnistkit evaluate svc.mnistkit --output report   text, JSON, plots and "
            "report/index.html"
        ),
    )
    evaluate.add_argument("model", metavar="MODEL", help="a model file from 'mnistkit train'")
    evaluate.add_argument(
        "-o", "--output", metavar="DIR",
        help="also write report.txt, report.md, evaluation.json, every plot as PNG and "
             "index.html, a page that shows them together",
    )
    evaluate.add_argument(
        "--per-image", action="store_true",
        help="with --output, put the arrays that grow with the test set in "
             "evaluation.json too: the ROC and precision/recall curves, every mistake, "
             "and each image's true and predicted digit (megabytes on MNIST)",
    )
    _add_data(evaluate, train=False, defaults=False)
    _add_common(evaluate)

    predict = _command(
        commands, "predict", _commands.cmd_predict,
        help="predict the digit (or the number) in image files",
        description=(
            "Predict the digit in each image file (PNG, JPEG, TIFF, ...; any size, "
            "dark on light or light on dark, a phone photo or a scan). Each image is "
            "first brought to MNIST's format: the paper's shading taken out, the ink "
            "found by Otsu's threshold, specks, lines and frames dropped, the digit "
            "scaled into a 20x20 box and centred by its centre of mass in 28x28 "
            "pixels. Prints one line per image: the file, the digit and the chance "
            "that it is right. A picture that is not a digit (a letter, a symbol, a "
            "scribble, a blank page) says 'not a digit', and a doubtful reading "
            "'unsure', each with the reason. Exit status: 0 when every picture is "
            "read as a digit, 3 when some picture is not a digit or unsure, 1 when a "
            "file cannot be read (the others are still read). Without --model, the "
            "default model reads them: the one 'mnistkit train' makes, trained on "
            "MNIST the first time (about 30 s, MNIST downloaded if need be) and then "
            "cached in the data folder."
        ),
        example=(
            "  mnistkit predict three.png seven.jpg              with the default model\n"
            "  mnistkit predict --model svc.mnistkit photos/*.jpg --show seen/\n"
            "  mnistkit predict house-number.jpg --number"
        ),
    )
    predict.add_argument(
        "images", nargs="+", metavar="IMAGE",
        help="image files (a model file given first, as 'mnistkit predict svc.mnistkit "
             "IMAGE', is taken as --model)",
    )
    _add_model(predict)
    predict.add_argument(
        "--number", action="store_true",
        help="read several digits in a row in each image (a number), left to right, "
             "with a point, comma, colon or dash between them ('3.5', '12:45', '-7'), and "
             "say how many digits were found; without it each image is one digit, and "
             "specks beside it are never read as more digits",
    )
    predict.add_argument(
        "--show", metavar="DIR",
        help="write DIR/IMAGE.seen.png for each image: the input and, beside it, what "
             "the model saw (28x28)",
    )
    _add_thresholds(predict)
    _add_download(predict)
    _add_common(predict)

    demo = _command(
        commands, "demo", _commands.cmd_demo,
        help="a page in your browser to draw a digit on and see what the model reads",
        description=(
            "Serve a page on this computer (127.0.0.1 only) where you draw a digit with "
            "the mouse or a finger, or drop a photo, and see the digit read, the three "
            "likeliest digits, the 28x28 picture the model saw, and 'not a digit' or "
            "'unsure' when the model says so. Pictures are read as 'mnistkit predict' "
            "reads them, by --model or the default model (trained on MNIST the first "
            "time, then cached). Ctrl-C stops it."
        ),
        example=(
            "  mnistkit demo                          the default model, at "
            f"http://127.0.0.1:{DEMO_PORT}/\n"
            "  mnistkit demo --model svc.mnistkit --port 0 --open"
        ),
    )
    _add_model(demo)
    demo.add_argument(
        "--port", type=_port, default=DEMO_PORT, metavar="N",
        help=f"the port to serve on (default: {DEMO_PORT}; 0 for any free port)",
    )
    demo.add_argument("--open", action="store_true", help="open the page in your browser")
    _add_thresholds(demo)
    _add_download(demo)
    _add_common(demo)
    return parser


def _add_thresholds(parser):
    parser.add_argument(
        "--min-confidence", type=_probability, default=0.8, metavar="P",
        help="call a reading 'unsure' below this chance of being right (default: 0.8; "
             "0 never says unsure)",
    )
    parser.add_argument(
        "--max-novelty", type=_positive, default=1.0, metavar="N",
        help="call a picture 'not a digit' when its novelty, its distance from the "
             "digits the model learnt from, is above N (default: 1, which rejects about "
             "0.5%% of MNIST's digits; higher rejects fewer pictures)",
    )


def _add_model(parser):
    parser.add_argument(
        "--model", metavar="FILE",
        help="a model file from 'mnistkit train' (default: the default model, trained on "
             "MNIST once and cached in the data folder; see mnistkit.load_default_model)",
    )


def _port(text):
    return _parsed(text, int, lambda value: 0 <= value <= 65535,
                   "a port number from 0 to 65535 (0 for any free port)")


def _probability(text):
    return _parsed(text, float, lambda value: 0.0 <= value <= 1.0,
                   "a probability from 0 to 1")


def _positive(text):
    return _parsed(text, float, lambda value: value > 0, "a number above 0")


def _model_name(text):
    if text not in MODEL_NAMES:
        msg = f"unknown backend {text!r}; choose from {', '.join(MODEL_NAMES)}"
        raise argparse.ArgumentTypeError(msg)
    return text


def _model_given_first(parser, args):
    """Take a model file given before the images as ``--model``: the form of mnistkit 0.1."""
    from ._reading import is_model_file, named_as_model

    first = args.images[0]
    if args.model is None and is_model_file(first):
        if len(args.images) == 1:
            parser.error(f"{first} is a model file: give the images to read after it "
                         f"(mnistkit predict --model {first} IMAGE ...)")
        args.model, args.images = first, args.images[1:]
    # A model file among the images would be "not an image file": name the slip.
    misplaced = [path for path in args.images if named_as_model(path)]
    if misplaced:
        parser.error(f"{misplaced[0]} names a model file (.mnistkit), not an image: give it "
                     f"before the images, or as --model {misplaced[0]}")


def _warning_line(command):
    """Show a warning as the command's own line, as its errors are: the library's warnings
    (a cached file refused, a model file from another version) are meant for the user, and
    Python's form (the source file, line and code of the call) is not."""

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"mnistkit {command}: warning: {one_line(message)}", file=sys.stderr)

    return show


def main(argv=None):
    """Run the ``mnistkit`` command; return its exit status."""
    from ..datasets import DownloadError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "predict":
        _model_given_first(parser, args)
    debug = args.debug or args.debug_all
    try:
        with warnings.catch_warnings():
            if not debug:
                warnings.showwarning = _warning_line(args.command)
            return args.handler(args)
    except (DownloadError, OSError, ValueError, ImportError) as error:
        # ImportError: an optional extra is missing (backend "cnn" needs
        # mnistkit[torch]); its message names the pip command.
        if debug:
            raise
        line = one_line(error)
        if isinstance(error, DownloadError):  # the library's advice, in the command's words
            line = line.replace("pass data_home= a folder", "pass --data-home a folder")
            # The library's offline hint speaks Python; the command has its own.
            line = line.split(" To work offline meanwhile, mnistkit.load_sample()")[0]
            if args.command in ("compare", "train"):
                line += (f" Or run it offline, on the 3,000-image sample shipped with "
                         f"mnistkit: mnistkit {args.command} --dataset sample")
            elif args.command in ("predict", "demo"):
                line += (" Or give a model of your own with --model: one trained offline "
                         "on the sample shipped with mnistkit, in seconds, by mnistkit "
                         "train --dataset sample -o sample.mnistkit")
        print(f"mnistkit {args.command}: error: {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"mnistkit {args.command}: interrupted", file=sys.stderr)
        return 130
