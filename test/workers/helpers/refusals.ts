// Reads a refused upgrade the way a browser would: the socket's one `error` frame and its close code.
import type { ServerFrameOf } from "../../../src/sessions/protocol.ts";
import { wrap } from "./sockets.ts";

export interface Refusal {
  status: number;
  closeCode: number;
  reason: string;
  error: ServerFrameOf<"error">;
}

/** The refusal an upgrade's answer carries; throws if it is not a socket that closes with a reason. */
export async function refusalOf(res: Response): Promise<Refusal> {
  const socket = wrap(res);
  const error = await socket.next("error");
  const { code, reason } = await socket.closed;
  return { status: res.status, closeCode: code, reason, error };
}

/** An answer as HTTP would have given it: a refused upgrade becomes its status and error body again. */
export interface HttpLikeAnswer {
  status: number;
  text: string;
  contentType: string | null;
}

/**
 * For checks written against HTTP answers (the fuzzer): a live socket (its first frame is `hello`)
 * stays 101; a socket closed with 4000 + status after an `error` frame reads as that status; 1011 as 500.
 */
export async function asHttpAnswer(res: Response): Promise<HttpLikeAnswer> {
  const ws = res.webSocket;
  if (!ws) return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
  ws.accept();
  return new Promise((resolve) => {
    let error: ServerFrameOf<"error"> | undefined;
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(String(event.data)) as { type: string };
      if (frame.type === "error" && error === undefined) error = frame as ServerFrameOf<"error">;
      if (frame.type === "hello") {
        ws.close(1000, "checked");
        resolve({ status: 101, text: "", contentType: null });
      }
    });
    ws.addEventListener("close", (event) => {
      const status = event.code >= 4400 && event.code < 4500 ? event.code - 4000 : event.code === 1011 ? 500 : 101;
      const body = error && { error: { code: error.code, message: error.message, details: error.details } };
      resolve({ status, text: body ? JSON.stringify(body) : "", contentType: body ? "application/json" : null });
    });
  });
}
