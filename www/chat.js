// chat.html's script (a strict Content-Security-Policy allows no inline <script>).
"use strict";
const $ = id => document.getElementById(id);
let socket = null;

function line(className, ...parts) {
  const item = document.createElement("li");
  item.className = className;
  for (const part of parts) {
    if (typeof part === "string") item.append(part);
    else { const b = document.createElement("b"); b.textContent = part.bold; item.append(b); }
  }
  $("log").append(item);
  $("log").scrollTop = $("log").scrollHeight;
}

function setConnected(connected) {
  $("text").disabled = $("send-button").disabled = !connected;
  if (connected) $("text").focus();
}

function connect(name, room) {
  if (socket) socket.close(1000, "switching rooms");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/chat?room=${encodeURIComponent(room)}&name=${encodeURIComponent(name)}`;
  const ws = socket = new WebSocket(url);
  $("status").textContent = "Connecting…";
  ws.onopen = () => {
    $("status").textContent = `Connected as ${name} in room ${room}.`;
    document.body.dataset.state = "connected";
    setConnected(true);
  };
  ws.onmessage = event => {
    const m = JSON.parse(event.data);
    if (m.type === "message") line("message", { bold: m.name }, ": " + m.text);
    else if (m.type === "join") line("notice", `${m.name} joined (${m.count} here)`);
    else if (m.type === "leave") line("notice", `${m.name} left (${m.count} here)`);
  };
  ws.onclose = event => {
    if (ws !== socket) return;
    $("status").textContent = `Disconnected (${event.code}${event.reason ? ": " + event.reason : ""}).`;
    document.body.dataset.state = "closed";
    setConnected(false);
  };
}

$("join").addEventListener("submit", event => {
  event.preventDefault();
  connect($("name").value.trim(), $("room").value.trim());
});

$("send").addEventListener("submit", event => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
  socket.send(text);
  $("text").value = "";
});

// chat.html?name=ann&room=lobby joins at once.
const params = new URLSearchParams(location.search);
$("name").value = params.get("name") || "";
if (params.get("room")) $("room").value = params.get("room");
if ($("name").value) connect($("name").value, $("room").value);
