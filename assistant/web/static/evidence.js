// Evidence on tap: a number's hover text (its `title`) shown in a panel at the foot of the screen when
// the number is clicked or tapped, for touch screens where nothing hovers. Keyboard users have each
// section's "本节数字核对明细" list instead (numbers are not tab stops). No library.
(function () {
  "use strict";
  var panel = null;

  function show(number) {
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "evidence-panel";
      panel.setAttribute("role", "status");
      var text = document.createElement("div");
      text.className = "evidence-text";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "secondary";
      close.textContent = "关闭";
      close.addEventListener("click", function () { panel.hidden = true; });
      panel.appendChild(text);
      panel.appendChild(close);
      document.body.appendChild(panel);
    }
    var shown = panel.querySelector(".evidence-text");
    shown.textContent = "“" + number.textContent + "”\n" + number.getAttribute("title");
    panel.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var number = event.target.closest && event.target.closest(".unit .body .n[title]");
    if (number) { show(number); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) { panel.hidden = true; }
  });
})();
