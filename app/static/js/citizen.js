/* Familienkompass – citizen pages. Progressive enhancement only: every page works without it.
   - moves focus to the error summary so screen readers announce it;
   - shows and hides conditional questions as soon as their trigger changes (the server
     re-evaluates the same conditions on "Weiter", so nothing depends on this script);
   - prevents a second click on "Antworten absenden" (the server also ignores duplicates);
   - offers a print button on the paper questionnaire. */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (!summary) { return; }
    summary.focus();
    // Like the GOV.UK error summary: a link moves focus to the field and scrolls its
    // question (the legend) into view, so the person sees what the field is about.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var fieldset = field.closest("fieldset");
      var legend = fieldset && fieldset.querySelector("legend");
      (legend || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  function answerOf(form, key) {
    var inputs = form.querySelectorAll('[name="q-' + key + '"]');
    var values = [];
    var kind = "";
    inputs.forEach(function (input) {
      kind = input.type;
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.value.trim() !== "") {
        values.push(input.value.trim());
      }
    });
    return { kind: kind, values: values };
  }

  function normalise(expected) {
    if (expected === true) { return "ja"; }
    if (expected === false) { return "nein"; }
    return String(expected);
  }

  function asNumber(value) {
    var text = String(value).trim().replace(",", ".");
    if (text === "" || isNaN(Number(text))) { return null; }
    return Number(text);
  }

  function ruleHolds(form, rule) {
    // Mirrors surveys/conditions.py rule_holds; "const" is a rule on an earlier page,
    // decided by the server.
    var op = rule.op || "equals";
    if (op === "const") { return rule.value === true; }
    var answer = answerOf(form, rule.question);
    if (answer.values.length === 0) { return false; }
    if (op === "answered") { return true; }
    var expected = Array.isArray(rule.value) ? rule.value : [rule.value];
    if (op === "gt" || op === "ge" || op === "lt" || op === "le") {
      var number = asNumber(answer.values[0]);
      var wanted = asNumber(expected[0]);
      if (number === null || wanted === null) { return false; }
      if (op === "gt") { return number > wanted; }
      if (op === "ge") { return number >= wanted; }
      if (op === "lt") { return number < wanted; }
      return number <= wanted;
    }
    var matches = expected.some(function (value) {
      var wanted = normalise(value);
      return answer.values.some(function (given) {
        if (given === wanted) { return true; }
        var a = asNumber(given);
        var b = asNumber(wanted);
        return answer.kind !== "checkbox" && answer.kind !== "radio" &&
          a !== null && b !== null && a === b;
      });
    });
    if (op === "not_equals") { return !matches; }
    return matches;
  }

  function holds(form, condition) {
    // {"match": "all"|"any", "rules": [...]}; an old bare rule is one rule.
    var rules = condition.rules || [condition];
    if (condition.match === "any") {
      return rules.some(function (rule) { return ruleHolds(form, rule); });
    }
    return rules.every(function (rule) { return ruleHolds(form, rule); });
  }

  function announce(form, wrap) {
    // Tell screen reader users that a follow-up question appeared below their answer.
    var live = form.querySelector("[data-live]");
    var legend = wrap.querySelector("legend");
    if (live && legend) {
      live.textContent = live.getAttribute("data-prefix") + " " + legend.textContent.trim();
    }
  }

  function updateConditions(form) {
    var shownField = form.querySelector('input[name="angezeigt"]');
    var shown = shownField && shownField.value ? shownField.value.split(",") : [];
    form.querySelectorAll("[data-condition]").forEach(function (wrap) {
      var condition;
      try { condition = JSON.parse(wrap.getAttribute("data-condition")); } catch (e) { return; }
      var visible = holds(form, condition);
      if (visible && wrap.hidden) { announce(form, wrap); }
      wrap.hidden = !visible;
      var key = wrap.getAttribute("data-key");
      var index = shown.indexOf(key);
      if (visible && index === -1) { shown.push(key); }
      if (!visible && index !== -1) { shown.splice(index, 1); }
    });
    if (shownField) { shownField.value = shown.join(","); }
  }

  function enhanceConditions() {
    document.querySelectorAll("form[data-conditions]").forEach(function (form) {
      if (!form.querySelector("[data-condition]")) { return; }
      form.addEventListener("change", function () { updateConditions(form); });
      form.addEventListener("input", function () { updateConditions(form); });
      // Answers may already be there: restored by the browser (back button) or given
      // before this deferred script ran on a slow phone.
      updateConditions(form);
    });
  }

  function submitOnce() {
    document.querySelectorAll("button[data-once]").forEach(function (button) {
      var form = button.form;
      if (!form) { return; }
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        button.setAttribute("aria-disabled", "true");
      });
    });
  }

  function printButton() {
    var wrap = document.querySelector("[data-print-wrap]");
    if (!wrap) { return; }
    wrap.hidden = false;
    wrap.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
  }

  function init() {
    focusSummary();
    enhanceConditions();
    submitOnce();
    printButton();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
