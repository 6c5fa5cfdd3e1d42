// The campaign orders editor: one fieldset per order (name, start date, target provinces,
// age groups and organisations, regime); fields that differ from the preset are highlighted.
// Fields the page does not edit (intensity, end, ...) are carried over from the preset.
"use strict";

const ORDER_LISTS = ["provinces", "age_groups", "organisations"];
const EVERYONE = {provinces: "all provinces", age_groups: "all ages",
                  organisations: "all organisations"};

function orderValue(fieldset, key) {
  const element = fieldset.querySelector(`[data-key="${key}"]`);
  if (ORDER_LISTS.includes(key)) {
    const chosen = [...element.selectedOptions].map(o => o.value);
    return chosen.includes("*") ? ["*"] : chosen;
  }
  return element.value.trim();
}

function sameValue(a, b) {
  // Lists of names compare as sets: the order of targets does not matter.
  const norm = v => (Array.isArray(v) ? [...v].sort() : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

function sameOrder(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(key => sameValue(a[key] ?? null, b[key] ?? null));
}

function orderControl(field, key, value, choices) {
  // One labelled control; its title gives the dotted path, description and source.
  if (ORDER_LISTS.includes(key) || key === "regime") {
    const multiple = key !== "regime";
    const options = choices[key].map(c => {
      const text = c === "*" ? EVERYONE[key] : c;
      const on = multiple ? value.includes(c) : value === c;
      return `<option value="${esc(c)}"${on ? " selected" : ""}>${esc(text)}</option>`;
    }).join("");
    const size = multiple ? ` multiple size="${Math.min(5, choices[key].length)}"` : "";
    return `<select data-key="${key}"${size}>${options}</select>`;
  }
  const kind = key === "start" ? "date" : "text";
  return `<input type="${kind}" data-key="${key}" value="${esc(value)}">`;
}

function orderFieldset(slot, row, k) {
  const {fields, choices} = state[slot];
  const controls = fields.map(f => {
    const path = `enforcement.orders.${k}.${f.key}`;
    const tip = `${path}: ${f.description} (source: ${f.provenance})`;
    return `<label title="${esc(tip)}" data-field="${f.key}">${esc(f.label)}<br>` +
      `${orderControl(f, f.key, row.order[f.key], choices)}</label>`;
  }).join("");
  return `<fieldset class="order" data-index="${k}">
    <legend>Order ${k + 1}${row.origin === null ? " (added)" : ""}
      <button type="button" class="remove-order" data-index="${k}">Remove</button></legend>
    ${controls}</fieldset>`;
}

function renderOrders(slot) {
  const box = document.getElementById(`orders-${slot}`);
  box.innerHTML = state[slot].orderRows.map((row, k) => orderFieldset(slot, row, k)).join("");
  markOrders(slot);
}

function readOrders(slot) {
  // The orders as edited: every field of the preset's order, the edited ones replaced.
  const sets = document.querySelectorAll(`#orders-${slot} fieldset.order`);
  return [...sets].map((fieldset, k) => {
    const order = Object.assign({}, state[slot].orderRows[k].order);
    state[slot].fields.forEach(f => { order[f.key] = orderValue(fieldset, f.key); });
    return order;
  });
}

function markOrders(slot) {
  // Highlight each field that differs from the preset's order it came from.
  const rows = state[slot].orderRows;
  document.querySelectorAll(`#orders-${slot} fieldset.order`).forEach((fieldset, k) => {
    const origin = rows[k].origin === null ? null : state[slot].presetOrders[rows[k].origin];
    state[slot].fields.forEach(f => {
      const changed = origin === null || !sameValue(orderValue(fieldset, f.key), origin[f.key]);
      fieldset.querySelector(`label[data-field="${f.key}"]`).classList.toggle("changed", changed);
    });
  });
}

function ordersChanged(slot) {
  const rows = state[slot].orderRows;
  const preset = state[slot].presetOrders;
  if (rows.length !== preset.length || rows.some((r, k) => r.origin !== k)) { return true; }
  return readOrders(slot).some((order, k) => !sameOrder(order, preset[k]));
}

function setOrders(slot, orders) {
  state[slot].presetOrders = orders;
  state[slot].orderRows = orders.map((order, k) => ({origin: k, order}));
  renderOrders(slot);
}

function keepEdits(slot) {
  // Store what the fieldsets show before re-rendering (adding or removing an order).
  const edited = readOrders(slot);
  state[slot].orderRows.forEach((row, k) => { row.order = edited[k]; });
}

function addOrder(slot) {
  keepEdits(slot);
  state[slot].orderRows.push({origin: null, order: Object.assign({}, state[slot].newOrder)});
  renderOrders(slot);
}

function removeOrder(slot, k) {
  keepEdits(slot);
  state[slot].orderRows.splice(k, 1);
  renderOrders(slot);
}
