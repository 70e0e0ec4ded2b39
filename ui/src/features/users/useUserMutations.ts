// Role changes, creation and deletion. Every edit sends the row's `updated_at` as it was read, so
// a change someone else made meanwhile is a conflict instead of being overwritten. A role change
// offers Undo: update_user back to the role it had, with the `updated_at` the change returned
// (so an edit made since then is a conflict, said as such, not overwritten).
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { AppError, api, versionOf, type Role, type Row } from "../../api";
import { useToast } from "../../app/toasts";
import { useOfferUndo } from "../../app/undo";
import { isRole } from "./roles";

export function useUserMutations() {
  const client = useQueryClient();
  const toast = useToast();
  const refresh = () => client.invalidateQueries({ queryKey: ["rows", "users"] });
  const onError = (e: unknown) => {
    toast.error(e);
    // a conflict means our copy is stale: show the current rows
    if (e instanceof AppError && e.kind === "conflict") void refresh();
  };

  const offerUndo = useOfferUndo();
  const changeRole = useMutation({
    mutationFn: ({ row, role }: { row: Row; role: Role; undoable?: boolean }) =>
      api.updateUser({ id: Number(row.id), expected_updated_at: versionOf(row), role }),
    onSuccess: (user, { row, undoable = true }) => {
      const done = `${user.email} is now ${user.role}`;
      const was = String(row.role);
      if (undoable && isRole(was)) {
        offerUndo({
          done,
          undo: () => api.updateUser({ id: user.id, expected_updated_at: user.updated_at ?? null, role: was }),
          undone: `${user.email} is ${was} again`,
          onSettled: () => void refresh(),
        });
      } else {
        toast.ok(done);
      }
      void refresh();
    },
    onError,
  });
  const create = useMutation({
    mutationFn: api.createUser,
    onSuccess: (user) => {
      toast.ok(`Added ${user.email} as ${user.role}`);
      void refresh();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (row: Row) => api.deleteUser({ id: Number(row.id), expected_updated_at: versionOf(row) }),
    onSuccess: (_, row) => {
      toast.ok(`Deleted ${String(row.email)}`);
      void refresh();
    },
    onError,
  });
  return { changeRole, create, remove };
}
