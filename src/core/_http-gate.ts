/**
 * The request checks upstream's router (go-restful) makes on a known path before calling
 * the handler, in its order: method (405), body media type (415), `Accept` (406)
 * (SPEC 8.1), and the plain-text responses it writes.
 *
 * @module
 */

const TEXT = "text/plain; charset=utf-8";

/** A plain-text response, as Go's net/http sniffs it (`text/plain; charset=utf-8`). */
export function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": TEXT } });
}

/** A JSON response with upstream's `Content-Type: application/json` (no charset). */
export function jsonResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "application/json" } });
}

/** `404: Page Not Found`, for every unknown path. */
export function notFound(): Response {
  return textResponse(404, "404: Page Not Found");
}

/** `405: Method Not Allowed`, for a known path asked with another method than GET. */
export function methodNotAllowed(): Response {
  return textResponse(405, "405: Method Not Allowed");
}

/**
 * The 405/415/406 rules of upstream's `/v1/*` routes, or undefined when the request may
 * proceed. 415 applies only to a request with a body (`Content-Length` > 0) whose
 * `Content-Type` is not `application/json`; 406 to a non-empty `Accept` naming neither
 * `*\/*` nor `application/json`. Media types are compared case-sensitively, as go-restful does.
 */
export function upstreamGate(request: Request): Response | undefined {
  if (request.method !== "GET") return methodNotAllowed();
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > 0 && !mediaListHas(request.headers.get("content-type") ?? "", ["application/json"])) {
    return textResponse(415, "415: Unsupported Media Type");
  }
  const accept = request.headers.get("accept") ?? "";
  if (accept !== "" && !mediaListHas(accept, ["*/*", "application/json"])) {
    return textResponse(406, "406: Not Acceptable");
  }
  return undefined;
}

/** True when a comma-separated media list names one of `wanted` (parameters after `;` ignored). */
function mediaListHas(list: string, wanted: readonly string[]): boolean {
  for (const part of list.split(",")) {
    const type = (part.split(";")[0] ?? "").trim();
    if (wanted.includes(type)) return true;
  }
  return false;
}
