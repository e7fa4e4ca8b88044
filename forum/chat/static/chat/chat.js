/* Chat client: no dependencies, no build step.
 * The server is the truth: every message has a per-room sequence number; after a
 * reconnect (or a gap) the client asks for everything after the last number it shows,
 * and a retried send reuses its client id, so nothing is lost or shown twice. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = form.querySelector("textarea");
  var statusEl = document.getElementById("chat-status");
  var onlineEl = document.getElementById("chat-online");
  var olderButton = document.getElementById("chat-older");
  var lastSeq = config.lastSeq || 0;
  var socket = null;
  var retryDelay = 1000;
  var pingTimer = null;
  var resumeInFlight = false;
  var outbox = [];            // sent but not yet acknowledged: resent after reconnect
  var early = {};             // messages that arrived ahead of a gap
  var readTimer = null;

  function setStatus(text) { statusEl.textContent = text; }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    return (Date.now().toString(36) + Math.random().toString(36).slice(2) + "00000000").slice(0, 24);
  }

  function timeLabel(iso) {
    var date = new Date(iso);
    return date.toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Rome" });
  }

  function actionButton(label, handler) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link";
    button.textContent = label;
    button.addEventListener("click", handler);
    return button;
  }

  function renderMessage(message) {
    var item = document.createElement("li");
    item.className = "chat-message" + (message.deleted ? " chat-message--deleted" : "");
    item.id = "msg-" + message.seq;
    item.dataset.seq = message.seq;
    item.dataset.clientId = message.client_id || "";
    var meta = document.createElement("span");
    meta.className = "chat-meta";
    var author = document.createElement("strong");
    author.textContent = message.author;
    var time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = timeLabel(message.created_at);
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
    if (message.edited && !message.deleted) {
      var edited = document.createElement("em");
      edited.textContent = " (modificato)";
      meta.appendChild(edited);
    }
    var body = document.createElement("span");
    body.className = "chat-body";
    if (message.deleted) {
      body.innerHTML = "<em>Messaggio eliminato</em>";
    } else {
      body.innerHTML = message.html; // produced by the server's one sanitizer
    }
    item.appendChild(meta);
    item.appendChild(body);
    if (!message.deleted) { addActions(item, message); }
    return item;
  }

  function addActions(item, message) {
    var own = message.author_id === config.userId;
    if (!own && !config.moderator) { return; }
    var actions = document.createElement("span");
    actions.className = "chat-actions";
    if (own) {
      actions.appendChild(actionButton("Modifica", function () {
        var text = window.prompt("Modifica il messaggio", item.querySelector(".chat-body").textContent);
        if (text) { send({ type: "edit", seq: message.seq, body: text }); }
      }));
    }
    actions.appendChild(actionButton("Elimina", function () {
      if (window.confirm("Eliminare questo messaggio?")) { send({ type: "delete", seq: message.seq }); }
    }));
    if (config.moderator && !own && message.author_id) {
      actions.appendChild(actionButton("Silenzia 15 minuti", function () {
        send({ type: "mute", user_id: message.author_id, minutes: 15 });
      }));
    }
    item.querySelector(".chat-meta").appendChild(actions);
  }

  function show(message) {
    var existing = document.getElementById("msg-" + message.seq);
    var rendered = renderMessage(message);
    if (existing) { log.replaceChild(rendered, existing); return; }
    var pending = message.client_id && log.querySelector('[data-pending="' + message.client_id + '"]');
    if (pending) { log.removeChild(pending); }
    log.appendChild(rendered);
    log.scrollTop = log.scrollHeight;
    scheduleRead();
  }

  function accept(message) {
    if (message.seq <= lastSeq) {                                 // edit or delete of a shown one
      if (document.getElementById("msg-" + message.seq)) { show(message); }
      return;
    }
    if (message.seq === lastSeq + 1) {
      show(message);
      lastSeq = message.seq;
      while (early[lastSeq + 1]) {                               // release what waited on the gap
        var next = early[lastSeq + 1];
        delete early[lastSeq + 1];
        show(next);
        lastSeq = next.seq;
      }
      return;
    }
    early[message.seq] = message;                                 // a gap: ask the server
    resume();
  }

  function resume() {
    if (resumeInFlight || !socket || socket.readyState !== WebSocket.OPEN) { return; }
    resumeInFlight = true;
    socket.send(JSON.stringify({ type: "resume", after: lastSeq }));
  }

  function scheduleRead() {
    if (readTimer || document.hidden) { return; }
    readTimer = window.setTimeout(function () {
      readTimer = null;
      send({ type: "read", seq: lastSeq });
    }, 1500);
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  var online = {};

  function presence(frame) {
    if (frame.online) { online = {}; frame.online.forEach(function (p) { online[p.id] = p.name; }); }
    (frame.joined || []).forEach(function (p) { online[p.id] = p.name; });
    (frame.left || []).forEach(function (id) { delete online[id]; });
    showOnline(Object.keys(online).map(function (id) { return { name: online[id] }; })
      .sort(function (a, b) { return a.name.localeCompare(b.name, "it"); }));
  }

  function showOnline(people) {
    onlineEl.innerHTML = "";
    if (!people.length) {
      var nobody = document.createElement("li");
      nobody.className = "portal-meta";
      nobody.textContent = "Nessuno in questo momento.";
      onlineEl.appendChild(nobody);
    }
    people.forEach(function (person) {
      var item = document.createElement("li");
      item.textContent = person.name;
      onlineEl.appendChild(item);
    });
  }

  function notice(text) {
    var item = document.createElement("li");
    item.className = "chat-message portal-meta";
    item.textContent = text;
    log.appendChild(item);
  }

  function handle(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (error) { return; }
    switch (frame.type) {
      case "hello":
        retryDelay = 1000;
        setStatus("Collegato. " + (frame.moderator ? "Sei moderatore di questa stanza." : ""));
        presence(frame);
        resumeInFlight = false;
        resume();
        outbox.forEach(function (pending) { send(pending); });     // same client ids: stored once
        break;
      case "history":
        resumeInFlight = false;
        frame.messages.forEach(function (message) {
          if (message.seq > lastSeq) { show(message); lastSeq = message.seq; } else { show(message); }
        });
        Object.keys(early).forEach(function (seq) { if (Number(seq) <= lastSeq) { delete early[seq]; } });
        if (!frame.complete || early[lastSeq + 1]) { resume(); }
        break;
      case "message":
        accept(frame);
        break;
      case "ack":
        outbox = outbox.filter(function (pending) { return pending.client_id !== frame.client_id; });
        break;
      case "presence":
        presence(frame);
        break;
      case "notice":
        notice(frame.text);
        break;
      case "error":
        setStatus(frame.message);
        if (frame.client_id) {
          outbox = outbox.filter(function (pending) { return pending.client_id !== frame.client_id; });
          var failed = log.querySelector('[data-pending="' + frame.client_id + '"]');
          if (failed) { log.removeChild(failed); input.value = failed.dataset.body || input.value; }
        }
        break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/" + config.room + "/");
    socket.addEventListener("message", handle);
    socket.addEventListener("open", function () {
      window.clearInterval(pingTimer);
      pingTimer = window.setInterval(function () { send({ type: "ping" }); }, 25000);
    });
    socket.addEventListener("close", function (event) {
      window.clearInterval(pingTimer);
      resumeInFlight = false;
      if (event.code === 4403) { setStatus("Non hai accesso a questa stanza."); return; }
      var wait = Math.min(retryDelay, 30000) * (0.75 + Math.random() / 2);
      var seconds = Math.max(1, Math.round(wait / 1000));
      setStatus("Collegamento perso: nuovo tentativo tra " + seconds + (seconds === 1 ? " secondo…" : " secondi…"));
      window.setTimeout(connect, wait);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { setStatus("Il messaggio è vuoto."); return; }
    var frame = { type: "message", client_id: newClientId(), body: text };
    var placeholder = document.createElement("li");
    placeholder.className = "chat-message chat-message--pending";
    placeholder.dataset.pending = frame.client_id;
    placeholder.dataset.body = text;
    placeholder.textContent = text + " (invio in corso…)";
    log.appendChild(placeholder);
    log.scrollTop = log.scrollHeight;
    outbox.push(frame);
    send(frame);
    input.value = "";
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  if (olderButton) {
    olderButton.addEventListener("click", function () {
      fetch(config.historyUrl + "?prima=" + olderButton.dataset.before, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (page) {
          var first = log.firstChild;
          page.messages.forEach(function (message) {
            if (!document.getElementById("msg-" + message.seq)) { log.insertBefore(renderMessage(message), first); }
          });
          if (page.messages.length) { olderButton.dataset.before = page.messages[0].seq; }
          if (!page.more) { olderButton.remove(); }
        });
    });
  }

  Array.prototype.forEach.call(log.querySelectorAll("li[data-seq]"), function (item) {
    if (!item.classList.contains("chat-message--deleted")) {
      addActions(item, { seq: Number(item.dataset.seq), author_id: Number(item.dataset.authorId) || null });
    }
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { scheduleRead(); } });
  connect();
}());
