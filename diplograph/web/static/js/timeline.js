// Timeline: events on a zoomable vis-timeline, filtered by actor, dyad, type and dates; a click opens the evidence.
import { $, api, documentLink, el, fillActors, formValues, libraryMissing, query, requests, showError } from "./common.js";

const PAGE = 200;
let timeline = null;
let items = null;
let events = [];
let nextOffset = null;
let lastFilters = {};
const ticket = requests();

function label(event) {
  const who = `${event.source_names.join(", ") || "?"} → ${event.target_names.join(", ") || "?"}`;
  return `${event.type} ${who}`;
}

function item(event, index) {
  const content = el("span", { className: `tl-item q-${(event.quad || "").replace(/ /g, "-")}` }, label(event));
  const start = event.date_from || event.date_to;
  const end = event.date_to || event.date_from;
  // a month, a year or a span is drawn as a range, so its precision shows; a day is a box
  const long = start && end && (Date.parse(end) - Date.parse(start)) > 27 * 86400e3;
  return { id: index, content, start, end: long ? end : undefined, type: long ? "range" : "box",
           className: `q-${(event.quad || "").replace(/ /g, "-")}` };
}

function showEvidence(index) {
  const event = events[index];
  if (!event) return;
  $("#evidence").hidden = false;
  $("#evidence-title").textContent = `${event.date || "undated"} · ${label(event)}` +
    (event.flags.length ? ` (${event.flags.join(", ")})` : "") + ` · ${event.n_sources} source${event.n_sources === 1 ? "" : "s"}`;
  $("#evidence-list").replaceChildren(...event.sources.map((s) =>
    el("li", {}, el("blockquote", {}, s.text || ""), el("cite", {}, documentLink(s.document, s.start)))));
  for (const row of document.querySelectorAll("#events tr.selected")) row.classList.remove("selected");
  const row = document.querySelector(`#events tr[data-index="${index}"]`);
  if (row) row.classList.add("selected");
  if (timeline) timeline.setSelection([index]);
}

function row(event, index) {
  const evidence = event.sources[0] ? event.sources[0].text : "";
  return el("tr", { dataset: { index }, onclick: () => { showEvidence(index); if (timeline) timeline.focus(index); } },
    el("td", {}, event.date || ""), el("td", {}, event.type), el("td", {}, event.source_names.join(", ")),
    el("td", {}, event.target_names.join(", ")), el("td", { className: "num" }, event.n_sources),
    el("td", { className: "evidence-cell" }, evidence));
}

function draw(first) {
  const body = $("#events tbody");
  if (first > 0) body.append(...events.slice(first).map((e, i) => row(e, first + i)));
  else body.replaceChildren(...events.map(row));
  if (typeof vis === "undefined") { libraryMissing("vis-timeline"); return; }
  const dated = events.map((e, i) => [e, i]).filter(([e]) => e.date_from || e.date_to);
  if (!timeline) {
    items = new vis.DataSet();
    timeline = new vis.Timeline($("#timeline"), items, {
      stack: true, zoomable: true, height: "420px", margin: { item: 4 }, showTooltips: false,
      zoomMin: 86400e3 * 7, orientation: { axis: "bottom" },
    });
    timeline.on("select", (props) => { if (props.items.length) showEvidence(props.items[0]); });
  }
  if (first === 0) items.clear();
  items.add(dated.filter(([, i]) => i >= first).map(([e, i]) => item(e, i)));
  if (dated.length) timeline.fit({ animation: false });
}

async function load(filters, append = false) {
  showError("");
  const offset = append ? nextOffset : 0;
  $("#summary").textContent = "loading…";
  const current = ticket();
  const search = query(filters);
  try {
    const data = await api(`/api/timeline${query({ ...filters, limit: PAGE, offset })}`);
    if (!current()) return;
    const first = append ? events.length : 0;
    events = append ? events.concat(data.events) : data.events;
    nextOffset = data.next_offset;
    lastFilters = filters;
    $("#summary").textContent = `${events.length} event${events.length === 1 ? "" : "s"}` + (nextOffset !== null ? " (more)" : "");
    $("#more").hidden = nextOffset === null;
    if (!append) $("#evidence").hidden = true;
    draw(first);
    $("#timeline").dataset.query = search;
  } catch (err) {
    if (!current()) return;
    $("#summary").textContent = "";
    showError(err.message);
  }
}

$("#filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const values = formValues(event.currentTarget);
  const search = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
  history.replaceState(null, "", `${location.pathname}${search.toString() ? "?" + search : ""}`);
  load(values);
});
$("#more-button").addEventListener("click", () => load(lastFilters, true));

(async () => {
  try {
    const info = await api("/api/info");
    const select = $("#type-select");
    select.append(...info.quad_classes.map((q) => el("option", { value: q }, q)),
                  ...info.event_types.map((t) => el("option", { value: t }, t)));
  } catch (err) { showError(err.message); }
  fillActors($("#actor-list"));
  const params = new URLSearchParams(location.search);
  const form = $("#filters");
  for (const [name, value] of params) if (form.elements[name]) form.elements[name].value = value;
  load(formValues(form));
})();
