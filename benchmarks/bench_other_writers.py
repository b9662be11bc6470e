"""Read everyone's handwriting: digits by other writers than MNIST's, read from files.

MNIST's digits were written by one population with one kind of pen and framed
one way. This benchmark writes digits made in other ways to PNG files, dark
digit on white paper as a user would have them, reads each file back with
``read_digit_image``, classifies it, and prints the accuracy per condition for
one or more models, with the time per image (reading the file plus
classifying, in one batch per condition and model). A file that cannot be read
(``ValueError``: "no digit found ...") counts as wrong, and is also counted in
its own column, "unread".

The conditions (the generators are in ``_other_writers_styles.py``, beside this
script; none uses randomness, the seed only picks the MNIST test digits):

``load_digits even/odd, tight/margin``
    scikit-learn's ``load_digits``: 1,797 digits of 8x8 pixels (values 0-16,
    light on dark), scaled to 0-255, enlarged to 64x64 with Pillow's BICUBIC
    filter and inverted to dark on white. "tight": cropped to the bounding box
    of its ink, so that the digit touches all four edges; "margin": the whole
    64x64 enlargement with a 16-pixel white margin around it (96x96). The
    even-indexed images (0, 2, 4, ...) and the odd-indexed ones are separate
    rows: choose any setting of the reading (thresholds, filters, margins) on
    the even half only; the odd half, never looked at while tuning, is the
    figure to report.
``load_digits even/odd, nearest x8, margin`` and ``load_digits even/odd, 8x8, margin``
    The same digits as a user may also have them: enlarged to 64x64 by
    repeating each pixel (nearest neighbour, a paint program's zoom) with the
    16-pixel margin, and as they are, 8x8, with a 2-pixel margin (12x12).
``load_digits even/odd, 8x8, as given``
    The 8x8 arrays themselves, as ``load_digits().images`` gives them (0-16,
    inverted and scaled to 0-255, as above): most digits touch their edges.
``fonts light/book/bold, tight/margin``
    0-9 typeset by Pillow (anti-aliased) from every TrueType/OpenType font
    ``fc-list`` lists (on a Debian machine the DejaVu family: Sans, Serif,
    Mono, Condensed, Oblique/Italic, ExtraLight, Bold), at 24, 48 and 96
    pixels per em, black on white, grouped by the weight the font's style
    name says (ExtraLight/Light/Thin: light; Bold/Black/Heavy: bold; the
    rest: book). "margin" here and below: the tight crop with a white
    margin of a quarter of its longer side all round.
``MNIST <style>, tight/margin``
    ``--n`` MNIST *test* digits (never seen in training), the same ones for
    every style, redrawn:

    - *plain*: the digit itself, enlarged 4x (bicubic) and inverted: the control;
    - *thick marker*: the 4x enlargement (112x112) thresholded at half ink, its
      stroke width measured (twice the median distance from the skeleton to
      the paper, minus one: about 8 pixels at this size, 2 MNIST pixels) and
      dilated with a round anti-aliased brush until the strokes are three
      times as wide; loops may close, as with a felt marker on small paper;
    - *thin pen*: the skeleton of the thresholded 4x enlargement, drawn with a
      round brush of radius 1 (about 2 pixels wide of ~80): a ballpoint;
    - *one-pixel line*: the skeleton of the 8x enlargement (224x224), one
      pixel wide, no smoothing: a line drawn with a mouse in a paint program;
    - *polyline canvas* / *polyline tablet*: the 4x skeleton traced into
      strokes (an 8-neighbour graph of its pixels walked from pen ends and
      junctions, loops walked round, spurs shorter than a stroke's width
      dropped), simplified by Ramer-Douglas-Peucker (greedy, over the whole
      digit) to 6-12 points in all, and drawn with ``ImageDraw.line`` (round
      joints and ends, anti-aliased by drawing 4x larger and reducing) on a
      280x280 white pad, the digit's longer side 200 pixels: "canvas", a web
      drawing pad, pen 12, 16 or 20 pixels wide in turn; "tablet", thin
      lines of 1.5, 2 or 3 pixels.

    Every style is read "tight" (cropped to its ink) and with a margin: the
    reading should not care, and the two rows show whether it does.
    ``--digits validation`` redraws training digits 50,000 and on instead,
    and trains the default model on the 50,000 before them: the rows to
    choose a setting of the reading on, with load_digits' even half, so
    that the test digits stay the figures to report. One more
    row, ``MNIST as stored``, classifies the same digits' pixels without any
    file or reading, for reference.

Requirements beyond mnistkit's: scikit-image (``pip install scikit-image``) for
the skeletons of the MNIST styles; without it only the other conditions run
(select them with ``--conditions``).

Usage::

    export MNISTKIT_DATA_DIR=/path/to/mnist
    python benchmarks/bench_other_writers.py --model default.mnistkit --n 500
    python benchmarks/bench_other_writers.py --model a.mnistkit --model b.mnistkit --markdown
    python benchmarks/bench_other_writers.py --model default.mnistkit --n 200 \\
        --json today.json --before earlier.json --pictures other_writers/
    python benchmarks/bench_other_writers.py --conditions 'load_digits*' 'fonts*'
    python benchmarks/bench_other_writers.py --list-conditions

``--model`` (repeatable) loads a model file (from ``mnistkit train`` or
``MNISTClassifier.save``); without it the library's default
``MNISTClassifier(random_state=0)`` is trained on the 60,000 training images
first (minutes). ``--json FILE`` writes the results (per condition, per model:
n, correct, accuracy, unread, seconds per image); ``--before FILE`` takes such
a file from an earlier run (say, of an earlier mnistkit) and prints its
accuracy as a "before" column beside today's, matched by model name (or, when
the earlier run had one model, that one). ``--pictures DIR`` saves, per
condition, one input file and the 28x28 picture the model saw (enlarged 8x),
and one contact sheet of all conditions: several inputs and what the model
saw of each, framed green (right), red (wrong) or orange (unread) for the
first model.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _other_writers_styles as styles  # beside this script
import numpy as np
from _research import VALIDATION_FROM, name_matches
from PIL import Image, ImageDraw, ImageFont

_MNIST_STYLES = {
    "plain": styles.plain,
    "thick marker": styles.thick_marker,
    "thin pen": styles.thin_pen,
    "one-pixel line": styles.one_pixel_line,
    "polyline canvas": lambda image, k: styles.polyline(
        image, styles.CANVAS_WIDTHS[k % len(styles.CANVAS_WIDTHS)]),
    "polyline tablet": lambda image, k: styles.polyline(
        image, styles.TABLET_WIDTHS[k % len(styles.TABLET_WIDTHS)]),
}
_NEEDS_SKIMAGE = {"thick marker", "thin pen", "one-pixel line", "polyline canvas",
                  "polyline tablet"}
_REFERENCE = "MNIST as stored (no file, no reading)"
# The ways load_digits' pictures are rendered: (Pillow filter, side), and the margin
# of the "margin" framing; "" is the bicubic 64x64 of the tight/margin conditions.
_DIGITS_RENDERINGS = {
    "": ((styles.RESAMPLE, 64), styles.DIGITS_MARGIN),
    "nearest x8": ((Image.Resampling.NEAREST, 64), styles.DIGITS_MARGIN),
    "8x8": ((Image.Resampling.NEAREST, 8), styles.DIGITS_MARGIN // 8),
}


def _rendering(family):
    """A load_digits family's (filter, side) and margin."""
    return _DIGITS_RENDERINGS[family.removeprefix("load_digits").strip()]


def condition_names():
    """Every condition, in the order of the table: (name, family, part, framing)."""
    names = [(f"load_digits {half}, {framing}", "load_digits", half, framing)
             for framing in ("tight", "margin") for half in ("even", "odd")]
    names += [(f"load_digits {half}, {rendering}, margin", f"load_digits {rendering}", half,
               "margin") for rendering in _DIGITS_RENDERINGS if rendering
              for half in ("even", "odd")]
    # The 8x8 arrays as load_digits gives them: most digits touch their edges.
    names += [(f"load_digits {half}, 8x8, as given", "load_digits 8x8", half, "as given")
              for half in ("even", "odd")]
    names += [(f"fonts {weight}, {framing}", "fonts", weight, framing)
              for framing in ("tight", "margin") for weight in ("light", "book", "bold")]
    names.append((_REFERENCE, "reference", None, None))
    names += [(f"MNIST {style}, {framing}", "mnist", style, framing)
              for style in _MNIST_STYLES for framing in ("tight", "margin")]
    return names


def select(patterns):
    """The conditions whose names match any of the patterns (shell-style or a substring)."""
    chosen = []
    for entry in condition_names():
        if not patterns or name_matches(entry[0], patterns):
            chosen.append(entry)
    if not chosen:
        msg = (f"No condition matches {patterns}; the conditions are: "
               + "; ".join(e[0] for e in condition_names()))
        raise SystemExit(msg)
    return chosen


class Pictures:
    """The pictures of each family and part, made once when first asked for (unframed)."""

    def __init__(self, mnist_images, mnist_labels):
        self.mnist_images, self.mnist_labels = mnist_images, mnist_labels
        self._made = {}
        self.fonts_used = []

    def get(self, family, part):
        key = (family, part)
        if key not in self._made:
            self._made[key] = self._make(family, part)
        return self._made[key]

    def _make(self, family, part):
        if family.startswith("load_digits"):
            if (family, "all") not in self._made:
                self._made[(family, "all")] = styles.sklearn_digits(*_rendering(family)[0])
            pictures, labels = self._made[(family, "all")]
            start = 0 if part == "even" else 1
            return pictures[start::2], labels[start::2]
        if family == "fonts":
            if ("fonts", "all") not in self._made:
                groups, self.fonts_used = styles.font_digits()
                self._made[("fonts", "all")] = groups
            pictures, labels, _ = self._made[("fonts", "all")][part]
            return pictures, np.asarray(labels, dtype=int)
        draw = _MNIST_STYLES[part]
        if part.startswith("polyline"):
            pictures = [draw(image, k) for k, image in enumerate(self.mnist_images)]
        else:
            pictures = [draw(image) for image in self.mnist_images]
        return pictures, self.mnist_labels


def frame(picture, family, framing):
    """A picture in its framing: cropped to its ink, with a white margin, or as given."""
    if framing == "as given":
        return picture
    if framing == "tight":
        return styles.tight(picture)
    if family.startswith("load_digits"):
        return np.pad(picture, _rendering(family)[1], constant_values=255)
    return styles.with_margin(picture)


def read_files(paths):
    """Each file read with ``read_digit_image``: (pixels, unread mask, seconds in all)."""
    from mnistkit import read_digit_image

    pixels = np.zeros((len(paths), 784), dtype=np.uint8)
    unread = np.zeros(len(paths), dtype=bool)
    start = time.perf_counter()
    for k, path in enumerate(paths):
        try:
            pixels[k] = read_digit_image(path)
        except ValueError:
            unread[k] = True
    return pixels, unread, time.perf_counter() - start


def classify(model, pixels, unread, labels, reading_seconds):
    """One model's results on pixels read: counts, accuracy, predictions, seconds per image."""
    start = time.perf_counter()
    predicted = np.full(len(labels), -1)
    if (~unread).any():
        predicted[~unread] = model.predict(pixels[~unread])
    seconds = (reading_seconds + time.perf_counter() - start) / len(labels)
    correct = int(np.sum((predicted == np.asarray(labels)) & ~unread))
    return {"n": len(labels), "correct": correct, "accuracy": correct / len(labels),
            "unread": int(unread.sum()), "seconds_per_image": seconds}, predicted


# -- pictures -------------------------------------------------------------------------

_CELL, _LABEL_WIDTH, _EXAMPLES = 84, 250, 6
_COLOURS = {"right": (40, 160, 60), "wrong": (210, 40, 40), "unread": (240, 150, 20)}


def slug(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def fit_in(picture, side):
    """A picture shrunk (or enlarged) to fit a ``side`` square, centred on white, RGB."""
    image = Image.fromarray(picture).convert("RGB")
    scale = side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS if scale < 1
                         else Image.Resampling.NEAREST)
    cell = Image.new("RGB", (side, side), (255, 255, 255))
    cell.paste(image, ((side - size[0]) // 2, (side - size[1]) // 2))
    return cell


def seen_image(pixels, scale):
    """What the model saw: the 784 pixels as MNIST shows them (light on dark), enlarged."""
    image = Image.fromarray(pixels.reshape(28, 28)).convert("RGB")
    return image.resize((28 * scale, 28 * scale), Image.Resampling.NEAREST)


def save_condition_pictures(folder, name, path, pixels):
    """One input file (as it was read) and what the model saw of it, 8x."""
    shutil.copyfile(path, folder / f"{slug(name)}_input.png")
    seen_image(pixels, 8).save(folder / f"{slug(name)}_seen.png")


def sheet_row(name, examples):
    """One condition on the contact sheet: its name, then inputs beside what the model saw.

    ``examples`` holds (file, pixels seen, truth, prediction, outcome) tuples.
    """
    font = ImageFont.load_default(size=13)
    width = _LABEL_WIDTH + len(examples) * (2 * _CELL + 18)
    row = Image.new("RGB", (width, _CELL + 24), (255, 255, 255))
    draw = ImageDraw.Draw(row)
    words, lines = name.split(" "), [""]
    for word in words:
        if len(lines[-1]) + len(word) > 30:
            lines.append("")
        lines[-1] = (lines[-1] + " " + word).strip()
    draw.multiline_text((6, 8), "\n".join(lines), fill=(0, 0, 0), font=font)
    for k, (path, pixels, truth, predicted, outcome) in enumerate(examples):
        left = _LABEL_WIDTH + k * (2 * _CELL + 18)
        draw.rectangle((left - 3, 1, left + 2 * _CELL + 6, _CELL + 6),
                       outline=_COLOURS[outcome], width=3)
        row.paste(fit_in(np.asarray(Image.open(path).convert("L")), _CELL), (left + 1, 4))
        row.paste(seen_image(pixels, 3), (left + _CELL + 4, 4))
        said = "unread" if outcome == "unread" else f"read as {predicted}"
        draw.text((left + 2, _CELL + 8), f"{truth}: {said}", fill=(60, 60, 60), font=font)
    return row


def save_contact_sheet(folder, rows):
    """All conditions' rows one under another, in one PNG."""
    width = max(row.width for row in rows)
    sheet = Image.new("RGB", (width, sum(row.height for row in rows)), (255, 255, 255))
    top = 0
    for row in rows:
        sheet.paste(row, (0, top))
        top += row.height
    sheet.save(folder / "contact_sheet.png")


# -- the table ------------------------------------------------------------------------


def model_labels(paths):
    """Short names for the models: file stems (paths if stems clash, numbered if repeated)."""
    stems = [Path(p).stem for p in paths]
    names = [stem if stems.count(stem) == 1 else str(p)
             for stem, p in zip(stems, paths, strict=True)]
    return [name if names.count(name) == 1 else f"{name} #{names[:k].count(name) + 1}"
            for k, name in enumerate(names)]


def before_results(before, condition, label):
    """A model's results on a condition in an earlier run's JSON, or None."""
    if before is None or condition not in before["conditions"]:
        return None
    results = before["conditions"][condition]["models"]
    if label in results:
        return results[label]
    if len(results) == 1:
        return next(iter(results.values()))
    return None


def table(results, labels, before):
    """Column names and rows of strings."""
    one = len(labels) == 1
    columns = ["condition", "n"]
    for label in labels:
        prefix = "" if one else f"{label} "
        columns.append(f"{prefix}accuracy")
        if before is not None:
            columns.append(f"{prefix}before")
        columns += [f"{prefix}unread", f"{prefix}ms/image"]
    rows = []
    for name, entry in results.items():
        row = [name, str(entry["n"])]
        for label in labels:
            result = entry["models"][label]
            row.append(f"{100 * result['accuracy']:.1f}%")
            if before is not None:
                earlier = before_results(before, name, label)
                row.append("n/a" if earlier is None else f"{100 * earlier['accuracy']:.1f}%")
            row.append("-" if result["unread"] is None else str(result["unread"]))
            row.append(f"{1000 * result['seconds_per_image']:.2f}")
        rows.append(row)
    return columns, rows


def print_table(columns, rows, markdown):
    if markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(c), *(len(row[k]) for row in rows)) for k, c in enumerate(columns)]
    print("  ".join(c.ljust(w) if k == 0 else c.rjust(w)
                    for k, (c, w) in enumerate(zip(columns, widths, strict=True))))
    for row in rows:
        print("  ".join(v.ljust(w) if k == 0 else v.rjust(w)
                        for k, (v, w) in enumerate(zip(row, widths, strict=True))))


def machine():
    return {"platform": platform.platform(), "processor": platform.processor()
            or platform.machine(), "cores": os.cpu_count(),
            "python": platform.python_version()}


def main(argv=None):
    import mnistkit
    from mnistkit import MNISTClassifier, fetch_mnist, load_model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", metavar="FILE",
                        help="a model file (repeatable); default: train the default model")
    parser.add_argument("--n", type=int, default=500,
                        help="MNIST test digits per style (default: 500)")
    parser.add_argument("--seed", type=int, default=0,
                        help="picks the MNIST test digits (default: 0)")
    parser.add_argument("--digits", choices=("test", "validation"), default="test",
                        help="redraw MNIST's test digits (default), or, to choose settings, "
                             f"training digits {VALIDATION_FROM:,} and on, the default model "
                             "then trained on the ones before")
    parser.add_argument("--conditions", nargs="+", metavar="PATTERN",
                        help="only the conditions whose names match (shell pattern or "
                             "substring, case ignored), e.g. 'load_digits odd*' polyline")
    parser.add_argument("--list-conditions", action="store_true",
                        help="print the conditions' names and stop")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--pictures", metavar="DIR",
                        help="save inputs and what the model saw, per condition")
    parser.add_argument("--json", metavar="FILE", help="write the results to a JSON file")
    parser.add_argument("--before", metavar="FILE",
                        help="a JSON file of an earlier run, shown as a 'before' column")
    args = parser.parse_args(argv)

    if args.list_conditions:
        for entry in condition_names():
            print(entry[0])
        return
    chosen = select(args.conditions)
    if any(part in _NEEDS_SKIMAGE for _, _, part, _ in chosen):
        styles.require_skimage()
    before = json.loads(Path(args.before).read_text()) if args.before else None
    began = time.perf_counter()

    if args.digits == "test":
        X_drawn, y_drawn = fetch_mnist(subset="test", return_X_y=True)
        X_train = y_train = None
    else:
        X_train, y_train = fetch_mnist(subset="train", return_X_y=True)
        X_drawn, y_drawn = X_train[VALIDATION_FROM:], y_train[VALIDATION_FROM:]
        X_train, y_train = X_train[:VALIDATION_FROM], y_train[:VALIDATION_FROM]
    if args.model:
        labels = model_labels(args.model)
        models = {label: load_model(path) for label, path in zip(labels, args.model,
                                                                 strict=True)}
        sources = dict(zip(labels, args.model, strict=True))
    else:
        if X_train is None:
            X_train, y_train = fetch_mnist(subset="train", return_X_y=True)
        start = time.perf_counter()
        labels = ["default"]
        models = {"default": MNISTClassifier(random_state=0).fit(X_train, y_train)}
        sources = {"default": f"MNISTClassifier(random_state=0), trained here in "
                              f"{time.perf_counter() - start:.0f} s"}
    rng = np.random.default_rng(args.seed)
    subset = np.sort(rng.choice(len(y_drawn), size=min(args.n, len(y_drawn)), replace=False))
    mnist_images = X_drawn[subset].reshape(-1, 28, 28)
    mnist_labels = y_drawn[subset].astype(int)
    pictures = Pictures(mnist_images, mnist_labels)

    picture_folder = Path(args.pictures) if args.pictures else None
    if picture_folder:
        picture_folder.mkdir(parents=True, exist_ok=True)
    results, sheet = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for name, family, part, framing in chosen:
            if family == "reference":
                pixels = X_drawn[subset]
                unread = np.zeros(len(subset), dtype=bool)
                paths, truth, reading = None, mnist_labels, 0.0
            else:
                made, truth = pictures.get(family, part)
                folder = Path(tmp) / slug(name)
                folder.mkdir()
                paths = []
                for k, picture in enumerate(made):
                    path = folder / f"{k:05d}.png"
                    Image.fromarray(frame(picture, family, framing)).save(path)
                    paths.append(path)
                pixels, unread, reading = read_files(paths)
            entry = {"n": len(truth), "models": {}}
            predictions = {}
            for label in labels:
                entry["models"][label], predictions[label] = classify(
                    models[label], pixels, unread, truth, reading)
                if family == "reference":
                    entry["models"][label]["unread"] = None
            results[name] = entry
            print(f"  {name}: " + ", ".join(
                f"{label} {100 * entry['models'][label]['accuracy']:.1f}%" for label in labels),
                file=sys.stderr, flush=True)
            if picture_folder and paths:
                save_condition_pictures(picture_folder, name, paths[0], pixels[0])
                first = predictions[labels[0]]
                examples = []
                shown = np.random.default_rng(0).choice(len(paths), _EXAMPLES, replace=False)
                for k in np.sort(shown):
                    outcome = ("unread" if unread[k] else
                               "right" if first[k] == truth[k] else "wrong")
                    examples.append((paths[k], pixels[k], int(truth[k]), int(first[k]),
                                     outcome))
                sheet.append(sheet_row(name, examples))
        if picture_folder and sheet:
            save_contact_sheet(picture_folder, sheet)
    took = time.perf_counter() - began

    today = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    where = machine()
    command = shlex.join(["python", *sys.argv]) if argv is None else shlex.join(argv)
    header = [
        f"Reading other writers' digits, {today}, {where['platform']}, {where['processor']}, "
        f"{where['cores']} cores, Python {where['python']}",
        f"mnistkit {mnistkit.__version__}; command: {command}",
        "models: " + "; ".join(f"{label} = {source}" for label, source in sources.items()),
        f"MNIST: {len(subset)} {args.digits} digits per style (seed {args.seed}); accuracy counts "
        "unread files as wrong; ms/image = reading the file + classifying (batch)",
    ]
    if pictures.fonts_used:
        header.append(f"fonts: {len(pictures.fonts_used)} installed, "
                      f"{len(styles.FONT_SIZES)} sizes ({', '.join(map(str, styles.FONT_SIZES))}"
                      " px)")
    if before is not None:
        header.append(f"before: {args.before} ({before.get('date', '?')}, mnistkit "
                      f"{before.get('mnistkit_version', '?')})")
    header.append(f"run took {took:.0f} s")
    for line in header:
        print(line + ("  " if args.markdown else ""))
    if args.markdown:
        print()
    print_table(*table(results, labels, before), args.markdown)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "benchmark": "bench_other_writers", "date": today, "machine": where,
            "mnistkit_version": mnistkit.__version__, "command": command,
            "n": len(subset), "seed": args.seed, "models": sources,
            "fonts": pictures.fonts_used, "seconds": round(took, 1), "conditions": results,
        }, indent=2) + "\n")


if __name__ == "__main__":
    main()
