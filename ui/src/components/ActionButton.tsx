// A button for an action the operator's role may not allow: disabled with the reason as tooltip.
import type { ButtonHTMLAttributes } from "react";

import type { Permission } from "../api";
import { usePermission } from "../app/session";

interface Props extends ButtonHTMLAttributes<HTMLButtonElement> {
  permission: Permission;
}

export function ActionButton({ permission, disabled, title, ...rest }: Props) {
  const { allowed, reason } = usePermission(permission);
  return <button {...rest} disabled={!allowed || disabled} title={allowed ? title : reason} />;
}
