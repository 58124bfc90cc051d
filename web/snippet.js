/*
 * analytics_py embed snippet (source). `python build.py` minifies it to dist/snippet.min.js.
 *
 * Defines window.analytics at once as a stub that records every call, with the page context
 * at call time for event methods, and analytics.load(writeKey, options), which starts PyScript
 * and Pyodide from the bundle's base URL. Python then replaces the stub and replays the calls
 * in the order they were made.
 */
(function () {
  var w = window;
  var stub = (w.analytics = w.analytics || []);
  if (stub.initialized) return;
  if (stub.invoked) {
    if (w.console && console.error) console.error("analytics_py snippet included twice.");
    return;
  }
  stub.invoked = true;
  stub.methods = [
    "trackSubmit", "trackClick", "trackLink", "trackForm", "pageview", "identify", "reset",
    "group", "track", "ready", "alias", "debug", "page", "screen", "once", "off", "on",
    "addSourceMiddleware", "addIntegrationMiddleware", "setAnonymousId",
    "addDestinationMiddleware", "register", "timeout", "deregister", "untrackLink", "untrackForm"
  ];
  var withPageContext = { track: 1, screen: 1, alias: 1, group: 1, page: 1, identify: 1 };
  stub.factory = function (method) {
    return function () {
      var real = w.analytics;
      // Once Python has taken over, references kept to this stub forward to the real face.
      if (real !== stub && real && typeof real[method] === "function") {
        return real[method].apply(real, arguments);
      }
      var args = Array.prototype.slice.call(arguments);
      if (withPageContext[method]) {
        var link = document.querySelector("link[rel='canonical']");
        args.push({
          __t: "bpc",
          c: (link && link.getAttribute("href")) || undefined,
          p: location.pathname,
          u: location.href,
          s: location.search,
          t: document.title,
          r: document.referrer
        });
      }
      args.unshift(method);
      stub.push(args);
      return stub;
    };
  };
  for (var i = 0; i < stub.methods.length; i++) {
    stub[stub.methods[i]] = stub.factory(stub.methods[i]);
  }
  // Python binds each method of its real face through here. The wrapper reads document.cookie
  // on the caller's stack, where it is cheap: Chromium's getter walks the JS stack, and from
  // inside Python (a deep stack) the same read costs 20 times as much. Python uses this copy
  // until the call returns or until it writes a cookie itself.
  var entry = (stub._entry = { cookie: null });
  entry.bind = function (fn) {
    return function () {
      try { entry.cookie = document.cookie; } catch (e) { entry.cookie = null; }
      try { return fn.apply(this, arguments); } finally { entry.cookie = null; }
    };
  };
  // Plugins written in Python, usable before Python is up: a handle Python turns into the plugin.
  stub.plugins = {
    html5Media: function (element, properties) {
      return { name: "HTML5 Media", type: "utility", __analyticsPyPlugin: ["html5Media", element, properties] };
    }
  };
  stub.load = function (writeKey, options) {
    if (stub._loaded) {
      if (w.console && console.warn) console.warn("analytics_py: load() was already called");
      return;
    }
    stub._loaded = true;
    stub._writeKey = writeKey;
    stub._loadOptions = options;
    var base = String((options && options.cdnURL) || stub._cdn || location.origin).replace(/\/+$/, "");
    var runtime = base + "/__ANALYTICS_PY_RUNTIME__";
    // The standard library zip: interpreter.mjs reads this choice back when Pyodide starts.
    var stdlib = stub._stdlib = options && options.pythonStdlib === "full" ? "python_stdlib_full.zip" : "python_stdlib.zip";
    var head = document.head || document.documentElement;
    // Fetch the chain of modules PyScript would fetch one after another, all at once, and the
    // standard library; the wasm is left to Pyodide, whose streaming compile overlaps its download.
    var hints = ["/pyscript/core.js", "/pyscript/__ANALYTICS_PY_PYSCRIPT_CORE__", "/pyodide/interpreter.mjs",
                 "/pyodide/pyodide.mjs", "/pyodide/pyodide.asm.mjs", "/pyodide/" + stdlib];
    for (var h = 0; h < hints.length; h++) {
      var link = document.createElement("link");
      var module = /\.m?js$/.test(hints[h]);
      link.rel = module ? "modulepreload" : "preload";
      if (!module) link.as = "fetch";
      link.href = runtime + hints[h];
      link.crossOrigin = "anonymous";
      head.appendChild(link);
    }
    var config = {
      interpreter: runtime + "/pyodide/interpreter.mjs",
      packages: [runtime + "/wheels/__ANALYTICS_PY_WHEEL__"],
      packages_cache: "passthrough"
    };
    var boot = document.createElement("script");
    boot.type = "py";
    boot.setAttribute("config", JSON.stringify(config));
    // Imported a slice at a time (browser/staged.py), so the page is not frozen while it loads.
    boot.textContent = "from analytics_py.browser import staged\nawait staged.start()";
    var core = document.createElement("script");
    core.type = "module";
    core.src = runtime + "/pyscript/core.js";
    var first = document.getElementsByTagName("script")[0];
    first.parentNode.insertBefore(boot, first);
    first.parentNode.insertBefore(core, first);
  };
  stub.SNIPPET_VERSION = "analytics_py-1";
})();
