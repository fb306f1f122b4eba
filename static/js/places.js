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
