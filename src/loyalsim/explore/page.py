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
input.invalid { border: 2px solid #b00020; background: #fff0f0; }
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

function esc(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;"})[c]);
}

function row(p, id, value) {
  // One parameter: its path, an input, and the unit and bounds from the schema.
  const bounds = `[${p.min ?? "-inf"}, ${p.max ?? "inf"}]`;
  return `<tr title="${esc(p.description)} (source: ${esc(p.provenance)})">
      <td>${esc(p.path)}</td>
      <td><input ${id ? `id="${id}"` : `data-path="${esc(p.path)}"`}
        data-default="${esc(value)}" value="${esc(value)}"></td>
      <td class="unit">${esc(p.unit)} ${bounds}</td></tr>`;
}

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
    <table id="run-params-${slot}"></table>
    <table id="params-${slot}"></table>
    <p><button id="run-${slot}">Run</button><button id="cancel-${slot}" disabled>Cancel</button>
       <a id="download-${slot}" style="display:none">Download run directory</a></p>
    <progress id="progress-${slot}" value="0" max="1"></progress>
    <div id="status-${slot}" class="hint">idle</div>
    <div id="error-${slot}" class="error"></div>
    <label class="hint">Group shown <select id="group-${slot}"><option>all</option></select>
    </label>
    <div id="plot-${slot}" style="height:360px"></div>
  </div>`;
}

async function loadParams(slot) {
  const preset = document.getElementById(`preset-${slot}`).value;
  const info = await api(`/api/params?preset=${encodeURIComponent(preset)}`);
  const runParams = document.getElementById(`run-params-${slot}`);
  if (!runParams.innerHTML) {  // keep the population and seed across preset changes
    runParams.innerHTML = row(info.population, `population-${slot}`, info.population.value) +
      row({path: "seed", unit: "integer", min: 0, max: null,
           description: "Root seed of the run's random streams", provenance: "runtime"},
          `seed-${slot}`, 1);
  }
  const table = document.getElementById(`params-${slot}`);
  table.innerHTML = info.params.map(p => row(p, null, p.value)).join("");
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

function form(slot) {
  return {
    preset: document.getElementById(`preset-${slot}`).value,
    population: document.getElementById(`population-${slot}`).value,
    seed: document.getElementById(`seed-${slot}`).value,
    params: changedParams(slot),
  };
}

async function check(slot, input) {
  // Refuse a bad value as soon as it is entered, with the CLI's message.
  const response = await fetch("/api/check", {method: "POST", body: JSON.stringify(form(slot)),
                                              headers: {"Content-Type": "application/json"}});
  const data = await response.json();
  const error = document.getElementById(`error-${slot}`);
  document.querySelectorAll(`#panel-${slot} input.invalid`).forEach(
    i => i.classList.remove("invalid"));
  if (response.ok) {
    if (state[slot].checkError && error.textContent === state[slot].checkError) {
      error.textContent = "";
    }
    state[slot].checkError = "";
    return;
  }
  state[slot].checkError = data.error;
  error.textContent = data.error;
  input.classList.add("invalid");
}

function setGroups(slot, snap) {
  const select = document.getElementById(`group-${slot}`);
  if (!snap.groups || select.options.length === snap.groups.length) { return; }
  const chosen = select.value;
  select.innerHTML = snap.groups.map(g => `<option>${esc(g)}</option>`).join("");
  select.value = snap.groups.includes(chosen) ? chosen : "all";
}

function draw(slot, snap) {
  const traces = SHOWN.filter(m => snap.series[m]).map(m => ({
    x: snap.dates, y: snap.series[m], name: m, mode: "lines"}));
  Plotly.react(`plot-${slot}`, traces, {margin: {t: 30, l: 40, r: 10, b: 40},
    title: {text: `Setting ${slot}: group ${snap.group || "all"}`, font: {size: 13}},
    legend: {font: {size: 10}}});
  state[slot].last = snap;
  const both = ["A", "B"].filter(s => state[s] && state[s].last);
  const ctraces = [];
  both.forEach(s => ["display_public", "loyalty_private"].forEach(m => ctraces.push({
    x: state[s].last.dates, y: state[s].last.series[m],
    name: `${m} (${s}, ${state[s].last.group})`, mode: "lines",
    line: {dash: s === "B" ? "dash" : "solid"}})));
  Plotly.react("compare", ctraces, {margin: {t: 20, l: 40, r: 10, b: 40}});
}

async function poll(slot) {
  const s = state[slot];
  const group = document.getElementById(`group-${slot}`).value;
  const snap = await api(`/api/job/${s.job}?group=${encodeURIComponent(group)}`);
  setGroups(slot, snap);
  const bar = document.getElementById(`progress-${slot}`);
  bar.max = snap.total || 1; bar.value = snap.done;
  document.getElementById(`status-${slot}`).textContent =
    `${snap.status}: week ${snap.done} of ${snap.total}`;
  if (snap.done > 0) { draw(slot, snap); }
  if (snap.status === "failed") {
    document.getElementById(`error-${slot}`).textContent = snap.error;
  }
  if (["done", "cancelled", "failed"].includes(snap.status)) {
    s.running = false;
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
  try {
    const job = await api("/api/run", {method: "POST", body: JSON.stringify(form(slot)),
                                       headers: {"Content-Type": "application/json"}});
    state[slot].job = job.id;
    state[slot].running = true;
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
      `<option value="${esc(p.name)}" title="${esc(p.description)}">${esc(p.name)}</option>`
    ).join("");
    select.value = slot === "A" ? "default" : "no-campaign";
    select.addEventListener("change", () => loadParams(slot));
    document.getElementById(`run-${slot}`).addEventListener("click", () => run(slot));
    document.getElementById(`cancel-${slot}`).addEventListener("click",
      () => api(`/api/job/${state[slot].job}/cancel`, {method: "POST"}));
    document.getElementById(`panel-${slot}`).addEventListener("change", event => {
      if (event.target.tagName === "INPUT") { check(slot, event.target); }
    });
    document.getElementById(`group-${slot}`).addEventListener("change", () => {
      if (state[slot].job && !state[slot].running) { poll(slot); }
    });
    await loadParams(slot);
  }
  // A closed tab stops its runs rather than leaving them to use the machine.
  window.addEventListener("pagehide", () => ["A", "B"].forEach(slot => {
    if (state[slot].running) { navigator.sendBeacon(`/api/job/${state[slot].job}/cancel`); }
  }));
  document.body.dataset.ready = "yes";
}
setup();
</script>
</body></html>
"""
