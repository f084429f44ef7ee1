// The dashboard's HTTP client: JSON in and out, the API token from sessionStorage as a Bearer header,
// and the API's {"error", "detail"} bodies turned into ApiError.

const TOKEN_KEY = 'engram.api_token';
let unauthorized = () => {};

/** A failed request: the HTTP status and the API's error code and detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  /** True when the server has no such endpoint at all (an older Engram), not when an id is unknown. */
  get missingEndpoint() {
    return this.status === 404 && this.code === 'not_found' && this.message.startsWith('no route');
  }
}

/** Called with the ApiError of every 401 answer (the page then asks for the token). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function hasToken() {
  return sessionStorage.getItem(TOKEN_KEY) !== null;
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

function headers(json) {
  const h = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = 'Bearer ' + token;
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

async function request(path, method, body, parse) {
  const r = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!r.ok) {
    let code = 'http_' + r.status;
    let detail = r.statusText;
    try {
      const e = await r.json();
      code = e.error || code;
      detail = e.detail || detail;
    } catch (ignored) {
      // not the API's error shape: keep the status line
    }
    const error = new ApiError(r.status, code, detail);
    if (r.status === 401) unauthorized(error);
    throw error;
  }
  return parse(r);
}

/** GET/POST/PATCH/DELETE a JSON endpoint; resolves to the parsed body. */
export function api(path, { method = 'GET', body } = {}) {
  return request(path, method, body, r => r.json());
}

/** GET a text endpoint (the Prometheus metrics). */
export function text(path) {
  return request(path, 'GET', undefined, r => r.text());
}

/** A query string from the non-empty entries of params. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** One line for the page: what failed and, for a missing endpoint, that this server does not offer it. */
export function explain(error, what) {
  if (error instanceof ApiError) {
    if (error.missingEndpoint) return `${what}: this Engram has no such endpoint (404); update the server to use it.`;
    return `${what}: ${error.message} (${error.code}, HTTP ${error.status})`;
  }
  return `${what}: ${error.message}`;
}
