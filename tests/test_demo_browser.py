"""``mnistkit demo`` in a real browser: strokes drawn on the page's canvas, and the digit shown.

Needs Selenium (``pip install selenium``) and Chromium with its driver (Debian:
``apt-get install chromium chromium-driver``); skipped without them.
"""

import itertools
import shutil

import pytest

from mnistkit.cli._demo import make_server

from .conftest import served_in_a_thread

webdriver = pytest.importorskip("selenium.webdriver")

CHROMIUM = next(
    filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
)
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("Chromium and chromedriver are not installed", allow_module_level=True)

# Strokes of digits as they are drawn, in fractions of the pad (x right, y down).
SEVEN = [[(0.27, 0.22), (0.73, 0.22), (0.60, 0.45), (0.45, 0.80)]]
ONE = [[(0.45, 0.30), (0.55, 0.18), (0.55, 0.82)]]
FOUR = [[(0.55, 0.15), (0.28, 0.58), (0.75, 0.58)], [(0.62, 0.35), (0.62, 0.85)]]


@pytest.fixture(scope="module")
def server(fitted_on_sample):
    model = fitted_on_sample(probability="fast")
    with served_in_a_thread(
        make_server(model, port=0, description="a model of the sample")
    ) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1000,900",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    yield driver
    driver.quit()


def draw(driver, strokes, steps=12):
    """Draw ``strokes`` on the pad with the pointer, as a hand would: press, move, release."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    pad = driver.find_element(By.ID, "pad")
    side = pad.size["width"]

    def offset(point):  # from the pad's centre, in pixels of the page
        return round((point[0] - 0.5) * side), round((point[1] - 0.5) * side)

    actions = ActionChains(driver, duration=5)
    for stroke in strokes:
        actions.move_to_element_with_offset(pad, *offset(stroke[0])).click_and_hold()
        for start, end in itertools.pairwise(stroke):
            for k in range(1, steps + 1):
                point = [a + (b - a) * k / steps for a, b in zip(start, end, strict=True)]
                actions.move_to_element_with_offset(pad, *offset(point))
        actions.release()
    actions.perform()


def shown(driver):
    """The digit the page shows, once it has its answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "timing").text.startswith("Read in")
    )
    return driver.find_element(By.ID, "digit").text


@pytest.mark.parametrize(
    ("strokes", "digit"), [(SEVEN, "7"), (ONE, "1"), (FOUR, "4")], ids=["seven", "one", "four"]
)
def test_a_digit_drawn_on_the_page_is_read(server, browser, strokes, digit):
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    assert browser.title == "Draw a digit · mnistkit"
    draw(browser, strokes)
    assert shown(browser) == digit
    top = browser.find_elements(By.CSS_SELECTOR, "#top li")
    assert len(top) == 3
    assert top[0].find_element(By.CLASS_NAME, "label").text == digit
    assert browser.find_element(By.ID, "seen").is_displayed()
    assert browser.find_element(By.ID, "badge").text.startswith(("Digit", "Unsure"))
    assert not browser.find_element(By.ID, "error").is_displayed()

    browser.find_element(By.ID, "clear").click()
    assert browser.find_element(By.ID, "digit").text == "?"
    assert browser.find_elements(By.CSS_SELECTOR, "#top li") == []


def test_a_file_that_is_no_picture_shows_the_servers_error(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url)
    words = tmp_path / "notes.png"
    words.write_text("not a picture")
    browser.find_element(By.ID, "file").send_keys(str(words))
    error = WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "error").is_displayed() and d.find_element(By.ID, "error")
    )
    assert "is not an image file that can be read" in error.text
    # The page, and the server, go on: a digit drawn next is read.
    draw(browser, SEVEN)
    assert shown(browser) == "7"
    assert not browser.find_element(By.ID, "error").is_displayed()
