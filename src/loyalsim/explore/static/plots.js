// Figures of the explorer: labelled axes, metric labels and units from the catalogue, and the
// scenario's dated events (orders, anniversaries, congresses, other events, amnesties) as in
// the HTML report. A province map view will join these (the `map-${slot}` element).
"use strict";

// Okabe-Ito colours (colour-blind safe) and a line style each, so kinds differ without colour.
const EVENT_STYLE = {
  order: {color: "#D55E00", dash: "solid", name: "Campaign order"},
  anniversary: {color: "#555555", dash: "dot", name: "Anniversary"},
  congress: {color: "#CC79A7", dash: "dash", name: "Party congress"},
  amnesty: {color: "#009E73", dash: "dashdot", name: "Amnesty"},
  event: {color: "#000000", dash: "longdash", name: "Dated event"},
};
const LABEL_GAP_DAYS = 40;  // numbered tags of events closer than this go on separate rows
const TRACK_ROW = 0.07;     // height of one row of tags, as a fraction of the plot

function eventRows(events) {
  // Row of each event's tag: the lowest row not taken by a tag less than 40 days away.
  const placed = [];
  return events.map(e => {
    const day = Date.parse(e.date) / 86400000;
    const taken = new Set(placed.filter(p => Math.abs(p.day - day) < LABEL_GAP_DAYS)
      .map(p => p.row));
    let row = 0;
    while (taken.has(row)) { row += 1; }
    placed.push({day, row});
    return row;
  });
}

function eventMarks(events, first = 1) {
  // Vertical lines, numbered tags in a track above the plot, and one legend entry per kind.
  const rows = eventRows(events);
  const shapes = events.map(e => ({
    type: "line", xref: "x", yref: "paper", x0: e.date, x1: e.date, y0: 0, y1: 1,
    line: {color: EVENT_STYLE[e.kind].color, dash: EVENT_STYLE[e.kind].dash, width: 1.5},
    opacity: 0.8,
  }));
  const annotations = events.map((e, k) => ({
    x: e.date, xref: "x", y: 1.02 + TRACK_ROW * rows[k], yref: "paper", yanchor: "bottom",
    text: String(first + k), showarrow: false, font: {size: 10, color: "#fff"},
    bgcolor: EVENT_STYLE[e.kind].color, borderpad: 2,
    hovertext: `${e.name}, ${e.date} (${EVENT_STYLE[e.kind].name.toLowerCase()})` +
      (e.detail ? `: ${e.detail}` : ""),
  }));
  const kinds = Object.keys(EVENT_STYLE).filter(kind => events.some(e => e.kind === kind));
  const legend = kinds.map(kind => ({
    x: [null], y: [null], mode: "lines", name: EVENT_STYLE[kind].name, hoverinfo: "skip",
    legendgroup: "events", line: {color: EVENT_STYLE[kind].color, dash: EVENT_STYLE[kind].dash},
  }));
  const height = rows.length ? Math.max(...rows) + 1 : 0;
  return {shapes, annotations, legend, trackRows: height};
}

function inRange(events, start, end) {
  return events.filter(e => e.date >= start && e.date <= end);
}

function unitTitle(infos) {
  // The y-axis title: the units of the metrics drawn (one unit when they share it).
  const units = [...new Set(infos.map(i => i.unit || "value"))];
  return units.join(" · ");
}

function layoutFor(title, yTitle, marks, range) {
  return {
    title: {text: title, font: {size: 13}, y: 0.98},
    margin: {t: 46 + 26 * marks.trackRows, l: 60, r: 10, b: 50},
    xaxis: {title: {text: "Date (one step per week)"}, range, type: "date"},
    yaxis: {title: {text: yTitle}},
    // Below the x-axis title, clear of it: plotly grows the bottom margin to fit.
    legend: {font: {size: 10}, orientation: "h", y: -0.28, yanchor: "top"},
    shapes: marks.shapes, annotations: marks.annotations, hovermode: "x unified",
  };
}

function drawRun(div, snap, infos, title) {
  const byName = Object.fromEntries(infos.map(i => [i.name, i]));
  const shown = Object.keys(snap.series).filter(m => byName[m]);
  const traces = shown.map(m => ({
    x: snap.dates, y: snap.series[m], name: byName[m].label, mode: "lines", meta: m,
    hovertemplate: `%{y:.4g} ${byName[m].unit}<extra>${byName[m].label}</extra>`,
  }));
  const events = inRange(snap.events, snap.start, snap.end);
  const marks = eventMarks(events);
  const layout = layoutFor(title, unitTitle(shown.map(m => byName[m])), marks,
                           [snap.start, snap.end]);
  Plotly.react(div, traces.concat(marks.legend), layout, {displaylogo: false});
  return events;
}

function drawCompare(div, last) {
  // Public display and private loyalty of both settings: solid A, dashed B.
  const slots = Object.keys(last).filter(s => last[s]);
  if (!slots.length) { return []; }
  const traces = [];
  let infos = [];
  slots.forEach(s => {
    const {snap, infos: slotInfos} = last[s];
    const byName = Object.fromEntries(slotInfos.map(i => [i.name, i]));
    ["display_public", "loyalty_private"].filter(m => snap.series[m] && byName[m]).forEach(m => {
      infos.push(byName[m]);
      traces.push({x: snap.dates, y: snap.series[m], mode: "lines", meta: `${s}:${m}`,
                   name: `${byName[m].label} (${s}, ${snap.group})`,
                   line: {dash: s === "B" ? "dash" : "solid"}});
    });
  });
  const seen = new Set();
  const events = slots.flatMap(s => inRange(last[s].snap.events, last[s].snap.start,
                                            last[s].snap.end))
    .filter(e => { const key = `${e.kind}|${e.name}|${e.date}`;
                   if (seen.has(key)) { return false; } seen.add(key); return true; })
    .sort((a, b) => a.date.localeCompare(b.date));
  const start = slots.map(s => last[s].snap.start).sort()[0];
  const end = slots.map(s => last[s].snap.end).sort().slice(-1)[0];
  const marks = eventMarks(events);
  Plotly.react(div, traces.concat(marks.legend),
    layoutFor("Settings A and B", unitTitle(infos), marks, [start, end]), {displaylogo: false});
  return events;
}

function listEvents(ol, events) {
  // The numbered tags spelled out, so every event is named without hovering.
  ol.replaceChildren(...events.map(e => {
    const item = document.createElement("li");
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.style.color = EVENT_STYLE[e.kind].color;
    kind.textContent = EVENT_STYLE[e.kind].name;
    item.append(kind, ` ${e.date}: ${e.name}` + (e.detail ? ` (${e.detail})` : ""));
    item.dataset.kind = e.kind;
    return item;
  }));
}
