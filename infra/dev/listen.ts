// Listening for the dev server: the requested port, or the next free one if it is taken (as alchemy does).
import type { Server } from "node:net";

export async function listenOnFreePort(server: Server, host: string, port: number, log: (m: string) => void) {
  for (let candidate = port; candidate < port + 20; candidate += 1) {
    const outcome = await new Promise<"listening" | "busy">((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off("listening", onListening);
        if (error.code === "EADDRINUSE") resolve("busy");
        else reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve("listening");
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(candidate, host);
    });
    if (outcome === "listening") return candidate;
    log(`Port ${candidate} is already in use, trying ${candidate + 1}...`);
  }
  throw new Error(`No free port in ${port}-${port + 19} on ${host}.`);
}
