/**
 * The portal example: connect with a portal token, subscribe to a unit and watch its status and
 * events arrive, send it `appointment.create` and show the answer or the typed error.
 */
import { ConnectionState, PortalClient, isGatewayError, type AnyUnitEvent, type RequestPayload, type UnitStatus } from "@care-gateway/client-sdk/browser";
import { SIGN_IN_REFUSALS, TabTokenStore, byId, element, explain, formatDuration, formatTime, setText, tokenClaims } from "../common/page.js";

const store = new TabTokenStore("care-gateway.portal.token");
const EVENTS_LIMIT = 100;

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
  workspace: byId("workspace", HTMLElement),
  subscribeForm: byId("subscribe-form", HTMLFormElement),
  unitId: byId("unit-id", HTMLInputElement),
  subscribeStatus: byId("subscribe-status", HTMLElement),
  requestForm: byId("request-form", HTMLFormElement),
  requestUnit: byId("request-unit", HTMLInputElement),
  patientRef: byId("patient-ref", HTMLInputElement),
  start: byId("start", HTMLInputElement),
  end: byId("end", HTMLInputElement),
  practitionerRef: byId("practitioner-ref", HTMLInputElement),
  timeout: byId("timeout", HTMLInputElement),
  reason: byId("reason", HTMLInputElement),
  send: byId("send", HTMLButtonElement),
  result: byId("result", HTMLElement),
  resultTitle: byId("result-title", HTMLElement),
  resultBody: byId("result-body", HTMLPreElement),
  events: byId("events", HTMLOListElement),
  eventsEmpty: byId("events-empty", HTMLElement),
  clearEvents: byId("clear-events", HTMLButtonElement),
};

let portal: PortalClient | undefined;
let session = 0;
let lostAt: number | undefined;

async function connect(token: string, remember: boolean): Promise<void> {
  closeClient();
  const mine = ++session;
  const current = () => mine === session;
  const claims = tokenClaims(token);
  const client = new PortalClient({ url: location.origin, token });
  portal = client;
  setText(ui.signInError, "");
  setBusy(true);
  showConnection("connecting", "Connecting…");

  client.onUnitStatus((status) => {
    if (current()) addStatus(status);
  });
  client.onUnitEvent((event) => {
    if (current()) addEvent(event);
  });
  client.onResubscribed(({ subscribed }) => {
    if (current() && subscribed.length > 0) setText(ui.subscribeStatus, `Subscribed again after the reconnect: ${subscribed.join(", ")}.`);
  });
  client.onConnection("error", (error) => {
    if (!current()) return;
    const { code, message } = explain(error);
    if (SIGN_IN_REFUSALS.has(code)) refuse(code, message);
  });
  client.onConnection("reconnecting", ({ attempt }) => {
    if (!current()) return;
    if (client.state === ConnectionState.RECONNECTING) showConnection("lost", `Connection lost — reconnecting (attempt ${attempt})`);
    else showConnection("connecting", `Connecting… (attempt ${attempt})`);
  });
  client.onConnection("disconnect", () => {
    if (!current()) return;
    lostAt = Date.now();
    showConnection("lost", "Connection lost — reconnecting…");
  });
  client.onConnection("state", (state, previous) => {
    if (!current() || state !== ConnectionState.CONNECTED || previous !== ConnectionState.RECONNECTING) return;
    showConnection("live", `Connected · restored${lostAt === undefined ? "" : ` after ${formatDuration(Date.now() - lostAt)}`}`);
    lostAt = undefined;
  });

  try {
    await client.connect();
  } catch (error) {
    if (!current()) return;
    const { code, message } = explain(error);
    refuse(code, message);
    return;
  }
  if (!current()) return;
  store.write(remember ? token : undefined);
  ui.token.value = "";
  setBusy(false);
  ui.signIn.hidden = true;
  ui.workspace.hidden = false;
  ui.signOut.hidden = false;
  ui.identity.hidden = false;
  const units = claims?.units ?? [];
  setText(ui.identity, `${claims?.sub ?? "portal user"} · units: ${units.length === 0 ? "none" : units.join(", ")}`);
  showConnection("live", "Connected");
  const firstUnit = units.find((unit) => unit !== "*");
  if (firstUnit !== undefined && !ui.unitId.value) ui.unitId.value = firstUnit;
  if (firstUnit !== undefined && !ui.requestUnit.value) ui.requestUnit.value = firstUnit;
  ui.unitId.focus();
}

function refuse(code: string, message: string): void {
  const wasConnected = !ui.workspace.hidden;
  disconnect();
  showConnection("refused", `Not connected: ${code}`);
  setText(ui.signInError, `${wasConnected ? "Disconnected" : "Connection refused"} (${code}): ${message}`);
  ui.token.focus();
}

function disconnect(): void {
  session++;
  closeClient();
  store.write(undefined);
  lostAt = undefined;
  ui.workspace.hidden = true;
  ui.signIn.hidden = false;
  ui.signOut.hidden = true;
  ui.identity.hidden = true;
  setText(ui.subscribeStatus, "");
  setBusy(false);
  showConnection("signed-out", "Not connected");
}

function closeClient(): void {
  portal?.close();
  portal = undefined;
}

function setBusy(busy: boolean): void {
  ui.signInButton.disabled = busy;
  setText(ui.signInButton, busy ? "Connecting…" : "Connect");
  ui.signInCancel.hidden = !busy;
  ui.token.readOnly = busy;
}

function showConnection(state: string, text: string): void {
  ui.connection.dataset["state"] = state;
  setText(ui.connection, text);
}

// ---- subscriptions and events

async function subscribe(): Promise<void> {
  const client = portal;
  const unitId = ui.unitId.value.trim();
  if (!client) return;
  if (!unitId) {
    setText(ui.subscribeStatus, "Enter a unit id.");
    ui.unitId.focus();
    return;
  }
  try {
    const { subscribed, denied } = await client.subscribe([unitId]);
    if (subscribed.length > 0) {
      setText(ui.subscribeStatus, `Subscribed to ${subscribed.join(", ")}. Its status changes and events appear on the right.`);
      if (!ui.requestUnit.value) ui.requestUnit.value = unitId;
    } else {
      setText(ui.subscribeStatus, `Not subscribed: ${denied.join(", ")} is not among the units your token lists.`);
    }
  } catch (error) {
    const { code, message } = explain(error);
    setText(ui.subscribeStatus, `Could not subscribe (${code}): ${message}`);
  }
}

function addEntry(kind: string, unitId: string, title: string, at: number, payload?: unknown): void {
  const item = element("li", undefined, { "data-kind": kind, "data-unit-id": unitId });
  const meta = element("div", undefined, { class: "meta" });
  meta.append(element("time", formatTime(at), { datetime: new Date(at).toISOString() }), element("span", unitId, { class: "mono" }), element("span", title, { class: "type" }));
  item.append(meta);
  if (payload !== undefined) item.append(element("pre", JSON.stringify(payload, null, 2), { class: "json" }));
  ui.events.prepend(item);
  while (ui.events.children.length > EVENTS_LIMIT) ui.events.lastElementChild?.remove();
  ui.eventsEmpty.hidden = true;
}

function addStatus({ unitId, online, at }: UnitStatus): void {
  addEntry("status", unitId, online ? "came online" : "went offline", at);
}

function addEvent(event: AnyUnitEvent): void {
  addEntry("event", event.unitId, event.type, event.ts, event.payload);
}

// ---- the request

async function sendRequest(): Promise<void> {
  const client = portal;
  if (!client) return;
  const unitId = ui.requestUnit.value.trim();
  const payload: RequestPayload<"appointment.create"> = {
    patientRef: ui.patientRef.value.trim(),
    start: isoFromLocal(ui.start.value),
    end: isoFromLocal(ui.end.value),
    ...(ui.practitionerRef.value.trim() ? { practitionerRef: ui.practitionerRef.value.trim() } : {}),
    ...(ui.reason.value.trim() ? { reason: ui.reason.value.trim() } : {}),
  };
  const seconds = Number(ui.timeout.value);
  const timeoutMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined;
  ui.send.disabled = true;
  showResult("pending", `Waiting for ${unitId || "the unit"}…`);
  const started = performance.now();
  try {
    const result = await client.request(unitId, "appointment.create", payload, timeoutMs === undefined ? {} : { timeoutMs });
    const ms = Math.round(performance.now() - started);
    showResult("ok", `${unitId} answered in ${ms} ms: appointment ${result.appointmentId} is ${result.status}.`, result);
  } catch (error) {
    const { code, message } = explain(error);
    const extra = isGatewayError(error) ? { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }), ...(error.requestId ? { requestId: error.requestId } : {}) } : undefined;
    showResult("error", `Error ${code}: ${message}`, extra);
  } finally {
    ui.send.disabled = false;
  }
}

function showResult(outcome: "pending" | "ok" | "error", title: string, body?: unknown): void {
  ui.result.dataset["outcome"] = outcome;
  setText(ui.resultTitle, title);
  ui.resultBody.hidden = body === undefined;
  ui.resultBody.textContent = body === undefined ? "" : JSON.stringify(body, null, 2);
}

/** `datetime-local` gives local wall time without a zone; the catalogue wants ISO 8601. Empty stays empty (refused by the gateway). */
function isoFromLocal(value: string): string {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
}

function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// ---- wiring

ui.signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    setText(ui.signInError, "Paste a portal token first.");
    ui.token.focus();
    return;
  }
  void connect(token, ui.remember.checked);
});
ui.signInCancel.addEventListener("click", () => {
  disconnect();
  ui.token.focus();
});
ui.signOut.addEventListener("click", () => {
  disconnect();
  setText(ui.signInError, "");
  ui.token.focus();
});
ui.subscribeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void subscribe();
});
ui.requestForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void sendRequest();
});
ui.clearEvents.addEventListener("click", () => {
  ui.events.replaceChildren();
  ui.eventsEmpty.hidden = false;
});

const nextHour = new Date();
nextHour.setMinutes(0, 0, 0);
nextHour.setHours(nextHour.getHours() + 1);
ui.start.value = localInputValue(nextHour);
ui.end.value = localInputValue(new Date(nextHour.getTime() + 30 * 60_000));

const saved = store.read();
if (saved) {
  ui.remember.checked = true;
  void connect(saved, true);
} else {
  ui.token.focus();
}
