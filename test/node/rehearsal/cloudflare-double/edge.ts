// The double's runtime: one Miniflare instance holding every D1 database and serving every uploaded Worker on its own port.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare, type MiniflareOptions, NoOpLog, type WorkerOptions } from "miniflare";
import type { ScriptRecord } from "./account.ts";
import { CloudflareError } from "./envelope.ts";
import { assertClassesExported, workerOptions } from "./worker-options.ts";

/** Owns the D1 bindings the API's query endpoint runs through; never reachable from outside. */
const D1_HOST = "cloudflare-double-d1-host";
const d1Binding = (uuid: string) => `D1_${uuid.replaceAll("-", "_")}`;

export interface D1StatementResult {
  results: unknown[];
  success: boolean;
  meta: Record<string, unknown>;
}

export class Edge {
  readonly #root: string;
  readonly #databases = new Set<string>();
  readonly #scripts = new Map<string, { script: ScriptRecord; port: number }>();
  #mf: Miniflare | undefined;
  /** Reconfigurations run one at a time; requests and queries wait for them and they wait for requests. */
  #queue: Promise<unknown> = Promise.resolve();
  #readers = 0;
  #drained: (() => void) | undefined;
  /** workerd's stdout and stderr: what the deployed Workers logged. */
  readonly output: string[] = [];

  constructor(root: string) {
    this.#root = root;
  }

  addDatabase(uuid: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#databases.add(uuid);
      await this.#apply();
    });
  }

  removeDatabase(uuid: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#databases.delete(uuid);
      await this.#apply();
    });
  }

  /** Runs statements as one D1 batch (one transaction), returning one result per statement. */
  query(uuid: string, statements: string[], params: unknown[] = []): Promise<D1StatementResult[]> {
    return this.#shared(async () => {
      const db = await (this.#mf as Miniflare).getD1Database(d1Binding(uuid), D1_HOST);
      const prepared = statements.map((sql) => (params.length > 0 ? db.prepare(sql).bind(...params) : db.prepare(sql)));
      try {
        return (await db.batch(prepared)) as unknown as D1StatementResult[];
      } catch (error) {
        throw new CloudflareError(400, 7500, (error as Error).message.replace(/^D1_ERROR: /, ""));
      }
    });
  }

  /** (Re)deploys a script; when workerd refuses it, the previous version keeps serving and the upload fails. */
  deploy(script: ScriptRecord, deletedClasses: string[]): Promise<void> {
    return this.#exclusive(async () => {
      const previous = this.#scripts.get(script.name);
      this.#scripts.set(script.name, { script, port: previous?.port ?? 0 });
      const logged = this.output.length;
      try {
        await this.#apply();
        await this.#settle();
        assertClassesExported(script, this.output.slice(logged).join(""));
      } catch (error) {
        if (previous) this.#scripts.set(script.name, previous);
        else this.#scripts.delete(script.name);
        await this.#restart();
        if (error instanceof CloudflareError) throw error;
        throw new CloudflareError(400, 10021, `Uncaught error while starting the Worker: ${(error as Error).message}`);
      }
      await this.#dropObjects(script.name, deletedClasses);
    });
  }

  remove(name: string): Promise<void> {
    return this.#exclusive(async () => {
      const entry = this.#scripts.get(name);
      this.#scripts.delete(name);
      await this.#apply();
      await this.#dropObjects(name, Object.keys(entry?.script.classes ?? {}));
    });
  }

  /** A request to a deployed script on its own port, never cut off by another script's deploy; undefined if absent. */
  fetch(name: string, pathAndQuery: string, init: RequestInit): Promise<Response | undefined> {
    return this.#shared(async () => {
      const port = this.#scripts.get(name)?.port;
      if (!port) return undefined;
      const response = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`, init);
      return new Response(await response.arrayBuffer(), response);
    });
  }

  dispose(): Promise<void> {
    return this.#exclusive(async () => {
      await this.#mf?.dispose();
      this.#mf = undefined;
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      while (this.#readers > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      return fn();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #shared<T>(fn: () => Promise<T>): Promise<T> {
    let queued: Promise<unknown>;
    do {
      queued = this.#queue;
      await queued;
    } while (queued !== this.#queue);
    this.#readers += 1;
    try {
      return await fn();
    } finally {
      this.#readers -= 1;
      if (this.#readers === 0) this.#drained?.();
    }
  }

  async #apply(): Promise<void> {
    const options = this.#options();
    if (this.#mf) await this.#mf.setOptions(options);
    else {
      this.#mf = new Miniflare(options);
      await this.#mf.ready;
    }
    for (const [name, entry] of this.#scripts) {
      entry.port = Number((await this.#mf.unsafeGetDirectURL(name)).port);
    }
  }

  /** A round trip through workerd, so everything it logged while starting has reached `output`. */
  async #settle(): Promise<void> {
    await (await (this.#mf as Miniflare).dispatchFetch("http://d1-host.invalid/")).arrayBuffer();
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** After a refused configuration Miniflare may be half-started: begin again from the last good one. */
  async #restart(): Promise<void> {
    await this.#mf?.dispose().catch(() => undefined);
    this.#mf = undefined;
    await this.#apply();
  }

  async #dropObjects(scriptName: string, classNames: string[]): Promise<void> {
    for (const className of classNames) {
      await rm(join(this.#root, "do", `${scriptName}-${className}`), { recursive: true, force: true });
    }
  }

  #options(): MiniflareOptions {
    const host: WorkerOptions = {
      name: D1_HOST,
      modules: true,
      script: "export default { fetch: () => new Response(null, { status: 404 }) };",
      compatibilityDate: "2025-01-01",
      d1Databases: Object.fromEntries([...this.#databases].map((uuid) => [d1Binding(uuid), uuid])),
    };
    const workers = [...this.#scripts.values()].map(({ script, port }) => workerOptions(script, port));
    return {
      workers: [host, ...workers],
      d1Persist: join(this.#root, "d1"),
      durableObjectsPersist: join(this.#root, "do"),
      log: new NoOpLog(),
      cf: false, // the placeholder `request.cf`: never fetch Cloudflare's

      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        for (const stream of [stdout, stderr]) stream.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
      },
      handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
        this.output.push(`[${level}] ${message}\n`);
      },
    };
  }
}
