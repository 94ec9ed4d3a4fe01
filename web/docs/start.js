// Starts Swagger UI on /docs (a file, so the page needs no inline script); the spec URL is read
// from the page. Served as a static asset with swagger-ui-dist's files (infra/assets).

window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Otherwise Swagger UI sends the spec to validator.swagger.io for a badge.
    validatorUrl: null,
  });
});
