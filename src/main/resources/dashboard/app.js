// Entry point: tabs (#engine, #memory), the poll loop that keeps the engine view live, and the API-token prompt.

import { onUnauthorized, setToken, hasToken, explain } from './api.js';
import { EngineView } from './engine.js';
import { MemoryView } from './memory.js';

const POLL_MS = 1500;
const CHATS_EVERY = 8; // polls between refreshes of the chat list while the memory view is shown

const engine = new EngineView();
const memory = new MemoryView();
let waitingForToken = false;
let polls = 0;

function showView() {
  const name = location.hash === '#memory' ? 'memory' : 'engine';
  for (const view of ['engine', 'memory']) {
    document.getElementById(view).hidden = view !== name;
    document.getElementById('tab-' + view).classList.toggle('active', view === name);
  }
  if (name === 'memory') memory.loadChats();
}

function showError(message) {
  const banner = document.getElementById('global-error');
  banner.textContent = message || '';
  banner.hidden = !message;
}

onUnauthorized(() => {
  waitingForToken = true;
  document.getElementById('token-form').hidden = false;
  document.getElementById('token-error').textContent = hasToken() ? 'That token was refused.' : '';
  document.getElementById('live').textContent = 'needs the API token';
});

document.getElementById('token-form').addEventListener('submit', e => {
  e.preventDefault();
  setToken(document.getElementById('token-input').value.trim());
  document.getElementById('token-form').hidden = true;
  waitingForToken = false;
  showView();
});

async function poll() {
  if (!waitingForToken && !document.hidden) {
    try {
      await engine.refresh();
      showError(null);
      document.getElementById('live').textContent = 'live · ' + new Date().toLocaleTimeString();
      if (location.hash === '#memory' && ++polls % CHATS_EVERY === 0) memory.loadChats();
    } catch (e) {
      if (!waitingForToken) {
        showError(explain(e, 'Status'));
        document.getElementById('live').textContent = 'offline';
      }
    }
  }
  setTimeout(poll, POLL_MS);
}

window.addEventListener('hashchange', showView);
showView();
poll();
