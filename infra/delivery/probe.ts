// After /health: does a signed-in request round-trip on the stage just deployed? Sign in, write, read back, clean up.
import { createHmac, randomUUID } from "node:crypto";
import type { Fetch } from "../vendors/github-api.ts";

/** The environment secret holding an API key of the stage's probe account (docs/releases.md, one-time setup). */
export const PROBE_API_KEY = "PROBE_API_KEY";

/** Where the probe gets its credential, in this order; it never prints either. */
export interface ProbeCredentials {
  /** PROBE_API_KEY: a key of an account made for the probe; needed where signup is off before the first deploy. */
  apiKey?: string;
  /** ALCHEMY_PASSWORD: derives the stage's own probe account, signed up on the first deploy and logged into after. */
  derivationSecret?: string;
}

export interface ProbeInput {
  stage: string;
  version: string;
  url: string;
  fetch: Fetch;
  credentials: ProbeCredentials;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Bumping it gives every stage a new probe account (the old one stays, unused). */
const DERIVATION_LABEL = "stateful-api deploy probe v1";

/**
 * The stage's probe account: an address at `.invalid` (RFC 2606: never deliverable, never a real user's) that nobody
 * without the derivation secret can predict, so nobody can take it first; and a password only that secret yields.
 */
export function probeAccount(stage: string, secret: string): { email: string; password: string } {
  const derive = (purpose: string) =>
    createHmac("sha256", secret).update(`${DERIVATION_LABEL}\0${stage}\0${purpose}`).digest("hex");
  return { email: `deploy-probe-${derive("email").slice(0, 20)}@probe.invalid`, password: derive("password") };
}

class ProbeFailure extends Error {
  override name = "ProbeFailure";
}

interface Answer {
  status: number;
  body: unknown;
}

/** One API call; never includes a credential or a response body in what it reports, only statuses and error codes. */
async function call(input: ProbeInput, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await input.fetch(new URL(path, input.url).href, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    throw new ProbeFailure(`${method} ${path}: no answer (${(error as Error).message}).`);
  }
}

function errorCode(answer: Answer): string {
  const code = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === "string" ? ` ${code}` : "";
}

function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new ProbeFailure(`${what}: expected ${status}, got ${answer.status}${errorCode(answer)}.`);
  }
}

function tokenOf(answer: Answer): string {
  const token = (answer.body as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || !token) throw new ProbeFailure("The stage answered a sign-in without a token.");
  return token;
}

interface Credential {
  token: string;
  how: string;
  /** A login token the probe minted, revoked at the end so none pile up. */
  minted: boolean;
}

async function signIn(input: ProbeInput): Promise<Credential> {
  const { apiKey, derivationSecret } = input.credentials;
  if (apiKey) {
    const me = await call(input, "GET", "/v1/me", apiKey);
    if (me.status === 401) {
      throw new ProbeFailure(
        `${PROBE_API_KEY} was refused by stage ${input.stage} (401${errorCode(me)}): it was revoked, expired, or belongs to another stage. Create a new one (docs/releases.md).`,
      );
    }
    expectStatus(me, 200, "GET /v1/me with PROBE_API_KEY");
    return { token: apiKey, how: `the ${PROBE_API_KEY} account`, minted: false };
  }
  if (!derivationSecret) {
    throw new ProbeFailure(
      `No credential for the signed-in probe: give the step ${PROBE_API_KEY} or ALCHEMY_PASSWORD (docs/releases.md).`,
    );
  }
  const account = probeAccount(input.stage, derivationSecret);
  const login = await call(input, "POST", "/v1/auth/login", undefined, account);
  if (login.status === 200) return { token: tokenOf(login), how: "the stage's probe account", minted: true };
  if (login.status !== 401) expectStatus(login, 200, "Probe account login");
  // No such account yet (a new stage): sign it up, once.
  const signup = await call(input, "POST", "/v1/auth/signup", undefined, { ...account, name: "Deploy probe" });
  if (signup.status === 201) return { token: tokenOf(signup), how: "a new probe account for the stage", minted: true };
  if (signup.status === 403) {
    throw new ProbeFailure(
      `Stage ${input.stage} has signup switched off (403${errorCode(signup)}) and no probe account yet: set the ${PROBE_API_KEY} secret of its environment (docs/releases.md, "The probe's credential").`,
    );
  }
  if (signup.status === 409) {
    throw new ProbeFailure(
      `The probe account of stage ${input.stage} exists but refused the derived password (ALCHEMY_PASSWORD changed?): set ${PROBE_API_KEY} (docs/releases.md).`,
    );
  }
  throw new ProbeFailure(`Probe account signup: expected 201, got ${signup.status}${errorCode(signup)}.`);
}

/** Writes a session and a message, reads the message back, deletes the session: nothing is left behind. */
async function roundTrip(input: ProbeInput, token: string): Promise<void> {
  const created = await call(input, "POST", "/v1/sessions", token, { title: `deploy probe ${input.version}` });
  expectStatus(created, 201, "POST /v1/sessions");
  const id = (created.body as { session?: { id?: unknown } } | undefined)?.session?.id;
  if (typeof id !== "string") throw new ProbeFailure("POST /v1/sessions answered without a session id.");
  const path = `/v1/sessions/${encodeURIComponent(id)}`;
  let failure: unknown;
  try {
    const content = `deploy probe ${input.version} ${randomUUID()}`;
    expectStatus(await call(input, "POST", `${path}/messages`, token, { content }), 201, "POST …/messages");
    const read = await call(input, "GET", `${path}/messages`, token);
    expectStatus(read, 200, "GET …/messages");
    const items = (read.body as { items?: { content?: unknown }[] } | undefined)?.items ?? [];
    if (!items.some((item) => item.content === content)) {
      throw new ProbeFailure("GET …/messages did not return the message just written.");
    }
  } catch (error) {
    failure = error;
  }
  // Clean up even after a failure: a probe must not leave sessions behind on a stage with real users.
  const deleted = await call(input, "DELETE", path, token);
  if (failure) throw failure;
  expectStatus(deleted, 204, "DELETE /v1/sessions/{id} (cleanup)");
}

/** The signed-in half of the probe; the message never contains a credential. */
export async function probeSignedIn(input: ProbeInput): Promise<{ ok: boolean; message: string }> {
  try {
    const credential = await signIn(input);
    let failure: unknown;
    try {
      await roundTrip(input, credential.token);
    } catch (error) {
      failure = error;
    }
    // A login token the probe minted is revoked whatever happened, so none pile up on the account.
    const logout = credential.minted ? await call(input, "POST", "/v1/auth/logout", credential.token) : undefined;
    if (failure) throw failure;
    if (logout) expectStatus(logout, 204, "Logout (cleanup)");
    return {
      ok: true,
      message: `Stage ${input.stage}: a signed-in request round-trips (${credential.how}: session written, read back, deleted).`,
    };
  } catch (error) {
    if (!(error instanceof ProbeFailure)) throw error;
    return {
      ok: false,
      message: [
        `Stage ${input.stage} serves version ${input.version}, but a signed-in request does NOT round-trip: ${error.message}`,
        "The deployment is marked failed. Read the stage's logs (wrangler tail), then fix forward or roll back (docs/releases.md).",
      ].join("\n"),
    };
  }
}
