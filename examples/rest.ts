// Example: the REST API through hono/client's typed `hc<App>`: sign up, create a session, post, read back.
// Run against `npm run dev`: `npx node examples/rest.ts` (API=http://localhost:PORT if not 1337).
import { hc } from "hono/client";
import type { App } from "../src/client/index.ts";

const baseUrl = process.env.API ?? "http://localhost:1337";

// Sign up a new user (a fresh email each run: a second signup with the same one answers 409).
const anonymous = hc<App>(baseUrl);
const signup = await anonymous.v1.auth.signup.$post({
  json: { email: `ada-${crypto.randomUUID()}@example.com`, password: "correct horse battery", name: "Ada" },
});
if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
const { token, user } = await signup.json();
console.log("signed up", user.email);

// Every call from here on carries the login token.
const api = hc<App>(baseUrl, { headers: { authorization: `Bearer ${token}` } });

const created = await api.v1.sessions.$post({ json: { title: "Launch party" } });
if (created.status !== 201) throw new Error(`create session: ${created.status} ${await created.text()}`);
const { session } = await created.json();
console.log("session", session.id, session.title);

// Request and response types come from the route's schemas; the Idempotency-Key header is optional.
for (const content of ["Where?", "The old library"]) {
  const posted = await api.v1.sessions[":id"].messages.$post({ param: { id: session.id }, json: { content } });
  if (posted.status !== 201) throw new Error(`append: ${posted.status} ${await posted.text()}`);
  const { message } = await posted.json();
  console.log("posted", message.seq, message.content);
}

const page = await api.v1.sessions[":id"].messages.$get({ param: { id: session.id }, query: { limit: "50" } });
if (page.status !== 200) throw new Error(`list: ${page.status} ${await page.text()}`);
const { items, nextCursor } = await page.json();
console.log("read back", items.map((message) => `${message.seq} ${message.content}`).join(", "), "next:", nextCursor);
