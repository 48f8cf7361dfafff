/* Familienkompass – staff question designer. Progressive enhancement only: without it the
   type's settings follow "Art übernehmen" (a post back), and the condition builder offers
   every earlier question's answers (grouped by question) and the server checks that they fit.
   - when the question's type changes, the settings of that type show at once;
   - when a rule's question changes, its comparisons and answers follow at once: only the
     comparisons that fit the question's type, only its answers, and the number field
     for number questions (the earlier questions come as JSON in the builder's
     data-triggers attribute: data, not code, so the strict CSP holds).
   The same runs on the inline editors of the survey page (FKDesigner.enhance). */
(function () {
  "use strict";

  function triggers(builder) {
    var byKey = {};
    try {
      JSON.parse(builder.getAttribute("data-triggers") || "[]").forEach(function (t) {
        byKey[t.key] = t;
      });
    } catch (e) { /* leave the form as the server sent it */ }
    return byKey;
  }

  function enhanceRule(row, byKey) {
    var questionSelect = row.querySelector('select[name$="_question"]');
    var opSelect = row.querySelector('select[name$="_op"]');
    var valueSelect = row.querySelector('select[name$="_value"]');
    var optionGroup = row.querySelector("[data-rule-option]");
    var numberGroup = row.querySelector("[data-rule-number]");
    if (!questionSelect || !opSelect || !valueSelect) { return; }
    var allOps = Array.prototype.map.call(opSelect.options, function (o) {
      return { value: o.value, text: o.textContent };
    });

    function fillOps(trigger) {
      var current = opSelect.value;
      var allowed = trigger ? trigger.ops.slice() : allOps.map(function (o) { return o.value; });
      if (current === "in") { allowed.push("in"); }  // an old condition keeps its comparison
      opSelect.textContent = "";
      allOps.forEach(function (o) {
        if (allowed.indexOf(o.value) === -1) { return; }
        var option = document.createElement("option");
        option.value = o.value;
        option.textContent = o.text;
        opSelect.appendChild(option);
      });
      opSelect.value = allowed.indexOf(current) !== -1 ? current : allowed[0];
    }

    function fillValues(trigger) {
      var current = valueSelect.value;
      var placeholder = valueSelect.options[0];
      valueSelect.textContent = "";
      valueSelect.appendChild(placeholder);
      (trigger ? trigger.options : []).forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        valueSelect.appendChild(option);
      });
      var codes = (trigger ? trigger.options : []).map(function (p) { return String(p[0]); });
      valueSelect.value = codes.indexOf(current) !== -1 ? current : "";
    }

    function showFields() {
      var trigger = byKey[questionSelect.value];
      var answered = opSelect.value === "answered";
      var number = trigger && trigger.number;
      if (optionGroup) { optionGroup.hidden = !trigger || number || answered; }
      if (numberGroup) { numberGroup.hidden = !trigger || !number || answered; }
    }

    function update() {
      var trigger = byKey[questionSelect.value];
      fillOps(trigger);
      fillValues(trigger);
      showFields();
    }

    questionSelect.addEventListener("change", update);
    opSelect.addEventListener("change", showFields);
    // On load keep the posted choice: only narrow the lists to the chosen question.
    var trigger = byKey[questionSelect.value];
    if (trigger) {
      var kept = valueSelect.value;
      fillOps(trigger);
      fillValues(trigger);
      if (kept) { valueSelect.value = kept; }
    }
    showFields();
  }

  // The type of a question: its settings show at once when the type changes (without
  // JavaScript, "Art übernehmen" posts back and the server shows them). Fields of other
  // types stay in the form, hidden; the server reads only those of the chosen type.
  function enhanceTypeSwitch(form) {
    var select = form.querySelector('select[name="type"]');
    if (!select) { return; }
    var blocks = form.querySelectorAll("[data-types]");
    var button = form.querySelector('button[name="aktion"][value="art"]');
    var hint = form.querySelector("#" + select.id + "-hint");
    function show() {
      blocks.forEach(function (block) {
        var fits = block.getAttribute("data-types").split(" ").indexOf(select.value) >= 0;
        var chosen = block.querySelector('input[type="checkbox"]:checked');
        block.hidden = !fits && !(block.id === "breakdown-group" && chosen);
      });
    }
    if (button) { button.hidden = true; }
    if (hint) { hint.hidden = true; }
    select.addEventListener("change", show);
  }

  // Every question form below root, once: the page of one question, and each inline editor
  // that designer-inline.js puts into the survey page (it calls FKDesigner.enhance on it).
  function enhance(root) {
    (root || document).querySelectorAll("form[data-question-form]").forEach(function (form) {
      if (form.hasAttribute("data-enhanced")) { return; }
      form.setAttribute("data-enhanced", "");
      enhanceTypeSwitch(form);
      var builder = form.querySelector("[data-condition-builder]");
      if (!builder) { return; }
      var byKey = triggers(builder);
      builder.querySelectorAll("[data-rule]").forEach(function (row) { enhanceRule(row, byKey); });
    });
  }

  window.FKDesigner = { enhance: enhance };

  function init() { enhance(document); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
