// On a page that frames a selection of Faire alliance (/integrer/): fit each such frame to the
// height it announces with postMessage({type: "faire-alliance:hauteur", height}). Only messages
// from the site this script comes from, and from one of the page's frames, are heeded.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script) {
    return;
  }
  const origin = new URL(script.src, document.baseURI).origin;
  const MAX_HEIGHT = 20000;

  // Where the page sizes boxes border included (box-sizing: border-box, as many style sheets
  // do), the frame's height must hold its borders and padding as well as the selection.
  function edges(frame) {
    const style = getComputedStyle(frame);
    if (style.boxSizing !== "border-box") {
      return 0;
    }
    return ["borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom"]
      .map((name) => parseFloat(style[name]) || 0)
      .reduce((total, value) => total + value, 0);
  }
  window.addEventListener("message", function (event) {
    const data = event.data;
    if (event.origin !== origin || !data || data.type !== "faire-alliance:hauteur") {
      return;
    }
    if (!Number.isFinite(data.height) || data.height <= 0) {
      return;
    }
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.min(Math.ceil(data.height) + edges(frame), MAX_HEIGHT) + "px";
      }
    }
  });
})();
