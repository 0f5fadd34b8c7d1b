// Decomposition review: light up a task's words in the source text, and pick a split point by clicking in it.
// No dependencies; works with the cards htmx swaps in (event delegation).
(function () {
  "use strict";
  function marks(id) { return document.querySelectorAll('mark.plan-span[data-task="' + id + '"]'); }
  function card(id) { return document.getElementById("task-" + id); }

  function light(id, scrollText) {
    document.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
    var found = marks(id);
    found.forEach(function (m) { m.classList.add("lit"); });
    var c = card(id);
    if (c) { c.classList.add("lit"); }
    if (scrollText && found.length) { found[0].scrollIntoView({ block: "center", behavior: "smooth" }); }
    return c;
  }

  // Offset of the click inside the task's text, when the click fell in one of its marks.
  function clickOffset(mark) {
    var sel = window.getSelection ? window.getSelection() : null;
    if (!sel || !sel.anchorNode || sel.anchorNode.parentNode !== mark) { return null; }
    return Number(mark.dataset.start) - Number(mark.dataset.taskStart) + sel.anchorOffset;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var show = target.closest(".plan-show, .plan-title");
    if (show) {
      var article = show.closest("[data-task]");
      if (article) { light(article.dataset.task, true); }
      return;
    }
    var mark = target.closest("mark.plan-span");
    if (mark) {
      var c = light(mark.dataset.task, false);
      if (c) { c.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
      var at = clickOffset(mark);
      var input = c ? c.querySelector("input.split-at") : null;
      if (input && at !== null && at > 0) { input.value = String(at); }
    }
  });

  // After htmx swapped a card, the task's words take its new status (accepted, rejected).
  document.body.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("article.plan-task[data-task]").forEach(function (c) {
      marks(c.dataset.task).forEach(function (m) {
        m.classList.remove("status-proposed", "status-accepted", "status-rejected");
        m.classList.add("status-" + c.dataset.status);
      });
    });
  });
}());
