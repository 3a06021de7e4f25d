// Quote selection on a provision page: select words with the mouse, on a touch screen, or with the
// keyboard (type or paste them into the "Words you comment on" field), then comment on exactly those
// words. Everything works without this file: the comment is then about the provision chosen under
// "About", and the server still checks a typed quote against its text.
//
// The provision a comment is about is the author's choice, never this script's: typed words are looked
// for in the chosen provision only, and words that are not there are an error at the field (naming the
// provision where they are, with a button to choose it). Selected words of another provision are quoted
// only by a button that names that provision, so the change is the author's and is announced.
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

  function message(name, fallback, values) {
    var text = form.getAttribute("data-quote-" + name) || fallback;
    Object.keys(values || {}).forEach(function (key) { text = text.split("%(" + key + ")s").join(values[key]); });
    return text;
  }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "quote-button";
  button.hidden = true;

  // The field's live message: what was found, or (as an error of the field) what was not.
  var status = document.createElement("p");
  status.className = "help quote-status";
  status.id = exact.id + "_status";
  status.setAttribute("aria-live", "polite");
  var choose = document.createElement("button");
  choose.type = "button";
  choose.className = "secondary quote-choose";
  choose.hidden = true;
  exact.parentNode.appendChild(status);
  exact.parentNode.appendChild(choose);
  exact.setAttribute("aria-describedby", ((exact.getAttribute("aria-describedby") || "") + " " + status.id).trim());

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("quote-error", !!isError);
    exact.parentNode.classList.toggle("has-error", !!isError);
    if (isError) { exact.setAttribute("aria-invalid", "true"); } else { exact.removeAttribute("aria-invalid"); }
  }

  // How each provision is cited ("Article 25, paragraph 1"), from the page (drafts.citations).
  var citationsElement = document.getElementById("provision-citations");
  var citations = citationsElement ? JSON.parse(citationsElement.textContent) : {};
  function optionFor(id) { return id ? provision.querySelector("option[value='" + id + "']") : null; }
  function citationOf(id) { var option = optionFor(id); return citations[id] || (option ? option.textContent.trim() : ""); }

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
    var id = element.getAttribute("data-provision");
    if (!optionFor(id)) { hideButton(); return; }
    var text = element.textContent;
    var found = span(text, offsetIn(element, range.startContainer, range.startOffset), offsetIn(element, range.endContainer, range.endOffset));
    if (!found) { hideButton(); return; }
    found.provision = id;
    pending = found;
    // The button says which provision the comment will be about when it is not the chosen one.
    button.textContent = id === provision.value
      ? message("label", "Comment on the selected words")
      : message("from", "Comment on the selected words of %(other)s", {other: citationOf(id)});
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
    preview.textContent = "«" + found.exact + "»";
    preview.hidden = false;
  }

  function chooseProvision(id) {
    provision.value = id;
    choose.hidden = true;
  }

  button.addEventListener("click", function () {
    if (!pending) { return; }
    var moved = pending.provision !== provision.value;
    if (moved) { chooseProvision(pending.provision); }
    fill(pending);
    hideButton();
    say(moved
      ? message("chosen", "Your comment is now about %(other)s.", {other: citationOf(pending.provision)}) + " " + message("set", "The selected words are quoted in your comment.")
      : message("set", "The selected words are quoted in your comment."));
    body.focus();
  });

  var timer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(capture, 120);
  });

  // Typed or pasted words are looked for in the chosen provision's own text, as the user types.
  function textOf(id) {
    var element = document.querySelector(".quotable [data-provision='" + id + "']");
    return element ? element.textContent : "";
  }
  function elsewhere(words) {
    var options = provision.querySelectorAll("option");
    for (var i = 0; i < options.length; i++) {
      if (options[i].value !== provision.value && textOf(options[i].value).indexOf(words) >= 0) { return options[i].value; }
    }
    return null;
  }
  function forget() { preview.hidden = true; prefix.value = suffix.value = start.value = ""; }
  function checkTyped() {
    var words = exact.value.trim();
    choose.hidden = true;
    if (!words) { say(""); forget(); return; }
    var text = textOf(provision.value);
    var at = text.indexOf(words);
    if (at >= 0) {
      fill(span(text, at, at + words.length), true);
      say(message("found", "Found in the text."));
      return;
    }
    forget();
    var other = elsewhere(words);
    if (other) {
      say(message("elsewhere", "These words are not in %(chosen)s; they are in %(other)s.", {chosen: citationOf(provision.value), other: citationOf(other)}), true);
      choose.textContent = message("choose", "Choose %(other)s", {other: citationOf(other)});
      choose.setAttribute("data-provision", other);
      choose.hidden = false;
    } else {
      say(message("missing", "These words are not in the chosen provision."), true);
    }
  }
  choose.addEventListener("click", function () {
    var id = choose.getAttribute("data-provision");
    chooseProvision(id);
    checkTyped();
    if (provision.value === id) {
      say(message("chosen", "Your comment is now about %(other)s.", {other: citationOf(id)}) + " " + status.textContent);
    }
    exact.focus();
  });
  exact.addEventListener("input", checkTyped);
  provision.addEventListener("change", checkTyped);
  // A refused form comes back with the words typed: say at once where they are, as while typing.
  if (exact.value.trim()) { checkTyped(); }
})();
