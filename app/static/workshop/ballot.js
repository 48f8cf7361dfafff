// Shows how many points are left while a participant fills in the ballot (optional).
(function () {
  "use strict";
  var form = document.querySelector("form.ws-ballot");
  if (!form) { return; }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var output = document.getElementById("remaining");
  var inputs = form.querySelectorAll("input[type=number]");
  function update() {
    var used = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value) && value > 0) { used += value; }
    });
    var left = budget - used;
    var text = left >= 0 ? form.getAttribute("data-msg-left") : form.getAttribute("data-msg-over");
    output.textContent = text.replace("{left}", left).replace("{budget}", budget)
      .replace("{over}", -left);
    output.parentNode.classList.toggle("ws-remaining--over", left < 0);
  }
  output.parentNode.hidden = false;
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
