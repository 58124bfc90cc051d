"""Segment's analytics.js (analytics-next 1.84.3) embedded the way its official snippet does it.

The stub below is written from the published snippet's behaviour (behaviour.md section 7.1):
a queue of calls with the call-time page context, and ``load`` inserting the standalone
script from ``analytics._cdn``. It is the peer the parity tests compare analytics_py with.
"""

from pathlib import Path

# Its standalone build (test-only npm dependency), served where the snippet's load() looks.
PEER_BUNDLES = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "@segment" / "analytics-next" / "dist" / "umd"

PEER_SNIPPET = """
(function () {
  var key = "analytics";
  var a = window[key] = window[key] || [];
  if (a.initialize) return;
  if (a.invoked) { console.error("Segment snippet included twice."); return; }
  a.invoked = true;
  a.methods = ["trackSubmit", "trackClick", "trackLink", "trackForm", "pageview", "identify",
    "reset", "group", "track", "ready", "alias", "debug", "page", "screen", "once", "off", "on",
    "addSourceMiddleware", "addIntegrationMiddleware", "setAnonymousId",
    "addDestinationMiddleware", "register"];
  var withContext = ["track", "screen", "alias", "group", "page", "identify"];
  a.factory = function (method) {
    return function () {
      if (window[key].initialized) return window[key][method].apply(window[key], arguments);
      var args = Array.prototype.slice.call(arguments);
      if (withContext.indexOf(method) > -1) {
        var canonical = document.querySelector("link[rel='canonical']");
        args.push({__t: "bpc", c: (canonical && canonical.getAttribute("href")) || undefined,
          p: location.pathname, u: location.href, s: location.search, t: document.title,
          r: document.referrer});
      }
      args.unshift(method);
      a.push(args);
      return a;
    };
  };
  for (var i = 0; i < a.methods.length; i++) a[a.methods[i]] = a.factory(a.methods[i]);
  a.load = function (writeKey, options) {
    var script = document.createElement("script");
    script.type = "text/javascript";
    script.async = true;
    script.setAttribute("data-global-segment-analytics-key", key);
    script.src = a._cdn + "/analytics-next/bundles/standalone.js";
    var first = document.getElementsByTagName("script")[0];
    first.parentNode.insertBefore(script, first);
    a._loadOptions = options;
    a._writeKey = writeKey;
  };
  a.SNIPPET_VERSION = "5.2.0";
})();
"""
