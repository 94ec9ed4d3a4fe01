// The double's runtime: one Miniflare instance holding every D1 database and serving every uploaded Worker on its own
// port. Each change restarts workerd, so the edge avoids the restarts it can: D1 databases come from pre-bound spare
// slots, a deleted Worker leaves at the next restart, and an upload identical to the running one changes nothing.
import { createHash, randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare, type MiniflareOptions, NoOpLog, type WorkerOptions } from "miniflare";
import type { ScriptRecord } from "./account.ts";
import { CloudflareError } from "./envelope.ts";
import { ReconfigurationLock } from "./reconfiguration-lock.ts";
import { assertClassesExported, workerOptions } from "./worker-options.ts";

/** Statuses whose response has no body (Fetch standard, "null body status"). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Owns the D1 bindings the API's query endpoint runs through; never reachable from outside. */
const D1_HOST = "cloudflare-double-d1-host";
const D1_SLOTS_PER_RESTART = 8;
const d1Binding = (uuid: string) => `D1_${uuid.replaceAll("-", "_")}`;

export interface D1StatementResult {
  results: unknown[];
  success: boolean;
  meta: Record<string, unknown>;
}

interface Deployed {
  script: ScriptRecord;
  port: number;
  fingerprint: string;
}

export class Edge {
  readonly #root: string;
  readonly #lock = new ReconfigurationLock();
  readonly #databases = new Set<string>();
  readonly #spareDatabases: string[] = [];
  readonly #scripts = new Map<string, Deployed>();
  /** Durable Object storage per `script/class`: a new key after a delete, so no object outlives its class. */
  readonly #storage = new Map<string, string>();
  #generation = 0;
  #mf: Miniflare | undefined;
  /** What workerd printed and the Workers logged. */
  readonly output: string[] = [];

  constructor(root: string) {
    this.#root = root;
  }

  /** A new, empty D1 database; its id. */
  createDatabase(): Promise<string> {
    return this.#lock.exclusive(async () => {
      if (this.#spareDatabases.length === 0) {
        for (let i = 0; i < D1_SLOTS_PER_RESTART; i++) this.#spareDatabases.push(randomUUID());
        await this.#apply();
      }
      const uuid = this.#spareDatabases.shift() as string;
      this.#databases.add(uuid);
      return uuid;
    });
  }

  /** Unreachable at once; its binding goes at the next restart. */
  removeDatabase(uuid: string): Promise<void> {
    return this.#lock.exclusive(async () => {
      this.#databases.delete(uuid);
    });
  }

  /** Runs statements as one D1 batch (one transaction), returning one result per statement. */
  query(uuid: string, statements: string[], params: unknown[] = []): Promise<D1StatementResult[]> {
    return this.batch(
      uuid,
      statements.map((sql) => ({ sql, params })),
    );
  }

  /** Like `query`, with parameters of its own for each statement (Time Travel's restore writes rows back). */
  batch(uuid: string, statements: { sql: string; params: unknown[] }[]): Promise<D1StatementResult[]> {
    return this.#lock.shared(async () => {
      if (!this.#databases.has(uuid)) throw new CloudflareError(404, 7404, `The database ${uuid} could not be found.`);
      const db = await (this.#mf as Miniflare).getD1Database(d1Binding(uuid), D1_HOST);
      const prepared = statements.map(({ sql, params }) =>
        params.length > 0 ? db.prepare(sql).bind(...params) : db.prepare(sql),
      );
      try {
        return (await db.batch(prepared)) as unknown as D1StatementResult[];
      } catch (error) {
        throw new CloudflareError(400, 7500, (error as Error).message.replace(/^D1_ERROR: /, ""));
      }
    });
  }

  /** (Re)deploys a script; when workerd refuses it, the previous version keeps serving and the upload fails. */
  deploy(script: ScriptRecord, deletedClasses: string[]): Promise<void> {
    return this.#lock.exclusive(async () => {
      const previous = this.#scripts.get(script.name);
      const previousStorage = new Map(this.#storage);
      for (const className of deletedClasses) this.#storage.delete(`${script.name}/${className}`);
      const fingerprint = this.#fingerprint(script);
      this.#scripts.set(script.name, { script, port: previous?.port ?? 0, fingerprint });
      if (previous?.fingerprint === fingerprint) return;
      const logged = this.output.length;
      try {
        await this.#apply();
        await this.#settle();
        assertClassesExported(script, this.output.slice(logged).join(""));
      } catch (error) {
        if (previous) this.#scripts.set(script.name, previous);
        else this.#scripts.delete(script.name);
        this.#storage.clear();
        for (const [key, value] of previousStorage) this.#storage.set(key, value);
        await this.#restart();
        if (error instanceof CloudflareError) throw error;
        throw new CloudflareError(400, 10021, `Uncaught error while starting the Worker: ${(error as Error).message}`);
      }
    });
  }

  /** Unreachable at once, its Durable Objects with it; workerd drops it at the next restart. */
  remove(name: string): Promise<void> {
    return this.#lock.exclusive(async () => {
      this.#scripts.delete(name);
      for (const key of [...this.#storage.keys()]) if (key.startsWith(`${name}/`)) this.#storage.delete(key);
    });
  }

  /** A request to a deployed script on its own port, never cut off by another script's deploy; undefined if absent. */
  fetch(name: string, pathAndQuery: string, init: RequestInit): Promise<Response | undefined> {
    return this.#lock.shared(async () => {
      const port = this.#scripts.get(name)?.port;
      if (!port) return undefined;
      const response = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`, init);
      // A 204 or 304 must be rebuilt without a body: the Response constructor refuses one, even an empty one.
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      return new Response(body, response);
    });
  }

  dispose(): Promise<void> {
    return this.#lock.exclusive(async () => {
      await this.#mf?.dispose();
      this.#mf = undefined;
    });
  }

  /** The key of a class's storage, stable across redeploys, new once the class or its script was deleted. */
  #storageKey(scriptName: string, className: string): string {
    const id = `${scriptName}/${className}`;
    if (!this.#storage.has(id)) this.#storage.set(id, `${scriptName}-${className}-${++this.#generation}`);
    return this.#storage.get(id) as string;
  }

  #fingerprint(script: ScriptRecord): string {
    const hash = createHash("sha256");
    for (const module of script.modules) hash.update(module.name).update(module.contentType).update(module.contents);
    const keys = Object.keys(script.classes).map((className) => this.#storageKey(script.name, className));
    const { compatibilityDate, compatibilityFlags, bindings, classes } = script;
    return hash
      .update(JSON.stringify({ compatibilityDate, compatibilityFlags, bindings, classes, keys }))
      .digest("hex");
  }

  async #apply(): Promise<void> {
    try {
      await this.#configure();
    } catch (error) {
      if (!String((error as Error)?.message ?? error).includes("Address already in use")) throw error;
      // A script keeps its port across restarts, and that port is in the ephemeral range every outgoing connection
      // on a busy machine draws from: when one took it meanwhile, start afresh and let workerd pick new ports.
      for (const entry of this.#scripts.values()) entry.port = 0;
      await this.#mf?.dispose().catch(() => undefined);
      this.#mf = undefined;
      await this.#configure();
    }
  }

  async #configure(): Promise<void> {
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

  #options(): MiniflareOptions {
    const databases = [...this.#databases, ...this.#spareDatabases];
    const host: WorkerOptions = {
      name: D1_HOST,
      modules: true,
      script: "export default { fetch: () => new Response(null, { status: 404 }) };",
      compatibilityDate: "2025-01-01",
      d1Databases: Object.fromEntries(databases.map((uuid) => [d1Binding(uuid), uuid])),
    };
    const workers = [...this.#scripts.values()].map(({ script, port }) =>
      workerOptions(script, port, (className) => this.#storageKey(script.name, className)),
    );
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
