/**
 * The admin page: sign in with an admin token, then live occupancy from the gateway's stream (units
 * online and seen offline, connections and request traffic per node), a search by unit id, and an
 * audited, confirmed unit disconnect. The connection's own state is always on screen: lost and
 * restored are announced (aria-live) and logged.
 */
import { AdminClient, ConnectionState, type NodeRequestStats, type Occupancy } from "@care-gateway/client-sdk/browser";
import {
  SIGN_IN_REFUSALS,
  TabTokenStore,
  byId,
  describeDisconnect,
  element,
  explain,
  formatDuration,
  formatNumber,
  formatTime,
  setText,
  tokenClaims,
} from "../common/page.js";

const store = new TabTokenStore("care-gateway.admin.token");
const LOG_LIMIT = 50;

const ui = {
  connection: byId("connection", HTMLElement),
  identity: byId("identity", HTMLElement),
  signOut: byId("sign-out", HTMLButtonElement),
  signIn: byId("sign-in", HTMLElement),
  signInForm: byId("sign-in-form", HTMLFormElement),
  token: byId("token", HTMLInputElement),
  remember: byId("remember", HTMLInputElement),
  signInButton: byId("sign-in-button", HTMLButtonElement),
  signInCancel: byId("sign-in-cancel", HTMLButtonElement),
  signInError: byId("sign-in-error", HTMLElement),
  dashboard: byId("dashboard", HTMLElement),
  banner: byId("banner", HTMLElement),
  updated: byId("updated", HTMLElement),
  sumOnline: byId("sum-online", HTMLElement),
  sumOffline: byId("sum-offline", HTMLElement),
  sumConnections: byId("sum-connections", HTMLElement),
  sumConnectionsDetail: byId("sum-connections-detail", HTMLElement),
  sumRps: byId("sum-rps", HTMLElement),
  sumP99: byId("sum-p99", HTMLElement),
  sumInFlight: byId("sum-in-flight", HTMLElement),
  nodesBody: byId("nodes-body", HTMLTableSectionElement),
  nodesFoot: byId("nodes-foot", HTMLTableSectionElement),
  search: byId("search", HTMLInputElement),
  unitsCount: byId("units-count", HTMLElement),
  actionStatus: byId("action-status", HTMLElement),
  unitsBody: byId("units-body", HTMLTableSectionElement),
  log: byId("log", HTMLOListElement),
  confirm: byId("confirm", HTMLDialogElement),
  confirmForm: byId("confirm-form", HTMLFormElement),
  confirmUnit: byId("confirm-unit", HTMLElement),
  reason: byId("reason", HTMLInputElement),
  confirmError: byId("confirm-error", HTMLElement),
  confirmCancel: byId("confirm-cancel", HTMLButtonElement),
  confirmOk: byId("confirm-ok", HTMLButtonElement),
};

interface UnitView {
  unitId: string;
  online: boolean;
  nodeId: string;
  /** Online: when its connection started. Offline: when this page saw it gone. Server time, epoch ms. */
  since: number;
  row: HTMLTableRowElement;
}

type ConnectionView = "signed-out" | "connecting" | "live" | "lost" | "refused";

let client: AdminClient | undefined;
/** Increments at every sign-in and sign-out: callbacks of an earlier client are ignored. */
let session = 0;
const units = new Map<string, UnitView>();
let lastOccupancy: Occupancy | undefined;
let lostAt: number | undefined;
let confirming: { unitId: string; opener: HTMLButtonElement } | undefined;

// ---- sign-in and the connection

async function signIn(token: string, remember: boolean): Promise<void> {
  closeClient();
  const mine = ++session;
  const claims = tokenClaims(token);
  const admin = new AdminClient({ url: location.origin, token });
  client = admin;
  const current = () => mine === session;
  setText(ui.signInError, "");
  setSigningIn(true);
  showConnection("connecting", "Connecting…");

  admin.onOccupancy((occupancy) => {
    if (current()) render(occupancy);
  });
  admin.onConnection("error", (error) => {
    if (!current()) return;
    const { code, message } = explain(error);
    if (SIGN_IN_REFUSALS.has(code)) refuse(code, message);
    else addLog(`Gateway said ${code}: ${message}`);
  });
  admin.onConnection("reconnecting", ({ attempt, delayMs }) => {
    if (!current()) return;
    const next = delayMs >= 1000 ? `, next try in ${formatDuration(delayMs)}` : "";
    if (admin.state === ConnectionState.RECONNECTING) showConnection("lost", `Connection lost — reconnecting (attempt ${attempt}${next})`);
    else showConnection("connecting", `Connecting… (attempt ${attempt}${next})`);
  });
  admin.onConnection("disconnect", ({ reason, code }) => {
    if (!current()) return;
    lostAt = Date.now();
    addLog(`Connection lost: ${describeDisconnect(reason, code)}.`);
    showLost();
  });
  admin.onConnection("state", (state, previous) => {
    if (!current() || state !== ConnectionState.CONNECTED || previous !== ConnectionState.RECONNECTING) return;
    const away = lostAt === undefined ? "" : ` after ${formatDuration(Date.now() - lostAt)}`;
    lostAt = undefined;
    ui.banner.hidden = true;
    ui.dashboard.classList.remove("stale");
    showConnection("live", `Live · reconnected at ${formatTime(Date.now())}`);
    addLog(`Connection restored${away}.`);
  });

  try {
    await admin.connect();
  } catch (error) {
    if (!current()) return;
    const { code, message } = explain(error);
    refuse(code, message);
    return;
  }
  if (!current()) return;
  store.write(remember ? token : undefined);
  ui.token.value = "";
  setSigningIn(false);
  ui.signIn.hidden = true;
  ui.dashboard.hidden = false;
  ui.signOut.hidden = false;
  ui.identity.hidden = false;
  setText(ui.identity, `Signed in as ${claims?.sub ?? "an operator"}`);
  showConnection("live", "Live");
  addLog(`Signed in as ${claims?.sub ?? "an operator"}${claims?.exp ? `; the token expires at ${formatTime(claims.exp * 1000)}` : ""}.`);
  ui.search.focus();
}

/** The gateway refused the token (at sign-in or on a reconnect): back to the sign-in form, saying why. */
function refuse(code: string, message: string): void {
  const wasSignedIn = !ui.dashboard.hidden;
  signOut();
  showConnection("refused", `Not connected: ${code}`);
  setText(ui.signInError, `${wasSignedIn ? "Signed out" : "Sign-in refused"} (${code}): ${message}`);
  ui.token.focus();
}

function signOut(): void {
  session++;
  closeClient();
  store.write(undefined);
  units.clear();
  lastOccupancy = undefined;
  lostAt = undefined;
  ui.unitsBody.replaceChildren();
  ui.nodesBody.replaceChildren();
  ui.nodesFoot.replaceChildren();
  ui.log.replaceChildren();
  setText(ui.actionStatus, "");
  if (ui.confirm.open) ui.confirm.close();
  ui.banner.hidden = true;
  ui.dashboard.classList.remove("stale");
  ui.dashboard.hidden = true;
  ui.signIn.hidden = false;
  ui.signOut.hidden = true;
  ui.identity.hidden = true;
  setSigningIn(false);
  showConnection("signed-out", "Signed out");
}

function closeClient(): void {
  client?.close();
  client = undefined;
}

function setSigningIn(busy: boolean): void {
  ui.signInButton.disabled = busy;
  setText(ui.signInButton, busy ? "Signing in…" : "Sign in");
  ui.signInCancel.hidden = !busy;
  ui.token.readOnly = busy;
}

function showConnection(state: ConnectionView, text: string): void {
  ui.connection.dataset["state"] = state;
  setText(ui.connection, text);
}

function showLost(): void {
  const since = lastOccupancy ? ` The figures below are from ${formatTime(lastOccupancy.at)} and may be out of date.` : "";
  setText(ui.banner, `Connection to the gateway lost at ${formatTime(lostAt ?? Date.now())}.${since} Reconnecting automatically…`);
  ui.banner.hidden = false;
  ui.dashboard.classList.add("stale");
  showConnection("lost", "Connection lost — reconnecting…");
}

function addLog(text: string): void {
  const item = element("li");
  item.append(element("time", formatTime(Date.now()), { datetime: new Date().toISOString() }), ` ${text}`);
  ui.log.prepend(item);
  while (ui.log.children.length > LOG_LIMIT) ui.log.lastElementChild?.remove();
}

// ---- occupancy

function render(occupancy: Occupancy): void {
  lastOccupancy = occupancy;
  const now = occupancy.at;
  setText(ui.updated, `updated ${formatTime(now)}`);
  const online = new Set<string>();
  for (const { unitId, nodeId, connectedAt } of occupancy.units) {
    online.add(unitId);
    const view = units.get(unitId) ?? { unitId, online: true, nodeId, since: connectedAt, row: unitRow(unitId) };
    Object.assign(view, { online: true, nodeId, since: connectedAt });
    units.set(unitId, view);
  }
  for (const view of units.values()) {
    if (view.online && !online.has(view.unitId)) Object.assign(view, { online: false, since: now });
  }
  renderSummary(occupancy);
  renderNodes(occupancy);
  renderUnits();
}

function renderSummary(occupancy: Occupancy): void {
  const { totals } = occupancy;
  setText(ui.sumOnline, formatNumber(occupancy.units.length));
  setText(ui.sumOffline, formatNumber([...units.values()].filter((view) => !view.online).length));
  setText(ui.sumConnections, formatNumber(totals.units + totals.portal + totals.bridge + totals.admin));
  setText(ui.sumConnectionsDetail, `units ${totals.units} · portal ${totals.portal} · bridge ${totals.bridge} · admin ${totals.admin}`);
  const traffic = occupancy.requests;
  if (!traffic || traffic.length === 0) {
    for (const node of [ui.sumRps, ui.sumP99, ui.sumInFlight]) setText(node, "n/a");
    return;
  }
  setText(ui.sumRps, formatNumber(traffic.reduce((sum, node) => sum + node.requestsPerSecond, 0), 2));
  setText(ui.sumP99, formatMs(Math.max(...traffic.map((node) => node.p99Ms))));
  setText(ui.sumInFlight, formatNumber(traffic.reduce((sum, node) => sum + node.inFlight, 0)));
}

function renderNodes(occupancy: Occupancy): void {
  const traffic = new Map<string, NodeRequestStats>((occupancy.requests ?? []).map((node) => [node.nodeId, node]));
  const rows = occupancy.nodes.map(({ nodeId, connections }) => {
    const stats = traffic.get(nodeId);
    const row = element("tr", undefined, { "data-node-id": nodeId });
    row.append(
      element("th", nodeId, { scope: "row" }),
      numberCell(connections.units),
      numberCell(connections.portal),
      numberCell(connections.bridge),
      numberCell(connections.admin),
      element("td", stats ? formatNumber(stats.requestsPerSecond, 2) : "n/a", { class: "num" }),
      element("td", stats ? formatMs(stats.p99Ms) : "n/a", { class: "num" }),
      element("td", stats ? formatNumber(stats.inFlight) : "n/a", { class: "num" }),
    );
    return row;
  });
  ui.nodesBody.replaceChildren(...rows);
  if (occupancy.nodes.length < 2) {
    ui.nodesFoot.replaceChildren();
    return;
  }
  const { totals } = occupancy;
  const all = [...traffic.values()];
  const total = element("tr");
  total.append(
    element("th", `All ${occupancy.nodes.length} nodes`, { scope: "row" }),
    numberCell(totals.units),
    numberCell(totals.portal),
    numberCell(totals.bridge),
    numberCell(totals.admin),
    element("td", all.length ? formatNumber(all.reduce((s, n) => s + n.requestsPerSecond, 0), 2) : "n/a", { class: "num" }),
    element("td", all.length ? `${formatMs(Math.max(...all.map((n) => n.p99Ms)))} (max)` : "n/a", { class: "num" }),
    element("td", all.length ? formatNumber(all.reduce((s, n) => s + n.inFlight, 0)) : "n/a", { class: "num" }),
  );
  ui.nodesFoot.replaceChildren(total);
}

function numberCell(value: number): HTMLTableCellElement {
  return element("td", formatNumber(value), { class: "num" });
}

function formatMs(ms: number): string {
  if (ms === 0) return "–";
  return ms < 10 ? `${formatNumber(ms, 1)} ms` : `${formatNumber(ms)} ms`;
}

/** Rows are kept per unit and updated in place, so focus (a Disconnect button) survives each update. */
function renderUnits(): void {
  const query = ui.search.value.trim().toLowerCase();
  const shown = [...units.values()].filter((view) => view.unitId.toLowerCase().includes(query)).sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  const keep = new Set(shown.map((view) => view.row));
  for (const row of [...ui.unitsBody.rows]) if (!keep.has(row)) row.remove();
  const now = lastOccupancy?.at ?? Date.now();
  shown.forEach((view, index) => {
    updateRow(view, now);
    const at = ui.unitsBody.rows[index];
    if (at !== view.row) ui.unitsBody.insertBefore(view.row, at ?? null);
  });
  const total = units.size;
  if (total === 0) setText(ui.unitsCount, "No unit has connected yet.");
  else if (shown.length === 0) setText(ui.unitsCount, `No unit id contains “${ui.search.value.trim()}” (${total} known).`);
  else if (query) setText(ui.unitsCount, `${shown.length} of ${total} unit${total === 1 ? "" : "s"} match${shown.length === 1 ? "es" : ""} “${ui.search.value.trim()}”.`);
  else setText(ui.unitsCount, `${total} unit${total === 1 ? "" : "s"}: ${[...units.values()].filter((v) => v.online).length} online.`);
}

function unitRow(unitId: string): HTMLTableRowElement {
  const row = element("tr", undefined, { "data-unit-id": unitId });
  const disconnect = element("button", "Disconnect", { type: "button", class: "button small danger-outline", "aria-label": `Disconnect ${unitId}` });
  disconnect.addEventListener("click", () => openConfirm(unitId, disconnect));
  const actions = element("td", undefined, { class: "actions-cell" });
  actions.append(disconnect);
  row.append(
    element("th", unitId, { scope: "row", class: "unit-id" }),
    element("td", undefined, { class: "status" }),
    element("td", undefined, { class: "since" }),
    element("td", undefined, { class: "node" }),
    actions,
  );
  return row;
}

function updateRow(view: UnitView, now: number): void {
  const { row } = view;
  const [, statusCell, sinceCell, nodeCell, actionsCell] = row.cells;
  const status = view.online ? "online" : "offline";
  if (row.dataset["status"] !== status) {
    row.dataset["status"] = status;
    statusCell?.replaceChildren(element("span", view.online ? "Online" : "Offline", { class: `badge ${status}` }));
  }
  const time = formatTime(view.since, now);
  const age = formatDuration(now - view.since);
  sinceCell?.replaceChildren(element("time", time, { datetime: new Date(view.since).toISOString() }), element("span", view.online ? ` for ${age}` : ` (${age} ago)`, { class: "age" }));
  if (nodeCell) setText(nodeCell, view.nodeId);
  const button = actionsCell?.querySelector("button");
  if (button && button.hidden === view.online) {
    // A unit that left has nothing to disconnect: if its button had focus, keep focus on the page.
    if (!view.online && document.activeElement === button) ui.search.focus();
    button.hidden = !view.online;
  }
}

// ---- disconnect, confirmed

function openConfirm(unitId: string, opener: HTMLButtonElement): void {
  if (!client) return;
  confirming = { unitId, opener };
  setText(ui.confirmUnit, unitId);
  setText(ui.confirmError, "");
  ui.reason.value = "";
  ui.confirmOk.disabled = false;
  ui.confirm.showModal();
  ui.reason.focus();
}

async function confirmDisconnect(): Promise<void> {
  const target = confirming;
  const admin = client;
  if (!target || !admin) return ui.confirm.close();
  const reason = ui.reason.value.trim();
  if (!reason) {
    setText(ui.confirmError, "Give a reason (it helps whoever reads the unit's side of the story; it is not stored).");
    ui.reason.focus();
    return;
  }
  ui.confirmOk.disabled = true;
  setText(ui.confirmError, "");
  try {
    await admin.disconnectUnit(target.unitId, reason);
    ui.confirm.close();
    setText(ui.actionStatus, `${target.unitId} was disconnected at ${formatTime(Date.now())}. The action is recorded in the audit log.`);
    addLog(`Disconnected unit ${target.unitId}.`);
  } catch (error) {
    const { code, message } = explain(error);
    if (code === "UNIT_OFFLINE") {
      ui.confirm.close();
      setText(ui.actionStatus, `${target.unitId} was already offline (${code}); nothing to disconnect.`);
      return;
    }
    ui.confirmOk.disabled = false;
    setText(ui.confirmError, `Could not disconnect ${target.unitId} (${code}): ${message}`);
  }
}

// ---- wiring

ui.signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    setText(ui.signInError, "Paste an admin token first.");
    ui.token.focus();
    return;
  }
  void signIn(token, ui.remember.checked);
});
ui.signInCancel.addEventListener("click", () => {
  signOut();
  ui.token.focus();
});
ui.signOut.addEventListener("click", () => {
  signOut();
  setText(ui.signInError, "");
  ui.token.focus();
});
ui.search.addEventListener("input", () => renderUnits());
ui.confirmForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void confirmDisconnect();
});
ui.confirmCancel.addEventListener("click", () => ui.confirm.close());
ui.confirm.addEventListener("close", () => {
  // The event is dispatched after the dialog closed: it may have been opened again meanwhile.
  if (ui.confirm.open) return;
  const opener = confirming?.opener;
  confirming = undefined;
  // Back to the button that opened the dialog, or to the search box when the unit has gone.
  if (opener && opener.isConnected && !opener.hidden) opener.focus();
  else if (!ui.dashboard.hidden) ui.search.focus();
});

const saved = store.read();
if (saved) {
  ui.remember.checked = true;
  void signIn(saved, true);
} else {
  ui.token.focus();
}
