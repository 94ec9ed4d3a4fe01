// JSON values as stored and sent: the one loose JSON type every layer shares.

/**
 * A JSON object, checked at runtime where it enters (the edge schemas, the object's inputs). Typed
 * loosely on purpose: a recursive JSON type sends the RPC stub types into "type instantiation is
 * excessively deep".
 */
export type JsonObject = Record<string, unknown>;
