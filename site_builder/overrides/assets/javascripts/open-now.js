/* The directory pages: "Åpen nå"/"Stengt nå" from the intervals the build wrote into
 * data-hi-open-now, and the overview's filter by municipality and type.
 * Plain JS, no framework; text is set with textContent only. Without JS the pages show
 * the opening hours as text and the overview as a plain list. */
(function () {
  "use strict";

  var STATES = { open: "Åpen nå", unknown: "Usikkert om det er åpent nå", closed: "Stengt nå" };

  function showOpenNow(element) {
    var data;
    try {
      data = JSON.parse(element.getAttribute("data-hi-open-now"));
    } catch (error) {
      return;
    }
    var now = Date.now();
    if (now < Date.parse(data.from) || now >= Date.parse(data.until)) {
      return; // the page is older than its window: keep to the written hours
    }
    var state = "closed";
    data.intervals.forEach(function (interval) {
      if (now >= Date.parse(interval[0]) && now < Date.parse(interval[1])) {
        state = interval[2];
      }
    });
    element.textContent = "(" + STATES[state] + ")";
    element.className = "hi-open-now hi-open-now--" + state;
    element.hidden = false;
  }

  function setUpFilter(form) {
    var municipality = form.querySelector("#hi-filter-kommune");
    var type = form.querySelector("#hi-filter-type");
    var status = form.querySelector("[data-hi-filter-status]");
    var links = Array.prototype.slice.call(document.querySelectorAll("a[data-hi-type]"));
    var params = new URLSearchParams(window.location.search);
    municipality.value = params.get("kommune") || "";
    type.value = params.get("type") || "";
    if (municipality.value !== (params.get("kommune") || "")) municipality.value = "";
    if (type.value !== (params.get("type") || "")) type.value = "";

    function apply() {
      var shown = 0;
      links.forEach(function (link) {
        var served = (link.getAttribute("data-hi-municipalities") || "").split(" ");
        var visible = (!municipality.value || served[0] === "alle" || served.indexOf(municipality.value) !== -1) &&
          (!type.value || link.getAttribute("data-hi-type") === type.value);
        var item = link.closest("li") || link;
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      status.textContent = "Viser " + shown + " av " + links.length + ".";
    }

    municipality.addEventListener("change", apply);
    type.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-hi-open-now]"), showOpenNow);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-hi-filter]"), setUpFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
