// Licensing layers on the map: the 1'x1' block grid, availability (held, claimed, opening, free),
// an application's blocks, and the block picker that fills the codes field of a draft.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined" || !window.ashyqkenMap) return;
  const map = window.ashyqkenMap;
  const MINUTE = 1 / 60;
  const STYLES = {
    free: { color: "#1a7f37", weight: 1, fillOpacity: 0.05 },
    held: { color: "#8a1c1c", weight: 1, fillColor: "#b2182b", fillOpacity: 0.45 },
    claimed: { color: "#9a6700", weight: 1, fillColor: "#e6a700", fillOpacity: 0.4 },
    opening: { color: "#00586b", weight: 1, fillColor: "#00586b", fillOpacity: 0.25, dashArray: "4" },
    selected: { color: "#1f5fa8", weight: 2, fillColor: "#1f5fa8", fillOpacity: 0.55 },
  };

  function pad(n, width) {
    return String(n).padStart(width, "0");
  }
  // The block containing a point, as its code (south-west corner), e.g. N4910E08110.
  function codeAt(lat, lon) {
    const latMin = Math.floor(Math.round((lat + 90) * 60 * 1e9) / 1e9) - 90 * 60;
    const lonMin = Math.floor(Math.round((lon + 180) * 60 * 1e9) / 1e9) - 180 * 60;
    const ns = latMin >= 0 ? "N" : "S";
    const ew = lonMin >= 0 ? "E" : "W";
    const a = Math.abs(latMin);
    const o = Math.abs(lonMin);
    return ns + pad(Math.floor(a / 60), 2) + pad(a % 60, 2) + ew + pad(Math.floor(o / 60), 3) + pad(o % 60, 2);
  }
  function cornerOf(code) {
    const m = /^([NS])(\d{2})(\d{2})([EW])(\d{3})(\d{2})$/.exec(code);
    if (!m) return null;
    const lat = (parseInt(m[2], 10) + parseInt(m[3], 10) / 60) * (m[1] === "N" ? 1 : -1);
    const lon = (parseInt(m[5], 10) + parseInt(m[6], 10) / 60) * (m[4] === "E" ? 1 : -1);
    return [lat, lon];
  }
  function boundsOf(code) {
    const c = cornerOf(code);
    return c && L.latLngBounds([c[0], c[1]], [c[0] + MINUTE, c[1] + MINUTE]);
  }

  // The relinquishment planner (relinquish.js) uses the same grid arithmetic.
  window.ashyqkenGrid = { codeAt: codeAt, boundsOf: boundsOf, styles: STYLES };

  // An application's blocks, given as a GeoJSON script or as codes.
  const shown = L.featureGroup().addTo(map);
  if (element.dataset.blocks) {
    const data = JSON.parse(document.getElementById(element.dataset.blocks).textContent);
    L.geoJSON(data, { style: (f) => STYLES[f.properties.status === "live" ? "claimed" : f.properties.status === "granted" ? "held" : "selected"] || STYLES.selected }).addTo(shown);
  }
  if (element.dataset.codes) {
    element.dataset.codes.split(/\s+/).filter(Boolean).forEach((code) => {
      const b = boundsOf(code);
      if (b) L.rectangle(b, STYLES.selected).addTo(shown);
    });
  }

  // Availability from the API, for views small enough (at most 2,500 blocks).
  // data-availability-state says what the grid shows: "loading", "loaded" (drawn for this
  // view), "zoom-in" or "failed". Only the answer for the latest view is drawn: an earlier
  // one, arriving late, would draw a stale grid over it.
  const availability = L.layerGroup().addTo(map);
  let asked = 0;
  function refresh() {
    if (!element.dataset.availability) return;
    const b = map.getBounds();
    const cells = ((b.getNorth() - b.getSouth()) * 60) * ((b.getEast() - b.getWest()) * 60);
    const ask = ++asked;
    availability.clearLayers();
    if (cells > 2500 || cells <= 0) {
      element.dataset.availabilityState = "zoom-in";
      return;
    }
    element.dataset.availabilityState = "loading";
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    fetch(element.dataset.availability + "?format=geojson&bbox=" + bbox)
      .then((r) => (r.ok ? r.json() : null))
      .catch(() => null)
      .then((data) => {
        if (ask !== asked) return;
        if (!data) {
          element.dataset.availabilityState = "failed";
          return;
        }
        L.geoJSON(data, {
          style: (f) => STYLES[f.properties.status] || STYLES.free,
          onEachFeature: (f, layer) => {
            const p = f.properties;
            const claims = (p.claims || []).map((c) => c.application).join(", ");
            layer.bindTooltip(p.code + " · " + p.status + (p.licence ? " · " + p.licence : "") + (claims ? " · " + claims : ""));
          },
          interactive: !picker,
        }).addTo(availability);
        element.dataset.availabilityState = "loaded";
      });
  }
  map.on("moveend", refresh);

  // The picker: click a cell to add or remove it; Shift+click adds the rectangle from the last cell.
  const picker = element.dataset.picker && document.getElementById(element.dataset.picker);
  const selectedLayer = L.layerGroup().addTo(map);
  function selection() {
    return new Set(picker.value.toUpperCase().split(/[\s,;]+/).filter(Boolean));
  }
  function draw() {
    selectedLayer.clearLayers();
    selection().forEach((code) => {
      const b = boundsOf(code);
      if (b) L.rectangle(b, Object.assign({ interactive: false }, STYLES.selected)).addTo(selectedLayer);
    });
  }
  let last = null;
  if (picker) {
    element.dataset.focus = "blocks";
    picker.addEventListener("input", draw);
    picker.addEventListener("change", () => {
      const layers = selectedLayer.getLayers();
      if (layers.length) map.fitBounds(L.featureGroup(layers).getBounds(), { maxZoom: 12, padding: [16, 16] });
    });
    map.on("click", (event) => {
      if (map.getZoom() < 10) {
        map.setView(event.latlng, 11); // too small to aim at a block: zoom in first
        return;
      }
      const codes = selection();
      const code = codeAt(event.latlng.lat, event.latlng.lng);
      if (event.originalEvent.shiftKey && last) {
        const [a, b] = [cornerOf(last), cornerOf(code)];
        for (let lat = Math.min(a[0], b[0]); lat <= Math.max(a[0], b[0]) + 1e-9; lat += MINUTE) {
          for (let lon = Math.min(a[1], b[1]); lon <= Math.max(a[1], b[1]) + 1e-9; lon += MINUTE) {
            codes.add(codeAt(lat + MINUTE / 2, lon + MINUTE / 2));
          }
        }
      } else if (codes.has(code)) {
        codes.delete(code);
      } else {
        codes.add(code);
      }
      last = code;
      picker.value = Array.from(codes).sort().join(" ");
      draw();
    });
    draw();
  }

  // Start on the blocks there are, else on East Kazakhstan's lithium belt.
  const first = picker ? Array.from(selection())[0] : null;
  if (shown.getLayers().length) {
    element.dataset.focus = "blocks";
    map.fitBounds(shown.getBounds(), { maxZoom: 12, padding: [16, 16] });
  } else if (first && boundsOf(first)) {
    map.setView(boundsOf(first).getCenter(), 11);
  } else if (picker) {
    map.setView([49.55, 83.05], 11); // East Kazakhstan's lithium belt, zoomed in to the grid
  }
  // setView has just asked for the grid (moveend) unless the view did not move.
  if (!element.dataset.availabilityState) refresh();
  // The picker takes clicks from here on; before, a click on the map did nothing.
  if (picker) element.dataset.state = "ready";
})();
