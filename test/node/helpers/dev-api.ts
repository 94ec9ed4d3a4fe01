// JSON calls to a running stack (npm run dev) the way a client makes them: bearer token, JSON body.
export interface ApiInit {
  /** Defaults to GET, or POST when there is a body. */
  method?: string;
  token?: string;
  body?: unknown;
}

/** The status and the parsed body (null when empty), whatever the status. */
export async function apiRequest<T>(baseUrl: string, path: string, init: ApiInit = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The parsed body of a 2xx answer; anything else throws, naming the path, status and body. */
export async function apiCall<T>(baseUrl: string, path: string, init: ApiInit = {}): Promise<T> {
  const { status, body } = await apiRequest<T>(baseUrl, path, init);
  if (status < 200 || status > 299) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
  return body;
}
