// Maps without a tile server: Kazakhstan's outline (Natural Earth, served by us) and our own layers.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined") return;

  const map = L.map(element, { zoomSnap: 0.25, attributionControl: true, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([48.0, 67.0], 4);
  window.ashyqkenMap = map; // blocks.js adds the licensing layers to the same map
  // Keyboard users land in the popup they opened, not on the next marker.
  map.on("popupopen", (event) => {
    const link = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-content a");
    if (link) link.focus();
  });

  function slug(code) {
    return String(code).toLowerCase().replace(/[^a-z0-9]+/g, "-");
  }

  // On the block picker, deposits are landmarks only: not tab stops, and clicks go to the grid.
  const landmarksOnly = Boolean(element.dataset.picker);

  function markerFor(latlng, commodity, title) {
    return L.marker(latlng, {
      title: title,
      alt: title,
      keyboard: !landmarksOnly,
      interactive: !landmarksOnly,
      icon: L.divIcon({ className: "deposit-marker commodity-" + slug(commodity || "none"), iconSize: [16, 16] }),
    });
  }

  fetch(element.dataset.outline)
    .then((response) => response.json())
    .then((outline) => {
      const layer = L.geoJSON(outline, { style: { color: "#00586b", weight: 1.5, fillColor: "#fdfbf3", fillOpacity: 1 } }).addTo(map);
      layer.bringToBack();
      if (!element.dataset.deposit && !element.dataset.focus) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    });

  if (element.dataset.deposit) {
    const point = JSON.parse(element.dataset.deposit);
    markerFor([point.lat, point.lon], element.dataset.commodity, element.getAttribute("aria-label")).addTo(map);
    const outlineScript = element.dataset.outlineId && document.getElementById(element.dataset.outlineId);
    if (outlineScript) {
      L.geoJSON(JSON.parse(outlineScript.textContent), { style: { color: "#b2182b", weight: 2 } }).addTo(map);
    }
    map.setView([point.lat, point.lon], 6);
  }

  if (element.dataset.deposits) {
    fetch(element.dataset.deposits)
      .then((response) => response.json())
      .then((collection) => {
        const lang = document.documentElement.lang || "en";
        collection.features.forEach((feature) => {
          const p = feature.properties;
          const name = p["name_" + lang] || p.name_en;
          const [lon, lat] = feature.geometry.coordinates;
          const link = document.createElement("a");
          link.href = p.url;
          link.textContent = name;
          markerFor([lat, lon], p.commodities[0], name).bindPopup(link).addTo(map);
        });
        element.dataset.loaded = String(collection.features.length);
      });
  }
})();
