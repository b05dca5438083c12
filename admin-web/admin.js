// The admin UI: a thin client of /admin/api. The session (or break-glass) token lives in sessionStorage only.
"use strict";

const api = {
  token: sessionStorage.getItem("higress-admin-token") || "",
  async call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { "Authorization": "Bearer " + this.token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = data.error || {};
      throw new Error(`${response.status}: ${error.message || "request failed"}` + (error.param ? ` (${error.param})` : ""));
    }
    return data;
  },
};

const $ = (selector) => document.querySelector(selector);

function text(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Renders rows into a table; cells are text only, never HTML, so nothing from the API can inject markup. */
function table(element, columns, rows, actions) {
  element.replaceChildren();
  const head = element.createTHead().insertRow();
  for (const [title] of columns) head.appendChild(Object.assign(document.createElement("th"), { textContent: title }));
  if (actions) head.appendChild(document.createElement("th"));
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [, render] of columns) {
      const cell = tr.insertCell();
      const value = render(row);
      cell.textContent = text(value);
      if (typeof value === "string" && value.startsWith("open")) cell.className = "state-open";
      if (value === "half-open") cell.className = "state-half-open";
    }
    if (actions) actions(tr.insertCell(), row);
  }
}

function showError(error) {
  $("#error").textContent = error ? error.message : "";
}

async function guarded(action) {
  try {
    showError(null);
    await action();
  } catch (error) {
    showError(error);
  }
}

const panels = {
  async keys() {
    const page = await api.call("GET", "/admin/api/keys?limit=200");
    table($("#keys"), [
      ["Name", (k) => k.name], ["Owner", (k) => k.owner], ["Key", (k) => k.display_prefix],
      ["Models", (k) => k.allowed_models.join(", ") || "all"], ["Budget", (k) => k.budget_usd],
      ["Spent", (k) => k.spent_usd], ["Session text", (k) => k.session_text], ["Expires", (k) => k.expires_at],
      ["Disabled", (k) => k.disabled ? k.disabled_reason || "yes" : ""],
    ], page.data, (cell, key) => {
      const toggle = Object.assign(document.createElement("button"), { textContent: key.disabled ? "Enable" : "Disable" });
      toggle.onclick = () => guarded(async () => {
        await api.call("PATCH", "/admin/api/keys/" + encodeURIComponent(key.id), { disabled: !key.disabled });
        await panels.keys();
      });
      const remove = Object.assign(document.createElement("button"), { textContent: "Delete" });
      remove.onclick = () => guarded(async () => {
        if (!confirm(`Delete key ${key.name}? Clients using it stop working at once.`)) return;
        await api.call("DELETE", "/admin/api/keys/" + encodeURIComponent(key.id));
        await panels.keys();
      });
      const text = document.createElement("select");
      for (const value of ["default", "store", "omit"]) text.add(new Option("text: " + value, value, false, value === key.session_text));
      text.onchange = () => guarded(async () => {
        await api.call("PATCH", "/admin/api/keys/" + encodeURIComponent(key.id), { session_text: text.value });
        await panels.keys();
      });
      cell.append(toggle, " ", remove, " ", text);
    });
  },
  async sessions(cursor) {
    const query = new URLSearchParams({ limit: "50" });
    const keyId = new FormData($("#sessions-form")).get("key_id");
    if (keyId) query.set("key_id", keyId);
    if (cursor) query.set("cursor", cursor);
    const page = await api.call("GET", "/admin/api/sessions?" + query);
    table($("#sessions"), [
      ["Session", (s) => s.id], ["Key", (s) => `${s.key_name} (${s.key_id})`], ["Turns", (s) => s.turns],
      ["Sticky target", (s) => s.sticky ? `${s.sticky.provider}/${s.sticky.model}` : ""],
      ["Last activity", (s) => s.last_activity], ["Expires in s", (s) => s.ttl_seconds],
    ], page.data);
    const more = $("#sessions-more");
    more.hidden = !page.next_cursor;
    more.onclick = () => guarded(() => panels.sessions(page.next_cursor));
  },
  async providers() {
    const list = await api.call("GET", "/admin/api/providers");
    table($("#providers"), [
      ["Id", (p) => p.id], ["Preset", (p) => p.preset], ["Base URL", (p) => p.base_url], ["Models", (p) => (p.models || []).join(", ")],
      ["Keys", (p) => (p.keys || []).map((k) => `${k.hint} (${k.status})`).join(", ")], ["Status", (p) => p.status], ["Source", (p) => p.source],
    ], list.data);
  },
  async models() {
    const list = await api.call("GET", "/admin/api/models");
    table($("#models"), [
      ["Name", (m) => m.name], ["Strategy", (m) => m.strategy],
      ["Targets", (m) => (m.targets || []).map((t) => `${t.provider}/${t.model} w${t.weight} p${t.priority}`).join(", ")],
      ["Fallbacks", (m) => (m.fallbacks || []).join(", ")], ["Source", (m) => m.source],
    ], list.data);
  },
  async usage() {
    const form = new FormData($("#usage-form"));
    const filters = new URLSearchParams();
    for (const name of ["model", "key"]) if (form.get(name)) filters.set(name, form.get(name));
    const summary = await api.call("GET", `/admin/api/usage/summary?bucket=${form.get("bucket")}&${filters}`);
    table($("#summary"), [
      ["Bucket", (b) => b.start], ["Requests", (b) => b.requests], ["Errors", (b) => b.errors],
      ["Prompt tokens", (b) => b.prompt_tokens], ["Completion tokens", (b) => b.completion_tokens], ["Cost USD", (b) => b.cost_usd],
    ], summary.data || summary.buckets || []);
    const usage = await api.call("GET", `/admin/api/usage?limit=100&${filters}`);
    table($("#usage"), [
      ["Time", (u) => u.created_at], ["Key", (u) => u.key_id], ["Model", (u) => u.model], ["Provider", (u) => u.provider],
      ["Status", (u) => u.status], ["Outcome", (u) => u.outcome], ["ms", (u) => u.duration_ms], ["TTFT", (u) => u.ttft_ms],
      ["Tokens in/out", (u) => `${u.prompt_tokens}/${u.completion_tokens}`], ["Cost", (u) => u.cost_usd],
    ], usage.data);
  },
  async routing() {
    const health = await api.call("GET", "/admin/api/routing/health");
    const rows = Object.entries(health.targets).map(([name, h]) => ({ name, ...h }))
      .concat(Object.entries(health.keys).map(([name, h]) => ({ name: "key " + name, ...h })));
    table($("#circuits"), [
      ["Target / key", (r) => r.name], ["State", (r) => r.state], ["Cooldown ms", (r) => r.cooldown_ms],
      ["Window", (r) => `${r.window_failures}/${r.window_attempts} failed`], ["Latency ms", (r) => r.latency_ms],
      ["In flight", (r) => r.in_flight], ["Reason", (r) => r.reason],
    ], rows);
  },
  async audit() {
    const page = await api.call("GET", "/admin/api/audit?limit=200");
    table($("#audit"), [
      ["Time", (a) => a.created_at], ["Actor", (a) => a.actor], ["Action", (a) => a.action],
      ["Resource", (a) => `${a.resource_type} ${a.resource_id}`], ["Details", (a) => a.details],
    ], page.data);
  },
};

function show(tab) {
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === tab));
  document.querySelectorAll("[data-panel]").forEach((p) => { p.hidden = p.dataset.panel !== tab; });
  guarded(() => panels[tab]());
}

async function enter() {
  const me = await api.call("GET", "/admin/api/me");
  $("#who").textContent = `${me.username} (${me.role})`;
  $("#login").hidden = true;
  $("#app").hidden = false;
  $("#logout").hidden = false;
  show("keys");
}

async function signIn(token) {
  api.token = token;
  sessionStorage.setItem("higress-admin-token", token);
  try {
    await enter();
    $("#login-error").textContent = "";
  } catch (error) {
    sessionStorage.removeItem("higress-admin-token");
    $("#login-error").textContent = error.message;
  }
}

$("#login-form").onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    api.token = "";
    const session = await api.call("POST", "/admin/api/login", { username: form.get("username"), password: form.get("password") });
    await signIn(session.token);
  } catch (error) {
    $("#login-error").textContent = error.message;
  }
};
$("#token-form").onsubmit = (event) => {
  event.preventDefault();
  signIn(new FormData(event.target).get("token"));
};
$("#logout").onclick = async () => {
  await api.call("POST", "/admin/api/logout").catch(() => null);
  sessionStorage.removeItem("higress-admin-token");
  location.reload();
};
document.querySelectorAll("nav button").forEach((button) => { button.onclick = () => show(button.dataset.tab); });
$("#key-form").onsubmit = (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = new FormData(event.target);
    const body = { name: form.get("name") };
    if (form.get("owner")) body.owner = form.get("owner");
    if (form.get("allowed_models")) body.allowed_models = form.get("allowed_models").split(",").map((m) => m.trim()).filter(Boolean);
    if (form.get("budget_usd")) body.budget_usd = Number(form.get("budget_usd"));
    body.session_text = form.get("session_text");
    const created = await api.call("POST", "/admin/api/keys", body);
    const notice = $("#new-key");
    notice.textContent = `New key for ${created.name} (shown once, copy it now): ${created.key}`;
    notice.hidden = false;
    event.target.reset();
    await panels.keys();
  });
};
$("#usage-form").onsubmit = (event) => { event.preventDefault(); guarded(() => panels.usage()); };
$("#sessions-form").onsubmit = (event) => { event.preventDefault(); guarded(() => panels.sessions()); };
$("#plan-form").onsubmit = (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = new FormData(event.target);
    const query = new URLSearchParams({ model: form.get("model") });
    for (const flag of ["stream", "tools", "vision"]) if (form.get(flag)) query.set(flag, "true");
    const plan = await api.call("GET", "/admin/api/routing/plan?" + query);
    table($("#plan"), [
      ["From", (t) => t.from_model], ["Target", (t) => `${t.provider}/${t.upstream_model}`], ["Priority", (t) => t.priority],
      ["Weight", (t) => t.weight], ["Effective", (t) => t.effective_weight], ["State", (t) => t.health.state], ["Verdict", (t) => t.verdict],
    ], plan.targets);
  });
};

if (api.token) enter().catch(() => sessionStorage.removeItem("higress-admin-token"));
