// live.html's script (a strict Content-Security-Policy allows no inline <script>).
const $ = id => document.getElementById(id);

// SSE: EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
const clock = new EventSource('/events/clock');
clock.addEventListener('tick', e => {
  $('clock').textContent = new Date(e.data).toLocaleTimeString();
  $('clock-id').textContent = e.lastEventId;
});
// An id the server no longer has all events after (a restart, a wiped Redis, a trimmed
// history) gets zones-reset first: say so instead of pretending nothing was missed.
clock.addEventListener('zones-reset', e => $('clock-state').textContent = `connected (history reset: ${JSON.parse(e.data).reason})`);
clock.onopen = () => $('clock-state').textContent = 'connected';
clock.onerror = () => $('clock-state').textContent = 'reconnecting…';

const news = new EventSource('/events/news');
news.onmessage = e => {
  const li = document.createElement('li');
  li.textContent = e.data; // text, never HTML
  $('news').prepend(li);
};

$('publish').addEventListener('submit', async e => {
  e.preventDefault();
  const token = $('token').value.trim();
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch('/feeds/news', { method: 'POST', body: $('headline').value, headers });
  $('publish-state').textContent = response.ok ? '' : `not published: ${response.status} ${response.statusText}`;
  if (response.ok) $('headline').value = '';
});

// WebSocket: one publish reaches SSE, WebSocket and long-poll subscribers alike.
(function subscribe() {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/subscribe?feed=clock`);
  socket.onmessage = e => {
    const event = JSON.parse(e.data);
    $('socketed').textContent = `${event.data} (id ${event.id})`;
  };
  socket.onclose = () => setTimeout(subscribe, 2000);
})();

// Long-poll: 200 with a JSON array of events, or 204 when the wait timed out.
(async function poll(after) {
  try {
    const url = after === null ? '/poll/clock' : `/poll/clock?after=${after}`;
    const response = await fetch(url, { cache: 'no-store' });
    if (response.status !== 200 && response.status !== 204) throw new Error(response.statusText); // e.g. 503 while Redis is down: wait, then poll again
    if (response.status === 200) {
      const events = await response.json(); // a zones-reset may come first: its id is where to go on from
      const last = events[events.length - 1];
      $('polled').textContent = `${last.data} (id ${last.id})`;
      after = last.id;
    }
  } catch { await new Promise(r => setTimeout(r, 2000)); }
  poll(after);
})(null);
