/*
 * Shared helpers of the coverage pages (window.ServicePoliceMaps).
 *
 * Maps are django-leaflet's L.Map.djangoMap, built from the options the page hands over in
 * the "leaflet-options" json_script (tile layer from settings.LEAFLET_CONFIG), so the pages
 * need no inline script. Every text shown comes from the page's "page-labels" json_script;
 * every string from the database goes into the DOM as a text node, never as HTML.
 */
(function () {
  "use strict";

  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const config = readJSON("page-config") || {};
  const labels = readJSON("page-labels") || {};
  const lang = config.lang || document.documentElement.lang || "ru";

  /* el("a", {href: url, class: "x"}, ["text", otherNode]): text children become text nodes. */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.slice(0, 2) === "on" && typeof value === "function") {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? "" : String(value));
    });
    [].concat(children === undefined ? [] : children).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  /* Only web links go into href: a stored "javascript:" URL must not become clickable. */
  function safeHref(url) {
    if (typeof url !== "string" || !url.trim()) return null;
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function telHref(phone) {
    const digits = String(phone || "").replace(/[^\d+]/g, "");
    return digits ? "tel:" + digits : null;
  }

  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function urlFor(template, id) {
    return template ? template.replace("{id}", encodeURIComponent(id)) : null;
  }

  function withQuery(url, params) {
    const target = new URL(url, window.location.href);
    Object.entries(params).forEach(function ([key, value]) {
      if (value !== null && value !== undefined && value !== "") {
        target.searchParams.set(key, value);
      }
    });
    return target.pathname + target.search;
  }

  /* ---- formats ---- */
  const integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const percentFormat = new Intl.NumberFormat(lang, {
    style: "percent",
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  });
  const metreFormat = new Intl.NumberFormat(lang, {
    style: "unit",
    unit: "meter",
    maximumFractionDigits: 0,
  });
  const kmFormat = new Intl.NumberFormat(lang, {
    style: "unit",
    unit: "kilometer",
    maximumFractionDigits: 1,
  });
  const dateTimeFormat = new Intl.DateTimeFormat(lang, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: config.timeZone || undefined,
  });

  const format = {
    integer: function (value) {
      return value === null || value === undefined ? "—" : integer.format(value);
    },
    percent: function (share) {
      return share === null || share === undefined ? "—" : percentFormat.format(share);
    },
    distance: function (metres) {
      if (metres === null || metres === undefined) return "—";
      return metres < 1000 ? metreFormat.format(metres) : kmFormat.format(metres / 1000);
    },
    dateTime: function (iso) {
      return iso ? dateTimeFormat.format(new Date(iso)) : "—";
    },
  };

  /* ---- fetching ---- */
  async function fetchJSON(url) {
    const response = await fetch(url, {
      headers: { Accept: "application/geo+json, application/json" },
      credentials: "same-origin",
    });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) {
      const failure = new Error((body && body.message) || response.statusText);
      failure.status = response.status;
      failure.body = body;
      throw failure;
    }
    return body;
  }

  /* Every page of a paged list: results (JSON) or features (GeoJSON) joined. */
  async function fetchAll(url) {
    const items = [];
    let next = url;
    let geojson = false;
    while (next) {
      const page = await fetchJSON(next);
      if (page.type === "FeatureCollection") {
        geojson = true;
        items.push(...page.features);
      } else {
        items.push(...(page.results || []));
      }
      next = page.next || null;
    }
    return geojson ? { type: "FeatureCollection", features: items } : items;
  }

  /* Every feature of a GeoJSON list, in the largest pages the API gives. */
  function geojsonList(url, params) {
    return fetchAll(withQuery(url, Object.assign({ format: "geojson", limit: 500 }, params)));
  }

  /* ---- map ---- */
  function statusLine(text) {
    const node = document.querySelector("[data-map-status]");
    if (node) node.textContent = text || "";
  }

  function layerFailed(name, error) {
    statusLine(fill(labels.loadFailed, { layer: name }));
    if (window.console) console.warn(name, error); // eslint-disable-line no-console
  }

  /* Metres one screen pixel spans at a zoom level, at the map's centre latitude. */
  function metresPerPixel(map, zoom) {
    const lat = map.getCenter().lat;
    return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / Math.pow(2, zoom + 8);
  }

  function createMap(id) {
    const djoptions = readJSON("leaflet-options");
    const map = L.Map.djangoMap(id, {
      djoptions: djoptions,
      globals: false,
      callback: null,
      zoomSnap: 0.25, // fit a district or precinct snugly, not to the next whole zoom level
    });
    const container = map.getContainer();
    const notice = document.querySelector("[data-tiles-notice]");
    // Offline (the usual case on closed networks) tiles fail: say so, keep the layers.
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on("tileerror", function () {
        container.dataset.tiles = "unavailable";
        container.classList.add("tiles-unavailable");
        if (notice) notice.hidden = false;
      });
      layer.on("tileload", function () {
        if (container.dataset.tiles !== "unavailable") container.dataset.tiles = "loaded";
      });
    });
    window.servicePoliceMap = map; // for the browser tests: latLngToContainerPoint and friends
    return map;
  }

  function legendControl(position) {
    const control = L.control({ position: position || "bottomright" });
    control.onAdd = function () {
      const box = el("div", { class: "map-legend leaflet-bar" });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      control.box = box;
      return box;
    };
    /* sections: [{title, items: [{swatch: colour | node, text}]}] */
    control.show = function (sections) {
      const box = control.box;
      if (!box) return;
      box.replaceChildren();
      const details = el("details", {
        open: window.matchMedia("(min-width: 700px)").matches,
      });
      details.appendChild(el("summary", {}, labels.legend));
      sections.forEach(function (section) {
        details.appendChild(el("h3", {}, section.title));
        const list = el("ul");
        section.items.forEach(function (item) {
          const swatch = item.swatch instanceof Node ? item.swatch : colourSwatch(item);
          list.appendChild(el("li", {}, [swatch, el("span", {}, item.text)]));
        });
        details.appendChild(list);
      });
      box.appendChild(details);
    };
    return control;
  }

  /* Fit the map to bounds, keeping them clear of an open legend in the bottom-right corner. */
  function fitClear(map, bounds, legend) {
    const box = legend && legend.box;
    const details = box && box.querySelector("details");
    let right = 16;
    let bottom = 16;
    if (details && details.open) {
      // Keep clear of the legend's corner by giving up a strip at the right or at the
      // bottom, whichever leaves the larger area.
      const size = map.getSize();
      const width = box.offsetWidth + 20;
      const height = box.offsetHeight + 20;
      if ((size.x - width) * size.y >= size.x * (size.y - height)) right = width;
      else bottom = height;
    }
    // No animation: the page marks itself loaded right after, with the view final.
    map.fitBounds(bounds, {
      paddingTopLeft: [16, 16],
      paddingBottomRight: [right, bottom],
      animate: false,
    });
  }

  /* Styles through the CSSOM, not style attributes: the pages are meant to run under a
     Content-Security-Policy without 'unsafe-inline'. */
  function colourSwatch(item) {
    const swatch = el("span", { class: "swatch " + (item.shape || "") });
    swatch.style.background = item.fill || "transparent";
    if (item.border) swatch.style.borderColor = item.border;
    return swatch;
  }

  /* ---- colour scales ---- */
  const NO_DATA = "#b8bec6";
  const scales = {
    // share of residents within reach: red (none) to green (all)
    covered: {
      breaks: [0.2, 0.4, 0.6, 0.8],
      colours: ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"],
    },
    // residents per active inspector: green (few) to red (many)
    residents: {
      breaks: [2500, 5000, 10000, 20000],
      colours: ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"],
    },
    // offences per 1,000 residents over 12 months: green (few) to red (many)
    offences: {
      breaks: [5, 10, 20, 40],
      colours: ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"],
    },
  };

  function colourFor(scale, value) {
    if (value === null || value === undefined || Number.isNaN(value)) return NO_DATA;
    const spec = scales[scale];
    let index = 0;
    while (index < spec.breaks.length && value >= spec.breaks[index]) index += 1;
    return spec.colours[index];
  }

  function scaleLegend(scale, formatter) {
    const spec = scales[scale];
    return spec.colours.map(function (colour, index) {
      const low = index === 0 ? null : spec.breaks[index - 1];
      const high = index < spec.breaks.length ? spec.breaks[index] : null;
      let text;
      if (low === null) text = "< " + formatter(high);
      else if (high === null) text = "≥ " + formatter(low);
      else text = formatter(low) + " – " + formatter(high);
      return { fill: colour, text: text };
    });
  }

  /* ---- facilities ---- */
  function facilityIcon(kind, status, roundTheClock) {
    const node = el("span", {
      class: "fac fac-" + kind + " fac-status-" + status,
      "data-kind": kind,
      "data-status": status,
    });
    if (roundTheClock) node.appendChild(el("span", { class: "fac-badge" }, labels.badge247));
    return L.divIcon({
      html: node,
      className: "fac-icon fac-icon-" + kind,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -12],
      tooltipAnchor: [12, 0],
    });
  }

  function facilityTitle(kind, props) {
    if (kind === "station") {
      return [labels.station, props.number, props.name].filter(Boolean).join(" ");
    }
    return props.name || props.address || labels.post;
  }

  function factsList(rows) {
    const list = el("dl", { class: "popup-facts" });
    rows.forEach(function ([term, value]) {
      if (value === null || value === undefined || value === "") return;
      list.appendChild(el("dt", {}, term));
      list.appendChild(el("dd", {}, value));
    });
    return list;
  }

  function editLink(template, id) {
    return template ? el("a", { class: "edit-link", href: urlFor(template, id) }, labels.edit) : null;
  }

  function facilityPopup(kind, feature, editTemplate) {
    const props = feature.properties || {};
    const status = (labels.statuses || {})[props.status] || props.status_label || props.status;
    const phone = props.phone
      ? el("a", { href: telHref(props.phone) }, props.phone)
      : null;
    return el("div", { class: "popup" }, [
      el("h3", {}, facilityTitle(kind, props)),
      kind === "post" ? el("p", { class: "muted" }, labels.post) : null,
      factsList([
        [labels.status, status],
        [labels.address, props.address],
        [labels.phone, phone],
        [labels.receptionHours, props.reception_hours],
        [labels.placement, (labels.placements || {})[props.placement]],
        [labels.roundTheClock, props.round_the_clock ? "✓" : null],
      ]),
      editLink(editTemplate, feature.id),
    ]);
  }

  function facilityMarker(kind, feature, editTemplate) {
    const [lon, lat] = feature.geometry.coordinates;
    const props = feature.properties || {};
    const marker = L.marker([lat, lon], {
      icon: facilityIcon(kind, props.status, props.round_the_clock),
      title: facilityTitle(kind, props),
      alt: facilityTitle(kind, props),
      riseOnHover: true,
    });
    marker.bindPopup(function () {
      return facilityPopup(kind, feature, editTemplate);
    });
    return marker;
  }

  /* Legend rows for facility markers: shape by kind, colour by status, the 24/7 badge. */
  function facilityLegend() {
    const items = [];
    ["station", "post"].forEach(function (kind) {
      items.push({ swatch: facilityIcon(kind, "operating", false).options.html.cloneNode(true),
        text: kind === "station" ? labels.station : labels.post });
    });
    Object.entries(labels.statuses || {}).forEach(function ([status, text]) {
      if (status === "operating") return;
      items.push({ swatch: facilityIcon("station", status, false).options.html.cloneNode(true), text: text });
    });
    items.push({ swatch: facilityIcon("post", "operating", true).options.html.cloneNode(true),
      text: labels.roundTheClock });
    return items;
  }

  window.ServicePoliceMaps = {
    config: config,
    labels: labels,
    readJSON: readJSON,
    el: el,
    safeHref: safeHref,
    telHref: telHref,
    fill: fill,
    urlFor: urlFor,
    withQuery: withQuery,
    format: format,
    fetchJSON: fetchJSON,
    fetchAll: fetchAll,
    geojsonList: geojsonList,
    statusLine: statusLine,
    layerFailed: layerFailed,
    metresPerPixel: metresPerPixel,
    createMap: createMap,
    legendControl: legendControl,
    fitClear: fitClear,
    colourFor: colourFor,
    scaleLegend: scaleLegend,
    NO_DATA: NO_DATA,
    facilityIcon: facilityIcon,
    facilityMarker: facilityMarker,
    facilityPopup: facilityPopup,
    facilityTitle: facilityTitle,
    facilityLegend: facilityLegend,
    factsList: factsList,
    editLink: editLink,
  };
})();
