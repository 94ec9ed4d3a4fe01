// The API docs page (Swagger UI served from this Worker) and where the OpenAPI document lives.
export { docsRoutes } from "./docs.ts";
export { OPENAPI_PATH } from "./docs-page.ts";
