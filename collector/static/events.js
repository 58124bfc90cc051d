// Keeps the /events table live: polls /events.json for rows newer than the newest shown.
(function () {
  "use strict";
  var body = document.querySelector("#events tbody");

  function newestId() {
    var first = body.querySelector("tr[data-id]");
    return first ? Number(first.getAttribute("data-id")) : 0;
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    return td;
  }

  function row(event) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-id", String(event.id));
    [event.id, event.type, event.name, event.userId, event.anonymousId, event.receivedAt]
      .forEach(function (value) { tr.appendChild(cell(value)); });
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "JSON";
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(event.body, null, 2);
    details.appendChild(summary);
    details.appendChild(pre);
    var td = document.createElement("td");
    td.appendChild(details);
    tr.appendChild(td);
    return tr;
  }

  function poll() {
    fetch("/events.json?after=" + newestId())
      .then(function (response) { return response.json(); })
      .then(function (events) {
        for (var i = events.length - 1; i >= 0; i--) body.insertBefore(row(events[i]), body.firstChild);
      })
      .catch(function () { /* the collector is restarting; try again on the next tick */ })
      .then(function () { setTimeout(poll, 1000); });
  }

  poll();
})();
