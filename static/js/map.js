// Maps without a tile server: Kazakhstan's outline (Natural Earth, served by us) and our own layers.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined") return;

  // {% map_key %}'s configuration: the words of the controls, translated by the page.
  const configScript = document.getElementById("map-config");
  const config = configScript ? JSON.parse(configScript.textContent) : null;
  window.ashyqkenMapConfig = config;

  const map = L.map(element, { zoomSnap: 0.25, attributionControl: true, scrollWheelZoom: false, zoomControl: false });
  // Leaflet's own button titles (and so their accessible names) are English.
  const zoom = (config && config.zoom) || {};
  L.control.zoom({ zoomInTitle: zoom.in || "Zoom in", zoomOutTitle: zoom.out || "Zoom out" }).addTo(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · GeoNames");
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

  // Panes, bottom to top: the country, the context layers, then our own layers (overlayPane, 400).
  map.createPane("country").style.zIndex = 250;
  map.createPane("context").style.zIndex = 350;

  fetch(element.dataset.outline)
    .then((response) => response.json())
    .then((outline) => {
      const layer = L.geoJSON(outline, {
        pane: "country",
        interactive: false,
        style: { color: "#00586b", weight: 1.5, fillColor: "#fdfbf3", fillOpacity: 1 },
      }).addTo(map);
      if (!element.dataset.deposit && !element.dataset.focus) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    });

  // Context layers (towns, rivers, lakes) from {% map_key %}'s configuration, switched on and
  // off in a layer control whose words come translated from the page.
  const lang = document.documentElement.lang || "en";
  const CONTEXT_STYLES = {
    rivers: { color: "#3a86c8", weight: 1.4, opacity: 0.9 },
    lakes: { color: "#3a86c8", weight: 1, fillColor: "#a6cee3", fillOpacity: 0.9 },
    regions: { color: "#6b5b45", weight: 1.5, dashArray: "8 4 2 4", fill: false },
  };
  // Towns labelled by size as the map zooms in, so that labels stay readable.
  function townShown(population, zoom) {
    return zoom >= 8 || (zoom >= 6.5 && population >= 30000) || (zoom >= 5 && population >= 150000) || population >= 400000;
  }
  function townsLayer(collection) {
    const group = L.layerGroup();
    const towns = collection.features.map((feature) => {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const dot = L.circleMarker([lat, lon], {
        pane: "context",
        interactive: false,
        radius: p.population >= 150000 ? 4 : 3,
        color: "#ffffff",
        weight: 1.5,
        fillColor: "#333333",
        fillOpacity: 1,
      });
      dot.bindTooltip(p["name_" + lang] || p.name_en, {
        permanent: true,
        direction: "right",
        offset: [4, 0],
        className: "town-label",
        interactive: false,
      });
      return { dot: dot, population: p.population };
    });
    function relabel() {
      const zoom = map.getZoom();
      towns.forEach((town) => {
        const show = townShown(town.population, zoom);
        if (show && !group.hasLayer(town.dot)) group.addLayer(town.dot);
        if (!show && group.hasLayer(town.dot)) group.removeLayer(town.dot);
      });
    }
    group.on("add", () => {
      relabel();
      map.on("zoomend", relabel);
    });
    group.on("remove", () => map.off("zoomend", relabel));
    return group;
  }
  if (config) {
    const order = config.layers.map((layer) => layer.label);
    const control = L.control
      .layers(null, null, {
        collapsed: element.clientWidth < 480, // on a phone, behind a button
        position: "topright",
        sortLayers: true, // in the configuration's order, whichever layer arrives first
        sortFunction: (a, b, nameA, nameB) => order.indexOf(nameA) - order.indexOf(nameB),
      })
      .addTo(map);
    const container = control.getContainer();
    container.setAttribute("role", "group");
    container.setAttribute("aria-label", config.control);
    const toggle = container.querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = config.control; // Leaflet's own title is English
      toggle.setAttribute("aria-label", config.control);
    }
    const pending = config.layers.map((layer) =>
      fetch(layer.url)
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null)
        .then((collection) => {
          if (!collection || !collection.features.length) return; // e.g. no region boundaries loaded yet
          document.querySelectorAll('.map-key [data-layer="' + layer.key + '"]').forEach((item) => (item.hidden = false));
          const drawn =
            layer.key === "towns"
              ? townsLayer(collection)
              : L.geoJSON(collection, {
                  pane: "context",
                  interactive: false,
                  style: CONTEXT_STYLES[layer.key],
                  onEachFeature: (feature, drawn) =>
                    feature.properties && feature.properties.name_en && drawn.bindTooltip(feature.properties["name_" + lang] || feature.properties.name_en, { sticky: true }),
                });
          drawn.addTo(map);
          control.addOverlay(drawn, layer.label);
        })
    );
    Promise.all(pending).then(() => {
      element.dataset.context = "loaded";
    });
  }

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
