"""
Saying "not a digit" and "unsure"
=================================

A model trained on MNIST answers every image with a digit: a letter, a smiley
or a photo of blank paper included. With ``probability="fast"``,
:meth:`~mnistkit.MNISTClassifier.assess` gives each image a *confidence* (the
chance that its digit is right), a *novelty* (how far it lies from the digits
the model learnt from, against how near it lies to drawn non-digits) and a
verdict: "digit", "unsure" or "not a digit". Pictures in which the reader
finds no digit at all raise :class:`~mnistkit.NoDigitError`.
``mnistkit predict`` prints the same verdicts.

This example draws a few pictures and shows what the model saw and said.
"""

# %%
# A model that can say "not a digit"
# ----------------------------------
# Novelty and the calibrated confidence are learnt from the images that
# ``probability="fast"`` sets aside for its calibration.
import os

from mnistkit import MNISTClassifier, fetch_mnist, load_sample

if os.environ.get("MNISTKIT_EXAMPLES_FULL") == "1":
    train = fetch_mnist(subset="train")
else:
    train = load_sample(subset="train")

clf = MNISTClassifier(probability="fast", random_state=0).fit(train.data, train.target)

# %%
# Pictures: two digits, a letter, a sign, a scribble, a smiley, blank paper
# -------------------------------------------------------------------------
# Dark ink on white, as a drawing program saves them.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

test = load_sample(subset="test")
font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 150)
rng = np.random.default_rng(3)


def canvas():
    picture = Image.new("L", (200, 200), 255)
    return picture, ImageDraw.Draw(picture)


def digit(index):
    ink = np.kron(test.images[index], np.ones((6, 6), np.uint8))
    return 255 - np.pad(ink, 16)


def text(characters):
    picture, draw = canvas()
    draw.text((100, 100), characters, font=font, fill=0, anchor="mm")
    return np.asarray(picture)


def scribble():
    picture, draw = canvas()
    for _ in range(3):
        points = np.cumsum(rng.normal(0, 30, size=(8, 2)), axis=0) + 100
        draw.line([tuple(p) for p in points.clip(10, 190)], fill=0, width=7)
    return np.asarray(picture)


def smiley():
    picture, draw = canvas()
    draw.ellipse([20, 20, 180, 180], outline=0, width=6)
    draw.ellipse([60, 55, 85, 80], outline=0, width=6)
    draw.ellipse([115, 55, 140, 80], outline=0, width=6)
    draw.arc([65, 80, 135, 150], 0, 180, fill=0, width=6)
    return np.asarray(picture)


pictures = {
    "a 3": digit(np.flatnonzero(test.target == 3)[0]),
    "a 7": digit(np.flatnonzero(test.target == 7)[0]),
    "letter K": text("K"),
    "sign &": text("&"),
    "scribble": scribble(),
    "smiley": smiley(),
    "blank paper": np.full((200, 200), 240, np.uint8),
}

# %%
# Read each picture, then assess what the reader found
# ----------------------------------------------------
import textwrap

from mnistkit import NoDigitError, to_mnist_format

seen, verdicts = {}, {}
for name, picture in pictures.items():
    try:
        seen[name] = to_mnist_format(picture)
    except NoDigitError as error:
        seen[name] = None
        why = str(error).removeprefix("no digit found: ").split(" (")[0]
        verdicts[name] = "not a digit (reader):\n" + textwrap.fill(why, 26)
        print(f"{name:12s} not a digit  the reader: {error}")
found = [name for name in pictures if seen[name] is not None]
result = clf.assess(np.array([seen[name] for name in found]))
for name, prediction, confidence, novelty, verdict in zip(
    found, result.prediction, result.confidence, result.novelty, result.verdict, strict=True
):
    said = f"digit {prediction}" if verdict == "digit" else f"{verdict} (guess {prediction})"
    verdicts[name] = f"{said}\nconfidence {confidence:.2f}\nnovelty {novelty:.2f}"
    print(f"{name:12s} {verdict:12s} best guess {prediction}, confidence "
          f"{confidence:.3f}, novelty {novelty:.2f}")

# %%
# What the model saw, and what it said
# ------------------------------------
fig, axes = plt.subplots(2, len(pictures), figsize=(2.2 * len(pictures), 5.4))
for column, (name, picture) in enumerate(pictures.items()):
    axes[0, column].imshow(picture, cmap="gray", vmin=0, vmax=255)
    axes[0, column].set_title(name)
    if seen[name] is not None:
        axes[1, column].imshow(seen[name].reshape(28, 28), cmap="gray")
    axes[1, column].set_xlabel(verdicts[name], fontsize="small")
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
plt.show()

# %%
# ``min_confidence=`` and ``max_novelty=`` move the two lines: a higher
# ``max_novelty`` calls fewer pictures "not a digit", real digits and
# non-digits alike. See the user guide's page "When it is unsure, and when it
# is no digit" for how often each is right on MNIST, on photos and drawings,
# and on thousands of generated non-digits.
