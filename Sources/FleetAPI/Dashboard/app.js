"use strict";
// FleetPilot dashboard: draws the site from GET /v1/site, robots, tasks and zones from /v1/robots, /v1/tasks and
// /v1/zones (held, slowed and stopped zones are shaded on the map), people with a known location from /v1/people
// (drawn as diamonds) and open calls and fall alerts from /v1/alerts (the "waiting for a person" table), and follows GET /v1/events (server-sent events read with fetch, so the bearer token goes in a header).
const $ = (id) => document.getElementById(id);
const svgNS = "http://www.w3.org/2000/svg";
let token = new URLSearchParams(location.hash.slice(1)).get("token") || localStorage.getItem("fleetpilot.token");
let robots = [], tasks = { items: [], total: 0 }, refreshTimer = null, sequence = null;
let zones = { zones: [] }, nodePositions = new Map(), people = [], alerts = [];

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
  if (response.status === 401 || response.status === 403) {
    const problem = await response.json().catch(() => ({}));
    throw Object.assign(new Error(problem.detail || "token refused"), { auth: true });
  }
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

function el(name, attributes, parent) {
  const node = document.createElementNS(svgNS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function drawSite(site) {
  $("site").textContent = site.siteId;
  const svg = $("map"), byId = new Map(site.nodes.map((n) => [n.id, n]));
  const xs = site.nodes.map((n) => n.position.x), ys = site.nodes.map((n) => n.position.y);
  const minX = Math.min(...xs) - 3, maxX = Math.max(...xs) + 8, minY = Math.min(...ys) - 3, maxY = Math.max(...ys) + 3;
  // Site y grows upwards; SVG y grows downwards: flip with a transform on the group.
  svg.setAttribute("viewBox", `${minX} ${-maxY} ${maxX - minX} ${maxY - minY}`);
  svg.innerHTML = "";
  const world = el("g", { id: "world", transform: "scale(1,-1)" }, svg);
  nodePositions = new Map(site.nodes.map((n) => [n.id, n.position]));
  el("g", { id: "zones-layer" }, world);
  for (const e of site.edges) {
    const a = byId.get(e.from), b = byId.get(e.to);
    if (a && b) el("line", { class: "edge", x1: a.position.x, y1: a.position.y, x2: b.position.x, y2: b.position.y }, world);
  }
  for (const n of site.nodes) el("circle", { class: "node", cx: n.position.x, cy: n.position.y, r: 0.25 }, world);
  for (const s of site.stations) {
    const n = byId.get(s.node);
    if (!n) continue;
    el("rect", { class: "station", x: n.position.x - 0.6, y: n.position.y - 0.6, width: 1.2, height: 1.2 }, world);
    const label = el("text", { class: "label", x: n.position.x + 0.8, y: -n.position.y - 0.8, transform: "scale(1,-1)" }, world);
    label.textContent = s.id;
  }
  el("g", { id: "people-layer" }, world);
  el("g", { id: "robots-layer" }, world);
}

// People present with a known location: a diamond per person, labelled with the id; a person who has an open call or
// alert waiting for them is marked.
function drawPeople() {
  const layer = $("people-layer");
  if (!layer) return;
  layer.innerHTML = "";
  for (const p of people) {
    if (p.x == null || p.y == null) continue;
    const waiting = p.notifications.length > 0;
    const mark = el("polygon", {
      id: "person-" + p.id, class: "person " + p.role + (waiting ? " waiting" : ""),
      points: `${p.x},${p.y + 0.8} ${p.x + 0.8},${p.y} ${p.x},${p.y - 0.8} ${p.x - 0.8},${p.y}`,
    }, layer);
    el("title", {}, mark).textContent = `${p.id} (${p.role}) at ${p.station || p.node}` +
      (waiting ? "; notified of " + p.notifications.map((n) => n.task).join(", ") : "");
    const label = el("text", { class: "person-label", x: p.x + 1, y: -p.y - 0.6, transform: "scale(1,-1)" }, layer);
    label.textContent = p.id;
  }
}

function drawAlerts() {
  rows($("alerts").tBodies[0], alerts, (a) => [`${a.alert} ${a.task} (${a.resident})`, a.station, String(a.level),
    a.notified.length === 0 ? "robot only" : [...new Set(a.notified)].join(", ") +
      (a.acknowledgedBy ? ` (${a.acknowledgedBy} coming)` : "")]);
  $("no-alerts").hidden = alerts.length > 0;
}

function drawRobots() {
  const layer = $("robots-layer");
  if (!layer) return;
  for (const r of robots) {
    if (r.x == null || r.y == null) continue;
    let dot = document.getElementById("robot-" + r.id);
    if (!dot) {
      dot = el("circle", { id: "robot-" + r.id, r: 0.9 }, layer);
      el("title", {}, dot);
      const label = el("text", { id: "label-" + r.id, class: "robot-label", transform: "scale(1,-1)" }, layer);
      label.textContent = r.serialNumber;
    }
    dot.setAttribute("class", "robot " + r.status);
    dot.setAttribute("cx", r.x); dot.setAttribute("cy", r.y);
    dot.firstChild.textContent = `${r.id} ${r.status}${r.task ? " " + r.task : ""}`;
    const label = document.getElementById("label-" + r.id);
    label.setAttribute("x", r.x + 1); label.setAttribute("y", -r.y + 0.3);
  }
}

// Zones that are not clear: a polygon zone shaded, a node zone as a disc around each of its nodes.
function drawZones() {
  const layer = $("zones-layer");
  if (!layer) return;
  layer.innerHTML = "";
  for (const z of zones.zones) {
    if (z.state === "clear") continue;
    const who = z.heldBy ? " by " + z.heldBy : z.slowdownSpeed ? ` to ${z.slowdownSpeed} m/s` : "";
    const text = `${z.id}: ${z.state}${who}; people: ${z.people.join(", ") || "none"}; paused: ${z.pausedRobots.join(", ") || "none"}`;
    const shapes = z.polygon
      ? [el("polygon", { points: z.polygon.map((p) => p.join(",")).join(" ") }, layer)]
      : z.nodes.map((id) => nodePositions.get(id)).filter(Boolean)
        .map((p) => el("circle", { cx: p.x, cy: p.y, r: 1.6 }, layer));
    for (const shape of shapes) {
      shape.setAttribute("class", "zone " + z.state);
      shape.setAttribute("data-zone", z.id);
      el("title", {}, shape).textContent = text;
    }
  }
  const stop = $("estop");
  stop.hidden = !zones.siteEmergencyStop;
  stop.textContent = zones.siteEmergencyStop ? "SITE EMERGENCY STOP by " + zones.siteEmergencyStop : "";
  const held = zones.zones.filter((z) => z.state !== "clear");
  $("zones").textContent = held.length
    ? held.map((z) => `${z.id} ${z.state}${z.heldBy ? " by " + z.heldBy : z.slowdownSpeed ? ` to ${z.slowdownSpeed} m/s` : ""}`)
      .join(" · ")
    : "all zones clear";
}

function rows(tbody, items, cells) {
  tbody.innerHTML = "";
  for (const item of items) {
    const tr = tbody.insertRow();
    for (const text of cells(item)) tr.insertCell().textContent = text;
  }
}

function drawTables() {
  rows($("robots").tBodies[0], robots, (r) => [r.id, r.status + (r.paused ? " (paused)" : ""), r.task || "–",
    r.battery == null ? "–" : Math.round(r.battery) + "%"]);
  rows($("tasks").tBodies[0], tasks.items, (t) => [t.id, t.state, t.pick + " → " + t.drop, t.robot || "–"]);
  const count = (s) => robots.filter((r) => r.status === s).length;
  const kpis = [["Robots available", count("available")], ["Robots busy", count("busy")],
    ["Robots unavailable", count("unavailable") + count("offline")], ["In maintenance", count("maintenance")],
    ["Open tasks", tasks.total], ["Open alerts", alerts.length],
    ["Completed", tasks.completed ?? "–"], ["Failed", tasks.failed ?? "–"]];
  $("kpis").innerHTML = kpis.map(([name, value]) => `<div class="kpi"><b>${value}</b><span>${name}</span></div>`).join("");
}

async function refresh() {
  refreshTimer = null;
  const open = "queued,assigned,dispatched,inProgress";
  const [r, t, done, failed, z, p, a] = await Promise.all([api("/v1/robots"), api(`/v1/tasks?state=${open}&limit=30`),
    api("/v1/tasks?state=completed&limit=1"), api("/v1/tasks?state=failed&limit=1"), api("/v1/zones"),
    api("/v1/people?present=true&limit=500"), api("/v1/alerts")]);
  robots = r; tasks = Object.assign(t, { completed: done.total, failed: failed.total }); zones = z;
  people = p.items; alerts = a;
  drawZones(); drawPeople(); drawRobots(); drawTables(); drawAlerts();
}

function scheduleRefresh() { if (!refreshTimer) refreshTimer = setTimeout(() => refresh().catch(console.error), 500); }

function onEvent(kind, data) {
  const item = document.createElement("li");
  item.textContent = `${kind} ${data.task_id || ""} ${data.robot_id || ""}`;
  $("events").prepend(item);
  while ($("events").children.length > 50) $("events").lastChild.remove();
  if (kind === "position") {
    const robot = robots.find((r) => r.id === data.robot_id);
    if (robot) { robot.x = data.x; robot.y = data.y; drawRobots(); }
  }
  scheduleRefresh();
}

async function follow() {
  const url = "/v1/events" + (sequence ? "?after=" + sequence : "");
  const response = await fetch(url, { headers: { Authorization: "Bearer " + token } });
  if (!response.ok) throw new Error("event stream: HTTP " + response.status);
  $("live").textContent = "live"; $("live").classList.add("on");
  const reader = response.body.getReader(), decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end); buffer = buffer.slice(end + 2);
      let kind = "message", data = "";
      for (const line of frame.split("\n")) {
        if (line.startsWith("event: ")) kind = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
        else if (line.startsWith("id: ")) sequence = line.slice(4);
      }
      if (data) onEvent(kind, JSON.parse(data));
    }
  }
}

async function followForever() {
  for (;;) {
    try { await follow(); } catch (error) { console.warn(error); }
    $("live").textContent = "reconnecting…"; $("live").classList.remove("on");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function start() {
  try {
    drawSite(await api("/v1/site"));
    await refresh();
    localStorage.setItem("fleetpilot.token", token);
    $("login").hidden = true; $("main").hidden = false;
    followForever();
    setInterval(scheduleRefresh, 5000);
  } catch (error) {
    $("login").hidden = false; $("main").hidden = true;
    $("login-error").textContent = error.auth ? "fleetd refused the token: " + error.message : String(error.message);
  }
}

$("login").addEventListener("submit", (event) => { event.preventDefault(); token = $("token").value; start(); });
if (token) start(); else $("login").hidden = false;
