// The memory view: pick a chat, search it as a reply's recall does, browse its memories (paged), edit, pin,
// delete, forget a speaker, and see its concept graph. Every change goes through the memory API.

import { api, query, explain } from './api.js';
import { el, setText, format } from './charts.js';
import { drawGraph } from './graph.js';

const PAGE = 20;

function path(...parts) {
  return parts.map(p => encodeURIComponent(p)).join('/');
}

function receipt(r) {
  return Object.entries(r).filter(([k]) => k !== 'chats')
    .map(([k, v]) => `${format(v)} ${k.replaceAll('_', ' ')}`).join(', ');
}

export class MemoryView {
  constructor() {
    this.chat = null;
    this.nextBefore = null;
    document.getElementById('chat-form').addEventListener('submit', e => {
      e.preventDefault();
      const typed = document.getElementById('chat-input').value.trim();
      this.open(typed || document.getElementById('chat-select').value);
    });
    document.getElementById('chat-select').addEventListener('change', e => this.open(e.target.value));
    document.getElementById('search-form').addEventListener('submit', e => {
      e.preventDefault();
      this.search(document.getElementById('search-input').value.trim());
    });
    document.getElementById('browse-form').addEventListener('submit', e => {
      e.preventDefault();
      this.browse(true);
    });
    document.getElementById('browse-more').addEventListener('click', () => this.browse(false));
    document.getElementById('forget-form').addEventListener('submit', e => {
      e.preventDefault();
      this.forgetSpeaker(document.getElementById('forget-speaker').value.trim(),
        document.getElementById('forget-everywhere').checked);
    });
  }

  /** Fills the chat picker (GET /api/chats); without that endpoint the chat id is typed in. */
  async loadChats() {
    const select = document.getElementById('chat-select');
    try {
      const { chats } = await api('/api/chats');
      const chosen = this.chat;
      select.replaceChildren(el('option', { value: '', text: chats.length ? 'choose a chat…' : 'no chats yet' }),
        ...chats.map(c => el('option', { value: c.chat_id, selected: c.chat_id === chosen,
          text: `${c.chat_id} — ${format(c.messages)} messages, ${format(c.memories)} memories` })));
      select.hidden = false;
      setText('chat-note', '');
    } catch (e) {
      select.hidden = true;
      setText('chat-note', explain(e, 'Chat list') + ' Type a chat id instead.');
    }
  }

  /** Opens a chat: its memories and its whole concept graph. */
  open(chatId) {
    if (!chatId) return;
    this.chat = chatId;
    document.getElementById('chat-input').value = chatId;
    document.getElementById('chat-select').value = chatId; // no option for a typed id: the picker shows none
    document.getElementById('search-results').replaceChildren();
    document.getElementById('search-sources').replaceChildren();
    setText('search-status', `chat ${chatId}`);
    this.browse(true);
    this.graph('');
  }

  requireChat(noteId) {
    if (!this.chat) setText(noteId, 'Choose a chat first.');
    return this.chat;
  }

  /** GET /api/memory/search: what a reply's recall would find, with each source's share of the results. */
  async search(q) {
    if (!this.requireChat('search-status') || !q) return;
    setText('search-status', 'searching…');
    try {
      const r = await api('/api/memory/search' + query({ chat_id: this.chat, q, k: 10 }));
      setText('search-status', `${r.memories.length} result(s) in ${r.elapsed_ms} ms · recall status ${r.memory_status}`);
      this.sources(r.memories);
      document.getElementById('search-results').replaceChildren(...r.memories.map(m => el('li', { class: 'result' },
        el('span', { class: 'badge ' + m.source, text: m.source }),
        el('span', { class: 'score', text: format(m.score, 3) }), ' ',
        el('span', { class: 'text', text: m.text }),
        el('span', { class: 'meta', text: ` messages ${m.message_ids.join(', ')}` }))));
    } catch (e) {
      setText('search-status', explain(e, 'Search'));
    }
    this.graph(q);
  }

  sources(memories) {
    const total = memories.reduce((s, m) => s + m.score, 0) || 1;
    const by = new Map();
    for (const m of memories) {
      const s = by.get(m.source) || { count: 0, score: 0 };
      by.set(m.source, { count: s.count + 1, score: s.score + m.score });
    }
    document.getElementById('search-sources').replaceChildren(...[...by].map(([source, s]) => el('div', { class: 'source' },
      el('span', { class: 'badge ' + source, text: source }),
      el('meter', { min: 0, max: 1, value: s.score / total }),
      el('span', { text: `${s.count} result(s), ${format((100 * s.score) / total, 0)} % of the score` }))));
  }

  /** GET /api/chats/{chat}/memories, newest first; reset starts again from the newest. */
  async browse(reset) {
    if (!this.requireChat('browse-note')) return;
    const list = document.getElementById('memories');
    if (reset) {
      this.nextBefore = null;
      list.replaceChildren();
    }
    const params = {
      state: document.getElementById('browse-state').value,
      source: document.getElementById('browse-source').value || null,
      pinned: document.getElementById('browse-pinned').value || null,
      speaker: document.getElementById('browse-speaker').value.trim(),
      q: document.getElementById('browse-text').value.trim(),
      limit: PAGE, before: this.nextBefore,
    };
    try {
      const r = await api(`/api/chats/${path(this.chat)}/memories` + query(params));
      list.append(...r.memories.map(m => this.memoryItem(m)));
      this.nextBefore = r.next_before;
      document.getElementById('browse-more').hidden = r.next_before === null || r.next_before === undefined;
      setText('browse-note', list.children.length === 0 ? 'No memory matches.' : `${list.children.length} shown`);
    } catch (e) {
      document.getElementById('browse-more').hidden = true;
      setText('browse-note', explain(e, 'Memories'));
    }
  }

  memoryItem(m) {
    const item = el('li', { class: 'memory' + (m.current ? '' : ' superseded'), id: 'memory-' + m.id, 'data-id': m.id });
    const body = el('span', { class: 'text', text: m.text });
    const note = el('span', { class: 'note' });
    const who = m.speaker_name || m.speaker_id;
    item.append(
      el('div', { class: 'meta' },
        el('span', { class: 'badge ' + m.source, text: m.source }),
        ` #${m.id} · ${who ? who : 'no speaker'} · ${new Date(m.created_at).toLocaleString()}`,
        m.pinned ? el('span', { class: 'pin', text: ' · pinned' }) : null,
        m.current ? null : el('span', { text: ` · superseded by #${m.superseded_by ?? '–'}` })),
      body,
      el('div', { class: 'actions' },
        m.current ? el('button', { type: 'button', class: 'edit', text: 'Edit', onclick: () => this.edit(m, item, body) }) : null,
        'pinned' in m ? el('button', { type: 'button', class: 'pin', text: m.pinned ? 'Unpin' : 'Pin',
          onclick: () => this.patch(m.id, { pinned: !m.pinned }, item, note) }) : null,
        m.speaker_id ? el('button', { type: 'button', class: 'forget', text: 'Forget speaker…',
          onclick: () => { document.getElementById('forget-speaker').value = m.speaker_id; } }) : null,
        el('button', { type: 'button', class: 'delete', text: 'Delete', onclick: () => this.remove(m.id, item, note) })),
      note);
    return item;
  }

  edit(m, item, body) {
    const area = el('textarea', { class: 'edit-text', rows: 2 });
    area.value = m.text;
    const form = el('form', { class: 'row edit-form' }, area,
      el('button', { type: 'submit', text: 'Save' }),
      el('button', { type: 'button', text: 'Cancel', onclick: () => form.replaceWith(body) }));
    form.addEventListener('submit', e => {
      e.preventDefault();
      this.patch(m.id, { text: area.value.trim() }, item, item.querySelector('.note'));
    });
    body.replaceWith(form);
    area.focus();
  }

  /** PATCH /api/memories/{id}; the answer replaces the item (an edit is a new memory superseding the old). */
  async patch(id, change, item, note) {
    try {
      const r = await api('/api/memories/' + id, { method: 'PATCH', body: change });
      item.replaceWith(this.memoryItem(r.memory));
    } catch (e) {
      note.textContent = explain(e, 'Change');
    }
  }

  async remove(id, item, note) {
    if (!confirm(`Delete memory #${id}? It will no longer be recalled.`)) return;
    try {
      const r = await api('/api/memories/' + id, { method: 'DELETE' });
      item.replaceWith(el('li', { class: 'memory deleted', id: 'deleted-' + id,
        text: `#${id} deleted (${receipt(r.deleted)})` }));
    } catch (e) {
      note.textContent = explain(e, 'Delete');
    }
  }

  /** DELETE /api/chats/{chat}/speakers/{user}: everything of theirs goes; the receipt says what. */
  async forgetSpeaker(user, everywhere) {
    if (!this.requireChat('forget-note') || !user) return;
    const where = everywhere ? 'in every chat' : `in chat ${this.chat}`;
    if (!confirm(`Forget everything of speaker ${user} ${where}? This cannot be undone.`)) return;
    try {
      const r = await api(`/api/chats/${path(this.chat, 'speakers', user)}` + query({ everywhere: everywhere || null }),
        { method: 'DELETE' });
      setText('forget-note', `Forgot ${user} ${where}: ${receipt(r)}`);
      this.browse(true);
      this.graph('');
    } catch (e) {
      setText('forget-note', explain(e, 'Forget'));
    }
  }

  /** GET /api/graph: the concepts a query activates (the whole chat's graph for an empty query). */
  async graph(q) {
    if (!this.chat) return;
    const box = document.getElementById('concepts');
    setText('concepts-caption', q ? `activated by “${q}”` : `of chat ${this.chat}`);
    try {
      drawGraph(box, await api('/api/graph' + query({ chat_id: this.chat, q })));
    } catch (e) {
      box.replaceChildren(el('p', { class: 'note', text: explain(e, 'Graph') }));
    }
  }
}
