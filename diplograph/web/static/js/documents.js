// Documents: the list, and uploads (file or pasted text) ingested in the background with a progress bar.
import { $, api, el, showError, token } from "./common.js";

const PAGE = 100;
let offset = 0;

async function loadDocuments(append = false) {
  const data = await api(`/api/documents?limit=${PAGE}&offset=${offset}`);
  const rows = data.documents.map((d) => el("tr", {},
    el("td", {}, el("a", { href: `/documents/${encodeURIComponent(d.name)}` }, d.name)),
    el("td", {}, d.title || ""), el("td", {}, d.date || ""), el("td", { className: "num" }, d.words ?? ""),
    el("td", { className: "num" }, d.actors), el("td", { className: "num" }, d.events),
    el("td", { className: "num" }, d.quantities), el("td", { className: "num" }, d.statements)));
  const body = $("#documents tbody");
  if (append) body.append(...rows); else body.replaceChildren(...rows);
  $("#doc-count").textContent = `(${data.total})`;
  $("#more-docs").hidden = data.offset + data.documents.length >= data.total;
}

function showJob(job) {
  $("#job").hidden = false;
  $("#job-progress").value = job.progress;
  const what = job.status === "failed" ? `${job.label}: not ingested: ${job.error}`
    : job.status === "done" ? `${job.label}: ${job.result} as ${job.document}`
    : `${job.label}: ${job.stage}…`;
  $("#job-stage").textContent = what;
  $("#job").dataset.status = job.status;
}

async function follow(job) {
  showJob(job);
  while (job.status === "queued" || job.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, 400));
    job = await api(`/api/jobs/${job.id}`);
    showJob(job);
  }
  if (job.status === "done") {
    window.location.assign(`/documents/${encodeURIComponent(job.document)}`);
  } else {
    showError(`${job.label}: ${job.error}`);
    offset = 0;
    await loadDocuments();
  }
}

function busy(form, on) {
  for (const button of form.querySelectorAll("button")) button.disabled = on;
}

async function submit(form, send) {
  showError("");
  busy(form, true);
  try {
    await follow(await send());
  } catch (err) {
    showError(err.message);
  } finally {
    busy(form, false);
  }
}

$("#upload-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const file = $("#upload-file").files[0];
  if (!file) { showError("Choose a file first."); return; }
  const data = new FormData();
  data.append("file", file, file.name);
  if ($("#upload-date").value.trim()) data.append("date", $("#upload-date").value.trim());
  showJob({ progress: 0, status: "queued", stage: "uploading", label: file.name });
  submit(form, () => api("/api/documents", { method: "POST", form: data }));
});

$("#paste-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const json = { text: $("#paste-text").value };
  if ($("#paste-name").value.trim()) json.name = $("#paste-name").value.trim();
  if ($("#paste-date").value.trim()) json.date = $("#paste-date").value.trim();
  showJob({ progress: 0, status: "queued", stage: "sending", label: json.name || "pasted text" });
  submit(form, () => api("/api/documents/text", { method: "POST", json }));
});

$("#more-docs-button").addEventListener("click", () => { offset += PAGE; loadDocuments(true).catch((e) => showError(e.message)); });

$("#token").addEventListener("change", (event) => token.set(event.target.value.trim()));

(async () => {
  try {
    const info = await api("/api/info");
    if (info.write_requires_token) { $("#token-box").hidden = false; $("#token").value = token.get(); }
    await loadDocuments();
  } catch (err) {
    showError(err.message);
  }
})();
