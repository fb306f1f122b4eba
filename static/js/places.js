// Place names as she types: suggestions under every place box (inputs with data-place-suggest),
// from the server's in-memory list of places. Without this file the box still takes a name:
// the server reads it, and offers a choice when a name is shared by several places.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="place-suggest"]');
  if (!meta || !window.fetch) return;
  var endpoint = meta.getAttribute("content");
  var boxes = document.querySelectorAll("input[data-place-suggest]");
  Array.prototype.forEach.call(boxes, function (input, index) {
    var list = document.createElement("datalist");
    list.id = "place-suggestions-" + index;
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (!text || text === asked || text.length > 20) return;
        asked = text;
        fetch(endpoint + "?q=" + encodeURIComponent(text), { credentials: "omit" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (input.value.trim() !== text) return; // she typed on meanwhile
            list.textContent = "";
            (data.results || []).forEach(function (place) {
              var option = document.createElement("option");
              option.value = place.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: the box still works */ });
      }, 150);
    });
  });
})();

// Her last place: remembered in this browser only (never sent anywhere), offered on the home
// page's place box when it is empty.
(function () {
  "use strict";
  var KEY = "momjobs.place";
  try {
    var searched = document.querySelector("#search-form input[name=region]");
    if (searched && searched.value.trim() && !searched.closest(".has-error")) {
      window.localStorage.setItem(KEY, searched.value.trim());
    }
    var home = document.querySelector("input[data-remember-place]");
    if (home && !home.value) home.value = window.localStorage.getItem(KEY) || "";
  } catch (error) {
    /* storage refused (private mode): nothing is remembered */
  }
})();
