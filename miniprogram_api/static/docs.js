// /docs: starts Swagger UI over this API's contract. A file, not inline, so the page's CSP allows
// no inline script. validatorUrl null: Swagger UI would otherwise fetch a badge from a public
// validator, a request leaving the deployment.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui", validatorUrl: null, deepLinking: false });
