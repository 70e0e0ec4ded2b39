// Genesys groups, skills and locations: the cached rows (raw JSON in the drawer), an "active
// only" toggle, and import of a JSON export (chosen in the backend's native open dialog) through
// sync_from_service_data.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api } from "../../api";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { DataTable } from "../../components/DataTable";
import type { Chip, ScreenQuery } from "../../lib/query";

export type GenesysTable = "genesys_groups" | "genesys_skills" | "genesys_locations";
const KIND = { genesys_groups: "groups", genesys_skills: "skills", genesys_locations: "locations" } as const;
const ACTIVE: Chip = { column: "is_active", op: "eq", value: "true" };

interface Props extends ScreenQuery {
  table: GenesysTable;
}

export function GenesysScreen({ table, chips, sort, onQueryChange }: Props) {
  const client = useQueryClient();
  const toast = useToast();
  const [result, setResult] = useState<string | null>(null);
  const activeOnly = chips.some((c) => c.column === "is_active");
  const importFile = useMutation({
    mutationFn: () => api.importGenesysFile(KIND[table]),
    onSuccess: (stats) => {
      if (!stats) return;
      const text = `${stats.created} created, ${stats.updated} updated`;
      setResult(text);
      toast.ok(`Imported: ${text}`);
      void client.invalidateQueries({ queryKey: ["rows", table] });
    },
    onError: toast.error,
  });
  const toolbar = (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          checked={activeOnly}
          onChange={() =>
            onQueryChange(activeOnly ? chips.filter((c) => c.column !== "is_active") : [...chips, ACTIVE], sort)
          }
        />
        active only
      </label>
      <ActionButton
        permission="import_genesys"
        onClick={() => importFile.mutate()}
        disabled={importFile.isPending}
        data-testid="genesys-import"
      >
        Import JSON…
      </ActionButton>
      {result && (
        <span className="muted" data-testid="genesys-import-result">
          {result}
        </span>
      )}
    </>
  );
  return <DataTable table={table} chips={chips} sort={sort} onQueryChange={onQueryChange} toolbar={toolbar} />;
}
