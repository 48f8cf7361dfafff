/* Familienkompass – inline editing on the designer's survey page. Progressive enhancement
   only: without it "Bearbeiten" and "Frage hinzufügen" open the page of one question, and
   the arrows post and reload the page. With it:
   - "Bearbeiten" opens the question's form as a card below its row, "Frage hinzufügen" at
     the end of its section. The server renders the very form of the page of one question
     (?partial=1); designer.js enhances it (FKDesigner.enhance). One editor at a time: before
     changes that are not saved yet would go, the script asks;
   - saving, and the form's own buttons ("Vorlage übernehmen", "Weitere Bedingung
     hinzufügen"), post with fetch (the form's CSRF token goes along). Errors come back in
     the card, with the error summary and everything as typed; a save brings back the
     sections as stored, focus goes to the saved question and the outcome is announced;
   - the arrows ↑/↓ move without a reload, focus stays on the moved question's arrow.
   Nothing the server sends runs as code (strict CSP): fragments are HTML, texts come in
   data- attributes of [data-designer]. */
(function () {
  "use strict";

  var root = document.querySelector("[data-designer]");
  if (!root || !window.fetch || !window.FormData || !window.URL ||
      !("content" in document.createElement("template"))) { return; }
  var statusRegion = document.getElementById("designer-status");
  var editor = null;  // the open editor: {box, card, opener, row, adder, snapshot}
  var busy = false;

  function text(name) { return root.getAttribute("data-text-" + name) || ""; }

  function partialUrl(url) {
    var parsed = new URL(url, window.location.href);
    parsed.searchParams.set("partial", "1");
    return parsed.toString();
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  // A fragment of the survey page from the server: {kind: "editor"|"sections", node}. Anything
  // else (the login page after a lapsed session, an error page, no connection) is a failure.
  function request(url, options) {
    var init = options || {};
    init.credentials = "same-origin";
    init.headers = { "X-Requested-With": "fetch" };
    return window.fetch(partialUrl(url), init).then(function (response) {
      var kind = response.headers.get("X-Designer-Fragment");
      if (!kind || response.redirected) { throw new Error("not a fragment"); }
      return response.text().then(function (html) {
        var node = parse(html);
        if (!node) { throw new Error("empty fragment"); }
        return { kind: kind, node: node };
      });
    });
  }

  function announce(message) {
    if (!statusRegion || !message) { return; }
    statusRegion.textContent = "";
    // a moment later, so that the same text twice in a row is announced again
    window.setTimeout(function () { statusRegion.textContent = message; }, 100);
  }

  function formOf(open) { return open.card.querySelector("form[data-question-form]"); }

  function serialize(form) {
    var pairs = [];
    if (!form) { return ""; }
    new window.FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") { pairs.push(name + "=" + value); }
    });
    return pairs.join("&");
  }

  function isDirty() { return !!editor && editor.snapshot !== serialize(formOf(editor)); }

  function focusEditor() {
    var title = editor && editor.card.querySelector(".designer-editor__title");
    if (title) { title.focus(); }
  }

  // Whether the open editor may close: at once when nothing was changed, else if confirmed.
  function mayClose() {
    if (!isDirty()) { return true; }
    if (window.confirm(text("discard"))) { return true; }
    focusEditor();
    return false;
  }

  function closeEditor(returnFocus) {
    if (!editor) { return; }
    var open = editor;
    editor = null;
    if (open.box.parentNode) { open.box.parentNode.removeChild(open.box); }
    if (open.row) { open.row.classList.remove("designer-row--editing"); }
    if (open.adder) { open.adder.hidden = false; }
    if (open.opener) {
      if (open.opener.hasAttribute("aria-expanded")) {
        open.opener.setAttribute("aria-expanded", "false");
      }
      if (returnFocus) { open.opener.focus(); }
    }
  }

  function mount(card, box, opener, row) {
    if (window.FKDesigner) { window.FKDesigner.enhance(card); }
    editor = { box: box, card: card, opener: opener, row: row, snapshot: "" };
    editor.snapshot = serialize(formOf(editor));
    focusEditor();
  }

  function start() {
    if (busy) { return false; }
    busy = true;
    return true;
  }

  function done() {
    busy = false;
  }

  // The sections as the server now has them: swapped in, the outcome announced. Returns the
  // row named by data-focus (the question just saved or moved).
  function swapSections(fresh) {
    var old = root.querySelector("[data-designer-sections]");
    old.parentNode.replaceChild(fresh, old);
    prepare(fresh);
    announce(fresh.getAttribute("data-message"));
    var id = fresh.getAttribute("data-focus");
    return id ? document.getElementById(id) : null;
  }

  function prepare(scope) {
    scope.querySelectorAll("a[data-designer-edit]").forEach(function (link) {
      link.setAttribute("aria-expanded", "false");
    });
  }

  function openEdit(link) {
    if (editor && editor.opener === link) {  // a second click closes it again
      if (mayClose()) { closeEditor(true); }
      return;
    }
    if (!mayClose() || !start()) { return; }
    closeEditor(false);
    var row = link.closest("tr");
    request(link.href).then(function (result) {
      if (result.kind !== "editor" || !row) { throw new Error("unexpected fragment"); }
      var box = document.createElement("tr");
      box.className = "designer-editor-row";
      var cell = document.createElement("td");
      cell.colSpan = row.cells.length;
      box.appendChild(cell);
      cell.appendChild(result.node);
      row.parentNode.insertBefore(box, row.nextSibling);
      row.classList.add("designer-row--editing");
      link.setAttribute("aria-expanded", "true");
      // a narrow screen scrolls the table sideways: back to its start, so that the row's key
      // and text show above the card
      var wrap = row.closest(".table-wrap");
      if (wrap) { wrap.scrollLeft = 0; }
      mount(result.node, box, link, row);
    }).catch(function () {
      window.location.href = link.href;  // the page of the question, as without JavaScript
    }).finally(done);
  }

  function openNew(form) {
    if (!mayClose() || !start()) { return; }
    closeEditor(false);
    var url = new URL(form.action, window.location.href);
    new window.FormData(form).forEach(function (value, name) { url.searchParams.set(name, value); });
    request(url.toString()).then(function (result) {
      if (result.kind !== "editor") { throw new Error("unexpected fragment"); }
      // at the end of the section, in place of the form that asked for it
      var box = document.createElement("div");
      box.className = "designer-editor-slot";
      box.appendChild(result.node);
      form.parentNode.insertBefore(box, form.nextSibling);
      form.hidden = true;
      mount(result.node, box, form.querySelector('button[type="submit"]'), null);
      editor.adder = form;
    }).catch(function () {
      form.submit();  // the page of a new question, as without JavaScript
    }).finally(done);
  }

  function failed(open) {
    var message = open.card.querySelector("[data-editor-message]");
    if (message) {
      message.textContent = text("failed");
      message.hidden = false;
    }
  }

  function submitEditor(form, submitter) {
    if (!start()) { return; }
    var open = editor;
    var data = new window.FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    open.card.setAttribute("aria-busy", "true");
    request(form.action, { method: "POST", body: data }).then(function (result) {
      if (result.kind === "sections") {  // saved
        editor = null;
        var row = swapSections(result.node);
        if (row) {
          row.classList.add("designer-row--saved");
          var link = row.querySelector("a[data-designer-edit]");
          if (link) { link.focus(); }
        }
        return;
      }
      // The form again: with errors, or after one of its own buttons. Typed text comes back.
      var fresh = result.node;
      open.card.parentNode.replaceChild(fresh, open.card);
      open.card = fresh;
      if (window.FKDesigner) { window.FKDesigner.enhance(fresh); }
      var summary = fresh.querySelector(".error-summary");
      var action = submitter && submitter.name === "aktion" ? submitter.value : "";
      var target = null;
      if (summary) {
        target = summary;
      } else if (action === "bedingung") {  // the new rule's first field
        var rules = fresh.querySelectorAll('[data-rule] select[name$="_question"]');
        target = rules.length ? rules[rules.length - 1] : null;
      } else if (action) {
        target = fresh.querySelector('button[name="aktion"][value="' + action + '"]');
      }
      if (target) { target.focus(); } else { focusEditor(); }
    }).catch(function () {
      open.card.removeAttribute("aria-busy");
      failed(open);
    }).finally(done);
  }

  function move(form) {
    var place = form.closest("[data-designer-move]");
    var direction = place.getAttribute("data-designer-move");
    if (!mayClose() || !start()) { return; }
    closeEditor(false);
    var swapped = false;
    request(form.action, { method: "POST", body: new window.FormData(form) }).then(function (result) {
      if (result.kind !== "sections") { throw new Error("unexpected fragment"); }
      swapped = true;
      var row = swapSections(result.node);
      if (!row) { return; }
      var target = row.querySelector('[data-designer-move="' + direction + '"] button') ||
        row.querySelector("[data-designer-move] button") ||
        row.querySelector("a[data-designer-edit]");
      if (target) { target.focus(); }
    }).catch(function () {
      if (!swapped) { form.submit(); }  // post and reload, as without JavaScript
    }).finally(done);
  }

  function modified(event) {
    return event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
  }

  root.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var link = target.closest("a[data-designer-edit]");
    if (link && !modified(event)) {  // a new tab still opens the page of the question
      event.preventDefault();
      if (!busy) { openEdit(link); }
      return;
    }
    var cancel = target.closest("[data-designer-cancel]");
    if (cancel && editor && editor.card.contains(cancel) && !modified(event)) {
      event.preventDefault();
      if (mayClose()) { closeEditor(true); }
      return;
    }
    // like the GOV.UK error summary: a link moves focus to its field
    var jump = target.closest(".designer-editor .error-summary a[href^='#']");
    if (jump) {
      var field = document.getElementById(jump.getAttribute("href").slice(1));
      var input = field && (field.matches("input, select, textarea") ? field :
        field.querySelector("input, select, textarea"));
      if (input) {
        event.preventDefault();
        input.focus();
      }
    }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (editor && form === formOf(editor)) {
      event.preventDefault();
      submitEditor(form, event.submitter);
    } else if (form.closest("[data-designer-move]")) {
      event.preventDefault();
      move(form);
    } else if (form.hasAttribute("data-designer-add")) {
      event.preventDefault();
      openNew(form);
    }
  });

  // Leaving the page (a link, reload) with unsaved changes in the editor: the browser asks.
  window.addEventListener("beforeunload", function (event) {
    if (isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  prepare(root);
})();
