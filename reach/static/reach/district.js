/*
 * District page: precincts coloured by the metric the user picks, stations and posts by
 * status (24/7 badge), walking-radius circles, the uncovered area and settlements, all from
 * the API; a layers control, a legend, popups with an edit link for those who may edit.
 */
(function () {
  "use strict";

  const SP = window.ServicePoliceMaps;
  const config = SP.config;
  const labels = SP.labels;
  const el = SP.el;
  const format = SP.format;

  const container = document.getElementById("district-map");
  const map = SP.createMap("district-map");

  const select = document.getElementById("metric");
  const rowsById = new Map(); // precinct id -> row of the coverage snapshot
  const offencesById = new Map(); // precinct id -> offences per 1,000 residents (12 months)
  let beyondRadius = new Set(); // settlement ids farther than the radius from police

  /* ---- precinct colours ---- */
  const VACANT = "#d73027";
  const STAFFED = "#1a9850";

  function metricValue(row, metric) {
    if (!row) return null;
    if (metric === "covered") return row.covered_population_share;
    if (metric === "residents") return row.residents_per_inspector;
    if (metric === "offences") return offencesById.has(row.id) ? offencesById.get(row.id) : null;
    return row.vacancy;
  }

  function precinctColour(row, metric) {
    const value = metricValue(row, metric);
    if (metric === "vacancy") {
      if (value === null || value === undefined) return SP.NO_DATA;
      return value ? VACANT : STAFFED;
    }
    if (metric === "residents" && row && row.vacancy) return VACANT;
    return SP.colourFor(metric, value);
  }

  function precinctStyle(feature) {
    return {
      className: "sp-precinct sp-precinct-" + feature.id,
      color: "#263238",
      weight: 1.2,
      opacity: 0.9,
      fillOpacity: 0.6,
      fillColor: precinctColour(rowsById.get(feature.id), select.value),
    };
  }

  function metricLegend(metric) {
    if (metric === "vacancy") {
      return [
        { fill: VACANT, text: labels.vacant },
        { fill: STAFFED, text: labels.staffed },
      ];
    }
    if (metric === "residents") {
      return SP.scaleLegend("residents", format.integer).concat([
        { fill: VACANT, text: labels.vacant },
      ]);
    }
    if (metric === "offences") {
      return SP.scaleLegend("offences", format.integer).concat([
        { fill: SP.NO_DATA, text: labels.noData },
      ]);
    }
    return SP.scaleLegend("covered", format.percent).concat([
      { fill: SP.NO_DATA, text: labels.noData },
    ]);
  }

  const legend = SP.legendControl("bottomright").addTo(map);

  function showLegend() {
    legend.show([
      { title: labels.metrics[select.value], items: metricLegend(select.value) },
      { title: labels.facilityLegend, items: SP.facilityLegend() },
    ]);
  }

  /* ---- layers ---- */
  const precinctLayer = L.geoJSON(null, {
    style: precinctStyle,
    onEachFeature: function (feature, layer) {
      layer.bindPopup(function () {
        return precinctPopup(feature);
      });
      layer.bindTooltip(function () {
        const props = feature.properties || {};
        const title = SP.fill(labels.precinctNumber, { number: props.number });
        return el("span", {}, props.name ? title + " — " + props.name : title);
      }, { sticky: true });
    },
  });

  const stationLayer = L.layerGroup();
  const postLayer = L.layerGroup();
  const radiusLayer = L.layerGroup();
  const uncoveredLayer = L.geoJSON(null, {
    interactive: false,
    style: {
      className: "sp-uncovered",
      color: "#7f0000",
      weight: 1,
      dashArray: "4 3",
      fillColor: "#7f0000",
      fillOpacity: 0.35,
    },
  });
  const settlementLayer = L.geoJSON(null, {
    pointToLayer: function (feature, latlng) {
      const beyond = beyondRadius.has(feature.id);
      return L.circleMarker(latlng, {
        className: "sp-settlement" + (beyond ? " sp-settlement-beyond" : ""),
        radius: 6,
        color: "#fff",
        weight: 2,
        fillColor: beyond ? "#b71c1c" : "#37474f",
        fillOpacity: 1,
      });
    },
    onEachFeature: function (feature, layer) {
      layer.bindPopup(function () {
        return settlementPopup(feature);
      });
    },
  });
  const outlineLayer = L.geoJSON(null, {
    interactive: false,
    style: { className: "sp-district-outline", color: "#0b3d6b", weight: 3, fill: false },
  });

  precinctLayer.addTo(map);
  radiusLayer.addTo(map);
  outlineLayer.addTo(map);
  settlementLayer.addTo(map);
  stationLayer.addTo(map);
  postLayer.addTo(map);

  L.control
    .layers(
      null,
      (function () {
        const overlays = {};
        overlays[labels.precincts] = precinctLayer;
        overlays[labels.stations] = stationLayer;
        overlays[labels.posts] = postLayer;
        overlays[SP.fill(labels.radius, { radius: format.integer(config.radius) })] = radiusLayer;
        overlays[labels.uncovered] = uncoveredLayer;
        overlays[labels.settlements] = settlementLayer;
        overlays[labels.districtBorder] = outlineLayer;
        return overlays;
      })(),
      { collapsed: true }
    )
    .addTo(map);

  /* ---- popups ---- */
  function precinctPopup(feature) {
    const props = feature.properties || {};
    const row = rowsById.get(feature.id) || {};
    const title = SP.fill(labels.precinctNumber, { number: props.number });
    return el("div", { class: "popup" }, [
      el("h3", {}, props.name ? title + " — " + props.name : title),
      SP.factsList([
        [labels.population, format.integer(props.population)],
        [labels.inspectors, row.active_inspectors === undefined ? null : format.integer(row.active_inspectors)],
        [labels.residentsPerInspector, row.vacancy ? labels.vacant : format.integer(row.residents_per_inspector)],
        [labels.coveredPopulation, format.percent(row.covered_population_share)],
        [labels.coveredArea, format.percent(row.covered_area_share)],
        [
          labels.offencesPer1000,
          offencesById.get(feature.id) === undefined || offencesById.get(feature.id) === null
            ? null
            : String(offencesById.get(feature.id)),
        ],
        [
          labels.nearestFacility,
          row.nearest_facility_m === undefined
            ? null
            : format.distance(row.nearest_facility_m) +
              " (" + (row.facility_within_radius ? labels.withinRadius : labels.beyondRadius) + ")",
        ],
      ]),
      el("p", { class: "popup-links" }, [
        el("a", { href: SP.urlFor(config.urls.precinctPage, feature.id) }, labels.open),
        SP.editLink(config.edit.precinct, feature.id),
      ]),
    ]);
  }

  function settlementPopup(feature) {
    const props = feature.properties || {};
    return el("div", { class: "popup" }, [
      el("h3", {}, props.name),
      SP.factsList([
        [labels.population, format.integer(props.population)],
        [labels.status, beyondRadius.has(feature.id) ? labels.beyondRadius : labels.withinRadius],
      ]),
      SP.editLink(config.edit.settlement, feature.id),
    ]);
  }

  /* ---- metric switch ---- */
  function applyMetric() {
    precinctLayer.setStyle(precinctStyle);
    container.dataset.metric = select.value;
    showLegend();
  }
  select.addEventListener("change", applyMetric);

  /* ---- offence figures: the colouring and the change against a year earlier ---- */
  function showOffences(body) {
    (body.precincts || []).forEach(function (row) {
      offencesById.set(row.id, row.per_1000);
    });
    const list = document.querySelector("[data-offence-changes]");
    if (!list) return;
    const changes = body.changes || [];
    list.replaceChildren(
      ...(changes.length
        ? changes.map(function (change) {
            return el("li", { "data-category": change.category }, change.text);
          })
        : [el("li", {}, labels.offencesNone)])
    );
    const period = document.querySelector("[data-offence-period]");
    if (period && body.period) {
      const month = new Intl.DateTimeFormat(config.lang || "ru", { month: "long", year: "numeric" });
      const asMonth = function (iso) {
        return month.format(new Date(iso + "T00:00:00"));
      };
      period.textContent = SP.fill(labels.offencesPeriod, {
        first: asMonth(body.period.current[0]),
        last: asMonth(body.period.current[1]),
      });
    }
  }

  /* ---- loading ---- */
  function addFacilities(kind, layer, collection) {
    collection.features.forEach(function (feature) {
      layer.addLayer(SP.facilityMarker(kind, feature, config.edit[kind]));
    });
  }

  function addCircles(collections) {
    collections.forEach(function (collection) {
      collection.features.forEach(function (feature) {
        const [lon, lat] = feature.geometry.coordinates;
        radiusLayer.addLayer(
          L.circle([lat, lon], {
            radius: config.radius,
            interactive: false,
            className: "sp-radius",
            color: "#0b3d6b",
            weight: 1,
            fillColor: "#2f80ed",
            fillOpacity: 0.08,
          })
        );
      });
    });
  }

  async function start() {
    SP.statusLine(labels.loading);
    const byDistrict = { district: config.district };
    const reach = { in_bbox: config.reachBbox, status: "operating" };
    const [coverage, precincts, stations, posts, reachStations, reachPosts, settlements, outline, offences] =
      await Promise.allSettled([
        SP.fetchJSON(config.urls.coverage),
        SP.geojsonList(config.urls.precincts, byDistrict),
        SP.geojsonList(config.urls.stations, byDistrict),
        SP.geojsonList(config.urls.posts, byDistrict),
        SP.geojsonList(config.urls.stations, reach),
        SP.geojsonList(config.urls.posts, reach),
        SP.geojsonList(config.urls.settlements, byDistrict),
        SP.fetchJSON(SP.withQuery(config.urls.district, { format: "geojson" })),
        SP.fetchJSON(config.urls.offences),
      ]);
    SP.statusLine("");

    if (coverage.status === "fulfilled") {
      (coverage.value.precincts || []).forEach(function (row) {
        rowsById.set(row.id, row);
      });
      beyondRadius = new Set(
        (coverage.value.settlements_beyond_radius || []).map(function (item) {
          return item.id;
        })
      );
      if (coverage.value.uncovered) {
        uncoveredLayer.addData({ type: "Feature", geometry: coverage.value.uncovered, properties: {} });
      }
    } else {
      SP.layerFailed(labels.uncovered, coverage.reason);
    }
    if (outline.status === "fulfilled") outlineLayer.addData(outline.value);
    if (offences.status === "fulfilled") showOffences(offences.value);
    else SP.layerFailed(labels.metrics.offences, offences.reason);

    if (precincts.status === "fulfilled") {
      precinctLayer.addData(precincts.value);
      container.dataset.precincts = String(precincts.value.features.length);
    } else {
      SP.layerFailed(labels.precincts, precincts.reason);
    }
    if (stations.status === "fulfilled") {
      addFacilities("station", stationLayer, stations.value);
      container.dataset.stations = String(stations.value.features.length);
    } else {
      SP.layerFailed(labels.stations, stations.reason);
    }
    if (posts.status === "fulfilled") {
      addFacilities("post", postLayer, posts.value);
      container.dataset.posts = String(posts.value.features.length);
    } else {
      SP.layerFailed(labels.posts, posts.reason);
    }
    addCircles(
      [reachStations, reachPosts]
        .filter(function (result) {
          return result.status === "fulfilled";
        })
        .map(function (result) {
          return result.value;
        })
    );
    container.dataset.circles = String(radiusLayer.getLayers().length);
    if (settlements.status === "fulfilled") {
      settlementLayer.addData(settlements.value);
    } else {
      SP.layerFailed(labels.settlements, settlements.reason);
    }

    precinctLayer.bringToBack();
    outlineLayer.bringToFront();
    applyMetric();
    container.dataset.loaded = "true";
  }

  showLegend();
  SP.fitClear(map, config.bounds, legend);
  start();
})();
