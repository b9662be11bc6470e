"""The page of ``mnistkit demo``: one self-contained HTML file, its style and script inline.

Nothing is loaded from elsewhere. ``{{model}}`` (the model's description, escaped)
and ``{{max_bytes}}`` (the largest picture the server takes) are filled in when
the server starts.
"""

PAGE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Draw a digit · mnistkit</title>
<link rel="icon" href="data:,">
<style>
:root {
  --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --card: #ffffff; --page: #f3f5f9;
  --accent: #2557a7; --accent-ink: #ffffff; --bar: #2557a7; --bar-track: #e6eaf2;
  --good: #1b6b3a; --good-bg: #e3f4e9; --warn: #8a5300; --warn-bg: #fdf0d9;
  --bad: #a3261d; --bad-bg: #fbe5e3;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e7eaf0; --muted: #a3abbb; --line: #39414f; --card: #1e232d; --page: #14181f;
    --accent: #7aa7f0; --accent-ink: #0f1420; --bar: #7aa7f0; --bar-track: #2c3340;
    --good: #7fd39d; --good-bg: #1d3527; --warn: #f1c074; --warn-bg: #3b2f18;
    --bad: #f29a90; --bad-bg: #40211e;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 860px; margin: 0 auto; padding: 24px 16px 32px; }
header h1 { margin: 0; font-size: 1.6rem; letter-spacing: -0.01em; }
header p { margin: 4px 0 20px; color: var(--muted); }
.panels { display: flex; flex-wrap: wrap; gap: 20px; align-items: stretch; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 18px; flex: 1 1 340px; min-width: 0;
}
.card h2 {
  margin: 0 0 12px; font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.06em; color: var(--muted);
}
.pad-frame {
  position: relative; width: 100%; max-width: 320px; aspect-ratio: 1; margin: 0 auto;
  border: 2px dashed var(--line); border-radius: 10px; overflow: hidden; background: #fff;
}
.pad-frame.over { border-color: var(--accent); }
#pad {
  display: block; width: 100%; height: 100%; touch-action: none; cursor: crosshair;
}
.pad-hint {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: #8a93a6; pointer-events: none; font-size: 0.95rem; text-align: center; padding: 24px;
}
.pad-hint[hidden] { display: none; }
.tools { display: flex; gap: 10px; justify-content: center; margin-top: 14px; flex-wrap: wrap; }
button, .file-button {
  font: inherit; font-size: 0.95rem; padding: 8px 16px; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--line); background: var(--card); color: var(--ink);
}
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
button:focus-visible, .file-button:focus-within, #pad:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px;
}
.file-button input {
  position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden;
}
.file-button { position: relative; display: inline-block; }
.small { font-size: 0.85rem; color: var(--muted); text-align: center; margin: 10px 0 0; }
.answer-top { display: flex; align-items: center; gap: 18px; min-height: 112px; }
#digit {
  font-size: 5.5rem; line-height: 1; font-weight: 700; min-width: 1ch; margin: 0;
  font-variant-numeric: tabular-nums;
}
#digit.empty { color: var(--line); }
.badge {
  display: inline-block; padding: 3px 10px; border-radius: 999px; font-weight: 600;
  font-size: 0.9rem;
}
.badge.digit { color: var(--good); background: var(--good-bg); }
.badge.unsure { color: var(--warn); background: var(--warn-bg); }
.badge.not-a-digit { color: var(--bad); background: var(--bad-bg); }
.badge.none { color: var(--muted); background: var(--bar-track); }
#confidence { margin: 8px 0 0; font-size: 0.95rem; font-variant-numeric: tabular-nums; }
#confidence:empty { display: none; }
#reason { margin: 4px 0 0; color: var(--muted); font-size: 0.92rem; }
#top { list-style: none; padding: 0; margin: 18px 0 0; }
#top li {
  display: grid; grid-template-columns: 1.4em 1fr 4.2em; gap: 10px; align-items: center;
  margin: 6px 0; font-variant-numeric: tabular-nums;
}
#top .label { font-weight: 700; text-align: center; }
#top .track { height: 12px; background: var(--bar-track); border-radius: 6px; overflow: hidden; }
#top .fill { height: 100%; background: var(--bar); border-radius: 6px; }
#top .value { text-align: right; color: var(--muted); font-size: 0.92rem; }
.seen { display: flex; align-items: center; gap: 14px; margin: 18px 0 0; }
.seen img {
  width: 112px; height: 112px; image-rendering: pixelated; border-radius: 6px;
  background: #000; border: 1px solid var(--line);
}
.seen img[hidden] { display: none; }
.seen figcaption { color: var(--muted); font-size: 0.9rem; }
#error {
  margin: 14px 0 0; padding: 10px 12px; border-radius: 8px; color: var(--bad);
  background: var(--bad-bg);
}
#error[hidden] { display: none; }
footer { margin-top: 18px; color: var(--muted); font-size: 0.85rem; text-align: center; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap;
}
</style>
</head>
<body>
<main>
  <header>
    <h1>Draw a digit</h1>
    <p>Draw one digit, 0 to 9, with the mouse, a pen or a finger, or drop a photo of one:
       the model reads it as soon as you lift the pen.</p>
  </header>
  <div class="panels">
    <section class="card" aria-labelledby="pad-title">
      <h2 id="pad-title">Your digit</h2>
      <div class="pad-frame" id="frame">
        <canvas id="pad" width="280" height="280" role="img" tabindex="0"
                aria-label="Drawing pad: draw a digit here, or drop a photo of one.
                            Escape clears it."></canvas>
        <div class="pad-hint" id="hint">Draw a digit here<br>or drop a photo</div>
      </div>
      <div class="tools">
        <button type="button" id="clear">Clear</button>
        <label class="file-button">Choose a photo…
          <input type="file" id="file" accept="image/*">
        </label>
      </div>
      <p class="small">Draw it large, in the middle of the pad.</p>
    </section>
    <section class="card" aria-labelledby="answer-title">
      <h2 id="answer-title">What the model reads</h2>
      <div aria-live="polite" id="answer">
        <div class="answer-top">
          <p id="digit" class="empty" aria-label="No digit read yet">?</p>
          <div>
            <span id="badge" class="badge none">Waiting for a digit</span>
            <p id="confidence"></p>
            <p id="reason"></p>
          </div>
        </div>
        <h2 id="top-title">Likeliest digits</h2>
        <ol id="top" aria-labelledby="top-title"></ol>
        <figure class="seen">
          <img id="seen" alt="The digit as the model saw it: 28 by 28 pixels" hidden>
          <figcaption id="seen-caption">The 28 &times; 28 picture the model sees appears
            here.</figcaption>
        </figure>
      </div>
      <p id="error" role="alert" hidden></p>
    </section>
  </div>
  <footer>Read by <span id="model">{{model}}</span>, served by <code>mnistkit demo</code> on this
    computer only. <span id="timing"></span></footer>
</main>
<script>
"use strict";
const MAX_BYTES = {{max_bytes}};
const pad = document.getElementById("pad");
const frame = document.getElementById("frame");
const hint = document.getElementById("hint");
const ctx = pad.getContext("2d");
const SIZE = pad.width;
const $ = (id) => document.getElementById(id);
let drawing = false, last = null, photo = false, timer = null, asked = 0;

function clearPad() {
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, SIZE, SIZE);
  photo = false;
  hint.hidden = false;
}

function reset() {
  clearPad();
  asked++;  // an answer still on its way is no longer wanted
  $("digit").textContent = "?";
  $("digit").className = "empty";
  $("digit").setAttribute("aria-label", "No digit read yet");
  setBadge("none", "Waiting for a digit");
  $("reason").textContent = "";
  $("confidence").textContent = "";
  $("top").replaceChildren();
  $("seen").hidden = true;
  $("seen-caption").textContent = "The 28 \u00d7 28 picture the model sees appears here.";
  $("timing").textContent = "";
  showError("");
}

function setBadge(kind, text) {
  $("badge").className = "badge " + kind;
  $("badge").textContent = text;
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return {x: (event.clientX - box.left) * SIZE / box.width,
          y: (event.clientY - box.top) * SIZE / box.height};
}

function stroke(from, to) {
  ctx.strokeStyle = "#111111";
  ctx.lineWidth = SIZE / 13;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
}

pad.addEventListener("pointerdown", (event) => {
  if (event.pointerType === "mouse" && event.button !== 0) return;
  event.preventDefault();
  if (photo) clearPad();
  clearTimeout(timer);
  pad.setPointerCapture(event.pointerId);
  drawing = true;
  hint.hidden = true;
  last = point(event);
  stroke(last, last);
});

pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const each of events.length ? events : [event]) {
    const here = point(each);
    stroke(last, here);
    last = here;
  }
});

function endStroke() {
  if (!drawing) return;
  drawing = false;
  clearTimeout(timer);
  timer = setTimeout(() => pad.toBlob((blob) => send(blob), "image/png"), 150);
}
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);

async function send(blob) {
  const mine = ++asked;
  $("timing").textContent = "Reading…";
  let response, answer;
  try {
    response = await fetch("/predict", {
      method: "POST", body: blob,
      headers: {"Content-Type": blob.type || "application/octet-stream"},
    });
    answer = await response.json();
  } catch (error) {
    if (mine === asked) {
      $("timing").textContent = "";
      showError("The demo's server cannot be reached: is mnistkit demo still running?");
    }
    return;
  }
  if (mine !== asked) return;  // a newer drawing was sent meanwhile
  if (!response.ok) {
    $("timing").textContent = "";
    showError(answer.error || ("The server answered " + response.status + "."));
    return;
  }
  show(answer);
}

function percent(value) {
  if (value >= 0.9995) return ">99.9%";
  if (value < 0.0005) return "<0.1%";
  return (100 * value).toFixed(1) + "%";
}

function show(answer) {
  showError("");
  const digit = $("digit");
  const notDigit = answer.verdict === "not a digit";
  digit.textContent = answer.digit === null ? "\u2013" : String(answer.digit);
  digit.className = notDigit || answer.digit === null ? "empty" : "";
  digit.setAttribute("aria-label", answer.digit === null ? "No digit read"
                     : "Read as " + answer.digit);
  if (answer.verdict === "digit") setBadge("digit", "Digit");
  else if (answer.verdict === "unsure") setBadge("unsure", "Unsure");
  else if (notDigit) setBadge("not-a-digit", "Not a digit");
  else setBadge("none", "Read");
  $("confidence").textContent = answer.confidence === null || notDigit ? ""
    : "Chance it is right: " + percent(answer.confidence);
  let reason = answer.reason || "";
  if (notDigit && answer.digit !== null) {
    reason = (reason ? reason + "; " : "") + "best guess " + answer.digit;
  }
  if (answer.verdict === null) reason = "This model cannot say when a picture is no digit.";
  $("reason").textContent = reason;
  const rows = answer.top.map((entry) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = entry.digit;
    const track = document.createElement("span");
    track.className = "track";
    const fill = document.createElement("span");
    fill.className = "fill";
    fill.style.display = "block";
    fill.style.width = Math.max(0.5, 100 * entry.probability) + "%";
    track.append(fill);
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = percent(entry.probability);
    li.setAttribute("aria-label", entry.digit + ": " + percent(entry.probability));
    li.append(label, track, value);
    return li;
  });
  $("top").replaceChildren(...rows);
  if (answer.seen) {
    $("seen").src = answer.seen;
    $("seen").hidden = false;
    $("seen-caption").textContent = "What the model saw: 28 \u00d7 28 pixels, light on dark, " +
      "centred as MNIST's digits are.";
  } else {
    $("seen").hidden = true;
    $("seen-caption").textContent = "No digit was found to show.";
  }
  $("timing").textContent = "Read in " + Math.round(answer.milliseconds) + " ms.";
}

async function usePhoto(file) {
  if (!file) return;
  photo = true;
  hint.hidden = true;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, SIZE, SIZE);
  let picture = null;
  try {
    picture = await createImageBitmap(file, {imageOrientation: "from-image"});
    const scale = Math.min(SIZE / picture.width, SIZE / picture.height);
    const w = picture.width * scale, h = picture.height * scale;
    ctx.drawImage(picture, (SIZE - w) / 2, (SIZE - h) / 2, w, h);
  } catch (error) {
    picture = null;  // the server says what is wrong with it
  }
  if (file.size <= MAX_BYTES || !picture) {
    send(file);
    return;
  }
  // Too large to send as it is: a reduced copy, upright, as PNG.
  const side = 1600, scale = Math.min(1, side / Math.max(picture.width, picture.height));
  const copy = document.createElement("canvas");
  copy.width = Math.round(picture.width * scale);
  copy.height = Math.round(picture.height * scale);
  copy.getContext("2d").drawImage(picture, 0, 0, copy.width, copy.height);
  copy.toBlob((blob) => send(blob), "image/png");
}

$("clear").addEventListener("click", reset);
$("file").addEventListener("change", (event) => {
  usePhoto(event.target.files[0]);
  event.target.value = "";
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") reset();
});
frame.addEventListener("dragover", (event) => {
  event.preventDefault();
  frame.classList.add("over");
});
frame.addEventListener("dragleave", () => frame.classList.remove("over"));
frame.addEventListener("drop", (event) => {
  event.preventDefault();
  frame.classList.remove("over");
  usePhoto(event.dataTransfer.files[0]);
});
reset();
</script>
</body>
</html>
"""
