/*
 * Precinct page: the precinct's outline and the stations and posts around it (from the API).
 */
(function () {
  "use strict";

  const SP = window.ServicePoliceMaps;
  const config = SP.config;
  const labels = SP.labels;

  const container = document.getElementById("precinct-map");
  const map = SP.createMap("precinct-map");

  const outline = L.geoJSON(null, {
    interactive: false,
    style: {
      className: "sp-precinct",
      color: "#0b3d6b",
      weight: 3,
      fillColor: "#2f80ed",
      fillOpacity: 0.12,
    },
  }).addTo(map);
  const stations = L.layerGroup().addTo(map);
  const posts = L.layerGroup().addTo(map);

  const legend = SP.legendControl("bottomright").addTo(map);
  legend.show([{ title: labels.facilityLegend, items: SP.facilityLegend() }]);
  SP.fitClear(map, config.bounds, legend);

  function nearby(url) {
    return SP.fetchAll(
      SP.withQuery(url, { format: "geojson", limit: 500, in_bbox: config.reachBbox })
    );
  }

  async function start() {
    SP.statusLine(labels.loading);
    const [shape, stationData, postData] = await Promise.allSettled([
      SP.fetchJSON(SP.withQuery(config.urls.precinct, { format: "geojson" })),
      nearby(config.urls.stations),
      nearby(config.urls.posts),
    ]);
    SP.statusLine("");
    if (shape.status === "fulfilled") outline.addData(shape.value);
    else SP.layerFailed(labels.precinct, shape.reason);
    [
      ["station", stations, stationData, labels.stations],
      ["post", posts, postData, labels.posts],
    ].forEach(function ([kind, layer, result, name]) {
      if (result.status !== "fulfilled") {
        SP.layerFailed(name, result.reason);
        return;
      }
      result.value.features.forEach(function (feature) {
        if (feature.properties.status === "closed") return;
        layer.addLayer(SP.facilityMarker(kind, feature, config.edit[kind]));
      });
    });
    container.dataset.stations = String(stations.getLayers().length);
    container.dataset.posts = String(posts.getLayers().length);
    container.dataset.loaded = "true";
  }

  start();
})();
