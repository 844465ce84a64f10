/*
 * Overview: districts coloured by the share of residents within walking distance of police,
 * region outlines, and a sortable table of the same rows (GET /api/v1/coverage/).
 */
(function () {
  "use strict";

  const SP = window.ServicePoliceMaps;
  const config = SP.config;
  const labels = SP.labels;
  const el = SP.el;
  const format = SP.format;

  const container = document.getElementById("overview-map");
  const map = SP.createMap("overview-map");
  const table = document.getElementById("districts-table");
  const tbody = table.querySelector("tbody");

  const rowsById = new Map();
  const trById = new Map();
  const layerById = new Map();
  let rows = [];
  let sortKey = "covered_population_share";
  let sortAscending = true;

  const legend = SP.legendControl("bottomright").addTo(map);
  legend.show([
    {
      title: labels.coveredShare,
      items: SP.scaleLegend("covered", format.percent).concat([
        { fill: SP.NO_DATA, text: labels.noData },
      ]),
    },
  ]);

  // A district smaller than a few pixels at the current zoom is also drawn as a dot, so a
  // city district stays visible and clickable on the national map.
  const MIN_PIXELS = 14;
  const dotLayer = L.layerGroup();
  const dotById = new Map();

  function bindDistrict(feature, layer) {
    layer.bindTooltip(function () {
      return districtTooltip(feature);
    }, { sticky: true });
    layer.on("click", function () {
      window.location.assign(SP.urlFor(config.urls.districtPage, feature.id));
    });
    layer.on("mouseover", function () {
      highlight(feature.id, true);
    });
    layer.on("mouseout", function () {
      highlight(feature.id, false);
    });
  }

  const districtLayer = L.geoJSON(null, {
    style: districtStyle,
    onEachFeature: function (feature, layer) {
      layerById.set(feature.id, layer);
      bindDistrict(feature, layer);
      const dot = L.circleMarker(layer.getBounds().getCenter(), {
        className: "sp-district-dot",
        radius: 7,
        color: "#263238",
        weight: 1.5,
        fillOpacity: 0.9,
        fillColor: districtStyle(feature).fillColor,
      });
      bindDistrict(feature, dot);
      dotById.set(feature.id, { dot: dot, polygon: layer });
    },
  }).addTo(map);
  dotLayer.addTo(map);

  function updateDots() {
    dotById.forEach(function ({ dot, polygon }) {
      const bounds = polygon.getBounds();
      const sw = map.latLngToLayerPoint(bounds.getSouthWest());
      const ne = map.latLngToLayerPoint(bounds.getNorthEast());
      const small = Math.max(Math.abs(ne.x - sw.x), Math.abs(sw.y - ne.y)) < MIN_PIXELS;
      if (small && map.hasLayer(districtLayer)) dotLayer.addLayer(dot);
      else dotLayer.removeLayer(dot);
    });
  }
  map.on("zoomend overlayadd overlayremove", updateDots);
  const regionLayer = L.geoJSON(null, {
    interactive: false,
    style: { color: "#0b3d6b", weight: 2.5, opacity: 0.9, fill: false, className: "sp-region" },
  }).addTo(map);

  const layersControl = L.control
    .layers(null, null, { collapsed: true })
    .addTo(map);
  layersControl.addOverlay(districtLayer, labels.districts);
  layersControl.addOverlay(regionLayer, labels.regions);

  function districtStyle(feature) {
    const row = rowsById.get(feature.id);
    return {
      className: "sp-district",
      color: "#37474f",
      weight: 1,
      opacity: 0.9,
      fillOpacity: 0.72,
      fillColor: SP.colourFor("covered", row ? row.covered_population_share : null),
    };
  }

  function districtTooltip(feature) {
    const row = rowsById.get(feature.id);
    const name = (row && row.name) || (feature.properties && feature.properties.name) || "";
    return el("div", { class: "tooltip" }, [
      el("strong", {}, name),
      el("br"),
      labels.coveredShare + ": " + format.percent(row ? row.covered_population_share : null),
    ]);
  }

  function highlight(id, on) {
    const layer = layerById.get(id);
    if (layer && districtLayer.hasLayer(layer)) {
      layer.setStyle({ weight: on ? 3 : 1, color: on ? "#0b3d6b" : "#37474f" });
      if (on) layer.bringToFront();
    }
    const entry = dotById.get(id);
    if (entry) entry.dot.setStyle({ weight: on ? 3 : 1.5 });
    const tr = trById.get(id);
    if (tr) tr.classList.toggle("is-highlighted", on);
  }

  /* ---- table ---- */
  function renderTable() {
    tbody.replaceChildren();
    trById.clear();
    if (!rows.length) {
      tbody.appendChild(el("tr", { class: "placeholder" }, el("td", { colspan: 8 }, labels.noDistricts)));
      return;
    }
    sortedRows().forEach(function (row) {
      const href = SP.urlFor(config.urls.districtPage, row.id);
      const tr = el("tr", { "data-district": row.id }, [
        el("th", { scope: "row" }, [
          el("a", { href: href }, row.name),
          el("small", { class: "muted" }, row.region_name),
        ]),
        el("td", { class: "num" }, format.integer(row.population)),
        el("td", { class: "num" }, format.integer(row.stations)),
        el("td", { class: "num" }, format.integer(row.posts)),
        el("td", { class: "num" }, format.integer(row.inspectors)),
        el("td", { class: "num" }, format.integer(row.residents_per_inspector)),
        el("td", { class: "num" }, [
          swatch(SP.colourFor("covered", row.covered_population_share)),
          format.percent(row.covered_population_share),
        ]),
        el("td", { class: "num" + (row.vacancies ? " alert" : "") }, format.integer(row.vacancies)),
      ]);
      tr.addEventListener("click", function (event) {
        if (event.target.closest("a")) return;
        window.location.assign(href);
      });
      tr.addEventListener("mouseenter", function () {
        highlight(row.id, true);
      });
      tr.addEventListener("mouseleave", function () {
        highlight(row.id, false);
      });
      trById.set(row.id, tr);
      tbody.appendChild(tr);
    });
  }

  function swatch(colour) {
    const node = el("span", { class: "swatch", "aria-hidden": "true" });
    node.style.background = colour;
    return node;
  }

  function sortedRows() {
    const header = table.querySelector('th[data-key="' + sortKey + '"]');
    const numeric = header && header.dataset.type === "number";
    const collator = new Intl.Collator(config.lang);
    return rows.slice().sort(function (a, b) {
      const x = a[sortKey];
      const y = b[sortKey];
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1; // missing values last either way
      const order = numeric ? x - y : collator.compare(String(x), String(y));
      return sortAscending ? order : -order;
    });
  }

  function markSorted() {
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      if (th.dataset.key === sortKey) {
        th.setAttribute("aria-sort", sortAscending ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  table.querySelectorAll("th[data-key] button").forEach(function (button) {
    button.addEventListener("click", function () {
      const key = button.closest("th").dataset.key;
      sortAscending = key === sortKey ? !sortAscending : true;
      sortKey = key;
      markSorted();
      renderTable();
    });
  });

  /* ---- loading ---- */
  // Shapes are simplified on the server to about a pixel at the zoom they are drawn at, and
  // fetched again, finer, when the user zooms in.
  let loadedZoom = null;
  let loadingZoom = null;

  function tolerance(zoom) {
    return Math.round(SP.metresPerPixel(map, zoom));
  }

  async function loadDistricts(zoom) {
    loadingZoom = zoom;
    const data = await SP.fetchAll(
      SP.withQuery(config.urls.districts, { format: "geojson", limit: 500, simplify: tolerance(zoom) })
    );
    if (loadingZoom !== zoom) return null; // a finer request overtook this one
    districtLayer.clearLayers();
    dotLayer.clearLayers();
    layerById.clear();
    dotById.clear();
    districtLayer.addData(data);
    updateDots();
    loadedZoom = zoom;
    loadingZoom = null;
    container.dataset.districts = String(data.features.length);
    return data;
  }

  map.on("zoomend", function () {
    const zoom = map.getZoom();
    if (loadedZoom !== null && zoom > loadedZoom && loadingZoom === null) {
      loadDistricts(zoom).catch(function (error) {
        SP.layerFailed(labels.districts, error);
      });
    }
  });

  async function start() {
    SP.statusLine(labels.loading);
    const [coverage, regions] = await Promise.allSettled([
      SP.fetchAll(SP.withQuery(config.urls.coverage, { limit: 500 })),
      SP.fetchAll(
        SP.withQuery(config.urls.regions, {
          format: "geojson",
          limit: 500,
          simplify: tolerance(map.getZoom()),
        })
      ),
    ]);
    SP.statusLine("");
    if (coverage.status === "fulfilled") {
      rows = coverage.value;
      rows.forEach(function (row) {
        rowsById.set(row.id, row);
      });
      markSorted();
      renderTable();
    } else {
      SP.layerFailed(labels.districts, coverage.reason);
    }
    if (regions.status === "fulfilled") {
      regionLayer.addData(regions.value);
    } else {
      SP.layerFailed(labels.regions, regions.reason);
    }
    try {
      await loadDistricts(map.getZoom());
      const bounds = districtLayer.getBounds();
      if (bounds.isValid()) SP.fitClear(map, bounds, legend);
    } catch (error) {
      SP.layerFailed(labels.districts, error);
    }
    container.dataset.loaded = "true";
  }

  start();
})();
