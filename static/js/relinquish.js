// The relinquishment planner: a click on one of the licence's blocks toggles its "give up" box
// (the list of checkboxes is the page's own control and works without this script); the count
// and the share of the blocks at the grant given up follow every change.
(function () {
  "use strict";
  const form = document.getElementById("relinquish-pick");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll('input[name="blocks"]'));
  const summary = document.getElementById("relinquish-summary");
  const granted = parseInt(form.dataset.granted, 10) || 0;
  const before = parseInt(form.dataset.givenBefore, 10) || 0;
  const template = summary ? summary.dataset.template : "";
  const map = window.ashyqkenMap;
  const gridjs = window.ashyqkenGrid;
  const layer = map && typeof L !== "undefined" ? L.layerGroup().addTo(map) : null;

  function update() {
    const chosen = boxes.filter((b) => b.checked);
    if (summary && template) {
      const share = granted ? Math.round((100 * (before + chosen.length)) / granted) : 0;
      summary.textContent = template
        .replace("%(count)s", String(chosen.length))
        .replace("%(remain)s", String(boxes.length - chosen.length))
        .replace("%(share)s", String(share));
    }
    if (layer && gridjs) {
      layer.clearLayers();
      chosen.forEach((b) => {
        const bounds = gridjs.boundsOf(b.value);
        if (bounds) L.rectangle(bounds, Object.assign({ interactive: false }, gridjs.styles.held)).addTo(layer);
      });
    }
  }
  boxes.forEach((b) => b.addEventListener("change", update));
  if (map && gridjs) {
    map.on("click", (event) => {
      const code = gridjs.codeAt(event.latlng.lat, event.latlng.lng);
      const box = boxes.find((b) => b.value === code);
      if (!box) return;
      box.checked = !box.checked;
      update();
    });
  }
  update();
  // Clicks on the map are taken from here on (a browser test waits for it).
  if (map && gridjs) document.getElementById("map").dataset.planner = "ready";
})();
