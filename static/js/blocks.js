// Licensing layers on the map: the 1'x1' block grid, availability (held, claimed, opening, free),
// an application's blocks, and the block picker that fills the codes field of a draft.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined" || !window.ashyqkenMap) return;
  const map = window.ashyqkenMap;
  const MINUTE = 1 / 60;
  // Not colour alone: ground opening soon is hatched (the page's SVG pattern, from {% map_key %})
  // with a dashed edge; your blocks are solid with a thick solid edge.
  const STYLES = {
    free: { color: "#1a7f37", weight: 1, fillOpacity: 0.05 },
    held: { color: "#8a1c1c", weight: 1, fillColor: "#b2182b", fillOpacity: 0.45 },
    claimed: { color: "#9a6700", weight: 1, fillColor: "#e6a700", fillOpacity: 0.4 },
    opening: { color: "#6a1b9a", weight: 1.5, dashArray: "5 3", fillColor: "url(#hatch-opening)", fillOpacity: 1 },
    selected: { color: "#0b3d91", weight: 3, fillColor: "#1f5fa8", fillOpacity: 0.6 },
  };
  const config = window.ashyqkenMapConfig || { status: {} };
  function statusLabel(status) {
    return (config.status && config.status[status]) || status;
  }

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
    L.geoJSON(data, {
      style: (f) => STYLES[f.properties.status === "live" ? "claimed" : f.properties.status === "granted" ? "held" : "selected"] || STYLES.selected,
      onEachFeature: (f, layer) => f.properties.code && layer.bindTooltip(f.properties.code),
    }).addTo(shown);
  }
  if (element.dataset.codes) {
    element.dataset.codes.split(/\s+/).filter(Boolean).forEach((code) => {
      const b = boundsOf(code);
      if (b) L.rectangle(b, STYLES.selected).bindTooltip(code).addTo(shown);
    });
  }

  // Availability from the API, for views small enough (at most 2,500 blocks).
  // data-availability-state says what the grid shows: "loading", "loaded" (drawn for this
  // view), "zoom-in" or "failed". Only the answer for the latest view is drawn: an earlier
  // one, arriving late, would draw a stale grid over it.
  const availability = L.layerGroup().addTo(map);
  const statusOf = new Map(); // block code -> its status, from the latest answer
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
        statusOf.clear();
        L.geoJSON(data, {
          style: (f) => STYLES[f.properties.status] || STYLES.free,
          onEachFeature: (f, layer) => {
            const p = f.properties;
            statusOf.set(p.code, p.status);
            const claims = (p.claims || []).map((c) => c.application).join(", ");
            layer.bindTooltip(p.code + " · " + statusLabel(p.status) + (p.licence ? " · " + p.licence : "") + (claims ? " · " + claims : ""));
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
  // What is picked, said as it changes (not only after saving): the count and area, and a
  // list of the blocks whose buttons show the block on the map on hover and focus.
  const summary = document.getElementById("picker-summary");
  const list = document.getElementById("picked-blocks");
  const rectangles = new Map();
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const EARTH_RADIUS_KM = 6371.0088; // as licensing.domain.grid.area_km2
  function areaKm2(code) {
    const c = cornerOf(code);
    if (!c) return 0;
    const rad = Math.PI / 180;
    return EARTH_RADIUS_KM * EARTH_RADIUS_KM * MINUTE * rad * (Math.sin((c[0] + MINUTE) * rad) - Math.sin(c[0] * rad));
  }
  function describe(codes) {
    if (!summary) return;
    let area = 0;
    codes.forEach((code) => (area += areaKm2(code)));
    summary.textContent = summary.dataset.template
      .replace("%(count)s", String(codes.size))
      .replace("%(area)s", numbers.format(area))
      .replace("%(max)s", summary.dataset.max || "");
    summary.dataset.count = String(codes.size);
    const saved = (summary.dataset.saved || "").split(/\s+/).filter(Boolean).sort().join(" ");
    const unsaved = document.getElementById("picker-unsaved");
    if (unsaved) unsaved.hidden = Array.from(codes).sort().join(" ") === saved;
  }
  function listed(codes) {
    if (!list) return;
    list.replaceChildren();
    Array.from(codes)
      .sort()
      .forEach((code) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "block-chip";
        button.textContent = code;
        button.setAttribute("aria-label", list.dataset.removeLabel.replace("%(code)s", code));
        const show = () => rectangles.get(code) && rectangles.get(code).openTooltip();
        const hide = () => rectangles.get(code) && rectangles.get(code).closeTooltip();
        button.addEventListener("mouseenter", show);
        button.addEventListener("focus", show);
        button.addEventListener("mouseleave", hide);
        button.addEventListener("blur", hide);
        button.addEventListener("click", () => {
          const next = selection();
          next.delete(code);
          picker.value = Array.from(next).sort().join(" ");
          draw();
          const buttons = list.querySelectorAll("button");
          if (buttons.length) buttons[0].focus();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
  }
  function draw() {
    selectedLayer.clearLayers();
    rectangles.clear();
    const codes = selection();
    codes.forEach((code) => {
      const b = boundsOf(code);
      if (!b) return;
      const rectangle = L.rectangle(b, Object.assign({ interactive: false }, STYLES.selected));
      rectangle.bindTooltip(code + " · " + statusLabel("picked"), { direction: "top" });
      rectangle.addTo(selectedLayer);
      rectangles.set(code, rectangle);
    });
    describe(codes);
    listed(codes);
  }
  // The code of the block under the pointer, wherever it is (the grid itself takes no hover).
  const hover = L.tooltip({ direction: "top", offset: [0, -10], className: "block-hover" });
  function pointAt(event) {
    if (map.getZoom() < 10) {
      map.closeTooltip(hover);
      return;
    }
    const code = codeAt(event.latlng.lat, event.latlng.lng);
    const status = selection().has(code) ? "picked" : statusOf.get(code);
    hover.setLatLng(event.latlng).setContent(code + (status ? " · " + statusLabel(status) : ""));
    if (!map.hasLayer(hover)) map.openTooltip(hover);
    element.dataset.hoverCode = code;
  }
  let last = null;
  if (picker) {
    element.dataset.focus = "blocks";
    map.on("mousemove", pointAt);
    map.on("mouseout", () => map.closeTooltip(hover));
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
