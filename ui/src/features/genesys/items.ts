// What a Genesys export file holds: the API's paged shape `{entities: [...]}` or a bare array.
import type { Value } from "../../api";

export function itemsOf(json: Value): Value[] {
  if (Array.isArray(json)) return json;
  if (json && typeof json === "object" && Array.isArray(json.entities)) return json.entities;
  throw new Error("expected a JSON array of items, or an object with an \"entities\" array");
}
