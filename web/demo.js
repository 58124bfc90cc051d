// The demo page's buttons and its view of what the collector stored.
(function () {
  "use strict";
  function on(id, handler) { document.getElementById(id).addEventListener("click", handler); }

  on("track", function () { analytics.track("Button Clicked", { button: "track", n: Date.now() }); });
  on("page", function () { analytics.page("Docs", "Pricing", { plan: "compare" }); });
  on("identify", function () { analytics.identify("user-42", { plan: "Pro", email: "grace@example.com" }); });
  on("group", function () { analytics.group("acme", { employees: 20, industry: "Technology" }); });
  on("alias", function () { analytics.alias("user-42-new"); });
  on("reset", function () { analytics.reset(); });

  document.getElementById("signup").addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    analytics.identify({ email: data.get("email") });
    analytics.track("Signed Up", { plan: data.get("plan") });
  });

  analytics.ready(function () {
    document.getElementById("status").textContent = "Python is up: calls go straight to it.";
  });

  function showIdentity() {
    var a = window.analytics;
    if (a && a.initialized && a.user) {
      var user = a.user();
      document.getElementById("identity").textContent =
        JSON.stringify({ userId: user.id(), anonymousId: user.anonymousId(), traits: user.traits() });
    }
  }

  function item(event) {
    var li = document.createElement("li");
    var title = document.createElement("strong");
    title.textContent = event.type + " " + (event.name || "");
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(event.body, null, 2);
    li.appendChild(title);
    li.appendChild(pre);
    return li;
  }

  function poll() {
    fetch("/events.json")
      .then(function (response) { return response.json(); })
      .then(function (events) {
        var list = document.getElementById("received");
        list.textContent = "";
        events.slice(0, 5).forEach(function (event) { list.appendChild(item(event)); });
      })
      .catch(function () {})
      .then(function () { showIdentity(); setTimeout(poll, 1500); });
  }
  poll();
})();
