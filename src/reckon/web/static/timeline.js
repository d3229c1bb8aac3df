/* Fatalities per day by event type, drawn as stacked SVG bars. */
"use strict";
(function () {
  const box = document.getElementById("timeline");
  if (!box) return;
  const status = document.getElementById("timeline-status");
  const form = document.getElementById("filters");
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; }

  function draw(data) {
    box.replaceChildren();
    const days = data.days, types = Object.keys(data.series);
    if (!days.length) { status.textContent = "No fatalities recorded for these filters."; return; }
    const W = 1000, H = 320, left = 50, bottom = 40, top = 10;
    const totals = days.map((_, i) => types.reduce((s, t) => s + data.series[t][i], 0));
    const max = Math.max(1, ...totals);
    const bw = Math.max(1, (W - left - 10) / days.length);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "fatalities per day" });
    for (let k = 0; k <= 4; k++) {
      const v = Math.round(max * k / 4), y = H - bottom - (H - bottom - top) * k / 4;
      root.append(svg("line", { x1: left, x2: W - 5, y1: y, y2: y, stroke: "#e3e7ea" }));
      const t = svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#5b6670" }); t.textContent = v; root.append(t);
    }
    days.forEach((d, i) => {
      let y = H - bottom;
      for (const t of types) {
        const n = data.series[t][i]; if (!n) continue;
        const h = (H - bottom - top) * n / max;
        const r = svg("rect", { x: left + i * bw, y: y - h, width: Math.max(1, bw - 1), height: h, fill: data.colours[t] || "#555" });
        const tip = svg("title", {}); tip.textContent = `${data.bucket === "week" ? "week of " : ""}${d} ${Reckon.label(t)}: ${n}`; r.append(tip);
        root.append(r); y -= h;
      }
    });
    const step = Math.max(1, Math.ceil(days.length / 10));
    days.forEach((d, i) => {
      if (i % step) return;
      const t = svg("text", { x: left + i * bw, y: H - bottom + 16, "font-size": 11, fill: "#5b6670" }); t.textContent = d; root.append(t);
    });
    box.append(root);
    const legend = Reckon.el("p", { class: "legend" });
    for (const t of types) legend.append(Reckon.el("span", {}, Reckon.el("i", { style: `background:${data.colours[t] || "#555"}` }), Reckon.label(t)));
    box.append(legend);
    status.textContent = `${days.length} ${data.bucket || "day"}(s), ${totals.reduce((a, b) => a + b, 0)} fatalities (best estimates).`;
  }

  async function load() {
    try { draw(await Reckon.getJSON("/api/timeline?" + Reckon.filters(form).toString())); }
    catch (e) { status.textContent = "Could not load the timeline: " + e.message; }
  }
  if (form) form.addEventListener("submit", ev => { ev.preventDefault(); history.replaceState(null, "", "?" + Reckon.filters(form).toString()); load(); });
  load();
})();
