// django-celery-beat's periodic task form (templates/admin/djcelery/change_periodictask_form.html): under the
// crontab choice, say in words when the chosen crontab runs. A file, as the CSP forbids inline scripts.
(function () {
  "use strict";
  var $ = django.jQuery;
  var script = document.getElementById("periodic-task-overrides");
  var readable = document.getElementById("readable-crontabs");
  var readableCrontabs = readable ? JSON.parse(readable.textContent) : {};
  var originalHelp = script ? script.dataset.crontabHelp || "" : "";

  function updateCrontabHelp(additional) {
    var help = $(".field-crontab .help");
    help.text(originalHelp);
    if (additional) {
      help.append(document.createElement("br"), document.createTextNode("Translation: " + additional));
    }
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    updateCrontabHelp(readableCrontabs[$("#id_crontab").val()]);
  });
})();
