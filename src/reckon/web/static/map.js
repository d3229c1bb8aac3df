/* The incidents map: country boundaries from the vendored world-atlas file as
   the only base layer (works offline), incidents fetched per view from
   /api/map, which groups dense areas on the server. */
"use strict";
(function () {
  const box = document.getElementById("map");
  if (!box) return;
  const status = document.getElementById("map-status");
  const colours = JSON.parse(box.dataset.colours || "{}");
  const form = document.getElementById("filters");
  const map = L.map(box, { minZoom: 2, maxZoom: 18, worldCopyJump: true, attributionControl: true }).setView([35, 38], 6);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");

  fetch("/static/vendor/world-atlas-2.0.2/countries-50m.json").then(r => r.json()).then(topo => {
    const countries = topojson.feature(topo, topo.objects.countries);
    // rings that cross the antimeridian (Russia, Fiji...) jump by 360 degrees: make them continuous
    const unwrap = ring => { for (let i = 1; i < ring.length; i++) { const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) ring[i] = [ring[i][0] - 360, ring[i][1]]; else if (d < -180) ring[i] = [ring[i][0] + 360, ring[i][1]]; } };
    countries.features = countries.features.filter(f => (f.properties || {}).name !== "Antarctica");
    for (const f of countries.features) {
      const g = f.geometry; if (!g) continue;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const poly of polys) for (const ring of poly) unwrap(ring);
    }
    L.geoJSON(countries, { style: { color: "#8a9aa8", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false }).addTo(map).bringToBack();
  }).catch(() => { status.textContent = "Boundaries could not be loaded."; });

  const layer = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false, chunkedLoading: true });
  map.addLayer(layer);

  function radius(n) { return 5 + Math.min(30, 3 * Math.sqrt(Math.max(0, n || 0))); }

  function popup(p) {
    const box = Reckon.el("div");
    box.append(Reckon.el("div", { class: "pop-title", text: Reckon.label(p.event_type) }));
    const rows = [
      ["date", p.date_start || ""], ["place", [p.location, p.admin1].filter(Boolean).join(", ")],
      ["perpetrator", p.actor1 || ""], ["killed", p.fatalities_best == null ? "" : String(p.fatalities_best)],
    ];
    for (const [k, v] of rows) { if (v) box.append(Reckon.el("div", {}, Reckon.el("b", { text: k + ": " }), v)); }
    if (p.id != null) box.append(Reckon.el("a", { href: "/incidents/" + encodeURIComponent(p.id), class: "pop-link", text: "open incident" }));
    return box;
  }

  function draw(points) {
    layer.clearLayers();
    const items = [];
    for (const p of points) {
      if (p.lat == null || p.lon == null) continue;
      const n = p.count || p.n || 1;
      if (n > 1) {
        const size = 24 + Math.min(36, 6 * Math.log2(n));
        const icon = L.divIcon({ className: "", iconSize: [size, size], html: "" });
        const m = L.marker([p.lat, p.lon], { icon, title: n + " incidents" });
        m.on("add", () => {
          const el = m.getElement(); if (!el) return;
          el.replaceChildren(Reckon.el("div", { class: "cluster-icon server-cluster", style: `width:${size}px;height:${size}px` }, String(n)));
        });
        m.on("click", () => map.setView([p.lat, p.lon], Math.min(map.getZoom() + 2, 18)));
        map.addLayer(m); items.push({ server: m });
      } else {
        const c = L.circleMarker([p.lat, p.lon], {
          radius: radius(p.fatalities_best), color: "#222", weight: 1,
          fillColor: colours[p.event_type] || "#555", fillOpacity: 0.8, className: "incident-marker",
        });
        c.bindPopup(() => popup(p));
        items.push(c);
      }
    }
    for (const m of serverClusters) map.removeLayer(m);
    serverClusters = items.filter(x => x.server).map(x => x.server);
    layer.addLayers(items.filter(x => !x.server));
  }
  let serverClusters = [];
  let seq = 0;

  async function load() {
    const q = Reckon.filters(form);
    const b = map.getBounds();
    q.set("zoom", map.getZoom());
    q.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(x => x.toFixed(4)).join(","));
    const mine = ++seq;
    status.textContent = "Loading…";
    try {
      const data = await Reckon.getJSON("/api/map?" + q.toString());
      if (mine !== seq) return;
      draw(data.points);
      const total = data.points.reduce((s, p) => s + (p.count || p.n || 1), 0);
      status.textContent = `${total} incident(s) in view, drawn as ${data.points.length} marker(s).`;
      box.dataset.loaded = String(mine);
    } catch (e) {
      status.textContent = "Could not load incidents: " + e.message;
    }
  }
  if (form) form.addEventListener("submit", ev => {
    ev.preventDefault();
    history.replaceState(null, "", "?" + Reckon.filters(form).toString());
    load();
  });
  // first view: the extent of the incidents that match the filters, then follow the user's moves
  async function start() {
    try {
      const ext = await Reckon.getJSON("/api/map/extent?" + Reckon.filters(form).toString());
      if (ext.bbox) {
        const [w, s, e, n] = ext.bbox;
        map.fitBounds(L.latLngBounds([s, w], [n, e]).pad(0.15), { maxZoom: 9, animate: false });
      }
    } catch (e) { /* keep the default view */ }
    map.on("moveend", load);
    load();
  }
  start();
})();
