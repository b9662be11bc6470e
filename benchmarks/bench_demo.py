"""Latency of ``mnistkit demo``: a drawn digit posted again and again, once the model is loaded.

Usage::

    python benchmarks/bench_demo.py [--model FILE] [--data-home DIR] [-n 200]

Starts the real command, ``mnistkit demo --port 0`` (with ``--model FILE``, or
the default model, which is trained on MNIST first if it is not cached yet),
waits for its address, then posts the same picture ``-n`` times, one after the
other, as the page does: a 280 x 280 PNG of a test digit of the sample drawn
with a round pen, dark on white. Prints the median and 90th percentile of the
round trip (the client's view, connection included) and of the time the server
says it took (reading, predicting, the verdict, the picture seen). The target is
a median under 100 ms on 2 cores.
"""

import argparse
import http.client
import io
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

from mnistkit import load_sample


def drawn_digit(index=0):
    """A sample test digit drawn as on the page's pad: round dabs of ink, 280 x 280 PNG."""
    sample = load_sample(subset="test")
    ink = np.kron(sample.images[index], np.ones((8, 8), np.uint8)) > 100
    picture = Image.new("L", (280, 280), 255)
    pen = ImageDraw.Draw(picture)
    for y, x in zip(*np.nonzero(ink[::4, ::4]), strict=True):
        pen.ellipse((20 + 4 * x - 6, 20 + 4 * y - 6, 20 + 4 * x + 6, 20 + 4 * y + 6), fill=0)
    buffer = io.BytesIO()
    picture.convert("RGBA").save(buffer, format="PNG")
    return buffer.getvalue(), int(sample.target[index])


def start_demo(args):
    command = [sys.executable, "-m", "mnistkit", "demo", "--port", "0", "--quiet"]
    if args.model:
        command += ["--model", args.model]
    if args.data_home:
        command += ["--data-home", args.data_home]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # after the model is loaded (or trained)
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not found:
        process.kill()
        sys.exit(f"mnistkit demo did not start: {line!r}")
    return process, int(found.group(1))


def post(port, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/predict", body=body, headers={"Content-Type": "image/png"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model file (default: the default model)")
    parser.add_argument("--data-home", help="the data folder of the default model")
    parser.add_argument("-n", type=int, default=200, help="requests (default: 200)")
    args = parser.parse_args()
    body, label = drawn_digit()
    process, port = start_demo(args)
    try:
        for _ in range(5):  # warm up: first calls import and cache
            post(port, body)
        round_trips, server = [], []
        for _ in range(args.n):
            start = time.perf_counter()
            status, answer = post(port, body)
            round_trips.append(1000 * (time.perf_counter() - start))
            server.append(answer["milliseconds"])
            assert status == 200, answer
            assert answer["digit"] == label, answer
    finally:
        process.terminate()
        process.wait()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"mnistkit demo, {args.model or 'the default model'}, {args.n} drawn digits "
        f"posted one after another, {cores} cores:"
    )
    print("| time | median ms | p90 ms |")
    print("|---|---|---|")
    for name, values in (("round trip", round_trips), ("server", server)):
        print(f"| {name} | {np.median(values):.1f} | {np.percentile(values, 90):.1f} |")


if __name__ == "__main__":
    main()
