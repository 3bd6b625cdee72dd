// Dyad trends: events between two actors per year or decade, by quad class, with net cooperation.
import { $, api, el, fillActors, formValues, libraryMissing, query, requests, showError } from "./common.js";

const QUADS = [
  ["verbal_cooperation", "verbal cooperation", "#8fd18f"], ["material_cooperation", "material cooperation", "#2ca02c"],
  ["verbal_conflict", "verbal conflict", "#f4a582"], ["material_conflict", "material conflict", "#d62728"],
];
let chart = null;
const ticket = requests();

function draw(periods) {
  $("#periods tbody").replaceChildren(...periods.map((p) => el("tr", {}, el("td", {}, p.period),
    ...QUADS.map(([key]) => el("td", { className: "num" }, p[key])), el("td", { className: "num" }, p.events),
    el("td", { className: "num" }, p.mean_score), el("td", { className: "num" }, p.net_cooperation))));
  if (typeof Chart === "undefined") { libraryMissing("Chart.js"); return; }
  const data = {
    labels: periods.map((p) => p.period),
    datasets: [
      ...QUADS.map(([key, label, colour]) => ({ type: "bar", label, data: periods.map((p) => p[key]),
                                                 backgroundColor: colour, stack: "events", yAxisID: "y" })),
      { type: "line", label: "net cooperation", data: periods.map((p) => p.net_cooperation), borderColor: "#1f3b73",
        backgroundColor: "#1f3b73", yAxisID: "net", tension: 0 },
    ],
  };
  const options = {
    responsive: true, maintainAspectRatio: false, animation: false,
    scales: { y: { stacked: true, title: { display: true, text: "events" } }, x: { stacked: true },
              net: { position: "right", min: -1, max: 1, grid: { drawOnChartArea: false },
                     title: { display: true, text: "net cooperation" } } },
  };
  if (chart) chart.destroy();
  chart = new Chart($("#dyad-chart"), { data, options });
}

async function load(values) {
  showError("");
  $("#summary").textContent = "loading…";
  const current = ticket();
  try {
    const data = await api(`/api/dyad${query(values)}`);
    if (!current()) return;
    const total = data.periods.reduce((n, p) => n + p.events, 0);
    $("#summary").textContent = `${data.a} – ${data.b}: ${total} events in ${data.periods.length} ${data.by === "decade" ? "decades" : "years"}`;
    draw(data.periods);
  } catch (err) {
    if (!current()) return;
    $("#summary").textContent = "";
    showError(err.message);
  }
}

$("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(formValues(event.currentTarget)); });

fillActors($("#actor-list"));
const params = new URLSearchParams(location.search);
for (const [name, value] of params) if ($("#filters").elements[name]) $("#filters").elements[name].value = value;
load(formValues($("#filters")));
