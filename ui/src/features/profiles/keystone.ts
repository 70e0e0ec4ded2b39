// The Keystone fields the directory shows from a profile's `keystone_data` (the HR record, JSON
// of any shape): the person's name, title, department and job code. Each is read from the first
// key the record has among the names HR exports have used for it.
import type { Value } from "../../api";

export interface KeystoneSummary {
  name: string;
  title: string;
  department: string;
  jobCode: string;
}

const KEYS: Record<keyof KeystoneSummary, string[]> = {
  name: ["display_name", "name", "full_name"],
  title: ["job_title", "title"],
  department: ["department", "dept"],
  jobCode: ["job_code"],
};

export const KEYSTONE_LABELS: Record<keyof KeystoneSummary, string> = {
  name: "Name",
  title: "Title",
  department: "Department",
  jobCode: "Job code",
};

function text(value: Value | undefined): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function keystoneSummary(data: Value | undefined): KeystoneSummary {
  const record = data !== null && typeof data === "object" && !Array.isArray(data) ? data : {};
  const pick = (keys: string[]) => text(keys.map((k) => record[k]).find((v) => text(v) !== ""));
  return { name: pick(KEYS.name), title: pick(KEYS.title), department: pick(KEYS.department), jobCode: pick(KEYS.jobCode) };
}
