"""``mnistkit predict``: many files, failures on their own lines, numbers, ``--show``."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from mnistkit import MNISTClassifier, load_sample, read_digit_image
from mnistkit.cli import main


@pytest.fixture(scope="module")
def sample_model(fitted_on_sample):
    return fitted_on_sample(probability=True)


@pytest.fixture(scope="module")
def model_path(sample_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "svc.mnistkit"
    sample_model.save(path)
    return path


@pytest.fixture(scope="module")
def digit_files(sample_model, tmp_path_factory):
    """Five test digits the model reads right, as dark-on-light files; and their labels."""
    folder = tmp_path_factory.mktemp("digits")
    sample = load_sample(subset="test")
    right = np.flatnonzero(sample_model.predict(sample.data[:60]) == sample.target[:60])[:5]
    paths = []
    for k, index in enumerate(right):
        picture = 255 - np.kron(np.pad(sample.images[index], 6), np.ones((7, 7), np.uint8))
        path = folder / f"digit_{k}.{'jpg' if k % 2 else 'png'}"
        Image.fromarray(picture).save(path)
        paths.append(path)
    return paths, [int(label) for label in sample.target[right]]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    """A missing file, a file that is no image, a blank page and a page of noise."""
    folder = tmp_path_factory.mktemp("bad")
    (folder / "notes.png").write_text("not a picture")
    Image.fromarray(np.full((200, 200), 230, np.uint8)).save(folder / "blank.png")
    noise = np.random.default_rng(0).integers(0, 256, (200, 200)).astype(np.uint8)
    Image.fromarray(noise).save(folder / "noise.png")
    return [folder / "missing.png", folder / "notes.png", folder / "blank.png",
            folder / "noise.png"]


def run(capsys, *args, progress=False):
    """Run ``mnistkit predict ARGS``: its status, and its output and error lines.

    Progress lines ("[predict] ...") are left out of the error lines unless asked for.
    """
    status = main(["predict", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out.splitlines(), [line for line in err.splitlines()
                                      if progress or not line.startswith("[")]


def test_every_file_is_read(capsys, model_path, digit_files):
    paths, labels = digit_files
    status, out, err = run(capsys, model_path, *paths)
    assert status == 0
    assert err == []
    assert len(out) == len(paths)
    for line, path, label in zip(out, paths, labels, strict=True):
        name, digit, word, confidence = line.split()
        assert (name, int(digit), word) == (str(path), label, "confidence")
        assert 0.0 < float(confidence) <= 1.0


def test_a_batch_goes_on_past_unreadable_files(capsys, model_path, digit_files, bad_files):
    paths, labels = digit_files
    batch = [paths[0], *bad_files, paths[1]]
    status, out, err = run(capsys, model_path, *batch)
    assert status == 1
    # Every picture read gets a line, in order: the digits, and the pictures in
    # which no digit was found, which are answers, not failures.
    assert [line.split()[:3] for line in out] == [
        [str(paths[0]), str(labels[0]), "confidence"],
        [str(bad_files[2]), "not", "a"], [str(bad_files[3]), "not", "a"],
        [str(paths[1]), str(labels[1]), "confidence"]]
    assert "blank" in out[1]
    assert "noise" in out[2]
    # Each unreadable file on its own line, named, with what is wrong; then a summary.
    assert len(err) == 3
    expected = ["no image file at", "is not an image file"]
    for line, path, words in zip(err[:-1], bad_files[:2], expected, strict=True):
        assert line.startswith("mnistkit predict: error: ")
        assert path.name in line
        assert words in line
    assert err[-1] == f"mnistkit predict: 2 of {len(batch)} image files could not be read"


def test_show_writes_what_the_model_saw(capsys, model_path, digit_files, tmp_path):
    paths, _ = digit_files
    status, out, _ = run(capsys, model_path, paths[0], paths[1], "--show", tmp_path / "seen")
    assert status == 0
    assert len(out) == 2
    for path in paths[:2]:
        with Image.open(tmp_path / "seen" / f"{path.name}.seen.png") as sheet:
            picture = np.asarray(sheet.convert("L"))
        with Image.open(path) as source:
            thumbnail_width = round(source.width * 280 / source.height)
        assert picture.shape == (280, thumbnail_width + 10 + 280)
        # The right part is the 28x28 digit the model saw, each pixel 10x10.
        seen = picture[:, -280:][5::10, 5::10]
        np.testing.assert_array_equal(seen.ravel(), read_digit_image(path))


def test_show_says_which_pictures_the_model_saw_nothing_of(capsys, model_path, digit_files,
                                                          bad_files, tmp_path):
    seen = tmp_path / "seen"
    status, _, err = run(capsys, model_path, digit_files[0][0], bad_files[2], "--show", seen,
                         progress=True)
    assert status == 3
    assert sorted(path.name for path in seen.iterdir()) == [f"{digit_files[0][0].name}.seen.png"]
    assert f"[predict] 1 picture with no digit found has nothing in {seen}: the model saw " \
           "nothing of it" in err
    # Only blank pages: nothing is written, and that is said too.
    status, _, err = run(capsys, model_path, *bad_files[2:], "--show", seen, progress=True)
    assert f"[predict] 2 pictures with no digit found have nothing in {seen}" in " ".join(err)
    assert not any("wrote what the model saw" in line for line in err)


def number_picture(path, images, specks=0):
    row = np.hstack([np.pad(image, 4) for image in images])
    picture = 255 - np.kron(row, np.ones((6, 6), np.uint8))
    rng = np.random.default_rng(0)
    for _ in range(specks):
        top, left = rng.integers(2, 20, size=2)
        picture[top : top + 3, left : left + 3] = 0
    Image.fromarray(picture).save(path)
    return path


def test_number(capsys, model_path, sample_model, tmp_path):
    sample = load_sample(subset="test")
    right = np.flatnonzero(sample_model.predict(sample.data[:60]) == sample.target[:60])
    chosen = right[[0, 3, 5]]
    path = number_picture(tmp_path / "number.png", sample.images[chosen])
    status, out, _ = run(capsys, model_path, path, "--number")
    assert status == 0
    _, text, count, word, *confidences = out[0].split()
    assert text == "".join(str(d) for d in sample.target[chosen])
    assert (count, word) == ("3", "digits")
    assert len(confidences) == 4  # "confidence" and one per digit
    assert all(0 < float(c) <= 1 for c in confidences[1:])


def test_a_number_is_printed_with_its_decimal_point(capsys, model_path, sample_model,
                                                   tmp_path):
    sample = load_sample(subset="test")
    right = np.flatnonzero(sample_model.predict(sample.data[:60]) == sample.target[:60])
    chosen = right[[0, 3, 5]]
    row = np.hstack([np.pad(image, 4) for image in sample.images[chosen]])
    bottom = np.flatnonzero(row[:, :36].any(axis=1))[-1]  # the first digit's line
    row[bottom - 3 : bottom + 1, 35:39] = 255  # a point after the first digit
    path = tmp_path / "number.png"
    Image.fromarray(255 - np.kron(row, np.ones((6, 6), np.uint8))).save(path)
    status, out, _ = run(capsys, model_path, path, "--number")
    assert status == 0
    text, count = out[0].split()[1:3]
    digits = "".join(str(d) for d in sample.target[chosen])
    assert text == f"{digits[0]}.{digits[1:]}"
    assert count == "3"


def test_a_number_that_is_not_digits_says_so_before_its_guess(capsys, fast_model_path,
                                                             tmp_path):
    sample = load_sample(subset="test")
    path = number_picture(tmp_path / "number.png", sample.images[:3])
    # Every picture is too novel at this threshold: the verdict leads, the guess follows.
    status, out, _ = run(capsys, fast_model_path, path, "--number", "--max-novelty", "1e-9")
    assert status == 3
    line = out[0].removeprefix(str(path)).strip()
    assert line.startswith("not a digit: unlike the digits the model learnt from"), line
    assert re.search(r"\(best guess \d{3}, 3 digits, confidence( [01]\.\d{3}){3}\)$", line)


def test_a_wide_picture_not_read_as_a_digit_gets_a_word_on_number(capsys, fast_model_path,
                                                                  digit_files, tmp_path):
    sample = load_sample(subset="test")
    # Two digits run together: the second drawn over the first's right half, one mark
    # half again as wide as tall.
    first, second = (np.pad(image, ((0, 0), (0, 14))) for image in sample.images[:2])
    run_together = np.maximum(first, np.roll(second, 14, axis=1))
    path = tmp_path / "42.png"
    Image.fromarray(255 - np.kron(np.pad(run_together, 4), np.ones((4, 4), np.uint8))).save(path)

    def aspect(picture):  # the ink's width over its height, as predict measures them
        ink = read_digit_image(picture).reshape(28, 28) >= 128
        extent = [np.ptp(np.flatnonzero(ink.any(axis=axis))) + 1 for axis in (0, 1)]
        return extent[0] / extent[1]

    tall = min(digit_files[0], key=aspect)
    assert aspect(tall) < 1 < 1.2 < aspect(path)
    hint = re.compile(r"^\[predict\] 1 picture not read as a sure digit holds ink wider than "
                      r"tall.*add --number$")
    # Every picture is too novel at this threshold: only the wide one gets the word.
    status, out, err = run(capsys, fast_model_path, path, tall, "--max-novelty", "1e-9",
                           progress=True)
    assert status == 3
    assert all("not a digit" in line for line in out)
    assert sum(bool(hint.match(line)) for line in err) == 1, err
    for options in (["--number"], ["--quiet"]):
        _, _, err = run(capsys, fast_model_path, path, "--max-novelty", "1e-9", *options,
                        progress=True)
        assert not any("wider than tall" in line for line in err), err
    _, _, err = run(capsys, fast_model_path, tall, "--max-novelty", "1e-9", progress=True)
    assert not any("wider than tall" in line for line in err), err


def test_a_digit_with_specks_is_one_digit(capsys, model_path, digit_files, sample_model,
                                          tmp_path):
    sample = load_sample(subset="test")
    right = np.flatnonzero(sample_model.predict(sample.data[:60]) == sample.target[:60])
    path = number_picture(tmp_path / "specks.png", sample.images[right[:1]], specks=6)
    for options in ([], ["--number"]):
        status, out, _ = run(capsys, model_path, path, *options)
        assert status == 0
        assert out[0].split()[1] == str(sample.target[right[0]])
    assert out[0].split()[2:4] == ["1", "digit"]


def test_without_probabilities_confidence_is_na(capsys, digit_files, tmp_path):
    X, y = load_sample(return_X_y=True)
    path = tmp_path / "sgd.mnistkit"
    MNISTClassifier(backend="sgd", random_state=0).fit(X[:500], y[:500]).save(path)
    status, out, err = run(capsys, path, digit_files[0][0], progress=True)
    assert status == 0
    assert out[0].split()[-1] == "n/a"
    assert any("probability=fast" in line for line in err)


def test_a_model_without_verdicts_says_which_models_give_them(capsys, model_path,
                                                              digit_files):
    # probability=True: a confidence, but no "not a digit" nor "unsure".
    status, out, err = run(capsys, model_path, digit_files[0][0], progress=True)
    assert status == 0
    assert out[0].split()[-1] != "n/a"
    said = [line for line in err if "cannot tell a digit" in line]
    assert len(said) == 1
    assert "probability='fast'" in said[0]
    assert "--backend svc" in said[0]


def test_exit_status_of_the_command(model_path, digit_files, bad_files):
    # The one real process: the status a shell script sees.
    env = {**os.environ, "MPLBACKEND": "Agg"}
    process = subprocess.run(
        [sys.executable, "-m", "mnistkit", "predict", str(model_path),
         str(digit_files[0][0]), str(bad_files[2])],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    # A blank page is "not a digit": status 3, distinct from an unreadable file's 1.
    assert process.returncode == 3
    assert process.stdout.splitlines()[0].split()[0] == str(digit_files[0][0])
    name, verdict = process.stdout.splitlines()[1].split(None, 1)
    assert (name, verdict.split(":")[0]) == (str(bad_files[2]), "not a digit")
    assert "error" not in process.stderr


def test_one_unreadable_file_is_one_error_line(capsys, model_path, bad_files):
    status, out, err = run(capsys, model_path, bad_files[1])
    assert status == 1
    assert out == []
    assert err == [f"mnistkit predict: error: {bad_files[1]} is not an image file that can be "
                   "read (PNG, JPEG, TIFF, BMP or another format Pillow reads expected)."]


# -- verdicts: "not a digit" and "unsure" ---------------------------------------------


@pytest.fixture(scope="module")
def fast_model_path(fitted_on_sample, tmp_path_factory):
    """A model like those of 'mnistkit train': probability="fast", which learns novelty."""
    path = tmp_path_factory.mktemp("fast") / "fast.mnistkit"
    return fitted_on_sample(probability="fast").save(path)


def letter_files(folder):
    """Capital letters no one writes like a digit, black on white, from matplotlib's font."""
    from matplotlib import font_manager
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 110)
    paths = []
    for letter in "AEFHKMNPRVWXY":
        picture = Image.new("L", (160, 160), 255)
        ImageDraw.Draw(picture).text((25, 5), letter, font=font, fill=0)
        path = folder / f"letter_{letter}.png"
        picture.save(path)
        paths.append(path)
    return paths


def test_a_clear_digit_is_a_digit(capsys, fast_model_path, digit_files):
    paths, labels = digit_files
    status, out, err = run(capsys, fast_model_path, *paths)
    assert status == 0
    assert err == []
    assert [line.split()[1] for line in out] == [str(label) for label in labels]
    assert not any("unsure" in line or "not a digit" in line for line in out)


def test_letters_are_mostly_not_digits(capsys, fast_model_path, tmp_path):
    letters = letter_files(tmp_path)
    status, out, _ = run(capsys, fast_model_path, *letters)
    assert status == 3
    rejected = [line for line in out if "not a digit: " in line or "unsure: " in line]
    # 13 letters unlike any digit, one model of a fixed seed: most are refused.
    assert len(rejected) >= 9, out
    for line in out:
        if "not a digit: unlike" in line:
            assert "(best guess " in line


def test_unsure_below_the_confidence_asked(capsys, fast_model_path, digit_files):
    path = digit_files[0][0]
    status, out, _ = run(capsys, fast_model_path, path, "--min-confidence", "1")
    assert status == 3
    name, digit, word, _, verdict, *why = out[0].split()
    assert (name, digit, word, verdict) == (str(path), str(digit_files[1][0]), "confidence",
                                            "unsure:")
    assert "likely to be right, below 100%" in " ".join(why)
    # Asked for no verdicts, the same picture is a digit again.
    status, out, _ = run(capsys, fast_model_path, path, "--min-confidence", "0")
    assert status == 0


def test_blank_and_noise_pages_are_not_digits(capsys, fast_model_path, bad_files):
    status, out, err = run(capsys, fast_model_path, *bad_files[2:])
    assert status == 3
    assert err == []
    assert [line.split("  ")[-1].split(":")[0] for line in out] == ["not a digit"] * 2


@pytest.mark.parametrize("option", [["--min-confidence", "1.5"], ["--max-novelty", "0"]])
def test_verdict_options_are_checked(capsys, fast_model_path, digit_files, option):
    with pytest.raises(SystemExit) as exit_info:
        main(["predict", str(fast_model_path), str(digit_files[0][0]), *option])
    assert exit_info.value.code == 2
    assert "expected" in capsys.readouterr().err


# -- hostile files and interruptions ----------------------------------------------------


def test_a_decompression_bomb_is_one_error_line(capsys, model_path, digit_files, tmp_path):
    # 20,000 x 20,000 pixels in a file of a few hundred kilobytes.
    previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        bomb = tmp_path / "bomb.png"
        Image.new("L", (20_000, 20_000), 255).save(bomb, optimize=True)
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    big = tmp_path / "big.png"  # under Pillow's limit, over mnistkit's
    Image.new("L", (9_000, 9_000), 255).save(big, optimize=True)
    paths, labels = digit_files
    status, out, err = run(capsys, model_path, bomb, big, paths[0])
    assert status == 1
    assert [line.split()[:2] for line in out] == [[str(paths[0]), str(labels[0])]]
    assert "bomb.png declares a picture too large to read safely" in err[0]
    assert "big.png is a picture of 9000 x 9000 pixels" in err[1]
    assert "up to 40 megapixels" in err[1]


def test_any_failure_of_one_file_is_one_error_line(capsys, model_path, digit_files,
                                                   monkeypatch):
    from mnistkit.cli import _commands

    paths, _labels = digit_files
    read = _commands.read_pixels

    def flaky(path, number):
        if path == str(paths[1]):
            raise RuntimeError("the decoder fell over")
        return read(path, number)

    monkeypatch.setattr(_commands, "read_pixels", flaky)
    status, out, err = run(capsys, model_path, *paths[:3])
    assert status == 1
    assert [line.split()[0] for line in out] == [str(paths[0]), str(paths[2])]
    assert err[0] == (f"mnistkit predict: error: {paths[1]}: could not be read "
                      "(RuntimeError: the decoder fell over)")


def test_results_are_printed_as_they_come(capsys, model_path, digit_files, monkeypatch):
    from mnistkit.cli import _commands

    paths, _labels = digit_files
    many = [paths[k % len(paths)] for k in range(40)]
    read = _commands.read_pixels
    calls = []

    def interrupted(path, number):
        calls.append(path)
        if len(calls) == 30:  # Ctrl-C while reading the 30th file
            raise KeyboardInterrupt
        return read(path, number)

    monkeypatch.setattr(_commands, "read_pixels", interrupted)
    # Batches by count only: on a loaded machine the half-second limit would cut
    # a batch short, and this test is about printing, not timing.
    monkeypatch.setattr(_commands, "_CHUNK_SECONDS", float("inf"))
    status, out, err = run(capsys, model_path, *many)
    assert status == 130
    # The batches read before the interruption were printed, in order.
    assert len(out) >= _commands._CHUNK_FILES
    assert [line.split()[0] for line in out] == [str(path) for path in many[: len(out)]]
    assert err[-1] == "mnistkit predict: interrupted"


def test_show_must_be_a_folder(capsys, model_path, digit_files, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    status, _, err = run(capsys, model_path, digit_files[0][0], "--show", afile)
    assert status == 1
    assert err == [f"mnistkit predict: error: --show {afile} is a file, not a folder."]


def test_show_writes_one_picture_per_input(capsys, model_path, digit_files, tmp_path):
    # Two inputs of the same name in two folders, one of them transparent.
    paths, _ = digit_files
    first, second = tmp_path / "a" / "3.png", tmp_path / "b" / "3.png"
    for path, source in ((first, paths[0]), (second, paths[1])):
        path.parent.mkdir()
        with Image.open(source) as image:
            ink = 255 - np.asarray(image.convert("L"))
        if path == second:  # black ink on a transparent background
            rgba = np.zeros((*ink.shape, 4), np.uint8)
            rgba[..., 3] = ink
            Image.fromarray(rgba).save(path)
        else:
            Image.fromarray(255 - ink).save(path)
    status, _out, err = run(capsys, model_path, first, second, "--show", tmp_path / "seen",
                           progress=True)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "seen").iterdir()) == [
        "3-2.png.seen.png", "3.png.seen.png"]
    assert any("1 input sharing a file name" in line for line in err)
    with Image.open(tmp_path / "seen" / "3-2.png.seen.png") as sheet:
        panel = np.asarray(sheet.convert("L"))[:, :280]
    # The transparent input is drawn on white: its corner is paper, not black.
    assert panel[:10, :10].min() > 200

    # White strokes on a transparent page are drawn on black, or nothing would show.
    rgba = np.full((*ink.shape, 4), 255, np.uint8)
    rgba[..., 3] = ink
    white = tmp_path / "white.png"
    Image.fromarray(rgba).save(white)
    assert run(capsys, model_path, white, "--show", tmp_path / "seen")[0] == 0
    with Image.open(tmp_path / "seen" / "white.png.seen.png") as sheet:
        panel = np.asarray(sheet.convert("L"))[:, :280]
    assert panel[:10, :10].max() < 50
    assert panel.max() > 200  # the strokes
