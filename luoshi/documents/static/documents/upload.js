// Document upload: drop a file on the form, watch the upload's progress, see the server's refusal next to the field.
// Without this script the form posts as a plain multipart form; with it the same form goes through
// XMLHttpRequest asking for JSON: {"location": url} on success, {"errors": {field: [message]}} with 400.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector('input[type="file"]');
  var zone = form.querySelector("[data-dropzone]");
  var fileName = form.querySelector("[data-file-name]");
  var progress = form.querySelector("[data-progress]");
  var bar = progress.querySelector("progress");
  var label = form.querySelector("[data-progress-label]");
  var button = form.querySelector('button[type="submit"]');
  var text = form.dataset;

  form.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

  function showChosen() {
    var file = input.files && input.files[0];
    fileName.textContent = file ? text.msgChosen + " " + file.name : "";
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-errors-for]").forEach(function (box) {
      var messages = errors[box.dataset.errorsFor] || [];
      box.textContent = "";
      if (!messages.length) { return; }
      var list = document.createElement("ul");
      list.className = "errorlist";
      if (box.dataset.errorsFor !== "__all__") { list.id = "id_" + box.dataset.errorsFor + "_error"; } // as Django names it
      messages.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      box.appendChild(list);
    });
    zone.classList.toggle("has-error", Boolean(errors.file));
  }

  function busy(on) {
    button.disabled = on;
    progress.hidden = !on;
  }

  input.addEventListener("change", showChosen);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) { return; }
    var chosen = new DataTransfer();
    chosen.items.add(files[0]);
    input.files = chosen.files;
    showChosen();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      label.textContent = text.msgUploading + " " + percent + "%";
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server reads the document
      label.textContent = text.msgAnalysing;
    });
    xhr.addEventListener("load", function () {
      var reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (ignored) { reply = null; }
      if (xhr.status === 200 && reply && reply.location) {
        window.location.assign(reply.location);
        return;
      }
      busy(false);
      showErrors(reply && reply.errors ? reply.errors : { __all__: [text.msgFailed + " (HTTP " + xhr.status + ")"] });
    });
    xhr.addEventListener("error", function () {
      busy(false);
      showErrors({ __all__: [text.msgFailed] });
    });
    bar.value = 0;
    label.textContent = text.msgUploading;
    showErrors({});
    busy(true);
    xhr.send(new FormData(form));
  });
}());
