// Quote selection on a provision page: select words with the mouse, on a touch screen, or with the
// keyboard (type or paste them into the "Words you comment on" field), then comment on exactly those
// words. Everything works without this file: the comment is then about the whole provision, and the
// server still checks a typed quote against the text.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) { return; }
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var exact = field("quote_exact"), prefix = field("quote_prefix"), suffix = field("quote_suffix");
  var start = field("quote_start"), provision = field("provision"), body = field("body");
  var preview = form.querySelector(".quote-preview");
  var hint = document.querySelector(".quote-hint");
  var CONTEXT = 32;
  var pending = null;
  if (hint) { hint.hidden = false; }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "quote-button";
  button.textContent = form.getAttribute("data-quote-label") || "Comment on the selected words";
  button.hidden = true;

  var status = document.createElement("p");
  status.className = "help quote-status";
  status.setAttribute("aria-live", "polite");
  exact.parentNode.appendChild(status);

  function textElementOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".quotable [data-provision]") : null;
  }

  function offsetIn(element, container, offset) {
    var range = document.createRange();
    range.selectNodeContents(element);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  function span(text, from, to) {
    while (from < to && /\s/.test(text.charAt(from))) { from++; }
    while (to > from && /\s/.test(text.charAt(to - 1))) { to--; }
    if (to <= from) { return null; }
    return {
      exact: text.slice(from, to),
      prefix: text.slice(Math.max(0, from - CONTEXT), from),
      suffix: text.slice(to, to + CONTEXT),
      start: from
    };
  }

  function capture() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { hideButton(); return; }
    var range = selection.getRangeAt(0);
    var element = textElementOf(range.startContainer);
    if (!element || element !== textElementOf(range.endContainer)) { hideButton(); return; }
    var text = element.textContent;
    var found = span(text, offsetIn(element, range.startContainer, range.startOffset), offsetIn(element, range.endContainer, range.endOffset));
    if (!found) { hideButton(); return; }
    found.provision = element.getAttribute("data-provision");
    pending = found;
    element.parentNode.insertBefore(button, element.nextSibling); // next in keyboard order
    var rect = range.getBoundingClientRect();
    button.style.top = (window.scrollY + rect.bottom + 6) + "px";
    button.hidden = false;
    var room = document.documentElement.clientWidth - button.offsetWidth - 8;  // keep it on a phone's screen
    button.style.left = (window.scrollX + Math.max(8, Math.min(rect.left, room))) + "px";
  }

  function hideButton() { button.hidden = true; }

  function fill(found, typed) {
    if (!typed) { exact.value = found.exact; }  // never rewrite what the user is typing
    prefix.value = found.prefix;
    suffix.value = found.suffix;
    start.value = found.start;
    if (found.provision && provision.querySelector("option[value='" + found.provision + "']")) { provision.value = found.provision; }
    preview.textContent = "«" + found.exact + "»";
    preview.hidden = false;
  }

  button.addEventListener("click", function () {
    if (!pending) { return; }
    fill(pending);
    hideButton();
    status.textContent = form.getAttribute("data-quote-set") || "The selected words are quoted in your comment.";
    body.focus();
  });

  var timer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(capture, 120);
  });

  // Typed or pasted words: find them in the chosen provision, else in another provision of the page
  // (and choose that one), as the user types.
  function provisionTexts() {
    var chosen = document.querySelector(".quotable [data-provision='" + provision.value + "']");
    var all = Array.prototype.slice.call(document.querySelectorAll(".quotable [data-provision]"));
    return chosen ? [chosen].concat(all.filter(function (element) { return element !== chosen; })) : all;
  }
  function forget() { preview.hidden = true; prefix.value = suffix.value = start.value = ""; }
  function checkTyped() {
    var words = exact.value;
    if (!words.trim()) { status.textContent = ""; forget(); return; }
    var candidates = provisionTexts();
    for (var i = 0; i < candidates.length; i++) {
      var text = candidates[i].textContent;
      var at = text.indexOf(words.trim());
      var id = candidates[i].getAttribute("data-provision");
      if (at >= 0 && provision.querySelector("option[value='" + id + "']")) {
        var found = span(text, at, at + words.trim().length);
        found.provision = id;
        fill(found, true);
        status.textContent = form.getAttribute("data-quote-found") || "Found in the text.";
        return;
      }
    }
    forget();
    status.textContent = form.getAttribute("data-quote-missing") || "These words are not in the chosen provision.";
  }
  exact.addEventListener("input", checkTyped);
  provision.addEventListener("change", checkTyped);
})();
