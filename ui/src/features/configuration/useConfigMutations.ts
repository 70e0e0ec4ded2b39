// Writes to `configuration`. Values go to the backend and never come back, except in a reveal.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { AppError, api, versionOf, type Row, type SetConfig } from "../../api";
import { useToast } from "../../app/toasts";

export function pathOf(row: Row): string {
  return `${String(row.category)}.${String(row.key)}`;
}

export function useConfigMutations() {
  const client = useQueryClient();
  const toast = useToast();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["rows", "configuration"] });
    void client.invalidateQueries({ queryKey: ["key-status"] });
  };
  const onError = (e: unknown) => {
    toast.error(e);
    if (e instanceof AppError && e.kind === "conflict") refresh();
  };
  const save = useMutation({
    mutationFn: (req: SetConfig) => api.configSet(req),
    onSuccess: (w) => {
      toast.ok(`Saved ${w.path}${w.is_encrypted ? " (encrypted)" : ""}`);
      refresh();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (row: Row) => api.configDelete({ id: Number(row.id), expected_updated_at: versionOf(row) }),
    onSuccess: (_, row) => {
      toast.ok(`Deleted ${pathOf(row)}`);
      refresh();
    },
    onError,
  });
  const protect = useMutation({
    mutationFn: ({ row, encrypt }: { row: Row; encrypt: boolean }) =>
      api.configProtect(pathOf(row), encrypt, versionOf(row)),
    onSuccess: (w) => {
      toast.ok(w.is_encrypted ? `Encrypted ${w.path}` : `${w.path} is now stored as plaintext`);
      refresh();
    },
    onError,
  });
  return { save, remove, protect };
}
