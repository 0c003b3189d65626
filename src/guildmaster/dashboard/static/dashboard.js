// guildmaster dashboard: renders /api/status snapshots (live through Server-Sent Events,
// falling back to polling) and drives the coordinator's switches. No framework, no build step.
"use strict";

(function () {
  const SKILLS = ["mining", "woodcutting", "fishing", "weaponcrafting", "gearcrafting",
    "jewelrycrafting", "cooking", "alchemy"];
  const SHORT = {
    mining: "min", woodcutting: "wood", fishing: "fish", weaponcrafting: "weap",
    gearcrafting: "gear", jewelrycrafting: "jewl", cooking: "cook", alchemy: "alch",
  };
  const COLORS = ["#2f6fde", "#d64545", "#2e9d5b", "#c9821f", "#7c5cd6", "#1b998b", "#e36397",
    "#5c6b73", "#8a6d3b", "#3d5a80"];
  const POLL_MS = 2000;
  const STALE_MS = 10000;

  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  let lastSnapshot = null;
  let receivedAt = 0;
  let source = null;
  let pollTimer = null;
  let busy = false;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "testid") node.dataset.testid = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function bar(kind, value, max, extraClass) {
    const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
    const fill = el("span");
    fill.style.width = `${(share * 100).toFixed(1)}%`;
    return el("div", { class: `bar ${kind} ${extraClass || ""}`, testid: `${kind}-bar`,
      "data-share": share.toFixed(3) }, fill);
  }

  function setConnection(text) {
    const node = $("connection");
    node.textContent = text;
    node.className = `conn ${text}`;
  }

  function fmtSeconds(seconds) {
    if (seconds < 0.05) return "ready";
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    const m = Math.floor(seconds / 60);
    return `${m} m ${Math.round(seconds - m * 60)} s`;
  }

  function fmtTime(iso) {
    const when = new Date(iso);
    return Number.isNaN(when.getTime()) ? String(iso) : when.toLocaleTimeString();
  }

  // ------------------------------------------------------------------ characters

  function characterRow(c) {
    const hpLow = c.max_hp > 0 && c.hp / c.max_hp < 0.3;
    const skills = el("div", { class: "skills", testid: "skills" });
    for (const skill of SKILLS) {
      skills.append(el("span", { title: skill, testid: `skill-${skill}` },
        `${SHORT[skill]} `, el("b", {}, c.skills[skill] ?? 1)));
    }
    const pos = c.position ? `(${c.position.x}, ${c.position.y})${c.position.layer &&
      c.position.layer !== "overworld" ? " " + c.position.layer : ""}` : "-";
    const task = c.task ? `${c.task.code} ${c.task.progress}/${c.task.total}` : "-";
    const cooldown = el("td", { class: "cooldown", testid: "cooldown",
      "data-seconds": String(c.cooldown) });
    const row = el("tr", { testid: "character-row", "data-name": c.name },
      el("td", { class: "name", testid: "name" }, c.name),
      el("td", {},
        el("span", { testid: "level" }, c.level),
        el("span", { class: "sub", testid: "xp" }, ` ${c.xp}/${c.max_xp} xp`),
        bar("xp", c.xp, c.max_xp)),
      el("td", {},
        el("span", { testid: "hp" }, `${c.hp}/${c.max_hp}`),
        bar("hp", c.hp, c.max_hp, hpLow ? "low" : "")),
      el("td", {}, skills),
      el("td", { testid: "goal" }, c.goal || "-"),
      el("td", { testid: "action" }, c.action || "-"),
      cooldown,
      el("td", { testid: "position" }, pos),
      el("td", { class: "num", testid: "gold" }, c.gold),
      el("td", { testid: "task" }, task),
      el("td", { class: "num", testid: "deaths" }, `${c.deaths} / ${c.restarts}`));
    return row;
  }

  function renderCharacters(characters) {
    const body = $("characters-body");
    body.replaceChildren(...characters.map(characterRow));
    $("no-characters").hidden = characters.length > 0;
    tickCooldowns();
  }

  function tickCooldowns() {
    const elapsed = receivedAt ? (Date.now() - receivedAt) / 1000 : 0;
    for (const cell of document.querySelectorAll('[data-testid="cooldown"]')) {
      const left = Math.max(0, Number(cell.dataset.seconds || 0) - elapsed);
      cell.textContent = fmtSeconds(left);
      cell.className = `cooldown ${left >= 0.05 ? "busy" : "ready"}`;
    }
  }

  function renderTeam(team, metrics) {
    $("team-characters").textContent = team.characters;
    $("team-mean-level").textContent = Number(team.mean_level).toFixed(2);
    $("team-level-range").textContent = team.characters ? `${team.min_level}-${team.max_level}` : "-";
    $("team-total-skills").textContent = team.total_skill_levels;
    $("team-gold").textContent = team.gold;
    $("team-deaths").textContent = team.deaths;
    $("team-actions").textContent = metrics ? `${metrics.actions} / ${metrics.requests}` : "-";
  }

  // ------------------------------------------------------------------ chart

  function renderChart(history) {
    const svg = $("level-chart");
    const legend = $("chart-legend");
    const NS = "http://www.w3.org/2000/svg";
    const W = 600, H = 220, PAD = 24;
    svg.replaceChildren();
    legend.replaceChildren();
    if (!history || history.length === 0) return;
    const names = [...new Set(history.flatMap((p) => Object.keys(p.levels)))].sort();
    let maxLevel = 1;
    for (const point of history) {
      for (const level of Object.values(point.levels)) maxLevel = Math.max(maxLevel, level);
    }
    maxLevel = Math.max(2, Math.ceil(maxLevel * 1.1));
    const x = (i) => PAD + (history.length === 1 ? 0 : (i * (W - 2 * PAD)) / (history.length - 1));
    const y = (level) => H - PAD - ((level - 1) * (H - 2 * PAD)) / (maxLevel - 1);
    for (const level of [1, Math.round((maxLevel + 1) / 2), maxLevel]) {
      const line = document.createElementNS(NS, "line");
      line.setAttribute("x1", PAD); line.setAttribute("x2", W - PAD);
      line.setAttribute("y1", y(level)); line.setAttribute("y2", y(level));
      line.setAttribute("stroke", "#e1e5ea");
      svg.append(line);
      const text = document.createElementNS(NS, "text");
      text.setAttribute("x", 2); text.setAttribute("y", y(level) + 4);
      text.setAttribute("font-size", "10"); text.setAttribute("fill", "#6b7785");
      text.textContent = level;
      svg.append(text);
    }
    names.forEach((name, index) => {
      const color = COLORS[index % COLORS.length];
      const points = history
        .map((p, i) => (name in p.levels ? `${x(i).toFixed(1)},${y(p.levels[name]).toFixed(1)}` : null))
        .filter((p) => p !== null);
      const line = document.createElementNS(NS, "polyline");
      line.setAttribute("points", points.join(" "));
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", color);
      line.setAttribute("stroke-width", "2");
      line.dataset.name = name;
      line.dataset.testid = "chart-line";
      svg.append(line);
      const swatch = el("i");
      swatch.style.background = color;
      legend.append(el("span", {}, swatch, name));
    });
  }

  // ------------------------------------------------------------------ coordinator

  function listInto(id, items) {
    $(id).replaceChildren(...items.map((text) => el("li", {}, text)));
  }

  function renderPlan(plan) {
    const box = $("coordinator-plan");
    if (!plan) {
      box.replaceChildren("no active plan");
      return;
    }
    const head = el("div", { testid: "plan-summary" },
      el("b", {}, `${plan.skill}: ${plan.recipe}`),
      ` x${plan.runs ?? "?"}${plan.manual ? " (manual)" : " (auto)"}`);
    const stages = el("ol", { testid: "plan-stages" });
    for (const s of plan.stages || []) {
      const outputs = (s.outputs || []).map(([code, q]) => `${q} ${code}`).join(", ");
      stages.append(el("li", { "data-stage": s.id }, `${s.kind} ${outputs} (${s.skill} ${s.level})`));
    }
    box.replaceChildren(head, stages);
  }

  function renderCoordinator(c) {
    const toggle = $("coordinator-switch");
    const state = $("coordinator-state");
    const form = $("plan-form");
    if (!c || !c.available) {
      toggle.checked = false;
      toggle.disabled = true;
      state.textContent = "none";
      form.hidden = true;
      renderPlan(null);
      for (const id of ["coordinator-roles", "coordinator-assignments", "coordinator-reservations",
        "coordinator-parties", "coordinator-surplus"]) listInto(id, []);
      return;
    }
    if (!busy) {
      toggle.disabled = false;
      toggle.checked = !!c.enabled;
    }
    state.textContent = c.enabled ? "on" : "off";
    form.hidden = false;
    renderPlan(c.plan);
    // Who fights for the team and who produces for it (nothing while everyone fights).
    const roles = Object.entries(c.roles || {});
    const byRole = (role) => roles.filter(([, r]) => r === role).map(([who]) => who).join(", ");
    listInto("coordinator-roles", roles.length
      ? [`fight: ${byRole("fighter")}`, `produce: ${byRole("producer")}`]
      : ["everyone fights"]);
    listInto("coordinator-assignments",
      Object.entries(c.assignments || {}).map(([who, stage]) => `${who}: ${stage}`));
    listInto("coordinator-reservations",
      Object.entries(c.reservations || {}).map(([who, items]) =>
        `${who}: ${Object.entries(items).map(([code, q]) => `${q} ${code}`).join(", ")}`));
    const parties = (c.parties || []).map((p) =>
      `${p.monster} [${p.phase}] ${(p.members || []).join(", ")}`);
    const best = c.best_boss_chance;
    if (!parties.length && best) {
      // Why no party: the best chance of the three strongest (a party needs 90 %).
      parties.push(`none: best ${best.monster} ${Math.round(100 * best.win_probability)} %` +
        ` (${(best.members || []).join(", ")})`);
    }
    listInto("coordinator-parties", parties);
    listInto("coordinator-surplus", (c.surplus || []).map((s) =>
      `${s.quantity} ${s.code} -> ${s.action}${s.to ? " " + s.to : ""}`));
  }

  async function post(url, body) {
    const message = $("coordinator-message");
    message.textContent = "";
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      message.textContent = data.error || `error ${response.status}`;
      return null;
    }
    return data;
  }

  async function onSwitch(event) {
    const wanted = event.target.checked;
    busy = true;
    event.target.disabled = true;
    try {
      const result = await post("api/coordinator", { enabled: wanted });
      busy = false;
      if (result) renderCoordinator(result);
      else if (lastSnapshot) renderCoordinator(lastSnapshot.coordinator);
    } catch (err) {
      busy = false;
      $("coordinator-message").textContent = String(err);
    } finally {
      busy = false;
      event.target.disabled = false;
    }
  }

  async function onPlan(event) {
    event.preventDefault();
    const skill = $("plan-skill").value;
    const recipe = $("plan-recipe").value.trim();
    const result = await post("api/coordinator/plan", recipe ? { skill, recipe } : { skill });
    if (result) renderCoordinator(result);
  }

  async function onAuto() {
    const result = await post("api/coordinator/plan", { auto: true });
    if (result) renderCoordinator(result);
  }

  // ------------------------------------------------------------------ events

  function renderEvents(events) {
    $("events").replaceChildren(...events.slice(0, 50).map((e) =>
      el("li", { class: e.kind, testid: "event" },
        el("span", { class: "when" }, fmtTime(e.at)),
        el("span", { class: "who" }, e.character),
        el("span", { class: "what" }, e.text))));
  }

  // ------------------------------------------------------------------ feed

  function render(snapshot) {
    lastSnapshot = snapshot;
    receivedAt = Date.now();
    $("label").textContent = snapshot.label || "-";
    $("updated").textContent = `updated ${fmtTime(snapshot.at)}`;
    renderCharacters(snapshot.characters || []);
    renderTeam(snapshot.team, snapshot.metrics);
    renderChart(snapshot.history);
    renderCoordinator(snapshot.coordinator);
    renderEvents(snapshot.events || []);
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  }

  async function pollOnce() {
    try {
      const response = await fetch("api/status", { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      render(await response.json());
      setConnection("polling");
    } catch (err) {
      setConnection("down");
    }
  }

  function startPolling() {
    if (pollTimer !== null) return;
    if (source) source.close();
    source = null;
    pollOnce();
    pollTimer = setInterval(pollOnce, POLL_MS);
  }

  function startStream() {
    if (!("EventSource" in window)) {
      startPolling();
      return;
    }
    source = new EventSource("api/events");
    source.onmessage = (message) => {
      setConnection("live");
      render(JSON.parse(message.data));
    };
    source.onerror = () => {
      // The browser retries by itself; if nothing arrives for a while, poll instead.
      setConnection("down");
    };
  }

  function watchdog() {
    if (pollTimer === null && receivedAt && Date.now() - receivedAt > STALE_MS) startPolling();
  }

  function init() {
    const select = $("plan-skill");
    for (const skill of SKILLS) select.append(el("option", { value: skill }, skill));
    $("coordinator-switch").addEventListener("change", onSwitch);
    $("plan-form").addEventListener("submit", onPlan);
    $("plan-auto").addEventListener("click", onAuto);
    pollOnce();
    startStream();
    setInterval(tickCooldowns, 250);
    setInterval(watchdog, 2000);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
