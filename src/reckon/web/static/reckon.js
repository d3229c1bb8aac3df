/* Small helpers shared by the pages. Text from the database is only ever put
   into the page with textContent / createTextNode, never as HTML. */
"use strict";
const Reckon = {
  csrf() { return document.body.dataset.csrf || ""; },
  filters(form) {
    const out = new URLSearchParams();
    if (!form) return out;
    for (const [k, v] of new FormData(form).entries()) { if (String(v).trim() !== "") out.set(k, v); }
    return out;
  },
  async getJSON(url) {
    const res = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  },
  async postJSON(url, data) {
    const res = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": Reckon.csrf() },
      body: JSON.stringify(data),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  },
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  },
  label(s) { return String(s || "").replace(/_/g, " "); },
};
