// Unit pickers: an input with data-picker fills its datalist from /units?q= as the planner types.
(function () {
  "use strict";
  document.querySelectorAll("input[data-picker]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 1) { return; }
      timer = setTimeout(function () {
        fetch("/units?limit=15&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (page) {
            list.textContent = "";
            (page.items || []).forEach(function (unit) {
              var option = document.createElement("option");
              option.value = unit.id;
              option.label = unit.name + (unit.parent_path ? " · " + unit.parent_path : "");
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 200);
    });
  });
})();
