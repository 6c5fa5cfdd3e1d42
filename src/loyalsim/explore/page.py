"""The explorer's single page: two settings side by side, each with its controls and figure."""

PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>loyalsim explorer</title>
<script src="/plotly.js"></script>
<style>
body { font-family: system-ui, sans-serif; margin: 1em 2em; color: #222; }
#panels { display: flex; gap: 2em; }
.panel { flex: 1; min-width: 0; border: 1px solid #ddd; border-radius: 6px; padding: 1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; }
td { padding: 2px 4px; vertical-align: top; }
td.unit, .hint { color: #666; font-size: 0.85em; }
input { width: 7em; }
.error { color: #b00020; white-space: pre-wrap; font-size: 0.9em; }
progress { width: 100%; }
button { margin-right: 0.5em; }
.note { color: #555; font-size: 0.85em; }
</style></head>
<body>
<h1>loyalsim explorer</h1>
<p class="note">A synthetic population with aggregate outputs only. Choose a preset, change the
main parameters (unit, bounds and source shown beside each), run, and compare two settings side
by side. Hover a parameter for its description.</p>
<div id="panels"></div>
<h2>A and B together</h2>
<div id="compare" style="height:380px"></div>
<script>
const SHOWN = ["display_public", "loyalty_private", "display_gap", "resentment", "cynicism"];
const state = {};

async function api(path, options) {
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) { throw new Error(data.error || response.statusText); }
  return data;
}

function panelHtml(slot) {
  return `<div class="panel" id="panel-${slot}">
    <h2>Setting ${slot}</h2>
    <label>Preset <select id="preset-${slot}"></select></label>
    <div class="hint" id="preset-desc-${slot}"></div>
    <table><tr><td>population.n_people</td>
      <td><input id="population-${slot}" value="20000"></td>
      <td class="unit">people [100, 30000000]</td></tr>
      <tr><td>seed</td><td><input id="seed-${slot}" value="1"></td>
      <td class="unit">integer &ge; 0</td></tr>
    </table>
    <table id="params-${slot}"></table>
    <p><button id="run-${slot}">Run</button><button id="cancel-${slot}" disabled>Cancel</button>
       <a id="download-${slot}" style="display:none">Download run directory</a></p>
    <progress id="progress-${slot}" value="0" max="1"></progress>
    <div id="status-${slot}" class="hint">idle</div>
    <div id="error-${slot}" class="error"></div>
    <div id="plot-${slot}" style="height:360px"></div>
  </div>`;
}

async function loadParams(slot) {
  const preset = document.getElementById(`preset-${slot}`).value;
  const rows = await api(`/api/params?preset=${encodeURIComponent(preset)}`);
  const table = document.getElementById(`params-${slot}`);
  table.innerHTML = rows.map(p => `<tr title="${p.description} (source: ${p.provenance})">
      <td>${p.path}</td>
      <td><input data-path="${p.path}" data-default="${p.value}" value="${p.value}"></td>
      <td class="unit">${p.unit} [${p.min}, ${p.max}]</td></tr>`).join("");
  const option = document.querySelector(`#preset-${slot} option[value="${preset}"]`);
  document.getElementById(`preset-desc-${slot}`).textContent = option ? option.title : "";
}

function changedParams(slot) {
  const out = {};
  document.querySelectorAll(`#params-${slot} input`).forEach(input => {
    if (input.value.trim() !== input.dataset.default) {
      out[input.dataset.path] = input.value.trim();
    }
  });
  return out;
}

function draw(slot, snap) {
  const traces = SHOWN.filter(m => snap.series[m]).map(m => ({
    x: snap.dates, y: snap.series[m], name: m, mode: "lines"}));
  Plotly.react(`plot-${slot}`, traces, {margin: {t: 30, l: 40, r: 10, b: 40},
    title: {text: `Setting ${slot}: group all`, font: {size: 13}}, legend: {font: {size: 10}}});
  state[slot].last = snap;
  const both = ["A", "B"].filter(s => state[s] && state[s].last);
  const ctraces = [];
  both.forEach(s => ["display_public", "loyalty_private"].forEach(m => ctraces.push({
    x: state[s].last.dates, y: state[s].last.series[m], name: `${m} (${s})`, mode: "lines",
    line: {dash: s === "B" ? "dash" : "solid"}})));
  Plotly.react("compare", ctraces, {margin: {t: 20, l: 40, r: 10, b: 40}});
}

async function poll(slot) {
  const s = state[slot];
  const snap = await api(`/api/job/${s.job}`);
  const bar = document.getElementById(`progress-${slot}`);
  bar.max = snap.total || 1; bar.value = snap.done;
  document.getElementById(`status-${slot}`).textContent =
    `${snap.status}: week ${snap.done} of ${snap.total}`;
  if (snap.done > 0) { draw(slot, snap); }
  if (snap.status === "failed") {
    document.getElementById(`error-${slot}`).textContent = snap.error;
  }
  if (["done", "cancelled", "failed"].includes(snap.status)) {
    document.getElementById(`run-${slot}`).disabled = false;
    document.getElementById(`cancel-${slot}`).disabled = true;
    if (snap.status === "done") {
      const link = document.getElementById(`download-${slot}`);
      link.href = `/api/job/${s.job}/download`; link.style.display = "inline";
    }
    document.getElementById(`panel-${slot}`).dataset.status = snap.status;
    return;
  }
  s.timer = setTimeout(() => poll(slot), 400);
}

async function run(slot) {
  const error = document.getElementById(`error-${slot}`);
  error.textContent = "";
  document.getElementById(`download-${slot}`).style.display = "none";
  document.getElementById(`panel-${slot}`).dataset.status = "starting";
  const body = {
    preset: document.getElementById(`preset-${slot}`).value,
    population: document.getElementById(`population-${slot}`).value,
    seed: document.getElementById(`seed-${slot}`).value,
    params: changedParams(slot),
  };
  try {
    const job = await api("/api/run", {method: "POST", body: JSON.stringify(body),
                                       headers: {"Content-Type": "application/json"}});
    state[slot].job = job.id;
    document.getElementById(`run-${slot}`).disabled = true;
    document.getElementById(`cancel-${slot}`).disabled = false;
    poll(slot);
  } catch (e) {
    error.textContent = e.message;
    document.getElementById(`panel-${slot}`).dataset.status = "refused";
  }
}

async function setup() {
  const presets = await api("/api/presets");
  const panels = document.getElementById("panels");
  for (const slot of ["A", "B"]) {
    state[slot] = {};
    panels.insertAdjacentHTML("beforeend", panelHtml(slot));
    const select = document.getElementById(`preset-${slot}`);
    select.innerHTML = presets.map(p =>
      `<option value="${p.name}" title="${p.description}">${p.name}</option>`).join("");
    select.value = slot === "A" ? "default" : "no-campaign";
    select.addEventListener("change", () => loadParams(slot));
    document.getElementById(`run-${slot}`).addEventListener("click", () => run(slot));
    document.getElementById(`cancel-${slot}`).addEventListener("click",
      () => api(`/api/job/${state[slot].job}/cancel`, {method: "POST"}));
    await loadParams(slot);
  }
  document.body.dataset.ready = "yes";
}
setup();
</script>
</body></html>
"""
