// Document view: a click on a record scrolls to its sentence and flashes it; forget removes the document.
import { $, api, showError } from "./common.js";

function flash(target) {
  if (!target) return;
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.classList.remove("flash");
  void target.offsetWidth; // restart the animation
  target.classList.add("flash");
}

$("#records").addEventListener("click", (event) => {
  const link = event.target.closest("a.record");
  if (!link) return;
  event.preventDefault();
  for (const other of document.querySelectorAll("a.record.selected")) other.classList.remove("selected");
  link.classList.add("selected");
  const id = link.dataset.sentence;
  const target = id ? document.getElementById(id) : null;
  flash(target || $(`mark[data-ref="${CSS.escape(link.dataset.ref)}"]`));
  if (id) history.replaceState(null, "", `#${id}`);
});

$("#doc-text").addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-ref]");
  if (!mark) return;
  const link = $(`a.record[data-ref="${CSS.escape(mark.dataset.ref)}"]`);
  if (!link) return;
  link.closest("details").open = true;
  for (const other of document.querySelectorAll("a.record.selected")) other.classList.remove("selected");
  link.classList.add("selected");
  link.scrollIntoView({ block: "nearest" });
});

$("#forget").addEventListener("click", async (event) => {
  const name = event.currentTarget.dataset.name;
  if (!window.confirm(`Forget ${name} and everything only it said?`)) return;
  try {
    await api(`/api/documents/${encodeURIComponent(name)}`, { method: "DELETE" });
    window.location.assign("/documents");
  } catch (err) {
    showError(err.message);
  }
});

if (location.hash.startsWith("#sent-")) flash(document.getElementById(location.hash.slice(1)));
