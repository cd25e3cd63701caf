import { MIN_FILL_SECONDS } from "./token";

/**
 * The optional script a site includes beside a pasted form (`<script src="…/f/embed.js" defer>`). Without it the
 * form still works: it posts to Rapport, which asks the visitor to confirm once (a pasted form has no signed
 * timestamp). With it, each form marked `data-rapport-form` gets a fresh token when the page loads, the page's
 * address and UTM parameters, the browser's own inline validation before sending, and the answer (the thank-you
 * message, or the redirect) without leaving the page. Plain ES2017, no dependencies, served as it is written here.
 */
export const EMBED_SCRIPT = `(function () {
  "use strict";
  var TOKEN = "${"_rapport_t"}";
  function hidden(form, name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }
  function say(form, text) {
    var p = form.querySelector("[data-rapport-message]");
    if (!p) {
      p = document.createElement("p");
      p.setAttribute("data-rapport-message", "");
      p.setAttribute("role", "status");
      form.appendChild(p);
    }
    p.textContent = text;
  }
  function wire(form) {
    var action = form.getAttribute("action");
    function freshToken() {
      return fetch(action + "/token", { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) { if (answer && answer.token) hidden(form, TOKEN, answer.token); return !!(answer && answer.token); })
        .catch(function () { return false; });
    }
    freshToken();
    hidden(form, "page_url", location.href.slice(0, 2000));
    var query = new URLSearchParams(location.search);
    ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (name) {
      if (query.get(name)) hidden(form, name, query.get(name).slice(0, 200));
    });
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) return;
      if (!form.querySelector('input[name="' + TOKEN + '"]')) return;
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      if (button) button.disabled = true;
      send(button, false);
    });
    function send(button, retried) {
      var body = {};
      new FormData(form).forEach(function (value, name) { if (typeof value === "string") body[name] = value; });
      fetch(action, {
        method: "POST",
        credentials: "omit",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body)
      })
        .then(function (r) {
          return r.json().then(function (answer) { return { ok: r.ok, status: r.status, answer: answer }; });
        })
        .then(function (result) {
          // The token expired, was used up or was sent too soon: a fresh one, a few seconds, and once more.
          if (!retried && result.answer && result.answer.code === "token_expired") {
            freshToken().then(function (got) {
              if (!got) { if (button) button.disabled = false; form.submit(); return; }
              setTimeout(function () { send(button, true); }, ${(MIN_FILL_SECONDS + 1) * 1000});
            });
            return;
          }
          if (button) button.disabled = false;
          // The consent text changed since this form was pasted: Rapport's own page shows the current one.
          if (result.status === 409) { form.submit(); return; }
          if (result.ok && result.answer.redirectUrl) { location.assign(result.answer.redirectUrl); return; }
          if (result.ok) { form.reset(); say(form, result.answer.message || ""); return; }
          var errors = (result.answer && result.answer.errors) || [];
          errors.forEach(function (e) {
            var field = form.querySelector('[name="' + String(e.path).replace(/^body\\./, "").replace(/["\\\\]/g, "") + '"]');
            if (field && field.setCustomValidity) { field.setCustomValidity(e.message); field.reportValidity(); }
          });
          if (!errors.length) say(form, (result.answer && result.answer.detail) || "");
        })
        .catch(function () { if (button) button.disabled = false; form.submit(); });
    }
    form.addEventListener("input", function (event) {
      if (event.target && event.target.setCustomValidity) event.target.setCustomValidity("");
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rapport-form]"), wire);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
`;
