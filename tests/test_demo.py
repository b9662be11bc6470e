"""``mnistkit demo``'s server: its page, its answers, and its refusals, after which it serves on."""

import base64
import http.client
import io
import json
import socket
import threading

import numpy as np
import pytest
from PIL import Image, ImageDraw

from mnistkit import MNISTClassifier, load_sample
from mnistkit.cli import _demo, main
from mnistkit.cli._demo import MAX_BYTES, make_server

from .conftest import served_in_a_thread


@pytest.fixture(scope="module")
def model(fitted_on_sample):
    return fitted_on_sample(probability="fast")


@pytest.fixture(scope="module")
def server(model):
    with served_in_a_thread(
        make_server(model, port=0, description="a model <of the sample>")
    ) as server:
        yield server


def request(server, method, path, body=None, headers=None):
    """The status, headers and JSON (or text) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    kind = response.getheader("Content-Type", "")
    return response.status, response, json.loads(data) if "json" in kind else data.decode()


def drawn(index):
    """A test digit of the sample drawn as a pen would: dark strokes on white, 280 x 280."""
    sample = load_sample(subset="test")
    ink = np.kron(sample.images[index], np.ones((8, 8), np.uint8)) > 100
    picture = Image.new("L", (280, 280), 255)
    pen = ImageDraw.Draw(picture)
    for y, x in zip(*np.nonzero(ink[::4, ::4]), strict=True):
        pen.ellipse((20 + 4 * x - 6, 20 + 4 * y - 6, 20 + 4 * x + 6, 20 + 4 * y + 6), fill=0)
    buffer = io.BytesIO()
    picture.convert("RGBA").save(buffer, format="PNG")
    return buffer.getvalue(), int(sample.target[index])


def serves_on(server):
    """The server still reads a digit."""
    body, label = drawn(0)
    status, _, answer = request(server, "POST", "/predict", body, {"Content-Type": "image/png"})
    assert status == 200
    assert answer["digit"] == label


def test_the_page(server):
    status, response, page = request(server, "GET", "/")
    assert status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert '<canvas id="pad"' in page
    assert "a model &lt;of the sample&gt;" in page  # the model named, escaped
    assert f"const MAX_BYTES = {MAX_BYTES};" in page
    # Self-contained: nothing is loaded from elsewhere.
    for remote in ("http://", "https://", "src=", "@import"):
        assert remote not in page.lower()


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_a_drawn_digit_is_read(server, model, index):
    body, label = drawn(index)
    status, response, answer = request(
        server, "POST", "/predict", body, {"Content-Type": "image/png"}
    )
    assert status == 200
    assert response.getheader("Content-Type") == "application/json"
    assert answer["digit"] == label
    assert answer["verdict"] in ("digit", "unsure")
    # The three likeliest digits, most likely first: the model's own probabilities.
    seen = _picture(answer["seen"])
    assert seen.shape == (28, 28)
    proba = model.predict_proba(seen.reshape(1, -1))[0]
    assert [entry["digit"] for entry in answer["top"]] == list(np.argsort(proba)[::-1][:3])
    np.testing.assert_allclose([e["probability"] for e in answer["top"]], np.sort(proba)[::-1][:3])
    assert answer["top"][0]["digit"] == label
    assert answer["confidence"] == pytest.approx(answer["top"][0]["probability"])
    assert answer["milliseconds"] > 0


def _picture(data_url):
    prefix = "data:image/png;base64,"
    assert data_url.startswith(prefix)
    with Image.open(io.BytesIO(base64.b64decode(data_url[len(prefix) :]))) as image:
        return np.asarray(image)


def test_what_the_model_saw_is_what_predict_reads(server, tmp_path):
    from mnistkit import read_digit_image

    body, _ = drawn(5)
    (tmp_path / "digit.png").write_bytes(body)
    _, _, answer = request(server, "POST", "/predict", body)
    np.testing.assert_array_equal(
        _picture(answer["seen"]).ravel(), read_digit_image(tmp_path / "digit.png")
    )


def test_a_blank_page_and_noise_are_not_digits(server):
    blank = io.BytesIO()
    Image.new("L", (280, 280), 255).save(blank, format="PNG")
    status, _, answer = request(server, "POST", "/predict", blank.getvalue())
    assert status == 200
    assert answer["verdict"] == "not a digit"
    assert (answer["digit"], answer["seen"], answer["top"]) == (None, None, [])
    assert "blank" in answer["reason"]

    noise = io.BytesIO()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (280, 280), dtype=np.uint8)).save(noise, format="PNG")
    status, _, answer = request(server, "POST", "/predict", noise.getvalue())
    assert status == 200
    assert answer["verdict"] == "not a digit"
    serves_on(server)


def test_two_digits_on_the_page_are_answered_with_advice_for_the_page(server):
    picture = Image.new("L", (400, 200), 255)
    pen = ImageDraw.Draw(picture)
    pen.ellipse((40, 40, 140, 170), outline=0, width=10)
    pen.line([(260, 40), (260, 170)], fill=0, width=10)
    body = io.BytesIO()
    picture.save(body, format="PNG")
    status, _, answer = request(server, "POST", "/predict", body.getvalue())
    assert status == 200
    assert answer["verdict"] == "not a digit"
    # Reading a number in Python or in a terminal is no advice for the page.
    assert answer["reason"] == (
        "the picture holds 2 separate marks of a digit's size: draw one digit")


def test_a_non_image_is_refused_with_the_readers_message(server):
    status, _, answer = request(
        server,
        "POST",
        "/predict",
        b"these are words, not a picture",
        {"Content-Type": "text/plain"},
    )
    assert status == 400
    assert answer["error"] == (
        "The picture sent is not an image file that can be read (PNG, JPEG, TIFF, BMP or "
        "another format Pillow reads expected)."
    )
    assert answer["status"] == 400
    serves_on(server)


def test_a_malformed_upload(server):
    body, _ = drawn(0)
    # A PNG cut in the middle.
    status, _, answer = request(server, "POST", "/predict", body[: len(body) // 2])
    assert status == 400
    assert "is not an image file that can be read" in answer["error"]
    # An empty body, a Content-Length that is no number.
    status, _, answer = request(server, "POST", "/predict", b"")
    assert (status, answer["error"]) == (400, "No picture was sent: the body is empty.")
    status, _, answer = request(server, "POST", "/predict", body, {"Content-Length": "many"})
    assert status == 400
    assert answer["error"] == "Content-Length must be a number of bytes; got 'many'."
    serves_on(server)


def _raw(server, head, body=b""):
    """Send raw bytes; the status line and the JSON of the answer."""
    with socket.create_connection(server.server_address, timeout=30) as sock:
        sock.sendall(head + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), json.loads(body)


def test_no_content_length_is_refused(server):
    port = server.server_address[1]
    status, answer = _raw(
        server,
        f"POST /predict HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()
        + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    )
    assert status == "HTTP/1.1 411 Length Required"
    assert "Content-Length" in answer["error"]
    serves_on(server)


def test_a_50_mb_body_is_refused_before_it_is_read(server, monkeypatch):
    read = []
    real = _demo.Reader.read
    monkeypatch.setattr(
        _demo.Reader, "read", lambda self, payload: read.append(1) or real(self, payload)
    )
    size = 50 * 2**20
    port = server.server_address[1]
    # Only the headers and the first megabyte are sent: the answer comes without the rest.
    status, answer = _raw(
        server,
        f"POST /predict HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: image/png\r\n"
        f"Content-Length: {size}\r\n\r\n".encode(),
        b"\x89PNG" + bytes(2**20),
    )
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert answer["error"] == (
        "The picture is 50.0 MB; this demo reads pictures of up to 10 MB. Send a smaller one."
    )
    assert read == []
    serves_on(server)


def test_wrong_paths_methods_and_hosts(server):
    status, _, answer = request(server, "GET", "/secret.txt")
    assert status == 404
    assert answer["error"].startswith("Nothing at /secret.txt")
    body, _ = drawn(0)
    status, _, answer = request(server, "POST", "/upload", body)
    assert status == 404
    status, response, answer = request(server, "DELETE", "/")
    assert status == 405
    assert response.getheader("Allow") == "GET, HEAD, POST"
    # A page of another site that its name has sent here (DNS rebinding) is refused.
    status, _, answer = request(server, "POST", "/predict", body, {"Host": "evil.example:80"})
    assert status == 403
    serves_on(server)


def test_answers_several_at_once(server):
    body, label = drawn(0)
    answers = []

    def ask():
        answers.append(request(server, "POST", "/predict", body)[2]["digit"])

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [label] * 6


def test_a_model_without_verdicts(model):
    X, y = load_sample(return_X_y=True)
    plain = MNISTClassifier(backend="sgd", random_state=0).fit(X, y)
    reader = _demo.Reader(plain)
    body, label = drawn(0)
    status, answer = reader.read(body)
    assert status == 200
    assert answer["digit"] == label
    assert answer["verdict"] is None
    assert (answer["confidence"], answer["top"]) == (None, [])


# -- the command ---------------------------------------------------------------------


def test_the_command_serves_until_interrupted(model, tmp_path, monkeypatch, capsys):
    path = model.save(
        tmp_path / "sample.mnistkit", training={"dataset": "sample", "n_train": 2000, "name": "svc"}
    )
    real_serve, served = _demo.DemoServer.serve_forever, []

    def serve_then_interrupt(self):
        thread = threading.Thread(target=real_serve, args=(self,), daemon=True)
        thread.start()
        served.append(request(self, "GET", "/")[0])
        self.shutdown()
        thread.join()
        raise KeyboardInterrupt  # Ctrl-C

    monkeypatch.setattr(_demo.DemoServer, "serve_forever", serve_then_interrupt)
    status = main(["demo", "--model", str(path), "--port", "0"])
    out, err = capsys.readouterr()
    assert status == 0
    assert served == [200]
    assert out.startswith("The mnistkit demo is at http://127.0.0.1:")
    assert (
        "(reading with sample.mnistkit (svc, trained on 2,000 images of the MNIST "
        "sample); Ctrl-C to stop)"
    ) in out
    assert "[demo] stopped" in err


def test_a_port_in_use_is_said_in_words(model, tmp_path, capsys):
    path = model.save(tmp_path / "sample.mnistkit")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status = main(["demo", "--model", str(path), "--port", str(port)])
    assert status == 1
    err = capsys.readouterr().err
    assert f"port {port} is in use: give another with --port, or --port 0" in err


def test_a_picture_sent_as_a_form_file_is_read(server):
    from urllib3 import encode_multipart_formdata

    # An HTML form or curl -F: the picture is the form's file, beside other fields.
    body, label = drawn(1)
    form, content_type = encode_multipart_formdata(
        {"note": "my digit", "picture": ("digit.png", body, "image/png")})
    status, _, answer = request(server, "POST", "/predict", form, {"Content-Type": content_type})
    assert status == 200, answer
    assert answer["digit"] == label
    # A form without a file: its first field is taken for the picture, and is none.
    form, content_type = encode_multipart_formdata({"note": "my digit"})
    status, _, answer = request(server, "POST", "/predict", form, {"Content-Type": content_type})
    assert status == 400
    assert "not an image file" in answer["error"]


def test_a_picture_sent_as_form_text_gets_the_right_command(server):
    # curl --data-binary @digit.png calls its body a URL-encoded form: it is read.
    body, label = drawn(1)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, answer = request(server, "POST", "/predict", body, form)
    assert status == 200
    assert answer["digit"] == label
    # curl -d @digit.png sends the file without its line breaks: it cannot be read.
    status, _, answer = request(server, "POST", "/predict", body.replace(b"\n", b""), form)
    assert status == 400
    assert "--data-binary @digit.png" in answer["error"]
    assert "-F picture=@digit.png" in answer["error"]
    serves_on(server)
