"""``mnistkit demo``: a page to draw a digit on and see what a model reads, served locally.

The standard library's threading HTTP server, on 127.0.0.1 only, serves one
self-contained page (``_demo_page.py``) and answers ``POST /predict``: the body
is a picture (the drawing as PNG, or a photo as it is), or a form with the
picture as its file (``curl -F picture=@digit.png``), read as ``mnistkit
predict`` reads a file, and the answer is JSON. A request that is malformed,
too large, sent to the wrong address or from another site's name gets a JSON
error with a 4xx status; the server goes on serving.
"""

import base64
import email.parser
import email.policy
import html
import io
import json
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from .._geometry import IMAGE_SIDE
from ._demo_page import PAGE
from ._messages import one_line
from ._reading import read_pixels, verdicts

#: The largest picture accepted, in bytes; a larger request is refused unread.
MAX_BYTES = 10 * 1024 * 1024
#: Seconds a connection may stay silent (while sending its picture, or idle).
TIMEOUT = 10
#: The top probabilities shown.
TOP = 3
_SENT = "the picture sent"


_AS_TEXT = ("It was sent as a form's text, which loses a picture's line breaks (curl -d): "
            "send the file as it is (curl --data-binary @digit.png) or as a form's file "
            "(curl -F picture=@digit.png).")


def picture_in(payload, content_type):
    """The picture's bytes in a request's body: the body itself, or a form's file.

    A ``multipart/form-data`` body (an HTML form, ``curl -F``) gives its first
    part that is a file, else its first part (empty when it has none). Any
    other body is the picture (``curl --data-binary`` calls it a URL-encoded
    form, and sends the file as it is).
    """
    if content_type.split(";", 1)[0].strip().lower() != "multipart/form-data":
        return payload
    # The email package parses MIME multipart bodies, which HTML forms send.
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + payload)
    parts = list(form.iter_parts()) if form.is_multipart() else []
    if not parts:
        return b""
    part = next((part for part in parts if part.get_filename()), parts[0])
    return part.get_payload(decode=True) or b""


def _data_url(pixels):
    """A 28x28 grey picture as a PNG ``data:`` URL."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels.reshape(IMAGE_SIDE, IMAGE_SIDE)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class Reader:
    """Read a picture's bytes as ``mnistkit predict`` reads a file, and answer as a dict."""

    def __init__(self, model, *, min_confidence=0.8, max_novelty=1.0):
        from threadpoolctl import ThreadpoolController

        self.model = model
        self.min_confidence = min_confidence
        self.max_novelty = max_novelty
        self._threads = ThreadpoolController()

    def read(self, payload):
        """``(status, answer)`` for the bytes of one picture."""
        # One picture is too small a job to share among threads: on a busy
        # machine, the two threads of the novelty's neighbour search wait 100 ms
        # for each other, where one thread takes 2 ms.
        with self._threads.limit(limits=1):
            return self._read(payload)

    def _read(self, payload):
        from ..imaging import NoDigitError

        start = time.perf_counter()
        try:
            # Named as messages should call it: "the picture sent: no digit found ...".
            picture = io.BytesIO(payload)
            picture.name = _SENT
            pixels, _ = read_pixels(picture)
        except NoDigitError as error:
            why = one_line(error).removeprefix(f"{_SENT}: ")
            if error.several:  # advice for the page, not for Python or the terminal
                why = (f"the picture holds {error.several} separate marks of a digit's "
                       "size: draw one digit")
            answer = {
                "digit": None,
                "confidence": None,
                "verdict": "not a digit",
                "reason": why.removeprefix("no digit found: ").rstrip("."),
                "top": [],
                "seen": None,
            }
            return HTTPStatus.OK, self._timed(answer, start)
        except ValueError as error:
            text = one_line(error)
            return HTTPStatus.BAD_REQUEST, {"error": text[:1].upper() + text[1:]}
        digits, confidence, verdict, reason = verdicts(
            self.model,
            pixels,
            min_confidence=self.min_confidence,
            max_novelty=self.max_novelty,
        )
        answer = {
            "digit": int(digits[0]),
            "confidence": None if confidence is None else float(confidence[0]),
            "verdict": None if verdict is None else str(verdict[0]),
            "reason": "" if reason is None else str(reason[0]),
            "top": self._top(pixels),
            "seen": _data_url(pixels[0]),
        }
        return HTTPStatus.OK, self._timed(answer, start)

    def _top(self, pixels):
        """The most likely digits and their probabilities; [] for a model without them."""
        if not hasattr(self.model, "predict_proba"):
            return []
        proba = self.model.predict_proba(pixels)[0]
        best = np.argsort(proba, kind="stable")[::-1][:TOP]
        classes = np.asarray(self.model.classes_)
        return [{"digit": int(classes[k]), "probability": float(proba[k])} for k in best]

    @staticmethod
    def _timed(answer, start):
        answer["milliseconds"] = round(1000 * (time.perf_counter() - start), 1)
        return answer


class _Handler(BaseHTTPRequestHandler):
    server_version = "mnistkit-demo"
    protocol_version = "HTTP/1.1"
    timeout = TIMEOUT

    # -- answers ----------------------------------------------------------------------

    def _send(self, status, body, content_type, *, close=False, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status, document, **kwargs):
        body = json.dumps(document, allow_nan=False).encode()
        self._send(status, body, "application/json", **kwargs)

    def _error(self, status, message, **kwargs):
        self.server.log(f"{self.command} {self.path}: {int(status)} {message}")
        # A request whose body is left unread ends its connection.
        kwargs.setdefault("close", self.command not in ("GET", "HEAD"))
        self._json(status, {"error": message, "status": int(status)}, **kwargs)

    def log_message(self, format, *args):
        pass  # one line per picture read, from the server's own log

    # -- requests ---------------------------------------------------------------------

    def _host_is_ours(self):
        """Whether the request names this server: no other site's name (DNS rebinding)."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        if host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return True
        self._error(
            HTTPStatus.FORBIDDEN, f"This demo answers requests to http://127.0.0.1:{port}/ only."
        )
        return False

    def do_GET(self):
        if not self._host_is_ours():
            return
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page, "text/html; charset=utf-8")
        else:
            self._error(
                HTTPStatus.NOT_FOUND,
                f"Nothing at {path}: the page is at /, and pictures go to POST /predict.",
            )

    do_HEAD = do_GET

    def do_POST(self):
        if not self._host_is_ours():
            return
        if self.path.split("?", 1)[0] != "/predict":
            self._error(
                HTTPStatus.NOT_FOUND,
                f"Nothing at {self.path.split('?', 1)[0]}: send pictures to POST /predict.",
            )
            return
        size = self._body_size()
        if size is None:
            return
        payload = self.rfile.read(size)
        if len(payload) < size:
            self._error(
                HTTPStatus.BAD_REQUEST,
                f"The picture was cut short: {len(payload):,} of the {size:,} bytes "
                "announced arrived.",
            )
            return
        content_type = self.headers.get("Content-Type", "")
        picture = picture_in(payload, content_type)
        if not picture:
            self._error(HTTPStatus.BAD_REQUEST, "No picture was sent: the form holds none.",
                        close=False)
            return
        try:
            status, answer = self.server.reader.read(picture)
        except Exception as error:  # the server goes on, whatever one picture does
            self._error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                f"The picture could not be read ({type(error).__name__}: {error}).",
                close=False,
            )
            return
        if status != HTTPStatus.OK:
            message = answer["error"]
            if content_type.startswith("application/x-www-form-urlencoded"):
                message += " " + _AS_TEXT
            self._error(status, message, close=False)
            return
        self.server.log(_summary(answer))
        self._json(status, answer)

    def _body_size(self):
        """The announced size of the body, checked before any of it is read; None if refused."""
        if self.headers.get("Transfer-Encoding"):
            self._error(
                HTTPStatus.LENGTH_REQUIRED,
                "Send the picture in one piece, with a Content-Length header.",
            )
            return None
        text = self.headers.get("Content-Length")
        if text is None:
            self._error(
                HTTPStatus.LENGTH_REQUIRED, "Send the picture with a Content-Length header."
            )
            return None
        try:
            size = int(text)
        except ValueError:
            size = -1
        if size < 0:
            self._error(
                HTTPStatus.BAD_REQUEST, f"Content-Length must be a number of bytes; got {text!r}."
            )
            return None
        if size == 0:
            self._error(
                HTTPStatus.BAD_REQUEST, "No picture was sent: the body is empty.", close=False
            )
            return None
        if size > MAX_BYTES:
            self._error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"The picture is {size / 2**20:.1f} MB; this demo reads pictures of "
                f"up to {MAX_BYTES // 2**20} MB. Send a smaller one.",
            )
            return None
        return size

    def _not_allowed(self):
        self._error(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{self.command} is not used here: GET / for the page, POST /predict for a picture.",
            headers=[("Allow", "GET, HEAD, POST")],
        )

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


def _summary(answer):
    """One line about a picture read, for the server's log."""
    if answer["digit"] is None:
        return f"not a digit: {answer['reason']} ({answer['milliseconds']:.0f} ms)"
    line = f"read {answer['digit']}"
    if answer["confidence"] is not None:
        line += f", confidence {answer['confidence']:.3f}"
    if answer["verdict"] not in (None, "digit"):
        line += f", {answer['verdict']}: {answer['reason']}"
    return f"{line} ({answer['milliseconds']:.0f} ms)"


class DemoServer(ThreadingHTTPServer):
    """The demo's HTTP server, on 127.0.0.1; ``url`` is its page."""

    daemon_threads = True

    def __init__(self, reader, *, port=0, description="", log=None):
        self.reader = reader
        self.log = log or (lambda line: None)
        super().__init__(("127.0.0.1", port), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self.page = render_page(description).encode()


def render_page(description):
    """The page, naming the model it reads with."""
    return PAGE.replace("{{model}}", html.escape(description)).replace(
        "{{max_bytes}}", str(MAX_BYTES)
    )


def make_server(model, *, port=0, description="", min_confidence=0.8, max_novelty=1.0, log=None):
    """A demo server for ``model`` on 127.0.0.1 (``port`` 0: any free port), not yet serving.

    Call ``serve_forever()`` on it, and ``shutdown()`` and ``server_close()`` to stop.
    """
    reader = Reader(model, min_confidence=min_confidence, max_novelty=max_novelty)
    return DemoServer(reader, port=port, description=description, log=log)
