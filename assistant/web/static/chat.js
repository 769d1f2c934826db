// Chat panels of the report page: post the message with fetch and show the reply as it streams
// (Server-Sent Events over the POST response). Without this script the form posts normally and the
// page reloads with the result. Every text from the server is set with textContent; only the section
// body, rendered and escaped by the server, is set as HTML.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function addMessage(list, role, label, text, extraClass) {
    var item = document.createElement("li");
    item.className = "msg msg-" + role + (extraClass ? " " + extraClass : "");
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = label;
    var content = document.createElement("div");
    content.className = "content";
    content.textContent = text;
    item.appendChild(who);
    item.appendChild(content);
    list.appendChild(item);
    return item;
  }

  function markFailed(item, reason) {
    if (!item) { return; }
    item.classList.add("failed");
    var why = document.createElement("div");
    why.className = "why";
    why.textContent = "未完成：" + reason;
    item.appendChild(why);
  }

  // Split an SSE byte stream into {event, data} records.
  function parseEvents(buffer, onEvent) {
    var records = buffer.split(/\r\n\r\n|\n\n|\r\r/);
    var rest = records.pop();
    records.forEach(function (record) {
      var event = "message", data = [];
      record.split(/\r\n|\n|\r/).forEach(function (line) {
        if (line.indexOf("event:") === 0) { event = line.slice(6).trim(); }
        else if (line.indexOf("data:") === 0) { data.push(line.slice(5).replace(/^ /, "")); }
      });
      if (data.length) { onEvent(event, JSON.parse(data.join("\n"))); }
    });
    return rest;
  }

  function refreshSection(section, payload) {
    var body = section.querySelector(".body");
    if (body) { body.innerHTML = payload.html; }  // server-rendered, every piece escaped
    var meta = section.querySelector('[data-role="meta"]');
    if (meta) { meta.textContent = payload.meta; }
    var summary = section.querySelector('[data-role="summary"]');
    if (summary && payload.check) { summary.textContent = payload.check.summary; }
    var edit = section.querySelector(".edit-form");
    if (edit) {
      edit.querySelector('textarea[name="text"]').value = payload.markup;
      edit.querySelector('input[name="expected_number"]').value = payload.version;
    }
  }

  function send(form, event) {
    event.preventDefault();
    var section = form.closest("section.unit");
    var list = section.querySelector('[data-role="messages"]');
    var status = form.querySelector('[data-role="status"]');
    var button = form.querySelector("button");
    var field = form.querySelector('[name="message"]');
    var text = field.value.trim();
    if (!text) { return; }
    var mine = null, reply = null;
    button.disabled = true;
    status.textContent = "正在修改…";
    fetch(form.action, {
      method: "POST",
      headers: {"Accept": "text/event-stream, application/json", "X-CSRF-Token": csrfToken(),
                "Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams({message: text}).toString(),
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok || !response.body) {
        return response.json().then(function (body) {
          throw new Error(body && body.error ? body.error.message : "请求失败（" + response.status + "）");
        }, function () { throw new Error("请求失败（" + response.status + "）"); });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder("utf-8");
      var buffer = "";
      function handle(name, payload) {
        if (name === "message") {
          mine = addMessage(list, "user", "工作人员", payload.content);
          if (field.tagName === "TEXTAREA") { field.value = ""; }
          reply = addMessage(list, "assistant", "助手", "", "streaming");
        } else if (name === "token") {
          reply.querySelector(".content").textContent += payload.text;
        } else if (name === "done") {
          refreshSection(section, payload);
          reply.classList.remove("streaming");
          reply.querySelector(".content").textContent = payload.reply;
          status.textContent = payload.changed === false ? "未保存新版本" : "已保存为" + payload.meta;
        } else if (name === "failed") {
          if (reply) { reply.remove(); reply = null; }
          markFailed(mine, payload.reason);
          if (payload.reply) { addMessage(list, "note", "系统", payload.reply); }
          status.textContent = "本节没有改动，您的消息已保存";
        }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          buffer = parseEvents(buffer + decoder.decode(chunk.value, {stream: true}), handle);
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      status.textContent = error.message;
    }).then(function () {
      button.disabled = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch || !window.TextDecoder) { return; }  // the plain form still works
    document.querySelectorAll("form.chat-form").forEach(function (form) {
      form.addEventListener("submit", function (event) { send(form, event); });
    });
  });
})();
