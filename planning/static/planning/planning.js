/*
 * Planning page: existing facilities and candidate sites from the API; the form runs a plan
 * (POST /api/v1/siting-plans/) with a spinner and the seconds elapsed; the proposed sites are
 * drawn as numbered markers with their walking circles, and listed with the residents each
 * newly covers and the before/after figures. Saved plans open the same way.
 */
(function () {
  "use strict";

  const SP = window.ServicePoliceMaps;
  const config = SP.config;
  const labels = SP.labels;
  const el = SP.el;
  const format = SP.format;

  const container = document.getElementById("planning-map");
  const map = SP.createMap("planning-map");
  const legend = SP.legendControl("bottomright").addTo(map);

  const outlineLayer = L.geoJSON(null, {
    interactive: false,
    style: { className: "sp-district-outline", color: "#0b3d6b", weight: 3, fill: false },
  });
  const stationLayer = L.layerGroup();
  const postLayer = L.layerGroup();
  const existingCircles = L.layerGroup();
  const candidateLayer = L.layerGroup();
  const proposedLayer = L.layerGroup();
  const proposedCircles = L.layerGroup();
  [outlineLayer, existingCircles, proposedCircles, candidateLayer, stationLayer, postLayer, proposedLayer].forEach(
    function (layer) {
      layer.addTo(map);
    }
  );
  const overlays = {};
  overlays[labels.stations] = stationLayer;
  overlays[labels.posts] = postLayer;
  overlays[labels.existingCircles] = existingCircles;
  overlays[labels.candidates] = candidateLayer;
  overlays[labels.proposed] = proposedLayer;
  overlays[labels.proposedCircles] = proposedCircles;
  overlays[labels.districtBorder] = outlineLayer;
  L.control.layers(null, overlays, { collapsed: true }).addTo(map);

  legend.show([
    {
      title: labels.proposed,
      items: [
        { fill: "#6a1b9a", text: labels.legendProposed },
        { fill: "#ffffff", text: labels.legendCandidate },
      ],
    },
    { title: labels.facilityLegend, items: SP.facilityLegend() },
  ]);

  function circle(lat, lon, radius, className, colour, fillOpacity) {
    return L.circle([lat, lon], {
      radius: radius,
      interactive: false,
      className: className,
      color: colour,
      weight: 1,
      fillColor: colour,
      fillOpacity: fillOpacity,
    });
  }

  async function loadLayers() {
    SP.statusLine(labels.loading);
    const byDistrict = Object.assign({}, config.territory);
    const reach = { in_bbox: config.reachBbox, status: "operating" };
    const [outline, stations, posts, reachStations, reachPosts, candidates] = await Promise.allSettled([
      SP.fetchJSON(SP.withQuery(config.urls.district, { format: "geojson" })),
      SP.geojsonList(config.urls.stations, byDistrict),
      SP.geojsonList(config.urls.posts, byDistrict),
      SP.geojsonList(config.urls.stations, reach),
      SP.geojsonList(config.urls.posts, reach),
      SP.geojsonList(config.urls.candidates, Object.assign({ active: "true" }, config.territory)),
    ]);
    SP.statusLine("");
    if (outline.status === "fulfilled") outlineLayer.addData(outline.value);
    [
      ["station", stationLayer, stations],
      ["post", postLayer, posts],
    ].forEach(function ([kind, layer, result]) {
      if (result.status !== "fulfilled") {
        SP.layerFailed(labels[kind + "s"], result.reason);
        return;
      }
      result.value.features.forEach(function (feature) {
        layer.addLayer(SP.facilityMarker(kind, feature, config.edit[kind]));
      });
    });
    [reachStations, reachPosts].forEach(function (result) {
      if (result.status !== "fulfilled") return;
      result.value.features.forEach(function (feature) {
        const [lon, lat] = feature.geometry.coordinates;
        if (config.radius) existingCircles.addLayer(circle(lat, lon, config.radius, "sp-radius", "#0b3d6b", 0.08));
      });
    });
    if (candidates.status === "fulfilled") {
      candidates.value.features.forEach(function (feature) {
        const [lon, lat] = feature.geometry.coordinates;
        const name = (feature.properties || {}).name || "";
        candidateLayer.addLayer(
          L.marker([lat, lon], {
            icon: L.divIcon({ className: "sp-candidate-icon", iconSize: [12, 12] }),
            title: name,
            alt: name,
          }).bindPopup(function () {
            return el("div", { class: "popup" }, [el("h3", {}, name), el("p", {}, labels.legendCandidate)]);
          })
        );
      });
      container.dataset.candidates = String(candidates.value.features.length);
    } else {
      SP.layerFailed(labels.candidates, candidates.reason);
    }
    container.dataset.loaded = "true";
  }

  /* ---- showing a plan ---- */
  const result = document.getElementById("plan-result");

  function siteName(site) {
    if (site.candidate_name) return site.candidate_name;
    const [lon, lat] = site.geom.coordinates;
    return SP.fill(labels.gridPoint, { lat: lat.toFixed(5), lon: lon.toFixed(5) });
  }

  function showPlan(plan) {
    proposedLayer.clearLayers();
    proposedCircles.clearLayers();
    const bounds = [];
    plan.sites.forEach(function (site) {
      const [lon, lat] = site.geom.coordinates;
      bounds.push([lat, lon]);
      const title = site.rank + ". " + siteName(site);
      proposedCircles.addLayer(circle(lat, lon, plan.radius_m, "sp-proposed-circle", "#6a1b9a", 0.15));
      proposedLayer.addLayer(
        L.marker([lat, lon], {
          icon: L.divIcon({
            className: "sp-proposed-icon sp-proposed",
            html: String(site.rank),
            iconSize: [26, 26],
          }),
          title: title,
          alt: title,
          zIndexOffset: 1000,
        }).bindPopup(function () {
          return el("div", { class: "popup" }, [
            el("h3", {}, title),
            SP.factsList([[labels.newlyCovered, format.integer(site.newly_covered_population)]]),
          ]);
        })
      );
    });
    container.dataset.proposed = String(plan.sites.length);

    result.hidden = false;
    result.querySelector("[data-plan-title]").textContent = SP.fill(labels.planTitle, {
      id: plan.id,
      date: format.dateTime(plan.created_at),
    }) + (plan.name ? " — " + plan.name : "");
    const note = result.querySelector("[data-solver-note]");
    note.className = "solver-note " + plan.solver;
    note.dataset.solver = plan.solver;
    let text;
    if (!plan.sites.length) text = labels.noSites;
    else if (plan.solver === "exact") text = labels.exact;
    else text = SP.fill(labels.greedy, { limit: plan.time_limit_s });
    if (plan.sites.length && plan.sites.length < plan.new_sites) {
      text += " " + SP.fill(labels.fewerSites, { found: plan.sites.length, asked: plan.new_sites });
    }
    note.textContent =
      text +
      " " +
      SP.fill(labels.greedyAlongside, {
        value: format.integer(plan.greedy_objective),
        exact: plan.exact_objective === null ? "—" : format.integer(plan.exact_objective),
      });

    const rows = result.querySelector("[data-plan-sites]");
    rows.replaceChildren(
      ...plan.sites.map(function (site) {
        return el("tr", { "data-rank": site.rank }, [
          el("td", {}, String(site.rank)),
          el("td", {}, siteName(site)),
          el("td", {}, format.integer(site.newly_covered_population)),
        ]);
      })
    );
    const before = plan.metrics.before || {};
    const after = plan.metrics.after || {};
    const metricRows = [
      [labels.facilities, format.integer(before.facilities), format.integer(after.facilities)],
      [labels.coveredPopulation, format.integer(before.covered_population), format.integer(after.covered_population)],
      [labels.coveredShare, format.percent(before.covered_population_share), format.percent(after.covered_population_share)],
      [labels.coveredArea, format.percent(before.covered_area_share), format.percent(after.covered_area_share)],
    ];
    result.querySelector("[data-plan-metrics]").replaceChildren(
      ...metricRows.map(function (cells) {
        return el("tr", {}, [el("th", {}, cells[0]), el("td", {}, cells[1]), el("td", {}, cells[2])]);
      })
    );
    result.querySelector("[data-plan-stats]").textContent =
      SP.fill(labels.candidatesUsed, {
        candidates: format.integer(plan.metrics.candidates),
        outside: format.integer(plan.metrics.excluded_outside_district),
        near: format.integer(plan.metrics.excluded_near_facility),
        demand: format.integer(plan.metrics.demand_points),
      }) +
      " " +
      SP.fill(labels.runtime, { seconds: plan.runtime_s });
    result.querySelector("[data-plan-links]").replaceChildren(
      el("a", { href: SP.urlFor(config.urls.geojson, plan.id), download: "" }, labels.downloadGeojson),
      " · ",
      el("a", { href: SP.urlFor(config.urls.xlsx, plan.id), download: "" }, labels.downloadXlsx)
    );
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.4), { maxZoom: 15 });
  }

  /* ---- running a plan ---- */
  const form = document.getElementById("plan-form");
  const NUMBER_FIELDS = ["new_sites", "radius_m", "offence_weight", "grid_spacing_m", "min_distance_m", "time_limit_s"];

  function formPayload() {
    const data = new FormData(form);
    const payload = Object.assign({}, config.territory);
    ["name", "facility_kind", "offence_category"].forEach(function (name) {
      payload[name] = data.get(name) || "";
    });
    NUMBER_FIELDS.forEach(function (name) {
      const raw = String(data.get(name) || "").trim();
      if (raw !== "") payload[name] = Number(raw.replace(",", "."));
      if (raw !== "" && Number.isNaN(payload[name])) payload[name] = raw;
    });
    if (!payload.offence_category) delete payload.offence_category;
    payload.use_candidate_sites = data.get("use_candidate_sites") !== null;
    payload.use_grid = data.get("use_grid") !== null;
    return payload;
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (node) {
      node.textContent = "";
    });
  }

  function showErrors(body) {
    const fields = (body && body.extra && body.extra.fields) || {};
    let shown = false;
    Object.entries(fields).forEach(function ([name, messages]) {
      const node =
        form.querySelector('[data-error-for="' + name + '"]') ||
        form.querySelector('[data-error-for="non_field_errors"]');
      node.textContent = [].concat(messages).join(" ");
      shown = true;
    });
    if (!shown) {
      form.querySelector('[data-error-for="non_field_errors"]').textContent = SP.fill(labels.failed, {
        message: (body && body.message) || "",
      });
    }
  }

  if (form) {
    const progress = form.querySelector("[data-plan-progress]");
    const progressText = form.querySelector("[data-plan-progress-text]");
    const button = document.getElementById("run-plan");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      clearErrors();
      const payload = formPayload();
      const started = Date.now();
      const tick = function () {
        progressText.textContent = SP.fill(labels.running, {
          seconds: Math.round((Date.now() - started) / 1000),
          limit: payload.time_limit_s === undefined ? "—" : payload.time_limit_s,
        });
      };
      tick();
      const timer = window.setInterval(tick, 500);
      progress.hidden = false;
      button.disabled = true;
      try {
        const response = await fetch(config.urls.plans, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
          },
          body: JSON.stringify(payload),
        });
        let body = null;
        try {
          body = await response.json();
        } catch (error) {
          body = null;
        }
        if (response.ok) {
          showPlan(body);
          listPlan(body);
        } else showErrors(body || { message: response.statusText });
      } catch (error) {
        showErrors({ message: String(error) });
      } finally {
        window.clearInterval(timer);
        progress.hidden = true;
        button.disabled = false;
      }
    });
  }

  function openOnClick(button) {
    button.addEventListener("click", async function () {
      try {
        showPlan(await SP.fetchJSON(SP.urlFor(config.urls.plan, button.dataset.planId)));
      } catch (error) {
        SP.layerFailed(labels.proposed, error);
      }
    });
  }
  document.querySelectorAll("[data-plan-id]").forEach(openOnClick);

  /* A plan just run joins the saved plans at the top. */
  function listPlan(plan) {
    let list = document.querySelector(".plan-list");
    if (!list) {
      const empty = document.querySelector("[data-no-plans]");
      list = el("ul", { class: "plan-list" });
      if (empty) empty.replaceWith(list);
      else return;
    }
    const title = SP.fill(labels.planTitle, { id: plan.id, date: format.dateTime(plan.created_at) });
    const button = el("button", { type: "button", class: "link-button", "data-plan-id": plan.id },
      plan.name ? plan.name : title);
    openOnClick(button);
    list.prepend(el("li", {}, [button, el("small", {}, plan.solver_label)]));
  }

  SP.fitClear(map, config.bounds, legend);
  loadLayers();
})();
