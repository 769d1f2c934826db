// The data form: nothing typed is lost. Every change is kept as a local draft (localStorage, this browser
// only) and restored on return with a notice and a discard button; leaving with unsaved changes asks
// first; 附件1's 三公 cells (万元) follow the 元 table as it is typed. No library.
(function () {
  "use strict";
  var form = document.querySelector("form.data-form[data-draft-key]");
  if (!form) return;
  var key = form.dataset.draftKey;
  var notice = document.querySelector("[data-role=draft-notice]");
  var dirtyNote = form.querySelector("[data-role=dirty]");
  var dirty = false;
  var timer = null;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "expected_number" && el.type !== "hidden" &&
        el.type !== "file" && el.type !== "submit" && !el.disabled;
    });
  }

  function values() {
    var out = {};
    fields().forEach(function (el) { out[el.name] = el.value; });
    return out;
  }

  function readDraft() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function saveDraft() {
    try {
      localStorage.setItem(key, JSON.stringify({ base: form.dataset.version, at: Date.now(), fields: values() }));
    } catch (e) { /* storage full or disabled: the unsaved-changes warning still protects the input */ }
  }

  function markDirty() {
    dirty = true;
    if (dirtyNote) dirtyNote.textContent = "有未保存的修改（已在本机保留草稿）";
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 400);
  }

  // -- 三公: 元 → 万元, exact decimal arithmetic on the digits (BigInt), 四舍五入 to 2 places --------------
  function toWan(text, unit) {
    var plain = text.replace(/[,，\s]/g, "");
    var match = /^(\d*)(?:\.(\d*))?$/.exec(plain);
    if (!plain || !match) return null;
    if (unit === "元") return plain;
    var fraction = match[2] || "";
    var scaled = BigInt((match[1] || "0") + fraction);          // 元 × 10^k
    var divisor = 100n * 10n ** BigInt(fraction.length);        // 万元 × 100 = 元 ÷ 100
    var hundredths = (scaled * 2n + divisor) / (2n * divisor);  // floor(x + 0.5): 四舍五入
    var digits = hundredths.toString().padStart(3, "0");
    return digits.slice(0, -2) + "." + digits.slice(-2);
  }

  function derive(target, fromInput) {
    var source = form.elements[target.dataset.derivedFrom];
    if (!source) return;
    var blank = !source.value.trim();
    target.readOnly = !blank;
    if (!fromInput || blank) return;
    var wan = toWan(source.value, form.dataset.unit);
    if (wan === null) return;
    if (/^0*(\.0*)?$/.test(source.value.trim()) && !target.value) return;  // 0 元: a blank cell stays blank
    target.value = wan;
  }

  var derived = Array.prototype.slice.call(form.querySelectorAll("[data-derived-from]"));
  derived.forEach(function (target) {
    derive(target, false);
    var source = form.elements[target.dataset.derivedFrom];
    if (source) source.addEventListener("input", function () { derive(target, true); });
  });

  // -- restore a kept draft ------------------------------------------------------------------------
  var saved = document.querySelector("[data-role=saved]");
  var draft = readDraft();
  if (saved) {
    localStorage.removeItem(key);  // this page shows a successful save: the draft is in the store now
  } else if (draft && draft.fields) {
    var current = values(), changed = 0;
    fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(draft.fields, el.name) && draft.fields[el.name] !== current[el.name]) {
        el.value = draft.fields[el.name];
        changed += 1;
      }
    });
    if (changed && notice) {
      var when = new Date(draft.at).toLocaleString("zh-CN");
      var text = "已恢复您在本机未保存的填写（" + when + "，" + changed + "处）。请核对后点“保存（新版本）”。";
      if (String(draft.base) !== String(form.dataset.version)) {
        text += "注意：草稿基于第" + draft.base + "版，当前已保存的数据是第" + form.dataset.version + "版。";
      }
      notice.querySelector("[data-role=draft-text]").textContent = text;
      notice.hidden = false;
      derived.forEach(function (target) { derive(target, false); });
      markDirty();
    } else if (!changed) {
      localStorage.removeItem(key);
    }
  }
  if (notice) {
    notice.querySelector("[data-role=draft-discard]").addEventListener("click", function () {
      localStorage.removeItem(key);
      dirty = false;
      window.location.reload();
    });
  }

  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); saveDraft(); });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own "leave the page?" question
  });
})();
