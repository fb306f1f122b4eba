// Search results refresh in place when filters change; the URL follows, so links stay shareable
// and the back button works. Without JavaScript the form simply submits.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.history.pushState) return;

  function queryOf(formElement) {
    var params = new URLSearchParams(new FormData(formElement));
    // Empty fields make ugly links: leave them out.
    Array.from(params.keys()).forEach(function (key) {
      if (params.get(key) === "") params.delete(key);
    });
    return params.toString();
  }

  function load(url, push) {
    results.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Partial": "results" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#results");
        if (fresh) results.replaceWith(fresh);
        results = fresh || results;
        if (push) {
          window.history.pushState({ search: true }, "", url);
          shown = window.location.pathname + window.location.search;
        }
      })
      .catch(function () {
        window.location.assign(url); // fall back to a normal page load
      })
      .finally(function () {
        results.removeAttribute("aria-busy");
      });
  }

  var timer = null;
  function refresh() {
    var query = queryOf(form);
    load(form.action + (query ? "?" + query : ""), true);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "search" || event.target.type === "text") return; // wait for submit
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 150);
  });
  var shown = window.location.pathname + window.location.search;
  window.addEventListener("popstate", function () {
    // Back/forward between searches: show the results of that URL and put its values back in
    // the form. A jump to a fragment (the skip link, #results) also fires popstate: the search
    // is the same, so nothing is reloaded and nothing typed is lost.
    var now = window.location.pathname + window.location.search;
    if (now !== shown) window.location.reload();
  });
  // Pagination links inside the results also load in place.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#results .pagination a");
    if (!link) return;
    event.preventDefault();
    load(link.href, true);
  });
})();

// "筛选" in the bar above the results opens the folded search panel and goes to it. Without
// JavaScript the link goes to the form, and the browser unfolds the panel around it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-open]");
    if (!button) return;
    var panel = document.getElementById(button.getAttribute("data-open"));
    if (!panel) return;
    event.preventDefault();
    panel.open = true;
    panel.scrollIntoView({ block: "start" });
    var first = panel.querySelector("input, select");
    if (first) first.focus({ preventScroll: true });
  });
})();
