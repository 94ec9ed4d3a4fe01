// Injected first into the console bundle (infra/assets): zod must never try `new Function`, which
// the console's CSP forbids; even its caught probe is reported as a CSP violation.
import { z } from "zod";

z.config({ jitless: true });
