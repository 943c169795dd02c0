// drafter web pages: progress polling for a drafting job, and rule anchors.
// Plain JavaScript served by this server; nothing is loaded from elsewhere.
(function () {
  "use strict";
  var STATUS = { queued: "排队中", running: "起草中", done: "已完成", failed: "未完成" };

  function text(el, value) { if (el) { el.textContent = value; } }

  function renderSections(tbody, sections) {
    if (!tbody || !sections.length) { return; }
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    sections.forEach(function (s) {
      var tr = document.createElement("tr");
      tr.className = s.done ? "done" : "running";
      var a = document.createElement("td"); a.textContent = s.heading;
      var b = document.createElement("td"); b.textContent = s.state;
      tr.appendChild(a); tr.appendChild(b); tbody.appendChild(tr);
    });
  }

  function renderStages(list, snap) {
    if (!list) { return; }
    var current = snap.stages.indexOf(snap.stage);
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.className = (i < current || snap.status === "done") ? "done" : (i === current ? "current" : "");
    });
  }

  function poll(box) {
    var id = box.getAttribute("data-job");
    var url = "/draft/" + encodeURIComponent(id) + "/status";
    var timer = setInterval(function () {
      var req = new XMLHttpRequest();
      req.open("GET", url);
      req.setRequestHeader("Accept", "application/json");
      req.onload = function () {
        if (req.status !== 200) { return; }
        var snap = JSON.parse(req.responseText);
        text(document.getElementById("job-status"), STATUS[snap.status] || snap.status);
        document.getElementById("job-status").className = "badge state-" + snap.status;
        text(document.getElementById("job-stage"), snap.stage);
        text(document.getElementById("job-elapsed"), snap.elapsed_s);
        renderStages(document.getElementById("job-stages"), snap);
        renderSections(document.querySelector("#job-sections tbody"), snap.sections);
        if (snap.status === "done" || snap.status === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      };
      req.send();
    }, 700);
  }

  function openRuleFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (box) {
      var status = box.getAttribute("data-status");
      if (status === "queued" || status === "running") { poll(box); }
    }
    openRuleFromHash();
    window.addEventListener("hashchange", openRuleFromHash);
  });
})();
