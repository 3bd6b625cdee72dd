// Ask: the answer, its value, and the cited sentences with the answer span highlighted (textContent only).
import { $, api, documentLink, el, showError } from "./common.js";

function sentence(citation) {
  const { sentence: text, start, answer_start: a, answer_end: b } = citation;
  if (a === null || a === undefined || b === null || b === undefined || a < start || b > start + text.length || a >= b) {
    return el("span", {}, text);
  }
  return el("span", {}, text.slice(0, a - start), el("mark", { className: "answer-span" }, text.slice(a - start, b - start)),
            text.slice(b - start));
}

function citationItem(citation) {
  return el("li", {}, el("blockquote", {}, sentence(citation)), el("cite", {}, documentLink(citation.document, citation.start)));
}

async function ask(question) {
  showError("");
  $("#asking").textContent = "thinking…";
  try {
    const answer = await api(`/api/ask?q=${encodeURIComponent(question)}`);
    $("#answer-box").hidden = false;
    $("#answer").textContent = answer.answer;
    $("#answer").classList.toggle("not-found", !answer.found);
    $("#answer-meta").textContent = answer.found
      ? `value: ${answer.value ?? "—"} · found by ${answer.method}`
      : (answer.passages.length ? "The closest passages:" : "Nothing stored comes close.");
    const shown = answer.found ? answer.citations : answer.passages;
    $("#cited-title").textContent = answer.found ? "Cited sentences" : "Closest passages";
    $("#cited-title").hidden = !shown.length;
    $("#citations").replaceChildren(...shown.map(citationItem));
  } catch (err) {
    showError(err.message);
  } finally {
    $("#asking").textContent = "";
  }
}

$("#ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const question = $("#question").value.trim();
  if (!question) return;
  history.replaceState(null, "", `/ask?q=${encodeURIComponent(question)}`);
  ask(question);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) { $("#question").value = initial; ask(initial); }
