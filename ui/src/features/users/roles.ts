import type { Role } from "../../api";

export const ROLES: Role[] = ["viewer", "editor", "admin"];

export function isRole(s: string): s is Role {
  return (ROLES as string[]).includes(s);
}
