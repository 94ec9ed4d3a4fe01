// Reads a refused upgrade the way a browser would: the socket's one `error` frame and its close code.
import type { ServerFrameOf } from "../../../src/realtime/protocol.ts";
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
