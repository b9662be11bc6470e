"""Take the picture of ``mnistkit demo`` in the documentation: a digit drawn, and its answer.

Run from the repository root after changing how the page looks::

    python docs/_static/make_demo_screenshot.py [--model FILE]

It starts ``mnistkit demo`` on a free port with the default model (trained on
MNIST once and cached, see :func:`mnistkit.load_default_model`; or ``--model
FILE``), opens the page in headless Chromium, draws a 7 with the pointer as a
hand would, and saves the window to ``docs/_static/demo.png``. Needs Selenium
and Chromium with its driver, as the browser test does
(``tests/test_demo_browser.py``).
"""

import argparse
import itertools
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
# A 7 with a crossbar, in fractions of the pad: each stroke a list of points.
SEVEN = [
    [
        (0.26, 0.26),
        (0.40, 0.23),
        (0.56, 0.22),
        (0.72, 0.21),
        (0.70, 0.27),
        (0.62, 0.40),
        (0.54, 0.55),
        (0.47, 0.70),
        (0.43, 0.80),
    ],
    [(0.42, 0.50), (0.68, 0.49)],
]


def draw(driver, strokes, steps=10):
    pad = driver.find_element(By.ID, "pad")
    side = pad.size["width"]
    actions = ActionChains(driver, duration=5)

    def to(point):
        actions.move_to_element_with_offset(
            pad, round((point[0] - 0.5) * side), round((point[1] - 0.5) * side)
        )

    for stroke in strokes:
        to(stroke[0])
        actions.click_and_hold()
        for start, end in itertools.pairwise(stroke):
            for k in range(1, steps + 1):
                to([a + (b - a) * k / steps for a, b in zip(start, end, strict=True)])
        actions.release()
    actions.perform()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model file (default: the default model)")
    args = parser.parse_args()
    # The command a reader runs, so the picture shows the page they get.
    command = [sys.executable, "-m", "mnistkit", "demo", "--port", "0", "--quiet"]
    if args.model:
        command += ["--model", args.model]
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    # Its first line names the address: "The mnistkit demo is at http://...".
    url = re.search(r"https?://\S+", demo.stdout.readline())
    if url is None:
        demo.terminate()
        sys.exit("mnistkit demo did not start; run it by hand to see why")
    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("google-chrome")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=900,700",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        options=options, service=Service(executable_path=shutil.which("chromedriver"))
    )
    try:
        driver.get(url.group())
        draw(driver, SEVEN)
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.ID, "timing").text.startswith("Read in")
        )
        # The whole page, whatever the window's frame takes.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 900, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        path = HERE / "demo.png"
        driver.save_screenshot(str(path))
        print(f"read {driver.find_element(By.ID, 'digit').text}; wrote {path}")
    finally:
        driver.quit()
        demo.send_signal(signal.SIGINT)  # Ctrl-C, the way its users stop it
        demo.wait()


if __name__ == "__main__":
    main()
