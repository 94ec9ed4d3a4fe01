// The real-time feature's Worker side: ticket and upgrade routes, and the auth exemption for tickets.
import { createRouter } from "../../http/router.ts";
import { connect, issueTicket } from "./ws.handlers.ts";
import { connectRoute, issueTicketRoute } from "./ws.routes.ts";

export { refuseUpgradesAsSockets } from "./refusal.ts";
export { isTicketUpgrade } from "./ws.handlers.ts";

export const realtimeRoutes = createRouter().openapi(issueTicketRoute, issueTicket).openapi(connectRoute, connect);
