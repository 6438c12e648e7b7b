/*
 * The issue form on a cheap phone with a weak signal. The form works without this script; with it:
 * - what is typed is kept in localStorage while typing and restored on the next visit, until the receipt
 *   page (which carries data-issue-draft-clear) says the issue is in;
 * - photos are shrunk in the browser (canvas → JPEG, longest side ≤ data-max-side) before upload, where the
 *   browser can; otherwise the originals go up and the server shrinks them;
 * - the submit button is disabled on submit, so a double tap sends one form;
 * - the organization choice (district → town → village, or a name) fetches its next list as a small HTML
 *   block instead of sending the whole form back, and a draft's organization is fetched back with it.
 */
(function () {
  "use strict";

  var DRAFT_KEY = "tongxinhui.issue-draft.v1";
  var DRAFT_FIELDS = [
    "district", "town", "village", "organization", "title", "category", "description", "place",
    "submitter_name", "submitter_phone", "phone_visible_to_department"
  ];

  function openStorage() {
    try {
      var storage = window.localStorage;
      storage.setItem(DRAFT_KEY + ".probe", "1");
      storage.removeItem(DRAFT_KEY + ".probe");
      return storage;
    } catch (error) {
      return null; // private mode or storage disabled: the form still works
    }
  }

  var storage = openStorage();

  if (document.querySelector("[data-issue-draft-clear]")) {
    if (storage) { storage.removeItem(DRAFT_KEY); }
    return;
  }

  var form = document.querySelector("form[data-issue-form]");
  if (!form) { return; }

  function show(element) { if (element) { element.classList.remove("d-none"); } }

  /* ---- the draft ------------------------------------------------------------------------------------- */

  function readDraft() {
    if (!storage) { return {}; }
    try { return JSON.parse(storage.getItem(DRAFT_KEY) || "{}") || {}; } catch (error) { return {}; }
  }

  function saveDraft() {
    if (!storage) { return; }
    var draft = {};
    DRAFT_FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field || field.type === "hidden") { return; }
      draft[name] = field.type === "checkbox" ? field.checked : field.value;
    });
    try {
      storage.setItem(DRAFT_KEY, JSON.stringify(draft));
      show(form.querySelector("[data-draft-saved]"));
    } catch (error) { /* storage full: nothing more to do */ }
  }

  function restoreDraft() {
    var draft = readDraft();
    var bound = form.getAttribute("data-bound") === "1";
    var restored = false;
    DRAFT_FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field || field.type === "hidden" || !(name in draft)) { return; }
      if (field.type === "checkbox") {
        // After a failed submit the server's rendering is the truth; on a fresh page the draft is.
        if (!bound && draft[name] && !field.checked) { field.checked = true; restored = true; }
        return;
      }
      // Never overwrite what the page already holds (typed text sent back, a member's prefilled name).
      if (!field.value && draft[name]) { field.value = draft[name]; restored = restored || !bound; }
    });
    if (restored) { show(document.querySelector("[data-draft-restored]")); }
  }

  var discard = document.querySelector("[data-draft-discard]");
  if (discard) {
    discard.addEventListener("click", function () {
      if (storage) { storage.removeItem(DRAFT_KEY); }
      window.location.reload();
    });
  }

  /* ---- the organization, place first or by name ------------------------------------------------------- */

  function choiceBlock() { return form.querySelector("[data-organization-choice]"); }

  function each(root, selector, step) { Array.prototype.forEach.call(root.querySelectorAll(selector), step); }

  function organizationValue() {
    var field = form.elements.organization;
    return field && field.type !== "hidden" ? field.value : "";
  }

  function loadChoice(params, focusAfter) {
    var block = choiceBlock();
    if (!block || !window.fetch) { return Promise.resolve(false); }
    var query = Object.keys(params).filter(function (name) { return params[name]; }).map(function (name) {
      return encodeURIComponent(name) + "=" + encodeURIComponent(params[name]);
    }).join("&");
    block.setAttribute("aria-busy", "true");
    return fetch(block.getAttribute("data-choices-url") + "?" + query, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("[data-organization-choice]");
        if (!fresh) { throw new Error("no choice"); }
        block.parentNode.replaceChild(fresh, block);
        enhanceChoice(fresh);
        var next = focusAfter ? focusAfter(fresh) : null;
        if (next) { next.focus(); }
        saveDraft();
        return true;
      })
      .catch(function () {
        // A weak signal: the buttons send the form back instead, with what was typed.
        block.removeAttribute("aria-busy");
        each(block, "[data-place-button]", function (button) { button.hidden = false; });
        return false;
      });
  }

  function enhanceChoice(block) {
    var steps = block.querySelectorAll("select[data-place-step]");
    each(block, "[data-place-button]", function (button) { button.hidden = true; });
    Array.prototype.forEach.call(steps, function (select, index) {
      select.addEventListener("change", function () {
        var params = { organization: organizationValue() };
        for (var above = 0; above <= index; above += 1) { params[steps[above].name] = steps[above].value; }
        loadChoice(params, function (fresh) {
          var following = fresh.querySelectorAll("select[data-place-step]")[index + 1];
          return select.value && following ? following : (select.value ? form.elements.organization : null);
        });
      });
    });
    var search = block.querySelector("[data-organization-search]");
    function find(event) {
      event.preventDefault();
      loadChoice({ org_q: search.value.trim(), organization: organizationValue() }, function () {
        return form.elements.organization;
      });
    }
    var searchButton = block.querySelector("[data-search-button]");
    if (searchButton) { searchButton.addEventListener("click", find); }
    if (search) {
      search.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(event); } });
    }
  }

  function restoreOrganization(draft) {
    // The draft's organization may not be in the list this page holds: the block is fetched with it chosen.
    var field = form.elements.organization;
    if (!field || field.type === "hidden" || field.value) { return; }
    var listed = draft.organization &&
      field.querySelector("option[value='" + String(draft.organization).replace(/'/g, "") + "']");
    if (listed) { field.value = draft.organization; return; }
    if (!draft.organization && !(draft.district && !form.elements.town)) { return; }
    loadChoice({
      district: draft.district, town: draft.town, village: draft.village, organization: draft.organization
    }, null).then(function (loaded) {
      if (loaded) { show(document.querySelector("[data-draft-restored]")); }
    });
  }

  if (choiceBlock()) { enhanceChoice(choiceBlock()); }
  var bound = form.getAttribute("data-bound") === "1";
  restoreDraft();
  if (!bound) { restoreOrganization(readDraft()); }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  /* ---- photos shrunk before upload -------------------------------------------------------------------- */

  var photoInput = form.querySelector("input[type=file][data-shrink-photos]");
  var photoStatus = form.querySelector("[data-photo-status]");
  var shrinking = null; // a Promise while photos are being shrunk

  function canShrink() {
    try {
      return Boolean(window.DataTransfer && window.File && window.URL && URL.createObjectURL &&
        HTMLCanvasElement.prototype.toBlob && new DataTransfer().items);
    } catch (error) {
      return false; // old browsers cannot build a DataTransfer: the originals are uploaded
    }
  }

  function shrinkOne(file, maxSide) {
    return new Promise(function (resolve) {
      // GIF (may be animated), HEIC and anything unknown go up as they are; the server checks them.
      if (!/^image\/(jpeg|png|webp)$/.test(file.type)) { resolve(file); return; }
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () {
        var width = image.naturalWidth, height = image.naturalHeight;
        var scale = Math.min(1, maxSide / Math.max(width, height));
        if (scale === 1 && file.size < 1024 * 1024) { URL.revokeObjectURL(url); resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff"; // transparent PNG areas become white, not black
        context.fillRect(0, 0, canvas.width, canvas.height);
        // Browsers draw the image upright (EXIF orientation applied); the canvas copy carries no EXIF.
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.82);
      };
      image.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      image.src = url;
    });
  }

  function setPhotoStatus(text) {
    if (!photoStatus) { return; }
    photoStatus.textContent = text;
    show(photoStatus);
  }

  if (photoInput && canShrink()) {
    var maxSide = parseInt(photoInput.getAttribute("data-max-side"), 10) || 1600;
    var maxCount = parseInt(photoInput.getAttribute("data-max-count"), 10) || 6;
    photoInput.addEventListener("change", function () {
      var files = Array.prototype.slice.call(photoInput.files || []);
      if (!files.length || files.length > maxCount) { return; } // too many: the server says so next to the field
      setPhotoStatus(photoStatus.getAttribute("data-busy-text"));
      shrinking = Promise.all(files.map(function (file) { return shrinkOne(file, maxSide); }))
        .then(function (shrunk) {
          var transfer = new DataTransfer();
          shrunk.forEach(function (file) { transfer.items.add(file); });
          photoInput.files = transfer.files;
        })
        .catch(function () { /* keep the originals */ })
        .then(function () {
          shrinking = null;
          setPhotoStatus(photoStatus.getAttribute("data-done-text").replace("%(count)s", String(files.length)));
        });
    });
  }

  /* ---- one submit per form ----------------------------------------------------------------------------- */

  var submitButton = form.querySelector("button.issue-submit");
  var idleText = submitButton ? submitButton.textContent : "";

  function markBusy() {
    if (!submitButton) { return; }
    submitButton.disabled = true;
    submitButton.textContent = submitButton.getAttribute("data-busy-text") || idleText;
  }

  // Enter in a text box sends the issue, not the first button of the form (a step of the organization choice).
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !submitButton || !form.requestSubmit) { return; }
    if (target.tagName !== "INPUT" || target.type === "search" || target.type === "file") { return; }
    event.preventDefault();
    form.requestSubmit(submitButton);
  });

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.formNoValidate) { saveDraft(); return; } // a step of the choice
    if (form.getAttribute("data-submitting") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-submitting", "1");
    saveDraft();
    markBusy();
    if (shrinking) {
      // Wait for the shrunk photos, then send; form.submit() does not fire this handler again.
      event.preventDefault();
      shrinking.then(function () { form.submit(); });
    }
  });

  // Coming back with the Back button (page from the bfcache) must not leave the button dead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && submitButton) {
      form.removeAttribute("data-submitting");
      submitButton.disabled = false;
      submitButton.textContent = idleText;
    }
  });
})();
