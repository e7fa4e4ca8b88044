/* The live webinar page: questions and shared material update for everyone without
 * reloading. The server sends the whole (small) state on every change; after a
 * reconnect the page asks for it over HTTP, so a missed update is never lost.
 * Forms keep working without JavaScript (they post and reload). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var list = document.getElementById("live-questions");
  var material = document.getElementById("live-material");
  var statusEl = document.getElementById("live-status");
  var askForm = document.getElementById("live-ask");
  var csrf = askForm.querySelector("input[name=csrfmiddlewaretoken]").value;
  var socket = null;
  var retry = 0;
  var pingTimer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function actionForm(url, label, extra) {
    var form = el("form", "d-inline live-action");
    form.method = "post";
    form.action = url;
    var token = el("input");
    token.type = "hidden"; token.name = "csrfmiddlewaretoken"; token.value = csrf;
    form.appendChild(token);
    if (extra) {
      var field = el("input");
      field.type = "hidden"; field.name = extra[0]; field.value = extra[1];
      form.appendChild(field);
    }
    var button = el("button", "btn btn-link btn-sm p-0 ms-2", label);
    button.type = "submit";
    form.appendChild(button);
    return form;
  }

  function questionUrl(template, id) { return template.replace("/0/", "/" + id + "/"); }

  function render(state) {
    var focusedForm = document.activeElement && document.activeElement.closest("li[data-question]");
    var focusedId = focusedForm ? focusedForm.getAttribute("data-question") : null;
    list.textContent = "";
    if (!state.questions.length) {
      list.appendChild(el("li", "portal-meta", "Ancora nessuna domanda."));
    }
    state.questions.forEach(function (q) {
      var item = el("li", "border-bottom py-2" + (q.answered ? " text-muted" : ""));
      item.setAttribute("data-question", q.id);
      var body = el("div");
      body.innerHTML = q.html;  // sanitised by the server's one sanitizer
      item.appendChild(body);
      var meta = el("div", "portal-meta", q.author + " · " + q.votes + (q.votes === 1 ? " voto" : " voti"));
      if (q.answered) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("strong", "", "Risposta data")); }
      if (q.forum_url) {
        var link = el("a", "", "nel forum"); link.href = q.forum_url;
        meta.appendChild(document.createTextNode(" · ")); meta.appendChild(link);
      }
      item.appendChild(meta);
      if (!q.answered && !q.forum_url) { item.appendChild(actionForm(questionUrl(config.voteUrl, q.id), "Vota")); }
      if (config.leads) {
        item.appendChild(actionForm(questionUrl(config.answeredUrl, q.id),
          q.answered ? "Riapri" : "Segna come risposta", ["answered", q.answered ? "0" : "1"]));
        item.appendChild(actionForm(questionUrl(config.hideUrl, q.id), "Nascondi"));
      }
      list.appendChild(item);
    });
    if (focusedId) {
      var again = list.querySelector('li[data-question="' + focusedId + '"] button');
      if (again) { again.focus(); }
    }
    material.textContent = "";
    if (state.material) {
      var p = el("p"); var a = el("a", "", state.material.title);
      a.href = state.material.url; a.rel = "noopener";
      p.appendChild(a); material.appendChild(p);
    } else {
      material.appendChild(el("p", "portal-meta", "I relatori non hanno ancora condiviso materiale."));
    }
  }

  function reload() {
    fetch(config.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { render(state); } })
      .catch(function () {});
  }

  function post(form) {
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: new FormData(form)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  askForm.addEventListener("submit", function (event) {
    event.preventDefault();
    post(askForm).then(function (result) {
      if (result.ok) {
        askForm.reset();
        statusEl.textContent = "Domanda inviata ai relatori.";
        reload();
      } else {
        statusEl.textContent = result.data.error || "Domanda non inviata.";
      }
    }).catch(function () { askForm.submit(); });
  });

  list.addEventListener("submit", function (event) {
    var form = event.target.closest("form.live-action");
    if (!form) { return; }
    event.preventDefault();
    post(form).then(function (result) {
      statusEl.textContent = result.ok ? "Fatto." : (result.data.error || "Operazione non riuscita.");
      reload();
    }).catch(function () { form.submit(); });
  });

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/webinar/" + config.session + "/");
    socket.onopen = function () {
      retry = 0;
      reload();
      pingTimer = window.setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) { socket.send('{"type":"ping"}'); }
      }, 30000);
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "state") { render(frame); }
    };
    socket.onclose = function (event) {
      window.clearInterval(pingTimer);
      if (event.code === 4403) {
        statusEl.textContent = "Non hai accesso a questa diretta.";
        return;
      }
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, Math.pow(2, retry) * 500 + Math.random() * 500);
    };
  }
  connect();
}());
