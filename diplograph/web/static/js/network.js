// Network: actors as nodes, edges weighted by events and coloured by net cooperation; a year range refetches.
import { $, api, cooperationColour, el, libraryMissing, query, requests, showError } from "./common.js";

let network = null;
let timer = null;
let graph = { nodes: [], edges: [] };
const ticket = requests();

function years() {
  let from = Number($("#year-from").value), to = Number($("#year-to").value);
  if (from > to) [from, to] = [to, from];
  $("#year-from-out").textContent = from;
  $("#year-to-out").textContent = to;
  return { from, to };
}

function draw() {
  if (typeof vis === "undefined") { libraryMissing("vis-network"); return; }
  const names = Object.fromEntries(graph.nodes.map((n) => [n.id, n.name || n.id]));
  const nodes = graph.nodes.map((n) => ({ id: n.id, label: n.name || n.id, value: n.events, group: n.type || "actor",
                                          title: `${n.name || n.id} (${n.id}) · ${n.type || "actor"} · ${n.events} events` }));
  const edges = graph.edges.map((e, i) => ({
    id: i, from: e.source, to: e.target, value: e.weight, arrows: "to",
    color: { color: cooperationColour(e.net_cooperation), highlight: "#333" },
    title: `${names[e.source]} → ${names[e.target]}: ${e.weight} events, ${e.cooperation} cooperative, ` +
           `${e.conflict} conflictual (net ${e.net_cooperation})`,
  }));
  const data = { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
  if (network) { network.setData(data); return; }
  network = new vis.Network($("#network"), data, {
    nodes: { shape: "dot", scaling: { min: 6, max: 40 }, font: { size: 13 } },
    edges: { scaling: { min: 1, max: 12 }, smooth: false },
    physics: { solver: "forceAtlas2Based", stabilization: { iterations: 150 } },
    interaction: { hover: true, tooltipDelay: 120 },
  });
  network.on("selectEdge", (params) => {
    if (params.nodes.length) return;
    const edge = graph.edges[params.edges[0]];
    if (!edge) return;
    const { from, to } = years();
    $("#edge-info").hidden = false;
    $("#edge-title").textContent = `${edge.source} → ${edge.target}`;
    $("#edge-detail").replaceChildren(
      `${edge.weight} events: ${edge.cooperation} cooperative, ${edge.conflict} conflictual, net cooperation ${edge.net_cooperation}. `,
      el("a", { href: `/timeline${query({ dyad: `${edge.source}-${edge.target}`, from, to })}` }, "Their timeline"));
  });
}

async function load() {
  const { from, to } = years();
  const limit = $("#edge-limit").value;
  $("#summary").textContent = "loading…";
  showError("");
  const current = ticket();
  try {
    const data = await api(`/api/network${query({ from, to, limit })}`);
    if (!current()) return;
    graph = data;
    $("#summary").textContent = `${graph.nodes.length} actors, ${graph.edges.length} of ${graph.total_edges} edges, ${from}–${to}`;
    $("#network").dataset.years = `${from}-${to}`;
    draw();
  } catch (err) {
    if (!current()) return;
    $("#summary").textContent = "";
    showError(err.message);
  }
}

function later() {
  years();
  clearTimeout(timer);
  timer = setTimeout(load, 250);
}

for (const id of ["#year-from", "#year-to"]) {
  $(id).addEventListener("input", years);
  $(id).addEventListener("change", later);
}
$("#edge-limit").addEventListener("change", later);
$("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });

(async () => {
  try {
    const info = await api("/api/info");
    const [first, last] = info.years || [2000, new Date().getFullYear()];
    for (const id of ["#year-from", "#year-to"]) { $(id).min = first; $(id).max = last; }
    const params = new URLSearchParams(location.search);
    $("#year-from").value = params.get("from") || first;
    $("#year-to").value = params.get("to") || last;
    await load();
  } catch (err) {
    showError(err.message);
  }
})();
