// Progressive enhancement of the draft reader: everything works without this file.
(function () {
  "use strict";
  // The contents start folded on a phone (so the text comes first) and open on a wide screen.
  var toc = document.querySelector(".toc-details");
  if (toc && window.matchMedia("(min-width: 60rem)").matches) {
    toc.open = true;
  }
})();
