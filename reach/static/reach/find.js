/*
 * "Find my inspector": a click on the map (or the browser's location) asks
 * GET /api/v1/locate/ and shows the precinct, its inspectors (public contacts only), the
 * nearest stations and posts with their distance, and the next meeting with residents.
 */
(function () {
  "use strict";

  const SP = window.ServicePoliceMaps;
  const config = SP.config;
  const labels = SP.labels;
  const el = SP.el;
  const format = SP.format;

  const container = document.getElementById("find-map");
  const result = document.getElementById("find-result");
  const geolocateButton = document.getElementById("geolocate");
  const map = SP.createMap("find-map");

  const districtLayer = L.geoJSON(null, {
    interactive: false,
    style: { className: "sp-district-outline", color: "#0b3d6b", weight: 2, fillOpacity: 0.04 },
  }).addTo(map);
  const precinctLayer = L.geoJSON(null, {
    interactive: false,
    style: {
      className: "sp-precinct",
      color: "#0b3d6b",
      weight: 3,
      fillColor: "#2f80ed",
      fillOpacity: 0.15,
    },
  }).addTo(map);
  const facilityLayer = L.layerGroup().addTo(map);
  const legend = SP.legendControl("bottomright").addTo(map);
  legend.show([{ title: labels.facilityLegend, items: SP.facilityLegend() }]);
  let pointLayer = null;
  let request = 0; // answers to superseded clicks are dropped

  function setState(state) {
    result.dataset.state = state;
  }

  function section(title, children) {
    return el("section", { class: "find-section" }, [el("h3", {}, title)].concat(children));
  }

  function link(href, text, external) {
    const safe = SP.safeHref(href);
    if (!safe) return null;
    return el("a", external ? { href: safe, rel: "noopener noreferrer", target: "_blank" } : { href: safe }, text);
  }

  /* ---- rendering ---- */
  function inspectorCard(inspector) {
    const phone = inspector.service_phone
      ? el("a", { href: SP.telHref(inspector.service_phone) }, inspector.service_phone)
      : null;
    const contacts = [
      link(inspector.messenger_url, labels.messenger, true),
      link(inspector.social_url, labels.social, true),
    ].filter(Boolean);
    const assistants = (inspector.assistants || []).map(function (assistant) {
      return [assistant.last_name, assistant.first_name, assistant.middle_name]
        .filter(Boolean)
        .join(" ");
    });
    const photo = SP.safeHref(inspector.photo);
    return el("article", { class: "person", "data-inspector": inspector.id }, [
      photo ? el("img", { class: "person-photo", src: photo, alt: inspector.full_name }) : null,
      el("h4", {}, inspector.full_name),
      el("p", { class: "muted" }, [inspector.position_label, inspector.rank_label].filter(Boolean).join(", ")),
      SP.factsList([
        [labels.phone, phone],
        [labels.receptionHours, inspector.reception_hours],
        [labels.assistants, assistants.length ? assistants.join(", ") : null],
      ]),
      contacts.length ? el("p", { class: "contacts" }, contacts) : null,
    ]);
  }

  function facilityItem(facility) {
    const kind = facility.type === "station" ? "station" : "post";
    const phone = facility.phone ? el("a", { href: SP.telHref(facility.phone) }, facility.phone) : null;
    return el("li", { "data-facility": kind + "-" + facility.id }, [
      el("strong", {}, SP.facilityTitle(kind, facility)),
      facility.round_the_clock ? el("span", { class: "badge-247" }, labels.badge247) : null,
      el("div", { class: "distance" }, SP.fill(labels.straightLine, { distance: format.distance(facility.distance_m) })),
      SP.factsList([
        [labels.address, facility.address],
        [labels.phone, phone],
        [labels.receptionHours, facility.reception_hours || (facility.round_the_clock ? labels.roundTheClock : null)],
      ]),
    ]);
  }

  function nearestSection(facilities) {
    if (!facilities || !facilities.length) return null;
    return section(labels.nearest, [el("ol", { class: "facility-list" }, facilities.map(facilityItem))]);
  }

  function showFacilities(facilities, lat, lon) {
    facilityLayer.clearLayers();
    (facilities || []).forEach(function (facility) {
      const kind = facility.type === "station" ? "station" : "post";
      const feature = {
        id: facility.id,
        geometry: facility.geom,
        properties: Object.assign({ status: "operating" }, facility),
      };
      facilityLayer.addLayer(SP.facilityMarker(kind, feature, null));
    });
    const first = facilities && facilities[0];
    if (first) {
      const [flon, flat] = first.geom.coordinates;
      const bounds = L.latLngBounds([[lat, lon], [flat, flon]]);
      if (!map.getBounds().contains(bounds)) map.fitBounds(bounds.pad(0.3), { maxZoom: 16 });
    }
  }

  function renderFound(data) {
    const precinct = data.precinct;
    const title = SP.fill(labels.precinctNumber, { number: precinct.number });
    const inspectors = data.inspectors || [];
    const meeting = data.next_meeting;
    result.replaceChildren(
      section(labels.yourPrecinct, [
        el("p", { class: "precinct-name" }, [
          el("strong", {}, precinct.name ? title + " — " + precinct.name : title),
          el("br"),
          data.district.name + (data.region ? ", " + data.region.name : ""),
        ]),
        el("p", {}, el("a", { href: SP.urlFor(config.urls.precinctPage, precinct.id) }, labels.precinctPage)),
      ]),
      section(
        inspectors.length > 1 ? labels.inspectors : labels.inspector,
        inspectors.length
          ? inspectors.map(inspectorCard)
          : [el("p", { class: "warning" }, labels.noInspector)]
      ),
      nearestSection(data.nearest_facilities),
      section(
        labels.nextMeeting,
        meeting
          ? [
              el("p", { class: "meeting" }, [
                el("strong", {}, format.dateTime(meeting.scheduled_at)),
                el("br"),
                meeting.place,
                el("br"),
                el("small", { class: "muted" }, (labels.meetingKinds || {})[meeting.kind] || meeting.kind_label),
              ]),
            ]
          : [el("p", { class: "muted" }, labels.noMeeting)]
      )
    );
  }

  function renderOutside(body) {
    const nearest = (body.extra && body.extra.nearest_facilities) || [];
    result.replaceChildren(el("p", { class: "warning" }, body.message), nearestSection(nearest));
    return nearest;
  }

  /* A short answer at the point itself: on a phone the full answer is below the map. */
  function summaryPopup(data) {
    const precinct = data.precinct;
    const inspectors = data.inspectors || [];
    const content = el("div", { class: "popup" }, [
      el("h3", {}, SP.fill(labels.precinctNumber, { number: precinct.number })),
      inspectors.length
        ? el(
            "ul",
            { class: "plain" },
            inspectors.map(function (inspector) {
              return el("li", {}, [
                inspector.full_name,
                inspector.service_phone
                  ? el("span", {}, [", ", el("a", { href: SP.telHref(inspector.service_phone) }, inspector.service_phone)])
                  : null,
              ]);
            })
          )
        : el("p", {}, labels.noInspector),
      el(
        "button",
        {
          type: "button",
          class: "link-button",
          onclick: function () {
            result.scrollIntoView({ behavior: "smooth", block: "start" });
          },
        },
        labels.details
      ),
    ]);
    pointLayer.bindPopup(content, { autoPanPadding: [20, 20] }).openPopup();
  }

  /* ---- lookup ---- */
  function placePoint(lat, lon) {
    if (pointLayer) pointLayer.remove();
    pointLayer = L.circleMarker([lat, lon], {
      className: "sp-point",
      radius: 8,
      color: "#fff",
      weight: 3,
      fillColor: "#c62828",
      fillOpacity: 1,
    }).addTo(map);
  }

  async function loadPrecinct(id, seq) {
    try {
      const shape = await SP.fetchJSON(
        SP.withQuery(SP.urlFor(config.urls.precinct, id), { format: "geojson" })
      );
      if (seq === request) precinctLayer.addData(shape);
    } catch (error) {
      SP.layerFailed(labels.yourPrecinct, error);
    }
  }

  async function locate(lat, lon) {
    const seq = ++request;
    setState("loading");
    precinctLayer.clearLayers();
    placePoint(lat, lon);
    result.replaceChildren(el("p", { class: "muted" }, labels.locating));
    const query = { lat: lat.toFixed(6), lon: lon.toFixed(6) };
    window.history.replaceState(null, "", SP.withQuery(window.location.pathname, query));
    try {
      const data = await SP.fetchJSON(SP.withQuery(config.urls.locate, query));
      if (seq !== request) return;
      renderFound(data);
      showFacilities(data.nearest_facilities, lat, lon);
      summaryPopup(data);
      setState("found");
      loadPrecinct(data.precinct.id, seq);
    } catch (error) {
      if (seq !== request) return;
      if (error.status === 404 && error.body) {
        showFacilities(renderOutside(error.body), lat, lon);
        setState("outside");
      } else {
        result.replaceChildren(el("p", { class: "warning" }, labels.serverError));
        setState("error");
      }
    }
  }

  map.on("click", function (event) {
    locate(event.latlng.lat, event.latlng.lng);
  });

  if (navigator.geolocation && window.isSecureContext) {
    geolocateButton.hidden = false;
    geolocateButton.addEventListener("click", function () {
      SP.statusLine(labels.geolocating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          SP.statusLine("");
          const lat = position.coords.latitude;
          const lon = position.coords.longitude;
          map.setView([lat, lon], Math.max(map.getZoom(), 14));
          locate(lat, lon);
        },
        function () {
          SP.statusLine(labels.geoUnavailable);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  /* ---- start: district outlines show where the service is mapped ---- */
  async function start() {
    const params = new URLSearchParams(window.location.search);
    const lat = parseFloat(params.get("lat"));
    const lon = parseFloat(params.get("lon"));
    const wanted = Number.isFinite(lat) && Number.isFinite(lon);
    try {
      const data = await SP.fetchAll(
        SP.withQuery(config.urls.districts, {
          format: "geojson",
          limit: 500,
          simplify: Math.round(SP.metresPerPixel(map, 8)),
        })
      );
      districtLayer.addData(data);
      const bounds = districtLayer.getBounds();
      if (!wanted && bounds.isValid()) SP.fitClear(map, bounds, legend);
    } catch (error) {
      SP.layerFailed(labels.district, error);
    }
    if (wanted) {
      map.setView([lat, lon], 14, { animate: false });
      await locate(lat, lon);
    }
    container.dataset.loaded = "true";
  }

  start();
})();
