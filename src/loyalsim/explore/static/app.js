// The explorer page: two settings side by side, each a preset with changed parameters and
// campaign orders, run on the local server and drawn week by week as the run advances.
"use strict";

const TOKEN = document.querySelector('meta[name="loyalsim-token"]').content;
const SLOTS = ["A", "B"];
const POLL_MS = 400;
const state = {};
const lastDrawn = {};  // slot -> {snap, infos}: what the comparison figure draws

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;",
    ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
}

async function api(path, options = {}) {
  // Every API call carries the session token; a refusal throws with the server's message.
  const headers = Object.assign({"X-Loyalsim-Token": TOKEN}, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, {headers}));
  let data;
  try { data = await response.json(); } catch (e) { data = {error: response.statusText}; }
  if (!response.ok) { throw new Error(data.error || response.statusText); }
  return data;
}

function post(path, body) {
  return api(path, {method: "POST", body: JSON.stringify(body),
                    headers: {"Content-Type": "application/json"}});
}

function paramRow(p, attrs, value) {
  // One parameter: its label, an input, and its unit and bounds; the dotted path on hover.
  const bounds = `[${p.min ?? "-inf"}, ${p.max ?? "inf"}]`;
  return `<tr title="${esc(p.path)}: ${esc(p.description)} (source: ${esc(p.provenance)})">
      <td class="label">${esc(p.label)}</td>
      <td><input ${attrs} data-default="${esc(value)}" value="${esc(value)}"
        aria-label="${esc(p.label)} (${esc(p.path)})"></td>
      <td class="unit">${esc(p.unit)} ${bounds}</td></tr>`;
}

function markChanged(input) {
  const changed = input.value.trim() !== input.dataset.default;
  input.classList.toggle("changed", changed);
  input.closest("tr").classList.toggle("changed", changed);
}

function panelHtml(slot) {
  return `<div class="panel" id="panel-${slot}">
    <h2>Setting ${slot}</h2>
    <label>Preset <select id="preset-${slot}"></select></label>
    <div class="hint" id="preset-desc-${slot}"></div>
    <table id="run-params-${slot}"></table>
    <table id="params-${slot}"></table>
    <details id="orders-box-${slot}"><summary>Campaign orders</summary>
      <div id="orders-${slot}"></div>
      <button type="button" id="add-order-${slot}">Add an order</button>
    </details>
    <p><button id="run-${slot}">Run</button><button id="cancel-${slot}" disabled>Cancel</button>
       <a id="download-${slot}" style="display:none">Download run directory</a></p>
    <progress id="progress-${slot}" value="0" max="1"></progress>
    <div id="status-${slot}" class="hint">idle</div>
    <div id="error-${slot}" class="error"></div>
    <label class="hint">Group shown <select id="group-${slot}"><option>all</option></select>
    </label>
    <label class="hint">Metrics <select id="metrics-${slot}" multiple size="3"></select></label>
    <div id="plot-${slot}" class="plot"></div>
    <ol id="events-${slot}" class="events"></ol>
    <!-- The province map view (any metric by province) goes here. -->
    <div id="map-${slot}" class="plot" hidden></div>
  </div>`;
}

async function loadParams(slot) {
  const preset = document.getElementById(`preset-${slot}`).value;
  const info = await api(`/api/params?preset=${encodeURIComponent(preset)}`);
  const runParams = document.getElementById(`run-params-${slot}`);
  if (!runParams.innerHTML) {  // keep the population and seed across preset changes
    runParams.innerHTML = paramRow(info.population, `id="population-${slot}"`,
                                   info.population.value) +
      paramRow({path: "seed", label: "Seed", unit: "integer", min: 0, max: null,
                description: "Root seed of the run's random streams", provenance: "runtime"},
               `id="seed-${slot}"`, 1);
  }
  document.getElementById(`params-${slot}`).innerHTML = info.params.map(
    p => paramRow(p, `data-path="${esc(p.path)}"`, p.value)).join("");
  Object.assign(state[slot], {fields: info.order_fields, choices: info.choices,
                              newOrder: info.new_order});
  if (!state[slot].metrics) { state[slot].metrics = info.default_metrics; }
  setOrders(slot, info.orders);
  const option = document.querySelector(`#preset-${slot} option[value="${CSS.escape(preset)}"]`);
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
  const out = {
    preset: document.getElementById(`preset-${slot}`).value,
    population: document.getElementById(`population-${slot}`).value.trim(),
    seed: document.getElementById(`seed-${slot}`).value.trim(),
    params: changedParams(slot),
  };
  if (ordersChanged(slot)) { out.orders = readOrders(slot); }
  return out;
}

function showError(slot, message, element) {
  document.getElementById(`error-${slot}`).textContent = message;
  document.querySelectorAll(`#panel-${slot} .invalid`).forEach(
    i => i.classList.remove("invalid"));
  if (element) { element.classList.add("invalid"); }
}

async function check(slot, element) {
  // Refuse a bad value as soon as it is entered, with the CLI's message.
  try {
    await post("/api/check", form(slot));
    if (state[slot].checkError &&
        document.getElementById(`error-${slot}`).textContent === state[slot].checkError) {
      showError(slot, "", null);
    }
    state[slot].checkError = "";
  } catch (e) {
    state[slot].checkError = e.message;
    showError(slot, e.message, element);
  }
}

function setChoices(slot, snap) {
  const group = document.getElementById(`group-${slot}`);
  if (snap.groups && group.options.length !== snap.groups.length) {
    const chosen = group.value;
    group.innerHTML = snap.groups.map(g => `<option>${esc(g)}</option>`).join("");
    group.value = snap.groups.includes(chosen) ? chosen : "all";
  }
  const metrics = document.getElementById(`metrics-${slot}`);
  if (snap.metrics && metrics.options.length !== snap.metrics.length) {
    metrics.innerHTML = snap.metrics.map(m =>
      `<option value="${esc(m.name)}" title="${esc(m.description)}"` +
      `${state[slot].metrics.includes(m.name) ? " selected" : ""}>` +
      `${esc(m.label)}${m.unit ? ` (${esc(m.unit)})` : ""}</option>`).join("");
  }
}

function draw(slot, snap) {
  const infos = snap.metrics || (lastDrawn[slot] ? lastDrawn[slot].infos : []);
  const title = `Setting ${slot}: ${snap.group || "all"}`;
  const events = drawRun(`plot-${slot}`, snap, infos, title);
  listEvents(document.getElementById(`events-${slot}`), events);
  lastDrawn[slot] = {snap, infos};
  listEvents(document.getElementById("events-compare"),
             drawCompare("compare", lastDrawn));
}

async function poll(slot) {
  const s = state[slot];
  const group = document.getElementById(`group-${slot}`).value;
  const metrics = s.metrics.join(",");
  let snap;
  try {
    snap = await api(`/api/job/${s.job}?group=${encodeURIComponent(group)}` +
                     `&metrics=${encodeURIComponent(metrics)}`);
  } catch (e) {
    showError(slot, e.message, null);
    finish(slot, "failed");
    return;
  }
  setChoices(slot, snap);
  const bar = document.getElementById(`progress-${slot}`);
  bar.max = snap.total || 1; bar.value = snap.done;
  document.getElementById(`status-${slot}`).textContent =
    `${snap.status}: week ${snap.done} of ${snap.total}`;
  if (snap.done > 0 && snap.dates) { draw(slot, snap); }
  if (snap.status === "failed") { showError(slot, snap.error, null); }
  if (["done", "cancelled", "failed"].includes(snap.status)) {
    finish(slot, snap.status);
    return;
  }
  s.timer = setTimeout(() => poll(slot), POLL_MS);
}

function finish(slot, status) {
  state[slot].running = false;
  document.getElementById(`run-${slot}`).disabled = false;
  document.getElementById(`cancel-${slot}`).disabled = true;
  if (status === "done") {
    const link = document.getElementById(`download-${slot}`);
    link.href = `/api/job/${state[slot].job}/download?token=${encodeURIComponent(TOKEN)}`;
    link.style.display = "inline";
  }
  document.getElementById(`panel-${slot}`).dataset.status = status;
}

async function run(slot) {
  showError(slot, "", null);
  document.getElementById(`download-${slot}`).style.display = "none";
  document.getElementById(`panel-${slot}`).dataset.status = "starting";
  try {
    const job = await post("/api/run", form(slot));
    Object.assign(state[slot], {job: job.id, running: true});
    document.getElementById(`run-${slot}`).disabled = true;
    document.getElementById(`cancel-${slot}`).disabled = false;
    poll(slot);
  } catch (e) {
    showError(slot, e.message, null);
    document.getElementById(`panel-${slot}`).dataset.status = "refused";
  }
}

function cancel(slot, keepalive = false) {
  return fetch(`/api/job/${state[slot].job}/cancel`, {
    method: "POST", body: "{}", keepalive,
    headers: {"Content-Type": "application/json", "X-Loyalsim-Token": TOKEN}});
}

function wire(slot) {
  const panel = document.getElementById(`panel-${slot}`);
  document.getElementById(`preset-${slot}`).addEventListener("change", () => loadParams(slot));
  document.getElementById(`run-${slot}`).addEventListener("click", () => run(slot));
  document.getElementById(`cancel-${slot}`).addEventListener("click", () => cancel(slot));
  document.getElementById(`add-order-${slot}`).addEventListener("click", () => {
    addOrder(slot); check(slot, null);
  });
  panel.addEventListener("click", event => {
    if (event.target.classList.contains("remove-order")) {
      removeOrder(slot, Number(event.target.dataset.index)); check(slot, null);
    }
  });
  panel.addEventListener("input", event => {
    if (event.target.tagName === "INPUT" && event.target.dataset.default !== undefined) {
      markChanged(event.target);
    }
  });
  panel.addEventListener("change", event => {
    const target = event.target;
    if (target.closest(`#orders-${slot}`)) { markOrders(slot); check(slot, target); }
    else if (target.tagName === "INPUT") { check(slot, target); }
  });
  document.getElementById(`group-${slot}`).addEventListener("change", () => {
    if (state[slot].job && !state[slot].running) { poll(slot); }
  });
  document.getElementById(`metrics-${slot}`).addEventListener("change", event => {
    const chosen = [...event.target.selectedOptions].map(o => o.value);
    if (chosen.length) { state[slot].metrics = chosen; }
    if (state[slot].job && !state[slot].running) { poll(slot); }
  });
}

async function setup() {
  const presets = await api("/api/presets");
  const panels = document.getElementById("panels");
  for (const slot of SLOTS) {
    state[slot] = {};
    panels.insertAdjacentHTML("beforeend", panelHtml(slot));
    const select = document.getElementById(`preset-${slot}`);
    select.innerHTML = presets.map(p =>
      `<option value="${esc(p.name)}" title="${esc(p.description)}">${esc(p.name)}</option>`
    ).join("");
    select.value = slot === "A" ? "default" : "no-campaign";
    wire(slot);
    await loadParams(slot);
  }
  // A closed tab stops its runs rather than leaving them to use the machine.
  window.addEventListener("pagehide", () => SLOTS.forEach(slot => {
    if (state[slot].running) { cancel(slot, true); }
  }));
  document.body.dataset.ready = "yes";
}

document.addEventListener("DOMContentLoaded", () => {
  setup().catch(e => {
    document.getElementById("panels").textContent = `The explorer could not start: ${e.message}`;
  });
});
