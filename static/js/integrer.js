// In a frame on another site (/integrer/): tell the page that holds it how tall the selection
// is, so that its script (integrer-hote.js) can fit the frame to it. The height is no secret:
// any page may receive it.
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  let sent = 0;
  function sendHeight() {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== sent) {
      sent = height;
      window.parent.postMessage({ type: "faire-alliance:hauteur", height: height }, "*");
    }
  }
  new ResizeObserver(sendHeight).observe(document.body);
  window.addEventListener("load", sendHeight);
})();
