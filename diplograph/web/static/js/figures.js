// Figures: one chart per series (measure, subject, unit); contradicted values in red; sources on hover.
import { $, api, documentLink, el, fillActors, formValues, formatValue, libraryMissing, query, requests, showError } from "./common.js";

const MAX_SERIES = 12;
let charts = [];
const ticket = requests();

function yearOf(point) {
  const day = point.date_from || point.date_to;
  if (!day) return null;
  const [y, m, d] = day.split("-").map(Number);
  return y + ((m || 1) - 1) / 12 + ((d || 1) - 1) / 365;
}

function seriesOf(points) {
  const series = new Map();
  for (const point of points) {
    if (yearOf(point) === null) continue;
    const key = `${point.measure || "figure"} | ${point.subject.join(",") || "—"} | ${point.unit || ""}`;
    if (!series.has(key)) series.set(key, []);
    series.get(key).push(point);
  }
  return [...series.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, MAX_SERIES);
}

function sourceLines(point) {
  return point.sources.slice(0, 4).map((s) => `${s.document}: ${(s.text || "").slice(0, 110)}`);
}

function chartFor(canvas, points) {
  const data = points.map((p) => ({ x: yearOf(p), y: p.value, point: p }));
  const xs = data.map((d) => d.x);
  const low = Math.min(...xs), high = Math.max(...xs);
  const pad = Math.max(1, (high - low) * 0.05);  // one value alone still gets a readable axis
  return new Chart(canvas, {
    type: "scatter",
    data: { datasets: [{
      label: "value", data, showLine: true, borderColor: "#999",
      pointBackgroundColor: data.map((d) => d.point.contradiction ? "#d62728" : "#1f77b4"),
      pointStyle: data.map((d) => d.point.contradiction ? "triangle" : "circle"),
      pointRadius: data.map((d) => d.point.contradiction ? 7 : 4),
    }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false },
        tooltip: { callbacks: {
          title: (items) => { const p = items[0].raw.point; return `${p.date || ""}: ${p.bound && p.bound !== "eq" ? p.bound + " " : ""}${formatValue(p.value)} ${p.unit || ""}${p.contradiction ? " (sources disagree)" : ""}`; },
          label: (item) => sourceLines(item.raw.point),
        } } },
      scales: { x: { type: "linear", min: Math.floor(low - pad), max: Math.ceil(high + pad), ticks: { callback: (v) => String(Math.round(v)) }, title: { display: true, text: "year" } },
                y: { ticks: { callback: (v) => formatValue(v) } } },
    },
  });
}

function draw(points) {
  for (const chart of charts) chart.destroy();
  charts = [];
  const series = seriesOf(points);
  $("#series").replaceChildren(...series.map(([key, pts]) => {
    const canvas = el("canvas");
    const box = el("figure", { className: "series-box" }, el("figcaption", {}, `${key} (${pts.length})`),
                   el("div", { className: "chart-box small" }, canvas));
    box.canvas = canvas;
    box.points = pts;
    return box;
  }));
  if (typeof Chart === "undefined") { libraryMissing("Chart.js"); return; }
  for (const box of $("#series").children) charts.push(chartFor(box.canvas, box.points));
  return series.length;
}

async function loadContradictions() {
  try {
    const data = await api("/api/contradictions?limit=50");
    $("#contradiction-count").textContent = `(${data.total})`;
    $("#contradictions").replaceChildren(...data.claims.map((claim) => el("li", {},
      el("b", {}, `${claim.measure || "figure"} ${(claim.subject || []).join(",")} ${claim.date || ""}`),
      el("ul", {}, ...(claim.sources || []).map((s) => el("li", {},
        `${formatValue(s.value)} ${s.unit || claim.unit || ""} — `, documentLink(s.document, null), ": ", s.text || ""))))));
  } catch (err) { showError(err.message); }
}

async function load(values) {
  showError("");
  $("#summary").textContent = "loading…";
  const current = ticket();
  try {
    const data = await api(`/api/figures${query({ ...values, limit: 5000 })}`);
    if (!current()) return;
    const drawn = draw(data.points);
    $("#summary").textContent = `${data.points.length} values${data.next_offset !== null ? " (first page)" : ""}, ${drawn ?? 0} series shown`;
  } catch (err) {
    if (!current()) return;
    $("#summary").textContent = "";
    showError(err.message);
  }
}

$("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(formValues(event.currentTarget)); });

(async () => {
  fillActors($("#actor-list"));
  try {
    const measures = await api("/api/figures/measures?limit=100");
    $("#measure-list").replaceChildren(...measures.map((m) => el("option", { value: m.measure }, `${m.figures} figures`)));
    const params = new URLSearchParams(location.search);
    for (const [name, value] of params) if ($("#filters").elements[name]) $("#filters").elements[name].value = value;
    if (!params.get("measure") && measures.length) $("#filters").elements.measure.value = measures[0].measure;
  } catch (err) { showError(err.message); }
  load(formValues($("#filters")));
  loadContradictions();
})();
