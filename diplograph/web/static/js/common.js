// Helpers every page shares. Document text only ever reaches the page through textContent
// (el() makes text nodes), never innerHTML: a text holding <script> stays text.

export const $ = (selector, root = document) => root.querySelector(selector);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const TOKEN_KEY = "diplograph-token";
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set: (value) => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

// fetch a JSON endpoint; a failure throws an Error carrying the API's one-line message.
export async function api(path, { method = "GET", json, form } = {}) {
  const headers = { Accept: "application/json" };
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (form !== undefined) body = form;
  if (method !== "GET" && token.get()) headers.Authorization = `Bearer ${token.get()}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch (err) {
    throw new Error(`the server cannot be reached (${err.message})`);
  }
  let payload = null;
  try { payload = await response.json(); } catch (err) { payload = null; }
  if (!response.ok) {
    const message = payload && payload.error ? payload.error : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return payload;
}

export function showError(message) {
  const box = $("#error");
  if (!box) return;
  box.textContent = message || "";
  box.hidden = !message;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && String(value).trim() !== "") search.set(name, String(value).trim());
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function formValues(form) {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]));
}

export async function fillActors(datalist, limit = 400) {
  if (!datalist) return;
  try {
    const data = await api(`/api/actors?limit=${limit}`);
    datalist.replaceChildren(...data.actors.map((a) => el("option", { value: a.id }, a.name || a.id)));
  } catch (err) { /* suggestions are a help, not a need */ }
}

export function documentLink(name, start) {
  const href = `/documents/${encodeURIComponent(name)}` + (start !== null && start !== undefined ? `#sent-${start}` : "");
  return el("a", { href }, name);
}

// net cooperation (-1 .. +1) -> colour: red (conflict), grey, green (cooperation)
export function cooperationColour(value) {
  const v = Math.max(-1, Math.min(1, Number(value) || 0));
  const grey = [150, 150, 150], red = [214, 39, 40], green = [44, 160, 44];
  const to = v < 0 ? red : green, t = Math.abs(v);
  const mix = grey.map((g, i) => Math.round(g + (to[i] - g) * t));
  return `rgb(${mix.join(",")})`;
}

export function libraryMissing(name) {
  showError(`${name} is not loaded: the app's JavaScript libraries are missing (run make install).`);
}

export function formatValue(value) {
  if (typeof value !== "number") return String(value ?? "");
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toLocaleString(undefined, { maximumSignificantDigits: 3 })} billion`;
  if (abs >= 1e6) return `${(value / 1e6).toLocaleString(undefined, { maximumSignificantDigits: 3 })} million`;
  return value.toLocaleString(undefined, { maximumSignificantDigits: 6 });
}

// A page that refetches as filters change must draw only the answer to the latest request:
// const ticket = requests(); ... const current = ticket(); await api(...); if (!current()) return;
export function requests() {
  let latest = 0;
  return () => { const mine = ++latest; return () => mine === latest; };
}
